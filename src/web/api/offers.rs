//! Thin handlers for `/api/v1/vacancies` and `/api/v1/trainings`.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::auth::Caller;
use crate::error::AppError;
use crate::offers::query::{SearchParams, SearchResponse, search};
use crate::offers::training::{TrainingInput, TrainingView};
use crate::offers::vacancy::{VacancyInput, VacancyView};
use crate::search::OfferKind;
use crate::web::AppState;
use crate::web::{ApiJson, ApiQuery};
use axum::Json;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/vacancies", get(search_vacancies).post(create_vacancy))
        .route(
            "/vacancies/{id}",
            get(get_vacancy).put(update_vacancy).delete(close_vacancy),
        )
        .route("/trainings", get(search_trainings).post(create_training))
        .route(
            "/trainings/{id}",
            get(get_training).put(update_training).delete(close_training),
        )
}

async fn search_vacancies(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<SearchResponse>, AppError> {
    Ok(Json(search(&state, OfferKind::Vacancy, params).await?))
}

async fn search_trainings(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<SearchResponse>, AppError> {
    Ok(Json(search(&state, OfferKind::Training, params).await?))
}

async fn get_vacancy(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<VacancyView>, AppError> {
    Ok(Json(crate::offers::get_vacancy(&state, &id).await?))
}

async fn create_vacancy(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<VacancyInput>,
) -> Result<impl IntoResponse, AppError> {
    Ok((
        StatusCode::CREATED,
        Json(crate::offers::create_vacancy(&state, &caller, input).await?),
    ))
}

async fn update_vacancy(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<VacancyInput>,
) -> Result<Json<VacancyView>, AppError> {
    Ok(Json(
        crate::offers::update_vacancy(&state, &caller, &id, input).await?,
    ))
}

async fn close_vacancy(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    crate::offers::close_vacancy(&state, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn get_training(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<TrainingView>, AppError> {
    Ok(Json(crate::offers::get_training(&state, &id).await?))
}

async fn create_training(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<TrainingInput>,
) -> Result<impl IntoResponse, AppError> {
    Ok((
        StatusCode::CREATED,
        Json(crate::offers::create_training(&state, &caller, input).await?),
    ))
}

async fn update_training(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TrainingInput>,
) -> Result<Json<TrainingView>, AppError> {
    Ok(Json(
        crate::offers::update_training(&state, &caller, &id, input).await?,
    ))
}

async fn close_training(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    crate::offers::close_training(&state, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
