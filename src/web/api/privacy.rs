//! Thin handlers: consent, "wie bekeek mijn profiel" and the export.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use crate::auth::Caller;
use crate::consent::{ConsentInput, ConsentView};
use crate::error::AppError;
use crate::export::{self, Export};
use crate::privacy::ViewView;
use crate::web::AppState;
use crate::web::{ApiJson, ApiQuery};

const MAX_VIEWS_PAGE: i64 = 500;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/residents/{id}/consent", get(consent).put(set_consent))
        .route("/residents/{id}/views", get(views))
        .route("/me/export", get(export_own))
}

async fn consent(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ConsentView>, AppError> {
    Ok(Json(crate::consent::get(&state, &caller, &id).await?))
}

async fn set_consent(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ConsentInput>,
) -> Result<Json<ConsentView>, AppError> {
    Ok(Json(crate::consent::set(&state, &caller, &id, input).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ViewsPage {
    limit: Option<i64>,
}

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

async fn export_own(State(state): State<AppState>, caller: Caller) -> Result<Json<Export>, AppError> {
    Ok(Json(export::export(&state, &caller).await?))
}
