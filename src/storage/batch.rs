//! Multi-row statements: one INSERT per few hundred rows instead of one per
//! row, which is what makes bulk loads fast on both backends.

use super::db::{Query, Values};
use super::{MAX_VARIABLES, StoreError, Tx};

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
        let mut query = Query::new(format!("{insert_into} VALUES "));
        query.push_values(chunk, |values, row| push(values, row));
        query.execute(&mut *tx).await?;
    }
    Ok(())
}

/// "UPDATE table SET (columns…) = (values…) WHERE id = ?": the same
/// column list and binder as the INSERT, so the two cannot drift apart.
pub async fn update_row(
    tx: &mut Tx,
    table: &str,
    columns: &str,
    id: &str,
    push: impl FnOnce(&mut Values<'_>),
) -> Result<u64, StoreError> {
    let mut query = Query::new(format!("UPDATE {table} SET ({columns}) = "));
    query.push_tuple(push);
    query.push(" WHERE id = ").push_bind(id);
    Ok(query.execute(tx).await?)
}
