//! Consent, the views log, outcomes and retention: the records that make
//! the handling of personal data accountable.

use super::batch::insert_rows;
use super::db::{Query, Time};
use super::residents::{ConsentBy, insert_consent_event};
use super::{Store, StoreError, Tx};

#[derive(Debug, Clone, PartialEq)]
pub struct ConsentEventRow {
    pub findable: bool,
    pub version: String,
    pub recorded_by: String,
    pub recorded_at: i64,
}

/// One read of a resident's personal data.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub at: i64,
    pub actor_id: String,
    pub actor_role: String,
    pub actor_organisation: Option<String>,
    pub resident_id: String,
    pub purpose: String,
    pub algorithm_version: Option<String>,
}

/// A views-log entry as the resident sees it: who, by role and name.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewRow {
    pub at: i64,
    pub actor_role: String,
    /// The viewer's organisation, or the user's name for coaches and admins;
    /// `None` when the account no longer exists.
    pub actor_name: Option<String>,
    pub purpose: String,
    pub algorithm_version: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeRow {
    pub resident_id: String,
    /// The vacancy's or the training's id and title.
    pub offer_id: String,
    pub offer_title: String,
    pub status: String,
    pub recorded_role: String,
    pub recorded_at: i64,
}

impl Store {
    /// Sets consent and the derived `findable_skills` in one transaction, so
    /// a withdrawal removes the resident from candidate lists at once.
    pub async fn set_consent(
        &self,
        resident_id: &str,
        findable: bool,
        by: &ConsentBy<'_>,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let changed =
            Query::new("UPDATE residents SET findable_by_employers = ?, last_active_at = ? WHERE id = ?")
                .bind(findable)
                .bind(Time(now))
                .bind(resident_id)
                .execute(&mut tx)
                .await?;
        if changed == 0 {
            return Ok(false);
        }
        refresh_findable_skills(&mut tx, resident_id, findable).await?;
        insert_consent_event(&mut tx, resident_id, findable, by, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn consent_history(&self, resident_id: &str) -> Result<Vec<ConsentEventRow>, StoreError> {
        let rows = Query::new(
            "SELECT findable, version, recorded_by, recorded_at FROM consent_events WHERE resident_id = ? ORDER BY id",
        )
        .bind(resident_id)
        .fetch_all(self)
        .await?;
        Ok(rows
            .iter()
            .map(|r| ConsentEventRow {
                findable: r.get("findable"),
                version: r.get("version"),
                recorded_by: r.get("recorded_by"),
                recorded_at: r.time("recorded_at"),
            })
            .collect())
    }

    pub async fn record_views(&self, entries: &[AuditEntry]) -> Result<(), StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        let insert = "INSERT INTO audit_log (at, actor_id, actor_role, actor_organisation, resident_id, purpose, algorithm_version)";
        insert_rows(&mut tx, insert, 7, entries, |values, e| {
            values
                .push_bind(Time(e.at))
                .push_bind(e.actor_id.clone())
                .push_bind(e.actor_role.clone())
                .push_bind(e.actor_organisation.clone())
                .push_bind(e.resident_id.clone())
                .push_bind(e.purpose.clone())
                .push_bind(e.algorithm_version.clone());
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The views log of one resident, newest first.
    pub async fn views_of(&self, resident_id: &str, limit: i64) -> Result<Vec<ViewRow>, StoreError> {
        let rows = Query::new(
            "SELECT a.at, a.actor_role, a.purpose, a.algorithm_version, COALESCE(o.name, u.name) AS actor_name
             FROM audit_log a
             LEFT JOIN users u ON u.id = a.actor_id
             LEFT JOIN organisations o ON o.id = a.actor_organisation
             WHERE a.resident_id = ? ORDER BY a.at DESC, a.id DESC LIMIT ?",
        )
        .bind(resident_id)
        .bind(limit)
        .fetch_all(self)
        .await?;
        Ok(rows
            .iter()
            .map(|r| ViewRow {
                at: r.time("at"),
                actor_role: r.get("actor_role"),
                actor_name: r.get("actor_name"),
                purpose: r.get("purpose"),
                algorithm_version: r.get("algorithm_version"),
            })
            .collect())
    }

    /// Marks a profile as in use now.
    pub async fn touch_resident(&self, resident_id: &str, now: i64) -> Result<(), StoreError> {
        Query::new("UPDATE residents SET last_active_at = ? WHERE id = ?")
            .bind(Time(now))
            .bind(resident_id)
            .execute(self)
            .await?;
        Ok(())
    }

    /// Records that an employer was shown these residents as candidates for
    /// a vacancy, each under its latest consent event; residents who do not
    /// consent (any more) are skipped in the same statement.
    pub async fn record_listings(
        &self,
        vacancy_id: &str,
        resident_ids: &[String],
        now: i64,
    ) -> Result<(), StoreError> {
        if resident_ids.is_empty() {
            return Ok(());
        }
        let mut query = Query::new(
            "INSERT INTO candidate_listings (resident_id, vacancy_id, consent_event_id, shown_at)
             SELECT id, vacancy, consent, shown FROM (SELECT r.id, ",
        );
        query.push_bind(vacancy_id.to_string());
        query.push(
            " AS vacancy, (SELECT MAX(c.id) FROM consent_events c WHERE c.resident_id = r.id) AS consent, ",
        );
        query.push_bind(Time(now));
        query.push(" AS shown FROM residents r WHERE r.findable_by_employers = TRUE AND r.id IN (");
        query.push_id_list(resident_ids);
        query.push(") AS listed WHERE consent IS NOT NULL ON CONFLICT DO NOTHING");
        let mut tx = self.begin_write().await?;
        query.execute(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether the resident was listed as a candidate for this vacancy under
    /// the consent in force now: a consent withdrawn and given again needs a
    /// new listing.
    pub async fn listed_under_current_consent(
        &self,
        resident_id: &str,
        vacancy_id: &str,
    ) -> Result<bool, StoreError> {
        Ok(Query::new(
            "SELECT EXISTS (SELECT 1 FROM candidate_listings l
               JOIN consent_events c ON c.id = l.consent_event_id AND c.findable = TRUE
              WHERE l.resident_id = ? AND l.vacancy_id = ?
                AND l.consent_event_id = (SELECT MAX(id) FROM consent_events WHERE resident_id = l.resident_id))",
        )
        .bind(resident_id)
        .bind(vacancy_id)
        .scalar(self)
        .await?)
    }

    pub async fn insert_outcome(
        &self,
        resident_id: &str,
        vacancy_id: &str,
        status: &str,
        recorded_by: &str,
        recorded_role: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        Query::new(
            "INSERT INTO outcomes (resident_id, vacancy_id, status, recorded_by, recorded_role, recorded_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(resident_id)
        .bind(vacancy_id)
        .bind(status)
        .bind(recorded_by)
        .bind(recorded_role)
        .bind(Time(now))
        .execute(self)
        .await?;
        Ok(())
    }

    /// Outcomes of one resident, or (with `vacancy_id`) of one pair, oldest first.
    pub async fn outcomes_of(
        &self,
        resident_id: &str,
        vacancy_id: Option<&str>,
    ) -> Result<Vec<OutcomeRow>, StoreError> {
        let query = Query::new(
            "SELECT o.resident_id, o.vacancy_id AS offer_id, v.title, o.status, o.recorded_role, o.recorded_at
             FROM outcomes o JOIN vacancies v ON v.id = o.vacancy_id
             WHERE o.resident_id = ? AND (? IS NULL OR o.vacancy_id = ?) ORDER BY o.recorded_at, o.id",
        );
        self.outcome_rows(query, resident_id, vacancy_id).await
    }

    /// Training outcomes of one resident, or (with `training_id`) of one pair, oldest first.
    pub async fn training_outcomes_of(
        &self,
        resident_id: &str,
        training_id: Option<&str>,
    ) -> Result<Vec<OutcomeRow>, StoreError> {
        let query = Query::new(
            "SELECT o.resident_id, o.training_id AS offer_id, t.title, o.status, o.recorded_role, o.recorded_at
             FROM training_outcomes o JOIN trainings t ON t.id = o.training_id
             WHERE o.resident_id = ? AND (? IS NULL OR o.training_id = ?) ORDER BY o.recorded_at, o.id",
        );
        self.outcome_rows(query, resident_id, training_id).await
    }

    async fn outcome_rows(
        &self,
        query: Query,
        resident_id: &str,
        offer_id: Option<&str>,
    ) -> Result<Vec<OutcomeRow>, StoreError> {
        let rows = query
            .bind(resident_id)
            .bind(offer_id)
            .bind(offer_id)
            .fetch_all(self)
            .await?;
        Ok(rows
            .iter()
            .map(|r| OutcomeRow {
                resident_id: r.get("resident_id"),
                offer_id: r.get("offer_id"),
                offer_title: r.get("title"),
                status: r.get("status"),
                recorded_role: r.get("recorded_role"),
                recorded_at: r.time("recorded_at"),
            })
            .collect())
    }

    /// Erases profiles not used since `before`, with their jobseeker
    /// accounts; returns how many.
    pub async fn purge_inactive_residents(&self, before: i64) -> Result<u64, StoreError> {
        let ids: Vec<String> = Query::new("SELECT id FROM residents WHERE last_active_at < ?")
            .bind(Time(before))
            .scalars(self)
            .await?;
        let mut purged = 0;
        for id in ids {
            // Checked again inside the delete: it may have been used since.
            purged += u64::from(self.delete_resident_if(&id, before).await?);
        }
        Ok(purged)
    }

    /// Drops views-log entries older than `before`; returns how many.
    pub async fn purge_audit_log(&self, before: i64) -> Result<u64, StoreError> {
        Ok(Query::new("DELETE FROM audit_log WHERE at < ?")
            .bind(Time(before))
            .execute(self)
            .await?)
    }
}

async fn refresh_findable_skills(tx: &mut Tx, resident_id: &str, findable: bool) -> Result<(), StoreError> {
    Query::new("DELETE FROM findable_skills WHERE resident_id = ?")
        .bind(resident_id)
        .execute(&mut *tx)
        .await?;
    if findable {
        Query::new(
            "INSERT INTO findable_skills (skill_id, resident_id)
             SELECT DISTINCT skill_id, resident_id FROM resident_skills WHERE resident_id = ? AND skill_id IS NOT NULL",
        )
        .bind(resident_id)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
