//! Jobs that must run once across all replicas. A replica runs a job only
//! after claiming it: the claim is one conditional UPDATE, so of two
//! replicas that try at once exactly one changes the row. The lease ends
//! with the job, or by itself after `lease` if the replica died, so that
//! another one can take over.

use super::db::{Query, Time};
use super::{Store, StoreError};

impl Store {
    /// Claims `name` for `holder` when it last finished at least `every`
    /// seconds ago and nobody holds it; true when the caller should run it.
    pub async fn claim_job(
        &self,
        name: &str,
        holder: &str,
        every: i64,
        lease: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        Query::new(
            "INSERT INTO job_runs (name, holder, lease_until, last_finished_at) VALUES (?, NULL, ?, ?)
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(Time(0))
        .bind(Time(0))
        .execute(self)
        .await?;
        let claimed = Query::new(
            "UPDATE job_runs SET holder = ?, lease_until = ?
             WHERE name = ? AND lease_until <= ? AND last_finished_at <= ?",
        )
        .bind(holder)
        .bind(Time(now + lease))
        .bind(name)
        .bind(Time(now))
        .bind(Time(now - every))
        .execute(self)
        .await?;
        Ok(claimed == 1)
    }

    /// Ends `holder`'s claim on `name`: the job is done as of `now`.
    pub async fn finish_job(&self, name: &str, holder: &str, now: i64) -> Result<(), StoreError> {
        Query::new(
            "UPDATE job_runs SET holder = NULL, lease_until = ?, last_finished_at = ? WHERE name = ? AND holder = ?",
        )
        .bind(Time(now))
        .bind(Time(now))
        .bind(name)
        .bind(holder)
        .execute(self)
        .await?;
        Ok(())
    }
}
