//! Storage limitation: profiles nobody has used for the configured period
//! are erased, and views-log entries leave after theirs. `now` is a
//! parameter so that tests can move the clock.

use std::time::Duration;

use tokio::sync::watch;

use crate::storage::{Store, StoreError, now_unix};

/// A month counted as 31 days, so "6 months" is never shorter than six
/// calendar months.
const MONTH_SECONDS: i64 = 31 * 86_400;
const EVERY: Duration = Duration::from_secs(24 * 60 * 60);
/// How long an `Idempotency-Key` and its stored answer are kept.
pub const IDEMPOTENCY_KEY_SECONDS: i64 = 86_400;

/// How long unused profiles and views-log entries are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub profile_months: u32,
    pub audit_months: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub profiles: u64,
    pub views: u64,
}

pub async fn purge(store: &Store, retention: &Retention, now: i64) -> Result<Purged, StoreError> {
    let profiles = store
        .purge_inactive_residents(now - i64::from(retention.profile_months) * MONTH_SECONDS)
        .await?;
    let views = store
        .purge_audit_log(now - i64::from(retention.audit_months) * MONTH_SECONDS)
        .await?;
    store
        .purge_idempotency_keys(now - IDEMPOTENCY_KEY_SECONDS)
        .await?;
    Ok(Purged { profiles, views })
}

/// Purges at start and then daily until `shutdown` turns true.
pub fn spawn_daily(
    store: Store,
    retention: Retention,
    mut shutdown: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match purge(&store, &retention, now_unix()).await {
                Ok(purged) => tracing::info!(
                    profiles = purged.profiles,
                    views = purged.views,
                    "retention purge"
                ),
                Err(error) => tracing::error!(%error, "retention purge failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(EVERY) => {}
                _ = shutdown.changed() => return,
            }
        }
    })
}
