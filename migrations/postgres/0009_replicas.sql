-- Several replicas over one database. The outbox already carries the
-- writing transaction's id (0001); here every insert also wakes the other
-- replicas, which LISTEN on this channel (polling stays as the fallback).
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Delivered at commit, once per transaction and channel.
    PERFORM pg_notify('banenlift_outbox', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- How far the outbox has been pruned: an index that has not reached this
-- position has missed changes and is rebuilt from the tables.
CREATE TABLE outbox_horizon (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
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
    lease_until      TIMESTAMPTZ NOT NULL,
    last_finished_at TIMESTAMPTZ NOT NULL
);
