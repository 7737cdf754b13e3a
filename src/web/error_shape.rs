//! One error shape everywhere. Our handlers answer errors as problem+json
//! (API) or as a page (web); this layer also puts into that shape what the
//! framework and the middleware answer by themselves: a wrong method (405,
//! keeping its `Allow` header), a timeout (408), an unreadable path (400),
//! an oversized body (413). It also refuses oversized request heads before
//! the HTTP library's own, bare limits are reached.

use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::page_error::{ErrorText, PageError};
use super::visitor::{LANG_COOKIE, Lang};
use crate::error::AppError;

const MAX_URI_BYTES: usize = 8 * 1024;
const MAX_HEADER_LINES: usize = 100;
const MAX_HEADER_BYTES: usize = 32 * 1024;

/// Whether a path belongs to the API (or `/health`), however its case and
/// slashes are written: `/API/V1/…` and `//api//v1//` are API paths too.
pub fn is_api_path(path: &str) -> bool {
    let first = path.split('/').find(|segment| !segment.is_empty()).unwrap_or("");
    first.eq_ignore_ascii_case("api") || first.eq_ignore_ascii_case("health")
}

/// The error in the shape its path calls for.
pub fn error_for_path(path: &str, error: AppError) -> Response {
    shaped(is_api_path(path), error)
}

fn shaped(api: bool, error: AppError) -> Response {
    if api {
        error.into_response()
    } else {
        PageError::App(error).into_response()
    }
}

pub async fn uniform_errors(request: Request, next: Next) -> Response {
    let api = is_api_path(request.uri().path());
    if let Some(status) = oversized_head(&request) {
        return shaped(api, AppError::Http(status));
    }
    let lang = visitor_lang(request.headers());
    let response = next.run(request).await;
    if let Some(text) = response.extensions().get::<ErrorText>().cloned()
        && lang != Lang::Nl
    {
        let (parts, _) = response.into_parts();
        let mut translated = text.page(lang);
        keep_headers(&parts.headers, translated.headers_mut());
        return translated;
    }
    if is_ours(&response) {
        return response;
    }
    let (parts, _) = response.into_parts();
    let mut reshaped = shaped(api, AppError::Http(parts.status));
    keep_headers(&parts.headers, reshaped.headers_mut());
    reshaped
}

/// The language an error page is written in: the visitor's choice.
fn visitor_lang(headers: &HeaderMap) -> Lang {
    axum_extra::extract::CookieJar::from_headers(headers)
        .get(LANG_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .unwrap_or(Lang::Nl)
}

fn oversized_head(request: &Request) -> Option<StatusCode> {
    let uri_bytes = request.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if uri_bytes > MAX_URI_BYTES {
        return Some(StatusCode::URI_TOO_LONG);
    }
    let headers = request.headers();
    let header_bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    (headers.len() > MAX_HEADER_LINES || header_bytes > MAX_HEADER_BYTES)
        .then_some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
}

/// Successes, and errors already in one of our two shapes, pass as they are.
fn is_ours(response: &Response) -> bool {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return true;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    content_type.starts_with("application/problem+json") || content_type.starts_with("text/html")
}

/// The framework's headers that still hold (such as `Allow` on a 405),
/// without those that described its own body.
fn keep_headers(from: &HeaderMap, to: &mut HeaderMap) {
    for (name, value) in from {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH && !to.contains_key(name) {
            to.insert(name.clone(), value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use axum::routing::get;
    use tower::ServiceExt;

    use super::{is_api_path, uniform_errors};

    /// Routes that answer as the framework's own layers do: a bare status.
    fn bare(status: StatusCode) -> Router {
        Router::new()
            .route("/api/v1/bare", get(move || async move { status }))
            .route("/pagina", get(move || async move { status }))
            .layer(axum::middleware::from_fn(uniform_errors))
    }

    async fn answer(router: Router, path: &str) -> (StatusCode, String, String) {
        let request = Request::get(path).body(Body::empty()).expect("request");
        let response = router.oneshot(request).await.expect("infallible");
        let status = response.status();
        let content_type = response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_string();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, content_type, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn bare_statuses_become_problems_under_the_api_and_pages_elsewhere() {
        for (status, code) in [
            (StatusCode::REQUEST_TIMEOUT, "request_timeout"),
            (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        ] {
            let (got, content_type, body) = answer(bare(status), "/api/v1/bare").await;
            assert_eq!((got, content_type.as_str()), (status, "application/problem+json"));
            let problem: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(problem["code"], code);
            assert_eq!(problem["status"], status.as_u16());
            let (got, content_type, body) = answer(bare(status), "/pagina").await;
            assert_eq!(got, status);
            assert!(content_type.starts_with("text/html"), "{content_type}");
            assert!(body.contains("<h1>"), "{body}");
        }
    }

    #[test]
    fn api_paths_are_recognised_in_any_case_and_with_extra_slashes() {
        for path in ["/api/v1/x", "/API/V1/x", "//api//v1//", "/health", "/Health/"] {
            assert!(is_api_path(path), "{path}");
        }
        for path in ["/", "/vacatures", "/apix", "/profiel/api"] {
            assert!(!is_api_path(path), "{path}");
        }
    }
}
