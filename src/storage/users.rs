//! Users and their API tokens. Only a token's SHA-256 is stored: tokens are
//! 256 random bits, so a fast hash is enough and a leaked table reveals none.

use sqlx::Row;

use super::{Store, StoreError, now_unix};

#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    pub id: String,
    pub name: String,
    pub role: String,
    pub organisation_id: Option<String>,
}

/// Who a valid token belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenOwner {
    pub user_id: String,
    pub role: String,
    pub organisation_id: Option<String>,
}

impl Store {
    /// Creates a user with one token, in one transaction.
    pub async fn create_user_with_token(
        &self,
        user: &UserRow,
        token_id: &str,
        token_hash: &str,
        expires_at: Option<i64>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let now = now_unix();
        sqlx::query("INSERT INTO users (id, name, role, organisation_id, created_at) VALUES (?, ?, ?, ?, ?)")
            .bind(&user.id)
            .bind(&user.name)
            .bind(&user.role)
            .bind(&user.organisation_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO api_tokens (id, user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(token_id)
        .bind(&user.id)
        .bind(token_hash)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The owner of an unrevoked, unexpired token.
    pub async fn token_owner(&self, token_hash: &str) -> Result<Option<TokenOwner>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.role, u.organisation_id FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)",
        )
        .bind(token_hash)
        .bind(now_unix())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| TokenOwner {
            user_id: r.get("id"),
            role: r.get("role"),
            organisation_id: r.get("organisation_id"),
        }))
    }

    pub async fn user_role(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT role FROM users WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }
}
