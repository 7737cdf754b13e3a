//! What is particular to SQLite: how the file is opened (WAL, foreign keys,
//! pragmas), how writes begin, how many variables a statement may bind, and
//! how id lists are written. The per-domain files use these names instead
//! of SQLite's own, so a second backend changes this seam, not every file.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Transaction};

use super::StoreError;

pub use sqlx::SqlitePool;
pub use sqlx::sqlite::SqliteRow as DbRow;
/// The database type of the query builders.
pub type Db = sqlx::Sqlite;
pub type Tx = Transaction<'static, Db>;
pub type DbArguments = sqlx::sqlite::SqliteArguments;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// Stays under SQLite's limit of 32,766 bound variables per statement.
pub const MAX_VARIABLES: usize = 30_000;

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
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

/// `id, id, …)` — or `NULL)`, which matches nothing, for an empty list.
pub fn push_id_list(query: &mut QueryBuilder<Db>, ids: &[String]) {
    if ids.is_empty() {
        query.push("NULL)");
        return;
    }
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(id.clone());
    }
    query.push(")");
}
