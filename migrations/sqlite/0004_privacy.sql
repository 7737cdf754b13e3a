-- Privacy (AVG): consent history, the views log, outcomes and activity.

-- Every change of a resident's consent to be found by employers, with the
-- version of the consent text shown and who recorded it.
CREATE TABLE consent_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id TEXT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    findable    INTEGER NOT NULL,
    version     TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX consent_events_resident ON consent_events (resident_id, id);

-- Who read a resident's personal data, when and why. Append-only: rows are
-- only ever deleted by the retention purge. Ids only, no names or profile
-- content; no foreign keys, because the log must outlive accounts and
-- erased profiles for its retention period.
CREATE TABLE audit_log (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    at                 BIGINT NOT NULL,
    actor_id           TEXT NOT NULL,
    actor_role         TEXT NOT NULL,
    actor_organisation TEXT,
    resident_id        TEXT NOT NULL,
    purpose            TEXT NOT NULL,
    algorithm_version  TEXT
);
CREATE INDEX audit_log_resident ON audit_log (resident_id, at);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- The status of a resident × vacancy pair over time: one row per step.
CREATE TABLE outcomes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id   TEXT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    vacancy_id    TEXT NOT NULL REFERENCES vacancies (id),
    status        TEXT NOT NULL CHECK (status IN
                  ('voorgesteld', 'gesolliciteerd', 'gesprek', 'aangenomen', 'afgewezen', 'gestopt')),
    recorded_by   TEXT NOT NULL,
    recorded_role TEXT NOT NULL,
    recorded_at   BIGINT NOT NULL
);
CREATE INDEX outcomes_resident ON outcomes (resident_id, recorded_at);
CREATE INDEX outcomes_vacancy ON outcomes (vacancy_id);

-- When the resident or their coach last worked with the profile: the
-- retention purge removes profiles inactive for longer than configured.
ALTER TABLE residents ADD COLUMN last_active_at BIGINT NOT NULL DEFAULT 0;
UPDATE residents SET last_active_at = updated_at;

-- One profile per jobseeker account, enforced where races cannot slip past.
CREATE UNIQUE INDEX residents_one_per_user ON residents (user_id) WHERE user_id IS NOT NULL;

-- Tokens expire: those issued before expiry existed get the default 90 days.
UPDATE api_tokens SET expires_at = created_at + 90 * 86400 WHERE expires_at IS NULL;
CREATE INDEX api_tokens_user ON api_tokens (user_id);
