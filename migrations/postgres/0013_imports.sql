-- A feed loaded over the API (POST /api/v1/imports) runs after the answer;
-- its status is kept here, so that any replica can tell how far it is.
-- `heartbeat_at` moves while the run is alive: a run whose heartbeat has
-- stopped was interrupted (a restart), and the same feed can be posted
-- again, which ends in the same state. Rejected postings are kept as JSON
-- (line and reason), the first 1,000 of them.
CREATE TABLE imports (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    source          TEXT NOT NULL,
    close_missing   BOOLEAN NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    total           BIGINT NOT NULL,
    processed       BIGINT NOT NULL DEFAULT 0,
    created         BIGINT NOT NULL DEFAULT 0,
    updated         BIGINT NOT NULL DEFAULT 0,
    unchanged       BIGINT NOT NULL DEFAULT 0,
    closed          BIGINT NOT NULL DEFAULT 0,
    rejected        BIGINT NOT NULL DEFAULT 0,
    rejects         TEXT NOT NULL DEFAULT '[]',
    error           TEXT,
    started_at      TIMESTAMPTZ NOT NULL,
    heartbeat_at    TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ
);
CREATE INDEX imports_of_organisation ON imports (organisation_id, started_at);
