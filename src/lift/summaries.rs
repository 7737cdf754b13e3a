//! Keeps `match_summaries` fresh: each resident's best match against
//! today's vacancies. Matching everyone takes minutes at city scale, so a
//! request spends a bounded time on it and the server's daily task the rest.

use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use crate::error::AppError;
use crate::residents::matches::{ALGORITHM_VERSION, summary};
use crate::services::Services;
use crate::storage::{MatchSummaryRow, ResidentRow, now_unix};

/// How long one report request may spend matching before it answers with
/// what is fresh (and says how many are pending).
pub const REQUEST_BUDGET: Option<Duration> = Some(Duration::from_secs(8));
/// Summaries older than this are recomputed: vacancies open and close daily.
const MAX_AGE_SECONDS: i64 = 24 * 3600;
const BATCH: i64 = 400;

/// Recomputes stale summaries, in id order, until the end or until
/// `budget` is spent. Returns how many residents it did not reach.
pub async fn refresh(svc: &Services, budget: Option<Duration>) -> Result<usize, AppError> {
    refresh_computed_before(svc, budget, now_unix() - MAX_AGE_SECONDS).await
}

/// Every resident's summary recomputed now, however fresh, or as many as
/// the budget allows: what the bench measures as a full refresh. Returns
/// how many were left.
pub async fn recompute_all(svc: &Services, budget: Option<Duration>) -> Result<usize, AppError> {
    refresh_computed_before(svc, budget, now_unix() + 1).await
}

async fn refresh_computed_before(
    svc: &Services,
    budget: Option<Duration>,
    stale_before: i64,
) -> Result<usize, AppError> {
    let started = Instant::now();
    let mut after = String::new();
    loop {
        if budget.is_some_and(|b| started.elapsed() >= b) {
            let left = svc
                .store
                .count_residents_needing_summary(ALGORITHM_VERSION, stale_before, &after)
                .await?;
            return Ok(left as usize);
        }
        let batch = svc
            .store
            .residents_needing_summary(ALGORITHM_VERSION, stale_before, &after, BATCH)
            .await?;
        let Some(last) = batch.last() else { return Ok(0) };
        let rows = summaries_of(svc, svc.store.residents_by_ids(&batch).await?).await?;
        svc.store
            .save_match_summaries(ALGORITHM_VERSION, now_unix(), &rows)
            .await?;
        after.clone_from(last);
    }
}

/// A batch's summaries, a few residents at a time: matching one is mostly
/// CPU (scoring) and index work on the blocking pool, so two per core keep
/// every core busy without crowding them.
async fn summaries_of(svc: &Services, residents: Vec<ResidentRow>) -> Result<Vec<MatchSummaryRow>, AppError> {
    let at_once = 2 * std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut running = JoinSet::new();
    let mut rows = Vec::with_capacity(residents.len());
    for resident in residents {
        if running.len() >= at_once
            && let Some(done) = running.join_next().await
        {
            rows.push(joined(done)?);
        }
        let svc = svc.clone();
        running.spawn(async move { summary(&svc, &resident).await });
    }
    while let Some(done) = running.join_next().await {
        rows.push(joined(done)?);
    }
    Ok(rows)
}

fn joined(
    done: Result<Result<MatchSummaryRow, AppError>, tokio::task::JoinError>,
) -> Result<MatchSummaryRow, AppError> {
    done.map_err(|e| AppError::Internal(e.into()))?
}
