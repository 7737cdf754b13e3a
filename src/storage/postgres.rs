//! What is particular to PostgreSQL: the pool, and migrations that are safe
//! when several replicas start at once (sqlx's migrator holds an advisory
//! lock while it runs, so the second replica waits and then finds nothing
//! left to do).

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use super::StoreError;
use super::db::Tx;

pub use sqlx::PgPool;
pub use sqlx::postgres::PgListener;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

pub async fn connect(url: &str) -> Result<PgPool, StoreError> {
    let options = PgConnectOptions::from_str(url)?.application_name("banenlift");
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await?;
    MIGRATIONS.run(&pool).await?;
    Ok(pool)
}

/// PostgreSQL's row locks and MVCC let writers run side by side; the few
/// read-then-write steps that need more lock rows (`FOR UPDATE`) or use
/// `ON CONFLICT`.
pub async fn begin_write(pool: &PgPool) -> Result<Tx, StoreError> {
    Ok(Tx::Postgres(pool.begin().await?))
}
