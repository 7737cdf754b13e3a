//! Thin handlers for the lift report.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::auth::Caller;
use crate::error::AppError;
use crate::lift::export::CsvDialect;
use crate::lift::{LiftParams, ReportRequest, Trend};
use crate::web::ApiQuery;
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lift", get(report))
        .route("/lift/wijken/{code}/trend", get(trend))
}

async fn report(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<LiftParams>,
) -> Result<Response, AppError> {
    let csv = match params.format.as_deref().map(str::trim) {
        None | Some("") | Some("json") => None,
        Some(format) => Some(CsvDialect::from_format(format).ok_or_else(|| {
            AppError::invalid("format", "Kies json, csv of excel. / Choose json, csv or excel.")
        })?),
    };
    let request = ReportRequest::parse(&params)?;
    let report = crate::lift::report(&state, &caller, request).await?;
    let Some(dialect) = csv else {
        return Ok(Json(report).into_response());
    };
    let body = crate::lift::export::to_csv(&report, dialect).map_err(|e| AppError::Internal(e.into()))?;
    Ok(csv_response(body, &report.from, &report.to, dialect))
}

/// A CSV download named after its period.
pub fn csv_response(body: String, from: &str, to: &str, dialect: CsvDialect) -> Response {
    let suffix = if dialect == CsvDialect::DutchExcel {
        "-excel"
    } else {
        ""
    };
    let disposition = format!("attachment; filename=\"liftrapport-{from}-{to}{suffix}.csv\"");
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

async fn trend(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<Json<Trend>, AppError> {
    Ok(Json(crate::lift::trend(&state, &caller, &code).await?))
}
