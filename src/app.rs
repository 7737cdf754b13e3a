//! Start-up and shut-down: migrations, reference and demo data, the search
//! index, and every background task (index sync, the outbox listener, and
//! the jobs that run once across replicas: retention, outbox pruning, the
//! lift refresh). The HTTP layer serves what this starts.

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
use crate::offers::indexing::{DocSource, needs_rebuild, spawn_listener, spawn_sync};
use crate::privacy::retention::{self, Retention};
use crate::search::SearchIndex;
use crate::services::Services;
use crate::storage::{Store, now_unix};

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
    /// index and its sync. An index that is missing, outdated or behind the
    /// pruned outbox is rebuilt in the background; the replica reports
    /// "not ready" until it is done.
    pub async fn start(options: &StartOptions) -> anyhow::Result<App> {
        let store = Store::connect(&options.database_url).await?;
        fixtures::ensure_reference(&store).await?;
        let source = DocSource::load(&store).await?;
        if options.demo {
            fixtures::load_demo_if_empty(&store, &source.context()).await?;
        }
        let policy = Arc::new(scoring_policy(options, &source.geo)?);
        let opened = SearchIndex::open(&options.index_dir, source.vocabulary.skill_names())?;
        // Decided before serving, so that /health says "not ready" from the
        // first request when the index has to be rebuilt.
        let outdated = needs_rebuild(&source, &opened.indexer, opened.needs_rebuild).await?;
        if outdated {
            opened.indexer.mark_rebuilding();
        }
        // Before serving: matching reads only this table, never the database.
        let open = source.load_open_offers().await?;
        tracing::info!(offers = open, "loaded the matching tables");
        let index_notify = Arc::new(Notify::new());
        let (shutdown, shutdown_rx) = watch::channel(false);
        let mut tasks = vec![
            spawn_sync(
                source.clone(),
                opened.indexer,
                outdated,
                index_notify.clone(),
                shutdown_rx.clone(),
            ),
            spawn_listener(store.clone(), index_notify.clone(), shutdown_rx.clone()),
        ];
        let services = Services {
            store,
            search: opened.search,
            geo: source.geo,
            vocabulary: source.vocabulary,
            taxonomy: source.taxonomy,
            open: source.open,
            policy,
            index_notify,
        };
        let jobs = Jobs {
            store: services.store.clone(),
            holder: replica_id(),
            shutdown: shutdown_rx,
        };
        tasks.push(jobs.spawn("outbox-prune", DAY, |store| async move {
            let pruned = store
                .prune_outbox(now_unix() - OUTBOX_KEPT.as_secs() as i64)
                .await?;
            tracing::info!(pruned, "outbox pruned");
            anyhow::Ok(())
        }));
        if let Some(policy) = options.retention {
            tasks.push(jobs.spawn("retention", DAY, move |store| async move {
                let purged = retention::purge(&store, &policy, now_unix()).await?;
                tracing::info!(
                    profiles = purged.profiles,
                    views = purged.views,
                    "retention purge"
                );
                anyhow::Ok(())
            }));
        }
        if let Some(every) = options.lift_refresh {
            let svc = services.clone();
            tasks.push(jobs.spawn("lift-refresh", every, move |_| {
                let svc = svc.clone();
                async move {
                    summaries::refresh(&svc, None).await?;
                    anyhow::Ok(())
                }
            }));
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

const DAY: Duration = Duration::from_secs(24 * 3600);
/// Outbox entries are kept this long: a replica that was down for longer
/// rebuilds its index instead of replaying.
const OUTBOX_KEPT: Duration = Duration::from_secs(7 * 24 * 3600);
/// How long a claimed job is a replica's before another may take it over
/// (should the first die mid-job). The jobs are safe to run twice, so a
/// job that outlasts its lease costs work, not correctness.
const JOB_LEASE: Duration = Duration::from_secs(6 * 3600);
/// How often each replica asks whether a job is due.
const JOB_CHECK: Duration = Duration::from_secs(60);

/// Schedules jobs that must run once across all replicas: each replica
/// checks regularly, and only the one whose claim succeeds runs the job.
struct Jobs {
    store: Store,
    holder: String,
    shutdown: watch::Receiver<bool>,
}

impl Jobs {
    fn spawn<F, Fut>(&self, name: &'static str, every: Duration, work: F) -> JoinHandle<()>
    where
        F: Fn(Store) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = anyhow::Result<()>> + Send,
    {
        let (store, holder, mut shutdown) = (self.store.clone(), self.holder.clone(), self.shutdown.clone());
        tokio::spawn(async move {
            loop {
                let claimed = store
                    .claim_job(
                        name,
                        &holder,
                        every.as_secs() as i64,
                        JOB_LEASE.as_secs() as i64,
                        now_unix(),
                    )
                    .await;
                match claimed {
                    Ok(true) => {
                        tokio::select! {
                            done = work(store.clone()) => {
                                if let Err(error) = done {
                                    tracing::error!(job = name, error = format!("{error:#}"), "job failed");
                                }
                            }
                            _ = shutdown.changed() => return,
                        }
                        if let Err(error) = store.finish_job(name, &holder, now_unix()).await {
                            tracing::warn!(job = name, %error, "could not record the job as done");
                        }
                    }
                    Ok(false) => {}
                    Err(error) => tracing::warn!(job = name, %error, "could not claim the job"),
                }
                tokio::select! {
                    _ = tokio::time::sleep(every.min(JOB_CHECK)) => {}
                    _ = shutdown.changed() => return,
                }
            }
        })
    }
}

/// This process among the replicas: host, process id and a random part.
fn replica_id() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
    format!(
        "{host}-{}-{}",
        std::process::id(),
        &uuid::Uuid::now_v7().simple().to_string()[24..]
    )
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
