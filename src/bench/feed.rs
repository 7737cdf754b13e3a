//! The nightly feed measured: the generated vacancies as schema.org
//! JobPostings (NDJSON), loaded the way `banenlift import vacancies` loads
//! them into a fresh SQLite database, and then indexed, so that the rate
//! compares with the bulk ingest's.

use std::path::Path;
use std::time::Instant;

use crate::fixtures::{self, OfferSet};
use crate::offers::import::{self, ImportOptions, Progress, Summary};
use crate::offers::indexing::{DocSource, drain_outbox};
use crate::offers::jobposting;
use crate::offers::jobposting::Vacancies;
use crate::offers::vacancy::VacancyView;
use crate::search::SearchIndex;
use crate::storage::Store;

struct Quiet;

impl Progress for Quiet {
    fn advanced(&self, _done: usize) {}
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
    let indexer = opened.indexer;
    let started = Instant::now();
    let records = import::read_feed::<Vacancies>(&feed, false)?.records;
    let count = records.len() as f64;
    let options = ImportOptions {
        organisation: employer.id.clone(),
        source: "bench".into(),
        close_missing: false,
    };
    let outcome = import::import::<Vacancies>(&store, &source.context(), &options, records, &Quiet).await?;
    let (_, drained) = drain_outbox(&source, indexer).await?;
    drained?;
    let seconds = started.elapsed().as_secs_f64();
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
