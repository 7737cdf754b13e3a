//! Thin handlers for `/api/v1/imports`: a vacancy or training feed loaded
//! over the API (`crate::offers::import_runs`), and its status while and
//! after it runs.

use axum::Json;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::AppError;
use crate::offers::import::FeedOf;
use crate::offers::import_runs::{self, ImportRequest, ImportView};
use crate::web::params::{flag, present};
use crate::web::{ApiQuery, AppState, FeedBody};

const TAG: &str = "vacancies";
/// A feed is larger than any other body: 64 MiB holds some 30,000
/// postings. Larger feeds are split, or loaded with `banenlift import`.
pub const MAX_FEED_BYTES: usize = 64 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start))
        .layer(DefaultBodyLimit::max(MAX_FEED_BYTES))
        .routes(routes!(status))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// What the feed holds: `vacancies` (JobPostings, the default) or `trainings` (Courses).
    #[param(value_type = Option<FeedOf>)]
    pub kind: Option<String>,
    /// The organisation to load into: required for an admin; an employer or provider loads into its own.
    pub organisation_id: Option<String>,
    /// The feed's name, when an organisation sends more than one (default: the organisation's id).
    #[param(max_length = 100)]
    pub source: Option<String>,
    /// Close this source's offers that are missing from the feed (`true`/`false`).
    #[param(value_type = Option<bool>)]
    pub close_missing: Option<String>,
}

/// Load a vacancy or training feed
///
/// Vacancies for an employer (its own organisation), trainings (`kind=trainings`) for a provider, or
/// either for an admin (who names `organisation_id`). The body is a JSON-LD array or NDJSON of
/// schema.org JobPostings (or Courses), or CSV with the header in the README, at most 64 MiB. It
/// runs as `banenlift import vacancies` (or `trainings`) does: upsert by `(source, identifier)`, a
/// past end date closes. The answer (202) is the run as it starts; follow `Location` for its status.
#[utoipa::path(post, path = "/imports", tag = TAG, params(ImportParams),
    request_body(description = "The feed", content(
        (Vec<crate::offers::jobposting::JobPosting> = "application/ld+json"),
        (String = "text/csv"),
    )),
    security(("bearer" = [])),
    responses((status = 202, description = "Started", body = ImportView,
        headers(("Location" = String, description = "The status resource")))))]
async fn start(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<ImportParams>,
    body: FeedBody,
) -> Result<impl IntoResponse, AppError> {
    let kind = match present(params.kind.as_deref()) {
        None => FeedOf::Vacancies,
        Some(kind) => FeedOf::parse(kind).ok_or_else(|| {
            AppError::bad_request(
                "invalid_query",
                "Kies bij kind 'vacancies' of 'trainings'. / kind is 'vacancies' or 'trainings'.",
            )
        })?,
    };
    let request = ImportRequest {
        kind,
        organisation_id: params.organisation_id,
        source: params.source,
        close_missing: flag(params.close_missing.as_deref(), "close_missing")?.unwrap_or(false),
        csv: body.csv,
        body: body.text,
    };
    let run = import_runs::start(&state, &caller, request).await?;
    let location = format!("/api/v1/imports/{}", run.id);
    Ok((StatusCode::ACCEPTED, [(header::LOCATION, location)], Json(run)))
}

/// The status of a feed import
///
/// For the employer or provider of its organisation, or an admin: `running` with how many entries were read,
/// then `done` with the summary and the rejected postings' lines and reasons; `failed` or
/// `interrupted` (the server restarted) means: post the feed again, which ends in the same state.
#[utoipa::path(get, path = "/imports/{id}", tag = TAG, params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = ImportView)))]
async fn status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ImportView>, AppError> {
    Ok(Json(import_runs::get(&state, &caller, &id).await?))
}
