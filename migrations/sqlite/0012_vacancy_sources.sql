-- Where a vacancy came from when an applicant-tracking system or a feed
-- sent it: the poster's own id of the posting, unique per source, so that
-- the same posting sent again is recognised instead of stored twice. The
-- digest of the posting as last read tells an unchanged one in a nightly
-- feed from a changed one.
CREATE TABLE vacancy_sources (
    source     TEXT NOT NULL,
    identifier TEXT NOT NULL,
    vacancy_id TEXT NOT NULL UNIQUE REFERENCES vacancies (id) ON DELETE CASCADE,
    digest     TEXT NOT NULL,
    PRIMARY KEY (source, identifier)
);
