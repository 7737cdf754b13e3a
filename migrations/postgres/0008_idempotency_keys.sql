-- Answers to POSTs that carried an Idempotency-Key, so that a retry gets
-- the first answer instead of creating a second record. `status` is NULL
-- while the first request is still running. Kept one day.
CREATE TABLE idempotency_keys (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    status       BIGINT,
    content_type TEXT,
    body         TEXT,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
