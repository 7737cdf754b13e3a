-- How to reach the other side once there is a match.
-- Offers: structured ways to apply or sign up (a link, an e-mail address,
-- a phone number); the free text stays as extra instructions. Trainings
-- also list their start dates (comma-separated YYYY-MM-DD).
ALTER TABLE vacancies ADD COLUMN apply_url TEXT;
ALTER TABLE vacancies ADD COLUMN apply_email TEXT;
ALTER TABLE vacancies ADD COLUMN apply_phone TEXT;
ALTER TABLE trainings ADD COLUMN signup_url TEXT;
ALTER TABLE trainings ADD COLUMN signup_email TEXT;
ALTER TABLE trainings ADD COLUMN signup_phone TEXT;
ALTER TABLE trainings ADD COLUMN signup TEXT NOT NULL DEFAULT '';
ALTER TABLE trainings ADD COLUMN start_dates TEXT NOT NULL DEFAULT '';

-- A coach's own work phone and e-mail, shared with an employer only when
-- a client chooses to be reached "via mijn werkcoach".
ALTER TABLE users ADD COLUMN phone TEXT;
ALTER TABLE users ADD COLUMN email TEXT;

-- On acceptance the resident chooses one route; the detail is what the
-- employer is shown (a phone number, an e-mail address, or the coach's
-- name and details), copied at that moment and erased with the profile.
ALTER TABLE contact_requests ADD COLUMN contact_route TEXT
    CHECK (contact_route IN ('telefoon', 'email', 'werkcoach'));
ALTER TABLE contact_requests ADD COLUMN contact_detail TEXT;
