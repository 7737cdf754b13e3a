//! The person behind a browser: signed in through a session cookie or not,
//! and the language they read. Forms prove they came from our own pages
//! with a CSRF token: the session's when signed in, a double-submit cookie
//! on the login form.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};

use super::page_error::PageError;
use crate::auth::login::session_caller;
use crate::auth::{Caller, Role, hash_token};
use crate::error::AppError;
use crate::storage::now_unix;
use crate::web::AppState;

pub const SESSION_COOKIE: &str = "bl_sessie";
pub const LOGIN_CSRF_COOKIE: &str = "bl_csrf";
pub const LANG_COOKIE: &str = "bl_taal";

/// Dutch first; English for the main pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Nl,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    pub fn parse(text: &str) -> Option<Lang> {
        match text {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The Dutch or the English text.
    pub fn t(self, nl: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }

    /// This language's half of a service message written "Nederlands. /
    /// English." (the API keeps both); a message in one language as it is.
    pub fn pick(self, message: &str) -> &str {
        match (message.split_once(" / "), self) {
            (Some((nl, _)), Lang::Nl) => nl.trim(),
            (Some((_, en)), Lang::En) => en.trim(),
            (None, _) => message,
        }
    }
}

/// A signed-in user and the CSRF token their forms must carry.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub caller: Caller,
    pub name: String,
    pub csrf: String,
}

#[derive(Debug, Clone)]
pub struct Visitor {
    pub signed_in: Option<SignedIn>,
    pub lang: Lang,
    pub secure_cookies: bool,
    jar: CookieJar,
}

impl Visitor {
    /// The signed-in user whose form carried their session's CSRF token.
    /// Not signed in: to the login page; wrong token: 403.
    pub fn checked(&self, form_token: &str) -> Result<&SignedIn, PageError> {
        let signed_in = self.signed_in.as_ref().ok_or(PageError::SignInNeeded)?;
        if same_secret(&signed_in.csrf, form_token) {
            Ok(signed_in)
        } else {
            Err(PageError::CsrfFailed)
        }
    }

    /// The signed-in user, or the login page.
    pub fn required(&self) -> Result<&SignedIn, PageError> {
        self.signed_in.as_ref().ok_or(PageError::SignInNeeded)
    }

    /// The signed-in user if they have `role`; 403 for other roles.
    pub fn with_role(&self, role: Role) -> Result<&SignedIn, PageError> {
        let signed_in = self.required()?;
        if signed_in.caller.role == role {
            Ok(signed_in)
        } else {
            Err(AppError::Forbidden(String::new()).into())
        }
    }

    /// The CSRF token for forms on a page; empty when signed out.
    pub fn csrf(&self) -> &str {
        self.signed_in.as_ref().map_or("", |s| s.csrf.as_str())
    }

    /// The login form's double-submit token: the cookie's, or a new one
    /// that the response must set with `login_csrf_cookie`.
    pub fn login_csrf(&self) -> (String, bool) {
        match self.jar.get(LOGIN_CSRF_COOKIE) {
            Some(cookie) if cookie.value().len() == 64 => (cookie.value().to_string(), false),
            _ => (crate::auth::random_hex(), true),
        }
    }

    /// Did the login form carry the token from its cookie?
    pub fn login_csrf_matches(&self, form_token: &str) -> bool {
        self.jar
            .get(LOGIN_CSRF_COOKIE)
            .is_some_and(|c| same_secret(c.value(), form_token))
    }

    pub fn session_id(&self) -> Option<&str> {
        self.jar.get(SESSION_COOKIE).map(Cookie::value)
    }

    /// A cookie with our flags: HttpOnly, SameSite=Lax, path `/`, Secure
    /// when served over TLS.
    pub fn cookie(&self, name: &'static str, value: String) -> Cookie<'static> {
        Cookie::build((name, value))
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure_cookies)
            .path("/")
            .build()
    }
}

/// Compares two secrets by their hashes, so the time taken says nothing
/// about how many leading characters matched.
fn same_secret(expected: &str, given: &str) -> bool {
    !given.is_empty() && hash_token(expected) == hash_token(given)
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor
where
    AppState: FromRef<S>,
{
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let jar = CookieJar::from_headers(&parts.headers);
        let lang = jar
            .get(LANG_COOKIE)
            .and_then(|c| Lang::parse(c.value()))
            .unwrap_or(Lang::Nl);
        let signed_in = match jar.get(SESSION_COOKIE).map(Cookie::value) {
            Some(id) if id.len() == 64 => session_caller(&state.store, id, now_unix())
                .await
                .map_err(|e| PageError::Internal(e.into()))?
                .map(|(caller, name, csrf)| SignedIn { caller, name, csrf }),
            _ => None,
        };
        Ok(Visitor {
            signed_in,
            lang,
            secure_cookies: state.secure_cookies,
            jar,
        })
    }
}
