//! Application state, router assembly, start-up and serving.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::error::AppError;
use crate::geo::Geo;
use crate::offers::Context;
use crate::offers::indexing::{DocSource, rebuild, spawn_sync};
use crate::search::SearchIndex;
use crate::skills::Vocabulary;
use crate::storage::Store;
use crate::{fixtures, offers};

pub const MAX_BODY_BYTES: usize = 1024 * 1024;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub search: Arc<SearchIndex>,
    pub geo: Arc<Geo>,
    pub vocabulary: Arc<Vocabulary>,
    /// Wakes the index sync after a write.
    pub index_notify: Arc<Notify>,
}

impl AppState {
    pub fn context(&self) -> Context<'_> {
        Context {
            geo: &self.geo,
            vocabulary: &self.vocabulary,
        }
    }
}

pub struct StartOptions {
    pub database_url: String,
    pub index_dir: PathBuf,
    pub demo: bool,
}

/// A started application: state for the router, and the background index
/// sync that stops when `shutdown` is sent.
pub struct App {
    pub state: AppState,
    pub shutdown: watch::Sender<bool>,
    sync: tokio::task::JoinHandle<()>,
}

impl App {
    /// Migrations, reference data, demo data (into an empty database), the
    /// index (rebuilt when missing or outdated), and the index sync.
    pub async fn start(options: &StartOptions) -> anyhow::Result<App> {
        let store = Store::connect(&options.database_url).await?;
        fixtures::ensure_reference(&store).await?;
        if options.demo {
            fixtures::load_demo_if_empty(&store).await?;
        }
        let source = DocSource {
            geo: Arc::new(store.load_geo().await?),
            vocabulary: Arc::new(Vocabulary::new(store.skills().await?)),
            store: store.clone(),
        };
        let opened = SearchIndex::open(&options.index_dir)?;
        let mut indexer = opened.indexer;
        if opened.needs_rebuild {
            let (back, count) = rebuild(&source, indexer).await?;
            tracing::info!(documents = count, "rebuilt the search index from the database");
            indexer = back;
        }
        let index_notify = Arc::new(Notify::new());
        let (shutdown, shutdown_rx) = watch::channel(false);
        let sync = spawn_sync(source.clone(), indexer, index_notify.clone(), shutdown_rx);
        index_notify.notify_one();
        let state = AppState {
            store,
            search: opened.search,
            geo: source.geo,
            vocabulary: source.vocabulary,
            index_notify,
        };
        Ok(App {
            state,
            shutdown,
            sync,
        })
    }

    /// Stops the index sync (finishing its current round) and closes the
    /// database.
    pub async fn stop(self) {
        self.shutdown.send_replace(true);
        let _ = self.sync.await;
        self.state.store.close().await;
    }
}

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(offers::routes::router())
        .merge(crate::geo::routes::router());
    Router::new()
        .route("/health", get(health))
        .nest("/api/v1", api)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
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

async fn not_found() -> AppError {
    AppError::NotFound("Deze pagina of API-route bestaat niet. / No such route.".into())
}

/// Serves on a bound listener until `shutdown` resolves, then drains
/// in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
