//! Feed imports over the API (`POST /api/v1/imports`): the same import as
//! `banenlift import vacancies` (or `trainings`), run after the answer,
//! with a status that any replica can read while it runs and after it ends.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

use super::course::Trainings;
use super::import::{self, FeedKind, FeedOf, ImportOptions, Outcome, Progress, Record, Summary};
use super::jobposting::Vacancies;
use super::{Offer, new_id, target_organisation};
use crate::auth::{Caller, Role};
use crate::dates::rfc3339;
use crate::error::AppError;
use crate::services::Services;
use crate::storage::{ImportCounts, ImportEnd, ImportRun, TrainingRow, VacancyRow, now_unix};

/// Rejected postings kept with a run, with their line and reason.
pub const MAX_REJECTS_KEPT: usize = 1_000;
const MAX_SOURCE_CHARS: usize = 100;
/// How often a running import tells the database how far it is.
const HEARTBEAT: Duration = Duration::from_secs(2);
/// A run whose heartbeat is older than this was interrupted (a restart).
const STALE_AFTER_SECS: i64 = 60;

/// A feed to load, as it was posted.
pub struct ImportRequest {
    pub kind: FeedOf,
    /// Required for an admin; an employer or provider loads into its own.
    pub organisation_id: Option<String>,
    /// The feed's name among the organisation's (default: the organisation).
    pub source: Option<String>,
    pub close_missing: bool,
    pub csv: bool,
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ImportStatus {
    Running,
    Done,
    Failed,
    /// It stopped without ending (the server restarted): post the feed again.
    Interrupted,
}

/// A rejected posting: where it was in the feed, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RejectedPosting {
    pub line: usize,
    pub reason: String,
}

/// The status resource of one import.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct ImportView {
    pub id: String,
    pub organisation_id: String,
    pub source: String,
    /// What the feed holds.
    pub kind: FeedOf,
    pub close_missing: bool,
    pub status: ImportStatus,
    /// Documents (postings or courses) in the feed.
    pub total: i64,
    /// Documents read so far.
    pub processed: i64,
    /// Filled in when the run is done.
    pub summary: Summary,
    /// The first 1,000 rejected documents.
    pub rejects: Vec<RejectedPosting>,
    /// Why a failed run stopped, in plain words.
    pub error: Option<String>,
    pub started_at: String,
    pub finished_at: Option<String>,
}

fn not_found() -> AppError {
    AppError::NotFound("Deze import bestaat niet. / This import does not exist.".into())
}

/// Checks the request and the feed, records the run and starts it; the
/// answer is the run as it starts.
pub async fn start(svc: &Services, caller: &Caller, request: ImportRequest) -> Result<ImportView, AppError> {
    match request.kind {
        FeedOf::Vacancies => start_of::<Vacancies>(svc, caller, request).await,
        FeedOf::Trainings => start_of::<Trainings>(svc, caller, request).await,
    }
}

async fn start_of<K: FeedKind + 'static>(
    svc: &Services,
    caller: &Caller,
    request: ImportRequest,
) -> Result<ImportView, AppError> {
    let organisation = target_organisation(svc, caller, request.organisation_id, K::Row::OWNER).await?;
    let source = checked_source(request.source, &organisation)?;
    let feed = import::read_feed::<K>(&request.body, request.csv)
        .map_err(|e| AppError::invalid("body", e.to_string()))?;
    drop(request.body);
    let now = now_unix();
    let run = ImportRun {
        id: new_id("imp"),
        organisation_id: organisation.clone(),
        source: source.clone(),
        kind: request.kind.as_str().into(),
        close_missing: request.close_missing,
        status: "running".into(),
        total: feed.records.len() as i64,
        processed: 0,
        counts: ImportCounts::default(),
        rejects: "[]".into(),
        error: None,
        started_at: now,
        heartbeat_at: now,
        finished_at: None,
    };
    svc.store.insert_import(&run).await?;
    let options = ImportOptions {
        organisation,
        source,
        close_missing: request.close_missing,
    };
    spawn_run::<K>(svc.clone(), run.id.clone(), options, feed.records);
    Ok(view(run, now))
}

fn checked_source(source: Option<String>, organisation: &str) -> Result<String, AppError> {
    let Some(source) = source else {
        return Ok(organisation.to_string());
    };
    let source = source.trim();
    if source.is_empty() || source.chars().count() > MAX_SOURCE_CHARS || source.chars().any(char::is_control)
    {
        return Err(AppError::invalid(
            "source",
            "Een bron is 1 tot 100 tekens. / A source is 1 to 100 characters.",
        ));
    }
    Ok(source.to_string())
}

/// One import, on a blocking thread: reading a step's postings keeps every
/// core busy, which must not stall the server's own workers.
fn spawn_run<K: FeedKind + 'static>(svc: Services, id: String, options: ImportOptions, records: Vec<Record>) {
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || handle.block_on(run::<K>(svc, id, options, records)));
}

/// How far the import is, for its heartbeat; each step also wakes the index
/// sync, which then sees the import as the burst it is and commits it in
/// few rounds instead of one per poll.
struct Counter(AtomicUsize, Arc<Notify>);

impl Progress for Counter {
    fn advanced(&self, done: usize) {
        self.0.store(done, Ordering::Relaxed);
        self.1.notify_one();
    }
}

async fn run<K: FeedKind>(svc: Services, id: String, options: ImportOptions, records: Vec<Record>) {
    let counter = Arc::new(Counter(AtomicUsize::new(0), svc.index_notify.clone()));
    let heartbeat = tokio::spawn(beat(svc.clone(), id.clone(), counter.clone()));
    let outcome = import::import::<K>(&svc.store, &svc.context(), &options, records, counter.as_ref()).await;
    heartbeat.abort();
    let rejects;
    let end = match &outcome {
        Ok(outcome) => {
            rejects = rejects_json(outcome);
            ImportEnd {
                status: "done",
                counts: counts(outcome),
                rejects: &rejects,
                error: None,
            }
        }
        Err(error) => {
            tracing::warn!(import = %id, %error, "import failed");
            ImportEnd {
                status: "failed",
                counts: ImportCounts::default(),
                rejects: "[]",
                error: Some(
                    "De import stopte door een fout aan onze kant. Stuur de feed opnieuw: wat al binnen is, \
                     blijft goed staan. / The import stopped on an error on our side; post the feed again.",
                ),
            }
        }
    };
    if let Err(error) = svc.store.finish_import(&id, &end).await {
        tracing::error!(import = %id, %error, "the end of an import could not be recorded");
    }
    svc.index_notify.notify_one();
}

async fn beat(svc: Services, id: String, counter: Arc<Counter>) {
    let mut ticks = tokio::time::interval(HEARTBEAT);
    loop {
        ticks.tick().await;
        let done = counter.0.load(Ordering::Relaxed) as i64;
        if let Err(error) = svc.store.import_heartbeat(&id, done).await {
            tracing::warn!(import = %id, %error, "import heartbeat not recorded");
        }
    }
}

fn counts(outcome: &Outcome) -> ImportCounts {
    let s = &outcome.summary;
    ImportCounts {
        created: s.created as i64,
        updated: s.updated as i64,
        unchanged: s.unchanged as i64,
        closed: s.closed as i64,
        rejected: s.rejected as i64,
    }
}

fn rejects_json(outcome: &Outcome) -> String {
    let kept: Vec<RejectedPosting> = outcome
        .rejected
        .iter()
        .take(MAX_REJECTS_KEPT)
        .map(|r| RejectedPosting {
            line: r.record.line,
            reason: r.reason.clone(),
        })
        .collect();
    serde_json::to_string(&kept).unwrap_or_else(|_| "[]".into())
}

/// The run's status, for the employer or provider of its organisation or
/// an admin; anyone else is told it does not exist.
pub async fn get(svc: &Services, caller: &Caller, id: &str) -> Result<ImportView, AppError> {
    if !super::valid_id(id) {
        return Err(not_found());
    }
    let run = svc.store.import_run(id).await?.ok_or_else(not_found)?;
    let run = view(run, now_unix());
    let may_read = (caller.role == owner(run.kind) || caller.role == Role::Admin)
        && caller.manages(&run.organisation_id);
    if !may_read {
        return Err(not_found());
    }
    Ok(run)
}

/// Who loads and reads feeds of this kind, besides an admin.
fn owner(kind: FeedOf) -> Role {
    match kind {
        FeedOf::Vacancies => VacancyRow::OWNER,
        FeedOf::Trainings => TrainingRow::OWNER,
    }
}

fn view(run: ImportRun, now: i64) -> ImportView {
    let status = match run.status.as_str() {
        "done" => ImportStatus::Done,
        "failed" => ImportStatus::Failed,
        _ if now - run.heartbeat_at > STALE_AFTER_SECS => ImportStatus::Interrupted,
        _ => ImportStatus::Running,
    };
    let c = run.counts;
    ImportView {
        id: run.id,
        organisation_id: run.organisation_id,
        source: run.source,
        kind: FeedOf::parse(&run.kind).unwrap_or_default(),
        close_missing: run.close_missing,
        status,
        total: run.total,
        processed: run.processed,
        summary: Summary {
            created: count(c.created),
            updated: count(c.updated),
            unchanged: count(c.unchanged),
            closed: count(c.closed),
            rejected: count(c.rejected),
        },
        rejects: serde_json::from_str(&run.rejects).unwrap_or_default(),
        error: run.error,
        started_at: rfc3339(run.started_at),
        finished_at: run.finished_at.map(rfc3339),
    }
}

fn count(stored: i64) -> usize {
    usize::try_from(stored).unwrap_or(0)
}
