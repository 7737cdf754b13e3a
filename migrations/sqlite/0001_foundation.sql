-- Foundation schema. Kept portable: TEXT ids, TEXT ISO dates, BIGINT unix
-- timestamps, REAL coordinates, INTEGER 0/1 flags. The PostgreSQL twin lives
-- in migrations/postgres with the same version numbers.

CREATE TABLE wijken (
    code        TEXT PRIMARY KEY,
    number      INTEGER NOT NULL,
    name        TEXT NOT NULL,
    stadsdeel   TEXT NOT NULL,
    lat         REAL NOT NULL,
    lon         REAL NOT NULL,
    inner_lat   REAL NOT NULL,
    inner_lon   REAL NOT NULL,
    area_km2    REAL NOT NULL,
    geometry    TEXT NOT NULL
);

CREATE TABLE postcodes (
    pc4         TEXT PRIMARY KEY,
    woonplaats  TEXT NOT NULL,
    lat         REAL NOT NULL,
    lon         REAL NOT NULL,
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
    lat         REAL,
    lon         REAL,
    alliance    INTEGER NOT NULL DEFAULT 0,
    fictitious  INTEGER NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);

CREATE TABLE vacancies (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    occupation_uri  TEXT REFERENCES occupations (uri),
    sector          TEXT NOT NULL,
    contract        TEXT NOT NULL,
    hours_min       INTEGER NOT NULL,
    hours_max       INTEGER NOT NULL,
    education       TEXT NOT NULL,
    dutch_level     TEXT NOT NULL,
    salary_min      REAL,
    salary_max      REAL,
    salary_period   TEXT,
    lat             REAL NOT NULL,
    lon             REAL NOT NULL,
    wijk_code       TEXT NOT NULL REFERENCES wijken (code),
    posted_on       TEXT NOT NULL,
    closes_on       TEXT,
    bbl             INTEGER NOT NULL,
    banenafspraak   INTEGER NOT NULL,
    parttime        INTEGER NOT NULL,
    apply           TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    fictitious      INTEGER NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX vacancies_organisation ON vacancies (organisation_id);

CREATE TABLE vacancy_skills (
    vacancy_id  TEXT NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    skill_id    TEXT NOT NULL REFERENCES skills (id),
    required    INTEGER NOT NULL,
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
    duration_weeks  INTEGER NOT NULL,
    hours_per_week  INTEGER NOT NULL,
    cost            TEXT NOT NULL,
    price_eur       REAL,
    lat             REAL NOT NULL,
    lon             REAL NOT NULL,
    wijk_code       TEXT NOT NULL REFERENCES wijken (code),
    languages       TEXT NOT NULL,
    dutch_level     TEXT NOT NULL,
    bbl             INTEGER NOT NULL,
    starts_on       TEXT,
    status          TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    fictitious      INTEGER NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
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
    created_at      BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT,
    revoked_at  BIGINT
);

-- Every change to something the index shows is recorded here in the same
-- transaction; the indexer drains it in order and stores the last position
-- it covered in the index commit, so a crash replays instead of losing writes.
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    entity      TEXT NOT NULL CHECK (entity IN ('vacancy', 'training')),
    entity_id   TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
