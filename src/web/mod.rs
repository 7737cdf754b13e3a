//! The HTTP surface shared by the API and the pages: extractors whose
//! rejections become our problem+json, the bearer-token caller, and the
//! server-rendered pages with their sessions.

pub mod api;
pub mod charts;
pub mod client;
pub mod error_shape;
pub mod format;
pub mod forms;
pub mod idempotency;
pub mod layout;
pub mod openapi;
pub mod page_error;
pub mod pages;
pub mod params;
pub mod problem;
mod router;
pub mod server;
mod shape_errors;
pub mod state;
pub mod visitor;

use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

pub use router::{MAX_BODY_BYTES, router, serve, serve_with_limits};
pub use server::ConnectionLimits;
pub use state::AppState;

use crate::auth::{Caller, hash_token};
use crate::error::AppError;
use crate::offers::Posted;

/// JSON body; malformed JSON is a 400, a body of the wrong shape (missing,
/// unknown or mistyped fields) a 422, an oversized body a 413.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

/// A new offer's body: Banenlift's own JSON, or a schema.org JobPosting
/// when the content type is `application/ld+json`.
pub struct OfferBody<T>(pub Posted<T>);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for OfferBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if media_type(&req).as_deref() != Some("application/ld+json") {
            let ApiJson(input) = ApiJson::from_request(req, state).await?;
            return Ok(Self(Posted::Own(input)));
        }
        let bytes = body_bytes(req, state).await?;
        let doc = serde_json::from_slice(&bytes)
            .map_err(|e| AppError::bad_request("malformed_json", shape_errors::malformed_json(&e)))?;
        Ok(Self(Posted::JobPosting(doc)))
    }
}

/// A vacancy feed as text: JSON-LD (an array or NDJSON of JobPostings) or,
/// with `Content-Type: text/csv`, CSV with the documented header.
pub struct FeedBody {
    pub csv: bool,
    pub text: String,
}

impl<S: Send + Sync> FromRequest<S> for FeedBody {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let csv = match media_type(&req).as_deref() {
            Some("text/csv") => true,
            Some("application/ld+json" | "application/json" | "application/x-ndjson") => false,
            _ => {
                return Err(AppError::bad_request(
                    "content_type",
                    "Stuur de feed als 'application/ld+json', 'application/x-ndjson' of 'text/csv'. \
                     / Send the feed as JSON-LD, NDJSON or CSV.",
                ));
            }
        };
        let bytes = body_bytes(req, state).await?;
        let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
            AppError::bad_request(
                "bad_body",
                "De feed is geen UTF-8-tekst. / The feed is not UTF-8 text.",
            )
        })?;
        Ok(Self { csv, text })
    }
}

/// The body's media type, lowercase, without parameters.
fn media_type(req: &Request) -> Option<String> {
    req.headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
}

async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::bad_request("bad_body", rejection.body_text())
        }
    })
}

fn json_rejection(rejection: JsonRejection) -> AppError {
    match rejection {
        JsonRejection::JsonDataError(e) => match shape_errors::field_error::<serde_json::Error>(&e, "body") {
            Some(error) => AppError::Validation(vec![error]),
            None => AppError::invalid("body", "Deze inhoud klopt niet. / The body is not valid."),
        },
        JsonRejection::JsonSyntaxError(e) => {
            AppError::bad_request("malformed_json", shape_errors::malformed_json(&e))
        }
        JsonRejection::MissingJsonContentType(_) => AppError::bad_request(
            "content_type",
            "Stuur 'Content-Type: application/json'. / Send 'Content-Type: application/json'.",
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
        other => AppError::bad_request("bad_body", other.body_text()),
    }
}

/// Query string; a parameter we do not know, or a malformed string, is a 400.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(query_rejection(rejection)),
        }
    }
}

fn query_rejection(rejection: QueryRejection) -> AppError {
    let detail = shape_errors::field_error::<serde_urlencoded::de::Error>(&rejection, "query").map_or_else(
        || "Ongeldige zoekparameters. / Invalid query parameters.".to_string(),
        |error| {
            format!(
                "Zoekparameter / query parameter '{}': {}",
                error.field, error.message
            )
        },
    );
    AppError::bad_request("invalid_query", detail)
}

/// The caller behind a valid `Authorization: Bearer` token; 401 otherwise.
impl<S: Send + Sync> FromRequestParts<S> for Caller
where
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let token = bearer_token(&parts.headers)?;
        let owner = state
            .store
            .token_owner(&hash_token(token))
            .await?
            .ok_or(AppError::Unauthorized)?;
        Caller::from_owner(owner).ok_or(AppError::Unauthorized)
    }
}

/// The one bearer token of a request. Two `Authorization` headers are
/// ambiguous: refused rather than one of them picked.
pub fn bearer_token(headers: &HeaderMap) -> Result<&str, AppError> {
    let mut given = headers.get_all(axum::http::header::AUTHORIZATION).iter();
    let first = given.next();
    if given.next().is_some() {
        return Err(AppError::bad_request(
            "duplicate_authorization",
            "Stuur één Authorization-header, niet meer. / Send one Authorization header, not several.",
        ));
    }
    first
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 256)
        .ok_or(AppError::Unauthorized)
}
