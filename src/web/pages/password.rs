//! `/wachtwoord/{code}`: choosing a (new) login and password through a
//! one-time link that a coach or the municipality handed over.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use super::login::{login_name_field, with_login_csrf};
use crate::auth::login::{self, PasswordError, ResetError};
use crate::storage::ResetTarget;
use crate::web::AppState;
use crate::web::forms::{Field, FieldErrors, error_summary, text_field};
use crate::web::layout::{Frame, page};
use crate::web::page_error::PageError;
use crate::web::visitor::{Lang, Visitor};

#[derive(Debug, Default, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    repeat: String,
}

fn new_password_field(lang: Lang, name: &'static str, label: (&'static str, &'static str)) -> Field {
    Field {
        name,
        label: lang.t(label.0, label.1),
        hint: (name == "password").then(|| lang.t("Minstens 12 tekens.", "At least 12 characters.")),
        kind: "password",
        autocomplete: "new-password",
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let target = live(&state, &code).await?;
    let form = ResetForm {
        login: target.login.clone().unwrap_or_default(),
        ..ResetForm::default()
    };
    Ok(render(
        &visitor,
        &code,
        &target,
        &form,
        &FieldErrors::default(),
        StatusCode::OK,
    ))
}

/// The account of a link that still works.
async fn live(state: &AppState, code: &str) -> Result<ResetTarget, PageError> {
    login::reset_target(&state.store, code)
        .await
        .map_err(|e| PageError::Internal(e.into()))?
        .ok_or_else(spent_link)
}

fn spent_link() -> PageError {
    PageError::App(crate::error::AppError::NotFound(
        "Deze link werkt niet (meer): hij is al gebruikt of ouder dan een dag. Vraag uw werkcoach om een nieuwe. / This link no longer works; ask your coach for a new one."
            .into(),
    ))
}

fn render(
    visitor: &Visitor,
    code: &str,
    target: &ResetTarget,
    form: &ResetForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let lang = visitor.lang;
    let title = lang.t("Kies een wachtwoord", "Choose a password");
    with_login_csrf(visitor, status, |token| {
        let body = html! {
            h1 { (title) }
            p.bl-lead { (lang.t("Voor het account van ", "For the account of ")) strong { (target.name) } "." }
            (error_summary(lang, errors))
            form.bl-form method="post" action=(login::reset_path(code)) novalidate {
                input type="hidden" name="csrf" value=(token);
                (text_field(&login_name_field(lang), &form.login, errors))
                (text_field(&new_password_field(lang, "password", ("Nieuw wachtwoord", "New password")), "", errors))
                (text_field(&new_password_field(lang, "repeat", ("Nog een keer hetzelfde wachtwoord", "The same password again")), "", errors))
                button.bl-button.bl-button--primary type="submit" { (lang.t("Bewaar en log in", "Save and log in")) }
            }
            p.bl-muted { (lang.t(
                "Deze link werkt één keer. Daarna logt u in met uw gebruikersnaam en dit wachtwoord.",
                "This link works once. After that you log in with your user name and this password.")) }
        };
        page(&Frame::of(visitor, "/wachtwoord", title), body)
    })
}

pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
    Form(form): Form<ResetForm>,
) -> Result<Response, PageError> {
    if !visitor.login_csrf_matches(&form.csrf) {
        return Err(PageError::CsrfFailed);
    }
    let target = live(&state, &code).await?;
    let lang = visitor.lang;
    let mut errors = FieldErrors::default();
    if form.password != form.repeat {
        errors.add(
            "repeat",
            lang.t(
                "De twee wachtwoorden zijn niet hetzelfde.",
                "The two passwords are not the same.",
            ),
        );
    }
    if errors.is_empty() {
        match login::reset_password(&state.store, &code, &form.login, &form.password).await {
            Ok(()) => return Ok(Redirect::to("/inloggen?wachtwoord=nieuw").into_response()),
            Err(ResetError::Password(e)) => add_password_error(lang, &mut errors, e)?,
            Err(ResetError::Expired) => return Err(spent_link()),
        }
    }
    Ok(render(
        &visitor,
        &code,
        &target,
        &form,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

/// A refused login or password as a message at its field.
fn add_password_error(lang: Lang, errors: &mut FieldErrors, error: PasswordError) -> Result<(), PageError> {
    let (field, message) = match error {
        PasswordError::InvalidLogin => (
            "login",
            lang.t(
                "Een gebruikersnaam heeft 3 tot 64 tekens: letters, cijfers en . _ @ -",
                "A user name has 3 to 64 characters: letters, digits and . _ @ -",
            ),
        ),
        PasswordError::LoginTaken => (
            "login",
            lang.t(
                "Deze gebruikersnaam is al van iemand anders. Kies een andere.",
                "This user name is taken. Choose another.",
            ),
        ),
        PasswordError::InvalidPassword => (
            "password",
            lang.t(
                "Een wachtwoord heeft 12 tot 128 tekens.",
                "A password has 12 to 128 characters.",
            ),
        ),
        other => return Err(PageError::Internal(other.into())),
    };
    errors.add(field, message);
    Ok(())
}
