//! Thin handlers for outcomes.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};

use super::{OutcomeInput, OutcomeView};
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::AppError;
use crate::web::ApiJson;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/outcomes", post(record))
        .route("/residents/{id}/outcomes", get(of_resident))
}

async fn record(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<OutcomeInput>,
) -> Result<impl IntoResponse, AppError> {
    Ok((
        StatusCode::CREATED,
        Json(super::record(&state, &caller, input).await?),
    ))
}

async fn of_resident(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<OutcomeView>>, AppError> {
    Ok(Json(super::of_resident(&state, &caller, &id).await?))
}
