//! Thin handler for the change feed of vacancies (`crate::offers::feed`):
//! a schema.org `DataFeed` of `JobPosting`s, with the next page as `next`
//! and as a `Link` header.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dates::rfc3339;
use crate::error::AppError;
use crate::offers::feed::{self, Cursor, FeedItem, FeedPage, FeedStart};
use crate::web::params::number;
use crate::web::{ApiQuery, AppState};

const TAG: &str = "vacancies";
const PATH: &str = "/api/v1/feeds/vacancies";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(vacancy_feed))
}

/// Query-string parameters, as text so that each mistake gets a clear message.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedParams {
    /// The first time: vacancies changed at or after this moment, as RFC 3339
    /// (`2026-12-01T06:00:00Z`) or a date (`2026-12-01`, midnight UTC). Without it
    /// and without `cursor`, the feed starts with every vacancy.
    #[param(example = "2026-12-01T06:00:00Z")]
    pub updated_since: Option<String>,
    /// The `next` cursor of the last page, to go on from there.
    #[param(max_length = 200)]
    pub cursor: Option<String>,
    /// Items per page, 1 to 500 (default 100).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
}

/// A page of the feed (schema.org `DataFeed`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VacancyFeed {
    #[serde(rename = "@context")]
    #[schema(example = "https://schema.org/")]
    context: &'static str,
    #[serde(rename = "@type")]
    #[schema(example = "DataFeed")]
    kind: &'static str,
    /// When this page was read.
    #[serde(rename = "dateModified")]
    date_modified: String,
    /// The vacancies changed since the cursor, each as it is now, in the order they changed.
    #[serde(rename = "dataFeedElement")]
    elements: Vec<VacancyFeedItem>,
    /// The cursor after this page.
    cursor: String,
    /// The same feed after this page: read it next, or again later once `caught_up`.
    next: String,
    /// No more changes right now.
    caught_up: bool,
}

/// One vacancy in the feed (schema.org `DataFeedItem`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VacancyFeedItem {
    #[serde(rename = "@type")]
    #[schema(example = "DataFeedItem")]
    kind: &'static str,
    /// Banenlift's id of the vacancy, the same as the JobPosting's identifier.
    id: String,
    status: FeedStatus,
    /// When the vacancy last changed.
    #[serde(rename = "dateModified")]
    date_modified: String,
    /// The vacancy as a JobPosting; a closed one has its closing day as `validThrough`.
    #[schema(value_type = crate::offers::jobposting::JobPosting)]
    item: Value,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FeedStatus {
    Open,
    Closed,
}

/// Changes to vacancies, for systems that keep a copy
///
/// Public. Every vacancy changed since `updated_since` (or all, without it), then every later
/// change, as schema.org JobPostings in pages. Store each item by `id`, in page order, then follow
/// `next`; once `caught_up`, ask `next` again later. A change can come twice, never not at all.
/// A cursor older than a week is refused (410): start again with `updated_since`.
#[utoipa::path(get, path = "/feeds/vacancies", tag = TAG, params(FeedParams),
    responses(
        (status = 200, description = "A page of the feed", body = VacancyFeed,
            content_type = "application/ld+json",
            headers(("Link" = String, description = "The next page, `rel=\"next\"`"))),
        (status = 410, description = "The cursor is older than the changes kept", body = crate::web::problem::Problem,
            content_type = "application/problem+json"),
    ))]
async fn vacancy_feed(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<FeedParams>,
) -> Result<impl IntoResponse, AppError> {
    let (start, limit) = feed_request(&params)?;
    let page = feed::vacancy_changes(&state, start, limit).await?;
    let document = feed_document(&state.public_url, page, limit);
    let link = format!("<{}>; rel=\"next\"", document.next);
    Ok((
        [
            (header::CONTENT_TYPE, "application/ld+json".to_string()),
            (header::LINK, link),
        ],
        Json(document),
    ))
}

fn feed_request(params: &FeedParams) -> Result<(FeedStart, usize), AppError> {
    let limit = number(params.limit.as_deref(), "limit", 1, feed::MAX_PAGE as u64)?
        .map_or(feed::DEFAULT_PAGE, |n| n as usize);
    let start = match (params.updated_since.as_deref(), params.cursor.as_deref()) {
        (Some(_), Some(_)) => {
            return Err(AppError::bad_request(
                "invalid_query",
                "Geef updated_since of cursor, niet allebei. / Give updated_since or cursor, not both.",
            ));
        }
        (None, Some(cursor)) => FeedStart::Cursor(Cursor::parse(cursor.trim()).ok_or_else(|| {
            AppError::bad_request(
                "invalid_cursor",
                "Deze cursor kennen we niet. Gebruik de 'next' van de vorige pagina. / Unknown cursor; use the last page's 'next'.",
            )
        })?),
        (Some(since), None) => FeedStart::Since(moment(since)?),
        (None, None) => FeedStart::Since(0),
    };
    Ok((start, limit))
}

/// A moment as RFC 3339, or a date meaning its midnight in UTC.
fn moment(text: &str) -> Result<i64, AppError> {
    let text = text.trim();
    let read = OffsetDateTime::parse(text, &Rfc3339)
        .map(OffsetDateTime::unix_timestamp)
        .or_else(|_| {
            time::Date::parse(text, time::macros::format_description!("[year]-[month]-[day]"))
                .map(|date| date.midnight().assume_utc().unix_timestamp())
        });
    read.map_err(|_| {
        AppError::bad_request(
            "invalid_date",
            "updated_since is een moment zoals 2026-12-01T06:00:00Z of een datum zoals 2026-12-01. \
             / updated_since is an RFC 3339 moment or a date.",
        )
    })
}

fn feed_document(public_url: &str, page: FeedPage, limit: usize) -> VacancyFeed {
    let cursor = page.next.to_string();
    let mut next = format!("{public_url}{PATH}?cursor={cursor}");
    if limit != feed::DEFAULT_PAGE {
        next.push_str(&format!("&limit={limit}"));
    }
    VacancyFeed {
        context: "https://schema.org/",
        kind: "DataFeed",
        date_modified: rfc3339(OffsetDateTime::now_utc().unix_timestamp()),
        elements: page.items.into_iter().map(feed_item).collect(),
        cursor,
        next,
        caught_up: page.caught_up,
    }
}

fn feed_item(item: FeedItem) -> VacancyFeedItem {
    VacancyFeedItem {
        kind: "DataFeedItem",
        id: item.id,
        status: if item.open {
            FeedStatus::Open
        } else {
            FeedStatus::Closed
        },
        date_modified: rfc3339(item.updated_at),
        item: item.posting,
    }
}
