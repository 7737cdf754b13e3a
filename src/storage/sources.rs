//! Vacancies that came from an applicant-tracking system or a feed, by
//! `(source, identifier)`: so that the same posting sent again, or loaded
//! again the next night, updates the vacancy it already is.

use std::collections::HashMap;

use super::batch::insert_rows;
use super::db::{Query, Time};
use super::offers::{insert_offers, update_offer};
use super::outbox::append_outbox;
use super::{Store, StoreError, VacancyRow, now_unix};
use crate::codes::OfferKind;
use crate::outbox::OutboxPosition;

/// A source's posting as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedVacancy {
    pub vacancy_id: String,
    pub digest: String,
    pub open: bool,
}

/// A new vacancy with the identifier and digest of the posting it came from.
#[derive(Debug, Clone)]
pub struct SourcedRow {
    pub row: VacancyRow,
    pub identifier: String,
    pub digest: String,
}

/// What one step of an import writes, in one transaction: rerun after an
/// interruption, the steps already written read as unchanged.
#[derive(Debug, Default)]
pub struct ImportBatch {
    pub created: Vec<SourcedRow>,
    /// Changed postings: the row keeps the stored vacancy's id.
    pub updated: Vec<SourcedRow>,
    /// Vacancies to close, by id.
    pub closed: Vec<String>,
}

impl ImportBatch {
    pub fn is_empty(&self) -> bool {
        self.created.is_empty() && self.updated.is_empty() && self.closed.is_empty()
    }
}

impl Store {
    /// Every posting a source has sent, by its identifier.
    pub async fn vacancy_sources(&self, source: &str) -> Result<HashMap<String, SourcedVacancy>, StoreError> {
        let rows = Query::new(
            "SELECT s.identifier, s.vacancy_id, s.digest, v.status FROM vacancy_sources s \
             JOIN vacancies v ON v.id = s.vacancy_id WHERE s.source = ?",
        )
        .bind(source)
        .fetch_all(self)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                let status: String = r.get("status");
                let sourced = SourcedVacancy {
                    vacancy_id: r.get("vacancy_id"),
                    digest: r.get("digest"),
                    open: status == "open",
                };
                (r.get("identifier"), sourced)
            })
            .collect())
    }

    /// The vacancy a source's posting was stored as.
    pub async fn vacancy_from_source(
        &self,
        source: &str,
        identifier: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(
            Query::new("SELECT vacancy_id FROM vacancy_sources WHERE source = ? AND identifier = ?")
                .bind(source)
                .bind(identifier)
                .scalar_optional(self)
                .await?,
        )
    }

    /// Writes one step of an import for `source`; `None` when there was
    /// nothing to write. A pair already taken is a unique violation.
    pub async fn apply_import(
        &self,
        source: &str,
        batch: &ImportBatch,
    ) -> Result<Option<OutboxPosition>, StoreError> {
        if batch.is_empty() {
            return Ok(None);
        }
        let mut tx = self.begin_write().await?;
        let created: Vec<VacancyRow> = batch.created.iter().map(|c| c.row.clone()).collect();
        if !created.is_empty() {
            insert_offers(&mut tx, &created).await?;
            insert_rows(
                &mut tx,
                "INSERT INTO vacancy_sources (source, identifier, vacancy_id, digest)",
                4,
                &batch.created,
                |values, c| {
                    values
                        .push_bind(source)
                        .push_bind(&c.identifier)
                        .push_bind(&c.row.id)
                        .push_bind(&c.digest);
                },
            )
            .await?;
        }
        for changed in &batch.updated {
            update_offer(&mut tx, &changed.row).await?;
            Query::new("UPDATE vacancy_sources SET digest = ? WHERE vacancy_id = ?")
                .bind(&changed.digest)
                .bind(&changed.row.id)
                .execute(&mut tx)
                .await?;
        }
        if !batch.closed.is_empty() {
            let mut close = Query::new("UPDATE vacancies SET status = 'closed', updated_at = ");
            close.push_bind(Time(now_unix())).push(" WHERE id IN (");
            close.push_id_list(&batch.closed);
            close.execute(&mut tx).await?;
        }
        let ids = created
            .iter()
            .map(|r| r.id.as_str())
            .chain(batch.updated.iter().map(|c| c.row.id.as_str()))
            .chain(batch.closed.iter().map(String::as_str));
        let seq = append_outbox(&mut tx, OfferKind::Vacancy, ids).await?;
        tx.commit().await?;
        Ok(Some(seq))
    }
}
