//! A coach's caseload at a glance: per client the last recorded step and
//! the open contact requests, read in two queries for the whole caseload.

use std::collections::HashMap;

use super::db::Query;
use super::{Store, StoreError};

/// One client of a coach, with where their work stands.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseloadRow {
    pub id: String,
    pub name: String,
    pub wijk_code: String,
    pub findable_by_employers: bool,
    /// Unix seconds: when the client or coach last worked with the profile.
    pub last_active_at: i64,
    pub open_requests: i64,
    /// The latest outcome, for a vacancy or a training.
    pub last_step: Option<LastStep>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LastStep {
    pub status: String,
    pub title: String,
    /// Unix seconds.
    pub at: i64,
}

impl Store {
    pub async fn caseload(&self, coach_id: &str) -> Result<Vec<CaseloadRow>, StoreError> {
        let rows = Query::new(
            "SELECT r.id, r.name, r.wijk_code, r.findable_by_employers, r.last_active_at,
                (SELECT COUNT(*) FROM contact_requests c
                 WHERE c.resident_id = r.id AND c.status = 'open') AS open_requests
             FROM residents r WHERE r.coach_id = ? ORDER BY r.id",
        )
        .bind(coach_id)
        .fetch_all(self)
        .await?;
        let mut last = self.last_steps(coach_id).await?;
        Ok(rows
            .iter()
            .map(|r| {
                let id: String = r.get("id");
                CaseloadRow {
                    last_step: last.remove(&id),
                    name: r.get("name"),
                    wijk_code: r.get("wijk_code"),
                    findable_by_employers: r.get("findable_by_employers"),
                    last_active_at: r.time("last_active_at"),
                    open_requests: r.get("open_requests"),
                    id,
                }
            })
            .collect())
    }

    /// The latest vacancy or training outcome of each of the coach's
    /// clients. Later rows win ties, as the later recording.
    async fn last_steps(&self, coach_id: &str) -> Result<HashMap<String, LastStep>, StoreError> {
        let rows = Query::new(
            "SELECT o.resident_id, o.status, v.title, o.recorded_at, o.id AS seq, 0 AS kind
             FROM outcomes o JOIN residents r ON r.id = o.resident_id
             JOIN vacancies v ON v.id = o.vacancy_id WHERE r.coach_id = ?
             UNION ALL
             SELECT o.resident_id, o.status, t.title, o.recorded_at, o.id AS seq, 1 AS kind
             FROM training_outcomes o JOIN residents r ON r.id = o.resident_id
             JOIN trainings t ON t.id = o.training_id WHERE r.coach_id = ?
             ORDER BY recorded_at, kind, seq",
        )
        .bind(coach_id)
        .bind(coach_id)
        .fetch_all(self)
        .await?;
        let mut out = HashMap::new();
        for r in rows {
            let step = LastStep {
                status: r.get("status"),
                title: r.get("title"),
                at: r.time("recorded_at"),
            };
            out.insert(r.get("resident_id"), step);
        }
        Ok(out)
    }
}
