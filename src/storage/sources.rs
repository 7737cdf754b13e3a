//! Offers that came from an applicant-tracking system or a feed, by
//! `(source, identifier)`: so that the same posting or course sent again,
//! or loaded again the next night, updates the offer it already is.

use std::collections::HashMap;

use super::batch::insert_rows;
use super::db::{Query, Time};
use super::offers::{StoredOffer, insert_offers, update_offer};
use super::outbox::append_outbox;
use super::{Store, StoreError, now_unix};
use crate::outbox::OutboxPosition;

/// A source's posting as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedOffer {
    pub offer_id: String,
    pub digest: String,
    pub open: bool,
}

/// A new or changed offer with the identifier and digest of the document
/// it came from.
#[derive(Debug, Clone)]
pub struct SourcedRow<R> {
    pub row: R,
    pub identifier: String,
    pub digest: String,
}

/// What one step of an import writes, in one transaction: rerun after an
/// interruption, the steps already written read as unchanged.
#[derive(Debug)]
pub struct ImportBatch<R> {
    pub created: Vec<SourcedRow<R>>,
    /// Changed documents: the row keeps the stored offer's id.
    pub updated: Vec<SourcedRow<R>>,
    /// Offers to close, by id.
    pub closed: Vec<String>,
}

impl<R> Default for ImportBatch<R> {
    fn default() -> Self {
        Self {
            created: Vec::new(),
            updated: Vec::new(),
            closed: Vec::new(),
        }
    }
}

impl<R> ImportBatch<R> {
    pub fn is_empty(&self) -> bool {
        self.created.is_empty() && self.updated.is_empty() && self.closed.is_empty()
    }
}

impl Store {
    /// Every document a source has sent, by its identifier.
    pub async fn offer_sources<R: StoredOffer>(
        &self,
        source: &str,
    ) -> Result<HashMap<String, SourcedOffer>, StoreError> {
        let rows = Query::new(format!(
            "SELECT s.identifier, s.{key} AS offer_id, s.digest, o.status FROM {sources} s \
             JOIN {table} o ON o.id = s.{key} WHERE s.source = ?",
            key = R::LINK_KEY,
            sources = R::SOURCES,
            table = R::TABLE,
        ))
        .bind(source)
        .fetch_all(self)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                let status: String = r.get("status");
                let sourced = SourcedOffer {
                    offer_id: r.get("offer_id"),
                    digest: r.get("digest"),
                    open: status == "open",
                };
                (r.get("identifier"), sourced)
            })
            .collect())
    }

    /// The offer a source's document was stored as.
    pub async fn offer_from_source<R: StoredOffer>(
        &self,
        source: &str,
        identifier: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(Query::new(format!(
            "SELECT {} FROM {} WHERE source = ? AND identifier = ?",
            R::LINK_KEY,
            R::SOURCES
        ))
        .bind(source)
        .bind(identifier)
        .scalar_optional(self)
        .await?)
    }

    /// Writes one step of an import for `source`; `None` when there was
    /// nothing to write. A pair already taken is a unique violation.
    pub async fn apply_import<R: StoredOffer + Clone>(
        &self,
        source: &str,
        batch: &ImportBatch<R>,
    ) -> Result<Option<OutboxPosition>, StoreError> {
        if batch.is_empty() {
            return Ok(None);
        }
        let mut tx = self.begin_write().await?;
        let created: Vec<R> = batch.created.iter().map(|c| c.row.clone()).collect();
        if !created.is_empty() {
            insert_offers(&mut tx, &created).await?;
            insert_rows(
                &mut tx,
                &format!(
                    "INSERT INTO {} (source, identifier, {}, digest)",
                    R::SOURCES,
                    R::LINK_KEY
                ),
                4,
                &batch.created,
                |values, c| {
                    values
                        .push_bind(source)
                        .push_bind(&c.identifier)
                        .push_bind(c.row.id())
                        .push_bind(&c.digest);
                },
            )
            .await?;
        }
        for changed in &batch.updated {
            update_offer(&mut tx, &changed.row).await?;
            Query::new(format!(
                "UPDATE {} SET digest = ? WHERE {} = ?",
                R::SOURCES,
                R::LINK_KEY
            ))
            .bind(&changed.digest)
            .bind(changed.row.id())
            .execute(&mut tx)
            .await?;
        }
        if !batch.closed.is_empty() {
            let mut close = Query::new(format!(
                "UPDATE {} SET status = 'closed', updated_at = ",
                R::TABLE
            ));
            close.push_bind(Time(now_unix())).push(" WHERE id IN (");
            close.push_id_list(&batch.closed);
            close.execute(&mut tx).await?;
        }
        let ids = created
            .iter()
            .map(R::id)
            .chain(batch.updated.iter().map(|c| c.row.id()))
            .chain(batch.closed.iter().map(String::as_str));
        let seq = append_outbox(&mut tx, R::KIND, ids).await?;
        tx.commit().await?;
        Ok(Some(seq))
    }
}
