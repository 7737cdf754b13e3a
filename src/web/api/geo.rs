//! `/api/v1/wijken`: Den Haag's 44 wijken.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::AppError;
use crate::geo::Wijk;
use crate::web::AppState;

const TAG: &str = "wijken";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(one))
}

#[derive(Serialize, utoipa::ToSchema)]
struct WijkenResponse<'a> {
    total: usize,
    wijken: &'a [Wijk],
}

/// Den Haag's 44 wijken
///
/// With their codes, stadsdeel and centre point: the places search and matching measure from.
#[utoipa::path(get, path = "/wijken", tag = TAG, responses((status = 200, body = WijkenResponse)))]
async fn list(State(state): State<AppState>) -> Json<serde_json::Value> {
    let wijken = state.geo.wijken();
    Json(serde_json::json!(WijkenResponse {
        total: wijken.len(),
        wijken
    }))
}

/// One wijk, by code or name
#[utoipa::path(get, path = "/wijken/{code}", tag = TAG, params(("code" = String, Path, example = "WK051829")),
    responses((status = 200, body = Wijk)))]
async fn one(State(state): State<AppState>, Path(code): Path<String>) -> Result<Json<Wijk>, AppError> {
    state.geo.find_wijk(&code).cloned().map(Json).ok_or_else(|| {
        AppError::NotFound(format!(
            "Onbekende wijk '{}'. / Unknown wijk.",
            code.chars().take(64).collect::<String>()
        ))
    })
}
