//! Thin handlers for `/api/v1/residents`, matches and candidates.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use crate::auth::Caller;
use crate::error::AppError;
use crate::residents::matches::{CandidatesResponse, MatchesResponse};
use crate::residents::profile::{ResidentInput, ResidentView};
use crate::web::AppState;
use crate::web::params::MatchParams;
use crate::web::{ApiJson, ApiQuery};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/residents", get(list).post(create))
        .route("/residents/{id}", get(one).put(update).delete(erase))
        .route("/residents/{id}/matches", get(matches))
        .route("/vacancies/{id}/candidates", get(candidates))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Page {
    limit: Option<i64>,
    offset: Option<i64>,
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Json<Vec<ResidentView>>, AppError> {
    Ok(Json(
        crate::residents::list(
            &state,
            &caller,
            page.limit.unwrap_or(50),
            page.offset.unwrap_or(0),
        )
        .await?,
    ))
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ResidentInput>,
) -> Result<impl IntoResponse, AppError> {
    Ok((
        StatusCode::CREATED,
        Json(crate::residents::create(&state, &caller, input).await?),
    ))
}

async fn one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ResidentView>, AppError> {
    Ok(Json(crate::residents::get(&state, &caller, &id).await?))
}

async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ResidentInput>,
) -> Result<Json<ResidentView>, AppError> {
    Ok(Json(crate::residents::update(&state, &caller, &id, input).await?))
}

async fn erase(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    crate::residents::delete(&state, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn matches(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<MatchParams>,
) -> Result<Json<MatchesResponse>, AppError> {
    Ok(Json(
        crate::residents::matches::matches(&state, &caller, &id, params.match_options()?).await?,
    ))
}

async fn candidates(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<MatchParams>,
) -> Result<Json<CandidatesResponse>, AppError> {
    Ok(Json(
        crate::residents::matches::candidates(&state, &caller, &id, params.candidate_limit()?).await?,
    ))
}
