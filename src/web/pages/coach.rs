//! `/coach`: a coach's caseload, a client's profile and matches with
//! outcome recording and contact answers, and candidates for a vacancy from
//! the coach's own clients.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form as ListForm;
use maud::{Markup, html};
use serde::Deserialize;

use super::contact::{AnswerForm, AnswerPlace, Answerer, contact_section, show_answer, submit_answer};
use super::profile_form::{EditPlace, ProfileForm, render_edit, save_edit};
use super::widgets::{
    OutcomeForm, RenamedParams, SkillAdded, SkillForm, SkillNotice, Voice, add_skill, after_saving,
    match_list, matches_of, remove_skill, skills_editor, summary,
};
use crate::auth::Role;
use crate::outcomes::{OutcomeInput, TRAINING_STATUSES, TrainingOutcomeInput, TrainingOutcomeView};
use crate::residents::caseload::{CaseloadPage, CaseloadQuery, CaseloadSort};
use crate::residents::matches::{DEFAULT_LIMIT, MatchesResponse, candidates};
use crate::residents::profile::ResidentView;
use crate::storage::VacancyRow;
use crate::web::AppState;
use crate::web::format::unix_date;
use crate::web::forms::{CsrfOnly, FieldErrors, checkbox, field_id, select_field};
use crate::web::layout::{Frame, page};
use crate::web::page_error::PageError;
use crate::web::pages::employer::render_candidates;
use crate::web::pages::listing::{Order, pagination, sort_header};
use crate::web::pages::offers::wijk_options;
use crate::web::visitor::{Lang, SignedIn, Visitor};

fn coach(visitor: &Visitor) -> Result<&SignedIn, PageError> {
    visitor.with_role(Role::Coach)
}

#[derive(Debug, Default, Deserialize)]
pub struct CaseloadFilter {
    #[serde(default)]
    q: String,
    #[serde(default)]
    wijk: String,
    #[serde(default)]
    sorteer: String,
    /// From 1; anything that is not a number shows the first page.
    #[serde(default)]
    pagina: String,
}

impl CaseloadFilter {
    fn query(&self) -> CaseloadQuery {
        CaseloadQuery {
            name: self.q.clone(),
            wijk: Some(self.wijk.clone()).filter(|w| !w.is_empty()),
            sort: CaseloadSort::from_key(&self.sorteer),
            page: self.pagina.parse().unwrap_or(1),
        }
    }

    /// This caseload view's address, sorted by `sort` and on `page`.
    fn href(&self, sort: CaseloadSort, page: usize) -> String {
        let mut pairs = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [("q", self.q.trim()), ("wijk", self.wijk.as_str())] {
            if !value.is_empty() {
                pairs.append_pair(name, value);
            }
        }
        if sort != CaseloadSort::default() {
            pairs.append_pair("sorteer", sort.key());
        }
        if page > 1 {
            pairs.append_pair("pagina", &page.to_string());
        }
        let query = pairs.finish();
        if query.is_empty() {
            "/coach".into()
        } else {
            format!("/coach?{query}")
        }
    }
}

pub async fn caseload(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(filter): Query<CaseloadFilter>,
) -> Result<Markup, PageError> {
    let signed_in = coach(&visitor)?;
    let lang = visitor.lang;
    let query = filter.query();
    let shown = crate::residents::caseload::caseload(&state, &signed_in.caller, &query).await?;
    let title = lang.t("Mijn klanten", "My clients");
    let body = html! {
        h1 { (title) }
        p { a.bl-button.bl-button--primary href="/coach/klanten/nieuw" { (lang.t("Nieuwe klant", "New client")) } }
        form.bl-form.bl-form-row method="get" action="/coach" role="search" {
            div.bl-form-field {
                label.bl-label for=(field_id("q")) { (lang.t("Naam", "Name")) }
                input.bl-textbox type="search" id=(field_id("q")) name="q" value=(filter.q);
            }
            (select_field("wijk", lang.t("Wijk", "Neighbourhood"), lang.t("Alle wijken", "All"), &wijk_options(&state), &filter.wijk, &FieldErrors::default()))
            @if query.sort != CaseloadSort::default() {
                input type="hidden" name="sorteer" value=(query.sort.key());
            }
            button.bl-button.bl-button--secondary type="submit" { (lang.t("Filter", "Filter")) }
        }
        p.bl-results__summary role="status" { strong { (shown.total) } " " (lang.t("klanten", "clients")) }
        @if !shown.entries.is_empty() {
            (caseload_table(lang, &filter, query.sort, &shown))
        }
        (pagination(lang, shown.page - 1, shown.pages, |n| filter.href(query.sort, n + 1)))
    };
    Ok(page(&Frame::of(&visitor, "/coach", title), body))
}

fn caseload_table(lang: Lang, filter: &CaseloadFilter, sorted: CaseloadSort, shown: &CaseloadPage) -> Markup {
    let title = lang.t("Mijn klanten", "My clients");
    let header = |sort: CaseloadSort, label: &str| {
        // Names and wijken run A to Z; the other columns newest or most first.
        let order = match sort {
            CaseloadSort::Name | CaseloadSort::Wijk => Order::Ascending,
            _ => Order::Descending,
        };
        sort_header(
            lang,
            label,
            &filter.href(sort, 1),
            (sort == sorted).then_some(order),
        )
    };
    html! {
        div.bl-table-wrapper tabindex="0" role="region" aria-label=(title) {
            table.bl-table.bl-table--sticky {
                caption.bl-visually-hidden { (title) }
                thead { tr {
                    (header(CaseloadSort::Name, lang.t("Naam", "Name")))
                    (header(CaseloadSort::Wijk, lang.t("Wijk", "Neighbourhood")))
                    (header(CaseloadSort::LastStep, lang.t("Laatste stap", "Last step")))
                    (header(CaseloadSort::LastActivity, lang.t("Laatst bijgewerkt", "Last updated")))
                    (header(CaseloadSort::OpenRequests, lang.t("Open verzoeken", "Open requests")))
                    th scope="col" { (lang.t("Vindbaar voor werkgevers", "Findable by employers")) }
                } }
                tbody {
                    @for c in &shown.entries {
                        tr {
                            th scope="row" { a href={ "/coach/klanten/" (c.id) } { (c.name) } }
                            td { (c.wijk.name) }
                            td {
                                @if let Some(step) = &c.last_step {
                                    strong { (step.status) } " — " (step.title) br;
                                    span.bl-muted { (unix_date(lang, step.at)) }
                                } @else {
                                    span.bl-muted { (lang.t("Nog niets", "Nothing yet")) }
                                }
                            }
                            td { @if c.last_activity > 0 { (unix_date(lang, c.last_activity)) } @else { "—" } }
                            td {
                                @if c.open_requests > 0 {
                                    a.bl-badge href={ "/coach/klanten/" (c.id) "#contact" } { (c.open_requests) }
                                } @else { "0" }
                            }
                            td { @if c.findable_by_employers { (lang.t("ja", "yes")) } @else { (lang.t("nee", "no")) } }
                        }
                    }
                }
            }
        }
    }
}

fn client_base(id: &str) -> String {
    format!("/coach/klanten/{id}")
}

pub async fn client(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(renamed): Query<RenamedParams>,
) -> Result<Markup, PageError> {
    let signed_in = coach(&visitor)?;
    let view = crate::residents::get(&state, &signed_in.caller, &id).await?;
    let notice = renamed.notice(&view);
    render_client(&state, &visitor, signed_in, view, notice.as_ref()).await
}

async fn render_client(
    state: &AppState,
    visitor: &Visitor,
    signed_in: &SignedIn,
    view: ResidentView,
    notice: Option<&SkillNotice>,
) -> Result<Markup, PageError> {
    let lang = visitor.lang;
    let voice = Voice { lang, coach: true };
    let caller = &signed_in.caller;
    let base = client_base(&view.id);
    let found = matches_of(state, caller, &view.id).await?;
    let outcomes = crate::outcomes::of_resident(state, caller, &view.id).await?;
    let routes = crate::outcomes::trainings_of_resident(state, caller, &view.id).await?;
    let contacts = crate::contact::list(state, caller, &view.id).await?;
    let csrf = signed_in.csrf.as_str();
    let form = OutcomeForm {
        action: format!("{base}/uitkomst"),
        csrf,
    };
    let body = html! {
        p { a href="/coach" { "← " (lang.t("Alle klanten", "All clients")) } }
        h1 { (view.name) }
        (contact_section(lang, &base, &contacts))
        (summary(lang, &view, &format!("{base}/bewerken")))
        (skills_editor(voice, &base, csrf, &view, notice))
        (match_list(voice, &found, &format!("{base}/bewerken"), Some(&form)))
        section.bl-section id="uitkomsten" {
            h2 { (lang.t("Sollicitaties", "Applications")) }
            @if outcomes.is_empty() {
                p.bl-empty { (lang.t("Nog niets vastgelegd.", "Nothing recorded yet.")) }
            } @else {
                ul { @for o in &outcomes { li { (o.recorded_at.get(..10).unwrap_or(&o.recorded_at)) ": " strong { (o.status) } " — " (o.vacancy_title) } } }
            }
        }
        (training_section(lang, &base, csrf, &found, &routes))
        (consent_section(lang, &base, csrf, &view))
        (login_section(lang, &base, csrf, &view))
    };
    let path = base.clone();
    Ok(page(&Frame::of(visitor, &path, &view.name), body))
}

pub async fn add(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<SkillForm>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    let view = crate::residents::get(&state, &signed_in.caller, &id).await?;
    match add_skill(&state, &signed_in.caller, &view, &form).await? {
        SkillAdded::Saved { renamed } => {
            Ok(Redirect::to(&after_saving(&client_base(&id), renamed)).into_response())
        }
        SkillAdded::Choose(choice) => {
            let notice = SkillNotice::Choose(choice);
            Ok(render_client(&state, &visitor, signed_in, view, Some(&notice))
                .await?
                .into_response())
        }
    }
}

pub async fn remove(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<SkillForm>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    let view = crate::residents::get(&state, &signed_in.caller, &id).await?;
    remove_skill(&state, &signed_in.caller, view, &form.skill).await?;
    Ok(Redirect::to(&format!("{}#vaardigheden", client_base(&id))).into_response())
}

#[derive(Debug, Deserialize)]
pub struct StepForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    vacancy_id: String,
    #[serde(default)]
    status: String,
}

pub async fn record_outcome(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    let input = OutcomeInput {
        resident_id: id.clone(),
        vacancy_id: form.vacancy_id,
        status: form.status,
    };
    crate::outcomes::record(&state, &signed_in.caller, input).await?;
    Ok(Redirect::to(&format!("{}#uitkomsten", client_base(&id))).into_response())
}

/// Whether employers may find the client; turning it on is done with the
/// client, and the coach confirms that.
fn consent_section(lang: Lang, base: &str, csrf: &str, view: &ResidentView) -> Markup {
    html! {
        section.bl-section id="toestemming" {
            h2 { (lang.t("Vindbaar voor werkgevers", "Findable by employers")) }
            p { strong { @if view.findable_by_employers { (lang.t("Nu: ja.", "Now: yes.")) } @else { (lang.t("Nu: nee.", "Now: no.")) } } }
            form.bl-form method="post" action={ (base) "/toestemming" } {
                input type="hidden" name="csrf" value=(csrf);
                @if view.findable_by_employers {
                    input type="hidden" name="findable" value="false";
                    button.bl-button.bl-button--secondary type="submit" { (lang.t("Zet uit", "Turn off")) }
                } @else {
                    input type="hidden" name="findable" value="true";
                    (checkbox("confirmed", lang.t("Mijn klant en ik hebben dit samen besloten. Mijn klant weet wat werkgevers dan zien.", "My client and I decided this together. My client knows what employers then see."), false))
                    button.bl-button.bl-button--secondary type="submit" { (lang.t("Zet aan", "Turn on")) }
                }
            }
        }
    }
}

/// A one-time link for a client with an account to choose a password.
fn login_section(lang: Lang, base: &str, csrf: &str, view: &ResidentView) -> Markup {
    html! {
        section.bl-section id="inloggen" {
            h2 { (lang.t("Inloggen", "Logging in")) }
            @if view.has_account {
                p { (lang.t(
                    "Is uw klant het wachtwoord kwijt? Maak een link. Daarmee kiest uw klant een nieuw wachtwoord. De link werkt één keer en 24 uur.",
                    "Has your client lost the password? Make a link with which they choose a new one. It works once, for 24 hours.")) }
                form.bl-form method="post" action={ (base) "/wachtwoordlink" } {
                    input type="hidden" name="csrf" value=(csrf);
                    button.bl-button.bl-button--secondary type="submit" { (lang.t("Maak een link voor een nieuw wachtwoord", "Make a new-password link")) }
                }
            } @else {
                p.bl-muted { (lang.t(
                    "Deze klant heeft nog geen eigen account. U werkt samen in dit profiel.",
                    "This client has no account of their own yet. You work in this profile together.")) }
            }
        }
    }
}

/// Issues the link and shows it once: only its hash is kept.
pub async fn reset_link(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Result<Markup, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    let issued = crate::residents::reset_link_for_client(&state, &signed_in.caller, &id).await?;
    let lang = visitor.lang;
    // The address the coach reached us at is the one the client can use.
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:8080");
    let scheme = if state.secure_cookies { "https" } else { "http" };
    let link = format!(
        "{scheme}://{host}{}",
        crate::auth::login::reset_path(&issued.code)
    );
    let title = lang.t("Link voor een nieuw wachtwoord", "New-password link");
    let body = html! {
        p { a href=(client_base(&id)) { "← " (issued.client_name) } }
        h1 { (title) }
        div.bl-alert.bl-alert--ok role="status" {
            p { (lang.t("Geef deze link aan ", "Give this link to ")) strong { (issued.client_name) } "." }
            p { code.bl-code { (link) } }
        }
        p { (lang.t(
            "De link werkt één keer en 24 uur. Een nieuwe link maakt deze ongeldig. Wij sturen geen e-mail: geef de link zelf, bijvoorbeeld in een bericht.",
            "The link works once, for 24 hours. A new link replaces it. We send no e-mail: hand the link over yourself.")) }
    };
    Ok(page(&Frame::of(&visitor, &client_base(&id), title), body))
}

/// The client's training routes, and a form to record a step of one of the
/// trainings their matches propose: the lift report counts starts and
/// completions.
fn training_section(
    lang: Lang,
    base: &str,
    csrf: &str,
    found: &MatchesResponse,
    routes: &[TrainingOutcomeView],
) -> Markup {
    let mut proposed: Vec<(&str, &str)> = found
        .matches
        .iter()
        .flat_map(|m| &m.training_routes)
        .chain(found.bijna_matches.iter().map(|b| &b.training))
        .map(|t| (t.id.as_str(), t.title.as_str()))
        .collect();
    proposed.sort();
    proposed.dedup();
    html! {
        section.bl-section id="opleidingen" {
            h2 { (lang.t("Opleidingen", "Training")) }
            @if routes.is_empty() {
                p.bl-empty { (lang.t("Nog niets vastgelegd.", "Nothing recorded yet.")) }
            } @else {
                ul { @for r in routes { li { (r.recorded_at.get(..10).unwrap_or(&r.recorded_at)) ": " strong { (r.status) } " — " (r.training_title) } } }
            }
            @if !proposed.is_empty() {
                form.bl-form.bl-form-row method="post" action={ (base) "/opleiding" } {
                    input type="hidden" name="csrf" value=(csrf);
                    div.bl-form-field {
                        label.bl-label for="opleiding-keuze" { (lang.t("Opleiding", "Training")) }
                        select.bl-select id="opleiding-keuze" name="training_id" {
                            @for (id, title) in &proposed { option value=(id) { (title) } }
                        }
                    }
                    div.bl-form-field {
                        label.bl-label for="opleiding-stap" { (lang.t("Stap", "Step")) }
                        select.bl-select id="opleiding-stap" name="status" {
                            @for status in TRAINING_STATUSES { option value=(status) { (status) } }
                        }
                    }
                    button.bl-button.bl-button--secondary type="submit" { (lang.t("Vastleggen", "Record")) }
                }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct TrainingStepForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    training_id: String,
    #[serde(default)]
    status: String,
}

pub async fn record_training(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<TrainingStepForm>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    let input = TrainingOutcomeInput {
        resident_id: id.clone(),
        training_id: form.training_id,
        status: form.status,
    };
    crate::outcomes::record_training(&state, &signed_in.caller, input).await?;
    Ok(Redirect::to(&format!("{}#opleidingen", client_base(&id))).into_response())
}

fn edit_place(id: &str) -> EditPlace {
    let back = client_base(id);
    EditPlace {
        action: format!("{back}/bewerken"),
        back,
        new_under: None,
    }
}

/// Every field of a client's profile, on one form.
pub async fn edit_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let signed_in = coach(&visitor)?;
    let view = crate::residents::get(&state, &signed_in.caller, &id).await?;
    let form = ProfileForm::from_view(&view);
    Ok(render_edit(
        &state,
        &visitor,
        &edit_place(&id),
        &form,
        &FieldErrors::default(),
    ))
}

pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    ListForm(form): ListForm<ProfileForm>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    let view = crate::residents::get(&state, &signed_in.caller, &id).await?;
    save_edit(&state, &visitor, signed_in, Some(&view), &edit_place(&id), form).await
}

fn new_client_place() -> EditPlace {
    EditPlace {
        action: "/coach/klanten/nieuw".to_string(),
        back: "/coach".to_string(),
        new_under: Some("/coach/klanten"),
    }
}

/// A new client's profile, on the same form; skills and consent follow on
/// the client's page.
pub async fn new_client_form(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    coach(&visitor)?;
    let form = ProfileForm::default();
    Ok(render_edit(
        &state,
        &visitor,
        &new_client_place(),
        &form,
        &FieldErrors::default(),
    ))
}

pub async fn create_client(
    State(state): State<AppState>,
    visitor: Visitor,
    ListForm(form): ListForm<ProfileForm>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    coach(&visitor)?;
    save_edit(&state, &visitor, signed_in, None, &new_client_place(), form).await
}

#[derive(Debug, Deserialize)]
pub struct CoachConsentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    findable: String,
    #[serde(default)]
    confirmed: Option<String>,
}

/// Consent set with the client: turning it on needs the coach's
/// confirmation that the client agreed, as in the API.
pub async fn consent(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<CoachConsentForm>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    let input = crate::consent::ConsentInput {
        findable_by_employers: form.findable == "true",
        confirmed_with_resident: form.confirmed.is_some(),
    };
    crate::consent::set(&state, &signed_in.caller, &id, input).await?;
    Ok(Redirect::to(&format!("{}#toestemming", client_base(&id))).into_response())
}

fn answer_place(base: &str) -> AnswerPlace<'_> {
    AnswerPlace {
        base,
        answerer: Answerer::Coach,
    }
}

pub async fn contact_request(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, request)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let signed_in = coach(&visitor)?;
    let base = client_base(&id);
    show_answer(&state, &visitor, signed_in, &answer_place(&base), &request).await
}

pub async fn answer_contact(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, request)): Path<(String, String)>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    let base = client_base(&id);
    submit_answer(&state, &visitor, signed_in, &answer_place(&base), &request, form).await
}

pub async fn candidate_list(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let signed_in = coach(&visitor)?;
    let vacancy = crate::offers::get::<VacancyRow>(&state, &id).await?;
    let found = candidates(&state, &signed_in.caller, &id, DEFAULT_LIMIT).await?;
    let path = format!("/coach/vacatures/{id}/kandidaten");
    Ok(render_candidates(&visitor, signed_in, &vacancy, &found, &path))
}
