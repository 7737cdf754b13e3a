//! The database: the single source of truth. One concrete `Store` over an
//! enum of pools; SQL lives here and nowhere else, one file per domain with
//! its row structs. What is particular to SQLite (pragmas, `BEGIN
//! IMMEDIATE`, the bound-variable limit, id lists, row types) is in
//! `sqlite.rs`, so that the PostgreSQL backend can sit beside it as a second
//! pool variant with its own migrations folder and the same version numbers.

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
mod sqlite;
mod users;

use crate::error::AppError;
use sqlite::SqlitePool;

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

pub use sqlite::Tx;

/// The open database: one pool per backend.
#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
}

#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
}

impl Store {
    /// Opens the database at `url` (creating a missing SQLite file) and
    /// applies the migrations. The scheme picks the backend.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if !url.starts_with("sqlite:") {
            return Err(StoreError::UnsupportedUrl(redact(url)));
        }
        let pool = Pool::Sqlite(sqlite::connect(url).await?);
        Ok(Self { pool })
    }

    /// The SQLite pool every query of this backend runs on.
    fn sqlite(&self) -> &SqlitePool {
        match &self.pool {
            Pool::Sqlite(pool) => pool,
        }
    }

    /// A write transaction; see `sqlite::begin_write`.
    pub async fn begin_write(&self) -> Result<Tx, StoreError> {
        sqlite::begin_write(self.sqlite()).await
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
        }
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
