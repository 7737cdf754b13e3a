//! Web login: argon2id passwords, server-side sessions, and rate limits on
//! failed attempts per account and per client address. The limits live in
//! the database so that they hold across service replicas.

use std::net::IpAddr;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use super::{Caller, Role, hash_token, random_hex};
use crate::storage::{Credentials, ResetTarget, Store, StoreError};

/// A session lasts a working day; then the user logs in again.
pub const SESSION_SECONDS: i64 = 12 * 3600;
/// Failures are counted over this window…
pub const FAILURE_WINDOW_SECONDS: i64 = 15 * 60;
/// …and this many for one account, or for one address, block further tries
/// until the oldest failure leaves the window.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;

const MIN_PASSWORD_CHARS: usize = 12;
const MAX_PASSWORD_CHARS: usize = 128;

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("too many failed logins; try again later")]
    Throttled,
    #[error("unknown login name or wrong password")]
    Invalid,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("password hashing: {0}")]
    Hashing(String),
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("a login name is 3 to 64 characters: letters, digits and . _ @ -")]
    InvalidLogin,
    #[error("a password is {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters")]
    InvalidPassword,
    #[error("that login name is taken")]
    LoginTaken,
    #[error("no user '{0}'")]
    UnknownUser(String),
    #[error(transparent)]
    Store(StoreError),
    #[error("password hashing: {0}")]
    Hashing(String),
}

/// A session just opened: the cookie value (shown once, stored hashed) and
/// the CSRF token its forms carry.
#[derive(Debug)]
pub struct NewSession {
    pub session_id: String,
    pub csrf_token: String,
    pub role: Option<Role>,
}

/// Login names compare case-insensitively.
pub fn normalise_login(login: &str) -> String {
    login.trim().to_lowercase()
}

fn valid_login(login: &str) -> bool {
    (3..=64).contains(&login.chars().count())
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '-'))
}

/// A login name and a password, checked, with the password hashed.
async fn checked_credentials(login: &str, password: &str) -> Result<(String, String), PasswordError> {
    let login = normalise_login(login);
    if !valid_login(&login) {
        return Err(PasswordError::InvalidLogin);
    }
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&password.chars().count()) {
        return Err(PasswordError::InvalidPassword);
    }
    let hash = hash_password(password.to_string())
        .await
        .map_err(PasswordError::Hashing)?;
    Ok((login, hash))
}

/// Gives a user a login name and password (argon2id, default parameters:
/// 19 MiB, 2 passes). Ends the user's open sessions.
pub async fn set_password(
    store: &Store,
    user_id: &str,
    login: &str,
    password: &str,
) -> Result<(), PasswordError> {
    let (login, hash) = checked_credentials(login, password).await?;
    match store.set_password(user_id, &login, &hash).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(PasswordError::UnknownUser(user_id.to_string())),
        Err(e) if e.is_unique_violation() => Err(PasswordError::LoginTaken),
        Err(e) => Err(PasswordError::Store(e)),
    }
}

/// A reset link works for a day.
pub const RESET_SECONDS: i64 = 24 * 3600;

#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    #[error("this link is unknown, used or expired")]
    Expired,
    #[error(transparent)]
    Password(#[from] PasswordError),
}

/// Issues a one-time link code with which `user_id` chooses a (new) login
/// and password; `issued_by` is recorded. There is no e-mail yet: whoever
/// issues the link hands it over.
pub async fn issue_reset(store: &Store, user_id: &str, issued_by: &str) -> Result<String, PasswordError> {
    if store.user(user_id).await.map_err(PasswordError::Store)?.is_none() {
        return Err(PasswordError::UnknownUser(user_id.to_string()));
    }
    let code = random_hex();
    let now = crate::storage::now_unix();
    store
        .issue_password_reset(&hash_token(&code), user_id, issued_by, now, now + RESET_SECONDS)
        .await
        .map_err(PasswordError::Store)?;
    Ok(code)
}

/// Where a reset link's page is, on the site.
pub fn reset_path(code: &str) -> String {
    format!("/wachtwoord/{code}")
}

/// The account a live link is for; `None` for an unknown, used or expired
/// code.
pub async fn reset_target(store: &Store, code: &str) -> Result<Option<ResetTarget>, StoreError> {
    store
        .password_reset(&hash_token(code), crate::storage::now_unix())
        .await
}

/// Sets the login and password through a link, which is then spent; the
/// account's sessions end.
pub async fn reset_password(
    store: &Store,
    code: &str,
    login: &str,
    password: &str,
) -> Result<(), ResetError> {
    let (login, hash) = checked_credentials(login, password).await?;
    let now = crate::storage::now_unix();
    match store
        .use_password_reset(&hash_token(code), now, &login, &hash)
        .await
    {
        Ok(true) => Ok(()),
        Ok(false) => Err(ResetError::Expired),
        Err(e) if e.is_unique_violation() => Err(PasswordError::LoginTaken.into()),
        Err(e) => Err(PasswordError::Store(e).into()),
    }
}

/// At most this many password hashes at once (each takes ~19 MiB): a
/// burst of logins waits instead of exhausting memory.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// Checks a login and opens a session. The attempt counts as a failure
/// until the password proves right, so throttled or parallel callers learn
/// nothing more than the limits allow.
pub async fn login(
    store: &Store,
    login: &str,
    password: &str,
    address: IpAddr,
    now: i64,
) -> Result<NewSession, LoginError> {
    let login = normalise_login(login);
    let limits = (MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS);
    let attempt = store
        .begin_login_attempt(
            &hash_token(&login),
            &hash_token(&address_key(address)),
            now,
            now - FAILURE_WINDOW_SECONDS,
            limits,
        )
        .await?
        .ok_or(LoginError::Throttled)?;
    let credentials = store.credentials(&login).await?;
    // An unknown name is checked against a dummy hash, so that timing does
    // not tell which login names exist.
    let stored = credentials
        .as_ref()
        .map_or_else(|| DUMMY_HASH.to_string(), |c| c.password_hash.clone());
    let matches = verify_password(password.to_string(), stored).await?;
    match credentials {
        Some(credentials) if matches => {
            store.forget_login_attempt(attempt).await?;
            open_session(store, &credentials, now).await
        }
        _ => Err(LoginError::Invalid),
    }
}

/// The client address as the limits count it: IPv6 by its /64 network,
/// since one household or attacker holds a whole /64.
fn address_key(address: IpAddr) -> String {
    match address.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

async fn open_session(store: &Store, credentials: &Credentials, now: i64) -> Result<NewSession, LoginError> {
    let session = NewSession {
        session_id: random_hex(),
        csrf_token: random_hex(),
        role: Role::parse(&credentials.role),
    };
    store
        .create_session(
            &hash_token(&session.session_id),
            &credentials.user_id,
            &session.csrf_token,
            now,
            now + SESSION_SECONDS,
        )
        .await?;
    Ok(session)
}

/// The caller behind a session cookie, with the session's CSRF token.
pub async fn session_caller(
    store: &Store,
    session_id: &str,
    now: i64,
) -> Result<Option<(Caller, String, String)>, StoreError> {
    let Some(row) = store.session(&hash_token(session_id), now).await? else {
        return Ok(None);
    };
    Ok(Caller::from_owner(row.owner).map(|caller| (caller, row.name, row.csrf_token)))
}

pub async fn logout(store: &Store, session_id: &str) -> Result<(), StoreError> {
    store.delete_session(&hash_token(session_id)).await
}

/// An argon2id hash of a random password, verified against when the login
/// name is unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2ZbpeK0mCEQN0Y/3xvjQ2k5Uup3Fc4Iv+Nq2jVb8rNs";

/// Hashing costs ~20 MiB and tens of milliseconds: off the async workers.
async fn hash_password(password: String) -> Result<String, String> {
    let _permit = HASHING.acquire().await.map_err(|e| e.to_string())?;
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

async fn verify_password(password: String, stored: String) -> Result<bool, LoginError> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|e| LoginError::Hashing(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&stored).map_err(|e| LoginError::Hashing(e.to_string()))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(|e| LoginError::Hashing(e.to_string()))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_names_are_plain_and_case_insensitive() {
        assert_eq!(
            normalise_login("  Sanne.DeVries@Example.nl "),
            "sanne.devries@example.nl"
        );
        assert!(valid_login("sanne-01"));
        assert!(!valid_login("ab"));
        assert!(!valid_login("sanne de vries"));
        assert!(!valid_login("'; DROP TABLE"));
    }

    #[tokio::test]
    async fn passwords_hash_as_argon2id_and_verify() {
        let hash = hash_password("lang genoeg wachtwoord".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(
            verify_password("lang genoeg wachtwoord".into(), hash.clone())
                .await
                .unwrap()
        );
        assert!(!verify_password("fout wachtwoord!!".into(), hash).await.unwrap());
    }

    #[test]
    fn ipv6_addresses_count_by_their_64_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(address_key(mapped), "192.0.2.7");
    }

    #[tokio::test]
    async fn the_dummy_hash_parses_so_unknown_names_cost_the_same() {
        assert!(
            !verify_password("whatever".into(), DUMMY_HASH.into())
                .await
                .unwrap()
        );
    }
}
