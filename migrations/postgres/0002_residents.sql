-- Resident profiles. Personal data (AVG): only what matching needs. Home is
-- a PC4 postcode or a wijk, never a street address.

CREATE TABLE residents (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL,
    postcode              TEXT REFERENCES postcodes (pc4),
    wijk_code             TEXT NOT NULL REFERENCES wijken (code),
    lat                   DOUBLE PRECISION NOT NULL,
    lon                   DOUBLE PRECISION NOT NULL,
    hours_min             BIGINT,
    hours_max             BIGINT,
    available_from        TEXT,
    travel_mode           TEXT NOT NULL CHECK (travel_mode IN ('lopen', 'fiets', 'ov', 'auto')),
    max_travel_minutes    BIGINT,
    max_travel_km         DOUBLE PRECISION,
    education             TEXT NOT NULL,
    dutch_level           TEXT NOT NULL,
    languages             TEXT NOT NULL,
    driving_licence       BOOLEAN NOT NULL,
    limits                TEXT NOT NULL,
    sectors_wanted        TEXT NOT NULL,
    findable_by_employers BOOLEAN NOT NULL DEFAULT FALSE,
    coach_id              TEXT REFERENCES users (id),
    user_id               TEXT REFERENCES users (id),
    fictitious            BOOLEAN NOT NULL DEFAULT FALSE,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX residents_coach ON residents (coach_id);
CREATE INDEX residents_user ON residents (user_id);

-- Skills as the resident typed them, with the vocabulary skill each resolved
-- to (if any).
CREATE TABLE resident_skills (
    resident_id TEXT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    name        TEXT NOT NULL,
    skill_id    TEXT REFERENCES skills (id),
    PRIMARY KEY (resident_id, position)
);
CREATE INDEX resident_skills_skill ON resident_skills (skill_id);

-- Occupations done ('experience') or wanted ('wanted'): an ESCO URI or free text.
CREATE TABLE resident_occupations (
    resident_id    TEXT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    relation       TEXT NOT NULL CHECK (relation IN ('experience', 'wanted')),
    position       BIGINT NOT NULL,
    value          TEXT NOT NULL,
    occupation_uri TEXT REFERENCES occupations (uri),
    PRIMARY KEY (resident_id, relation, position)
);
