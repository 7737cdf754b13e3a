//! `GET /api/v1/skills?q=`: typo-tolerant skill suggestions.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::skills::Suggestion;
use crate::web::ApiQuery;
use crate::web::AppState;

const DEFAULT_LIMIT: usize = 10;
const MAX_LIMIT: usize = 50;
const MAX_QUERY_CHARS: usize = 100;

pub fn router() -> Router<AppState> {
    Router::new().route("/skills", get(suggest))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuggestParams {
    q: Option<String>,
    limit: Option<usize>,
}

#[derive(Serialize)]
struct SuggestResponse {
    suggestions: Vec<Suggestion>,
}

async fn suggest(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SuggestParams>,
) -> Result<Json<SuggestResponse>, AppError> {
    let q = params.q.unwrap_or_default();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::bad_request(
            "query_too_long",
            format!("Hoogstens {MAX_QUERY_CHARS} tekens. / At most {MAX_QUERY_CHARS} characters."),
        ));
    }
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::bad_request(
            "invalid_number",
            format!("limit is 1 tot {MAX_LIMIT}. / limit must be 1 to {MAX_LIMIT}."),
        ));
    }
    Ok(Json(SuggestResponse {
        suggestions: state.vocabulary.suggest(&q, limit),
    }))
}
