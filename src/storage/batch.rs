//! Multi-row statements: one INSERT per few hundred rows instead of one per
//! row, which is what makes bulk loads fast on SQLite.

use sqlx::QueryBuilder;
use sqlx::query_builder::Separated;

use super::sqlite::{Db, MAX_VARIABLES};
use super::{StoreError, Tx};

/// One row's values, bound in column order.
pub type Values<'qb> = Separated<'qb, Db, &'static str>;

/// `insert_into` is "INSERT INTO table (columns…)"; `push` binds one row's
/// `columns` values.
pub async fn insert_rows<T>(
    tx: &mut Tx,
    insert_into: &str,
    columns: usize,
    rows: &[T],
    push: impl Fn(&mut Values<'_>, &T),
) -> Result<(), StoreError> {
    for chunk in rows.chunks((MAX_VARIABLES / columns).max(1)) {
        let mut query = QueryBuilder::<Db>::new(format!("{insert_into} "));
        query.push_values(chunk, |mut values, row| push(&mut values, row));
        query.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// "UPDATE table SET (columns…) = (values…) WHERE id = ?": the same column
/// list and binder as the INSERT, so the two cannot drift apart.
pub async fn update_row(
    tx: &mut Tx,
    table: &str,
    columns: &str,
    id: &str,
    push: impl FnOnce(&mut Values<'_>),
) -> Result<u64, StoreError> {
    let mut query = QueryBuilder::<Db>::new(format!("UPDATE {table} SET ({columns}) = ("));
    push(&mut query.separated(", "));
    query.push(") WHERE id = ");
    query.push_bind(id.to_string());
    Ok(query.build().execute(&mut **tx).await?.rows_affected())
}
