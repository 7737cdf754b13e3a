//! Thin handlers for outcomes.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::AppError;
use crate::outcomes::{OutcomeInput, OutcomeView, TrainingOutcomeInput, TrainingOutcomeView};
use crate::web::ApiJson;
use crate::web::AppState;

const TAG: &str = "outcomes";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(record))
        .routes(routes!(of_resident))
        .routes(routes!(record_training))
        .routes(routes!(trainings_of_resident))
}

/// Record what became of a match
///
/// An application, interview or hire, by the coach, the employer of the vacancy (for a candidate it
/// saw), or the jobseeker (only that they applied). The lift report counts these.
#[utoipa::path(post, path = "/outcomes", tag = TAG, request_body = OutcomeInput,
    security(("bearer" = [])), responses((status = 201, description = "Recorded", body = OutcomeView)))]
async fn record(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<OutcomeInput>,
) -> Result<impl IntoResponse, AppError> {
    Ok((
        StatusCode::CREATED,
        Json(crate::outcomes::record(&state, &caller, input).await?),
    ))
}

/// The outcomes of one resident
#[utoipa::path(get, path = "/residents/{id}/outcomes", tag = TAG, params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = Vec<OutcomeView>)))]
async fn of_resident(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<OutcomeView>>, AppError> {
    Ok(Json(crate::outcomes::of_resident(&state, &caller, &id).await?))
}

/// Record a step in a training
///
/// Signed up, started, completed or stopped, by the coach, or by the jobseeker (only that they signed up).
#[utoipa::path(post, path = "/training-outcomes", tag = TAG, request_body = TrainingOutcomeInput,
    security(("bearer" = [])), responses((status = 201, description = "Recorded", body = TrainingOutcomeView)))]
async fn record_training(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<TrainingOutcomeInput>,
) -> Result<impl IntoResponse, AppError> {
    Ok((
        StatusCode::CREATED,
        Json(crate::outcomes::record_training(&state, &caller, input).await?),
    ))
}

/// The training steps of one resident
#[utoipa::path(get, path = "/residents/{id}/training-outcomes", tag = TAG, params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = Vec<TrainingOutcomeView>)))]
async fn trainings_of_resident(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<TrainingOutcomeView>>, AppError> {
    Ok(Json(
        crate::outcomes::trainings_of_resident(&state, &caller, &id).await?,
    ))
}
