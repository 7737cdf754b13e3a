//! Application state, router assembly, start-up and serving.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::config::RetentionArgs;
use crate::error::AppError;
use crate::geo::Geo;
use crate::matching::LiftPolicy;
use crate::matching::policy::DEFAULT_PRIORITY_WIJKEN;
use crate::offers::Context;
use crate::offers::indexing::{DocSource, rebuild, spawn_sync};
use crate::search::SearchIndex;
use crate::skills::{Taxonomy, Vocabulary};
use crate::storage::Store;
use crate::web::error_shape::{error_for_path, is_api_path};
pub use crate::web::server::ConnectionLimits;
use crate::{fixtures, offers};

pub const MAX_BODY_BYTES: usize = 1024 * 1024;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub search: Arc<SearchIndex>,
    pub geo: Arc<Geo>,
    pub vocabulary: Arc<Vocabulary>,
    pub taxonomy: Arc<Taxonomy>,
    pub lift: Arc<LiftPolicy>,
    /// Wakes the index sync after a write.
    pub index_notify: Arc<Notify>,
    /// Session cookies get the `Secure` flag: set when served over TLS.
    pub secure_cookies: bool,
}

impl AppState {
    pub fn context(&self) -> Context<'_> {
        Context {
            geo: &self.geo,
            vocabulary: &self.vocabulary,
            taxonomy: &self.taxonomy,
        }
    }
}

pub struct StartOptions {
    pub database_url: String,
    pub index_dir: PathBuf,
    pub demo: bool,
    /// The social-lift scale: 1 by default, 0 turns it off.
    pub lift_scale: f64,
    /// Priority wijken by code or name; the city's focus areas when empty.
    pub priority_wijken: Vec<String>,
    /// Purge past retention daily; `None` leaves it to `banenlift purge`.
    pub retention: Option<RetentionArgs>,
    pub secure_cookies: bool,
}

/// A started application: state for the router, and the background index
/// sync that stops when `shutdown` is sent.
pub struct App {
    pub state: AppState,
    pub shutdown: watch::Sender<bool>,
    sync: tokio::task::JoinHandle<()>,
    purge: Option<tokio::task::JoinHandle<()>>,
}

impl App {
    /// Migrations, reference data, demo data (into an empty database), the
    /// index (rebuilt when missing or outdated), and the index sync.
    pub async fn start(options: &StartOptions) -> anyhow::Result<App> {
        let store = Store::connect(&options.database_url).await?;
        fixtures::ensure_reference(&store).await?;
        let source = DocSource::load(&store).await?;
        if options.demo {
            fixtures::load_demo_if_empty(&store, &source.context()).await?;
        }
        let lift = Arc::new(lift_policy(options, &source.geo)?);
        let opened = SearchIndex::open(&options.index_dir, source.vocabulary.skill_names())?;
        let mut indexer = opened.indexer;
        if opened.needs_rebuild {
            let (back, count) = rebuild(&source, indexer).await?;
            tracing::info!(documents = count, "rebuilt the search index from the database");
            indexer = back;
        }
        let index_notify = Arc::new(Notify::new());
        let (shutdown, shutdown_rx) = watch::channel(false);
        let purge = options
            .retention
            .map(|r| crate::privacy::retention::spawn_daily(store.clone(), r, shutdown_rx.clone()));
        let sync = spawn_sync(source.clone(), indexer, index_notify.clone(), shutdown_rx);
        index_notify.notify_one();
        let state = AppState {
            store,
            search: opened.search,
            geo: source.geo,
            vocabulary: source.vocabulary,
            taxonomy: source.taxonomy,
            lift,
            index_notify,
            secure_cookies: options.secure_cookies,
        };
        Ok(App {
            state,
            shutdown,
            sync,
            purge,
        })
    }

    /// Stops the index sync (finishing its current round) and closes the
    /// database.
    pub async fn stop(self) {
        self.shutdown.send_replace(true);
        let _ = self.sync.await;
        if let Some(purge) = self.purge {
            let _ = purge.await;
        }
        self.state.store.close().await;
    }
}

/// The policy from the options; an unknown priority wijk stops start-up.
fn lift_policy(options: &StartOptions, geo: &Geo) -> anyhow::Result<LiftPolicy> {
    anyhow::ensure!(
        (0.0..=1.0).contains(&options.lift_scale),
        "the lift scale must be between 0 and 1"
    );
    let names: Vec<&str> = if options.priority_wijken.is_empty() {
        DEFAULT_PRIORITY_WIJKEN.to_vec()
    } else {
        options.priority_wijken.iter().map(String::as_str).collect()
    };
    let priority_wijken = names
        .into_iter()
        .map(|name| {
            geo.find_wijk(name)
                .map(|w| w.code.clone())
                .ok_or_else(|| anyhow::anyhow!("unknown priority wijk '{name}'"))
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(LiftPolicy {
        priority_wijken,
        scale: options.lift_scale,
        easy_reach_minutes: 20.0,
    })
}

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(offers::routes::router())
        .merge(crate::residents::routes::router())
        .merge(crate::skills::routes::router())
        .merge(crate::geo::routes::router())
        .merge(crate::privacy::routes::router())
        .merge(crate::outcomes::routes::router())
        .merge(crate::contact::routes::router())
        .merge(crate::lift::routes::router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::web::idempotency::idempotent_posts,
        ));
    Router::new()
        .route("/health", get(health))
        .nest("/api/v1", api)
        .merge(crate::web::pages::router())
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
        .layer(axum::middleware::from_fn(crate::web::error_shape::uniform_errors))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn health(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "status": "ok",
        "documents": state.search.num_docs(),
        "indexed_outbox_seq": state.search.committed_seq(),
    }))
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
    crate::web::server::serve(listener, router(state), limits, shutdown).await
}
