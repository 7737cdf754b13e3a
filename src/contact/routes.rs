//! Thin handlers for contact requests.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use axum::{Json, Router};

use super::{ContactAnswerInput, ContactRequestInput, ContactRequestView};
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::AppError;
use crate::web::ApiJson;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/contact-requests", post(request))
        .route("/contact-requests/{id}", put(answer))
        .route("/residents/{id}/contact-requests", get(list))
}

async fn request(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ContactRequestInput>,
) -> Result<impl IntoResponse, AppError> {
    Ok((
        StatusCode::CREATED,
        Json(super::request(&state, &caller, input).await?),
    ))
}

async fn answer(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ContactAnswerInput>,
) -> Result<Json<ContactRequestView>, AppError> {
    Ok(Json(super::answer(&state, &caller, &id, input).await?))
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<ContactRequestView>>, AppError> {
    Ok(Json(super::list(&state, &caller, &id).await?))
}
