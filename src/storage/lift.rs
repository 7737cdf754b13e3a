//! What the lift report reads: small facts per resident, outcome and open
//! vacancy, aggregated in memory by `lift`; and the derived match summaries.

use super::db::{Query, Time};
use super::{Store, StoreError, Tx};

/// A resident as the report counts them: where, since when, last seen.
#[derive(Debug, Clone)]
pub struct ResidentFact {
    pub id: String,
    pub wijk_code: String,
    pub created_at: i64,
    pub last_active_at: i64,
}

/// One outcome event (vacancy or training) of a resident.
#[derive(Debug, Clone)]
pub struct OutcomeFact {
    pub resident_id: String,
    pub status: String,
    pub recorded_at: i64,
}

/// Where a vacancy is and when it was open.
#[derive(Debug, Clone)]
pub struct VacancyPlace {
    pub lat: f64,
    pub lon: f64,
    pub posted_on: String,
    pub closes_on: Option<String>,
    pub closed_at: Option<i64>,
}

/// An outcome as imported: of a vacancy, or of a training when `training`.
#[derive(Debug, Clone)]
pub struct ImportedOutcome {
    pub resident_id: String,
    pub offer_id: String,
    pub training: bool,
    pub status: String,
    pub recorded_at: i64,
}

/// A resident's best current match and the skills their best matches miss.
#[derive(Debug, Clone)]
pub struct MatchSummaryRow {
    pub resident_id: String,
    pub best_score: f64,
    pub missing_skills: Vec<String>,
}

impl Store {
    /// Residents registered before `before` (Unix seconds).
    pub async fn lift_residents(&self, before: i64) -> Result<Vec<ResidentFact>, StoreError> {
        let rows = Query::new(
            "SELECT id, wijk_code, created_at, last_active_at FROM residents WHERE created_at < ? ORDER BY id",
        )
        .bind(Time(before))
        .fetch_all(self)
        .await?;
        Ok(rows
            .iter()
            .map(|r| ResidentFact {
                id: r.get("id"),
                wijk_code: r.get("wijk_code"),
                created_at: r.time("created_at"),
                last_active_at: r.time("last_active_at"),
            })
            .collect())
    }

    /// Vacancy outcomes recorded before `before`, oldest first.
    pub async fn lift_outcomes(&self, before: i64) -> Result<Vec<OutcomeFact>, StoreError> {
        self.outcome_facts(
            "SELECT resident_id, status, recorded_at FROM outcomes WHERE recorded_at < ? ORDER BY recorded_at, id",
            before,
        )
        .await
    }

    /// Training outcomes recorded before `before`, oldest first.
    pub async fn lift_training_outcomes(&self, before: i64) -> Result<Vec<OutcomeFact>, StoreError> {
        self.outcome_facts(
            "SELECT resident_id, status, recorded_at FROM training_outcomes WHERE recorded_at < ?
             ORDER BY recorded_at, id",
            before,
        )
        .await
    }

    async fn outcome_facts(&self, sql: &'static str, before: i64) -> Result<Vec<OutcomeFact>, StoreError> {
        let rows = Query::new(sql).bind(Time(before)).fetch_all(self).await?;
        Ok(rows
            .iter()
            .map(|r| OutcomeFact {
                resident_id: r.get("resident_id"),
                status: r.get("status"),
                recorded_at: r.time("recorded_at"),
            })
            .collect())
    }

    /// Every vacancy's place and open days; the report picks those open in
    /// its period. Closed ones count until their last change.
    pub async fn lift_vacancies(&self) -> Result<Vec<VacancyPlace>, StoreError> {
        let rows = Query::new("SELECT lat, lon, posted_on, closes_on, status, updated_at FROM vacancies")
            .fetch_all(self)
            .await?;
        Ok(rows
            .iter()
            .map(|r| {
                let status: String = r.get("status");
                VacancyPlace {
                    lat: r.get("lat"),
                    lon: r.get("lon"),
                    posted_on: r.get("posted_on"),
                    closes_on: r.get("closes_on"),
                    closed_at: (status == "closed").then(|| r.time("updated_at")),
                }
            })
            .collect())
    }

    pub async fn insert_training_outcome(
        &self,
        resident_id: &str,
        training_id: &str,
        status: &str,
        recorded_by: (&str, &str),
        now: i64,
    ) -> Result<(), StoreError> {
        Query::new(
            "INSERT INTO training_outcomes (resident_id, training_id, status, recorded_by, recorded_role, recorded_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(resident_id)
        .bind(training_id)
        .bind(status)
        .bind(recorded_by.0)
        .bind(recorded_by.1)
        .bind(Time(now))
        .execute(self)
        .await?;
        Ok(())
    }

    /// Residents after `after` (by id) whose summary is missing, from
    /// another algorithm version, older than `stale_before`, or older than
    /// their profile; at most `limit`.
    pub async fn residents_needing_summary(
        &self,
        version: &str,
        stale_before: i64,
        after: &str,
        limit: i64,
    ) -> Result<Vec<String>, StoreError> {
        Ok(Query::new(
            "SELECT r.id FROM residents r LEFT JOIN match_summaries m ON m.resident_id = r.id
             WHERE r.id > ? AND (m.resident_id IS NULL OR m.algorithm_version <> ? OR m.computed_at < ?
                OR m.computed_at < r.updated_at)
             ORDER BY r.id LIMIT ?",
        )
        .bind(after)
        .bind(version)
        .bind(Time(stale_before))
        .bind(limit)
        .scalars(self)
        .await?)
    }

    /// How many residents `residents_needing_summary` would still list.
    pub async fn count_residents_needing_summary(
        &self,
        version: &str,
        stale_before: i64,
        after: &str,
    ) -> Result<i64, StoreError> {
        // The condition above again: sqlx takes static SQL, not a format!.
        Ok(Query::new(
            "SELECT COUNT(*) FROM residents r LEFT JOIN match_summaries m ON m.resident_id = r.id
             WHERE r.id > ? AND (m.resident_id IS NULL OR m.algorithm_version <> ? OR m.computed_at < ?
                OR m.computed_at < r.updated_at)",
        )
        .bind(after)
        .bind(version)
        .bind(Time(stale_before))
        .scalar(self)
        .await?)
    }

    pub async fn save_match_summaries(
        &self,
        version: &str,
        now: i64,
        rows: &[MatchSummaryRow],
    ) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut query = Query::new(
            "INSERT INTO match_summaries (resident_id, algorithm_version, computed_at, best_score, missing_skills) VALUES ",
        );
        query.push_values(rows, |b, row| {
            b.push_bind(&row.resident_id)
                .push_bind(version)
                .push_bind(Time(now))
                .push_bind(row.best_score)
                .push_bind(row.missing_skills.join(","));
        });
        query.push(
            " ON CONFLICT (resident_id) DO UPDATE SET algorithm_version = excluded.algorithm_version,
              computed_at = excluded.computed_at, best_score = excluded.best_score,
              missing_skills = excluded.missing_skills",
        );
        query.execute(self).await?;
        Ok(())
    }

    pub async fn match_summaries(&self) -> Result<Vec<MatchSummaryRow>, StoreError> {
        let rows = Query::new("SELECT resident_id, best_score, missing_skills FROM match_summaries")
            .fetch_all(self)
            .await?;
        Ok(rows
            .iter()
            .map(|r| {
                let missing: String = r.get("missing_skills");
                MatchSummaryRow {
                    resident_id: r.get("resident_id"),
                    best_score: r.get("best_score"),
                    missing_skills: missing
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect(),
                }
            })
            .collect())
    }
}

/// Outcomes from the demo fixtures.
pub(super) async fn import_outcomes(tx: &mut Tx, rows: &[ImportedOutcome]) -> Result<(), StoreError> {
    for row in rows {
        let sql = if row.training {
            "INSERT INTO training_outcomes (resident_id, training_id, status, recorded_by, recorded_role, recorded_at)
             VALUES (?, ?, ?, 'import', 'import', ?)"
        } else {
            "INSERT INTO outcomes (resident_id, vacancy_id, status, recorded_by, recorded_role, recorded_at)
             VALUES (?, ?, ?, 'import', 'import', ?)"
        };
        Query::new(sql)
            .bind(&row.resident_id)
            .bind(&row.offer_id)
            .bind(&row.status)
            .bind(Time(row.recorded_at))
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Sets registration and last-use times of imported residents, so that
/// demo history spans a year instead of starting at load.
pub(super) async fn backdate_residents(tx: &mut Tx, dates: &[(String, i64, i64)]) -> Result<(), StoreError> {
    for (id, created_at, last_active_at) in dates {
        Query::new("UPDATE residents SET created_at = ?, updated_at = ?, last_active_at = ? WHERE id = ?")
            .bind(Time(*created_at))
            .bind(Time(*created_at))
            .bind(Time(*last_active_at))
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}
