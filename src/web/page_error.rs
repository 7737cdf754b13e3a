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
            Self::App(AppError::Http(status)) => *status,
            Self::App(_) => StatusCode::BAD_REQUEST,
        }
    }

    /// Title and explanation, Dutch and English: the error page does not
    /// know the visitor's language.
    fn text(&self) -> (&'static str, String) {
        match self {
            Self::SignInNeeded | Self::App(AppError::Unauthorized) => (
                "Inloggen nodig",
                "Log in om deze pagina te zien. / Please log in to see this page.".into(),
            ),
            Self::CsrfFailed => (
                "Formulier verlopen",
                "Het formulier kwam niet van deze pagina of is verlopen. Laad de pagina opnieuw en probeer het nog eens. / The form expired; reload the page and try again.".into(),
            ),
            Self::App(AppError::Forbidden(_)) => (
                "Geen toegang",
                "U mag deze pagina niet zien. / You may not see this page.".into(),
            ),
            Self::App(AppError::NotFound(_) | AppError::Http(StatusCode::NOT_FOUND)) => (
                "Pagina niet gevonden",
                "Deze pagina bestaat niet (meer). Misschien is de vacature gesloten. / This page does not exist (any more).".into(),
            ),
            Self::App(AppError::Internal(_)) | Self::Internal(_) => (
                "Er ging iets mis",
                "Er ging iets mis aan onze kant. Probeer het later nog eens. / Something went wrong on our side.".into(),
            ),
            // The page has no fields to put them next to: list them.
            Self::App(AppError::Validation(errors)) => (
                "Dat lukte niet",
                errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(" "),
            ),
            Self::App(other) => ("Dat lukte niet", other.detail()),
        }
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
        let status = self.status();
        let (title, detail) = self.text();
        let frame = Frame {
            lang: Lang::Nl,
            user: None,
            path: "/",
            title,
        };
        let body = html! {
            h1 { (title) }
            p.bl-lead { (detail) }
            p { a href="/" { "Naar de startpagina / Home" } }
        };
        (status, page(&frame, body)).into_response()
    }
}
