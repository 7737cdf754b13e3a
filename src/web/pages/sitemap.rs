//! For search engines: `robots.txt`, and a sitemap of the open vacancies'
//! pages (sitemaps.org), as an index of parts of at most 50,000 each.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use time::OffsetDateTime;

use super::super::page_error::PageError;
use crate::offers::feed;
use crate::web::AppState;

const XML_DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// Pages that hold personal data or forms stay out of search engines; they
/// need a login anyway.
pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /api/\nDisallow: /profiel\nDisallow: /coach\nDisallow: /werkgever\n\
         Disallow: /inloggen\nDisallow: /wachtwoord/\n\nSitemap: {}/sitemap.xml\n",
        state.public_url
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

pub async fn index(State(state): State<AppState>) -> Result<Response, PageError> {
    let parts = feed::sitemap_parts(&state).await?;
    let markup = html! {
        sitemapindex xmlns=(SITEMAP_NS) {
            @for part in 1..=parts {
                sitemap { loc { (state.public_url) "/sitemaps/vacatures-" (part) ".xml" } }
            }
        }
    };
    Ok(xml(markup))
}

/// `vacatures-N.xml`: part N of the open vacancies.
pub async fn part(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response, PageError> {
    let number = file
        .strip_prefix("vacatures-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .filter(|n| !n.starts_with('0'))
        .and_then(|n| n.parse::<usize>().ok())
        .ok_or_else(PageError::not_found)?;
    let stamps = feed::sitemap_part(&state, number)
        .await?
        .ok_or_else(PageError::not_found)?;
    let markup = html! {
        urlset xmlns=(SITEMAP_NS) {
            @for stamp in &stamps {
                url {
                    loc { (state.public_url) "/vacatures/" (stamp.id) }
                    lastmod { (day(stamp.updated_at)) }
                }
            }
        }
    };
    Ok(xml(markup))
}

fn day(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}

fn xml(markup: Markup) -> Response {
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        format!("{XML_DECLARATION}\n{}", markup.into_string()),
    )
        .into_response()
}
