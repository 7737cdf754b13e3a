//! The outbox: every change to an offer, written in the same transaction as
//! the change and read by each replica's indexer after the position its
//! index has reached (`crate::outbox::OutboxPosition`).
//!
//! # No change is skipped
//! A sequence number is taken when a row is inserted, not when its
//! transaction commits. On PostgreSQL, with writers side by side, entry 101
//! can commit and be visible while entry 100 is still in flight (or is
//! rolled back and never appears). A reader that saw 101 and recorded "done
//! up to 101" would never look at 100 again.
//!
//! So a reader takes only the entries of transactions that have *finished*:
//! those whose transaction id is below the oldest one of this database
//! still running (see `finished`). Nothing can appear below
//! that line any more: a running transaction's id is at or above it, and a
//! new one gets a higher id. Read in `(xid, seq)` order, the finished
//! entries are a prefix that only grows at its end, so "done up to
//! (xid, seq)" is exact, and a rolled-back gap is simply never seen. The
//! price is that while one transaction runs long, later ones become
//! searchable only when it ends. `tests/it/replicas.rs` interleaves two
//! transactions to check this.
//!
//! On SQLite one writer at a time commits, in sequence order, so every
//! visible entry is final and `xid` is always 0.

use super::db::{Query, Time, Tx};
use super::postgres::PgListener;
use super::{Pool, Store, StoreError, now_unix};
use crate::codes::OfferKind;
use crate::outbox::OutboxPosition;

#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    pub position: OutboxPosition,
    pub kind: OfferKind,
    pub entity_id: String,
}

/// How far an index is behind the outbox.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutboxLag {
    /// Entries after the index's position, finished or not.
    pub pending: i64,
    /// When the oldest of them was written (Unix seconds).
    pub oldest_at: Option<i64>,
}

/// The outbox's NOTIFY channel (see migrations/postgres/0009).
const CHANNEL: &str = "banenlift_outbox";

/// The line below which every transaction of this database has finished:
/// an entry with a lower `xid` is final (committed or rolled back).
///
/// On PostgreSQL transaction ids are shared by every database of the
/// server, so the snapshot's plain `xmin` would let a long transaction in
/// some other database hold back every index. The line is therefore the
/// oldest transaction still running (`pg_snapshot_xip`) that is not known
/// to belong to another database, or else the snapshot's `xmax`. Running
/// transactions at or above `xmax` are not listed, but their rows lie
/// above the line anyway. An id is left out only when `pg_stat_activity`
/// shows its session in another database (a session never changes
/// database); where that view hides other roles' sessions, the line falls
/// back to waiting for them, which delays but never skips. The line only
/// rises: a transaction gets its id at its first write, above `xmax`.
const FINISHED_LINE: &str = "(SELECT COALESCE(
       (SELECT MIN(x::text::bigint) FROM pg_snapshot_xip(s) AS x
         WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a
            WHERE a.backend_xid::text = (x::text::bigint % 4294967296)::text
              AND a.datname IS DISTINCT FROM current_database())),
       pg_snapshot_xmax(s)::text::bigint)
    FROM pg_current_snapshot() AS s)";

/// The condition that keeps a read to finished transactions.
fn finished(postgres: bool) -> String {
    if postgres {
        format!("xid < {FINISHED_LINE}")
    } else {
        "TRUE".to_string()
    }
}

impl Store {
    /// Entries of finished transactions after `after`, in position order.
    pub async fn outbox_after(
        &self,
        after: OutboxPosition,
        limit: i64,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        self.outbox_entries(None, after, limit).await
    }

    /// The same for one kind of offer only: a change feed of that kind.
    pub async fn outbox_after_of(
        &self,
        kind: OfferKind,
        after: OutboxPosition,
        limit: i64,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        self.outbox_entries(Some(kind), after, limit).await
    }

    async fn outbox_entries(
        &self,
        kind: Option<OfferKind>,
        after: OutboxPosition,
        limit: i64,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut query = Query::new(format!(
            "SELECT xid, seq, entity, entity_id FROM outbox WHERE (xid, seq) > (?, ?) AND {}",
            finished(self.is_postgres())
        ))
        .bind(after.xid)
        .bind(after.seq);
        if let Some(kind) = kind {
            query.push(" AND entity = ").push_bind(kind.entity());
        }
        query.push(" ORDER BY xid, seq LIMIT ").push_bind(limit);
        let rows = query.fetch_all(self).await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(OutboxEntry {
                    position: OutboxPosition {
                        xid: r.get("xid"),
                        seq: r.get("seq"),
                    },
                    kind: OfferKind::from_entity(&r.get::<String>("entity"))?,
                    entity_id: r.get("entity_id"),
                })
            })
            .collect())
    }

    /// Where a full rebuild that starts reading now may record itself:
    /// every entry at or before it was committed before the reads begin,
    /// and every later one is replayed afterwards.
    pub async fn outbox_head(&self) -> Result<OutboxPosition, StoreError> {
        if self.is_postgres() {
            let line: i64 = Query::new(format!("SELECT {FINISHED_LINE}")).scalar(self).await?;
            return Ok(OutboxPosition {
                xid: line - 1,
                seq: i64::MAX,
            });
        }
        // Past the horizon even when pruning emptied the table (seq values
        // are never reused: AUTOINCREMENT).
        let seq = Query::new(
            "SELECT MAX(COALESCE((SELECT MAX(seq) FROM outbox), 0),
                        (SELECT seq FROM outbox_horizon WHERE id = 1))",
        )
        .scalar(self)
        .await?;
        Ok(OutboxPosition { xid: 0, seq })
    }

    pub async fn outbox_lag(&self, after: OutboxPosition) -> Result<OutboxLag, StoreError> {
        let row = Query::new("SELECT COUNT(*), MIN(created_at) FROM outbox WHERE (xid, seq) > (?, ?)")
            .bind(after.xid)
            .bind(after.seq)
            .fetch_one(self)
            .await?;
        Ok(OutboxLag {
            pending: row.get(0),
            oldest_at: row.time_opt(1),
        })
    }

    /// The last position pruned: an index before it has missed entries.
    pub async fn outbox_horizon(&self) -> Result<OutboxPosition, StoreError> {
        let row = Query::new("SELECT xid, seq FROM outbox_horizon WHERE id = 1")
            .fetch_one(self)
            .await?;
        Ok(OutboxPosition {
            xid: row.get("xid"),
            seq: row.get("seq"),
        })
    }

    /// Deletes finished entries written before `before` and moves the
    /// horizon past them; returns how many went.
    pub async fn prune_outbox(&self, before: i64) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let last = Query::new(format!(
            "SELECT xid, seq FROM outbox WHERE created_at < ? AND {} ORDER BY xid DESC, seq DESC LIMIT 1",
            finished(tx.is_postgres())
        ))
        .bind(Time(before))
        .fetch_optional(&mut tx)
        .await?;
        let Some(last) = last else { return Ok(0) };
        let (xid, seq): (i64, i64) = (last.get("xid"), last.get("seq"));
        let pruned = Query::new("DELETE FROM outbox WHERE (xid, seq) <= (?, ?)")
            .bind(xid)
            .bind(seq)
            .execute(&mut tx)
            .await?;
        Query::new("UPDATE outbox_horizon SET xid = ?, seq = ? WHERE id = 1 AND (xid, seq) < (?, ?)")
            .bind(xid)
            .bind(seq)
            .bind(xid)
            .bind(seq)
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(pruned)
    }

    /// Wakes on each commit that wrote to the outbox, from any replica; on
    /// SQLite there is nothing to listen to (`None`), and polling does it.
    pub async fn outbox_listener(&self) -> Result<Option<OutboxListener>, StoreError> {
        let Pool::Postgres(pool) = &self.pool else {
            return Ok(None);
        };
        let mut listener = PgListener::connect_with(pool).await?;
        listener.listen(CHANNEL).await?;
        Ok(Some(OutboxListener(listener)))
    }
}

pub struct OutboxListener(PgListener);

impl OutboxListener {
    /// Returns at the next notification. After a lost connection it
    /// reconnects on the next call; what was sent meanwhile is caught by
    /// polling.
    pub async fn changed(&mut self) -> Result<(), StoreError> {
        self.0.recv().await?;
        Ok(())
    }
}

/// Records changed offers for the indexers; returns the position of the
/// last entry, which this transaction's own writes reach once indexed.
pub(super) async fn append_outbox<'a>(
    tx: &mut Tx,
    kind: OfferKind,
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<OutboxPosition, StoreError> {
    let ids: Vec<&str> = ids.into_iter().collect();
    let now = now_unix();
    super::batch::insert_rows(
        tx,
        "INSERT INTO outbox (entity, entity_id, created_at)",
        3,
        &ids,
        |values, id| {
            values
                .push_bind(kind.entity())
                .push_bind(*id)
                .push_bind(Time(now));
        },
    )
    .await?;
    let own = if tx.is_postgres() {
        "SELECT xid, MAX(seq) FROM outbox WHERE xid = pg_current_xact_id()::text::bigint GROUP BY xid"
    } else {
        "SELECT CAST(0 AS BIGINT), COALESCE(MAX(seq), 0) FROM outbox"
    };
    let row = Query::new(own).fetch_one(&mut *tx).await?;
    Ok(OutboxPosition {
        xid: row.get(0),
        seq: row.get(1),
    })
}
