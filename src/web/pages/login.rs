//! `/inloggen` and `/uitloggen`: password login into a server-side session.

use std::net::SocketAddr;

use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use maud::{Markup, html};
use serde::Deserialize;

use crate::auth::Role;
use crate::auth::login::{self, LoginError};
use crate::storage::now_unix;
use crate::web::AppState;
use crate::web::forms::{CsrfOnly, FieldErrors, error_summary, text_field};
use crate::web::layout::{Frame, page};
use crate::web::page_error::PageError;
use crate::web::visitor::{LOGIN_CSRF_COOKIE, Lang, SESSION_COOKIE, Visitor};

#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

/// `?wachtwoord=nieuw` after a password was chosen through a reset link.
#[derive(Debug, Default, Deserialize)]
pub struct LoginNotice {
    #[serde(default)]
    wachtwoord: String,
}

pub async fn show(visitor: Visitor, Query(notice): Query<LoginNotice>) -> Response {
    let new_password = notice.wachtwoord == "nieuw";
    render(
        &visitor,
        "",
        &FieldErrors::default(),
        StatusCode::OK,
        new_password,
    )
}

/// The form, with its double-submit cookie set when the browser has none.
fn render(
    visitor: &Visitor,
    login: &str,
    errors: &FieldErrors,
    status: StatusCode,
    new_password: bool,
) -> Response {
    let lang = visitor.lang;
    let title = lang.t("Inloggen", "Log in");
    with_login_csrf(visitor, status, |token| {
        let body = html! {
            h1 { (title) }
            @if new_password {
                div.bl-alert.bl-alert--ok role="status" { p { (lang.t(
                    "Uw nieuwe wachtwoord is bewaard. Log nu in.",
                    "Your new password is saved. Log in now.")) } }
            }
            (error_summary(lang, errors))
            form.bl-form method="post" action="/inloggen" novalidate {
                input type="hidden" name="csrf" value=(token);
                (text_field(&login_name_field(lang), login, errors))
                (text_field(&password_field(lang), "", errors))
                div.bl-button-group {
                    button.bl-button.bl-button--primary type="submit" { (title) }
                }
            }
            p.bl-muted { (lang.t(
                "Nog geen account, of wachtwoord vergeten? Uw werkcoach of de gemeente maakt een link voor u om een wachtwoord te kiezen.",
                "No account yet, or forgot your password? Your job coach or the municipality makes a link for you to choose a password.")) }
        };
        page(&Frame::of(visitor, "/inloggen", title), body)
    })
}

/// A form page for visitors who are not signed in: its CSRF token is a
/// double-submit cookie, set here when the browser has none.
pub(super) fn with_login_csrf(
    visitor: &Visitor,
    status: StatusCode,
    markup: impl FnOnce(&str) -> Markup,
) -> Response {
    let (token, is_new) = visitor.login_csrf();
    let markup = markup(&token);
    let jar = CookieJar::new();
    let jar = if is_new {
        jar.add(visitor.cookie(LOGIN_CSRF_COOKIE, token))
    } else {
        jar
    };
    (status, jar, markup).into_response()
}

pub(super) fn login_name_field(lang: Lang) -> crate::web::forms::Field {
    crate::web::forms::Field {
        name: "login",
        label: lang.t("Gebruikersnaam", "User name"),
        hint: None,
        kind: "text",
        autocomplete: "username",
    }
}

fn password_field(lang: Lang) -> crate::web::forms::Field {
    crate::web::forms::Field {
        name: "password",
        label: lang.t("Wachtwoord", "Password"),
        hint: None,
        kind: "password",
        autocomplete: "current-password",
    }
}

pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let client = state.trusted_proxies.client(peer.ip(), &headers);
    if !visitor.login_csrf_matches(&form.csrf) {
        return Err(PageError::CsrfFailed);
    }
    let lang = visitor.lang;
    let mut errors = FieldErrors::default();
    if form.login.trim().is_empty() {
        errors.add(
            "login",
            lang.t("Vul uw gebruikersnaam in.", "Enter your user name."),
        );
    }
    if form.password.is_empty() {
        errors.add(
            "password",
            lang.t("Vul uw wachtwoord in.", "Enter your password."),
        );
    }
    if !errors.is_empty() {
        return Ok(render(
            &visitor,
            &form.login,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
            false,
        ));
    }
    match login::login(&state.store, &form.login, &form.password, client, now_unix()).await {
        Ok(session) => {
            let target = start_page(session.role);
            let jar = CookieJar::new()
                .add(visitor.cookie(SESSION_COOKIE, session.session_id))
                .remove(Cookie::build(LOGIN_CSRF_COOKIE).path("/"));
            Ok((jar, Redirect::to(target)).into_response())
        }
        Err(LoginError::Invalid) => {
            errors.add(
                "login",
                lang.t(
                    "Deze combinatie van gebruikersnaam en wachtwoord kennen we niet.",
                    "We do not know this user name and password combination.",
                ),
            );
            Ok(render(
                &visitor,
                &form.login,
                &errors,
                StatusCode::UNAUTHORIZED,
                false,
            ))
        }
        Err(LoginError::Throttled) => {
            errors.add(
                "login",
                lang.t(
                    "Te vaak een verkeerd wachtwoord. Wacht 15 minuten en probeer het dan opnieuw.",
                    "Too many wrong passwords. Wait 15 minutes and try again.",
                ),
            );
            Ok(render(
                &visitor,
                &form.login,
                &errors,
                StatusCode::TOO_MANY_REQUESTS,
                false,
            ))
        }
        Err(e) => Err(PageError::Internal(e.into())),
    }
}

/// Where each role starts after logging in.
fn start_page(role: Option<Role>) -> &'static str {
    match role {
        Some(Role::Jobseeker) => "/profiel",
        Some(Role::Coach) => "/coach",
        Some(Role::Employer) => "/werkgever",
        Some(Role::Analyst | Role::Admin) => "/lift",
        _ => "/vacatures",
    }
}

pub async fn logout(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    visitor.checked(&form.csrf)?;
    if let Some(id) = visitor.session_id() {
        login::logout(&state.store, id)
            .await
            .map_err(|e| PageError::Internal(e.into()))?;
    }
    let jar = CookieJar::new().remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/")).into_response())
}
