//! `/api/v1/wijken`: Den Haag's 44 wijken.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::error::AppError;
use crate::geo::Wijk;
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/wijken", get(list))
        .route("/wijken/{code}", get(one))
}

#[derive(Serialize)]
struct WijkenResponse<'a> {
    total: usize,
    wijken: &'a [Wijk],
}

async fn list(State(state): State<AppState>) -> Json<serde_json::Value> {
    let wijken = state.geo.wijken();
    Json(serde_json::json!(WijkenResponse {
        total: wijken.len(),
        wijken
    }))
}

async fn one(State(state): State<AppState>, Path(code): Path<String>) -> Result<Json<Wijk>, AppError> {
    state.geo.find_wijk(&code).cloned().map(Json).ok_or_else(|| {
        AppError::NotFound(format!(
            "Onbekende wijk '{}'. / Unknown wijk.",
            code.chars().take(64).collect::<String>()
        ))
    })
}
