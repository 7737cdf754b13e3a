-- Training offers from a provider's feed, recognised by (source,
-- identifier) as vacancies are (0012): a nightly course feed updates the
-- trainings it already is. An import run now says which kind of offer it
-- loads; runs from before this migration loaded vacancies.
CREATE TABLE training_sources (
    source      TEXT NOT NULL,
    identifier  TEXT NOT NULL,
    training_id TEXT NOT NULL UNIQUE REFERENCES trainings (id) ON DELETE CASCADE,
    digest      TEXT NOT NULL,
    PRIMARY KEY (source, identifier)
);
ALTER TABLE imports ADD COLUMN kind TEXT NOT NULL DEFAULT 'vacancies'
    CHECK (kind IN ('vacancies', 'trainings'));
