//! The whole HTTP surface: the API under `/api/v1`, the pages, health, and
//! the layers every answer passes (limits, security headers, one error shape).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use tokio::net::TcpListener;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;

use super::api;
use super::error_shape::{error_for_path, is_api_path};
use super::openapi::{self, API_BASE, API_VERSION_NUMBER};
use super::server::ConnectionLimits;
use super::state::AppState;
use crate::error::AppError;
use crate::storage::now_unix;

pub const MAX_BODY_BYTES: usize = 1024 * 1024;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a browser may keep a CORS preflight's answer.
const CORS_MAX_AGE: Duration = Duration::from_secs(3600);
const API_VERSION: HeaderName = HeaderName::from_static("api-version");
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn router(state: AppState) -> Router {
    let (api, doc) = OpenApiRouter::with_openapi(openapi::base())
        .merge(api::router())
        .split_for_parts();
    let doc = openapi::finish(doc);
    let docs_page = super::pages::api_docs::router(&doc);
    let doc = Arc::new(doc);
    let api = api
        .route("/openapi.json", get(move || async move { Json(doc) }))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::idempotency::idempotent_posts,
        ));
    let api = match cors(&state.cors_origins) {
        Some(cors) => api.layer(cors),
        None => api,
    };
    Router::new()
        .route("/health", get(health))
        .nest(API_BASE, api)
        .merge(super::pages::router())
        .merge(docs_page)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // No framing, no sniffing, nothing from elsewhere: pages load only
        // our own stylesheet (the JSON-LD block is data, not script).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(axum::middleware::from_fn(super::error_shape::uniform_errors))
        .layer(axum::middleware::from_fn(api_version))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// NL API Design Rules, `/core/version-header`: every API answer (and
/// `/health`, which answers in the API's shape), errors included, names the
/// full version of the API it comes from.
async fn api_version(request: Request, next: Next) -> Response {
    let api = is_api_path(request.uri().path());
    let mut response = next.run(request).await;
    if api {
        response
            .headers_mut()
            .insert(API_VERSION, HeaderValue::from_static(API_VERSION_NUMBER));
    }
    response
}

/// Cross-origin calls from browsers, only from the configured origins. The
/// API authenticates with bearer tokens, not cookies, so no credentials.
fn cors(origins: &[HeaderValue]) -> Option<CorsLayer> {
    (!origins.is_empty()).then(|| {
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins.iter().cloned()))
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                HeaderName::from_static(super::idempotency::HEADER),
            ])
            .expose_headers([API_VERSION, header::LOCATION])
            .max_age(CORS_MAX_AGE)
    })
}

/// For a load balancer: 200 when this replica can serve, 503 while its
/// index is being rebuilt or the database does not answer. Says how far the
/// index is behind the database's outbox.
async fn health(State(state): State<AppState>) -> Response {
    let position = state.search.committed_position();
    let rebuilding = state.search.is_rebuilding();
    let lag = state.store.outbox_lag(position).await;
    let ready = !rebuilding && lag.is_ok();
    let (pending, lag_seconds) = match &lag {
        Ok(lag) => (
            Some(lag.pending),
            Some(lag.oldest_at.map_or(0, |at| (now_unix() - at).max(0))),
        ),
        Err(error) => {
            tracing::warn!(%error, "health: the database does not answer");
            (None, None)
        }
    };
    let body = serde_json::json!({
        "status": if ready { "ok" } else { "not ready" },
        "database": state.store.backend(),
        "documents": state.search.num_docs(),
        "indexed_outbox_seq": position.seq,
        "index": {
            "position": position.to_string(),
            "rebuilding": rebuilding,
            "pending": pending,
            "lag_seconds": lag_seconds,
        },
    });
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}

/// API paths answer problem+json; everything else, a page.
async fn not_found(uri: Uri) -> Response {
    let error = if is_api_path(uri.path()) {
        AppError::NotFound("Deze API-route bestaat niet. / No such route.".into())
    } else {
        AppError::NotFound(String::new())
    };
    error_for_path(uri.path(), error)
}

/// Serves on a bound listener with the default connection limits until
/// `shutdown` resolves, then drains in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with_limits(listener, state, ConnectionLimits::default(), shutdown).await
}

pub async fn serve_with_limits(
    listener: TcpListener,
    state: AppState,
    limits: ConnectionLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    super::server::serve(listener, router(state), limits, shutdown).await
}
