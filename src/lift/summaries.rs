//! Keeps `match_summaries` fresh: each resident's best match against
//! today's vacancies. Matching everyone takes minutes at city scale, so a
//! request spends a bounded time on it and the server's daily task the rest.

use std::time::{Duration, Instant};

use crate::error::AppError;
use crate::residents::matches::{ALGORITHM_VERSION, summary};
use crate::services::Services;
use crate::storage::now_unix;

/// How long one report request may spend matching before it answers with
/// what is fresh (and says how many are pending).
pub const REQUEST_BUDGET: Option<Duration> = Some(Duration::from_secs(8));
/// Summaries older than this are recomputed: vacancies open and close daily.
const MAX_AGE_SECONDS: i64 = 24 * 3600;
const BATCH: i64 = 100;

/// Recomputes stale summaries, in id order, until the end or until
/// `budget` is spent. Returns how many residents it did not reach.
pub async fn refresh(svc: &Services, budget: Option<Duration>) -> Result<usize, AppError> {
    let started = Instant::now();
    let stale_before = now_unix() - MAX_AGE_SECONDS;
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
        let mut rows = Vec::with_capacity(batch.len());
        for resident in svc.store.residents_by_ids(&batch).await? {
            rows.push(summary(svc, &resident).await?);
        }
        svc.store
            .save_match_summaries(ALGORITHM_VERSION, now_unix(), &rows)
            .await?;
        after.clone_from(last);
    }
}
