-- Web login: a login name and an argon2id password per user, server-side
-- sessions, failed-attempt counting for rate limits, and employers'
-- requests to contact a candidate.

ALTER TABLE users ADD COLUMN login TEXT;
ALTER TABLE users ADD COLUMN password_hash TEXT;
CREATE UNIQUE INDEX users_login ON users (login) WHERE login IS NOT NULL;

-- The cookie holds a random session id; only its SHA-256 is stored, so a
-- leaked table opens no session. The CSRF token is bound to the session.
CREATE TABLE web_sessions (
    id_hash     TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);

-- Failed logins, counted per account and per client address over a window.
-- Both keys are SHA-256 hashes: the table needs equality, not the values.
CREATE TABLE login_failures (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    login_key   TEXT NOT NULL,
    ip_key      TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX login_failures_login ON login_failures (login_key, at);
CREATE INDEX login_failures_ip ON login_failures (ip_key, at);
CREATE INDEX login_failures_at ON login_failures (at);

-- An employer asks to contact a pseudonymised candidate for one vacancy;
-- the resident or their coach answers. Only after 'geaccepteerd' does the
-- employer see the full name.
CREATE TABLE contact_requests (
    id              TEXT PRIMARY KEY,
    vacancy_id      TEXT NOT NULL REFERENCES vacancies (id),
    resident_id     TEXT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL,
    requested_by    TEXT NOT NULL,
    requested_at    BIGINT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'geaccepteerd', 'afgewezen')),
    answered_by     TEXT,
    answered_at     BIGINT,
    UNIQUE (vacancy_id, resident_id)
);
CREATE INDEX contact_requests_resident ON contact_requests (resident_id);
