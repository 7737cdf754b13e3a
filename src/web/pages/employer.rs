//! `/werkgever`: an employer's vacancies, the post/edit/close form with a
//! typo-tolerant skill list, and pseudonymised candidates with a
//! "vraag contact aan" action.

use super::contact::shared_contact;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use crate::auth::Role;
use crate::codes::{Contract, DutchLevel, Education, Sector};
use crate::contact::ContactRequestInput;
use crate::error::{AppError, FieldError};
use crate::offers::vacancy::{VacancyInput, VacancyView};
use crate::reference::{SkillInput, WijkInput};
use crate::residents::matches::{CandidatesResponse, DEFAULT_LIMIT, candidates};
use crate::storage::VacancyRow;
use crate::web::AppState;
use crate::web::forms::{
    CsrfOnly, Field, FieldErrors, checkbox, code_options, error_summary, select_field, text_field, textarea,
};
use crate::web::layout::{Frame, page};
use crate::web::page_error::PageError;
use crate::web::pages::offers::wijk_options;
use crate::web::visitor::{Lang, SignedIn, Visitor};

const VACANCIES_SHOWN: i64 = 200;

fn employer(visitor: &Visitor) -> Result<(&SignedIn, &str), PageError> {
    let signed_in = visitor.with_role(Role::Employer)?;
    let organisation = signed_in.caller.organisation_id.as_deref();
    Ok((
        signed_in,
        organisation.ok_or_else(|| AppError::Forbidden(String::new()))?,
    ))
}

/// What the overview says after a close or its undo.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    gesloten: Option<String>,
    #[serde(default)]
    heropend: Option<String>,
}

pub async fn overview(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Markup, PageError> {
    let (signed_in, organisation) = employer(&visitor)?;
    let lang = visitor.lang;
    let rows = crate::offers::vacancies_of(&state.store, organisation, VACANCIES_SHOWN).await?;
    let title = lang.t("Mijn vacatures", "My vacancies");
    let closed = done
        .gesloten
        .and_then(|id| rows.iter().find(|v| v.id == id && v.status != "open"));
    let reopened = done
        .heropend
        .and_then(|id| rows.iter().find(|v| v.id == id && v.status == "open"));
    let body = html! {
        h1 { (title) }
        @if let Some(v) = closed {
            div.bl-alert.bl-alert--ok role="status" {
                p {
                    strong { (lang.t("Vacature gesloten: ", "Vacancy closed: ")) (v.title) "." } " "
                    (lang.t("Niemand kan nog solliciteren.", "Nobody can apply any more."))
                }
                form.bl-inline-form method="post" action={ "/werkgever/vacatures/" (v.id) "/heropenen" } {
                    input type="hidden" name="csrf" value=(signed_in.csrf);
                    button.bl-button.bl-button--secondary type="submit" { (lang.t("Ongedaan maken", "Undo")) }
                }
            }
        }
        @if let Some(v) = reopened {
            div.bl-alert.bl-alert--ok role="status" {
                p { strong { (lang.t("Vacature weer open: ", "Vacancy open again: ")) (v.title) "." } }
            }
        }
        p { a.bl-button.bl-button--primary href="/werkgever/vacatures/nieuw" { (lang.t("Nieuwe vacature plaatsen", "Post a new vacancy")) } }
        @if rows.is_empty() {
            p.bl-empty { (lang.t("U hebt nog geen vacatures.", "You have no vacancies yet.")) }
        } @else {
            ol.bl-result-list role="list" {
                @for v in &rows {
                    li.bl-card {
                        h2.bl-card__title { a href={ "/vacatures/" (v.id) } { (v.title) } }
                        div.bl-card__meta {
                            span.bl-badge { @if v.status == "open" { (lang.t("Open", "Open")) } @else { (lang.t("Gesloten", "Closed")) } }
                            span.bl-tag { (v.posted_on) }
                        }
                        @if v.status == "open" {
                            div.bl-button-group {
                                a.bl-button.bl-button--secondary href={ "/werkgever/vacatures/" (v.id) "/kandidaten" } { (lang.t("Kandidaten", "Candidates")) span.bl-visually-hidden { " — " (v.title) } }
                                a.bl-button.bl-button--secondary href={ "/werkgever/vacatures/" (v.id) "/bewerken" } { (lang.t("Wijzigen", "Edit")) span.bl-visually-hidden { " — " (v.title) } }
                                a.bl-button.bl-button--danger href={ "/werkgever/vacatures/" (v.id) "/sluiten" } { (lang.t("Sluiten", "Close")) span.bl-visually-hidden { " — " (v.title) } }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(page(&Frame::of(&visitor, "/werkgever", title), body))
}

/// The form as typed: text throughout, so every mistake comes back to the
/// employer next to its field instead of as a failed request.
#[derive(Debug, Default, Deserialize)]
pub struct VacancyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    sector: String,
    #[serde(default)]
    contract: String,
    #[serde(default)]
    hours_min: String,
    #[serde(default)]
    hours_max: String,
    #[serde(default)]
    education: String,
    #[serde(default)]
    dutch_level: String,
    #[serde(default)]
    salary_min: String,
    #[serde(default)]
    salary_max: String,
    #[serde(default)]
    salary_period: String,
    #[serde(default)]
    wijk: String,
    #[serde(default)]
    closes_on: String,
    #[serde(default)]
    bbl: Option<String>,
    #[serde(default)]
    banenafspraak: Option<String>,
    #[serde(default)]
    apply: String,
    #[serde(default)]
    apply_url: String,
    #[serde(default)]
    apply_email: String,
    #[serde(default)]
    apply_phone: String,
    #[serde(default)]
    skills_required: String,
    #[serde(default)]
    skills_optional: String,
}

impl VacancyForm {
    fn from_view(v: &VacancyView) -> Self {
        let number = |n: Option<f64>| n.map(|n| n.to_string()).unwrap_or_default();
        let lines = |skills: &[crate::reference::SkillRef]| {
            skills
                .iter()
                .map(|s| s.label.clone())
                .collect::<Vec<_>>()
                .join("\n")
        };
        VacancyForm {
            csrf: String::new(),
            title: v.title.clone(),
            description: v.description.clone(),
            sector: v.sector.clone(),
            contract: v.contract.clone(),
            hours_min: v.hours_min.to_string(),
            hours_max: v.hours_max.to_string(),
            education: v.education.clone(),
            dutch_level: v.dutch_level.clone(),
            salary_min: number(v.salary_min),
            salary_max: number(v.salary_max),
            salary_period: v.salary_period.clone().unwrap_or_default(),
            wijk: v.wijk.code.clone(),
            closes_on: v.closes_on.clone().unwrap_or_default(),
            bbl: v.bbl.then(|| "true".into()),
            banenafspraak: v.banenafspraak.then(|| "true".into()),
            apply: v.apply.clone(),
            apply_url: v.apply_url.clone().unwrap_or_default(),
            apply_email: v.apply_email.clone().unwrap_or_default(),
            apply_phone: v.apply_phone.clone().unwrap_or_default(),
            skills_required: lines(&v.skills_required),
            skills_optional: lines(&v.skills_optional),
        }
    }

    /// The API input, or the fields that are not even numbers or known
    /// skills (the service checks the rest).
    fn to_input(&self, state: &AppState, lang: Lang) -> Result<VacancyInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut whole = |field: &str, text: &str| -> i64 {
            text.trim().parse().unwrap_or_else(|_| {
                errors.push(FieldError {
                    field: field.into(),
                    message: lang.t("Vul een heel getal in.", "Enter a whole number.").into(),
                });
                0
            })
        };
        let hours_min = whole("hours_min", &self.hours_min);
        let hours_max = whole("hours_max", &self.hours_max);
        let mut amount = |field: &str, text: &str| -> Option<f64> {
            let text = text.trim().replace(',', ".");
            if text.is_empty() {
                return None;
            }
            text.parse()
                .map_err(|_| {
                    errors.push(FieldError {
                        field: field.into(),
                        message: lang
                            .t("Vul een bedrag in, zoals 14,50.", "Enter an amount, like 14.50.")
                            .into(),
                    })
                })
                .ok()
        };
        let salary_min = amount("salary_min", &self.salary_min);
        let salary_max = amount("salary_max", &self.salary_max);
        let skills_required = skill_lines(state, lang, "skills_required", &self.skills_required, &mut errors);
        let skills_optional = skill_lines(state, lang, "skills_optional", &self.skills_optional, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let present = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
        Ok(VacancyInput {
            organisation_id: None,
            title: self.title.clone(),
            description: self.description.clone(),
            occupation_uri: None,
            sector: self.sector.clone(),
            contract: self.contract.clone(),
            hours_min,
            hours_max,
            education: self.education.clone(),
            dutch_level: self.dutch_level.clone(),
            salary_min,
            salary_max,
            salary_period: present(&self.salary_period),
            wijk: WijkInput::Code(self.wijk.clone()),
            lat: None,
            lon: None,
            closes_on: present(&self.closes_on),
            bbl: self.bbl.is_some(),
            banenafspraak: self.banenafspraak.is_some(),
            apply: self.apply.clone(),
            apply_url: present(&self.apply_url),
            apply_email: present(&self.apply_email),
            apply_phone: present(&self.apply_phone),
            skills_required,
            skills_optional,
            id: None,
            employer: None,
            parttime: None,
            posted_on: None,
            status: None,
            fictitious: None,
        })
    }
}

/// One skill per line (or comma); a name we do not know comes back with
/// the nearest names we do know.
fn skill_lines(
    state: &AppState,
    lang: Lang,
    field: &str,
    text: &str,
    errors: &mut Vec<FieldError>,
) -> Vec<SkillInput> {
    let names: Vec<String> = text
        .split(['\n', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    for name in &names {
        if state.vocabulary.resolve(name).is_none() {
            let near: Vec<String> = state
                .vocabulary
                .suggest(name, 3)
                .into_iter()
                .map(|s| s.label)
                .collect();
            let message = if near.is_empty() {
                format!(
                    "{} “{name}”.",
                    lang.t("Deze vaardigheid kennen we niet:", "Unknown skill:")
                )
            } else {
                format!(
                    "{} “{name}”. {} {}?",
                    lang.t("Deze vaardigheid kennen we niet:", "Unknown skill:"),
                    lang.t("Bedoelt u", "Did you mean"),
                    near.join(" / ")
                )
            };
            errors.push(FieldError {
                field: field.into(),
                message,
            });
        }
    }
    names.into_iter().map(SkillInput::Name).collect()
}

pub async fn new_form(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    employer(&visitor)?;
    Ok(render_form(
        &state,
        &visitor,
        None,
        &VacancyForm::default(),
        &FieldErrors::default(),
    ))
}

pub async fn edit_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (_, organisation) = employer(&visitor)?;
    let view = crate::offers::get::<VacancyRow>(&state, &id).await?;
    if view.organisation_id != organisation {
        return Err(PageError::not_found());
    }
    Ok(render_form(
        &state,
        &visitor,
        Some(&id),
        &VacancyForm::from_view(&view),
        &FieldErrors::default(),
    ))
}

fn render_form(
    state: &AppState,
    visitor: &Visitor,
    id: Option<&str>,
    form: &VacancyForm,
    errors: &FieldErrors,
) -> Response {
    let lang = visitor.lang;
    let csrf = visitor.csrf();
    let (title, action) = match id {
        Some(id) => (
            lang.t("Vacature wijzigen", "Edit vacancy"),
            format!("/werkgever/vacatures/{id}/bewerken"),
        ),
        None => (
            lang.t("Nieuwe vacature", "New vacancy"),
            "/werkgever/vacatures".to_string(),
        ),
    };
    let codes = |list: Vec<(&str, &str)>| -> Vec<(String, String)> {
        list.into_iter()
            .map(|(c, l)| (c.to_string(), l.to_string()))
            .collect()
    };
    let periods = codes(vec![
        ("uur", lang.t("per uur", "an hour")),
        ("maand", lang.t("per maand", "a month")),
    ]);
    let text = |name: &'static str,
                label: &'static str,
                hint: Option<&'static str>,
                kind: &'static str,
                value: &str| {
        text_field(
            &Field {
                name,
                label,
                hint,
                kind,
                autocomplete: "off",
            },
            value,
            errors,
        )
    };
    let skills_hint = lang.t("Eén per regel, bijvoorbeeld: Heftruck rijden. Een tikfout is niet erg: we stellen de juiste naam voor.",
        "One per line, for example: Forklift driving. Typos are fine: we suggest the right name.");
    let body = html! {
        h1 { (title) }
        (error_summary(lang, errors))
        form.bl-form method="post" action=(action) novalidate {
            input type="hidden" name="csrf" value=(csrf);
            (text("title", lang.t("Functienaam", "Job title"), None, "text", &form.title))
            (textarea("description", lang.t("Wat gaat de nieuwe medewerker doen?", "What will the new employee do?"), Some(lang.t("In eenvoudige taal (B1).", "In plain language."), ), &form.description, errors))
            (select_field("sector", lang.t("Sector", "Sector"), lang.t("Kies", "Choose"), &code_options::<Sector>(), &form.sector, errors))
            (select_field("contract", lang.t("Contract", "Contract"), lang.t("Kies", "Choose"), &code_options::<Contract>(), &form.contract, errors))
            div.bl-form-row {
                (text("hours_min", lang.t("Minimaal uren per week", "Minimum hours a week"), None, "number", &form.hours_min))
                (text("hours_max", lang.t("Maximaal uren per week", "Maximum hours a week"), None, "number", &form.hours_max))
            }
            (select_field("education", lang.t("Opleiding die nodig is", "Education needed"), lang.t("Kies", "Choose"), &code_options::<Education>(), &form.education, errors))
            (select_field("dutch_level", lang.t("Nederlands dat nodig is", "Dutch needed"), lang.t("Kies", "Choose"), &code_options::<DutchLevel>(), &form.dutch_level, errors))
            div.bl-form-row {
                (text("salary_min", lang.t("Salaris vanaf (euro)", "Salary from (euros)"), None, "text", &form.salary_min))
                (text("salary_max", lang.t("Salaris tot (euro)", "Salary up to (euros)"), None, "text", &form.salary_max))
            }
            (select_field("salary_period", lang.t("Salaris per", "Salary per"), lang.t("Niet vermeld", "Not stated"), &periods, &form.salary_period, errors))
            (select_field("wijk", lang.t("Wijk van de werkplek", "Neighbourhood of the workplace"), lang.t("Kies", "Choose"), &wijk_options(state), &form.wijk, errors))
            (text("closes_on", lang.t("Reageren kan tot", "Apply before"), Some(lang.t("Datum, bijvoorbeeld 2027-01-31. Leeg: geen einddatum.", "Date, e.g. 2027-01-31. Empty: no end date.")), "date", &form.closes_on))
            (textarea("skills_required", lang.t("Vaardigheden die nodig zijn", "Skills needed"), Some(skills_hint), &form.skills_required, errors))
            (textarea("skills_optional", lang.t("Vaardigheden die mooi meegenomen zijn", "Nice-to-have skills"), Some(skills_hint), &form.skills_optional, errors))
            (checkbox("banenafspraak", lang.t("Geschikt voor de banenafspraak", "Suitable for the Banenafspraak"), form.banenafspraak.is_some()))
            (checkbox("bbl", lang.t("Leren en werken (BBL)", "Learn while working (BBL)"), form.bbl.is_some()))
            fieldset.bl-fieldset {
                legend.bl-legend { (lang.t("Zo solliciteren mensen", "How people apply")) }
                p.bl-description { (lang.t("Vul minstens één manier in.", "Fill in at least one way.")) }
                (text("apply_url", lang.t("Link naar het sollicitatieformulier", "Link to the application form"), Some(lang.t("Begint met https://", "Starts with https://")), "url", &form.apply_url))
                (text("apply_email", lang.t("E-mailadres voor sollicitaties", "E-mail address for applications"), None, "email", &form.apply_email))
                (text("apply_phone", lang.t("Telefoonnummer voor sollicitaties", "Phone number for applications"), Some(lang.t("Bijvoorbeeld 070 123 4567.", "For example 070 123 4567.")), "tel", &form.apply_phone))
                (textarea("apply", lang.t("Extra uitleg (niet verplicht)", "Extra instructions (optional)"), Some(lang.t("Bijvoorbeeld: vraag naar Fatima.", "For example: ask for Fatima.")), &form.apply, errors))
            }
            button.bl-button.bl-button--primary type="submit" { (lang.t("Opslaan en plaatsen", "Save and publish")) }
        }
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, page(&Frame::of(visitor, "/werkgever", title), body)).into_response()
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<VacancyForm>,
) -> Result<Response, PageError> {
    save(&state, &visitor, None, form).await
}

pub async fn update(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<VacancyForm>,
) -> Result<Response, PageError> {
    save(&state, &visitor, Some(&id), form).await
}

/// Posts a new vacancy or saves an existing one; any mistake comes back
/// on the form with everything typed kept.
async fn save(
    state: &AppState,
    visitor: &Visitor,
    id: Option<&str>,
    form: VacancyForm,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    employer(visitor)?;
    let input = match form.to_input(state, visitor.lang) {
        Ok(input) => input,
        Err(errors) => {
            return Ok(render_form(
                state,
                visitor,
                id,
                &form,
                &FieldErrors::from_service(visitor.lang, errors),
            ));
        }
    };
    let saved = match id {
        Some(id) => crate::offers::update::<VacancyRow>(state, &signed_in.caller, id, input).await,
        None => crate::offers::create::<VacancyRow>(state, &signed_in.caller, input).await,
    };
    match saved {
        Ok(view) => Ok(Redirect::to(&format!("/vacatures/{}?geplaatst=ja", view.id)).into_response()),
        Err(AppError::Validation(errors)) => Ok(render_form(
            state,
            visitor,
            id,
            &form,
            &FieldErrors::from_service(visitor.lang, errors),
        )),
        Err(other) => Err(other.into()),
    }
}

pub async fn close(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    crate::offers::close::<VacancyRow>(&state, &signed_in.caller, &id).await?;
    Ok(Redirect::to(&format!("/werkgever?gesloten={id}")).into_response())
}

/// Asks before closing: after it nobody can apply.
pub async fn confirm_close(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let (signed_in, organisation) = employer(&visitor)?;
    let vacancy = crate::offers::get::<VacancyRow>(&state, &id).await?;
    // Another employer's vacancy has nothing to close here.
    if vacancy.organisation_id != organisation {
        return Err(PageError::not_found());
    }
    let lang = visitor.lang;
    let title = lang.t("Vacature sluiten?", "Close the vacancy?");
    let body = html! {
        h1 { (title) }
        p.bl-lead { (vacancy.title) }
        p { (lang.t("Na het sluiten staat de vacature niet meer in de zoekresultaten en kan niemand meer solliciteren. U kunt het daarna nog ongedaan maken.",
            "After closing, the vacancy is no longer in search results and nobody can apply. You can undo it afterwards.")) }
        div.bl-button-group {
            form.bl-inline-form method="post" action={ "/werkgever/vacatures/" (vacancy.id) "/sluiten" } {
                input type="hidden" name="csrf" value=(signed_in.csrf);
                button.bl-button.bl-button--danger type="submit" { (lang.t("Ja, sluit de vacature", "Yes, close the vacancy")) }
            }
            a.bl-button.bl-button--secondary href="/werkgever" { (lang.t("Nee, terug", "No, go back")) }
        }
    };
    Ok(page(&Frame::of(&visitor, "/werkgever", title), body))
}

/// "Ongedaan maken" after a close.
pub async fn reopen(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    crate::offers::reopen::<VacancyRow>(&state, &signed_in.caller, &id).await?;
    Ok(Redirect::to(&format!("/werkgever?heropend={id}")).into_response())
}

pub async fn candidate_list(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let (signed_in, _) = employer(&visitor)?;
    let vacancy = crate::offers::get::<VacancyRow>(&state, &id).await?;
    let found = candidates(&state, &signed_in.caller, &id, DEFAULT_LIMIT).await?;
    let path = format!("/werkgever/vacatures/{id}/kandidaten");
    Ok(render_candidates(&visitor, signed_in, &vacancy, &found, &path))
}

/// Candidates for a vacancy: an employer's (with contact requests) or a
/// coach's own clients (with links to their pages).
pub(crate) fn render_candidates(
    visitor: &Visitor,
    signed_in: &SignedIn,
    vacancy: &VacancyView,
    found: &CandidatesResponse,
    path: &str,
) -> Markup {
    let for_employer = signed_in.caller.role == Role::Employer;
    let lang = visitor.lang;
    let title = format!("{} — {}", lang.t("Kandidaten", "Candidates"), vacancy.title);
    let body = html! {
        h1 { (title) }
        @if for_employer {
            p.bl-lead { (lang.t(
                "U ziet alleen mensen die toestemming gaven. Hun naam ziet u pas als ze uw contactverzoek accepteren.",
                "You only see people who consented. You see their name once they accept your contact request.")) }
        } @else {
            p.bl-lead { (lang.t("Dit zijn uw klanten die bij deze vacature passen.", "These are your clients who fit this vacancy.")) }
        }
        @if found.candidates.is_empty() {
            p.bl-empty { (lang.t("Nog geen kandidaten.", "No candidates yet.")) }
        } @else {
            ol.bl-match-list role="list" {
                @for c in &found.candidates {
                    li.bl-card {
                        h2.bl-card__title {
                            @if for_employer { (c.name) } @else { a href={ "/coach/klanten/" (c.resident_id) } { (c.name) } }
                        }
                        p { (c.wijk_name) " · " (c.distance_km) " km" }
                        p.bl-score { (c.score.round()) " / 100" }
                        ul.bl-reasons { @for r in &c.reasons { li { (r) } } }
                        div.bl-card__meta {
                            @for s in &c.matched_skills { span.bl-tag.bl-tag--match { "✓ " (s.label) span.bl-visually-hidden { (lang.t(" (heeft de kandidaat)", " (the candidate has it)")) } } }
                            @for s in &c.missing_required { span.bl-tag.bl-tag--missing { "+ " (s.label) span.bl-visually-hidden { (lang.t(" (nog nodig)", " (still needed)")) } } }
                        }
                        @match c.contact_status.as_deref() {
                            _ if !for_employer => {}
                            None => {
                                form.bl-inline-form method="post" action={ "/werkgever/vacatures/" (vacancy.id) "/kandidaten/" (c.resident_id) "/contact" } {
                                    input type="hidden" name="csrf" value=(signed_in.csrf);
                                    button.bl-button.bl-button--primary type="submit" { (lang.t("Vraag contact aan", "Request contact")) span.bl-visually-hidden { " — " (c.name) } }
                                }
                            }
                            Some(status) => {
                                p.bl-badge { (lang.t("Contactverzoek: ", "Contact request: ")) (status) }
                                @if let (Some(route), Some(detail)) = (&c.contact_route, &c.contact_detail) {
                                    p.bl-contact-shared { strong { (lang.t("Zo bereikt u deze kandidaat: ", "How to reach this candidate: ")) } (shared_contact(lang, route, detail)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page(&Frame::of(visitor, path, &title), body)
}

pub async fn request_contact(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, resident)): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    let input = ContactRequestInput {
        vacancy_id: id.clone(),
        resident_id: resident,
    };
    match crate::contact::request(&state, &signed_in.caller, input).await {
        Ok(_) | Err(AppError::Conflict(_)) => {
            Ok(Redirect::to(&format!("/werkgever/vacatures/{id}/kandidaten")).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
