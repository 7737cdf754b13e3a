//! `AppError` as an HTTP answer: `application/problem+json` (RFC 9457) with
//! a stable `code`. Internal causes are logged here, never shown.

use axum::Json;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::{AppError, FieldError};

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'static str,
    status: u16,
    detail: String,
    code: &'static str,
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
