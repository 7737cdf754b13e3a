-- Resident profiles. Personal data (AVG): only what matching needs. Home is
-- a PC4 postcode or a wijk, never a street address.

CREATE TABLE residents (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL,
    postcode              TEXT REFERENCES postcodes (pc4),
    wijk_code             TEXT NOT NULL REFERENCES wijken (code),
    lat                   REAL NOT NULL,
    lon                   REAL NOT NULL,
    hours_min             INTEGER,
    hours_max             INTEGER,
    available_from        TEXT,
    travel_mode           TEXT NOT NULL CHECK (travel_mode IN ('lopen', 'fiets', 'ov', 'auto')),
    max_travel_minutes    INTEGER,
    max_travel_km         REAL,
    education             TEXT NOT NULL,
    dutch_level           TEXT NOT NULL,
    languages             TEXT NOT NULL,
    driving_licence       INTEGER NOT NULL,
    limits                TEXT NOT NULL,
    sectors_wanted        TEXT NOT NULL,
    findable_by_employers INTEGER NOT NULL DEFAULT 0,
    coach_id              TEXT REFERENCES users (id),
    user_id               TEXT REFERENCES users (id),
    fictitious            INTEGER NOT NULL DEFAULT 0,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
CREATE INDEX residents_coach ON residents (coach_id);
CREATE INDEX residents_user ON residents (user_id);

-- Skills as typed, with the vocabulary skill they resolved to (if any).
CREATE TABLE resident_skills (
    resident_id TEXT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    skill_id    TEXT REFERENCES skills (id),
    PRIMARY KEY (resident_id, position)
);
CREATE INDEX resident_skills_skill ON resident_skills (skill_id);

-- Occupations done ('experience') or wanted ('wanted'): an ESCO URI or free text.
CREATE TABLE resident_occupations (
    resident_id    TEXT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    relation       TEXT NOT NULL CHECK (relation IN ('experience', 'wanted')),
    position       INTEGER NOT NULL,
    value          TEXT NOT NULL,
    occupation_uri TEXT REFERENCES occupations (uri),
    PRIMARY KEY (resident_id, relation, position)
);
