//! Storage limitation: profiles nobody has used for the configured period
//! are erased, and views-log entries leave after theirs. `now` is a
//! parameter so that tests can move the clock.

use crate::storage::{Store, StoreError};

/// A month counted as 31 days, so "6 months" is never shorter than six
/// calendar months.
const MONTH_SECONDS: i64 = 31 * 86_400;
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
