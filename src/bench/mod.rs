//! `banenlift bench`: reproducible figures for ingest, rebuild, index size,
//! search (ours and raw tantivy), matching, HTTP throughput, write-to-search
//! latency and server memory, on generated data of a chosen size.

mod compare;
mod feed;
mod http;
mod queries;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::app::{App, StartOptions};
use crate::auth::{Caller, Role, create_user};
use crate::config::{BenchArgs, BenchPhase, BenchSize, GenerateArgs};
use crate::fixtures::{self, OfferSet};
use crate::lift::summaries;
use crate::offers::indexing::{DocSource, catch_up, rebuild};
use crate::privacy::CONSENT_VERSION;
use crate::residents::matches::{MatchOptions, candidates, matches};
use crate::search::SearchIndex;
use crate::services::Services;
use crate::storage::{ConsentBy, Store, VacancyRow};

const QUERY_MIX: usize = 240;

struct Size {
    name: &'static str,
    vacancies: usize,
    trainings: usize,
    residents: usize,
    http_seconds: u64,
    /// How long the refresh phase runs before it projects the rest.
    refresh_budget: Option<Duration>,
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
                refresh_budget: None,
            },
            BenchSize::City => Size {
                name: "city",
                vacancies: 100_000,
                trainings: 10_000,
                residents: 100_000,
                http_seconds: 5,
                refresh_budget: None,
            },
            BenchSize::National => Size {
                name: "national",
                vacancies: 1_000_000,
                trainings: 50_000,
                residents: 1_000_000,
                http_seconds: 5,
                refresh_budget: Some(Duration::from_secs(180)),
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

/// Rows of the printed table (figure, value), and tables of their own.
struct Report {
    rows: Vec<(String, String)>,
    tables: Vec<String>,
}

impl Report {
    fn add(&mut self, figure: impl Into<String>, value: impl Into<String>) {
        let (figure, value) = (figure.into(), value.into());
        eprintln!("  {figure}: {value}");
        self.rows.push((figure, value));
    }

    /// A markdown table under a heading of its own, after the figures.
    fn table(&mut self, title: String, header: &[&str], rows: Vec<Vec<String>>) {
        let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
        let mut table = format!("\n{title}:\n\n");
        table.push_str(&line(header.iter().map(|h| h.to_string()).collect()));
        table.push_str(&line(header.iter().map(|_| "---".to_string()).collect()));
        for row in rows {
            table.push_str(&line(row));
        }
        eprint!("{table}");
        self.tables.push(table);
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
        for table in &self.tables {
            out.push_str(table);
        }
        out
    }
}

fn ms(p: Percentiles) -> String {
    format!("p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms", p.p50, p.p95, p.p99)
}

/// Which phases this run measures: all of them, or the one `--only` names;
/// the side-by-side comparison only when asked for.
#[derive(Debug, Clone, Copy)]
struct Plan {
    only: Option<BenchPhase>,
    compare: bool,
}

impl Plan {
    fn includes(self, phase: BenchPhase) -> bool {
        match self.only {
            Some(only) => only == phase,
            None => phase != BenchPhase::Compare || self.compare,
        }
    }

    /// A run of a later phase alone may start from the database and index
    /// an earlier run left in `--dir`; ingest and the residents' import
    /// measure loading, so they always start empty.
    fn may_reuse(self) -> bool {
        self.only.is_some_and(|only| {
            !matches!(
                only,
                BenchPhase::Ingest | BenchPhase::Residents | BenchPhase::Feed
            )
        })
    }
}

pub async fn run(args: BenchArgs) -> anyhow::Result<String> {
    let size = Size::of(args.size);
    let runs = args.runs.max(1);
    let plan = Plan {
        only: args.only,
        compare: args.compare,
    };
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("banenlift-bench-{}", std::process::id())));
    std::fs::create_dir_all(&dir)?;
    let mut report = Report {
        rows: Vec::new(),
        tables: Vec::new(),
    };
    // What the data and the loaded database depend on, so a reused
    // directory is never taken for another size, seed or database.
    let key = format!(
        "{} {} {}",
        size.name,
        args.seed,
        args.database_url.as_deref().unwrap_or("sqlite")
    );
    let data = dir.join("data");
    let loaded_marker = dir.join("loaded");
    let reuse = plan.may_reuse() && std::fs::read_to_string(&loaded_marker).is_ok_and(|k| k == key);
    let work = dir.join("run");
    let url = database_url(&args, &work);
    if reuse {
        eprintln!(
            "reusing the {} data, database and index in {}",
            size.name,
            dir.display()
        );
    } else {
        std::fs::remove_file(&loaded_marker).or_else(ignore_missing)?;
        eprintln!("generating {} data in {}", size.name, dir.display());
        crate::generate::write(&GenerateArgs {
            vacancies: size.vacancies,
            trainings: size.trainings,
            residents: size.residents,
            demo_year: false,
            seed: args.seed,
            out: data.clone(),
        })?;
        load_all(&args, &size, plan, &data, &work, &mut report).await?;
        std::fs::write(&loaded_marker, &key)?;
    }
    let store = Store::connect(&url).await?;
    report.add("database", store.backend());
    let caseload = Caseload::create(&store).await?;
    let index_dir = work.join("index");
    if plan.includes(BenchPhase::Rebuild) {
        let source = DocSource::load(&store).await?;
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
    }
    store.close().await;

    in_process(&args, &size, &url, &work, &caseload, plan, &mut report).await?;
    if plan.includes(BenchPhase::Http) {
        http::over_http(
            &url,
            &index_dir,
            size.http_seconds,
            args.seed,
            &caseload,
            &mut report,
        )
        .await?;
    }
    if args.dir.is_none() {
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(report.markdown(&size, runs))
}

fn ignore_missing(e: std::io::Error) -> std::io::Result<()> {
    if e.kind() == std::io::ErrorKind::NotFound {
        Ok(())
    } else {
        Err(e)
    }
}

/// Offers (timed over `runs` fresh SQLite files, or once into a given
/// database) and then residents, into `work`; reports what the plan
/// includes.
async fn load_all(
    args: &BenchArgs,
    size: &Size,
    plan: Plan,
    data: &Path,
    work: &Path,
    report: &mut Report,
) -> anyhow::Result<()> {
    let set = OfferSet::from_dir(data)?;
    let rows = (set.vacancies.len() + set.trainings.len()) as f64;
    // A given database is loaded once; SQLite files are made per run.
    let ingest_runs = if !plan.includes(BenchPhase::Ingest)
        || matches!(args.size, BenchSize::National)
        || args.database_url.is_some()
    {
        1
    } else {
        args.runs.max(1)
    };
    let (mut ingest_rates, mut database_shares) = (Vec::new(), Vec::new());
    for _ in 0..ingest_runs {
        // Each run starts from nothing: the directory is the bench's own.
        std::fs::remove_dir_all(work).or_else(ignore_missing)?;
        let (database, index) = ingest(work, &database_url(args, work), &set).await?;
        ingest_rates.push(rows / (database + index));
        database_shares.push(100.0 * database / (database + index));
    }
    if plan.includes(BenchPhase::Ingest) {
        report.add(
            "bulk ingest into database and index",
            format!(
                "{:.0} offers/s ({:.0}% of the time in the database)",
                median(ingest_rates),
                median(database_shares)
            ),
        );
    }
    if plan.includes(BenchPhase::Feed) {
        let (rate, made) = feed::import_rate(work, &set).await?;
        report.add(
            "vacancy feed import (JobPosting NDJSON into SQLite and the index)",
            format!(
                "{rate:.0} postings/s ({} created, {} rejected)",
                made.created, made.rejected
            ),
        );
    }
    let store = Store::connect(&database_url(args, work)).await?;
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
    if plan.includes(BenchPhase::Residents) {
        report.add(
            "residents import (skills normalised, into the database)",
            format!(
                "{:.0} profiles/s",
                size.residents as f64 / started.elapsed().as_secs_f64()
            ),
        );
    }
    store.close().await;
    Ok(())
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
    let indexer = opened.indexer;
    let started = Instant::now();
    let mut load = store.begin_load().await?;
    anyhow::ensure!(
        load.is_empty().await?,
        "the bench needs an empty database, and this one holds offers or residents"
    );
    fixtures::load_offers(&mut load, set).await?;
    load.commit().await?;
    let database = started.elapsed().as_secs_f64();
    catch_up(&source, indexer).await?;
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
    args: &BenchArgs,
    size: &Size,
    url: &str,
    work: &Path,
    caseload: &Caseload,
    plan: Plan,
    report: &mut Report,
) -> anyhow::Result<()> {
    let (runs, seed) = (args.runs.max(1), args.seed);
    let app = App::start(&StartOptions {
        database_url: url.to_string(),
        index_dir: work.join("index"),
        demo: false,
        lift_scale: 1.0,
        priority_wijken: Vec::new(),
        retention: None,
        lift_refresh: None,
    })
    .await?;
    let state = app.services.clone();
    // The comparison's first two rows are the search phase's figures.
    if plan.includes(BenchPhase::Search) || plan.includes(BenchPhase::Compare) {
        let searches = compare::Searches::measure(&state, runs, seed).await?;
        searches.report(report);
        if plan.includes(BenchPhase::Compare) {
            compare::compare_phase(&state, work, &args.compare_postgres_url, runs, &searches, report).await?;
        }
    }
    if plan.includes(BenchPhase::Skills) {
        skills_phase(&state, runs, seed, report);
    }
    if plan.includes(BenchPhase::Matches) {
        matches_phase(&state, caseload, report).await?;
    }
    if plan.includes(BenchPhase::Candidates) {
        candidates_phase(&state, report).await?;
    }
    if plan.includes(BenchPhase::Refresh) {
        refresh_phase(&state, size.refresh_budget, report).await?;
    }
    app.stop().await;
    Ok(())
}

fn skills_phase(state: &Services, runs: usize, seed: u64, report: &mut Report) {
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
}

async fn matches_phase(state: &Services, caseload: &Caseload, report: &mut Report) -> anyhow::Result<()> {
    let mut samples = Vec::new();
    for id in &caseload.residents {
        let started = Instant::now();
        matches(
            state,
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
    Ok(())
}

async fn candidates_phase(state: &Services, report: &mut Report) -> anyhow::Result<()> {
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
        candidates(state, &employer, &v.id, 50).await?;
        samples.push(started.elapsed());
    }
    report.add(
        format!(
            "candidates, vacancy → top 50 ({} vacancies, as their employer)",
            vacancies.len()
        ),
        ms(percentiles(samples)),
    );
    Ok(())
}

/// The lift report's summaries for every resident, as the server's daily
/// task computes them. At national size a full pass would take hours, so it
/// runs for a fixed time and the full pass is projected from its rate.
async fn refresh_phase(
    state: &Services,
    budget: Option<Duration>,
    report: &mut Report,
) -> anyhow::Result<()> {
    let residents = state.store.count_residents().await?;
    let started = Instant::now();
    let left = summaries::recompute_all(state, budget).await?;
    let seconds = started.elapsed().as_secs_f64();
    let done = residents.saturating_sub(left as i64);
    let rate = done as f64 / seconds;
    let figure = if left == 0 {
        format!("{seconds:.1} s ({rate:.0} residents/s)")
    } else {
        format!(
            "projected {:.0} s ({rate:.0} residents/s over {done} residents in {seconds:.0} s)",
            residents as f64 / rate.max(1e-9)
        )
    };
    report.add(
        format!("lift report: every resident matched ({residents} residents)"),
        figure,
    );
    Ok(())
}
