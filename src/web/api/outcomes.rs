//! Thin handlers for outcomes.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::auth::Caller;
use crate::error::AppError;
use crate::outcomes::{OutcomeInput, OutcomeView, TrainingOutcomeInput, TrainingOutcomeView};
use crate::web::ApiJson;
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/outcomes", post(record))
        .route("/residents/{id}/outcomes", get(of_resident))
        .route("/training-outcomes", post(record_training))
        .route("/residents/{id}/training-outcomes", get(trainings_of_resident))
}

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

async fn of_resident(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<OutcomeView>>, AppError> {
    Ok(Json(crate::outcomes::of_resident(&state, &caller, &id).await?))
}

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

async fn trainings_of_resident(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<TrainingOutcomeView>>, AppError> {
    Ok(Json(
        crate::outcomes::trainings_of_resident(&state, &caller, &id).await?,
    ))
}
