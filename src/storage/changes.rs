//! Vacancies as other systems follow them: by when they last changed, for
//! the change feed, and the open ones by page, for the sitemap.

use super::db::{DbRow, Query, Time};
use super::offers::StoredOffer;
use super::{Store, StoreError, VacancyRow};

/// A vacancy with the time of its last change (Unix seconds).
#[derive(Debug, Clone)]
pub struct ChangedVacancy {
    pub vacancy: VacancyRow,
    pub updated_at: i64,
}

/// An open vacancy's id and last change, for a sitemap entry.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenVacancyStamp {
    pub id: String,
    pub updated_at: i64,
}

impl Store {
    /// Vacancies changed at or after `since`, in `(updated_at, id)` order,
    /// after the keyset `after`: pages of the feed's first pass.
    pub async fn vacancies_changed_since(
        &self,
        since: i64,
        after: Option<(i64, &str)>,
        limit: i64,
    ) -> Result<Vec<ChangedVacancy>, StoreError> {
        let mut query =
            Query::new(format!("{} WHERE v.updated_at >= ?", VacancyRow::SELECT)).bind(Time(since));
        if let Some((updated_at, id)) = after {
            query
                .push(" AND (v.updated_at, v.id) > (")
                .push_bind(Time(updated_at))
                .push(", ")
                .push_bind(id)
                .push(")");
        }
        query.push(" ORDER BY v.updated_at, v.id LIMIT ").push_bind(limit);
        let rows = query.fetch_all(self).await?;
        self.changed_from(rows).await
    }

    /// These vacancies as they are now, in id order; unknown ids are skipped.
    pub async fn changed_vacancies(&self, ids: &[String]) -> Result<Vec<ChangedVacancy>, StoreError> {
        let mut query = Query::new(format!("{} WHERE v.id IN (", VacancyRow::SELECT));
        query.push_id_list(ids);
        query.push(" ORDER BY v.id");
        let rows = query.fetch_all(self).await?;
        self.changed_from(rows).await
    }

    async fn changed_from(&self, rows: Vec<DbRow>) -> Result<Vec<ChangedVacancy>, StoreError> {
        let stamps: Vec<i64> = rows.iter().map(|r| r.time("updated_at")).collect();
        let vacancies = self.offers_from::<VacancyRow>(rows).await?;
        Ok(vacancies
            .into_iter()
            .zip(stamps)
            .map(|(vacancy, updated_at)| ChangedVacancy { vacancy, updated_at })
            .collect())
    }

    pub async fn count_open_vacancies(&self) -> Result<i64, StoreError> {
        Ok(Query::new("SELECT COUNT(*) FROM vacancies WHERE status = 'open'")
            .scalar(self)
            .await?)
    }

    /// One page of open vacancies in id order.
    pub async fn open_vacancy_stamps(
        &self,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<OpenVacancyStamp>, StoreError> {
        let rows = Query::new(
            "SELECT id, updated_at FROM vacancies WHERE status = 'open' ORDER BY id LIMIT ? OFFSET ?",
        )
        .bind(limit)
        .bind(offset)
        .fetch_all(self)
        .await?;
        Ok(rows
            .iter()
            .map(|r| OpenVacancyStamp {
                id: r.get("id"),
                updated_at: r.time("updated_at"),
            })
            .collect())
    }
}
