//! Start-up and shut-down: migrations, reference and demo data, the search
//! index, and every background task (index sync, retention, the lift
//! refresh). The HTTP layer serves what this starts.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use crate::fixtures;
use crate::geo::Geo;
use crate::lift::summaries;
use crate::matching::ScoringPolicy;
use crate::matching::policy::DEFAULT_PRIORITY_WIJKEN;
use crate::offers::indexing::{DocSource, rebuild, spawn_sync};
use crate::privacy::retention::{self, Retention};
use crate::search::SearchIndex;
use crate::services::Services;
use crate::storage::Store;

pub struct StartOptions {
    pub database_url: String,
    pub index_dir: PathBuf,
    pub demo: bool,
    /// The social-lift scale: 1 by default, 0 turns it off.
    pub lift_scale: f64,
    /// Priority wijken by code or name; the city's focus areas when empty.
    pub priority_wijken: Vec<String>,
    /// Purge past retention daily; `None` leaves it to `banenlift purge`.
    pub retention: Option<Retention>,
    /// Refresh the lift report's match summaries this often; `None` leaves
    /// it to report requests and `banenlift report`.
    pub lift_refresh: Option<Duration>,
}

/// A started application: the services for the HTTP layer, and the
/// background tasks that stop when `shutdown` is sent.
pub struct App {
    pub services: Services,
    pub shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
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
        let policy = Arc::new(scoring_policy(options, &source.geo)?);
        let opened = SearchIndex::open(&options.index_dir, source.vocabulary.skill_names())?;
        let mut indexer = opened.indexer;
        if opened.needs_rebuild {
            let (back, count) = rebuild(&source, indexer).await?;
            tracing::info!(documents = count, "rebuilt the search index from the database");
            indexer = back;
        }
        let index_notify = Arc::new(Notify::new());
        let (shutdown, shutdown_rx) = watch::channel(false);
        let mut tasks = vec![spawn_sync(
            source.clone(),
            indexer,
            index_notify.clone(),
            shutdown_rx.clone(),
        )];
        index_notify.notify_one();
        let services = Services {
            store,
            search: opened.search,
            geo: source.geo,
            vocabulary: source.vocabulary,
            taxonomy: source.taxonomy,
            policy,
            index_notify,
        };
        if let Some(policy) = options.retention {
            tasks.push(retention::spawn_daily(
                services.store.clone(),
                policy,
                shutdown_rx.clone(),
            ));
        }
        if let Some(every) = options.lift_refresh {
            tasks.push(summaries::spawn_refresh(services.clone(), every, shutdown_rx));
        }
        Ok(App {
            services,
            shutdown,
            tasks,
        })
    }

    /// Stops the background tasks (each finishes its current round) and
    /// closes the database.
    pub async fn stop(self) {
        self.shutdown.send_replace(true);
        for task in self.tasks {
            let _ = task.await;
        }
        self.services.store.close().await;
    }
}

/// The scoring policy from the options; an unknown priority wijk stops start-up.
fn scoring_policy(options: &StartOptions, geo: &Geo) -> anyhow::Result<ScoringPolicy> {
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
    Ok(ScoringPolicy {
        priority_wijken,
        scale: options.lift_scale,
        easy_reach_minutes: 20.0,
    })
}
