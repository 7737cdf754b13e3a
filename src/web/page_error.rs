//! The error type of the HTML pages: the same failures as the API, shown as
//! a page in the site's own style instead of problem+json.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

use super::layout::{Frame, page};
use super::visitor::Lang;
use crate::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("sign-in needed")]
    SignInNeeded,
    #[error("the form's CSRF token did not match")]
    CsrfFailed,
    #[error(transparent)]
    App(#[from] AppError),
    #[error("internal: {0:#}")]
    Internal(anyhow::Error),
}

impl PageError {
    pub fn not_found() -> Self {
        Self::App(AppError::NotFound(String::new()))
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::SignInNeeded | Self::App(AppError::Unauthorized) => StatusCode::UNAUTHORIZED,
            Self::CsrfFailed => StatusCode::FORBIDDEN,
            Self::App(AppError::Forbidden(_)) => StatusCode::FORBIDDEN,
            Self::App(AppError::NotFound(_)) => StatusCode::NOT_FOUND,
            Self::App(AppError::Internal(_)) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Self::App(AppError::PayloadTooLarge) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::App(AppError::Validation(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::App(AppError::Conflict(_)) => StatusCode::CONFLICT,
            Self::App(AppError::Gone(_)) => StatusCode::GONE,
            Self::App(AppError::Http(status)) => *status,
            Self::App(_) => StatusCode::BAD_REQUEST,
        }
    }

    /// Title (Dutch, English) and explanation ("Nederlands / English"):
    /// the page is written in the visitor's language by `ErrorText::page`.
    fn text(&self) -> ((&'static str, &'static str), Vec<String>) {
        let failed = ("Dat lukte niet", "That did not work");
        match self {
            Self::SignInNeeded | Self::App(AppError::Unauthorized) => (
                ("Inloggen nodig", "Please log in"),
                vec!["Log in om deze pagina te zien. / Please log in to see this page.".into()],
            ),
            Self::CsrfFailed => (
                ("Formulier verlopen", "Form expired"),
                vec!["Het formulier kwam niet van deze pagina of is verlopen. Laad de pagina opnieuw en probeer het nog eens. / The form expired; reload the page and try again.".into()],
            ),
            Self::App(AppError::Forbidden(_)) => (
                ("Geen toegang", "No access"),
                vec!["U mag deze pagina niet zien. / You may not see this page.".into()],
            ),
            Self::App(AppError::NotFound(message)) if !message.is_empty() => {
                (("Pagina niet gevonden", "Page not found"), vec![message.clone()])
            }
            Self::App(AppError::NotFound(_) | AppError::Http(StatusCode::NOT_FOUND)) => (
                ("Pagina niet gevonden", "Page not found"),
                vec!["Deze pagina bestaat niet (meer). Misschien is de vacature gesloten. / This page does not exist (any more).".into()],
            ),
            Self::App(AppError::Internal(_)) | Self::Internal(_) => (
                ("Er ging iets mis", "Something went wrong"),
                vec!["Er ging iets mis aan onze kant. Probeer het later nog eens. / Something went wrong on our side. Please try again later.".into()],
            ),
            // The page has no fields to put them next to: list them.
            Self::App(AppError::Validation(errors)) => (
                failed,
                errors.iter().map(|e| e.message.clone()).collect(),
            ),
            Self::App(other) => (failed, vec![other.detail()]),
        }
    }
}

/// What an error page says. It travels on the response, so that the
/// error layer, which sees the visitor's language cookie, can write the
/// page in that language; without it the page is Dutch.
#[derive(Debug, Clone)]
pub struct ErrorText {
    status: StatusCode,
    title: (&'static str, &'static str),
    /// Messages written "Nederlands / English".
    detail: Vec<String>,
}

impl ErrorText {
    pub fn page(&self, lang: Lang) -> Response {
        let title = lang.t(self.title.0, self.title.1);
        let frame = Frame {
            lang,
            user: None,
            path: "/",
            title,
        };
        let body = html! {
            h1 { (title) }
            p.bl-lead { (self.detail.iter().map(|d| lang.pick(d)).collect::<Vec<_>>().join(" ")) }
            p { a href="/" { (lang.t("Naar de startpagina", "Home")) } }
        };
        let mut response = (self.status, page(&frame, body)).into_response();
        response.extensions_mut().insert(self.clone());
        response
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match &self {
            Self::SignInNeeded => return Redirect::to("/inloggen").into_response(),
            Self::App(AppError::Internal(cause)) | Self::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "internal error on a page");
            }
            _ => {}
        }
        let (title, detail) = self.text();
        ErrorText {
            status: self.status(),
            title,
            detail,
        }
        .page(Lang::Nl)
    }
}
