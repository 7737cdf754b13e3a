//! Employers' contact requests on a resident's page, shared by the
//! jobseeker (`/profiel`) and their coach (`/coach/klanten/{id}`): the
//! list, and the answer page that says exactly what accepting shares and
//! lets the resident choose how they may be reached.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use crate::contact::{
    ACCEPTED, COACH, ContactAnswerInput, ContactRequestView, DECLINED, EMAIL, OPEN, PHONE, Sharing,
    coach_detail,
};
use crate::error::AppError;
use crate::validate::dialable;
use crate::web::AppState;
use crate::web::forms::{Field, FieldErrors, error_summary, field_id, text_field};
use crate::web::layout::{Frame, page};
use crate::web::page_error::PageError;
use crate::web::visitor::{Lang, SignedIn, Visitor};

/// Who is answering: the resident, or their coach for them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Answerer {
    Resident,
    Coach,
}

#[derive(Debug, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub reach_by: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

impl AnswerForm {
    pub fn to_input(&self) -> ContactAnswerInput {
        let given = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
        ContactAnswerInput {
            status: self.status.clone(),
            reach_by: given(&self.reach_by),
            phone: given(&self.phone),
            email: given(&self.email),
        }
    }
}

/// The words for a request's state, for people.
fn status_text(lang: Lang, status: &str) -> &'static str {
    match status {
        OPEN => lang.t("wacht op je antwoord", "waiting for your answer"),
        ACCEPTED => lang.t("geaccepteerd", "accepted"),
        DECLINED => lang.t("afgewezen", "declined"),
        _ => "",
    }
}

/// A shared contact route as the employer (and the resident) reads it,
/// with a link that calls or mails.
pub fn shared_contact(lang: Lang, route: &str, detail: &str) -> Markup {
    html! {
        @match route {
            PHONE => { (lang.t("bellen: ", "call: ")) a href={ "tel:" (dialable(detail)) } { (detail) } }
            EMAIL => { (lang.t("mailen: ", "e-mail: ")) a href={ "mailto:" (detail) } { (detail) } }
            _ => { (lang.t("via de werkcoach: ", "through the coach: ")) (detail) }
        }
    }
}

/// Employers' contact requests, with the open ones first and a link to
/// answer each at `{base}/contact/{request}`; nothing while there are none.
pub fn contact_section(lang: Lang, base: &str, contacts: &[ContactRequestView]) -> Markup {
    if contacts.is_empty() {
        return html! {};
    }
    let open = contacts.iter().filter(|c| c.status == OPEN).count();
    let mut sorted: Vec<&ContactRequestView> = contacts.iter().collect();
    sorted.sort_by_key(|c| c.status != OPEN);
    html! {
        section.bl-section id="contact" {
            h2 {
                (lang.t("Contactverzoeken van werkgevers", "Contact requests from employers"))
                @if open > 0 { " " span.bl-count-badge { (open) span.bl-visually-hidden { (lang.t(" open", " open")) } } }
            }
            ul {
                @for c in sorted {
                    li {
                        strong { (c.employer) } " — " (c.vacancy_title) ": " (status_text(lang, &c.status))
                        @if c.status == OPEN {
                            " "
                            a.bl-button.bl-button--primary href={ (base) "/contact/" (c.id) } {
                                (lang.t("Bekijk en antwoord", "View and answer")) span.bl-visually-hidden { " — " (c.vacancy_title) }
                            }
                        }
                        @if let (Some(route), Some(detail)) = (&c.contact_route, &c.contact_detail) {
                            br;
                            span.bl-muted { (lang.t("Gedeeld: ", "Shared: ")) (shared_contact(lang, route, detail)) }
                        }
                    }
                }
            }
        }
    }
}

/// The answer page's body: what the employer asks, what accepting shares,
/// the choice of route, and decline.
pub fn answer_body(
    lang: Lang,
    action: &str,
    csrf: &str,
    sharing: &Sharing,
    answerer: Answerer,
    form: &AnswerForm,
    errors: &FieldErrors,
) -> Markup {
    let request = &sharing.request;
    let coach = answerer == Answerer::Coach;
    html! {
        h1 { (lang.t("Contactverzoek van ", "Contact request from ")) (request.employer) }
        (error_summary(lang, errors))
        p.bl-lead {
            @if coach {
                (request.employer) (lang.t(" wil contact met uw klant over de vacature ", " would like to contact your client about the vacancy "))
            } @else {
                (request.employer) (lang.t(" wil contact met je over de vacature ", " would like to contact you about the vacancy "))
            }
            a href={ "/vacatures/" (request.vacancy_id) } { (request.vacancy_title) } "."
        }
        @if request.status != OPEN {
            p { strong { (lang.t("Dit verzoek is al beantwoord: ", "This request was already answered: ")) (status_text(lang, &request.status)) "." } }
        } @else {
            div.bl-alert.bl-alert--info {
                h2 { @if coach { (lang.t("Als u accepteert, ziet de werkgever alleen dit:", "If you accept, the employer sees only this:")) } @else { (lang.t("Als je accepteert, ziet de werkgever alleen dit:", "If you accept, the employer sees only this:")) } }
                ul {
                    li { (lang.t("de volledige naam: ", "the full name: ")) strong { (sharing.full_name) } }
                    li { @if coach { (lang.t("de manier van contact die u hieronder kiest", "the way of contact you choose below")) } @else { (lang.t("de manier van contact die je hieronder kiest", "the way of contact you choose below")) } }
                }
                p { (lang.t("Verder niets: geen adres en geen andere gegevens.", "Nothing else: no address and no other details.")) }
            }
            form.bl-form method="post" action=(action) novalidate {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="status" value=(ACCEPTED);
                (route_choice(lang, sharing, answerer, form, errors))
                button.bl-button.bl-button--primary type="submit" { (lang.t("Accepteren en delen", "Accept and share")) }
            }
            form.bl-form method="post" action=(action) {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="status" value=(DECLINED);
                p { (lang.t("Geen interesse? Dan krijgt de werkgever niets te zien.", "Not interested? Then the employer sees nothing.")) }
                button.bl-button.bl-button--secondary type="submit" { (lang.t("Afwijzen", "Decline")) }
            }
        }
    }
}

/// One radio per route, each with the field it needs right under it.
fn route_choice(
    lang: Lang,
    sharing: &Sharing,
    answerer: Answerer,
    form: &AnswerForm,
    errors: &FieldErrors,
) -> Markup {
    let coach_answers = answerer == Answerer::Coach;
    let error = errors.of("reach_by");
    let radio = |value: &str, label: &str| {
        let id = format!("{}-{value}", field_id("reach_by"));
        html! {
            div.bl-checkbox-field {
                input type="radio" id=(id) name="reach_by" value=(value) checked[form.reach_by == value];
                label for=(id) { (label) }
            }
        }
    };
    html! {
        fieldset.bl-fieldset.bl-form-field--invalid[error.is_some()] id=(field_id("reach_by")) tabindex="-1" {
            legend.bl-legend { (lang.t("Hoe mag de werkgever contact opnemen?", "How may the employer contact you?")) }
            @if let Some(error) = error { p.bl-field-error { "⚠ " (error) } }
            (radio(PHONE, lang.t("Bellen", "By phone")))
            (text_field(&Field {
                name: "phone",
                label: lang.t("Telefoonnummer", "Phone number"),
                hint: Some(lang.t("Bijvoorbeeld 06 1234 5678.", "For example 06 1234 5678.")),
                kind: "tel",
                autocomplete: "tel",
            }, &form.phone, errors))
            (radio(EMAIL, lang.t("Mailen", "By e-mail")))
            (text_field(&Field {
                name: "email",
                label: lang.t("E-mailadres", "E-mail address"),
                hint: None,
                kind: "email",
                autocomplete: "email",
            }, &form.email, errors))
            @if let Some(coach) = &sharing.coach {
                (radio(COACH, if coach_answers { lang.t("Via mij, de werkcoach", "Through me, the coach") } else { lang.t("Via mijn werkcoach", "Through my coach") }))
                p.bl-description { (lang.t("De werkgever ziet dan: ", "The employer then sees: ")) (coach_detail(coach)) }
            } @else {
                p.bl-description {
                    @if coach_answers {
                        (lang.t("Via de werkcoach kan pas als uw telefoonnummer of e-mailadres bij ons bekend is. De beheerder kan dat vastleggen.", "Through the coach is only possible once we have your work phone or e-mail. The administrator can add it."))
                    } @else {
                        (lang.t("Via een werkcoach kan alleen als je een werkcoach met contactgegevens hebt.", "Through a coach is only possible if you have a coach with contact details."))
                    }
                }
            }
        }
    }
}

/// Where a resident's contact pages live: `/profiel` or the coach's
/// `/coach/klanten/{id}`.
pub struct AnswerPlace<'a> {
    pub base: &'a str,
    pub answerer: Answerer,
}

/// The answer page for one request.
pub async fn show_answer(
    state: &AppState,
    visitor: &Visitor,
    signed_in: &SignedIn,
    place: &AnswerPlace<'_>,
    request_id: &str,
) -> Result<Response, PageError> {
    let sharing = crate::contact::sharing(state, &signed_in.caller, request_id).await?;
    let form = AnswerForm::default();
    Ok(render_answer(
        visitor,
        signed_in,
        place,
        &sharing,
        &form,
        &FieldErrors::default(),
    ))
}

/// Saves the answer and returns to the list; a missing or wrong contact
/// route comes back on the page with what was typed.
pub async fn submit_answer(
    state: &AppState,
    visitor: &Visitor,
    signed_in: &SignedIn,
    place: &AnswerPlace<'_>,
    request_id: &str,
    form: AnswerForm,
) -> Result<Response, PageError> {
    match crate::contact::answer(state, &signed_in.caller, request_id, form.to_input()).await {
        Ok(_) => Ok(Redirect::to(&format!("{}#contact", place.base)).into_response()),
        Err(AppError::Validation(errors)) => {
            let sharing = crate::contact::sharing(state, &signed_in.caller, request_id).await?;
            let errors = FieldErrors::from_service(visitor.lang, errors);
            Ok(render_answer(visitor, signed_in, place, &sharing, &form, &errors))
        }
        Err(other) => Err(other.into()),
    }
}

fn render_answer(
    visitor: &Visitor,
    signed_in: &SignedIn,
    place: &AnswerPlace<'_>,
    sharing: &Sharing,
    form: &AnswerForm,
    errors: &FieldErrors,
) -> Response {
    let lang = visitor.lang;
    let action = format!("{}/contact/{}", place.base, sharing.request.id);
    let body = html! {
        p { a href={ (place.base) "#contact" } { "← " (lang.t("Terug", "Back")) } }
        (answer_body(lang, &action, &signed_in.csrf, sharing, place.answerer, form, errors))
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = lang.t("Contactverzoek", "Contact request");
    (status, page(&Frame::of(visitor, &action, title), body)).into_response()
}
