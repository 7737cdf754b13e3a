//! Loading a whole data set (the demo, or a generated set) in one write
//! transaction: nothing of it is visible until `commit`, so a load that is
//! interrupted, even by `kill -9`, leaves the database as it was and can
//! simply be run again.

use super::lift::ImportedOutcome;
use super::residents::ConsentBy;
use super::{OrganisationRow, ResidentRow, Store, StoreError, StoredOffer, Tx};

pub struct BulkLoad {
    tx: Tx,
}

impl Store {
    /// Holds the write lock until commit: writes by a running server wait
    /// (up to the busy timeout) while a large set loads.
    pub async fn begin_load(&self) -> Result<BulkLoad, StoreError> {
        Ok(BulkLoad {
            tx: self.begin_write().await?,
        })
    }
}

impl BulkLoad {
    /// Whether the database holds no organisations, offers or residents,
    /// read inside the load, so two loads cannot both find it empty.
    pub async fn is_empty(&mut self) -> Result<bool, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT NOT EXISTS (SELECT 1 FROM organisations) AND NOT EXISTS (SELECT 1 FROM vacancies)
               AND NOT EXISTS (SELECT 1 FROM trainings) AND NOT EXISTS (SELECT 1 FROM residents)",
        )
        .fetch_one(&mut *self.tx)
        .await?)
    }

    pub async fn organisations(&mut self, rows: &[OrganisationRow]) -> Result<(), StoreError> {
        super::offers::insert_organisations(&mut self.tx, rows).await
    }

    pub async fn offers<R: StoredOffer>(&mut self, rows: &[R]) -> Result<(), StoreError> {
        super::offers::insert_offers(&mut self.tx, rows).await.map(drop)
    }

    pub async fn coaches(&mut self, users: &[(String, String)]) -> Result<(), StoreError> {
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
