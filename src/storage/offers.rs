//! Organisations, vacancies and trainings, and the outbox that feeds the
//! index. Every write to an offer appends to the outbox in the same
//! transaction.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite};

use super::batch::{Values, insert_rows, update_row};
use super::{Store, StoreError, Tx, now_unix};
use crate::codes::OfferKind;

/// The rows double as the fixtures' JSON Lines format (`fixtures/demo/`,
/// `banenlift generate`), where the wijk code is called `wijk`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub sector: String,
    pub description: String,
    #[serde(rename = "wijk")]
    pub wijk_code: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub alliance: bool,
    pub fictitious: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VacancyRow {
    pub id: String,
    pub organisation_id: String,
    /// Read from the organisation; ignored on writes.
    #[serde(default, skip_serializing)]
    pub organisation_name: String,
    /// Whether the employer joined the local alliance; read only.
    #[serde(default, skip_serializing)]
    pub organisation_alliance: bool,
    pub title: String,
    pub description: String,
    pub occupation_uri: Option<String>,
    pub sector: String,
    pub contract: String,
    pub hours_min: i64,
    pub hours_max: i64,
    pub education: String,
    pub dutch_level: String,
    pub salary_min: Option<f64>,
    pub salary_max: Option<f64>,
    pub salary_period: Option<String>,
    pub lat: f64,
    pub lon: f64,
    #[serde(rename = "wijk")]
    pub wijk_code: String,
    pub posted_on: String,
    pub closes_on: Option<String>,
    pub bbl: bool,
    pub banenafspraak: bool,
    pub parttime: bool,
    pub apply: String,
    #[serde(default = "open", skip_serializing)]
    pub status: String,
    pub fictitious: bool,
    pub skills_required: Vec<String>,
    pub skills_optional: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingRow {
    pub id: String,
    pub organisation_id: String,
    /// Read from the organisation; ignored on writes.
    #[serde(default, skip_serializing)]
    pub organisation_name: String,
    pub title: String,
    pub description: String,
    pub kind: String,
    pub crebo: Option<String>,
    pub level: Option<String>,
    pub duration_weeks: i64,
    pub hours_per_week: i64,
    pub cost: String,
    pub price_eur: Option<f64>,
    pub lat: f64,
    pub lon: f64,
    #[serde(rename = "wijk")]
    pub wijk_code: String,
    pub languages: Vec<String>,
    pub dutch_level: String,
    pub bbl: bool,
    pub starts_on: Option<String>,
    #[serde(default = "open", skip_serializing)]
    pub status: String,
    pub fictitious: bool,
    pub skills: Vec<String>,
    pub occupations: Vec<String>,
    /// The sector of the first occupation it leads to; read only.
    #[serde(default, skip_serializing)]
    pub sector: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    pub seq: i64,
    pub kind: OfferKind,
    pub entity_id: String,
}

fn open() -> String {
    "open".into()
}

macro_rules! vacancy_select {
    () => {
        "SELECT v.*, o.name AS organisation_name, o.alliance AS organisation_alliance
         FROM vacancies v JOIN organisations o ON o.id = v.organisation_id"
    };
}

macro_rules! training_select {
    () => {
        "SELECT t.*, o.name AS organisation_name,
           (SELECT oc.sector FROM training_occupations tro JOIN occupations oc ON oc.uri = tro.occupation_uri
             WHERE tro.training_id = t.id ORDER BY tro.occupation_uri LIMIT 1) AS sector
         FROM trainings t JOIN organisations o ON o.id = t.organisation_id"
    };
}

impl Store {
    pub async fn insert_organisations(&self, rows: &[OrganisationRow]) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        insert_organisations(&mut tx, rows).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn organisation_kind(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT kind FROM organisations WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Inserts new vacancies in one transaction; returns the outbox position
    /// of the last one.
    pub async fn insert_vacancies(&self, rows: &[VacancyRow]) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let seq = insert_vacancies(&mut tx, rows).await?;
        tx.commit().await?;
        Ok(seq)
    }

    /// Replaces the editable fields and skills of a vacancy. `None` when it
    /// does not exist.
    pub async fn update_vacancy(&self, v: &VacancyRow) -> Result<Option<i64>, StoreError> {
        let mut tx = self.begin_write().await?;
        let now = now_unix();
        let changed = update_row(&mut tx, "vacancies", VACANCY_FIELDS, &v.id, |values| {
            push_vacancy_fields(values, v, now)
        })
        .await?;
        if changed == 0 {
            return Ok(None);
        }
        sqlx::query("DELETE FROM vacancy_skills WHERE vacancy_id = ?")
            .bind(&v.id)
            .execute(&mut *tx)
            .await?;
        insert_vacancy_skills(&mut tx, std::slice::from_ref(v)).await?;
        let seq = append_outbox(&mut tx, OfferKind::Vacancy, [&v.id]).await?;
        tx.commit().await?;
        Ok(Some(seq))
    }

    pub async fn vacancy(&self, id: &str) -> Result<Option<VacancyRow>, StoreError> {
        Ok(self.vacancies_by_ids(&[id.to_string()]).await?.pop())
    }

    /// Vacancies with an id after `after`, in id order: keyset pages for
    /// rebuilding the index in bounded memory.
    pub async fn vacancies_after(&self, after: &str, limit: i64) -> Result<Vec<VacancyRow>, StoreError> {
        let rows = sqlx::query(concat!(
            vacancy_select!(),
            " WHERE v.id > ? ORDER BY v.id LIMIT ?"
        ))
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        self.vacancies_from(rows).await
    }

    /// An organisation's vacancies, open ones first, newest first.
    pub async fn vacancies_of_organisation(
        &self,
        organisation_id: &str,
        limit: i64,
    ) -> Result<Vec<VacancyRow>, StoreError> {
        let rows = sqlx::query(concat!(
            vacancy_select!(),
            " WHERE v.organisation_id = ? ORDER BY v.status = 'closed', v.posted_on DESC, v.id DESC LIMIT ?"
        ))
        .bind(organisation_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        self.vacancies_from(rows).await
    }

    /// Vacancies by id, in id order; unknown ids are skipped.
    pub async fn vacancies_by_ids(&self, ids: &[String]) -> Result<Vec<VacancyRow>, StoreError> {
        let mut query = sqlx::QueryBuilder::<Sqlite>::new(concat!(vacancy_select!(), " WHERE v.id IN ("));
        push_id_list(&mut query, ids);
        query.push(" ORDER BY v.id");
        let rows = query.build().fetch_all(&self.pool).await?;
        self.vacancies_from(rows).await
    }

    /// Rows of `vacancy_select!` with their skills, in one more query.
    async fn vacancies_from(&self, rows: Vec<SqliteRow>) -> Result<Vec<VacancyRow>, StoreError> {
        let ids: Vec<String> = rows.iter().map(|r| r.get("id")).collect();
        let mut skills = self.vacancy_skills_for(&ids).await?;
        Ok(rows
            .iter()
            .map(|r| {
                let id: String = r.get("id");
                vacancy_from_row(r, skills.remove(&id).unwrap_or_default())
            })
            .collect())
    }

    async fn vacancy_skills_for(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, Vec<(String, bool)>>, StoreError> {
        let mut out: HashMap<String, Vec<(String, bool)>> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let mut query = sqlx::QueryBuilder::<Sqlite>::new(
            "SELECT vacancy_id, skill_id, required FROM vacancy_skills WHERE vacancy_id IN (",
        );
        push_id_list(&mut query, ids);
        query.push(" ORDER BY vacancy_id, skill_id");
        for row in query.build().fetch_all(&self.pool).await? {
            out.entry(row.get("vacancy_id"))
                .or_default()
                .push((row.get("skill_id"), row.get("required")));
        }
        Ok(out)
    }

    pub async fn insert_trainings(&self, rows: &[TrainingRow]) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let seq = insert_trainings(&mut tx, rows).await?;
        tx.commit().await?;
        Ok(seq)
    }

    pub async fn update_training(&self, t: &TrainingRow) -> Result<Option<i64>, StoreError> {
        let mut tx = self.begin_write().await?;
        let now = now_unix();
        let changed = update_row(&mut tx, "trainings", TRAINING_FIELDS, &t.id, |values| {
            push_training_fields(values, t, now)
        })
        .await?;
        if changed == 0 {
            return Ok(None);
        }
        for table in [
            "DELETE FROM training_skills WHERE training_id = ?",
            "DELETE FROM training_occupations WHERE training_id = ?",
        ] {
            sqlx::query(table).bind(&t.id).execute(&mut *tx).await?;
        }
        insert_training_links(&mut tx, std::slice::from_ref(t)).await?;
        let seq = append_outbox(&mut tx, OfferKind::Training, [&t.id]).await?;
        tx.commit().await?;
        Ok(Some(seq))
    }

    pub async fn training(&self, id: &str) -> Result<Option<TrainingRow>, StoreError> {
        Ok(self.trainings_by_ids(&[id.to_string()]).await?.pop())
    }

    /// Trainings by id, in id order; unknown ids are skipped.
    pub async fn trainings_by_ids(&self, ids: &[String]) -> Result<Vec<TrainingRow>, StoreError> {
        let mut query = sqlx::QueryBuilder::<Sqlite>::new(concat!(training_select!(), " WHERE t.id IN ("));
        push_id_list(&mut query, ids);
        query.push(" ORDER BY t.id");
        let rows = query.build().fetch_all(&self.pool).await?;
        self.trainings_from(rows).await
    }

    pub async fn trainings_after(&self, after: &str, limit: i64) -> Result<Vec<TrainingRow>, StoreError> {
        let rows = sqlx::query(concat!(
            training_select!(),
            " WHERE t.id > ? ORDER BY t.id LIMIT ?"
        ))
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        self.trainings_from(rows).await
    }

    /// Rows of `training_select!` with their skills and occupations.
    async fn trainings_from(&self, rows: Vec<SqliteRow>) -> Result<Vec<TrainingRow>, StoreError> {
        let ids: Vec<String> = rows.iter().map(|r| r.get("id")).collect();
        let mut links = self.training_links_for(&ids).await?;
        Ok(rows
            .iter()
            .map(|r| {
                let id: String = r.get("id");
                training_from_row(r, links.remove(&id).unwrap_or_default())
            })
            .collect())
    }

    /// Skills and occupations per training, as `(skills, occupations)`.
    async fn training_links_for(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, (Vec<String>, Vec<String>)>, StoreError> {
        let mut out: HashMap<String, (Vec<String>, Vec<String>)> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let mut query = sqlx::QueryBuilder::<Sqlite>::new(
            "SELECT training_id, skill_id AS item, 0 AS is_occupation FROM training_skills WHERE training_id IN (",
        );
        push_id_list(&mut query, ids);
        query.push(" UNION ALL SELECT training_id, occupation_uri, 1 FROM training_occupations WHERE training_id IN (");
        push_id_list(&mut query, ids);
        query.push(" ORDER BY 1, 3, 2");
        for row in query.build().fetch_all(&self.pool).await? {
            let entry = out.entry(row.get("training_id")).or_default();
            let list = if row.get::<i64, _>("is_occupation") == 1 {
                &mut entry.1
            } else {
                &mut entry.0
            };
            list.push(row.get("item"));
        }
        Ok(out)
    }

    /// Outbox entries after `seq`, oldest first.
    pub async fn outbox_after(&self, seq: i64, limit: i64) -> Result<Vec<OutboxEntry>, StoreError> {
        let rows =
            sqlx::query("SELECT seq, entity, entity_id FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?")
                .bind(seq)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(OutboxEntry {
                    seq: r.get("seq"),
                    kind: OfferKind::from_entity(r.get("entity"))?,
                    entity_id: r.get("entity_id"),
                })
            })
            .collect())
    }

    pub async fn last_outbox_seq(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM outbox")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Some organisation of this kind, for tools that need one.
    pub async fn any_organisation(&self, kind: &str) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT id FROM organisations WHERE kind = ? ORDER BY id LIMIT 1")
                .bind(kind)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}

/// The editable columns of a vacancy, in the order `push_vacancy_fields`
/// binds them; INSERT and UPDATE share both.
const VACANCY_FIELDS: &str = "title, description, occupation_uri, sector, contract, hours_min, hours_max, \
    education, dutch_level, salary_min, salary_max, salary_period, lat, lon, wijk_code, closes_on, bbl, \
    banenafspraak, parttime, apply, status, updated_at";
const VACANCY_FIELD_COUNT: usize = 22;

fn push_vacancy_fields(values: &mut Values<'_>, v: &VacancyRow, now: i64) {
    values
        .push_bind(v.title.clone())
        .push_bind(v.description.clone())
        .push_bind(v.occupation_uri.clone())
        .push_bind(v.sector.clone())
        .push_bind(v.contract.clone())
        .push_bind(v.hours_min)
        .push_bind(v.hours_max)
        .push_bind(v.education.clone())
        .push_bind(v.dutch_level.clone())
        .push_bind(v.salary_min)
        .push_bind(v.salary_max)
        .push_bind(v.salary_period.clone())
        .push_bind(v.lat)
        .push_bind(v.lon)
        .push_bind(v.wijk_code.clone())
        .push_bind(v.closes_on.clone())
        .push_bind(v.bbl)
        .push_bind(v.banenafspraak)
        .push_bind(v.parttime)
        .push_bind(v.apply.clone())
        .push_bind(v.status.clone())
        .push_bind(now);
}

/// As `VACANCY_FIELDS`, for a training.
const TRAINING_FIELDS: &str = "title, description, kind, crebo, level, duration_weeks, hours_per_week, cost, \
    price_eur, lat, lon, wijk_code, languages, dutch_level, bbl, starts_on, status, updated_at";
const TRAINING_FIELD_COUNT: usize = 18;

fn push_training_fields(values: &mut Values<'_>, t: &TrainingRow, now: i64) {
    values
        .push_bind(t.title.clone())
        .push_bind(t.description.clone())
        .push_bind(t.kind.clone())
        .push_bind(t.crebo.clone())
        .push_bind(t.level.clone())
        .push_bind(t.duration_weeks)
        .push_bind(t.hours_per_week)
        .push_bind(t.cost.clone())
        .push_bind(t.price_eur)
        .push_bind(t.lat)
        .push_bind(t.lon)
        .push_bind(t.wijk_code.clone())
        .push_bind(t.languages.join(","))
        .push_bind(t.dutch_level.clone())
        .push_bind(t.bbl)
        .push_bind(t.starts_on.clone())
        .push_bind(t.status.clone())
        .push_bind(now);
}

/// `id, id, …)` — or `NULL)`, which matches nothing, for an empty list.
pub(super) async fn insert_organisations(tx: &mut Tx, rows: &[OrganisationRow]) -> Result<(), StoreError> {
    for o in rows {
        sqlx::query(
            "INSERT INTO organisations (id, name, kind, sector, description, wijk_code, lat, lon, alliance, fictitious, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&o.id)
        .bind(&o.name)
        .bind(&o.kind)
        .bind(&o.sector)
        .bind(&o.description)
        .bind(&o.wijk_code)
        .bind(o.lat)
        .bind(o.lon)
        .bind(o.alliance)
        .bind(o.fictitious)
        .bind(now_unix())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Inserts new vacancies with their skills and outbox entries; returns the
/// outbox position of the last one.
pub(super) async fn insert_vacancies(tx: &mut Tx, rows: &[VacancyRow]) -> Result<i64, StoreError> {
    let now = now_unix();
    let insert = format!(
        "INSERT INTO vacancies ({VACANCY_FIELDS}, id, organisation_id, posted_on, fictitious, created_at)"
    );
    insert_rows(tx, &insert, VACANCY_FIELD_COUNT + 5, rows, |values, v| {
        push_vacancy_fields(values, v, now);
        values.push_bind(v.id.clone());
        values.push_bind(v.organisation_id.clone());
        values.push_bind(v.posted_on.clone());
        values.push_bind(v.fictitious);
        values.push_bind(now);
    })
    .await?;
    insert_vacancy_skills(tx, rows).await?;
    append_outbox(tx, OfferKind::Vacancy, rows.iter().map(|v| &v.id)).await
}

pub(super) async fn insert_trainings(tx: &mut Tx, rows: &[TrainingRow]) -> Result<i64, StoreError> {
    let now = now_unix();
    let insert =
        format!("INSERT INTO trainings ({TRAINING_FIELDS}, id, organisation_id, fictitious, created_at)");
    insert_rows(tx, &insert, TRAINING_FIELD_COUNT + 4, rows, |values, t| {
        push_training_fields(values, t, now);
        values.push_bind(t.id.clone());
        values.push_bind(t.organisation_id.clone());
        values.push_bind(t.fictitious);
        values.push_bind(now);
    })
    .await?;
    insert_training_links(tx, rows).await?;
    append_outbox(tx, OfferKind::Training, rows.iter().map(|t| &t.id)).await
}

pub(super) fn push_id_list(query: &mut sqlx::QueryBuilder<Sqlite>, ids: &[String]) {
    if ids.is_empty() {
        query.push("NULL)");
        return;
    }
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(id.clone());
    }
    query.push(")");
}

async fn insert_vacancy_skills(tx: &mut Tx, rows: &[VacancyRow]) -> Result<(), StoreError> {
    let links: Vec<(&String, &String, bool)> = rows
        .iter()
        .flat_map(|v| {
            let required = v.skills_required.iter().map(move |s| (&v.id, s, true));
            required.chain(v.skills_optional.iter().map(move |s| (&v.id, s, false)))
        })
        .collect();
    let insert = "INSERT INTO vacancy_skills (vacancy_id, skill_id, required)";
    insert_rows(tx, insert, 3, &links, |values, (vacancy, skill, required)| {
        values
            .push_bind((*vacancy).clone())
            .push_bind((*skill).clone())
            .push_bind(*required);
    })
    .await
}

async fn insert_training_links(tx: &mut Tx, rows: &[TrainingRow]) -> Result<(), StoreError> {
    let skills: Vec<(&String, &String)> = rows
        .iter()
        .flat_map(|t| t.skills.iter().map(move |s| (&t.id, s)))
        .collect();
    insert_rows(
        tx,
        "INSERT INTO training_skills (training_id, skill_id)",
        2,
        &skills,
        |values, (t, s)| {
            values.push_bind((*t).clone()).push_bind((*s).clone());
        },
    )
    .await?;
    let occupations: Vec<(&String, &String)> = rows
        .iter()
        .flat_map(|t| t.occupations.iter().map(move |o| (&t.id, o)))
        .collect();
    let insert = "INSERT INTO training_occupations (training_id, occupation_uri)";
    insert_rows(tx, insert, 2, &occupations, |values, (t, o)| {
        values.push_bind((*t).clone()).push_bind((*o).clone());
    })
    .await
}

/// Records changed offers for the indexer; returns the last position.
async fn append_outbox<'a>(
    tx: &mut Tx,
    kind: OfferKind,
    ids: impl IntoIterator<Item = &'a String>,
) -> Result<i64, StoreError> {
    let ids: Vec<&String> = ids.into_iter().collect();
    let now = now_unix();
    insert_rows(
        tx,
        "INSERT INTO outbox (entity, entity_id, created_at)",
        3,
        &ids,
        |values, id| {
            values
                .push_bind(kind.entity())
                .push_bind((*id).clone())
                .push_bind(now);
        },
    )
    .await?;
    Ok(sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM outbox")
        .fetch_one(&mut **tx)
        .await?)
}

fn vacancy_from_row(r: &SqliteRow, skills: Vec<(String, bool)>) -> VacancyRow {
    let (required, optional): (Vec<_>, Vec<_>) = skills.into_iter().partition(|(_, req)| *req);
    VacancyRow {
        id: r.get("id"),
        organisation_id: r.get("organisation_id"),
        organisation_name: r.get("organisation_name"),
        organisation_alliance: r.get("organisation_alliance"),
        title: r.get("title"),
        description: r.get("description"),
        occupation_uri: r.get("occupation_uri"),
        sector: r.get("sector"),
        contract: r.get("contract"),
        hours_min: r.get("hours_min"),
        hours_max: r.get("hours_max"),
        education: r.get("education"),
        dutch_level: r.get("dutch_level"),
        salary_min: r.get("salary_min"),
        salary_max: r.get("salary_max"),
        salary_period: r.get("salary_period"),
        lat: r.get("lat"),
        lon: r.get("lon"),
        wijk_code: r.get("wijk_code"),
        posted_on: r.get("posted_on"),
        closes_on: r.get("closes_on"),
        bbl: r.get("bbl"),
        banenafspraak: r.get("banenafspraak"),
        parttime: r.get("parttime"),
        apply: r.get("apply"),
        status: r.get("status"),
        fictitious: r.get("fictitious"),
        skills_required: required.into_iter().map(|(s, _)| s).collect(),
        skills_optional: optional.into_iter().map(|(s, _)| s).collect(),
    }
}

fn training_from_row(r: &SqliteRow, (skills, occupations): (Vec<String>, Vec<String>)) -> TrainingRow {
    let languages: String = r.get("languages");
    TrainingRow {
        id: r.get("id"),
        organisation_id: r.get("organisation_id"),
        organisation_name: r.get("organisation_name"),
        title: r.get("title"),
        description: r.get("description"),
        kind: r.get("kind"),
        crebo: r.get("crebo"),
        level: r.get("level"),
        duration_weeks: r.get("duration_weeks"),
        hours_per_week: r.get("hours_per_week"),
        cost: r.get("cost"),
        price_eur: r.get("price_eur"),
        lat: r.get("lat"),
        lon: r.get("lon"),
        wijk_code: r.get("wijk_code"),
        languages: languages
            .split(',')
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        dutch_level: r.get("dutch_level"),
        bbl: r.get("bbl"),
        starts_on: r.get("starts_on"),
        status: r.get("status"),
        fictitious: r.get("fictitious"),
        skills,
        occupations,
        sector: r.get("sector"),
    }
}
