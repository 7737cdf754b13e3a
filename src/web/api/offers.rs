//! Thin handlers for `/api/v1/vacancies` and `/api/v1/trainings`: written
//! once, for either kind of offer.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::Caller;
use crate::error::AppError;
use crate::offers::query::{SearchResponse, search};
use crate::offers::{self, Offer};
use crate::storage::{TrainingRow, VacancyRow};
use crate::web::params::{SearchParams, search_request};
use crate::web::{ApiJson, ApiQuery, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(routes_of::<VacancyRow>("/vacancies"))
        .merge(routes_of::<TrainingRow>("/trainings"))
}

/// The five routes of one kind of offer under `base`.
fn routes_of<O>(base: &str) -> Router<AppState>
where
    O: Offer + Send + Sync + 'static,
    O::Input: DeserializeOwned + Send + 'static,
    O::View: Serialize + Send,
{
    Router::new()
        .route(base, get(search_offers::<O>).post(create::<O>))
        .route(
            &format!("{base}/{{id}}"),
            get(show::<O>).put(update::<O>).delete(close::<O>),
        )
}

async fn search_offers<O: Offer>(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<SearchResponse>, AppError> {
    let request = search_request(&state.geo, O::KIND, &params)?;
    Ok(Json(search(&state, O::KIND, request).await?))
}

async fn show<O: Offer>(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<O::View>, AppError> {
    Ok(Json(offers::get::<O>(&state, &id).await?))
}

async fn create<O: Offer>(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<O::Input>,
) -> Result<impl IntoResponse, AppError>
where
    O::Input: DeserializeOwned,
    O::View: Serialize,
{
    Ok((
        StatusCode::CREATED,
        Json(offers::create::<O>(&state, &caller, input).await?),
    ))
}

async fn update<O: Offer>(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<O::Input>,
) -> Result<Json<O::View>, AppError>
where
    O::Input: DeserializeOwned,
{
    Ok(Json(offers::update::<O>(&state, &caller, &id, input).await?))
}

async fn close<O: Offer>(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    offers::close::<O>(&state, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
