//! The database: the single source of truth. One concrete `Store` over an
//! enum of pools, SQLite (the embedded default) or PostgreSQL (production),
//! chosen by the URL's scheme. SQL lives here and nowhere else, one file per
//! domain with its row structs, written once for both backends through
//! `db::Query`; where the dialects differ, the file says so beside the SQL.
//! Opening and migrating each backend is in `sqlite.rs` and `postgres.rs`,
//! with one migrations folder each and the same version numbers.

mod batch;
mod caseload;
mod changes;
mod contact;
mod db;
mod fulltext;
mod idempotency;
mod imports;
mod jobs;
mod lift;
mod load;
mod offers;
mod outbox;
mod postgres;
mod privacy;
mod reference;
mod residents;
mod sessions;
mod sources;
mod sqlite;
mod users;

use crate::error::AppError;
use postgres::PgPool;
use sqlite::SqlitePool;

pub use caseload::{CaseloadRow, LastStep};
pub use changes::{ChangedVacancy, OpenVacancyStamp};
pub use contact::{ContactRequestRow, ContactState, SharedContact};
pub use fulltext::{FullTextBaseline, FullTextDoc, FullTextQuery};
pub use idempotency::{Claim, StoredAnswer};
pub use imports::{ImportCounts, ImportEnd, ImportRun};
pub use lift::{ImportedOutcome, MatchSummaryRow, OutcomeFact, ResidentFact, VacancyPlace};
pub use load::BulkLoad;
pub use offers::{LinkSpec, OrganisationRow, StoredOffer, TrainingRow, VacancyRow};
pub use outbox::{OutboxEntry, OutboxLag, OutboxListener};
pub use privacy::{AuditEntry, ConsentEventRow, OutcomeRow, ViewRow};
pub use reference::{OccupationRow, ReferenceData, SkillRow};
pub use residents::{CandidateScope, ConsentBy, OccupationRef, ResidentRow, ResidentSkill};
pub use sessions::{Credentials, ResetTarget, SessionRow};
pub use sources::{ImportBatch, SourcedOffer, SourcedRow};
pub use users::{TokenOwner, TokenRow, UserContact, UserRow};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL (expected sqlite://PATH or postgres://…): {0}")]
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

pub use db::Tx;

/// The open database: one pool per backend.
#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Both backends bind at most this many variables per statement (SQLite's
/// limit is 32,766, PostgreSQL's 65,535).
const MAX_VARIABLES: usize = 30_000;

#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
}

impl Store {
    /// Opens the database at `url` (creating a missing SQLite file) and
    /// applies the migrations. The scheme picks the backend.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = if url.starts_with("sqlite:") {
            Pool::Sqlite(sqlite::connect(url).await?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Pool::Postgres(postgres::connect(url).await?)
        } else {
            return Err(StoreError::UnsupportedUrl(redact(url)));
        };
        Ok(Self { pool })
    }

    /// A write transaction: SQLite's takes the write lock at once, see
    /// `sqlite::begin_write`.
    pub async fn begin_write(&self) -> Result<Tx, StoreError> {
        match &self.pool {
            Pool::Sqlite(pool) => sqlite::begin_write(pool).await,
            Pool::Postgres(pool) => postgres::begin_write(pool).await,
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.pool, Pool::Postgres(_))
    }

    /// "sqlite" or "postgres", for logs and the health check.
    pub fn backend(&self) -> &'static str {
        if self.is_postgres() { "postgres" } else { "sqlite" }
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
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
