-- One-time links to choose a new password, issued on the command line or
-- by a coach for a client. Only the SHA-256 of the link's code is stored,
-- so a leaked table opens nothing; a link works once, for a day, and a new
-- link replaces the user's older one.
CREATE TABLE password_resets (
    code_hash  TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    issued_by  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX password_resets_user ON password_resets (user_id);
