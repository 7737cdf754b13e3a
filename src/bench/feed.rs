//! The nightly feed measured: the generated vacancies as schema.org
//! JobPostings (NDJSON), loaded the way `banenlift import vacancies` loads
//! them into a fresh SQLite database, while a replica's index sync follows
//! the outbox as a running server's does. The rate runs until the last
//! posting is searchable, so that it compares with the bulk ingest's.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::{Notify, watch};

use crate::fixtures::{self, OfferSet};
use crate::offers::import::{self, ImportOptions, Progress, Summary};
use crate::offers::indexing::{DocSource, rebuild, spawn_sync};
use crate::offers::jobposting;
use crate::offers::jobposting::Vacancies;
use crate::offers::vacancy::VacancyView;
use crate::search::SearchIndex;
use crate::storage::Store;

/// Wakes the sync after each step, as the server's own writes do.
struct Notifying(Arc<Notify>);

impl Progress for Notifying {
    fn advanced(&self, _done: usize) {
        self.0.notify_one();
    }
}

/// Postings per second from reading the feed to searchable, and what the
/// import made of them.
pub async fn import_rate(work: &Path, set: &OfferSet) -> anyhow::Result<(f64, Summary)> {
    let dir = work.join("feed");
    std::fs::remove_dir_all(&dir).or_else(super::ignore_missing)?;
    std::fs::create_dir_all(&dir)?;
    let store = Store::connect(&format!("sqlite://{}", dir.join("feed.db").display())).await?;
    fixtures::ensure_reference(&store).await?;
    let mut load = store.begin_load().await?;
    load.organisations(&set.organisations).await?;
    load.commit().await?;
    let source = DocSource::load(&store).await?;
    let employer = set
        .organisations
        .iter()
        .find(|o| o.kind == "employer")
        .ok_or_else(|| anyhow::anyhow!("the generated set has no employer"))?;
    let feed = feed_text(set, &source);
    let opened = SearchIndex::open(&dir.join("index"), source.vocabulary.skill_names())?;
    let search = opened.search;
    // The replica is running and its (empty) index is committed before the feed comes.
    let (indexer, _) = rebuild(&source, opened.indexer).await?;
    let notify = Arc::new(Notify::new());
    let (stop, stopped) = watch::channel(false);
    let mut sync = spawn_sync(source.clone(), indexer, false, notify.clone(), stopped);
    let started = Instant::now();
    let records = import::read_feed::<Vacancies>(&feed, false)?.records;
    let count = records.len() as f64;
    let options = ImportOptions {
        organisation: employer.id.clone(),
        source: "bench".into(),
        close_missing: false,
    };
    let progress = Notifying(notify);
    let outcome =
        import::import::<Vacancies>(&store, &source.context(), &options, records, &progress).await?;
    let head = store.outbox_head().await?;
    tokio::select! {
        _ = search.wait_for(head) => {}
        _ = &mut sync => anyhow::bail!("the index sync stopped before the feed was searchable"),
    }
    let seconds = started.elapsed().as_secs_f64();
    stop.send_replace(true);
    sync.await?;
    store.close().await;
    Ok((count / seconds, outcome.summary))
}

/// One JobPosting per line, as a vacancy page publishes it, under the
/// vacancy's id as its identifier.
fn feed_text(set: &OfferSet, source: &DocSource) -> String {
    let ctx = source.context();
    set.vacancies
        .iter()
        .map(|row| {
            let posting = jobposting::write(&VacancyView::new(row.clone(), &ctx));
            format!("{posting}\n")
        })
        .collect()
}
