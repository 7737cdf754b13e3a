//! Loading a whole data set (the demo, or a generated set) in one write
//! transaction: nothing of it is visible until `commit`, so a load that is
//! interrupted, even by `kill -9`, leaves the database as it was and can
//! simply be run again.

use super::db::Query;
use super::lift::ImportedOutcome;
use super::residents::ConsentBy;
use super::users::UserContact;
use super::{OrganisationRow, ResidentRow, Store, StoreError, StoredOffer, Tx};

/// The advisory lock key of a bulk load ("BL-LOAD" in ASCII).
const BULK_LOAD_LOCK: i64 = 0x0042_4c2d_4c4f_4144;

pub struct BulkLoad {
    tx: Tx,
}

impl Store {
    /// On SQLite this holds the write lock until commit: writes by a
    /// running server wait (up to the busy timeout) while a large set loads.
    /// On PostgreSQL other writers go on, and an advisory lock keeps a
    /// second load out until this one commits.
    pub async fn begin_load(&self) -> Result<BulkLoad, StoreError> {
        Ok(BulkLoad {
            tx: self.begin_exclusive().await?,
        })
    }

    /// A write transaction that no other load runs beside: SQLite's write
    /// lock already is one; on PostgreSQL an advisory lock held to commit.
    pub(super) async fn begin_exclusive(&self) -> Result<Tx, StoreError> {
        let mut tx = self.begin_write().await?;
        if tx.is_postgres() {
            Query::new("SELECT pg_advisory_xact_lock(?)")
                .bind(BULK_LOAD_LOCK)
                .execute(&mut tx)
                .await?;
        }
        Ok(tx)
    }
}

impl BulkLoad {
    /// Whether the database holds no organisations, offers or residents,
    /// read inside the load, so two loads cannot both find it empty.
    pub async fn is_empty(&mut self) -> Result<bool, StoreError> {
        Ok(Query::new(
            "SELECT NOT EXISTS (SELECT 1 FROM organisations) AND NOT EXISTS (SELECT 1 FROM vacancies)
               AND NOT EXISTS (SELECT 1 FROM trainings) AND NOT EXISTS (SELECT 1 FROM residents)",
        )
        .scalar(&mut self.tx)
        .await?)
    }

    pub async fn organisations(&mut self, rows: &[OrganisationRow]) -> Result<(), StoreError> {
        super::offers::insert_organisations(&mut self.tx, rows).await
    }

    pub async fn offers<R: StoredOffer>(&mut self, rows: &[R]) -> Result<(), StoreError> {
        super::offers::insert_offers(&mut self.tx, rows).await.map(drop)
    }

    pub async fn coaches(&mut self, users: &[(String, UserContact)]) -> Result<(), StoreError> {
        super::residents::insert_coaches(&mut self.tx, users).await
    }

    pub async fn residents(&mut self, rows: &[ResidentRow], by: &ConsentBy<'_>) -> Result<(), StoreError> {
        super::residents::insert_residents(&mut self.tx, rows, by).await
    }

    pub async fn outcomes(&mut self, rows: &[ImportedOutcome]) -> Result<(), StoreError> {
        super::lift::import_outcomes(&mut self.tx, rows).await
    }

    pub async fn backdate_residents(&mut self, dates: &[(String, i64, i64)]) -> Result<(), StoreError> {
        super::lift::backdate_residents(&mut self.tx, dates).await
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        Ok(self.tx.commit().await?)
    }
}
