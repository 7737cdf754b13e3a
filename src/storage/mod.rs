//! The database: the single source of truth. One concrete `Store`; SQL lives
//! here and nowhere else. SQLite is the embedded default; the PostgreSQL
//! backend will sit beside it as a second pool variant with its own
//! migrations folder and the same version numbers.

mod batch;
mod contact;
mod idempotency;
mod lift;
mod load;
mod offers;
mod privacy;
mod reference;
mod residents;
mod sessions;
mod users;

use crate::error::AppError;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

pub use contact::ContactRequestRow;
pub use idempotency::{Claim, StoredAnswer};
pub use lift::{ImportedOutcome, MatchSummaryRow, OutcomeFact, ResidentFact, VacancyPlace};
pub use load::BulkLoad;
pub use offers::{LinkSpec, OrganisationRow, OutboxEntry, StoredOffer, TrainingRow, VacancyRow};
pub use privacy::{AuditEntry, ConsentEventRow, OutcomeRow, ViewRow};
pub use reference::{OccupationRow, ReferenceData, SkillRow};
pub use residents::{CandidateScope, ConsentBy, OccupationRef, ResidentRow, ResidentSkill};
pub use sessions::{Credentials, SessionRow};
pub use users::{TokenOwner, TokenRow, UserRow};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL (expected sqlite://PATH): {0}")]
    UnsupportedUrl(String),
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        if error.is_unique_violation() {
            return Self::Conflict("Dit bestaat al. / This already exists.".into());
        }
        Self::Internal(error.into())
    }
}

impl StoreError {
    /// A UNIQUE or PRIMARY KEY violation: the caller made a duplicate.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, Self::Sqlx(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}

pub type Tx = Transaction<'static, Sqlite>;

#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating when missing) the database at `url` and applies the
    /// migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if !url.starts_with("sqlite:") {
            return Err(StoreError::UnsupportedUrl(redact(url)));
        }
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            // 8 MiB of page cache per connection instead of 2: candidate and
            // matching reads touch thousands of pages per request.
            .pragma("cache_size", "-8192")
            // Erased personal data is overwritten, not left in free pages.
            .pragma("secure_delete", "ON");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        SQLITE_MIGRATIONS.run(&pool).await?;
        Ok(Self { pool })
    }

    /// A write transaction. SQLite takes the write lock up front
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads and then
    /// writes fails at once with "database is locked" under concurrency.
    pub async fn begin_write(&self) -> Result<Tx, StoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A URL without its password, for error messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://…@{}", &url[..scheme], &url[at + 1..]),
        _ => url.to_string(),
    }
}

pub fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
