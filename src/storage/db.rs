//! One query for either backend. The SQL is written once, with `?`
//! placeholders, and its arguments are kept as plain values until the
//! query runs on the pool (or transaction) the store opened; only then is
//! it built as SQLite's or PostgreSQL's own `sqlx` query. Timestamps are
//! Unix seconds in Rust and in SQLite, and `timestamptz` in PostgreSQL:
//! they are bound with `Arg::Time` and read with `DbRow::time`.

use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{AssertSqlSafe, ColumnIndex, Decode, Postgres, Row, Sqlite, Transaction, Type};
use time::OffsetDateTime;

use super::{Pool, Store};

/// One bound value. `None` binds a NULL of that type.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(Option<String>),
    Int(Option<i64>),
    Real(Option<f64>),
    Bool(Option<bool>),
    /// Unix seconds.
    Time(Option<i64>),
}

/// Unix seconds, bound as a timestamp.
#[derive(Debug, Clone, Copy)]
pub struct Time(pub i64);

macro_rules! arg_from {
    ($variant:ident: $($ty:ty => $conv:expr),+ $(,)?) => {$(
        impl From<$ty> for Arg {
            fn from(value: $ty) -> Self {
                #[allow(clippy::redundant_closure_call)]
                Arg::$variant(($conv)(value))
            }
        }
    )+};
}

arg_from!(Text:
    String => Some,
    &String => |v: &String| Some(v.clone()),
    &str => |v: &str| Some(v.to_string()),
    Option<String> => |v| v,
    &Option<String> => |v: &Option<String>| v.clone(),
    Option<&str> => |v: Option<&str>| v.map(str::to_string),
    Option<&String> => |v: Option<&String>| v.cloned(),
);
arg_from!(Int: i64 => Some, Option<i64> => |v| v);
arg_from!(Real: f64 => Some, Option<f64> => |v| v);
arg_from!(Bool: bool => Some);
arg_from!(Time: Time => |t: Time| Some(t.0), Option<Time> => |t: Option<Time>| t.map(|t| t.0));

/// A write transaction on either backend.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Tx::Postgres(_))
    }
}

/// `select` made to lock the rows it reads until commit (`FOR UPDATE`), so
/// that a read-then-write cannot interleave with another writer's. SQLite
/// needs nothing: its write transaction holds the whole database.
pub fn lock_row(tx: &Tx, select: &str) -> String {
    match tx {
        Tx::Sqlite(_) => select.to_string(),
        Tx::Postgres(_) => format!("{select} FOR UPDATE"),
    }
}

/// Where a query runs: on the store's pool, or inside a transaction.
pub enum On<'a> {
    Pool(&'a Pool),
    Tx(&'a mut Tx),
}

impl<'a> From<&'a Store> for On<'a> {
    fn from(store: &'a Store) -> Self {
        On::Pool(&store.pool)
    }
}

impl<'a> From<&'a mut Tx> for On<'a> {
    fn from(tx: &'a mut Tx) -> Self {
        On::Tx(tx)
    }
}

/// SQL text and its arguments, in order.
#[derive(Debug, Clone, Default)]
pub struct Query {
    sql: String,
    args: Vec<Arg>,
}

/// A value both backends decode.
pub trait Column:
    for<'r> Decode<'r, Sqlite> + Type<Sqlite> + for<'r> Decode<'r, Postgres> + Type<Postgres>
{
}
impl<T> Column for T where
    T: for<'r> Decode<'r, Sqlite> + Type<Sqlite> + for<'r> Decode<'r, Postgres> + Type<Postgres>
{
}

/// A column name or position, in either backend's rows.
pub trait Index: ColumnIndex<SqliteRow> + ColumnIndex<PgRow> + std::fmt::Debug + Copy {}
impl<I> Index for I where I: ColumnIndex<SqliteRow> + ColumnIndex<PgRow> + std::fmt::Debug + Copy {}

/// A result row of either backend.
pub enum DbRow {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl DbRow {
    /// The column's value. A type that does not fit the schema is a bug in
    /// this module, not bad input, so it panics as `sqlx::Row::get` does.
    pub fn get<T: Column>(&self, column: impl Index) -> T {
        match self {
            DbRow::Sqlite(row) => row.get(column),
            DbRow::Postgres(row) => row.get(column),
        }
    }

    /// A timestamp column, as Unix seconds.
    pub fn time(&self, column: impl Index) -> i64 {
        self.time_opt(column)
            .unwrap_or_else(|| panic!("timestamp column {column:?} is NULL"))
    }

    pub fn time_opt(&self, column: impl Index) -> Option<i64> {
        match self {
            DbRow::Sqlite(row) => row.get(column),
            DbRow::Postgres(row) => row
                .get::<Option<OffsetDateTime>, _>(column)
                .map(OffsetDateTime::unix_timestamp),
        }
    }
}

impl Query {
    pub fn new(sql: impl Into<String>) -> Self {
        Self {
            sql: sql.into(),
            args: Vec::new(),
        }
    }

    /// Adds an argument for the next `?` already in the text.
    pub fn bind(mut self, value: impl Into<Arg>) -> Self {
        self.args.push(value.into());
        self
    }

    /// Appends SQL text.
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Appends a `?` and its argument.
    pub fn push_bind(&mut self, value: impl Into<Arg>) -> &mut Self {
        self.sql.push('?');
        self.args.push(value.into());
        self
    }

    /// Appends `?, ?, …)` for the ids, or `NULL)`, which matches nothing,
    /// for an empty list: the tail of `… IN (`.
    pub fn push_id_list(&mut self, ids: &[String]) -> &mut Self {
        if ids.is_empty() {
            return self.push("NULL)");
        }
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push_bind(id);
        }
        self.push(")")
    }

    /// Appends `(?, ?, …)`: the values `push` binds, in parentheses.
    pub fn push_tuple(&mut self, push: impl FnOnce(&mut Values<'_>)) -> &mut Self {
        self.push("(");
        push(&mut Values {
            query: self,
            first: true,
        });
        self.push(")")
    }

    /// Appends `(?, ?), (?, ?)…`: one tuple per row.
    pub fn push_values<T>(&mut self, rows: &[T], mut push: impl FnMut(&mut Values<'_>, &T)) -> &mut Self {
        for (i, row) in rows.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push_tuple(|values| push(values, row));
        }
        self
    }

    pub async fn fetch_all<'a>(self, on: impl Into<On<'a>>) -> Result<Vec<DbRow>, sqlx::Error> {
        Ok(match on.into() {
            On::Pool(Pool::Sqlite(pool)) => wrap(self.sqlite().fetch_all(pool).await?, DbRow::Sqlite),
            On::Pool(Pool::Postgres(pool)) => wrap(self.postgres().fetch_all(pool).await?, DbRow::Postgres),
            On::Tx(Tx::Sqlite(tx)) => wrap(self.sqlite().fetch_all(&mut **tx).await?, DbRow::Sqlite),
            On::Tx(Tx::Postgres(tx)) => wrap(self.postgres().fetch_all(&mut **tx).await?, DbRow::Postgres),
        })
    }

    /// The first row, if any. Meant for queries that return at most one.
    pub async fn fetch_optional<'a>(self, on: impl Into<On<'a>>) -> Result<Option<DbRow>, sqlx::Error> {
        Ok(self.fetch_all(on).await?.into_iter().next())
    }

    pub async fn fetch_one<'a>(self, on: impl Into<On<'a>>) -> Result<DbRow, sqlx::Error> {
        self.fetch_optional(on).await?.ok_or(sqlx::Error::RowNotFound)
    }

    /// The first column of the one row.
    pub async fn scalar<'a, T: Column>(self, on: impl Into<On<'a>>) -> Result<T, sqlx::Error> {
        Ok(self.fetch_one(on).await?.get(0))
    }

    /// The first column of the first row, if any.
    pub async fn scalar_optional<'a, T: Column>(
        self,
        on: impl Into<On<'a>>,
    ) -> Result<Option<T>, sqlx::Error> {
        Ok(self.fetch_optional(on).await?.map(|row| row.get(0)))
    }

    /// The first column of every row.
    pub async fn scalars<'a, T: Column>(self, on: impl Into<On<'a>>) -> Result<Vec<T>, sqlx::Error> {
        Ok(self.fetch_all(on).await?.iter().map(|row| row.get(0)).collect())
    }

    /// Runs a statement; returns the number of rows it changed.
    pub async fn execute<'a>(self, on: impl Into<On<'a>>) -> Result<u64, sqlx::Error> {
        Ok(match on.into() {
            On::Pool(Pool::Sqlite(pool)) => self.sqlite().execute(pool).await?.rows_affected(),
            On::Pool(Pool::Postgres(pool)) => self.postgres().execute(pool).await?.rows_affected(),
            On::Tx(Tx::Sqlite(tx)) => self.sqlite().execute(&mut **tx).await?.rows_affected(),
            On::Tx(Tx::Postgres(tx)) => self.postgres().execute(&mut **tx).await?.rows_affected(),
        })
    }

    fn sqlite(self) -> sqlx::query::Query<'static, Sqlite, SqliteArguments> {
        let mut query = sqlx::query(AssertSqlSafe(self.sql));
        for arg in self.args {
            query = match arg {
                Arg::Text(v) => query.bind(v),
                Arg::Int(v) | Arg::Time(v) => query.bind(v),
                Arg::Real(v) => query.bind(v),
                Arg::Bool(v) => query.bind(v),
            };
        }
        query
    }

    fn postgres(self) -> sqlx::query::Query<'static, Postgres, PgArguments> {
        let mut query = sqlx::query(AssertSqlSafe(numbered_placeholders(&self.sql)));
        for arg in self.args {
            query = match arg {
                Arg::Text(v) => query.bind(v),
                Arg::Int(v) => query.bind(v),
                Arg::Real(v) => query.bind(v),
                Arg::Bool(v) => query.bind(v),
                Arg::Time(v) => query.bind(v.map(to_datetime)),
            };
        }
        query
    }
}

/// One row's values inside `push_values`, bound in column order.
pub struct Values<'q> {
    query: &'q mut Query,
    first: bool,
}

impl Values<'_> {
    pub fn push_bind(&mut self, value: impl Into<Arg>) -> &mut Self {
        if !std::mem::take(&mut self.first) {
            self.query.push(", ");
        }
        self.query.push_bind(value);
        self
    }
}

fn wrap<R>(rows: Vec<R>, variant: fn(R) -> DbRow) -> Vec<DbRow> {
    rows.into_iter().map(variant).collect()
}

fn to_datetime(unix: i64) -> OffsetDateTime {
    // Out of range only for seconds beyond year ±9999; clamp rather than fail.
    OffsetDateTime::from_unix_timestamp(unix).unwrap_or(if unix < 0 {
        OffsetDateTime::UNIX_EPOCH
    } else {
        time::macros::datetime!(9999-12-31 23:59:59 UTC)
    })
}

/// PostgreSQL numbers its placeholders: each `?` outside a quoted literal
/// becomes `$1`, `$2`, ….
fn numbered_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut quoted = false;
    let mut n = 0;
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

/// A comma-joined list column (languages, limits, dates) as its items.
pub fn split_list(text: String) -> Vec<String> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_outside_literals_only() {
        assert_eq!(
            numbered_placeholders("SELECT ? WHERE a = '?' AND b IN (?, ?)"),
            "SELECT $1 WHERE a = '?' AND b IN ($2, $3)"
        );
    }

    #[test]
    fn values_are_separated_per_row_and_column() {
        let mut query = Query::new("INSERT INTO t (a, b) VALUES ");
        query.push_values(&[(1_i64, "x"), (2, "y")], |values, (a, b)| {
            values.push_bind(*a).push_bind(*b);
        });
        assert_eq!(query.sql, "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)");
        assert_eq!(query.args.len(), 4);
    }
}
