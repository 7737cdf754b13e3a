//! A position in the outbox: the change feed from the database to each
//! replica's search index. Storage reads the feed after a position and
//! search records, with each index commit, the position it has reached.
//!
//! A position is `(xid, seq)`, ordered by the writing transaction's id and
//! then by the entry's sequence number. On SQLite `xid` is always 0 (one
//! writer at a time commits in sequence order); on PostgreSQL it is the
//! transaction id, which is what lets a replica read only transactions
//! that have finished (see `storage::outbox`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OutboxPosition {
    pub xid: i64,
    pub seq: i64,
}

impl OutboxPosition {
    pub const START: OutboxPosition = OutboxPosition { xid: 0, seq: 0 };
}

impl std::fmt::Display for OutboxPosition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.xid, self.seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_order_by_transaction_then_sequence() {
        let p = |xid, seq| OutboxPosition { xid, seq };
        assert!(
            p(7, 101) < p(8, 100),
            "a later transaction comes after, whatever its seq"
        );
        assert!(p(8, 100) < p(8, 101));
        assert!(OutboxPosition::START < p(0, 1));
    }
}
