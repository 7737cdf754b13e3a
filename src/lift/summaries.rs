//! Keeps `match_summaries` fresh: each resident's best match against
//! today's vacancies. Matching everyone takes minutes at city scale, so a
//! request spends a bounded time on it and the server's daily task the rest.

use std::time::{Duration, Instant};

use crate::app::AppState;
use crate::error::AppError;
use crate::residents::matches::{ALGORITHM_VERSION, summary};
use crate::storage::now_unix;

/// How long one report request may spend matching before it answers with
/// what is fresh (and says how many are pending).
pub const REQUEST_BUDGET: Option<Duration> = Some(Duration::from_secs(8));
/// Summaries older than this are recomputed: vacancies open and close daily.
const MAX_AGE_SECONDS: i64 = 24 * 3600;
const BATCH: i64 = 100;

/// Recomputes stale summaries until none are left or `budget` is spent.
/// Returns how many residents are still waiting.
pub async fn refresh(state: &AppState, budget: Option<Duration>) -> Result<usize, AppError> {
    let started = Instant::now();
    let mut previous: Vec<String> = Vec::new();
    loop {
        let now = now_unix();
        let (ids, pending) = state
            .store
            .residents_needing_summary(ALGORITHM_VERSION, now - MAX_AGE_SECONDS, BATCH)
            .await?;
        // The same batch again means those could not be brought up to date
        // (a profile changed "in the future"): stop rather than spin.
        if ids.is_empty() || ids == previous || budget.is_some_and(|b| started.elapsed() >= b) {
            return Ok(pending as usize);
        }
        let mut rows = Vec::with_capacity(ids.len());
        for resident in state.store.residents_by_ids(&ids).await? {
            rows.push(summary(state, &resident).await?);
        }
        state
            .store
            .save_match_summaries(ALGORITHM_VERSION, now, &rows)
            .await?;
        previous = ids;
    }
}

/// How often the server looks for stale summaries.
const REFRESH_EVERY: Duration = Duration::from_secs(3600);

/// Keeps summaries fresh in the background, so that report requests seldom
/// wait; stops when `shutdown` turns true.
pub fn spawn_refresh(
    state: AppState,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                outcome = refresh(&state, None) => {
                    if let Err(e) = outcome {
                        tracing::warn!(error = %e, "refreshing match summaries failed");
                    }
                }
                _ = shutdown.changed() => return,
            }
            tokio::select! {
                _ = tokio::time::sleep(REFRESH_EVERY) => {}
                _ = shutdown.changed() => return,
            }
        }
    })
}
