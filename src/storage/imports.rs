//! Feed imports started over the API, and how far each has come.

use super::db::{DbRow, Query, Time};
use super::{Store, StoreError, now_unix};

/// One run as stored; counts are postings.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRun {
    pub id: String,
    pub organisation_id: String,
    pub source: String,
    /// `vacancies` or `trainings`.
    pub kind: String,
    pub close_missing: bool,
    /// `running`, `done` or `failed`.
    pub status: String,
    pub total: i64,
    pub processed: i64,
    pub counts: ImportCounts,
    /// `[{"line", "reason"}]`, as JSON text.
    pub rejects: String,
    pub error: Option<String>,
    pub started_at: i64,
    pub heartbeat_at: i64,
    pub finished_at: Option<i64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ImportCounts {
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub closed: i64,
    pub rejected: i64,
}

/// How a run ended.
pub struct ImportEnd<'a> {
    pub status: &'a str,
    pub counts: ImportCounts,
    pub rejects: &'a str,
    pub error: Option<&'a str>,
}

impl Store {
    pub async fn insert_import(&self, run: &ImportRun) -> Result<(), StoreError> {
        Query::new(
            "INSERT INTO imports (id, organisation_id, source, kind, close_missing, status, total, started_at, heartbeat_at)
             VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?)",
        )
        .bind(&run.id)
        .bind(&run.organisation_id)
        .bind(&run.source)
        .bind(&run.kind)
        .bind(run.close_missing)
        .bind(run.total)
        .bind(Time(run.started_at))
        .bind(Time(run.started_at))
        .execute(self)
        .await?;
        Ok(())
    }

    /// A sign of life from a running import: how many postings it has read.
    pub async fn import_heartbeat(&self, id: &str, processed: i64) -> Result<(), StoreError> {
        Query::new("UPDATE imports SET processed = ?, heartbeat_at = ? WHERE id = ? AND status = 'running'")
            .bind(processed)
            .bind(Time(now_unix()))
            .bind(id)
            .execute(self)
            .await?;
        Ok(())
    }

    pub async fn finish_import(&self, id: &str, end: &ImportEnd<'_>) -> Result<(), StoreError> {
        let now = now_unix();
        let processed = if end.status == "done" {
            "total"
        } else {
            "processed"
        };
        Query::new(format!(
            "UPDATE imports SET status = ?, processed = {processed}, created = ?, updated = ?, unchanged = ?,
                closed = ?, rejected = ?, rejects = ?, error = ?, heartbeat_at = ?, finished_at = ?
             WHERE id = ?"
        ))
        .bind(end.status)
        .bind(end.counts.created)
        .bind(end.counts.updated)
        .bind(end.counts.unchanged)
        .bind(end.counts.closed)
        .bind(end.counts.rejected)
        .bind(end.rejects)
        .bind(end.error)
        .bind(Time(now))
        .bind(Time(now))
        .bind(id)
        .execute(self)
        .await?;
        Ok(())
    }

    pub async fn import_run(&self, id: &str) -> Result<Option<ImportRun>, StoreError> {
        let row = Query::new("SELECT * FROM imports WHERE id = ?")
            .bind(id)
            .fetch_optional(self)
            .await?;
        Ok(row.as_ref().map(import_from))
    }
}

fn import_from(r: &DbRow) -> ImportRun {
    ImportRun {
        id: r.get("id"),
        organisation_id: r.get("organisation_id"),
        source: r.get("source"),
        kind: r.get("kind"),
        close_missing: r.get("close_missing"),
        status: r.get("status"),
        total: r.get("total"),
        processed: r.get("processed"),
        counts: ImportCounts {
            created: r.get("created"),
            updated: r.get("updated"),
            unchanged: r.get("unchanged"),
            closed: r.get("closed"),
            rejected: r.get("rejected"),
        },
        rejects: r.get("rejects"),
        error: r.get("error"),
        started_at: r.time("started_at"),
        heartbeat_at: r.time("heartbeat_at"),
        finished_at: r.time_opt("finished_at"),
    }
}
