//! Keeps the index in step with the database: drains the outbox into the one
//! writer, and rebuilds the whole index from the database when asked.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, mpsc, watch};

use super::Offer;
use crate::geo::Geo;
use crate::reference::Context;
use crate::search::{IndexChange, Indexer, OfferDoc, OfferKind};
use crate::skills::{Taxonomy, Vocabulary};
use crate::storage::{OutboxEntry, Store, TrainingRow, VacancyRow};

/// Other processes (a second replica, the CLI) write too; they are picked up
/// by polling at this interval.
const POLL_INTERVAL: Duration = Duration::from_millis(500);
const OUTBOX_BATCH: i64 = 10_000;
const REBUILD_PAGE: i64 = 2_000;

/// What turning database rows into index documents needs.
#[derive(Clone)]
pub struct DocSource {
    pub store: Store,
    pub geo: Arc<Geo>,
    pub vocabulary: Arc<Vocabulary>,
    pub taxonomy: Arc<Taxonomy>,
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

    async fn docs_of<O: Offer>(&self, ids: &[String]) -> anyhow::Result<Vec<OfferDoc>> {
        let rows = self.store.offers_by_ids::<O>(ids).await?;
        let ctx = self.context();
        Ok(rows.iter().filter_map(|r| r.doc(&ctx)).collect())
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
    let seq = source.store.last_outbox_seq().await?;
    let (tx, mut rx) = mpsc::channel::<Vec<OfferDoc>>(4);
    let writer = with_indexer(indexer, move |indexer| {
        let docs = std::iter::from_fn(move || rx.blocking_recv()).flatten();
        indexer.rebuild(docs, seq)
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

async fn read_docs_of<O: Offer>(source: &DocSource, tx: &mpsc::Sender<Vec<OfferDoc>>) -> anyhow::Result<()> {
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

/// Applies outbox entries after the index's committed position. The outer
/// error is fatal (the writer was lost to a panic); the inner one is a
/// failed round that the next poll retries. `Ok(true)` when it applied some.
pub async fn drain_outbox(
    source: &DocSource,
    indexer: Indexer,
) -> anyhow::Result<(Indexer, anyhow::Result<bool>)> {
    let (changes, last_seq) = match pending_changes(source, indexer.search().committed_seq()).await {
        Ok(Some(pending)) => pending,
        Ok(None) => return Ok((indexer, Ok(false))),
        Err(error) => return Ok((indexer, Err(error))),
    };
    let (indexer, applied) = with_indexer(indexer, move |indexer| indexer.apply(changes, last_seq)).await?;
    Ok((indexer, applied.map(|()| true).map_err(Into::into)))
}

async fn pending_changes(source: &DocSource, from: i64) -> anyhow::Result<Option<(Vec<IndexChange>, i64)>> {
    let entries = source.store.outbox_after(from, OUTBOX_BATCH).await?;
    let Some(last_seq) = entries.last().map(|e| e.seq) else {
        return Ok(None);
    };
    let (vacancies, trainings): (Vec<_>, Vec<_>) = latest_per_offer(entries)
        .into_iter()
        .partition(|(kind, _)| *kind == OfferKind::Vacancy);
    let ids = |list: Vec<(OfferKind, String)>| list.into_iter().map(|(_, id)| id).collect::<Vec<_>>();
    let mut changes = source.changes_for(OfferKind::Vacancy, ids(vacancies)).await?;
    changes.extend(source.changes_for(OfferKind::Training, ids(trainings)).await?);
    Ok(Some((changes, last_seq)))
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

/// Drains the outbox whenever a write notifies, or on each poll, until
/// shutdown. The task owns the index writer.
pub fn spawn_sync(
    source: DocSource,
    mut indexer: Indexer,
    notify: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = notify.notified() => {}
                _ = tokio::time::sleep(POLL_INTERVAL) => {}
                _ = shutdown.changed() => break,
            }
            loop {
                let round = match drain_outbox(&source, indexer).await {
                    Ok((back, round)) => {
                        indexer = back;
                        round
                    }
                    Err(error) => {
                        tracing::error!(
                            error = format!("{error:#}"),
                            "index writer lost; restart to recover"
                        );
                        return;
                    }
                };
                match round {
                    Ok(true) => continue,
                    Ok(false) => break,
                    Err(error) => {
                        tracing::warn!(
                            error = format!("{error:#}"),
                            "index sync round failed; retrying on the next poll"
                        );
                        break;
                    }
                }
            }
        }
    })
}
