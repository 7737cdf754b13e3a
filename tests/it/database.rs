//! The database a test runs on. By default a fresh SQLite file in the
//! test's temp dir; with `BANENLIFT_TEST_BACKEND=postgres`, a fresh
//! database on the local PostgreSQL (`BANENLIFT_TEST_POSTGRES_URL`, by
//! default postgres://postgres@127.0.0.1:5432/postgres), dropped when the
//! test ends. `.ci/run` runs the whole suite once per backend.

use std::path::Path;

use tempfile::TempDir;

pub struct TestDatabase {
    pub url: String,
    /// The PostgreSQL database to drop at the end.
    postgres: Option<String>,
}

pub fn on_postgres() -> bool {
    match std::env::var("BANENLIFT_TEST_BACKEND").as_deref() {
        Ok("postgres") => true,
        Ok("sqlite") | Err(_) => false,
        Ok(other) => panic!("BANENLIFT_TEST_BACKEND must be sqlite or postgres, not {other:?}"),
    }
}

pub fn admin_url() -> String {
    std::env::var("BANENLIFT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// `admin_url` with another database name.
fn url_of(name: &str) -> String {
    let admin = admin_url();
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base);
    format!("{base}/{name}")
}

async fn admin(sql: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&admin_url())
        .await
        .unwrap_or_else(|e| {
            panic!(
                "BANENLIFT_TEST_BACKEND=postgres, but PostgreSQL at {} is not reachable: {e}",
                admin_url()
            )
        });
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let _ = conn.close().await;
}

impl TestDatabase {
    /// A new, empty database for one test (the app migrates it).
    pub async fn new(dir: &Path) -> Self {
        if !on_postgres() {
            return Self {
                url: format!("sqlite://{}", dir.join("banenlift.db").display()),
                postgres: None,
            };
        }
        Self::postgres().await
    }

    /// A new PostgreSQL database, whatever the suite's backend: for what
    /// only PostgreSQL does (writers side by side).
    pub async fn postgres() -> Self {
        let name = format!("bl_test_{}", uuid::Uuid::now_v7().simple());
        admin(&format!("CREATE DATABASE {name}")).await;
        Self {
            url: url_of(&name),
            postgres: Some(name),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(name) = self.postgres.take() else { return };
        // Drop runs inside the test's runtime, which cannot block on async
        // work: a thread of its own does it.
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")));
        })
        .join();
        if dropped.is_err() && !std::thread::panicking() {
            panic!("could not drop the test database");
        }
    }
}

/// A temp dir (for the index and files) and a database, for one test.
pub struct Workspace {
    pub dir: TempDir,
    pub db: TestDatabase,
}

impl Workspace {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = TestDatabase::new(dir.path()).await;
        Self { dir, db }
    }

    pub fn url(&self) -> &str {
        &self.db.url
    }
}

/// Connects with `$pool`, runs `$sql` with the text `$args`, and reads the
/// first column of each row as text (counts too).
macro_rules! first_column {
    ($pool:ty, $url:expr, $sql:expr, $args:expr) => {{
        use sqlx::Row;
        let pool = <$pool>::connect($url).await.expect("database");
        let mut query = sqlx::query(sqlx::AssertSqlSafe($sql));
        for arg in $args {
            query = query.bind(arg.to_string());
        }
        let rows = query.fetch_all(&pool).await.expect("query");
        pool.close().await;
        rows.iter()
            .map(|r| {
                r.try_get::<String, _>(0)
                    .unwrap_or_else(|_| r.get::<i64, _>(0).to_string())
            })
            .collect()
    }};
}

/// The first column of each row of `sql` (with `?` placeholders for
/// `args`), read straight from the database, as text: the tests' own look
/// at what is stored, independent of the code under test.
pub async fn column(url: &str, sql: &str, args: &[&str]) -> Vec<String> {
    if url.starts_with("sqlite:") {
        return first_column!(sqlx::SqlitePool, url, sql.to_string(), args);
    }
    let mut numbered = String::new();
    for (i, part) in sql.split('?').enumerate() {
        if i > 0 {
            numbered.push_str(&format!("${i}"));
        }
        numbered.push_str(part);
    }
    first_column!(sqlx::PgPool, url, numbered, args)
}

/// A `SELECT COUNT(*) …`'s answer.
pub async fn count(url: &str, sql: &str, args: &[&str]) -> i64 {
    column(url, sql, args).await[0].parse().expect("a count")
}
