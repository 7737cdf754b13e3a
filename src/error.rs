//! The one error type of the service and HTTP layer: its status, stable
//! code, title and detail. The web layer renders it as
//! `application/problem+json` (RFC 9457); internal causes are logged there,
//! never shown.

use http::StatusCode;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("bad request: {detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("authentication required")]
    Unauthorized,
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("conflict: {0}")]
    Conflict(String),
    /// What was once there is no longer kept, such as an expired cursor.
    #[error("gone: {0}")]
    Gone(String),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("invalid fields")]
    Validation(Vec<FieldError>),
    /// An `Idempotency-Key` sent again with a different request.
    #[error("idempotency key reused for another request")]
    IdempotencyKeyReused,
    /// An `Idempotency-Key` whose first request has no answer (yet).
    #[error("idempotency key not answered")]
    IdempotencyKeyUnanswered,
    /// What the HTTP layer answers by itself (a wrong method, a timeout, an
    /// oversized head), put into our shape.
    #[error("http: {0}")]
    Http(StatusCode),
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            detail: detail.into(),
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError {
            field: field.to_string(),
            message: message.into(),
        }])
    }

    /// A "not found" from a step below, told as the route's own not-found:
    /// "not yours" and "not there" must read the same on every route.
    pub fn hidden_as(self, not_found: impl FnOnce() -> AppError) -> AppError {
        match self {
            Self::NotFound(_) => not_found(),
            other => other,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Gone(_) => StatusCode::GONE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            Self::IdempotencyKeyUnanswered => StatusCode::CONFLICT,
            Self::Http(status) => *status,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Stable machine code and a bilingual title.
    pub fn code_and_title(&self) -> (&'static str, &'static str) {
        match self {
            Self::BadRequest { code, .. } => (code, "Ongeldige aanvraag / Bad request"),
            Self::Unauthorized => ("unauthorized", "Inloggen nodig / Authentication required"),
            Self::Forbidden(_) => ("forbidden", "Geen toegang / Forbidden"),
            Self::NotFound(_) => ("not_found", "Niet gevonden / Not found"),
            Self::Conflict(_) => ("conflict", "Conflict"),
            Self::Gone(_) => ("gone", "Niet meer beschikbaar / Gone"),
            Self::PayloadTooLarge => ("payload_too_large", "Te groot / Payload too large"),
            Self::Validation(_) => ("validation_failed", "Ongeldige velden / Invalid fields"),
            Self::IdempotencyKeyReused => (
                "idempotency_key_reused",
                "Sleutel al gebruikt / Idempotency key reused",
            ),
            Self::IdempotencyKeyUnanswered => (
                "idempotency_key_unanswered",
                "Nog geen antwoord / Idempotency key not answered",
            ),
            Self::Http(status) => http_code_and_title(*status),
            Self::Internal(_) => ("internal", "Interne fout / Internal error"),
        }
    }

    pub fn detail(&self) -> String {
        match self {
            Self::BadRequest { detail, .. } => detail.clone(),
            Self::Unauthorized => {
                "Stuur een geldige API-token mee als 'Authorization: Bearer …'. / Send a valid bearer token."
                    .into()
            }
            Self::Forbidden(d) | Self::NotFound(d) | Self::Conflict(d) | Self::Gone(d) => d.clone(),
            Self::PayloadTooLarge => {
                "De aanvraag is groter dan toegestaan (1 MiB). / The body exceeds 1 MiB.".into()
            }
            Self::Validation(errors) => format!(
                "{} veld(en) kloppen niet; zie 'errors'. / {} field(s) are invalid; see 'errors'.",
                errors.len(),
                errors.len()
            ),
            Self::IdempotencyKeyReused => "Deze Idempotency-Key hoort bij een andere aanvraag. Gebruik een nieuwe sleutel voor een nieuwe aanvraag. / This Idempotency-Key belongs to a different request; use a new key.".into(),
            Self::IdempotencyKeyUnanswered => "De eerste aanvraag met deze Idempotency-Key is nog bezig of werd afgebroken. Wacht even en probeer het opnieuw; kijk bij twijfel eerst of het al bestaat. / The first request with this key is still running or was cut off; retry shortly, or check whether it exists.".into(),
            Self::Http(status) => http_detail(*status).into(),
            Self::Internal(_) => "Er ging iets mis aan onze kant. / Something went wrong on our side.".into(),
        }
    }
}

fn http_code_and_title(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => ("bad_request", "Ongeldige aanvraag / Bad request"),
        404 => ("not_found", "Niet gevonden / Not found"),
        405 => (
            "method_not_allowed",
            "Methode niet toegestaan / Method not allowed",
        ),
        408 => ("request_timeout", "Te lang gewacht / Request timeout"),
        413 => ("payload_too_large", "Te groot / Payload too large"),
        414 => ("uri_too_long", "Adres te lang / URI too long"),
        415 => (
            "unsupported_media_type",
            "Onbekend formaat / Unsupported media type",
        ),
        431 => (
            "headers_too_large",
            "Kopregels te groot / Request headers too large",
        ),
        500..=599 => ("internal", "Interne fout / Internal error"),
        _ => ("http_error", "Ongeldige aanvraag / Bad request"),
    }
}

fn http_detail(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => {
            "De aanvraag klopt niet, bijvoorbeeld een adres met ongeldige tekens. / The request is malformed."
        }
        404 => "Dit adres bestaat niet. / No such address.",
        405 => {
            "Dit adres kent deze methode niet; de header 'Allow' noemt de methoden die wel kunnen. / Method not allowed; see the Allow header."
        }
        408 => "Het antwoord duurde te lang. Probeer het later nog eens. / The request took too long.",
        413 => "De aanvraag is groter dan toegestaan (1 MiB). / The body exceeds 1 MiB.",
        414 => "Het adres is te lang (hoogstens 8 KiB). / The URI is longer than 8 KiB.",
        415 => "Stuur de gegevens als JSON of als formulier. / Send JSON or a form.",
        431 => {
            "De kopregels zijn te groot (hoogstens 100 regels, 32 KiB). / The request headers exceed 100 lines or 32 KiB."
        }
        500..=599 => "Er ging iets mis aan onze kant. / Something went wrong on our side.",
        _ => "Deze aanvraag kan niet worden beantwoord. / This request cannot be answered.",
    }
}
