//! Web login: passwords (argon2id hashes, computed by `auth`), server-side
//! sessions and the failed-login counts behind the rate limits.

use super::db::{Query, Time, lock_row};
use super::{Store, StoreError, TokenOwner, Tx};

/// Who a login name belongs to, and the stored password hash.
#[derive(Debug, Clone, PartialEq)]
pub struct Credentials {
    pub user_id: String,
    pub role: String,
    pub password_hash: String,
}

/// A live session: its owner and the CSRF token bound to it.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRow {
    pub owner: TokenOwner,
    pub name: String,
    pub csrf_token: String,
}

impl Store {
    /// Sets a user's login name and password hash; false when there is no
    /// such user. A login name taken by someone else is a unique violation.
    pub async fn set_password(
        &self,
        user_id: &str,
        login: &str,
        password_hash: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let changed = set_login(&mut tx, user_id, login, password_hash).await?;
        tx.commit().await?;
        Ok(changed)
    }

    pub async fn credentials(&self, login: &str) -> Result<Option<Credentials>, StoreError> {
        let row = Query::new(
            "SELECT id, role, password_hash FROM users WHERE login = ? AND password_hash IS NOT NULL",
        )
        .bind(login)
        .fetch_optional(self)
        .await?;
        Ok(row.map(|r| Credentials {
            user_id: r.get("id"),
            role: r.get("role"),
            password_hash: r.get("password_hash"),
        }))
    }

    pub async fn create_session(
        &self,
        id_hash: &str,
        user_id: &str,
        csrf_token: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        // Expired sessions are swept on each login rather than by a job.
        Query::new("DELETE FROM web_sessions WHERE expires_at <= ?")
            .bind(Time(now))
            .execute(&mut tx)
            .await?;
        Query::new(
            "INSERT INTO web_sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(Time(now))
        .bind(Time(expires_at))
        .execute(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The unexpired session with this id hash.
    pub async fn session(&self, id_hash: &str, now: i64) -> Result<Option<SessionRow>, StoreError> {
        let row = Query::new(
            "SELECT u.id, u.name, u.role, u.organisation_id, s.csrf_token FROM web_sessions s
             JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.expires_at > ?",
        )
        .bind(id_hash)
        .bind(Time(now))
        .fetch_optional(self)
        .await?;
        Ok(row.map(|r| SessionRow {
            owner: TokenOwner {
                user_id: r.get("id"),
                role: r.get("role"),
                organisation_id: r.get("organisation_id"),
            },
            name: r.get("name"),
            csrf_token: r.get("csrf_token"),
        }))
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        Query::new("DELETE FROM web_sessions WHERE id_hash = ?")
            .bind(id_hash)
            .execute(self)
            .await?;
        Ok(())
    }

    /// Counts an attempt as failed before the password is checked, in one
    /// write transaction with the check of the limits, so that parallel
    /// attempts cannot all slip under them. Returns the attempt's id (to
    /// forget when the password was right), or `None` when a limit is
    /// reached. Failures older than `since` are forgotten here too.
    pub async fn begin_login_attempt(
        &self,
        login_key: &str,
        ip_key: &str,
        now: i64,
        since: i64,
        limits: (i64, i64),
    ) -> Result<Option<i64>, StoreError> {
        let mut tx = self.begin_write().await?;
        Query::new("DELETE FROM login_failures WHERE at < ?")
            .bind(Time(since))
            .execute(&mut tx)
            .await?;
        let row = Query::new(
            "SELECT (SELECT COUNT(*) FROM login_failures WHERE login_key = ?) AS by_login,
                    (SELECT COUNT(*) FROM login_failures WHERE ip_key = ?) AS by_ip",
        )
        .bind(login_key)
        .bind(ip_key)
        .fetch_one(&mut tx)
        .await?;
        let (by_login, by_ip): (i64, i64) = (row.get("by_login"), row.get("by_ip"));
        if by_login >= limits.0 || by_ip >= limits.1 {
            return Ok(None);
        }
        let id: i64 =
            Query::new("INSERT INTO login_failures (login_key, ip_key, at) VALUES (?, ?, ?) RETURNING id")
                .bind(login_key)
                .bind(ip_key)
                .bind(Time(now))
                .scalar(&mut tx)
                .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// The attempt succeeded: it was no failure after all.
    pub async fn forget_login_attempt(&self, id: i64) -> Result<(), StoreError> {
        Query::new("DELETE FROM login_failures WHERE id = ?")
            .bind(id)
            .execute(self)
            .await?;
        Ok(())
    }
}

/// The account a live reset link is for.
#[derive(Debug, Clone, PartialEq)]
pub struct ResetTarget {
    pub user_id: String,
    pub name: String,
    /// The login name now, if the account has one.
    pub login: Option<String>,
}

impl Store {
    /// Stores a reset link's code hash; the user's older links stop working.
    pub async fn issue_password_reset(
        &self,
        code_hash: &str,
        user_id: &str,
        issued_by: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        Query::new("DELETE FROM password_resets WHERE user_id = ? OR expires_at <= ?")
            .bind(user_id)
            .bind(Time(now))
            .execute(&mut tx)
            .await?;
        Query::new(
            "INSERT INTO password_resets (code_hash, user_id, issued_by, created_at, expires_at)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(code_hash)
        .bind(user_id)
        .bind(issued_by)
        .bind(Time(now))
        .bind(Time(expires_at))
        .execute(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn password_reset(&self, code_hash: &str, now: i64) -> Result<Option<ResetTarget>, StoreError> {
        let row = Query::new(
            "SELECT u.id, u.name, u.login FROM password_resets r JOIN users u ON u.id = r.user_id
             WHERE r.code_hash = ? AND r.expires_at > ?",
        )
        .bind(code_hash)
        .bind(Time(now))
        .fetch_optional(self)
        .await?;
        Ok(row.map(|r| ResetTarget {
            user_id: r.get("id"),
            name: r.get("name"),
            login: r.get("login"),
        }))
    }

    /// Uses a live reset link: sets the login and password hash, ends the
    /// account's sessions and spends the link, all at once. False when the
    /// link is unknown, used or expired. A login name taken by someone else
    /// is a unique violation, and the link stays usable.
    pub async fn use_password_reset(
        &self,
        code_hash: &str,
        now: i64,
        login: &str,
        password_hash: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let user: Option<String> = Query::new(lock_row(
            &tx,
            "SELECT user_id FROM password_resets WHERE code_hash = ? AND expires_at > ?",
        ))
        .bind(code_hash)
        .bind(Time(now))
        .scalar_optional(&mut tx)
        .await?;
        let Some(user) = user else {
            return Ok(false);
        };
        Query::new("DELETE FROM password_resets WHERE user_id = ?")
            .bind(&user)
            .execute(&mut tx)
            .await?;
        set_login(&mut tx, &user, login, password_hash).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// Sets a login and password hash; false when there is no such user. A new
/// password ends every open session of the account.
async fn set_login(tx: &mut Tx, user_id: &str, login: &str, password_hash: &str) -> Result<bool, StoreError> {
    let changed = Query::new("UPDATE users SET login = ?, password_hash = ? WHERE id = ?")
        .bind(login)
        .bind(password_hash)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    Query::new("DELETE FROM web_sessions WHERE user_id = ?")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    Ok(changed > 0)
}
