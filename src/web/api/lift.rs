//! Thin handlers for the lift report.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::AppError;
use crate::lift::export::CsvDialect;
use crate::lift::{LiftParams, LiftReport, ReportRequest, Trend};
use crate::web::ApiQuery;
use crate::web::AppState;
use crate::web::problem::Problem;

const TAG: &str = "lift";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(report))
        .routes(routes!(trend))
}

/// The lift report: does work reach the wijken that need it?
///
/// Per wijk or stadsdeel, for a period: registered and active residents, residents with a good
/// match, proposals, applications, interviews, hires, training routes, and open vacancies within
/// 5 km and 30 minutes. Counts of persons are rounded to fives and below 5 suppressed.
/// For analysts and admins. `format=csv` (or `excel`, with semicolons) downloads it as CSV.
#[utoipa::path(get, path = "/lift", tag = TAG,
    params(
        ("from" = Option<String>, Query, pattern = r"^(\d{4}-\d{2}-\d{2})?$",
            description = "First day, YYYY-MM-DD (default, or empty: a year ago)"),
        ("to" = Option<String>, Query, pattern = r"^(\d{4}-\d{2}-\d{2})?$",
            description = "Last day, YYYY-MM-DD (default, or empty: today)"),
        ("level" = Option<String>, Query, description = "`wijk` (default) or `stadsdeel`"),
        ("threshold" = Option<f64>, Query, minimum = 1, maximum = 100,
            description = "The score from which a resident counts as matched (default 60)"),
        ("format" = Option<String>, Query, description = "`json` (default), `csv` or `excel`"),
    ),
    security(("bearer" = [])),
    responses((status = 200, content(
        (LiftReport = "application/json"),
        (String = "text/csv"),
    )),
    (status = 422, description = "A date, level, threshold or format that is wrong (see `errors`)",
        body = Problem, content_type = "application/problem+json")))]
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

/// Twelve months of one wijk's figures, beside the city's average
#[utoipa::path(get, path = "/lift/wijken/{code}/trend", tag = TAG,
    params(("code" = String, Path, example = "WK051829")), security(("bearer" = [])),
    responses((status = 200, body = Trend)))]
async fn trend(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<Json<Trend>, AppError> {
    Ok(Json(crate::lift::trend(&state, &caller, &code).await?))
}
