//! Keeps the index in step with the database: drains the outbox into the one
//! writer, and rebuilds the whole index from the database when asked.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, mpsc, watch};

use super::Offer;
use crate::geo::Geo;
use crate::matching::open::OpenOffers;
use crate::outbox::OutboxPosition;
use crate::reference::Context;
use crate::search::{IndexChange, Indexer, OfferDoc, OfferKind};
use crate::skills::{Taxonomy, Vocabulary};
use crate::storage::{OutboxEntry, Store, TrainingRow, VacancyRow};

/// Other processes (a second replica, the CLI) write too. On PostgreSQL
/// their commits wake the sync through LISTEN/NOTIFY; polling at this
/// interval is the fallback, and all there is on SQLite.
const POLL_INTERVAL: Duration = Duration::from_millis(500);
/// How long to wait before listening again after the listener failed.
const RELISTEN_AFTER: Duration = Duration::from_secs(5);
const OUTBOX_BATCH: i64 = 10_000;
const REBUILD_PAGE: i64 = 2_000;

/// What turning database rows into index documents needs.
#[derive(Clone)]
pub struct DocSource {
    pub store: Store,
    pub geo: Arc<Geo>,
    pub vocabulary: Arc<Vocabulary>,
    pub taxonomy: Arc<Taxonomy>,
    /// The open offers for matching, kept in step with the index.
    pub open: Arc<OpenOffers>,
}

impl DocSource {
    /// Loads the reference data the conversions need.
    pub async fn load(store: &Store) -> anyhow::Result<Self> {
        Ok(Self {
            geo: Arc::new(store.load_geo().await?),
            vocabulary: Arc::new(Vocabulary::new(store.skills().await?)),
            taxonomy: Arc::new(Taxonomy::new(
                store.occupations().await?,
                store.essential_skills().await?,
            )),
            open: Arc::default(),
            store: store.clone(),
        })
    }

    pub fn context(&self) -> Context<'_> {
        Context {
            geo: &self.geo,
            vocabulary: &self.vocabulary,
            taxonomy: &self.taxonomy,
        }
    }

    /// The documents of these offers, updating the matching table on the
    /// way: it may run ahead of the index (a failed round is applied again),
    /// never behind, so every offer the index finds is in it.
    async fn docs_of<O: Offer>(&self, ids: &[String]) -> anyhow::Result<Vec<OfferDoc>> {
        let rows = self.store.offers_by_ids::<O>(ids).await?;
        let ctx = self.context();
        let mut open: HashMap<String, Option<O::Open>> = ids.iter().map(|id| (id.clone(), None)).collect();
        let docs = rows
            .iter()
            .filter_map(|row| {
                let doc = row.doc(&ctx)?;
                open.insert(row.id().to_string(), Some(row.open_entry(&ctx)));
                Some(doc)
            })
            .collect();
        O::table(&self.open).apply(open);
        Ok(docs)
    }

    /// Reads every open offer into the matching tables; returns how many.
    pub async fn load_open_offers(&self) -> anyhow::Result<usize> {
        Ok(self.load_open::<VacancyRow>().await? + self.load_open::<TrainingRow>().await?)
    }

    /// Reads every open offer of a kind, a page at a time.
    async fn load_open<O: Offer>(&self) -> anyhow::Result<usize> {
        let ctx = self.context();
        let mut open = Vec::new();
        let mut after = String::new();
        loop {
            let page = self.store.offers_after::<O>(&after, REBUILD_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.id().to_string();
            open.extend(
                page.iter()
                    .filter(|row| row.doc(&ctx).is_some())
                    .map(|row| row.open_entry(&ctx)),
            );
        }
        let count = open.len();
        O::table(&self.open).replace_all(open);
        Ok(count)
    }

    /// The current documents of these offers; `None` for those that left.
    async fn changes_for(&self, kind: OfferKind, ids: Vec<String>) -> anyhow::Result<Vec<IndexChange>> {
        let docs = match kind {
            OfferKind::Vacancy => self.docs_of::<VacancyRow>(&ids).await?,
            OfferKind::Training => self.docs_of::<TrainingRow>(&ids).await?,
        };
        let mut by_id: HashMap<String, OfferDoc> = docs.into_iter().map(|d| (d.id.clone(), d)).collect();
        Ok(ids
            .into_iter()
            .map(|id| IndexChange {
                kind,
                doc: by_id.remove(&id),
                id,
            })
            .collect())
    }
}

/// Runs `f` with the indexer on a blocking thread and hands it back.
async fn with_indexer<T: Send + 'static>(
    mut indexer: Indexer,
    f: impl FnOnce(&mut Indexer) -> T + Send + 'static,
) -> anyhow::Result<(Indexer, T)> {
    Ok(tokio::task::spawn_blocking(move || {
        let out = f(&mut indexer);
        (indexer, out)
    })
    .await?)
}

/// Replaces the index with every open offer in the database, reading in
/// pages so memory stays bounded at any size. Returns the document count.
pub async fn rebuild(source: &DocSource, indexer: Indexer) -> anyhow::Result<(Indexer, u64)> {
    // Changes made while we read are replayed from this position afterwards.
    let position = source.store.outbox_head().await?;
    let (tx, mut rx) = mpsc::channel::<Vec<OfferDoc>>(4);
    let writer = with_indexer(indexer, move |indexer| {
        let docs = std::iter::from_fn(move || rx.blocking_recv()).flatten();
        indexer.rebuild(docs, position)
    });
    let reader = async move {
        read_all_docs(source, &tx).await?;
        drop(tx);
        anyhow::Ok(())
    };
    let (written, read) = tokio::join!(writer, reader);
    let (indexer, count) = written?;
    read?;
    Ok((indexer, count?))
}

async fn read_all_docs(source: &DocSource, tx: &mpsc::Sender<Vec<OfferDoc>>) -> anyhow::Result<()> {
    read_docs_of::<VacancyRow>(source, tx).await?;
    read_docs_of::<TrainingRow>(source, tx).await
}

/// Every open offer's document of a kind, a page at a time, as a rebuild
/// reads them.
pub async fn read_docs_of<O: Offer>(
    source: &DocSource,
    tx: &mpsc::Sender<Vec<OfferDoc>>,
) -> anyhow::Result<()> {
    let ctx = source.context();
    let mut after = String::new();
    loop {
        let page = source.store.offers_after::<O>(&after, REBUILD_PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id().to_string();
        tx.send(page.iter().filter_map(|r| r.doc(&ctx)).collect()).await?;
    }
    Ok(())
}

/// Applies the outbox after the index's committed position until nothing
/// is left. Each round of entries is read from the database while the round
/// before is being indexed, so the two work at once instead of taking
/// turns. The outer error is fatal (the writer was lost to a panic); the
/// inner one is a failed round that the next poll retries.
pub async fn drain_outbox(
    source: &DocSource,
    mut indexer: Indexer,
) -> anyhow::Result<(Indexer, anyhow::Result<()>)> {
    let mut next = pending_changes(source, indexer.search().committed_position()).await;
    loop {
        let (changes, last) = match next {
            Ok(Some(pending)) => pending,
            Ok(None) => return Ok((indexer, Ok(()))),
            Err(error) => return Ok((indexer, Err(error))),
        };
        // Reading ahead is safe: a later round holds each offer's newest row.
        let applying = with_indexer(indexer, move |indexer| indexer.apply(changes, last));
        let (applied, read_ahead) = tokio::join!(applying, pending_changes(source, last));
        let (back, applied) = applied?;
        indexer = back;
        if let Err(error) = applied {
            return Ok((indexer, Err(error.into())));
        }
        next = read_ahead;
    }
}

async fn pending_changes(
    source: &DocSource,
    from: OutboxPosition,
) -> anyhow::Result<Option<(Vec<IndexChange>, OutboxPosition)>> {
    let entries = source.store.outbox_after(from, OUTBOX_BATCH).await?;
    let Some(last) = entries.last().map(|e| e.position) else {
        return Ok(None);
    };
    let (vacancies, trainings): (Vec<_>, Vec<_>) = latest_per_offer(entries)
        .into_iter()
        .partition(|(kind, _)| *kind == OfferKind::Vacancy);
    let ids = |list: Vec<(OfferKind, String)>| list.into_iter().map(|(_, id)| id).collect::<Vec<_>>();
    let mut changes = source.changes_for(OfferKind::Vacancy, ids(vacancies)).await?;
    changes.extend(source.changes_for(OfferKind::Training, ids(trainings)).await?);
    Ok(Some((changes, last)))
}

/// Each offer once, however often it changed: its current row is what counts.
fn latest_per_offer(entries: Vec<OutboxEntry>) -> Vec<(OfferKind, String)> {
    let mut seen = HashSet::new();
    entries
        .into_iter()
        .map(|e| (e.kind, e.entity_id))
        .filter(|key| seen.insert(key.clone()))
        .collect()
}

/// Whether the index must be rebuilt before it can follow the outbox: it
/// is new or outdated, or it is older than the pruned outbox, so that the
/// entries it needs are gone.
pub async fn needs_rebuild(source: &DocSource, indexer: &Indexer, outdated: bool) -> anyhow::Result<bool> {
    if outdated {
        return Ok(true);
    }
    let horizon = source.store.outbox_horizon().await?;
    Ok(indexer.search().committed_position() < horizon)
}

/// Keeps the index in step until shutdown: rebuilds it first when needed
/// (the replica reports "not ready" meanwhile), then drains the outbox
/// whenever a write notifies, on each poll, and rebuilds again should it
/// ever fall behind the pruned outbox. The task owns the index writer.
pub fn spawn_sync(
    source: DocSource,
    mut indexer: Indexer,
    mut outdated: bool,
    notify: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut reload_table = false;
        loop {
            match sync_round(&source, indexer, outdated, &mut reload_table).await {
                Ok(back) => indexer = back,
                Err(error) => {
                    tracing::error!(
                        error = format!("{error:#}"),
                        "index writer lost; restart to recover"
                    );
                    return;
                }
            }
            outdated = false;
            tokio::select! {
                _ = notify.notified() => {}
                _ = tokio::time::sleep(POLL_INTERVAL) => {}
                _ = shutdown.changed() => break,
            }
        }
    })
}

/// A rebuild if needed, then the outbox drained until nothing is left. The
/// error is fatal (the writer was lost); failed reads are logged and left
/// to the next round.
async fn sync_round(
    source: &DocSource,
    mut indexer: Indexer,
    outdated: bool,
    reload_table: &mut bool,
) -> anyhow::Result<Indexer> {
    match needs_rebuild(source, &indexer, outdated).await {
        Ok(true) => match rebuild(source, indexer).await {
            Ok((back, count)) => {
                tracing::info!(documents = count, "rebuilt the search index from the database");
                indexer = back;
                // Whatever made the index fall behind left the table behind too.
                *reload_table = true;
            }
            Err(error) => return Err(error.context("rebuilding the index")),
        },
        Ok(false) => {}
        Err(error) => {
            warn_round_failed(&error);
            return Ok(indexer);
        }
    }
    if *reload_table {
        match source.load_open_offers().await {
            Ok(count) => {
                tracing::info!(offers = count, "reloaded the matching tables");
                *reload_table = false;
            }
            Err(error) => {
                tracing::warn!(
                    error = format!("{error:#}"),
                    "matching table not reloaded; retrying on the next poll"
                );
            }
        }
    }
    let (indexer, drained) = drain_outbox(source, indexer).await?;
    if let Err(error) = drained {
        warn_round_failed(&error);
    }
    Ok(indexer)
}

/// A failed read or write is logged; the next poll tries the round again.
fn warn_round_failed(error: &anyhow::Error) {
    tracing::warn!(
        error = format!("{error:#}"),
        "index sync round failed; retrying on the next poll"
    );
}

/// Wakes the sync on every outbox commit another replica (or the CLI)
/// makes, on PostgreSQL; on SQLite it ends at once and polling does it.
pub fn spawn_listener(
    store: Store,
    notify: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let listened = tokio::select! {
                listened = listen(&store, &notify) => listened,
                _ = shutdown.changed() => return,
            };
            match listened {
                Ok(()) => return,
                Err(error) => {
                    tracing::warn!(%error, "outbox listener failed; polling until it listens again")
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(RELISTEN_AFTER) => {}
                _ = shutdown.changed() => return,
            }
        }
    })
}

/// Forwards notifications until the listener fails; `Ok` when the backend
/// has none.
async fn listen(store: &Store, notify: &Notify) -> Result<(), crate::storage::StoreError> {
    let Some(mut listener) = store.outbox_listener().await? else {
        return Ok(());
    };
    loop {
        listener.changed().await?;
        notify.notify_one();
    }
}
