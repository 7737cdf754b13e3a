//! What is particular to SQLite: how the file is opened (WAL, foreign keys,
//! pragmas) and migrated, and how writes begin.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::StoreError;
use super::db::Tx;

pub use sqlx::SqlitePool;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

pub async fn connect(url: &str) -> Result<SqlitePool, StoreError> {
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
    MIGRATIONS.run(&pool).await?;
    Ok(pool)
}

/// SQLite takes the write lock up front (`BEGIN IMMEDIATE`): a deferred
/// transaction that reads and then writes fails at once with "database is
/// locked" under concurrency.
pub async fn begin_write(pool: &SqlitePool) -> Result<Tx, StoreError> {
    Ok(Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?))
}
