//! Employers' requests to contact a pseudonymised candidate.

use std::collections::HashMap;

use super::db::{DbRow, Query, Time};
use super::{Store, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub struct ContactRequestRow {
    pub id: String,
    pub vacancy_id: String,
    pub vacancy_title: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub resident_id: String,
    pub status: String,
    pub requested_at: i64,
    pub answered_at: Option<i64>,
    /// How the resident chose to be reached, once accepted.
    pub shared: Option<SharedContact>,
}

/// The contact route a resident chose on accepting, and what the employer
/// is shown of it.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedContact {
    /// telefoon, email or werkcoach.
    pub route: String,
    pub detail: String,
}

/// Where a request for one resident and vacancy stands, for its employer.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactState {
    pub status: String,
    pub shared: Option<SharedContact>,
}

fn shared_of(r: &DbRow) -> Option<SharedContact> {
    let route: Option<String> = r.get("contact_route");
    let detail: Option<String> = r.get("contact_detail");
    Some(SharedContact {
        route: route?,
        detail: detail?,
    })
}

const SELECT: &str = "SELECT c.id, c.vacancy_id, v.title AS vacancy_title, c.organisation_id,
        o.name AS organisation_name, c.resident_id, c.status, c.requested_at, c.answered_at,
        c.contact_route, c.contact_detail
     FROM contact_requests c JOIN vacancies v ON v.id = c.vacancy_id
     JOIN organisations o ON o.id = c.organisation_id";

fn from_row(r: &DbRow) -> ContactRequestRow {
    ContactRequestRow {
        id: r.get("id"),
        vacancy_id: r.get("vacancy_id"),
        vacancy_title: r.get("vacancy_title"),
        organisation_id: r.get("organisation_id"),
        organisation_name: r.get("organisation_name"),
        resident_id: r.get("resident_id"),
        status: r.get("status"),
        requested_at: r.time("requested_at"),
        answered_at: r.time_opt("answered_at"),
        shared: shared_of(r),
    }
}

impl Store {
    /// A new open request; a second one for the same pair is a unique
    /// violation.
    pub async fn insert_contact_request(
        &self,
        id: &str,
        vacancy_id: &str,
        resident_id: &str,
        organisation_id: &str,
        requested_by: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        Query::new(
            "INSERT INTO contact_requests (id, vacancy_id, resident_id, organisation_id, requested_by, requested_at, status)
             VALUES (?, ?, ?, ?, ?, ?, 'open')",
        )
        .bind(id)
        .bind(vacancy_id)
        .bind(resident_id)
        .bind(organisation_id)
        .bind(requested_by)
        .bind(Time(at))
        .execute(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn contact_request(&self, id: &str) -> Result<Option<ContactRequestRow>, StoreError> {
        let row = Query::new(format!("{SELECT} WHERE c.id = ?"))
            .bind(id)
            .fetch_optional(self)
            .await?;
        Ok(row.as_ref().map(from_row))
    }

    pub async fn contact_requests_of(&self, resident_id: &str) -> Result<Vec<ContactRequestRow>, StoreError> {
        let rows = Query::new(format!(
            "{SELECT} WHERE c.resident_id = ? ORDER BY c.requested_at DESC, c.id"
        ))
        .bind(resident_id)
        .fetch_all(self)
        .await?;
        Ok(rows.iter().map(from_row).collect())
    }

    /// Answers an open request, with the contact shared on acceptance;
    /// false when it was already answered.
    pub async fn answer_contact_request(
        &self,
        id: &str,
        status: &str,
        shared: Option<&SharedContact>,
        answered_by: &str,
        at: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let changed = Query::new(
            "UPDATE contact_requests SET status = ?, contact_route = ?, contact_detail = ?, answered_by = ?, answered_at = ?
             WHERE id = ? AND status = 'open'",
        )
        .bind(status)
        .bind(shared.map(|s| s.route.as_str()))
        .bind(shared.map(|s| s.detail.as_str()))
        .bind(answered_by)
        .bind(Time(at))
        .bind(id)
        .execute(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(changed > 0)
    }

    /// Where the request stands for each resident asked about for one
    /// vacancy.
    pub async fn contact_states(
        &self,
        vacancy_id: &str,
    ) -> Result<HashMap<String, ContactState>, StoreError> {
        let rows = Query::new(
            "SELECT resident_id, status, contact_route, contact_detail FROM contact_requests WHERE vacancy_id = ?",
        )
        .bind(vacancy_id)
        .fetch_all(self)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                let state = ContactState {
                    status: r.get("status"),
                    shared: shared_of(r),
                };
                (r.get("resident_id"), state)
            })
            .collect())
    }
}
