//! Answers to POSTs sent with an `Idempotency-Key`, so that a client whose
//! answer was lost can retry without creating a second record.

use super::db::{DbRow, Query, Time};
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
        Query::new("DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND created_at < ?")
            .bind(scope)
            .bind(key)
            .bind(Time(expired_before))
            .execute(&mut tx)
            .await?;
        // Inserting first, with ON CONFLICT, settles a race between two
        // first tries on either backend: one inserts, the other reads its row.
        let inserted = Query::new(
            "INSERT INTO idempotency_keys (scope, key, fingerprint, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (scope, key) DO NOTHING",
        )
        .bind(scope)
        .bind(key)
        .bind(fingerprint)
        .bind(Time(now))
        .execute(&mut tx)
        .await?;
        let claim = if inserted == 1 {
            Claim::New
        } else {
            let row = Query::new(
                "SELECT fingerprint, status, content_type, body FROM idempotency_keys WHERE scope = ? AND key = ?",
            )
            .bind(scope)
            .bind(key)
            .fetch_one(&mut tx)
            .await?;
            earlier_claim(&row, fingerprint)
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
        Query::new(
            "UPDATE idempotency_keys SET status = ?, content_type = ?, body = ? WHERE scope = ? AND key = ?",
        )
        .bind(i64::from(answer.status))
        .bind(&answer.content_type)
        .bind(&answer.body)
        .bind(scope)
        .bind(key)
        .execute(self)
        .await?;
        Ok(())
    }

    /// Frees a key whose request failed: it created nothing, so a retry may
    /// run again.
    pub async fn release_idempotency_key(&self, scope: &str, key: &str) -> Result<(), StoreError> {
        Query::new("DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND status IS NULL")
            .bind(scope)
            .bind(key)
            .execute(self)
            .await?;
        Ok(())
    }

    pub async fn purge_idempotency_keys(&self, before: i64) -> Result<u64, StoreError> {
        Ok(Query::new("DELETE FROM idempotency_keys WHERE created_at < ?")
            .bind(Time(before))
            .execute(self)
            .await?)
    }
}

/// What a key already claimed means for a request with `fingerprint`.
fn earlier_claim(row: &DbRow, fingerprint: &str) -> Claim {
    if row.get::<String>("fingerprint") != fingerprint {
        return Claim::OtherRequest;
    }
    match row.get::<Option<i64>>("status") {
        None => Claim::Unanswered,
        Some(status) => Claim::Replay(StoredAnswer {
            status: u16::try_from(status).unwrap_or(200),
            content_type: row.get::<Option<String>>("content_type").unwrap_or_default(),
            body: row.get::<Option<String>>("body").unwrap_or_default(),
        }),
    }
}
