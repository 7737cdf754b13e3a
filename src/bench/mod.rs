//! `banenlift bench`: reproducible figures for ingest, rebuild, index size,
//! search (ours and raw tantivy), matching, HTTP throughput, write-to-search
//! latency and server memory, on generated data of a chosen size.

mod http;
mod queries;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::app::{App, StartOptions};
use crate::auth::{Caller, Role, create_user};
use crate::config::{BenchArgs, BenchSize, GenerateArgs};
use crate::fixtures::{self, OfferSet};
use crate::offers::indexing::{DocSource, drain_outbox, rebuild};
use crate::offers::query::search;
use crate::privacy::CONSENT_VERSION;
use crate::residents::matches::{MatchOptions, candidates, matches};
use crate::search::{OfferKind, SearchIndex};
use crate::storage::{ConsentBy, Store, VacancyRow};
use crate::web::params::search_request;

const QUERY_MIX: usize = 240;

struct Size {
    name: &'static str,
    vacancies: usize,
    trainings: usize,
    residents: usize,
    http_seconds: u64,
}

impl Size {
    fn of(size: BenchSize) -> Self {
        match size {
            BenchSize::Smoke => Size {
                name: "smoke",
                vacancies: 5_000,
                trainings: 500,
                residents: 2_000,
                http_seconds: 1,
            },
            BenchSize::City => Size {
                name: "city",
                vacancies: 100_000,
                trainings: 10_000,
                residents: 100_000,
                http_seconds: 5,
            },
            BenchSize::National => Size {
                name: "national",
                vacancies: 1_000_000,
                trainings: 50_000,
                residents: 1_000_000,
                http_seconds: 5,
            },
        }
    }
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Percentiles {
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
}

pub fn percentiles(mut samples: Vec<Duration>) -> Percentiles {
    if samples.is_empty() {
        return Percentiles::default();
    }
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1000.0;
    Percentiles {
        p50: at(0.50),
        p95: at(0.95),
        p99: at(0.99),
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// The median of each percentile over several runs.
fn median_percentiles(runs: Vec<Percentiles>) -> Percentiles {
    Percentiles {
        p50: median(runs.iter().map(|p| p.p50).collect()),
        p95: median(runs.iter().map(|p| p.p95).collect()),
        p99: median(runs.iter().map(|p| p.p99).collect()),
    }
}

/// Rows of the printed table: figure, value.
struct Report {
    rows: Vec<(String, String)>,
}

impl Report {
    fn add(&mut self, figure: impl Into<String>, value: impl Into<String>) {
        let (figure, value) = (figure.into(), value.into());
        eprintln!("  {figure}: {value}");
        self.rows.push((figure, value));
    }

    fn markdown(&self, size: &Size, runs: usize) -> String {
        let mut out = format!(
            "Size: {} ({} vacancies, {} trainings, {} residents); {} runs, medians; {} cores.\n\n| figure | value |\n|---|---|\n",
            size.name,
            size.vacancies,
            size.trainings,
            size.residents,
            runs,
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
        for (figure, value) in &self.rows {
            out.push_str(&format!("| {figure} | {value} |\n"));
        }
        out
    }
}

fn ms(p: Percentiles) -> String {
    format!("p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms", p.p50, p.p95, p.p99)
}

pub async fn run(args: BenchArgs) -> anyhow::Result<String> {
    let size = Size::of(args.size);
    let runs = args.runs.max(1);
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("banenlift-bench-{}", std::process::id())));
    std::fs::create_dir_all(&dir)?;
    let mut report = Report { rows: Vec::new() };
    eprintln!("generating {} data in {}", size.name, dir.display());
    let data = dir.join("data");
    crate::generate::write(&GenerateArgs {
        vacancies: size.vacancies,
        trainings: size.trainings,
        residents: size.residents,
        demo_year: false,
        seed: args.seed,
        out: data.clone(),
    })?;
    let set = OfferSet::from_dir(&data)?;
    let rows = (set.vacancies.len() + set.trainings.len()) as f64;
    // A given database is loaded once; SQLite files are made per run.
    let ingest_runs = if matches!(args.size, BenchSize::National) || args.database_url.is_some() {
        1
    } else {
        runs
    };
    let (mut ingest_rates, mut database_shares) = (Vec::new(), Vec::new());
    for run in 0..ingest_runs {
        let work = dir.join(format!("run{run}"));
        let (database, index) = ingest(&work, &database_url(&args, &work), &set).await?;
        ingest_rates.push(rows / (database + index));
        database_shares.push(100.0 * database / (database + index));
    }
    report.add(
        "bulk ingest into database and index",
        format!(
            "{:.0} offers/s ({:.0}% of the time in the database)",
            median(ingest_rates),
            median(database_shares)
        ),
    );
    let work = dir.join(format!("run{}", ingest_runs - 1));
    let url = database_url(&args, &work);
    let store = Store::connect(&url).await?;
    report.add("database", store.backend());
    let source = DocSource::load(&store).await?;
    let started = Instant::now();
    let mut load = store.begin_load().await?;
    fixtures::load_residents(
        &mut load,
        &source.context(),
        "residents.jsonl",
        &std::fs::read_to_string(data.join("residents.jsonl"))?,
    )
    .await?;
    load.commit().await?;
    report.add(
        "residents import (skills normalised, into the database)",
        format!(
            "{:.0} profiles/s",
            size.residents as f64 / started.elapsed().as_secs_f64()
        ),
    );
    let caseload = Caseload::create(&store).await?;
    let index_dir = work.join("index");
    let mut rebuild_seconds = Vec::new();
    for _ in 0..runs {
        let opened = SearchIndex::open(&index_dir, source.vocabulary.skill_names())?;
        let started = Instant::now();
        drop(rebuild(&source, opened.indexer).await?);
        rebuild_seconds.push(started.elapsed().as_secs_f64());
    }
    report.add(
        "full index rebuild from the database",
        format!("{:.1} s", median(rebuild_seconds)),
    );
    report.add(
        "index size on disk",
        format!("{:.1} MB", dir_size(&index_dir) as f64 / 1e6),
    );
    store.close().await;

    in_process(&url, &index_dir, runs, args.seed, &caseload, &mut report).await?;
    http::over_http(
        &url,
        &index_dir,
        size.http_seconds,
        args.seed,
        &caseload,
        &mut report,
    )
    .await?;
    if args.dir.is_none() {
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(report.markdown(&size, runs))
}

/// A coach with the first residents as clients: only a resident's own coach
/// (or the resident) may ask for their matches.
pub struct Caseload {
    coach: Caller,
    token: String,
    residents: Vec<String>,
}

impl Caseload {
    const CLIENTS: i64 = 200;

    async fn create(store: &Store) -> anyhow::Result<Self> {
        let (coach, token) = create_user(store, "Bench werkcoach", "coach", None).await?;
        let by = ConsentBy {
            user_id: &coach.id,
            version: CONSENT_VERSION,
        };
        let mut residents = Vec::new();
        for mut row in store.residents_for(None, None, Self::CLIENTS, 0).await? {
            row.coach_id = Some(coach.id.clone());
            store.update_resident(&row, &by).await?;
            residents.push(row.id);
        }
        Ok(Self {
            coach: Caller {
                user_id: coach.id,
                role: Role::Coach,
                organisation_id: None,
            },
            token,
            residents,
        })
    }
}

/// Loads the set through the import path and waits until the index holds
/// it; returns the seconds spent writing the database and then the index.
async fn ingest(dir: &Path, url: &str, set: &OfferSet) -> anyhow::Result<(f64, f64)> {
    std::fs::create_dir_all(dir)?;
    let store = Store::connect(url).await?;
    fixtures::ensure_reference(&store).await?;
    let source = DocSource::load(&store).await?;
    let opened = SearchIndex::open(&dir.join("index"), source.vocabulary.skill_names())?;
    let mut indexer = opened.indexer;
    let started = Instant::now();
    let mut load = store.begin_load().await?;
    anyhow::ensure!(
        load.is_empty().await?,
        "the bench needs an empty database, and this one holds offers or residents"
    );
    fixtures::load_offers(&mut load, set).await?;
    load.commit().await?;
    let database = started.elapsed().as_secs_f64();
    loop {
        let (back, round) = drain_outbox(&source, indexer).await?;
        indexer = back;
        if !round? {
            break;
        }
    }
    let index = started.elapsed().as_secs_f64() - database;
    store.close().await;
    Ok((database, index))
}

/// `--database-url`, or a fresh SQLite file in the run's directory.
fn database_url(args: &BenchArgs, work: &Path) -> String {
    args.database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", work.join("bench.db").display()))
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let path: PathBuf = e.path();
                    if path.is_dir() {
                        dir_size(&path)
                    } else {
                        e.metadata().map_or(0, |m| m.len())
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// Search, raw tantivy, matches and candidates through the service
/// functions the handlers call, one at a time.
async fn in_process(
    url: &str,
    index_dir: &Path,
    runs: usize,
    seed: u64,
    caseload: &Caseload,
    report: &mut Report,
) -> anyhow::Result<()> {
    let app = App::start(&StartOptions {
        database_url: url.to_string(),
        index_dir: index_dir.to_path_buf(),
        demo: false,
        lift_scale: 1.0,
        priority_wijken: Vec::new(),
        retention: None,
        lift_refresh: None,
    })
    .await?;
    let state = app.services.clone();
    let mix = queries::mix(QUERY_MIX, seed);
    let (mut ours, mut raw, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let mut ours_run = Vec::new();
        let mut raw_run = Vec::new();
        for params in &mix {
            let started = Instant::now();
            let request = search_request(&state.geo, OfferKind::Vacancy, params)?;
            search(&state, OfferKind::Vacancy, request.clone()).await?;
            ours_run.push(started.elapsed());
            let started = Instant::now();
            state.search.raw_search(&request)?;
            raw_run.push(started.elapsed());
        }
        let (o, r) = (percentiles(ours_run), percentiles(raw_run));
        ratios.push(o.p50 / r.p50.max(1e-9));
        ours.push(o);
        raw.push(r);
    }
    report.add(
        format!("search latency, in-process ({QUERY_MIX} queries, facets and snippets)"),
        ms(median_percentiles(ours)),
    );
    report.add(
        "same mix, raw tantivy (TopDocs + Count, filters as clauses)",
        ms(median_percentiles(raw)),
    );
    report.add(
        "our layer's overhead (median latency ratio)",
        format!("{:.2}×", median(ratios)),
    );

    let mut samples = Vec::new();
    for _ in 0..runs {
        for typed in queries::typed_skills(QUERY_MIX, seed) {
            let started = Instant::now();
            state.vocabulary.suggest(&typed, 10);
            samples.push(started.elapsed());
        }
    }
    report.add(
        format!("skill suggestions, in-process ({QUERY_MIX} typed words, as `GET /api/v1/skills?q=`)"),
        ms(percentiles(samples)),
    );

    let mut samples = Vec::new();
    for id in &caseload.residents {
        let started = Instant::now();
        matches(
            &state,
            &caseload.coach,
            id,
            MatchOptions {
                limit: 20,
                relaxed: false,
            },
        )
        .await?;
        samples.push(started.elapsed());
    }
    report.add(
        format!(
            "matches, resident → top 20 ({} residents, as their coach)",
            caseload.residents.len()
        ),
        ms(percentiles(samples)),
    );
    let vacancies = state.store.offers_after::<VacancyRow>("", 100).await?;
    let mut samples = Vec::new();
    for v in &vacancies {
        // As the vacancy's employer: candidates among all who consented.
        let employer = Caller {
            user_id: format!("bench-{}", v.organisation_id),
            role: Role::Employer,
            organisation_id: Some(v.organisation_id.clone()),
        };
        let started = Instant::now();
        candidates(&state, &employer, &v.id, 50).await?;
        samples.push(started.elapsed());
    }
    report.add(
        format!(
            "candidates, vacancy → top 50 ({} vacancies, as their employer)",
            vacancies.len()
        ),
        ms(percentiles(samples)),
    );
    app.stop().await;
    Ok(())
}
