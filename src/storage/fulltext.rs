//! The databases' own full-text search, as baselines for `bench --compare`:
//! the same vacancies in SQLite FTS5 (porter and unicode61, ranked by bm25)
//! and in PostgreSQL (`dutch` text search, a GIN index, `ts_rank`), each set
//! up as its manual advises. Never part of the service: each lives in a
//! database of its own (a file, or a scratch database on the server),
//! without our migrations, and is removed afterwards.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::ConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use super::db::{On, Query, Tx, Values};
use super::{MAX_VARIABLES, Pool, StoreError};
use crate::geo::{EARTH_RADIUS_KM, Point};

/// One vacancy as the baselines hold it. Codes are the index's ordinals;
/// `None` is stored as NULL.
#[derive(Debug, Clone)]
pub struct FullTextDoc {
    pub id: String,
    pub title: String,
    /// The names of its skills, as words.
    pub skills: String,
    pub organisation: String,
    pub description: String,
    pub sector: Option<i64>,
    pub contract: Option<i64>,
    pub education: Option<i64>,
    pub dutch_level: i64,
    pub hours_min: i64,
    pub hours_max: i64,
    pub closes_day: i64,
    pub lat: f64,
    pub lon: f64,
}

/// The words (all must match), filters and radius of one search.
#[derive(Debug, Clone, Default)]
pub struct FullTextQuery {
    pub words: Vec<String>,
    pub sector: Option<i64>,
    pub contract: Option<i64>,
    pub max_education: Option<i64>,
    pub max_dutch_level: Option<i64>,
    /// The hit's `hours_max ≥` this.
    pub hours_min: Option<i64>,
    /// The hit's `hours_min ≤` this.
    pub hours_max: Option<i64>,
    pub today: i64,
    /// Latitude, longitude and radius in km.
    pub near: Option<(f64, f64, f64)>,
    pub limit: i64,
}

/// Kilometres per degree of latitude, on the sphere `geo` measures on.
const KM_PER_DEGREE: f64 = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;

/// Ranked with `ts_rank`'s weights for D, C, B and A (at most 1 each):
/// description 1, organisation 1.2, skills 2 and title 3 relative to each
/// other, as our index and FTS5's bm25 weigh the fields.
const PG_ORDER: &str = " ORDER BY ts_rank('{0.333, 0.4, 0.667, 1}', f.document, q) DESC";

/// Columns beside the text, in the order both tables hold them.
const FACT_COLUMNS: &str =
    "id, sector, contract, education, dutch_level, hours_min, hours_max, closes_day, lat, lon";
const FACTS_PER_ROW: usize = 10;
const TEXTS_PER_ROW: usize = 4;

pub struct FullTextBaseline {
    pool: Pool,
    scratch: Scratch,
}

/// What `remove` takes away.
enum Scratch {
    /// The SQLite file (with its WAL files).
    File(PathBuf),
    /// The server the scratch database is on, and the database's name.
    Database(sqlx::PgPool, String),
}

impl FullTextBaseline {
    /// A new SQLite file at `path` with an FTS5 table and a table of facts
    /// by rowid.
    pub async fn sqlite(path: &Path) -> Result<Self, StoreError> {
        remove_sqlite_files(path);
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .pragma("cache_size", "-65536")
            // Bulk inserts of 2,000 rows are slow statements by design;
            // logging each one's text would flood the bench's output.
            .disable_statement_logging();
        let pool = Pool::Sqlite(
            SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(options)
                .await?,
        );
        // Contentless: the text is searched but never read back, and the
        // manual advises against storing a second copy then.
        for sql in [
            "CREATE VIRTUAL TABLE offers_text USING fts5(title, skills, organisation, description, \
             content = '', tokenize = 'porter unicode61 remove_diacritics 2')",
            "CREATE TABLE offers_facts (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, sector INTEGER, \
             contract INTEGER, education INTEGER, dutch_level INTEGER NOT NULL, hours_min INTEGER NOT NULL, \
             hours_max INTEGER NOT NULL, closes_day INTEGER NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL)",
        ] {
            Query::new(sql).execute(On::Pool(&pool)).await?;
        }
        Ok(Self {
            pool,
            scratch: Scratch::File(path.to_path_buf()),
        })
    }

    /// A fresh database `name` on the server at `admin_url`, with one table
    /// holding the weighted `tsvector` beside the facts.
    pub async fn postgres(admin_url: &str, name: &str) -> Result<Self, StoreError> {
        let admin_options = PgConnectOptions::from_str(admin_url)?.disable_statement_logging();
        let admin = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(admin_options.clone())
            .await?;
        let admin_pool = Pool::Postgres(admin.clone());
        Query::new(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .execute(On::Pool(&admin_pool))
            .await?;
        Query::new(format!("CREATE DATABASE \"{name}\""))
            .execute(On::Pool(&admin_pool))
            .await?;
        // Short queries gain nothing from JIT compilation, which the planner
        // may pick for a large count; ranking many hits wants more than the
        // default 4 MB of work memory.
        let options = admin_options
            .database(name)
            .options([("jit", "off"), ("work_mem", "64MB")]);
        let pool = Pool::Postgres(
            PgPoolOptions::new()
                .max_connections(1)
                .connect_with(options)
                .await?,
        );
        // The weighted vector is a stored generated column, as the manual's
        // chapter on text search indexes shows.
        Query::new(
            "CREATE TABLE offers_text (id TEXT PRIMARY KEY, title TEXT NOT NULL, skills TEXT NOT NULL, \
             organisation TEXT NOT NULL, description TEXT NOT NULL, sector BIGINT, contract BIGINT, \
             education BIGINT, dutch_level BIGINT NOT NULL, hours_min BIGINT NOT NULL, \
             hours_max BIGINT NOT NULL, closes_day BIGINT NOT NULL, lat DOUBLE PRECISION NOT NULL, \
             lon DOUBLE PRECISION NOT NULL, document TSVECTOR GENERATED ALWAYS AS ( \
             setweight(to_tsvector('dutch', title), 'A') || setweight(to_tsvector('dutch', skills), 'B') || \
             setweight(to_tsvector('dutch', organisation), 'C') || \
             setweight(to_tsvector('dutch', description), 'D')) STORED)",
        )
        .execute(On::Pool(&pool))
        .await?;
        Ok(Self {
            pool,
            scratch: Scratch::Database(admin, name.to_string()),
        })
    }

    pub fn engine(&self) -> &'static str {
        match self.pool {
            Pool::Sqlite(_) => "SQLite FTS5 (porter unicode61, bm25)",
            Pool::Postgres(_) => "PostgreSQL full-text (dutch, GIN, ts_rank)",
        }
    }

    /// Adds documents, in batches as large as a statement takes.
    pub async fn insert(&self, docs: &[FullTextDoc]) -> Result<(), StoreError> {
        // The rowid is bound once more per row.
        let per_row = FACTS_PER_ROW + TEXTS_PER_ROW + 1;
        for chunk in docs.chunks(MAX_VARIABLES / per_row) {
            match &self.pool {
                Pool::Sqlite(pool) => insert_sqlite(pool, chunk).await?,
                Pool::Postgres(_) => self.insert_postgres(chunk).await?,
            }
        }
        Ok(())
    }

    async fn insert_postgres(&self, docs: &[FullTextDoc]) -> Result<(), StoreError> {
        let mut query = Query::new(format!(
            "INSERT INTO offers_text (title, skills, organisation, description, {FACT_COLUMNS}) VALUES "
        ));
        query.push_values(docs, |v, d| {
            bind_text(v, d);
            bind_facts(v, d);
        });
        query.execute(On::Pool(&self.pool)).await?;
        Ok(())
    }

    /// After the last insert: builds (PostgreSQL) or merges (SQLite) the
    /// index once, as both manuals advise for a bulk load, and gathers the
    /// planner's statistics.
    pub async fn finish_load(&self) -> Result<(), StoreError> {
        let finish: &[&str] = match self.pool {
            Pool::Sqlite(_) => &[
                "INSERT INTO offers_text(offers_text) VALUES ('optimize')",
                "ANALYZE",
            ],
            Pool::Postgres(_) => &[
                "CREATE INDEX offers_text_document ON offers_text USING GIN (document)",
                "VACUUM ANALYZE offers_text",
            ],
        };
        for sql in finish {
            Query::new(*sql).execute(On::Pool(&self.pool)).await?;
        }
        Ok(())
    }

    /// The total and the ids of the best `limit`.
    pub async fn search(&self, q: &FullTextQuery) -> Result<(u64, Vec<String>), StoreError> {
        let (mut query, order) = match self.pool {
            Pool::Sqlite(_) => sqlite_head(&q.words),
            Pool::Postgres(_) => postgres_head(&q.words),
        };
        push_filters(&mut query, q);
        query.push(order).push(" LIMIT ").push_bind(q.limit.max(1));
        let rows = query.fetch_all(On::Pool(&self.pool)).await?;
        let total = rows.first().map_or(0, |r| r.get::<i64>("total").max(0) as u64);
        Ok((total, rows.iter().map(|r| r.get("id")).collect()))
    }

    /// Closes the pool and removes the file or the scratch database.
    pub async fn remove(self) -> Result<(), StoreError> {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
        match self.scratch {
            Scratch::File(path) => remove_sqlite_files(&path),
            Scratch::Database(admin, name) => {
                Query::new(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .execute(On::Pool(&Pool::Postgres(admin.clone())))
                    .await?;
                admin.close().await;
            }
        }
        Ok(())
    }
}

/// One batch into both SQLite tables, under rowids that join them.
async fn insert_sqlite(pool: &SqlitePool, docs: &[FullTextDoc]) -> Result<(), StoreError> {
    let mut tx = Tx::Sqlite(pool.begin().await?);
    let first_rowid: i64 = Query::new("SELECT COALESCE(MAX(rowid), 0) + 1 FROM offers_facts")
        .scalar(&mut tx)
        .await?;
    let numbered: Vec<(i64, &FullTextDoc)> = (first_rowid..).zip(docs).collect();
    let mut text =
        Query::new("INSERT INTO offers_text (rowid, title, skills, organisation, description) VALUES ");
    text.push_values(&numbered, |v, (rowid, d)| {
        v.push_bind(*rowid);
        bind_text(v, d);
    });
    text.execute(&mut tx).await?;
    let mut facts = Query::new(format!(
        "INSERT INTO offers_facts (rowid, {FACT_COLUMNS}) VALUES "
    ));
    facts.push_values(&numbered, |v, (rowid, d)| {
        v.push_bind(*rowid);
        bind_facts(v, d);
    });
    facts.execute(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// The file and the WAL files beside it; missing ones are fine.
fn remove_sqlite_files(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}

fn bind_text(v: &mut Values<'_>, d: &FullTextDoc) {
    v.push_bind(&d.title)
        .push_bind(&d.skills)
        .push_bind(&d.organisation)
        .push_bind(&d.description);
}

fn bind_facts(v: &mut Values<'_>, d: &FullTextDoc) {
    v.push_bind(&d.id)
        .push_bind(d.sector)
        .push_bind(d.contract)
        .push_bind(d.education)
        .push_bind(d.dutch_level)
        .push_bind(d.hours_min)
        .push_bind(d.hours_max)
        .push_bind(d.closes_day)
        .push_bind(d.lat)
        .push_bind(d.lon);
}

/// FTS5's query up to its filters, and its order. bm25 works only in the
/// query that scans the text table, so it ranks there, and `CROSS JOIN`
/// keeps that scan outermost whatever SQLite's planner would pick. Without
/// words every vacancy is a hit, as in our search.
fn sqlite_head(words: &[String]) -> (Query, &'static str) {
    // Each word a quoted string (a quote doubled inside): FTS5 reads no
    // syntax in it, and words side by side must all match.
    let quoted: Vec<String> = words
        .iter()
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    if quoted.is_empty() {
        let query = Query::new("SELECT f.id, count(*) OVER () AS total FROM offers_facts f WHERE TRUE");
        return (query, " ORDER BY f.rowid");
    }
    let mut query = Query::new(
        "SELECT f.id, count(*) OVER () AS total FROM (SELECT rowid, \
         bm25(offers_text, 3.0, 2.0, 1.2, 1.0) AS score FROM offers_text WHERE offers_text MATCH ",
    );
    query
        .push_bind(quoted.join(" "))
        .push(") AS t CROSS JOIN offers_facts f ON f.rowid = t.rowid WHERE TRUE");
    (query, " ORDER BY t.score")
}

/// PostgreSQL's query up to its filters, and its order.
fn postgres_head(words: &[String]) -> (Query, &'static str) {
    if words.is_empty() {
        let query = Query::new("SELECT f.id, count(*) OVER () AS total FROM offers_text f WHERE TRUE");
        return (query, " ORDER BY f.id");
    }
    let mut query =
        Query::new("SELECT f.id, count(*) OVER () AS total FROM offers_text f, plainto_tsquery('dutch', ");
    query
        .push_bind(words.join(" "))
        .push(") AS q WHERE f.document @@ q");
    (query, PG_ORDER)
}

/// The filters and the radius: the box our collector checks first, then
/// the distance on a flat map (within 0.1% of the great circle at city
/// scale; neither SQL dialect is promised trigonometry). Neither table has
/// an index on place: FTS5 and GIN pick the candidates by word.
fn push_filters(query: &mut Query, q: &FullTextQuery) {
    query.push(" AND f.closes_day >= ").push_bind(q.today);
    let mut clause = |sql: &str, value: Option<i64>| {
        if let Some(v) = value {
            query.push(sql).push_bind(v);
        }
    };
    clause(" AND f.sector = ", q.sector);
    clause(" AND f.contract = ", q.contract);
    clause(" AND f.education <= ", q.max_education);
    clause(" AND f.dutch_level <= ", q.max_dutch_level);
    clause(" AND f.hours_max >= ", q.hours_min);
    clause(" AND f.hours_min <= ", q.hours_max);
    if let Some((lat, lon, radius)) = q.near {
        let bbox = Point { lat, lon }.bounding_box(radius);
        let km_per_lon = KM_PER_DEGREE * lat.to_radians().cos();
        query.push(" AND f.lat BETWEEN ").push_bind(bbox.min_lat);
        query.push(" AND ").push_bind(bbox.max_lat);
        query.push(" AND f.lon BETWEEN ").push_bind(bbox.min_lon);
        query.push(" AND ").push_bind(bbox.max_lon);
        query.push(" AND (f.lat - ").push_bind(lat);
        query.push(") * (f.lat - ").push_bind(lat);
        query.push(") * ").push_bind(KM_PER_DEGREE * KM_PER_DEGREE);
        query.push(" + (f.lon - ").push_bind(lon);
        query.push(") * (f.lon - ").push_bind(lon);
        query.push(") * ").push_bind(km_per_lon * km_per_lon);
        query.push(" <= ").push_bind(radius * radius);
    }
}
