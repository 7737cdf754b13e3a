//! Keeps the index in step with the database: drains the outbox into the one
//! writer, and rebuilds the whole index from the database when asked.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, mpsc, watch};
use tokio::time::Instant;

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
/// During a burst of writes, the index commits at most this often.
const BURST_COMMIT_EVERY: Duration = Duration::from_secs(5);
/// A burst has ended when no entry came for this long.
const BURST_SETTLE: Duration = Duration::from_millis(100);
/// Rounds up to this size are edits someone waits for: committed at once.
const EDIT_ENTRIES: usize = 100;
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

/// The index writer as the sync holds it: what it staged but did not commit
/// yet, and when it last committed. A tantivy commit flushes a segment and
/// starts merges; during a large import, which writes a step of 500 every
/// few milliseconds, a commit per step would take the cores from the import.
/// So one person's edit is committed at once, and a burst of steps at most
/// every `BURST_COMMIT_EVERY`, and as soon as it has settled.
struct Follower {
    indexer: Indexer,
    staged: Option<Staged>,
    last_commit: Instant,
}

#[derive(Clone, Copy)]
struct Staged {
    position: OutboxPosition,
    entries: usize,
}

impl Follower {
    fn new(indexer: Indexer) -> Self {
        Self {
            indexer,
            staged: None,
            last_commit: Instant::now(),
        }
    }

    fn indexer(&self) -> &Indexer {
        &self.indexer
    }

    fn into_indexer(self) -> Indexer {
        self.indexer
    }

    /// Where the outbox is read on from: after what is staged.
    fn position(&self) -> OutboxPosition {
        self.staged
            .map_or_else(|| self.indexer.search().committed_position(), |s| s.position)
    }

    fn burst_commit_due(&self) -> bool {
        self.last_commit.elapsed() >= BURST_COMMIT_EVERY
    }

    /// Whether what is staged is committed when the outbox has been read
    /// to its end: a few entries are someone's edit, which they wait for.
    fn commit_when_drained(&self) -> bool {
        self.staged
            .is_some_and(|s| s.entries <= EDIT_ENTRIES || self.burst_commit_due())
    }

    /// When the staged entries of a burst are committed, should no further
    /// entry arrive: once it has settled, or when a commit is due anyway.
    fn commit_deadline(&self) -> Option<Instant> {
        self.staged
            .map(|_| (Instant::now() + BURST_SETTLE).min(self.last_commit + BURST_COMMIT_EVERY))
    }

    /// Stages a round, and commits it with what came before when `commit`.
    async fn apply(
        mut self,
        changes: Vec<IndexChange>,
        last: OutboxPosition,
        commit: bool,
    ) -> anyhow::Result<(Self, anyhow::Result<()>)> {
        let entries = changes.len() + self.staged.map_or(0, |s| s.entries);
        let (indexer, applied) = with_indexer(self.indexer, move |indexer| {
            indexer.stage(changes)?;
            if commit {
                indexer.commit(last)?;
            }
            Ok::<_, crate::search::SearchError>(())
        })
        .await?;
        self.indexer = indexer;
        if let Err(error) = applied {
            return Ok((self, Err(error.into())));
        }
        self.record(last, entries, commit);
        Ok((self, Ok(())))
    }

    /// Commits what is staged, if anything.
    async fn commit(self) -> anyhow::Result<(Self, anyhow::Result<()>)> {
        match self.staged {
            Some(staged) => self.apply(Vec::new(), staged.position, true).await,
            None => Ok((self, Ok(()))),
        }
    }

    fn record(&mut self, position: OutboxPosition, entries: usize, committed: bool) {
        if committed {
            self.staged = None;
            self.last_commit = Instant::now();
        } else {
            self.staged = Some(Staged { position, entries });
        }
    }
}

/// Applies the outbox after the follower's position until nothing is left.
/// Each round of entries is read from the database while the round before
/// is being indexed, so the two work at once instead of taking turns. What
/// is staged at the end stays staged unless `Follower::commit_when_drained`.
/// The outer error is fatal (the writer was lost to a panic); the inner one
/// is a failed round that the next poll retries.
async fn drain_outbox(
    source: &DocSource,
    mut follower: Follower,
) -> anyhow::Result<(Follower, anyhow::Result<()>)> {
    let mut next = pending_changes(source, follower.position()).await;
    loop {
        let (changes, last) = match next {
            Ok(Some(pending)) => pending,
            Ok(None) if follower.commit_when_drained() => return follower.commit().await,
            Ok(None) => return Ok((follower, Ok(()))),
            Err(error) => return Ok((follower, Err(error))),
        };
        // Reading ahead is safe: a later round holds each offer's newest row.
        let commit = follower.burst_commit_due();
        let applying = follower.apply(changes, last, commit);
        let (applied, read_ahead) = tokio::join!(applying, pending_changes(source, last));
        let (back, applied) = applied?;
        follower = back;
        if let Err(error) = applied {
            return Ok((follower, Err(error)));
        }
        next = read_ahead;
    }
}

/// Drains the outbox and commits all of it: for a one-off catch-up.
pub async fn catch_up(source: &DocSource, indexer: Indexer) -> anyhow::Result<Indexer> {
    let (follower, drained) = drain_outbox(source, Follower::new(indexer)).await?;
    drained?;
    let (follower, committed) = follower.commit().await?;
    committed?;
    Ok(follower.into_indexer())
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
/// ever fall behind the pruned outbox. A burst's staged entries are
/// committed when it settles. The task owns the index writer.
pub fn spawn_sync(
    source: DocSource,
    indexer: Indexer,
    mut outdated: bool,
    notify: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut reload_table = false;
        let mut follower = Follower::new(indexer);
        loop {
            follower = match sync_round(&source, follower, outdated, &mut reload_table).await {
                Ok(back) => back,
                Err(error) => return writer_lost(&error),
            };
            outdated = false;
            let deadline = follower.commit_deadline();
            let woken = tokio::select! {
                _ = notify.notified() => Woken::Round,
                _ = tokio::time::sleep(POLL_INTERVAL) => Woken::Round,
                _ = tokio::time::sleep_until(deadline.unwrap_or_else(Instant::now)), if deadline.is_some() => Woken::Commit,
                _ = shutdown.changed() => Woken::Stop,
            };
            if woken != Woken::Round {
                follower = match commit_logged(follower).await {
                    Ok(back) => back,
                    Err(error) => return writer_lost(&error),
                };
            }
            if woken == Woken::Stop {
                break;
            }
        }
    })
}

/// What woke the sync between rounds.
#[derive(PartialEq)]
enum Woken {
    /// A write, or the poll: read the outbox on.
    Round,
    /// A burst's staged entries are due.
    Commit,
    /// Shutdown: commit what is staged and end.
    Stop,
}

fn writer_lost(error: &anyhow::Error) {
    tracing::error!(
        error = format!("{error:#}"),
        "index writer lost; restart to recover"
    );
}

/// Commits what is staged; a failed commit is logged and tried again.
async fn commit_logged(follower: Follower) -> anyhow::Result<Follower> {
    let (follower, committed) = follower.commit().await?;
    if let Err(error) = committed {
        warn_round_failed(&error);
    }
    Ok(follower)
}

/// A rebuild if needed, then the outbox drained until nothing is left. The
/// error is fatal (the writer was lost); failed reads are logged and left
/// to the next round.
async fn sync_round(
    source: &DocSource,
    mut follower: Follower,
    outdated: bool,
    reload_table: &mut bool,
) -> anyhow::Result<Follower> {
    match needs_rebuild(source, follower.indexer(), outdated).await {
        // The rebuild holds everything staged, and commits it.
        Ok(true) => match rebuild(source, follower.into_indexer()).await {
            Ok((back, count)) => {
                tracing::info!(documents = count, "rebuilt the search index from the database");
                follower = Follower::new(back);
                // Whatever made the index fall behind left the table behind too.
                *reload_table = true;
            }
            Err(error) => return Err(error.context("rebuilding the index")),
        },
        Ok(false) => {}
        Err(error) => {
            warn_round_failed(&error);
            return Ok(follower);
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
    let (follower, drained) = drain_outbox(source, follower).await?;
    if let Err(error) = drained {
        warn_round_failed(&error);
    }
    Ok(follower)
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
