-- Several replicas over one database. SQLite has a single writer, so its
-- outbox becomes visible in sequence order and `xid` stays 0; the column
-- exists so that both backends read the outbox with the same query.
ALTER TABLE outbox ADD COLUMN xid BIGINT NOT NULL DEFAULT 0;
CREATE INDEX outbox_position ON outbox (xid, seq);

-- How far the outbox has been pruned: an index that has not reached this
-- position has missed changes and is rebuilt from the tables.
CREATE TABLE outbox_horizon (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    xid  BIGINT NOT NULL,
    seq  BIGINT NOT NULL
);
INSERT INTO outbox_horizon (id, xid, seq) VALUES (1, 0, 0);

-- Jobs that must run once across all replicas (retention, the lift
-- refresh): a replica claims a job by taking its lease, and the job is due
-- again `interval` after it last finished.
CREATE TABLE job_runs (
    name             TEXT PRIMARY KEY,
    holder           TEXT,
    lease_until      BIGINT NOT NULL,
    last_finished_at BIGINT NOT NULL
);
