//! Thin handlers for contact requests.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::contact::{ContactAnswerInput, ContactRequestInput, ContactRequestView};
use crate::error::AppError;
use crate::web::ApiJson;
use crate::web::AppState;
use crate::web::problem::Problem;

const TAG: &str = "contact";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request))
        .routes(routes!(answer))
        .routes(routes!(list))
}

/// Ask a candidate for contact
///
/// An employer asks a candidate who consented, about one of its own vacancies. The jobseeker
/// decides; only then does the employer see how to reach them.
#[utoipa::path(post, path = "/contact-requests", tag = TAG, request_body = ContactRequestInput,
    security(("bearer" = [])), responses(
        (status = 201, description = "Asked", body = ContactRequestView),
        (status = 404, description = "No such vacancy or candidate, or none the caller may see",
            body = Problem, content_type = "application/problem+json"),
    ))]
async fn request(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ContactRequestInput>,
) -> Result<impl IntoResponse, AppError> {
    Ok((
        StatusCode::CREATED,
        Json(crate::contact::request(&state, &caller, input).await?),
    ))
}

/// Answer a contact request
///
/// The jobseeker (or their coach) accepts or declines, and on accepting chooses how the employer may
/// reach them.
#[utoipa::path(put, path = "/contact-requests/{id}", tag = TAG, params(("id" = String, Path)),
    request_body = ContactAnswerInput, security(("bearer" = [])),
    responses((status = 200, body = ContactRequestView)))]
async fn answer(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ContactAnswerInput>,
) -> Result<Json<ContactRequestView>, AppError> {
    Ok(Json(crate::contact::answer(&state, &caller, &id, input).await?))
}

/// The contact requests to one resident
#[utoipa::path(get, path = "/residents/{id}/contact-requests", tag = TAG, params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = Vec<ContactRequestView>)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<ContactRequestView>>, AppError> {
    Ok(Json(crate::contact::list(&state, &caller, &id).await?))
}
