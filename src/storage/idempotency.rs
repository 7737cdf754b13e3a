//! Answers to POSTs sent with an `Idempotency-Key`, so that a client whose
//! answer was lost can retry without creating a second record.

use sqlx::Row;

use super::{Store, StoreError};

/// A stored answer, sent again to a retry.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAnswer {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Claim {
    /// First use of the key: the request runs, and its answer is stored.
    New,
    /// The same request was answered before.
    Replay(StoredAnswer),
    /// The key was used for a different request.
    OtherRequest,
    /// The first request with this key has not been answered yet (or was
    /// cut off before its answer was stored).
    Unanswered,
}

impl Store {
    /// Claims `key` for a request with `fingerprint`; a key older than
    /// `expired_before` counts as unused.
    pub async fn claim_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        fingerprint: &str,
        now: i64,
        expired_before: i64,
    ) -> Result<Claim, StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND created_at < ?")
            .bind(scope)
            .bind(key)
            .bind(expired_before)
            .execute(&mut *tx)
            .await?;
        let found = sqlx::query(
            "SELECT fingerprint, status, content_type, body FROM idempotency_keys WHERE scope = ? AND key = ?",
        )
        .bind(scope)
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
        let claim = match found {
            None => {
                sqlx::query(
                    "INSERT INTO idempotency_keys (scope, key, fingerprint, created_at) VALUES (?, ?, ?, ?)",
                )
                .bind(scope)
                .bind(key)
                .bind(fingerprint)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                Claim::New
            }
            Some(row) if row.get::<String, _>("fingerprint") != fingerprint => Claim::OtherRequest,
            Some(row) => match row.get::<Option<i64>, _>("status") {
                None => Claim::Unanswered,
                Some(status) => Claim::Replay(StoredAnswer {
                    status: u16::try_from(status).unwrap_or(200),
                    content_type: row.get::<Option<String>, _>("content_type").unwrap_or_default(),
                    body: row.get::<Option<String>, _>("body").unwrap_or_default(),
                }),
            },
        };
        tx.commit().await?;
        Ok(claim)
    }

    pub async fn store_idempotent_answer(
        &self,
        scope: &str,
        key: &str,
        answer: &StoredAnswer,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE idempotency_keys SET status = ?, content_type = ?, body = ? WHERE scope = ? AND key = ?",
        )
        .bind(i64::from(answer.status))
        .bind(&answer.content_type)
        .bind(&answer.body)
        .bind(scope)
        .bind(key)
        .execute(self.sqlite())
        .await?;
        Ok(())
    }

    /// Frees a key whose request failed: it created nothing, so a retry may
    /// run again.
    pub async fn release_idempotency_key(&self, scope: &str, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND status IS NULL")
            .bind(scope)
            .bind(key)
            .execute(self.sqlite())
            .await?;
        Ok(())
    }

    pub async fn purge_idempotency_keys(&self, before: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM idempotency_keys WHERE created_at < ?")
            .bind(before)
            .execute(self.sqlite())
            .await?
            .rows_affected())
    }
}
