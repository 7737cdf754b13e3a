//! Thin handlers: consent, "wie bekeek mijn profiel" and the export.

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::consent::{ConsentInput, ConsentView};
use crate::error::AppError;
use crate::export::{self, Export};
use crate::privacy::ViewView;
use crate::web::AppState;
use crate::web::{ApiJson, ApiQuery};

const MAX_VIEWS_PAGE: i64 = 500;

const TAG: &str = "privacy";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(consent, set_consent))
        .routes(routes!(views))
        .routes(routes!(export_own))
}

/// Whether employers may find a resident, with its history
#[utoipa::path(get, path = "/residents/{id}/consent", tag = TAG, params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = ConsentView)))]
async fn consent(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ConsentView>, AppError> {
    Ok(Json(crate::consent::get(&state, &caller, &id).await?))
}

/// Give or withdraw consent to be found by employers
///
/// A coach who turns it on confirms that the client agreed (`confirmed_with_resident`).
#[utoipa::path(put, path = "/residents/{id}/consent", tag = TAG, params(("id" = String, Path)),
    request_body = ConsentInput, security(("bearer" = [])), responses((status = 200, body = ConsentView)))]
async fn set_consent(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ConsentInput>,
) -> Result<Json<ConsentView>, AppError> {
    Ok(Json(crate::consent::set(&state, &caller, &id, input).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ViewsPage {
    /// The newest this many entries, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

/// Who looked at a profile ("wie bekeek mijn profiel")
///
/// Every reading of a profile by someone else, newest first; reading this list is logged too.
#[utoipa::path(get, path = "/residents/{id}/views", tag = TAG, params(("id" = String, Path), ViewsPage),
    security(("bearer" = [])), responses((status = 200, body = Vec<ViewView>)))]
async fn views(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(page): ApiQuery<ViewsPage>,
) -> Result<Json<Vec<ViewView>>, AppError> {
    let limit = page.limit.unwrap_or(100);
    if !(1..=MAX_VIEWS_PAGE).contains(&limit) {
        return Err(AppError::bad_request(
            "invalid_number",
            format!("limit is 1 tot {MAX_VIEWS_PAGE}. / limit must be 1 to {MAX_VIEWS_PAGE}."),
        ));
    }
    Ok(Json(crate::residents::views(&state, &caller, &id, limit).await?))
}

/// Everything Banenlift holds about the caller
///
/// The account, and for a jobseeker the profile with what was derived from it (AVG art. 15 and 20).
#[utoipa::path(get, path = "/me/export", tag = TAG, security(("bearer" = [])),
    responses((status = 200, body = Export)))]
async fn export_own(State(state): State<AppState>, caller: Caller) -> Result<Json<Export>, AppError> {
    Ok(Json(export::export(&state, &caller).await?))
}
