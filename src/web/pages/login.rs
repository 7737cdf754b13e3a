//! `/inloggen` and `/uitloggen`: password login into a server-side session.

use std::net::SocketAddr;

use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use maud::html;
use serde::Deserialize;

use crate::auth::Role;
use crate::auth::login::{self, LoginError};
use crate::storage::now_unix;
use crate::web::AppState;
use crate::web::forms::{FieldErrors, error_summary, text_field};
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

pub async fn show(visitor: Visitor) -> Response {
    render(&visitor, "", &FieldErrors::default(), StatusCode::OK)
}

/// The form, with its double-submit cookie set when the browser has none.
fn render(visitor: &Visitor, login: &str, errors: &FieldErrors, status: StatusCode) -> Response {
    let (token, is_new) = visitor.login_csrf();
    let lang = visitor.lang;
    let title = lang.t("Inloggen", "Log in");
    let body = html! {
        h1 { (title) }
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
            "Nog geen account? Uw werkcoach of de gemeente maakt er een voor u.",
            "No account yet? Your job coach or the municipality creates one for you.")) }
    };
    let markup = page(&Frame::of(visitor, "/inloggen", title), body);
    let jar = CookieJar::new();
    let jar = if is_new {
        jar.add(visitor.cookie(LOGIN_CSRF_COOKIE, token))
    } else {
        jar
    };
    (status, jar, markup).into_response()
}

fn login_name_field(lang: Lang) -> crate::web::forms::Field {
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
            Ok(render(&visitor, &form.login, &errors, StatusCode::UNAUTHORIZED))
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

#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<LogoutForm>,
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
