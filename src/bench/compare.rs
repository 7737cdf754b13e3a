//! The search phase: the query mix through Banenlift and through raw
//! tantivy as its examples advise; and with `--compare`, the same vacancies
//! and mix through SQLite FTS5 and PostgreSQL's full-text search too, in
//! one table with the first two.
//!
//! Fairness: every engine gets the same words (the mix's words without stop
//! words, typos replaced by what our layer corrected them to), the same
//! filters and the same radius, and answers with the total and the best 20.
//! Our layer and raw tantivy also count facets; ours also corrects typos
//! and builds snippets. Queries run one at a time on one connection each.

use std::path::Path;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::{Percentiles, QUERY_MIX, Report, median, median_percentiles, ms, percentiles, queries};
use crate::offers::indexing::{DocSource, read_docs_of};
use crate::offers::query::search;
use crate::search::{OfferDoc, OfferKind, SearchRequest, effective_words};
use crate::services::Services;
use crate::storage::{FullTextBaseline, FullTextDoc, FullTextQuery, VacancyRow};
use crate::web::params::search_request;

/// The scratch database the PostgreSQL baseline creates and drops, one per
/// process so that two benches on one server keep apart.
fn scratch_database() -> String {
    format!("banenlift_bench_fulltext_{}", std::process::id())
}

/// One query of the mix in each engine's terms.
struct Prepared {
    request: SearchRequest,
    words: Vec<String>,
    fulltext: FullTextQuery,
}

/// One engine's figures over the mix.
#[derive(Clone, Copy)]
struct EngineRun {
    latency: Percentiles,
    per_second: f64,
    mean_hits: f64,
}

/// The mix, and how Banenlift and raw tantivy answered it.
pub struct Searches {
    mix: Vec<Prepared>,
    ours: EngineRun,
    raw: EngineRun,
}

impl Searches {
    pub async fn measure(state: &Services, runs: usize, seed: u64) -> anyhow::Result<Self> {
        let mix = prepare(state, seed, QUERY_MIX)?;
        let ours = measure(runs, &mix, async |q: &Prepared| {
            let results = search(state, OfferKind::Vacancy, q.request.clone()).await?;
            Ok(results.total)
        })
        .await?;
        let raw = measure(runs, &mix, async |q: &Prepared| {
            let r = &q.request;
            Ok(state
                .search
                .raw_search(&q.words, &r.filters, r.near, r.limit)?
                .total)
        })
        .await?;
        Ok(Self { mix, ours, raw })
    }

    pub fn report(&self, report: &mut Report) {
        report.add(
            format!("search latency, in-process ({QUERY_MIX} queries, facets and snippets)"),
            ms(self.ours.latency),
        );
        report.add(
            "same mix, raw tantivy (filters in a collector, fast-field facets, top k)",
            ms(self.raw.latency),
        );
        report.add(
            "our layer's overhead (ratio of the p50s)",
            format!("{:.2}×", self.ours.latency.p50 / self.raw.latency.p50.max(1e-9)),
        );
    }
}

/// The mix of `searches` through the two baselines, in a table beside ours
/// and raw tantivy's.
pub async fn compare_phase(
    state: &Services,
    work: &Path,
    postgres_url: &str,
    runs: usize,
    searches: &Searches,
    report: &mut Report,
) -> anyhow::Result<()> {
    let (mix, ours) = (&searches.mix, searches.ours);
    let mut rows = vec![
        ("Banenlift (in-process)".to_string(), ours),
        (
            "raw tantivy (collector filters, fast-field facets, top k)".into(),
            searches.raw,
        ),
    ];
    let fts5 = FullTextBaseline::sqlite(&work.join("fts5.db")).await?;
    let pg = FullTextBaseline::postgres(postgres_url, &scratch_database()).await;
    // Both are removed whatever happened in between.
    let measured = match &pg {
        Ok(pg) => baseline_rows(state, runs, mix, &[&fts5, pg]).await,
        Err(_) => Ok(Vec::new()),
    };
    fts5.remove().await?;
    pg?.remove().await?;
    rows.extend(measured?);
    report.table(
        format!(
            "Side by side: the same {} vacancy searches, one at a time",
            mix.len()
        ),
        &[
            "engine",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "queries/s (one client)",
            "hits per query",
            "p50 × Banenlift's",
            "p99 × Banenlift's",
        ],
        rows.iter()
            .map(|(engine, run)| {
                vec![
                    engine.clone(),
                    format!("{:.2}", run.latency.p50),
                    format!("{:.2}", run.latency.p95),
                    format!("{:.2}", run.latency.p99),
                    format!("{:.0}", run.per_second),
                    format!("{:.0}", run.mean_hits),
                    format!("{:.1}×", run.latency.p50 / ours.latency.p50.max(1e-9)),
                    format!("{:.1}×", run.latency.p99 / ours.latency.p99.max(1e-9)),
                ]
            })
            .collect(),
    );
    Ok(())
}

/// Loads the baselines and runs the mix through each.
async fn baseline_rows(
    state: &Services,
    runs: usize,
    mix: &[Prepared],
    baselines: &[&FullTextBaseline],
) -> anyhow::Result<Vec<(String, EngineRun)>> {
    let started = Instant::now();
    load_baselines(state, baselines).await?;
    eprintln!(
        "  (loaded the vacancies into the baselines in {:.0} s)",
        started.elapsed().as_secs_f64()
    );
    let mut rows = Vec::new();
    for baseline in baselines {
        let run = measure(runs, mix, async |q: &Prepared| {
            Ok(baseline.search(&q.fulltext).await?.0)
        })
        .await?;
        rows.push((baseline.engine().to_string(), run));
    }
    Ok(rows)
}

/// Reads every open vacancy as a rebuild does and inserts it into each
/// baseline, a page at a time.
async fn load_baselines(state: &Services, baselines: &[&FullTextBaseline]) -> anyhow::Result<()> {
    let source = DocSource::load(&state.store).await?;
    let (tx, mut rx) = mpsc::channel::<Vec<OfferDoc>>(4);
    let reader = async {
        let read = read_docs_of::<VacancyRow>(&source, &tx).await;
        drop(tx);
        read
    };
    let writer = async {
        while let Some(page) = rx.recv().await {
            let docs: Vec<FullTextDoc> = page.iter().map(|d| fulltext_doc(state, d)).collect();
            for baseline in baselines {
                baseline.insert(&docs).await?;
            }
        }
        for baseline in baselines {
            baseline.finish_load().await?;
        }
        anyhow::Ok(())
    };
    let (read, written) = tokio::join!(reader, writer);
    read?;
    written
}

/// A code as the baselines store it (codes are small ordinals).
fn code(c: Option<u64>) -> Option<i64> {
    c.map(|v| v as i64)
}

fn fulltext_doc(state: &Services, d: &OfferDoc) -> FullTextDoc {
    // Every name of a skill, as our index matches a word in any of them.
    let skills: Vec<&str> = d
        .skill_ids
        .iter()
        .filter_map(|id| state.vocabulary.get(id))
        .flat_map(|s| std::iter::once(&s.label).chain(&s.aliases))
        .map(String::as_str)
        .collect();
    FullTextDoc {
        id: d.id.clone(),
        title: d.title.clone(),
        skills: skills.join(", "),
        organisation: d.organisation.clone(),
        description: d.description.clone(),
        sector: code(d.sector),
        contract: code(d.contract),
        education: code(d.education),
        dutch_level: d.dutch_level as i64,
        hours_min: d.hours_min as i64,
        hours_max: d.hours_max as i64,
        closes_day: d.closes_day,
        lat: d.lat,
        lon: d.lon,
    }
}

/// The mix as each engine takes it. Our layer runs once per query here,
/// untimed (blocking, which the bench can afford), for the words its
/// spelling correction settles on; raw tantivy
/// must then find exactly as many vacancies, or the two are not doing the
/// same work and the comparison would mislead.
fn prepare(state: &Services, seed: u64, count: usize) -> anyhow::Result<Vec<Prepared>> {
    queries::mix(count, seed)
        .iter()
        .map(|params| {
            let request = search_request(&state.geo, OfferKind::Vacancy, params)?;
            let ours = state.search.search(&request)?;
            let words = effective_words(&request.text, &ours.corrections);
            let raw = state
                .search
                .raw_search(&words, &request.filters, request.near, request.limit)?;
            anyhow::ensure!(
                raw.total == ours.total,
                "raw tantivy finds {} vacancies for {:?} and Banenlift {}",
                raw.total,
                request.text,
                ours.total
            );
            let fulltext = fulltext_query(&words, &request);
            Ok(Prepared {
                request,
                words,
                fulltext,
            })
        })
        .collect()
}

fn fulltext_query(words: &[String], request: &SearchRequest) -> FullTextQuery {
    let f = &request.filters;
    FullTextQuery {
        words: words.to_vec(),
        sector: code(f.sector),
        contract: code(f.contract),
        max_education: code(f.max_education),
        max_dutch_level: code(f.max_dutch_level),
        hours_min: code(f.hours_min),
        hours_max: code(f.hours_max),
        today: f.today,
        near: request
            .near
            .and_then(|n| n.radius_km.map(|r| (n.point.lat, n.point.lon, r))),
        limit: request.limit as i64,
    }
}

/// Runs the mix once untimed (statements prepared, pages cached, as our
/// layer's were by `prepare`), then `runs` times timed; medians over the
/// runs.
async fn measure(
    runs: usize,
    mix: &[Prepared],
    engine: impl AsyncFn(&Prepared) -> anyhow::Result<u64>,
) -> anyhow::Result<EngineRun> {
    for query in mix {
        engine(query).await?;
    }
    let (mut latencies, mut rates, mut hits) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        let mut samples: Vec<Duration> = Vec::with_capacity(mix.len());
        let mut total_hits = 0u64;
        for query in mix {
            let started = Instant::now();
            total_hits += engine(query).await?;
            samples.push(started.elapsed());
        }
        let busy: f64 = samples.iter().map(Duration::as_secs_f64).sum();
        rates.push(mix.len() as f64 / busy.max(1e-9));
        hits.push(total_hits as f64 / mix.len().max(1) as f64);
        latencies.push(percentiles(samples));
    }
    Ok(EngineRun {
        latency: median_percentiles(latencies),
        per_second: median(rates),
        mean_hits: median(hits),
    })
}
