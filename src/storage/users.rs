//! Users and their API tokens. Only a token's SHA-256 is stored: tokens are
//! 256 random bits, so a fast hash is enough and a leaked table reveals none.

use super::db::{Query, Time};
use super::{Store, StoreError, Tx, now_unix};

#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    pub id: String,
    pub name: String,
    pub role: String,
    pub organisation_id: Option<String>,
}

/// A coach's name and work contact details, shared only when a client
/// chooses to be reached through them.
#[derive(Debug, Clone, PartialEq)]
pub struct UserContact {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A token's metadata; the token itself is never stored.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenRow {
    pub id: String,
    pub user_id: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
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
        Query::new("INSERT INTO users (id, name, role, organisation_id, created_at) VALUES (?, ?, ?, ?, ?)")
            .bind(&user.id)
            .bind(&user.name)
            .bind(&user.role)
            .bind(&user.organisation_id)
            .bind(Time(now))
            .execute(&mut tx)
            .await?;
        insert_token(&mut tx, &user.id, token_id, token_hash, expires_at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a token to an existing user; false when there is no such user.
    pub async fn add_token(
        &self,
        user_id: &str,
        token_id: &str,
        token_hash: &str,
        expires_at: Option<i64>,
    ) -> Result<bool, StoreError> {
        if self.user(user_id).await?.is_none() {
            return Ok(false);
        }
        let mut tx = self.begin_write().await?;
        insert_token(&mut tx, user_id, token_id, token_hash, expires_at).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn tokens_of(&self, user_id: &str) -> Result<Vec<TokenRow>, StoreError> {
        let rows = Query::new(
            "SELECT id, user_id, created_at, expires_at, revoked_at FROM api_tokens WHERE user_id = ? ORDER BY created_at, id",
        )
        .bind(user_id)
        .fetch_all(self)
        .await?;
        Ok(rows
            .iter()
            .map(|r| TokenRow {
                id: r.get("id"),
                user_id: r.get("user_id"),
                created_at: r.time("created_at"),
                expires_at: r.time_opt("expires_at"),
                revoked_at: r.time_opt("revoked_at"),
            })
            .collect())
    }

    /// Revokes a token by its id (not its secret); false when unknown or
    /// already revoked.
    pub async fn revoke_token(&self, token_id: &str) -> Result<bool, StoreError> {
        let changed = Query::new("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
            .bind(Time(now_unix()))
            .bind(token_id)
            .execute(self)
            .await?;
        Ok(changed > 0)
    }

    pub async fn user(&self, id: &str) -> Result<Option<UserRow>, StoreError> {
        let row = Query::new("SELECT id, name, role, organisation_id FROM users WHERE id = ?")
            .bind(id)
            .fetch_optional(self)
            .await?;
        Ok(row.map(|r| UserRow {
            id: r.get("id"),
            name: r.get("name"),
            role: r.get("role"),
            organisation_id: r.get("organisation_id"),
        }))
    }

    pub async fn user_contact(&self, id: &str) -> Result<Option<UserContact>, StoreError> {
        let row = Query::new("SELECT name, phone, email FROM users WHERE id = ?")
            .bind(id)
            .fetch_optional(self)
            .await?;
        Ok(row.map(|r| UserContact {
            name: r.get("name"),
            phone: r.get("phone"),
            email: r.get("email"),
        }))
    }

    /// Sets a user's work phone and e-mail; false when there is no such user.
    pub async fn set_user_contact(
        &self,
        id: &str,
        phone: Option<&str>,
        email: Option<&str>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let changed = Query::new("UPDATE users SET phone = ?, email = ? WHERE id = ?")
            .bind(phone)
            .bind(email)
            .bind(id)
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(changed > 0)
    }

    /// The owner of an unrevoked, unexpired token.
    pub async fn token_owner(&self, token_hash: &str) -> Result<Option<TokenOwner>, StoreError> {
        let row = Query::new(
            "SELECT u.id, u.role, u.organisation_id FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)",
        )
        .bind(token_hash)
        .bind(Time(now_unix()))
        .fetch_optional(self)
        .await?;
        Ok(row.map(|r| TokenOwner {
            user_id: r.get("id"),
            role: r.get("role"),
            organisation_id: r.get("organisation_id"),
        }))
    }

    pub async fn user_role(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(Query::new("SELECT role FROM users WHERE id = ?")
            .bind(id)
            .scalar_optional(self)
            .await?)
    }
}

async fn insert_token(
    tx: &mut Tx,
    user_id: &str,
    token_id: &str,
    token_hash: &str,
    expires_at: Option<i64>,
) -> Result<(), StoreError> {
    Query::new(
        "INSERT INTO api_tokens (id, user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(token_id)
    .bind(user_id)
    .bind(token_hash)
    .bind(Time(now_unix()))
    .bind(expires_at.map(Time))
    .execute(&mut *tx)
    .await?;
    Ok(())
}
