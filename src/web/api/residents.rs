//! Thin handlers for `/api/v1/residents`, matches and candidates.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::AppError;
use crate::residents::matches::{CandidatesResponse, MatchesResponse};
use crate::residents::profile::{ResidentInput, ResidentView};
use crate::web::AppState;
use crate::web::params::MatchParams;
use crate::web::{ApiJson, ApiQuery};

const TAG: &str = "residents";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(one, update, erase))
        .routes(routes!(matches))
        .routes(routes!(candidates))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct Page {
    /// Profiles per page, 1 to 100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<i64>,
    /// Profiles to skip, at most 100,000.
    #[param(minimum = 0, maximum = 100000)]
    offset: Option<i64>,
}

/// The profiles the caller may see
///
/// For coaches (their own caseload) and jobseekers (their own profile) only.
#[utoipa::path(get, path = "/residents", tag = TAG, params(Page), security(("bearer" = [])),
    responses((status = 200, body = Vec<ResidentView>)))]
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

/// Make a profile
///
/// By a coach for a client (who must agree first), or by a jobseeker for themselves.
#[utoipa::path(post, path = "/residents", tag = TAG, request_body = ResidentInput,
    security(("bearer" = [])), responses((status = 201, description = "Created", body = ResidentView)))]
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

/// One profile
///
/// Reading it is written in the profile's views log.
#[utoipa::path(get, path = "/residents/{id}", tag = TAG, params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = ResidentView)))]
async fn one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ResidentView>, AppError> {
    Ok(Json(crate::residents::get(&state, &caller, &id).await?))
}

/// Change a profile
///
/// The whole profile is sent again.
#[utoipa::path(put, path = "/residents/{id}", tag = TAG, params(("id" = String, Path)),
    request_body = ResidentInput, security(("bearer" = [])),
    responses((status = 200, body = ResidentView)))]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ResidentInput>,
) -> Result<Json<ResidentView>, AppError> {
    Ok(Json(crate::residents::update(&state, &caller, &id, input).await?))
}

/// Erase a profile
///
/// Removes the profile and everything hanging off it, in the database and the index (AVG art. 17).
#[utoipa::path(delete, path = "/residents/{id}", tag = TAG, params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 204, description = "Erased")))]
async fn erase(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    crate::residents::delete(&state, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Vacancies that fit a profile, explained
///
/// Each match shows the parts of its score (skills, distance, social lift), the skills that are
/// missing and the training routes that teach them.
#[utoipa::path(get, path = "/residents/{id}/matches", tag = TAG,
    params(("id" = String, Path), MatchParams), security(("bearer" = [])),
    responses((status = 200, body = MatchesResponse)))]
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

/// Residents who fit a vacancy
///
/// For its employer only those who consented, by first name; for a coach the own clients.
/// Every candidate shown is logged. `relaxed` does not apply here.
#[utoipa::path(get, path = "/vacancies/{id}/candidates", tag = "vacancies",
    params(("id" = String, Path), MatchParams), security(("bearer" = [])),
    responses((status = 200, body = CandidatesResponse)))]
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
