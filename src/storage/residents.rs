//! Resident profiles: personal data, so every read goes through a caller's
//! right to see it (checked in the residents service).

use std::collections::HashMap;

use super::batch::{insert_rows, update_row};
use super::db::{DbRow, Query, Time, Values, lock_row, split_list};
use super::users::UserContact;
use super::{Store, StoreError, Tx, now_unix};

#[derive(Debug, Clone, PartialEq)]
pub struct ResidentSkill {
    /// As typed.
    pub name: String,
    /// The vocabulary skill it resolved to, if any.
    pub skill_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OccupationRef {
    /// As given: an ESCO URI or free text.
    pub value: String,
    pub occupation_uri: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResidentRow {
    pub id: String,
    pub name: String,
    pub postcode: Option<String>,
    pub wijk_code: String,
    pub lat: f64,
    pub lon: f64,
    pub hours_min: Option<i64>,
    pub hours_max: Option<i64>,
    pub available_from: Option<String>,
    pub travel_mode: String,
    pub max_travel_minutes: Option<i64>,
    pub max_travel_km: Option<f64>,
    pub education: String,
    pub dutch_level: String,
    pub languages: Vec<String>,
    pub driving_licence: bool,
    pub limits: Vec<String>,
    pub sectors_wanted: Vec<String>,
    pub findable_by_employers: bool,
    pub coach_id: Option<String>,
    pub user_id: Option<String>,
    pub fictitious: bool,
    pub skills: Vec<ResidentSkill>,
    pub experience: Vec<OccupationRef>,
    pub occupations_wanted: Vec<OccupationRef>,
    /// Unix seconds; written by the store, ignored on insert and update.
    pub last_active_at: i64,
}

/// Who records a consent, under which version of the consent text.
pub struct ConsentBy<'a> {
    pub user_id: &'a str,
    pub version: &'a str,
}

/// Who may appear in a candidate list.
pub enum CandidateScope<'a> {
    /// Residents who consented to be found by employers.
    Consented,
    /// This coach's own clients, whatever their consent.
    CoachClients(&'a str),
}

impl Store {
    pub async fn count_residents(&self) -> Result<i64, StoreError> {
        Ok(Query::new("SELECT COUNT(*) FROM residents").scalar(self).await?)
    }

    /// Inserts profiles; a consent given with them is recorded as given by
    /// `by`.
    pub async fn insert_residents(&self, rows: &[ResidentRow], by: &ConsentBy<'_>) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        insert_residents(&mut tx, rows, by).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces a profile's fields and lists, recording a change of consent
    /// as made by `by`; false when the profile does not exist.
    pub async fn update_resident(&self, r: &ResidentRow, by: &ConsentBy<'_>) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let now = now_unix();
        let before: Option<bool> = Query::new(lock_row(
            &tx,
            "SELECT findable_by_employers FROM residents WHERE id = ?",
        ))
        .bind(&r.id)
        .scalar_optional(&mut tx)
        .await?;
        if before.is_some_and(|b| b != r.findable_by_employers) {
            insert_consent_event(&mut tx, &r.id, r.findable_by_employers, by, now).await?;
        }
        let changed = update_row(&mut tx, "residents", RESIDENT_FIELDS, &r.id, |values| {
            push_resident_fields(values, r, now)
        })
        .await?;
        if changed == 0 {
            return Ok(false);
        }
        for statement in [
            "DELETE FROM resident_skills WHERE resident_id = ?",
            "DELETE FROM resident_occupations WHERE resident_id = ?",
            "DELETE FROM findable_skills WHERE resident_id = ?",
        ] {
            Query::new(statement).bind(&r.id).execute(&mut tx).await?;
        }
        insert_resident_lists(&mut tx, std::slice::from_ref(r)).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Removes a profile and everything hanging off it, and the jobseeker's
    /// own account if it has one: that account exists only for the profile.
    pub async fn delete_resident(&self, id: &str) -> Result<bool, StoreError> {
        self.delete_resident_if(id, i64::MAX).await
    }

    /// Deletes as `delete_resident`, but only when the profile was last used
    /// before `inactive_before`, checked in the same transaction.
    pub(super) async fn delete_resident_if(
        &self,
        id: &str,
        inactive_before: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let user: Option<Option<String>> = Query::new(lock_row(
            &tx,
            "SELECT user_id FROM residents WHERE id = ? AND last_active_at < ?",
        ))
        .bind(id)
        .bind(Time(inactive_before))
        .scalar_optional(&mut tx)
        .await?;
        let Some(user) = user else {
            return Ok(false);
        };
        Query::new("DELETE FROM residents WHERE id = ?")
            .bind(id)
            .execute(&mut tx)
            .await?;
        // Stored answers to retried POSTs may quote the profile: every one
        // that names it goes too.
        let contains = if tx.is_postgres() {
            "strpos(body, ?)"
        } else {
            "instr(body, ?)"
        };
        Query::new(format!("DELETE FROM idempotency_keys WHERE {contains} > 0"))
            .bind(id)
            .execute(&mut tx)
            .await?;
        if let Some(user) = user {
            Query::new("DELETE FROM idempotency_keys WHERE scope = ?")
                .bind(&user)
                .execute(&mut tx)
                .await?;
            Query::new("DELETE FROM users WHERE id = ? AND role = 'jobseeker'")
                .bind(user)
                .execute(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    pub async fn resident(&self, id: &str) -> Result<Option<ResidentRow>, StoreError> {
        Ok(self.residents_by_ids(&[id.to_string()]).await?.pop())
    }

    /// Profiles a caller may list: a coach's caseload, a jobseeker's own, or
    /// (for `None`) all, in id order.
    pub async fn residents_for(
        &self,
        coach_id: Option<&str>,
        user_id: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ResidentRow>, StoreError> {
        let ids: Vec<String> = Query::new(
            "SELECT id FROM residents WHERE (? IS NULL OR coach_id = ?) AND (? IS NULL OR user_id = ?)
             ORDER BY id LIMIT ? OFFSET ?",
        )
        .bind(coach_id)
        .bind(coach_id)
        .bind(user_id)
        .bind(user_id)
        .bind(limit)
        .bind(offset)
        .scalars(self)
        .await?;
        self.residents_by_ids(&ids).await
    }

    /// Candidate residents for a vacancy within `scope`, those with the most
    /// of `skill_ids` first.
    pub async fn candidate_resident_ids(
        &self,
        skill_ids: &[String],
        scope: &CandidateScope<'_>,
        limit: i64,
    ) -> Result<Vec<String>, StoreError> {
        let mut query = Query::new(match scope {
            CandidateScope::Consented => "SELECT resident_id FROM findable_skills WHERE skill_id IN (",
            // Every client of the coach, also those without a shared
            // vocabulary skill (free-text skills still score on the text).
            CandidateScope::CoachClients(_) => {
                "SELECT r.id AS resident_id FROM residents r
                 LEFT JOIN resident_skills s ON s.resident_id = r.id AND s.skill_id IN ("
            }
        });
        query.push_id_list(skill_ids);
        // Grouped by the residents' own id: PostgreSQL reads a bare
        // `resident_id` as the joined skills' column, NULL for those without.
        let (id, shared) = match scope {
            CandidateScope::Consented => ("resident_id", "COUNT(*)"),
            CandidateScope::CoachClients(coach) => {
                query.push(" WHERE r.coach_id = ");
                query.push_bind(coach.to_string());
                ("r.id", "COUNT(s.skill_id)")
            }
        };
        query.push(&format!(" GROUP BY {id} ORDER BY {shared} DESC, {id} LIMIT "));
        query.push_bind(limit);
        Ok(query.scalars(self).await?)
    }

    pub async fn residents_by_ids(&self, ids: &[String]) -> Result<Vec<ResidentRow>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = Query::new("SELECT * FROM residents WHERE id IN (");
        query.push_id_list(ids);
        query.push(" ORDER BY id");
        let rows = query.fetch_all(self).await?;
        let mut skills = self.resident_skills_for(ids).await?;
        let mut occupations = self.resident_occupations_for(ids).await?;
        Ok(rows
            .iter()
            .map(|r| {
                let id: String = r.get("id");
                let (experience, wanted) = occupations.remove(&id).unwrap_or_default();
                resident_from_row(r, skills.remove(&id).unwrap_or_default(), experience, wanted)
            })
            .collect())
    }

    async fn resident_skills_for(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, Vec<ResidentSkill>>, StoreError> {
        let mut query =
            Query::new("SELECT resident_id, name, skill_id FROM resident_skills WHERE resident_id IN (");
        query.push_id_list(ids);
        query.push(" ORDER BY resident_id, position");
        let mut out: HashMap<String, Vec<ResidentSkill>> = HashMap::new();
        for row in query.fetch_all(self).await? {
            out.entry(row.get("resident_id"))
                .or_default()
                .push(ResidentSkill {
                    name: row.get("name"),
                    skill_id: row.get("skill_id"),
                });
        }
        Ok(out)
    }

    /// Per resident: (experience, wanted).
    async fn resident_occupations_for(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, (Vec<OccupationRef>, Vec<OccupationRef>)>, StoreError> {
        let mut query = Query::new(
            "SELECT resident_id, relation, value, occupation_uri FROM resident_occupations WHERE resident_id IN (",
        );
        query.push_id_list(ids);
        query.push(" ORDER BY resident_id, relation, position");
        let mut out: HashMap<String, (Vec<OccupationRef>, Vec<OccupationRef>)> = HashMap::new();
        for row in query.fetch_all(self).await? {
            let entry = out.entry(row.get("resident_id")).or_default();
            let list = if row.get::<String>("relation") == "experience" {
                &mut entry.0
            } else {
                &mut entry.1
            };
            list.push(OccupationRef {
                value: row.get("value"),
                occupation_uri: row.get("occupation_uri"),
            });
        }
        Ok(out)
    }
}

/// The editable columns of a profile, in the order `push_resident_fields`
/// binds them.
const RESIDENT_FIELDS: &str = "name, postcode, wijk_code, lat, lon, hours_min, hours_max, available_from, \
    travel_mode, max_travel_minutes, max_travel_km, education, dutch_level, languages, driving_licence, limits, \
    sectors_wanted, findable_by_employers, coach_id, updated_at, last_active_at";
const RESIDENT_FIELD_COUNT: usize = 21;

fn push_resident_fields(values: &mut Values<'_>, r: &ResidentRow, now: i64) {
    values
        .push_bind(r.name.clone())
        .push_bind(r.postcode.clone())
        .push_bind(r.wijk_code.clone())
        .push_bind(r.lat)
        .push_bind(r.lon)
        .push_bind(r.hours_min)
        .push_bind(r.hours_max)
        .push_bind(r.available_from.clone())
        .push_bind(r.travel_mode.clone())
        .push_bind(r.max_travel_minutes)
        .push_bind(r.max_travel_km)
        .push_bind(r.education.clone())
        .push_bind(r.dutch_level.clone())
        .push_bind(r.languages.join(","))
        .push_bind(r.driving_licence)
        .push_bind(r.limits.join(","))
        .push_bind(r.sectors_wanted.join(","))
        .push_bind(r.findable_by_employers)
        .push_bind(r.coach_id.clone())
        .push_bind(Time(now))
        .push_bind(Time(now));
}

pub(super) async fn insert_coaches(tx: &mut Tx, users: &[(String, UserContact)]) -> Result<(), StoreError> {
    for (id, coach) in users {
        Query::new(
            "INSERT INTO users (id, name, role, organisation_id, phone, email, created_at)
             VALUES (?, ?, 'coach', NULL, ?, ?, ?)",
        )
        .bind(id)
        .bind(&coach.name)
        .bind(&coach.phone)
        .bind(&coach.email)
        .bind(Time(now_unix()))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

pub(super) async fn insert_residents(
    tx: &mut Tx,
    rows: &[ResidentRow],
    by: &ConsentBy<'_>,
) -> Result<(), StoreError> {
    let now = now_unix();
    let insert = format!("INSERT INTO residents ({RESIDENT_FIELDS}, id, user_id, fictitious, created_at)");
    insert_rows(tx, &insert, RESIDENT_FIELD_COUNT + 4, rows, |values, r| {
        push_resident_fields(values, r, now);
        values
            .push_bind(r.id.clone())
            .push_bind(r.user_id.clone())
            .push_bind(r.fictitious)
            .push_bind(Time(now));
    })
    .await?;
    insert_resident_lists(tx, rows).await?;
    let consenting: Vec<&ResidentRow> = rows.iter().filter(|r| r.findable_by_employers).collect();
    insert_rows(
        tx,
        "INSERT INTO consent_events (resident_id, findable, version, recorded_by, recorded_at)",
        5,
        &consenting,
        |values, r| {
            values
                .push_bind(r.id.clone())
                .push_bind(true)
                .push_bind(by.version.to_string())
                .push_bind(by.user_id.to_string())
                .push_bind(Time(now));
        },
    )
    .await
}

async fn insert_resident_lists(tx: &mut Tx, rows: &[ResidentRow]) -> Result<(), StoreError> {
    let skills: Vec<(&String, usize, &ResidentSkill)> = rows
        .iter()
        .flat_map(|r| r.skills.iter().enumerate().map(move |(i, s)| (&r.id, i, s)))
        .collect();
    let insert = "INSERT INTO resident_skills (resident_id, position, name, skill_id)";
    insert_rows(tx, insert, 4, &skills, |values, (id, position, skill)| {
        values
            .push_bind((*id).clone())
            .push_bind(*position as i64)
            .push_bind(skill.name.clone())
            .push_bind(skill.skill_id.clone());
    })
    .await?;
    let occupations: Vec<(&String, &str, usize, &OccupationRef)> = rows
        .iter()
        .flat_map(|r| {
            let experience = r
                .experience
                .iter()
                .enumerate()
                .map(move |(i, o)| (&r.id, "experience", i, o));
            experience.chain(
                r.occupations_wanted
                    .iter()
                    .enumerate()
                    .map(move |(i, o)| (&r.id, "wanted", i, o)),
            )
        })
        .collect();
    let insert = "INSERT INTO resident_occupations (resident_id, relation, position, value, occupation_uri)";
    insert_rows(
        tx,
        insert,
        5,
        &occupations,
        |values, (id, relation, position, o)| {
            values
                .push_bind((*id).clone())
                .push_bind(relation.to_string())
                .push_bind(*position as i64)
                .push_bind(o.value.clone())
                .push_bind(o.occupation_uri.clone());
        },
    )
    .await?;
    insert_findable_skills(tx, rows).await
}

pub(super) async fn insert_consent_event(
    tx: &mut Tx,
    resident_id: &str,
    findable: bool,
    by: &ConsentBy<'_>,
    now: i64,
) -> Result<(), StoreError> {
    Query::new(
        "INSERT INTO consent_events (resident_id, findable, version, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(resident_id)
    .bind(findable)
    .bind(by.version)
    .bind(by.user_id)
    .bind(Time(now))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The distinct vocabulary skills of the residents who consented.
async fn insert_findable_skills(tx: &mut Tx, rows: &[ResidentRow]) -> Result<(), StoreError> {
    let mut findable: Vec<(&String, &String)> = rows
        .iter()
        .filter(|r| r.findable_by_employers)
        .flat_map(|r| {
            r.skills
                .iter()
                .filter_map(move |s| Some((s.skill_id.as_ref()?, &r.id)))
        })
        .collect();
    findable.sort();
    findable.dedup();
    let insert = "INSERT INTO findable_skills (skill_id, resident_id)";
    insert_rows(tx, insert, 2, &findable, |values, (skill, id)| {
        values.push_bind((*skill).clone()).push_bind((*id).clone());
    })
    .await
}

fn resident_from_row(
    r: &DbRow,
    skills: Vec<ResidentSkill>,
    experience: Vec<OccupationRef>,
    occupations_wanted: Vec<OccupationRef>,
) -> ResidentRow {
    ResidentRow {
        id: r.get("id"),
        name: r.get("name"),
        postcode: r.get("postcode"),
        wijk_code: r.get("wijk_code"),
        lat: r.get("lat"),
        lon: r.get("lon"),
        hours_min: r.get("hours_min"),
        hours_max: r.get("hours_max"),
        available_from: r.get("available_from"),
        travel_mode: r.get("travel_mode"),
        max_travel_minutes: r.get("max_travel_minutes"),
        max_travel_km: r.get("max_travel_km"),
        education: r.get("education"),
        dutch_level: r.get("dutch_level"),
        languages: split_list(r.get("languages")),
        driving_licence: r.get("driving_licence"),
        limits: split_list(r.get("limits")),
        sectors_wanted: split_list(r.get("sectors_wanted")),
        findable_by_employers: r.get("findable_by_employers"),
        coach_id: r.get("coach_id"),
        user_id: r.get("user_id"),
        fictitious: r.get("fictitious"),
        skills,
        experience,
        occupations_wanted,
        last_active_at: r.time("last_active_at"),
    }
}
