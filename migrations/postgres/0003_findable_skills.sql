-- The skills of residents who consented to be found by employers: what
-- candidate lists are gathered from. Written in the same transaction as the
-- profile and its consent, so a withdrawal takes effect at once. The primary
-- key on (skill, resident) makes "residents with these skills" one range
-- scan of its index per skill. (The SQLite twin is WITHOUT ROWID; PostgreSQL
-- tables are heaps, so there is nothing to drop but that clause.)
CREATE TABLE findable_skills (
    skill_id    TEXT NOT NULL,
    resident_id TEXT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    PRIMARY KEY (skill_id, resident_id)
);
CREATE INDEX findable_skills_resident ON findable_skills (resident_id);

INSERT INTO findable_skills (skill_id, resident_id)
SELECT DISTINCT s.skill_id, s.resident_id
FROM resident_skills s JOIN residents r ON r.id = s.resident_id
WHERE r.findable_by_employers = TRUE AND s.skill_id IS NOT NULL;
