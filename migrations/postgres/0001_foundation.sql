-- Foundation schema, PostgreSQL twin of migrations/sqlite/0001_foundation.sql
-- (same version numbers). TEXT ids and TEXT ISO dates as there; timestamps
-- are TIMESTAMPTZ, coordinates DOUBLE PRECISION, flags BOOLEAN, counts BIGINT.

CREATE TABLE wijken (
    code        TEXT PRIMARY KEY,
    number      BIGINT NOT NULL,
    name        TEXT NOT NULL,
    stadsdeel   TEXT NOT NULL,
    lat         DOUBLE PRECISION NOT NULL,
    lon         DOUBLE PRECISION NOT NULL,
    inner_lat   DOUBLE PRECISION NOT NULL,
    inner_lon   DOUBLE PRECISION NOT NULL,
    area_km2    DOUBLE PRECISION NOT NULL,
    geometry    TEXT NOT NULL
);

CREATE TABLE postcodes (
    pc4         TEXT PRIMARY KEY,
    woonplaats  TEXT NOT NULL,
    lat         DOUBLE PRECISION NOT NULL,
    lon         DOUBLE PRECISION NOT NULL,
    wijk_code   TEXT REFERENCES wijken (code)
);

CREATE TABLE skills (
    id          TEXT PRIMARY KEY,
    label       TEXT NOT NULL,
    label_en    TEXT NOT NULL,
    category    TEXT NOT NULL,
    esco_uri    TEXT
);

CREATE TABLE skill_aliases (
    alias       TEXT PRIMARY KEY,
    skill_id    TEXT NOT NULL REFERENCES skills (id),
    kind        TEXT NOT NULL CHECK (kind IN ('synoniem', 'spelfout'))
);
CREATE INDEX skill_aliases_skill ON skill_aliases (skill_id);

CREATE TABLE occupations (
    uri         TEXT PRIMARY KEY,
    isco_code   TEXT NOT NULL,
    label       TEXT NOT NULL,
    alt_labels  TEXT NOT NULL,
    label_en    TEXT NOT NULL,
    sector      TEXT NOT NULL
);

CREATE TABLE occupation_skills (
    occupation_uri TEXT NOT NULL REFERENCES occupations (uri),
    skill_id       TEXT NOT NULL REFERENCES skills (id),
    relation       TEXT NOT NULL CHECK (relation IN ('essential', 'optional')),
    PRIMARY KEY (occupation_uri, skill_id)
);

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('employer', 'provider')),
    sector      TEXT NOT NULL,
    description TEXT NOT NULL,
    wijk_code   TEXT REFERENCES wijken (code),
    lat         DOUBLE PRECISION,
    lon         DOUBLE PRECISION,
    alliance    BOOLEAN NOT NULL DEFAULT FALSE,
    fictitious  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE vacancies (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    occupation_uri  TEXT REFERENCES occupations (uri),
    sector          TEXT NOT NULL,
    contract        TEXT NOT NULL,
    hours_min       BIGINT NOT NULL,
    hours_max       BIGINT NOT NULL,
    education       TEXT NOT NULL,
    dutch_level     TEXT NOT NULL,
    salary_min      DOUBLE PRECISION,
    salary_max      DOUBLE PRECISION,
    salary_period   TEXT,
    lat             DOUBLE PRECISION NOT NULL,
    lon             DOUBLE PRECISION NOT NULL,
    wijk_code       TEXT NOT NULL REFERENCES wijken (code),
    posted_on       TEXT NOT NULL,
    closes_on       TEXT,
    bbl             BOOLEAN NOT NULL,
    banenafspraak   BOOLEAN NOT NULL,
    parttime        BOOLEAN NOT NULL,
    apply           TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    fictitious      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX vacancies_organisation ON vacancies (organisation_id);

CREATE TABLE vacancy_skills (
    vacancy_id  TEXT NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    skill_id    TEXT NOT NULL REFERENCES skills (id),
    required    BOOLEAN NOT NULL,
    PRIMARY KEY (vacancy_id, skill_id)
);

CREATE TABLE trainings (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    kind            TEXT NOT NULL,
    crebo           TEXT,
    level           TEXT,
    duration_weeks  BIGINT NOT NULL,
    hours_per_week  BIGINT NOT NULL,
    cost            TEXT NOT NULL,
    price_eur       DOUBLE PRECISION,
    lat             DOUBLE PRECISION NOT NULL,
    lon             DOUBLE PRECISION NOT NULL,
    wijk_code       TEXT NOT NULL REFERENCES wijken (code),
    languages       TEXT NOT NULL,
    dutch_level     TEXT NOT NULL,
    bbl             BOOLEAN NOT NULL,
    starts_on       TEXT,
    status          TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    fictitious      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX trainings_organisation ON trainings (organisation_id);

CREATE TABLE training_skills (
    training_id TEXT NOT NULL REFERENCES trainings (id) ON DELETE CASCADE,
    skill_id    TEXT NOT NULL REFERENCES skills (id),
    PRIMARY KEY (training_id, skill_id)
);

CREATE TABLE training_occupations (
    training_id    TEXT NOT NULL REFERENCES trainings (id) ON DELETE CASCADE,
    occupation_uri TEXT NOT NULL REFERENCES occupations (uri),
    PRIMARY KEY (training_id, occupation_uri)
);

CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'employer', 'provider', 'coach', 'jobseeker', 'analyst')),
    organisation_id TEXT REFERENCES organisations (id),
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ,
    revoked_at  TIMESTAMPTZ
);

-- Each change to something the index shows is written here in the same
-- transaction. The indexer drains it in order and records the last position
-- it covered in the index commit, so after a crash it replays, losing nothing.
CREATE TABLE outbox (
    seq         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    -- seq is taken at insert, not at commit, so a lower seq can commit later;
    -- the writing transaction's id lets the feed read only finished transactions.
    xid         BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    entity      TEXT NOT NULL CHECK (entity IN ('vacancy', 'training')),
    entity_id   TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX outbox_position ON outbox (xid, seq);
