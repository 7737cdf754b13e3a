//! Resident profiles: personal data, so every read goes through a caller's
//! right to see it (checked in the residents service).

use std::collections::HashMap;

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite};

use super::batch::{Values, insert_rows, update_row};
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
}

/// Who may appear in a candidate list.
pub struct CandidateScope<'a> {
    /// Residents of this coach are included whatever their consent.
    pub coach_id: Option<&'a str>,
}

impl Store {
    pub async fn insert_coaches(&self, users: &[(String, String)]) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for (id, name) in users {
            sqlx::query("INSERT INTO users (id, name, role, organisation_id, created_at) VALUES (?, ?, 'coach', NULL, ?)")
                .bind(id)
                .bind(name)
                .bind(now_unix())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn count_residents(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM residents")
            .fetch_one(&self.pool)
            .await?)
    }

    pub async fn insert_residents(&self, rows: &[ResidentRow]) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let now = now_unix();
        let insert =
            format!("INSERT INTO residents ({RESIDENT_FIELDS}, id, user_id, fictitious, created_at)");
        insert_rows(&mut tx, &insert, RESIDENT_FIELD_COUNT + 4, rows, |values, r| {
            push_resident_fields(values, r, now);
            values
                .push_bind(r.id.clone())
                .push_bind(r.user_id.clone())
                .push_bind(r.fictitious)
                .push_bind(now);
        })
        .await?;
        insert_resident_lists(&mut tx, rows).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces a profile's fields and lists; false when it does not exist.
    pub async fn update_resident(&self, r: &ResidentRow) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let now = now_unix();
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
        ] {
            sqlx::query(statement).bind(&r.id).execute(&mut *tx).await?;
        }
        insert_resident_lists(&mut tx, std::slice::from_ref(r)).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Removes a profile and everything hanging off it.
    pub async fn delete_resident(&self, id: &str) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let deleted = sqlx::query("DELETE FROM residents WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(deleted > 0)
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
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM residents WHERE (? IS NULL OR coach_id = ?) AND (? IS NULL OR user_id = ?)
             ORDER BY id LIMIT ? OFFSET ?",
        )
        .bind(coach_id)
        .bind(coach_id)
        .bind(user_id)
        .bind(user_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        self.residents_by_ids(&ids).await
    }

    /// Candidate residents for a vacancy: those who consented, most of
    /// `skill_ids` first, plus (for a coach) all of the coach's own clients.
    pub async fn candidate_resident_ids(
        &self,
        skill_ids: &[String],
        scope: &CandidateScope<'_>,
        limit: i64,
    ) -> Result<Vec<String>, StoreError> {
        let mut query = sqlx::QueryBuilder::<Sqlite>::new(
            "SELECT s.resident_id FROM resident_skills s JOIN residents r ON r.id = s.resident_id
             WHERE r.findable_by_employers = 1 AND s.skill_id IN (",
        );
        super::offers::push_id_list(&mut query, skill_ids);
        query.push(" GROUP BY s.resident_id ORDER BY COUNT(*) DESC, s.resident_id LIMIT ");
        query.push_bind(limit);
        let mut ids: Vec<String> = query.build_query_scalar().fetch_all(&self.pool).await?;
        if let Some(coach) = scope.coach_id {
            let own: Vec<String> =
                sqlx::query_scalar("SELECT id FROM residents WHERE coach_id = ? ORDER BY id LIMIT ?")
                    .bind(coach)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?;
            ids.extend(own);
            ids.sort();
            ids.dedup();
        }
        Ok(ids)
    }

    pub async fn residents_by_ids(&self, ids: &[String]) -> Result<Vec<ResidentRow>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = sqlx::QueryBuilder::<Sqlite>::new("SELECT * FROM residents WHERE id IN (");
        super::offers::push_id_list(&mut query, ids);
        query.push(" ORDER BY id");
        let rows = query.build().fetch_all(&self.pool).await?;
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
        let mut query = sqlx::QueryBuilder::<Sqlite>::new(
            "SELECT resident_id, name, skill_id FROM resident_skills WHERE resident_id IN (",
        );
        super::offers::push_id_list(&mut query, ids);
        query.push(" ORDER BY resident_id, position");
        let mut out: HashMap<String, Vec<ResidentSkill>> = HashMap::new();
        for row in query.build().fetch_all(&self.pool).await? {
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
        let mut query = sqlx::QueryBuilder::<Sqlite>::new(
            "SELECT resident_id, relation, value, occupation_uri FROM resident_occupations WHERE resident_id IN (",
        );
        super::offers::push_id_list(&mut query, ids);
        query.push(" ORDER BY resident_id, relation, position");
        let mut out: HashMap<String, (Vec<OccupationRef>, Vec<OccupationRef>)> = HashMap::new();
        for row in query.build().fetch_all(&self.pool).await? {
            let entry = out.entry(row.get("resident_id")).or_default();
            let list = if row.get::<String, _>("relation") == "experience" {
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
    sectors_wanted, findable_by_employers, coach_id, updated_at";
const RESIDENT_FIELD_COUNT: usize = 20;

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
        .push_bind(now);
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
    .await
}

fn split_list(text: String) -> Vec<String> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn resident_from_row(
    r: &SqliteRow,
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
    }
}
