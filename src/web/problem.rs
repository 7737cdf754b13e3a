//! `AppError` as an HTTP answer: `application/problem+json` (RFC 9457) with
//! a stable `code`. Internal causes are logged here, never shown.

use axum::Json;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::{AppError, FieldError};

/// An error, as RFC 9457 `application/problem+json`.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct Problem<'a> {
    /// A relative URI naming the kind of problem: `/problemen/{code}`.
    #[serde(rename = "type")]
    #[schema(example = "/problemen/validation_failed")]
    kind: String,
    /// Short, in Dutch and English.
    title: &'static str,
    /// The HTTP status, repeated.
    status: u16,
    /// What went wrong and what to do, in plain Dutch and English.
    detail: String,
    /// Stable and machine-readable: programs branch on this, never on the words.
    #[schema(example = "validation_failed")]
    code: &'static str,
    /// With `validation_failed`: each field that is wrong, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a [FieldError]>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(cause) = &self {
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        let status = self.status();
        let (code, title) = self.code_and_title();
        let errors = match &self {
            AppError::Validation(errors) => Some(errors.as_slice()),
            _ => None,
        };
        let body = Problem {
            kind: format!("/problemen/{code}"),
            title,
            status: status.as_u16(),
            detail: self.detail(),
            code,
            errors,
        };
        let mut response = (status, Json(body)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}
