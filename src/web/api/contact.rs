//! Thin handlers for contact requests.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use axum::{Json, Router};

use crate::auth::Caller;
use crate::contact::{ContactAnswerInput, ContactRequestInput, ContactRequestView};
use crate::error::AppError;
use crate::web::ApiJson;
use crate::web::AppState;

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
        Json(crate::contact::request(&state, &caller, input).await?),
    ))
}

async fn answer(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ContactAnswerInput>,
) -> Result<Json<ContactRequestView>, AppError> {
    Ok(Json(crate::contact::answer(&state, &caller, &id, input).await?))
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<ContactRequestView>>, AppError> {
    Ok(Json(crate::contact::list(&state, &caller, &id).await?))
}
