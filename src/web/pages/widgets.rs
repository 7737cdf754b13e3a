//! The widgets of a resident's page, shared by the jobseeker (`/profiel`)
//! and their coach (`/coach/klanten/{id}`): the profile, skills with typo-tolerant
//! suggestions, and matches with their reasons and training routes.

use maud::{Markup, html};
use serde::Deserialize;

use crate::auth::Caller;
use crate::error::AppError;
use crate::outcomes::STATUSES;
use crate::residents::matches::{MatchOptions, MatchView, MatchesResponse, matches};
use crate::residents::profile::ResidentView;
use crate::skills::{MatchKind, Suggestion};
use crate::web::AppState;
use crate::web::format::decimal;
use crate::web::forms::field_id;
use crate::web::visitor::Lang;

/// Suggestions shown when a typed skill is not one we know exactly.
const SUGGESTIONS: usize = 5;
const MATCHES_SHOWN: usize = 10;
/// Matches shown at once; the rest sit behind "Meer banen".
const MATCHES_FIRST: usize = 5;
/// Reasons on a card before "Waarom?".
const STRONGEST_REASONS: usize = 2;

/// Who a resident's page speaks to: the resident ("je") or their coach
/// ("u", about "de klant"), in the visitor's language.
#[derive(Debug, Clone, Copy)]
pub struct Voice {
    pub lang: Lang,
    pub coach: bool,
}

impl Voice {
    /// `to_resident` and `to_coach` are each (Dutch, English).
    fn t(
        self,
        to_resident: (&'static str, &'static str),
        to_coach: (&'static str, &'static str),
    ) -> &'static str {
        let (nl, en) = if self.coach { to_coach } else { to_resident };
        self.lang.t(nl, en)
    }
}

#[derive(Debug, Deserialize)]
pub struct SkillForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub skill: String,
    /// Add as typed, without asking "bedoelde je…".
    #[serde(default)]
    pub exact: Option<String>,
    /// A skill to remove in the same step: undoing a rename.
    #[serde(default)]
    pub replace: Option<String>,
}

/// What adding a skill led to.
pub enum SkillAdded {
    /// Saved; `renamed` when it was saved under the vocabulary's name.
    Saved { renamed: Option<Renamed> },
    /// Asked first: not a name we know. The resident picks one of the
    /// suggestions (none when nothing is near) or keeps what they typed.
    Choose(Choice),
}

/// A typed skill saved as a vocabulary skill of another name.
pub struct Renamed {
    pub typed: String,
    pub saved_as: String,
}

pub struct Choice {
    pub typed: String,
    pub suggestions: Vec<Suggestion>,
}

/// What the skills section says after an addition.
pub enum SkillNotice {
    Choose(Choice),
    Renamed(Renamed),
}

/// The `?vaardigheid=…&als=…` after a skill was saved under another name,
/// so the page can say so and offer to undo it.
#[derive(Debug, Default, Deserialize)]
pub struct RenamedParams {
    #[serde(default)]
    vaardigheid: String,
    #[serde(default)]
    als: String,
}

impl RenamedParams {
    /// The notice, if the profile does hold the skill the link names.
    pub fn notice(self, view: &ResidentView) -> Option<SkillNotice> {
        let held = view.skills.contains(&self.als);
        (held && !self.vaardigheid.is_empty()).then_some(SkillNotice::Renamed(Renamed {
            typed: self.vaardigheid,
            saved_as: self.als,
        }))
    }
}

/// Where to go after a skill was saved: back to the skills section of
/// `base`, with the rename to show.
pub fn after_saving(base: &str, renamed: Option<Renamed>) -> String {
    match renamed {
        None => format!("{base}#vaardigheden"),
        Some(r) => {
            let query = form_urlencoded::Serializer::new(String::new())
                .append_pair("vaardigheid", &r.typed)
                .append_pair("als", &r.saved_as)
                .finish();
            format!("{base}?{query}#vaardigheden")
        }
    }
}

/// Adds a skill: a known name or alias at once (saying so if the name
/// changed), anything else only after the resident chose a suggestion or
/// chose to keep it as typed (it still counts in text). `replace` first
/// removes a skill: the undo of a rename.
pub async fn add_skill(
    state: &AppState,
    caller: &Caller,
    view: &ResidentView,
    form: &SkillForm,
) -> Result<SkillAdded, AppError> {
    let typed = form.skill.trim();
    if typed.is_empty() || typed.chars().count() > 80 {
        return Err(AppError::invalid(
            "skill",
            "Vul een vaardigheid in van hoogstens 80 tekens. / Enter a skill of at most 80 characters.",
        ));
    }
    let suggestions = state.vocabulary.suggest(typed, SUGGESTIONS);
    let known = suggestions
        .first()
        .filter(|s| matches!(s.kind, MatchKind::Exact | MatchKind::Alias));
    let name = match (known, form.exact.is_some()) {
        (Some(found), false) => found.label.clone(),
        (None, false) => {
            return Ok(SkillAdded::Choose(Choice {
                typed: typed.to_string(),
                suggestions,
            }));
        }
        (_, true) => typed.to_string(),
    };
    let mut input = view.to_input();
    if let Some(replaced) = &form.replace {
        input.skills.retain(|s| s != replaced);
    }
    if !input.skills.iter().any(|s| s.eq_ignore_ascii_case(&name)) {
        input.skills.push(name.clone());
    }
    crate::residents::update(state, caller, &view.id, input).await?;
    let renamed = (!name.eq_ignore_ascii_case(typed)).then(|| Renamed {
        typed: typed.to_string(),
        saved_as: name,
    });
    Ok(SkillAdded::Saved { renamed })
}

pub async fn remove_skill(
    state: &AppState,
    caller: &Caller,
    view: ResidentView,
    skill: &str,
) -> Result<ResidentView, AppError> {
    let mut input = view.to_input();
    input.skills.retain(|s| s != skill);
    crate::residents::update(state, caller, &view.id, input).await
}

pub async fn matches_of(state: &AppState, caller: &Caller, id: &str) -> Result<MatchesResponse, AppError> {
    let options = MatchOptions {
        limit: MATCHES_SHOWN,
        ..MatchOptions::default()
    };
    matches(state, caller, id, options).await
}

/// Name, wijk and conditions at a glance.
/// The main facts of a profile, with the link to change them at `edit`.
pub fn summary(lang: Lang, view: &ResidentView, edit: &str) -> Markup {
    html! {
        dl.bl-data-list {
            dt { (lang.t("Wijk", "Neighbourhood")) } dd { (view.wijk.name) }
            dt { (lang.t("Uren per week", "Hours a week")) }
            dd {
                @match (view.hours_min, view.hours_max) {
                    (Some(min), Some(max)) => { (min) "–" (max) }
                    (Some(min), None) => { (lang.t("minstens ", "at least ")) (min) }
                    (None, Some(max)) => { (lang.t("hoogstens ", "at most ")) (max) }
                    (None, None) => { (lang.t("nog niet bekend", "not known yet")) }
                }
            }
            dt { (lang.t("Reizen", "Travel")) }
            dd { (travel_mode(lang, &view.travel_mode)) @if let Some(m) = view.max_travel_minutes { ", " (lang.t("hoogstens ", "at most ")) (m) " min" } }
            dt { (lang.t("Nederlands", "Dutch")) } dd { (view.dutch_level) }
        }
        p { a.bl-button.bl-button--secondary href=(edit) { (lang.t("Gegevens wijzigen", "Change details")) } }
    }
}

pub fn travel_mode(lang: Lang, mode: &str) -> &'static str {
    match mode {
        "lopen" => lang.t("lopend", "walking"),
        "fiets" => lang.t("op de fiets", "by bike"),
        "ov" => lang.t("met het OV", "by public transport"),
        "auto" => lang.t("met de auto", "by car"),
        _ => lang.t("onbekend", "unknown"),
    }
}

/// The skills with a remove button each, and the add form; after an
/// addition, what became of it. Every form comes back to this section.
pub fn skills_editor(
    voice: Voice,
    base: &str,
    csrf: &str,
    view: &ResidentView,
    notice: Option<&SkillNotice>,
) -> Markup {
    let lang = voice.lang;
    html! {
        section.bl-section id="vaardigheden" {
            h2 { (voice.t(("Wat je kunt", "What you can do"), ("Vaardigheden van de klant", "The client's skills"))) }
            @if view.skills.is_empty() {
                p.bl-empty { (lang.t("Nog geen vaardigheden. Voeg er hieronder een toe.", "No skills yet. Add one below.")) }
            } @else {
                ul.bl-button-group {
                    @for skill in &view.skills {
                        li {
                            form.bl-inline-form method="post" action={ (base) "/vaardigheden/verwijderen#vaardigheden" } {
                                input type="hidden" name="csrf" value=(csrf);
                                input type="hidden" name="skill" value=(skill);
                                span.bl-tag { (skill) }
                                " "
                                button.bl-link-button type="submit" {
                                    (lang.t("Verwijder", "Remove"))
                                    span.bl-visually-hidden { " " (skill) }
                                }
                            }
                        }
                    }
                }
            }
            @match notice {
                Some(SkillNotice::Choose(choice)) => { (choice_box(voice, base, csrf, choice)) }
                Some(SkillNotice::Renamed(renamed)) => { (renamed_box(lang, base, csrf, renamed)) }
                None => {}
            }
            form.bl-form method="post" action={ (base) "/vaardigheden#vaardigheden" } {
                input type="hidden" name="csrf" value=(csrf);
                div.bl-form-field {
                    label.bl-label for=(field_id("skill")) { (lang.t("Vaardigheid toevoegen", "Add a skill")) }
                    p.bl-description id={ (field_id("skill")) "-hint" } {
                        (lang.t("Bijvoorbeeld: heftruck rijden, kassa, schoonmaken. Een tikfout is niet erg.",
                                "For example: forklift, till, cleaning. Typos are fine."))
                    }
                    input.bl-textbox type="text" id=(field_id("skill")) name="skill" autocomplete="off"
                        aria-describedby={ (field_id("skill")) "-hint" };
                }
                button.bl-button.bl-button--primary type="submit" { (lang.t("Toevoegen", "Add")) }
            }
        }
    }
}

/// "Bedoelde je…" after a near spelling; "we kennen dit niet" when
/// nothing is near. Either way the typed word can be kept as it is.
fn choice_box(voice: Voice, base: &str, csrf: &str, choice: &Choice) -> Markup {
    let lang = voice.lang;
    let typed = choice.typed.as_str();
    let keep = format!("{} “{typed}”", lang.t("Nee, bewaar", "No, keep"));
    html! {
        div.bl-alert.bl-alert--info role="status" {
            @if choice.suggestions.is_empty() {
                h3 { (lang.t("Deze vaardigheid kennen we niet", "We do not know this skill")) }
                p { "“" (typed) "” " (voice.t(
                    ("staat niet in onze lijst. Kijk of het goed geschreven is: dan vinden werkgevers je beter. Je kunt het ook zo bewaren.",
                     "is not in our list. Check the spelling: employers find you more easily. You can also keep it like this."),
                    ("staat niet in onze lijst. Kijk of het goed geschreven is: dan vinden werkgevers de klant beter. U kunt het ook zo bewaren.",
                     "is not in our list. Check the spelling: employers find the client more easily. You can also keep it like this."))) }
                ul.bl-suggestions {
                    li { (skill_button(base, csrf, typed, &format!("{} “{typed}”", lang.t("Bewaar toch", "Keep anyway")), None)) }
                }
            } @else {
                h3 { (voice.t(("Bedoelde je een van deze?", "Did you mean one of these?"), ("Bedoelde u een van deze?", "Did you mean one of these?"))) }
                ul.bl-suggestions {
                    @for s in &choice.suggestions {
                        li { (skill_button(base, csrf, &s.label, &s.label, None)) }
                    }
                    li { (skill_button(base, csrf, typed, &keep, None)) }
                }
            }
        }
    }
}

/// "'heftruk' is bewaard als Heftruck rijden", with an undo that keeps the
/// word as typed instead.
fn renamed_box(lang: Lang, base: &str, csrf: &str, renamed: &Renamed) -> Markup {
    let undo = format!("{} “{}”", lang.t("Nee, bewaar", "No, keep"), renamed.typed);
    html! {
        div.bl-alert.bl-alert--ok role="status" {
            p {
                "“" (renamed.typed) "” " (lang.t("is bewaard als", "was saved as")) " "
                strong { (renamed.saved_as) } ". "
                (lang.t("Zo vinden werkgevers het beter.", "Employers find it more easily that way."))
            }
            (skill_button(base, csrf, &renamed.typed, &undo, Some(&renamed.saved_as)))
        }
    }
}

/// A one-click addition of `value` as it is; `replace` is removed in the
/// same step.
fn skill_button(base: &str, csrf: &str, value: &str, text: &str, replace: Option<&str>) -> Markup {
    html! {
        form.bl-inline-form method="post" action={ (base) "/vaardigheden#vaardigheden" } {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="skill" value=(value);
            input type="hidden" name="exact" value="true";
            @if let Some(replace) = replace { input type="hidden" name="replace" value=(replace); }
            button.bl-suggestion type="submit" { (text) }
        }
    }
}

/// How a coach records a step for a match; `None` for the resident.
pub struct OutcomeForm<'a> {
    pub action: String,
    pub csrf: &'a str,
}

/// The matches; `edit` is the profile form that fills in what a match
/// still needs to know.
pub fn match_list(
    voice: Voice,
    found: &MatchesResponse,
    edit: &str,
    outcome: Option<&OutcomeForm<'_>>,
) -> Markup {
    let lang = voice.lang;
    let (first, more) = found.matches.split_at(found.matches.len().min(MATCHES_FIRST));
    html! {
        section.bl-section id="matches" {
            h2 { (voice.t(("Banen die bij je passen", "Jobs that fit you"), ("Banen die bij de klant passen", "Jobs that fit the client"))) }
            @if found.matches.is_empty() {
                p.bl-empty { (lang.t(
                    "Nog geen passende banen. Voeg vaardigheden toe, of reis wat verder.",
                    "No fitting jobs yet. Add skills, or travel a bit further.")) }
            } @else {
                ol.bl-match-list role="list" {
                    @for m in first { (match_card(voice, m, edit, outcome)) }
                }
                @if !more.is_empty() {
                    details.bl-more {
                        summary { (lang.t("Meer banen", "More jobs")) " (" (more.len()) ")" }
                        ol.bl-match-list role="list" start=(MATCHES_FIRST + 1) {
                            @for m in more { (match_card(voice, m, edit, outcome)) }
                        }
                    }
                }
            }
        }
    }
}

/// The link text that leads to a field a match still needs.
fn unknown_field_link(voice: Voice, field: &str) -> &'static str {
    match field {
        "hours_min" => voice.t(
            (
                "Vul in hoeveel uur je wilt werken",
                "Fill in how many hours you want to work",
            ),
            (
                "Vul in hoeveel uur de klant wil werken",
                "Fill in how many hours the client wants to work",
            ),
        ),
        _ => voice.t(
            ("Vul je gegevens aan", "Complete your details"),
            (
                "Vul de gegevens van de klant aan",
                "Complete the client's details",
            ),
        ),
    }
}

/// A compact card: the facts and the strongest reasons first, the whole
/// explanation behind "Waarom?".
fn match_card(voice: Voice, m: &MatchView, edit: &str, outcome: Option<&OutcomeForm<'_>>) -> Markup {
    let lang = voice.lang;
    html! {
        li.bl-card {
            h3.bl-card__title { a href={ "/vacatures/" (m.vacancy.id) } { (m.vacancy.title) } }
            p { (m.vacancy.employer) ", " (m.vacancy.wijk_name) " · "
                (decimal(lang, m.distance_km, 1)) " km, " (m.travel_minutes.round()) " min" }
            p.bl-score { (m.score.round()) " / 100 " span.bl-muted { (voice.t(("past bij je", "fit"), ("past", "fit"))) } }
            ul.bl-reasons { @for reason in m.reasons.iter().take(STRONGEST_REASONS) { li { (reason) } } }
            @for field in &m.unknown_fields {
                p { a href={ (edit) "#" (field_id(field)) } { (unknown_field_link(voice, field)) } }
            }
            details.bl-why {
                summary { (lang.t("Waarom?", "Why?")) span.bl-visually-hidden { " — " (m.vacancy.title) } }
                ul.bl-reasons { @for reason in m.reasons.iter().skip(STRONGEST_REASONS) { li { (reason) } } }
                div.bl-card__meta {
                    @for s in &m.matched_skills { span.bl-tag.bl-tag--match { "✓ " (s.label) span.bl-visually-hidden { (voice.t((" (heb je)", " (you have it)"), (" (heeft de klant)", " (the client has it)"))) } } }
                    @for s in &m.missing_required { span.bl-tag.bl-tag--missing { "+ " (s.label) span.bl-visually-hidden { (lang.t(" (nog nodig)", " (still needed)")) } } }
                }
                @if !m.training_routes.is_empty() {
                    p { strong { (lang.t("Leer wat nog mist: ", "Learn what is missing: ")) } }
                    ul {
                        @for t in &m.training_routes {
                            li { a href={ "/opleidingen/" (t.id) } { (t.title) } " — " (t.provider) ", " (t.duration_weeks) " " (lang.t("weken", "weeks")) }
                        }
                    }
                }
            }
            @if let Some(form) = outcome {
                form.bl-form.bl-form-row method="post" action=(form.action) {
                    input type="hidden" name="csrf" value=(form.csrf);
                    input type="hidden" name="vacancy_id" value=(m.vacancy.id);
                    div.bl-form-field {
                        label.bl-label for={ "stap-" (m.vacancy.id) } { (lang.t("Stap vastleggen", "Record a step")) }
                        select.bl-select id={ "stap-" (m.vacancy.id) } name="status" required {
                            option value="" { (lang.t("Kies een stap", "Choose a step")) }
                            @for status in STATUSES { option value=(status) { (status) } }
                        }
                    }
                    button.bl-button.bl-button--secondary type="submit" {
                        (lang.t("Vastleggen", "Record")) span.bl-visually-hidden { " — " (m.vacancy.title) }
                    }
                }
            }
        }
    }
}
