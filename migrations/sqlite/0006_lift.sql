-- The lift report: training routes started and completed, and each
-- resident's best current match, which the report counts per wijk.

CREATE TABLE training_outcomes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id   TEXT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    training_id   TEXT NOT NULL REFERENCES trainings (id),
    status        TEXT NOT NULL CHECK (status IN ('aangemeld', 'gestart', 'afgerond', 'gestopt')),
    recorded_by   TEXT NOT NULL,
    recorded_role TEXT NOT NULL,
    recorded_at   BIGINT NOT NULL
);
CREATE INDEX training_outcomes_resident ON training_outcomes (resident_id, recorded_at);
CREATE INDEX training_outcomes_recorded ON training_outcomes (recorded_at);
CREATE INDEX outcomes_recorded ON outcomes (recorded_at);

-- Derived from the profile and the open vacancies, so it can always be
-- recomputed; kept because matching every resident takes minutes at city
-- scale. Erased with the profile.
CREATE TABLE match_summaries (
    resident_id       TEXT PRIMARY KEY REFERENCES residents (id) ON DELETE CASCADE,
    algorithm_version TEXT NOT NULL,
    computed_at       BIGINT NOT NULL,
    best_score        REAL NOT NULL,
    -- Skill ids, comma-separated: required skills missing from the best matches.
    missing_skills    TEXT NOT NULL
);
