-- Which consenting resident an employer was shown for which vacancy, under
-- which consent: contact requests and outcomes by an employer need a
-- listing for that vacancy under the consent in force now. Erased with the
-- profile (the views log keeps its id-only entry for accountability).
CREATE TABLE candidate_listings (
    resident_id      TEXT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    vacancy_id       TEXT NOT NULL REFERENCES vacancies (id),
    -- The resident's latest consent event when the list was shown.
    consent_event_id BIGINT NOT NULL,
    shown_at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (resident_id, vacancy_id, consent_event_id)
);
