//! `GET /api/v1/skills?q=`: typo-tolerant skill suggestions.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::AppError;
use crate::skills::Suggestion;
use crate::web::ApiQuery;
use crate::web::AppState;

const DEFAULT_LIMIT: usize = 10;
const MAX_LIMIT: usize = 50;
const MAX_QUERY_CHARS: usize = 100;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(suggest))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct SuggestParams {
    /// What was typed so far; typos are forgiven. At most 100 characters.
    #[param(max_length = 100, example = "heftruk")]
    q: Option<String>,
    /// Suggestions at most, 1 to 50 (default 10).
    #[param(minimum = 1, maximum = 50)]
    limit: Option<usize>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct SuggestResponse {
    suggestions: Vec<Suggestion>,
}

/// Skill names for what was typed
///
/// Typo-tolerant suggestions from the skills vocabulary (ESCO), with how each was matched.
#[utoipa::path(get, path = "/skills", tag = "skills", params(SuggestParams),
    responses((status = 200, body = SuggestResponse)))]
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
