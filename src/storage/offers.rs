//! Organisations, vacancies and trainings. Every write to an offer appends
//! to the outbox (`outbox.rs`) in the same
//! transaction.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::batch::{insert_rows, update_row};
use super::db::{DbRow, Query, Time, Values, split_list};
use super::outbox::append_outbox;
use super::{Store, StoreError, Tx, now_unix};
use crate::codes::OfferKind;
use crate::outbox::OutboxPosition;

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
    /// Extra instructions for applying, beside the ways below.
    pub apply: String,
    #[serde(default)]
    pub apply_url: Option<String>,
    #[serde(default)]
    pub apply_email: Option<String>,
    #[serde(default)]
    pub apply_phone: Option<String>,
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
    /// Later start dates, after `starts_on`.
    #[serde(default)]
    pub start_dates: Vec<String>,
    /// Extra instructions for signing up, beside the ways below.
    #[serde(default)]
    pub signup: String,
    #[serde(default)]
    pub signup_url: Option<String>,
    #[serde(default)]
    pub signup_email: Option<String>,
    #[serde(default)]
    pub signup_phone: Option<String>,
    #[serde(default = "open", skip_serializing)]
    pub status: String,
    pub fictitious: bool,
    pub skills: Vec<String>,
    pub occupations: Vec<String>,
    /// The sector of the first occupation it leads to; read only.
    #[serde(default, skip_serializing)]
    pub sector: Option<String>,
}

fn open() -> String {
    "open".into()
}

impl Store {
    pub async fn insert_organisations(&self, rows: &[OrganisationRow]) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        insert_organisations(&mut tx, rows).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn organisation_kind(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(Query::new("SELECT kind FROM organisations WHERE id = ?")
            .bind(id)
            .scalar_optional(self)
            .await?)
    }

    pub async fn organisation_sector(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(Query::new("SELECT sector FROM organisations WHERE id = ?")
            .bind(id)
            .scalar_optional(self)
            .await?)
    }

    /// Inserts new offers of one kind in one transaction; returns the
    /// outbox position of the last one.
    pub async fn insert_offers<R: StoredOffer>(&self, rows: &[R]) -> Result<OutboxPosition, StoreError> {
        let mut tx = self.begin_write().await?;
        let seq = insert_offers(&mut tx, rows).await?;
        tx.commit().await?;
        Ok(seq)
    }

    /// Replaces the editable fields and links of an offer. `None` when it
    /// does not exist.
    pub async fn update_offer<R: StoredOffer>(
        &self,
        offer: &R,
    ) -> Result<Option<OutboxPosition>, StoreError> {
        let mut tx = self.begin_write().await?;
        if !update_offer(&mut tx, offer).await? {
            return Ok(None);
        }
        let seq = append_outbox(&mut tx, R::KIND, [offer.id()]).await?;
        tx.commit().await?;
        Ok(Some(seq))
    }

    pub async fn offer<R: StoredOffer>(&self, id: &str) -> Result<Option<R>, StoreError> {
        Ok(self.offers_by_ids(&[id.to_string()]).await?.pop())
    }

    /// Offers by id, in id order; unknown ids are skipped.
    pub async fn offers_by_ids<R: StoredOffer>(&self, ids: &[String]) -> Result<Vec<R>, StoreError> {
        let mut query = Query::new(format!("{} WHERE {} IN (", R::SELECT, R::ID));
        query.push_id_list(ids);
        query.push(&format!(" ORDER BY {}", R::ID));
        let rows = query.fetch_all(self).await?;
        self.offers_from(rows).await
    }

    /// The title and description of these vacancies, by id: only what a
    /// free-text skill is looked for in, without the rest of the row.
    pub async fn vacancy_texts(&self, ids: &[String]) -> Result<Vec<(String, String, String)>, StoreError> {
        let mut query = Query::new("SELECT id, title, description FROM vacancies WHERE id IN (");
        query.push_id_list(ids);
        let rows = query.fetch_all(self).await?;
        Ok(rows
            .iter()
            .map(|r| (r.get("id"), r.get("title"), r.get("description")))
            .collect())
    }

    /// Offers with an id after `after`, in id order: keyset pages for
    /// rebuilding the index in bounded memory.
    pub async fn offers_after<R: StoredOffer>(&self, after: &str, limit: i64) -> Result<Vec<R>, StoreError> {
        let rows = Query::new(format!(
            "{} WHERE {id} > ? ORDER BY {id} LIMIT ?",
            R::SELECT,
            id = R::ID
        ))
        .bind(after)
        .bind(limit)
        .fetch_all(self)
        .await?;
        self.offers_from(rows).await
    }

    /// An organisation's vacancies, open ones first, newest first.
    pub async fn vacancies_of_organisation(
        &self,
        organisation_id: &str,
        limit: i64,
    ) -> Result<Vec<VacancyRow>, StoreError> {
        let rows = Query::new(format!(
            "{} WHERE v.organisation_id = ? ORDER BY v.status = 'closed', v.posted_on DESC, v.id DESC LIMIT ?",
            VacancyRow::SELECT
        ))
        .bind(organisation_id)
        .bind(limit)
        .fetch_all(self)
        .await?;
        self.offers_from(rows).await
    }

    /// Rows of `R::SELECT` with their links, in one more query.
    pub(super) async fn offers_from<R: StoredOffer>(&self, rows: Vec<DbRow>) -> Result<Vec<R>, StoreError> {
        let ids: Vec<String> = rows.iter().map(|r| r.get("id")).collect();
        let mut links = self.links_for::<R>(&ids).await?;
        Ok(rows
            .iter()
            .map(|r| {
                let id: String = r.get("id");
                R::from_row(r, links.remove(&id).unwrap_or_default())
            })
            .collect())
    }

    /// The links of these offers: per offer, one list per `R::LINKS` entry.
    async fn links_for<R: StoredOffer>(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, Vec<Vec<String>>>, StoreError> {
        let mut out: HashMap<String, Vec<Vec<String>>> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let mut query = Query::new("");
        for (i, link) in R::LINKS.iter().enumerate() {
            if i > 0 {
                query.push(" UNION ALL ");
            }
            query.push(&format!(
                "SELECT {key}, {value}, CAST({i} AS BIGINT) FROM {table} WHERE {filter}{key} IN (",
                key = R::LINK_KEY,
                value = link.column,
                table = link.table,
                filter = link
                    .fixed
                    .map(|(column, value)| format!(
                        "{column} = {} AND ",
                        if value { "TRUE" } else { "FALSE" }
                    ))
                    .unwrap_or_default(),
            ));
            query.push_id_list(ids);
        }
        query.push(" ORDER BY 1, 3, 2");
        for row in query.fetch_all(self).await? {
            let lists = out
                .entry(row.get(0))
                .or_insert_with(|| vec![Vec::new(); R::LINKS.len()]);
            let which: i64 = row.get(2);
            lists[which as usize].push(row.get(1));
        }
        Ok(out)
    }

    /// Some organisation of this kind, for tools that need one.
    pub async fn any_organisation(&self, kind: &str) -> Result<Option<String>, StoreError> {
        Ok(
            Query::new("SELECT id FROM organisations WHERE kind = ? ORDER BY id LIMIT 1")
                .bind(kind)
                .scalar_optional(self)
                .await?,
        )
    }
}

pub(super) async fn insert_organisations(tx: &mut Tx, rows: &[OrganisationRow]) -> Result<(), StoreError> {
    for o in rows {
        Query::new(
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
        .bind(Time(now_unix()))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Inserts new offers with their links and outbox entries; returns the
/// outbox position of the last one.
/// Replaces an offer's editable fields and links, without the outbox;
/// `false` when it does not exist.
pub(super) async fn update_offer<R: StoredOffer>(tx: &mut Tx, offer: &R) -> Result<bool, StoreError> {
    let now = now_unix();
    let changed = update_row(tx, R::TABLE, R::FIELDS, offer.id(), |values| {
        offer.push_fields(values, now)
    })
    .await?;
    if changed == 0 {
        return Ok(false);
    }
    for table in R::link_tables() {
        Query::new(format!("DELETE FROM {table} WHERE {} = ?", R::LINK_KEY))
            .bind(offer.id())
            .execute(&mut *tx)
            .await?;
    }
    insert_links(tx, std::slice::from_ref(offer)).await?;
    Ok(true)
}

pub(super) async fn insert_offers<R: StoredOffer>(
    tx: &mut Tx,
    rows: &[R],
) -> Result<OutboxPosition, StoreError> {
    let now = now_unix();
    let insert = format!("INSERT INTO {} ({}, {})", R::TABLE, R::FIELDS, R::CREATED_FIELDS);
    insert_rows(
        tx,
        &insert,
        R::FIELD_COUNT + R::CREATED_FIELD_COUNT,
        rows,
        |values, row| {
            row.push_fields(values, now);
            row.push_created(values, now);
        },
    )
    .await?;
    insert_links(tx, rows).await?;
    append_outbox(tx, R::KIND, rows.iter().map(R::id)).await
}

/// The link rows of these offers, link by link.
async fn insert_links<R: StoredOffer>(tx: &mut Tx, rows: &[R]) -> Result<(), StoreError> {
    for (i, link) in R::LINKS.iter().enumerate() {
        let pairs: Vec<(&str, &String)> = rows
            .iter()
            .flat_map(|row| row.links(i).iter().map(move |value| (row.id(), value)))
            .collect();
        let insert = format!(
            "INSERT INTO {} ({}, {}{})",
            link.table,
            R::LINK_KEY,
            link.column,
            link.fixed
                .map(|(column, _)| format!(", {column}"))
                .unwrap_or_default()
        );
        let columns = 2 + usize::from(link.fixed.is_some());
        insert_rows(tx, &insert, columns, &pairs, |values, (id, value)| {
            values.push_bind(id.to_string()).push_bind((*value).clone());
            if let Some((_, fixed)) = link.fixed {
                values.push_bind(fixed);
            }
        })
        .await?;
    }
    Ok(())
}

/// What differs between a vacancy and a training in the database, as data
/// (tables, columns, links) and the two binders; the SQL around it is
/// written once, in the generic functions above.
pub trait StoredOffer: Sized + Send + Unpin {
    const KIND: OfferKind;
    const TABLE: &'static str;
    /// The column of `SELECT` that holds the id, e.g. `v.id`.
    const ID: &'static str;
    const SELECT: &'static str;
    /// The editable columns, in the order `push_fields` binds them; INSERT
    /// and UPDATE share both.
    const FIELDS: &'static str;
    const FIELD_COUNT: usize;
    /// The columns set once, when the offer is created.
    const CREATED_FIELDS: &'static str;
    const CREATED_FIELD_COUNT: usize;
    /// The link tables' column that names the offer.
    const LINK_KEY: &'static str;
    /// The table of the feeds' identifiers of these offers.
    const SOURCES: &'static str;
    const LINKS: &'static [LinkSpec];

    fn id(&self) -> &str;
    fn push_fields(&self, values: &mut Values<'_>, now: i64);
    fn push_created(&self, values: &mut Values<'_>, now: i64);
    /// The values of link `i` of `LINKS`.
    fn links(&self, i: usize) -> &[String];
    /// The offer from a row of `SELECT` and its links, one list per `LINKS`.
    fn from_row(row: &DbRow, links: Vec<Vec<String>>) -> Self;

    /// Each link table once.
    fn link_tables() -> Vec<&'static str> {
        let mut tables: Vec<&'static str> = Self::LINKS.iter().map(|l| l.table).collect();
        tables.dedup();
        tables
    }
}

/// One list of an offer kept in a link table, e.g. a vacancy's required
/// skills: rows of `vacancy_skills` with `required = 1`.
pub struct LinkSpec {
    table: &'static str,
    column: &'static str,
    /// A column this list fixes, with its value.
    fixed: Option<(&'static str, bool)>,
}

impl StoredOffer for VacancyRow {
    const KIND: OfferKind = OfferKind::Vacancy;
    const TABLE: &'static str = "vacancies";
    const ID: &'static str = "v.id";
    const SELECT: &'static str =
        "SELECT v.*, o.name AS organisation_name, o.alliance AS organisation_alliance
         FROM vacancies v JOIN organisations o ON o.id = v.organisation_id";
    const FIELDS: &'static str = "title, description, occupation_uri, sector, contract, hours_min, hours_max, \
        education, dutch_level, salary_min, salary_max, salary_period, lat, lon, wijk_code, closes_on, bbl, \
        banenafspraak, parttime, apply, apply_url, apply_email, apply_phone, status, updated_at";
    const FIELD_COUNT: usize = 25;
    const CREATED_FIELDS: &'static str = "id, organisation_id, posted_on, fictitious, created_at";
    const CREATED_FIELD_COUNT: usize = 5;
    const LINK_KEY: &'static str = "vacancy_id";
    const SOURCES: &'static str = "vacancy_sources";
    const LINKS: &'static [LinkSpec] = &[
        LinkSpec {
            table: "vacancy_skills",
            column: "skill_id",
            fixed: Some(("required", true)),
        },
        LinkSpec {
            table: "vacancy_skills",
            column: "skill_id",
            fixed: Some(("required", false)),
        },
    ];

    fn id(&self) -> &str {
        &self.id
    }

    fn push_fields(&self, values: &mut Values<'_>, now: i64) {
        values
            .push_bind(self.title.clone())
            .push_bind(self.description.clone())
            .push_bind(self.occupation_uri.clone())
            .push_bind(self.sector.clone())
            .push_bind(self.contract.clone())
            .push_bind(self.hours_min)
            .push_bind(self.hours_max)
            .push_bind(self.education.clone())
            .push_bind(self.dutch_level.clone())
            .push_bind(self.salary_min)
            .push_bind(self.salary_max)
            .push_bind(self.salary_period.clone())
            .push_bind(self.lat)
            .push_bind(self.lon)
            .push_bind(self.wijk_code.clone())
            .push_bind(self.closes_on.clone())
            .push_bind(self.bbl)
            .push_bind(self.banenafspraak)
            .push_bind(self.parttime)
            .push_bind(self.apply.clone())
            .push_bind(self.apply_url.clone())
            .push_bind(self.apply_email.clone())
            .push_bind(self.apply_phone.clone())
            .push_bind(self.status.clone())
            .push_bind(Time(now));
    }

    fn push_created(&self, values: &mut Values<'_>, now: i64) {
        values
            .push_bind(self.id.clone())
            .push_bind(self.organisation_id.clone())
            .push_bind(self.posted_on.clone())
            .push_bind(self.fictitious)
            .push_bind(Time(now));
    }

    fn links(&self, i: usize) -> &[String] {
        if i == 0 {
            &self.skills_required
        } else {
            &self.skills_optional
        }
    }

    fn from_row(r: &DbRow, links: Vec<Vec<String>>) -> Self {
        let [skills_required, skills_optional] = two_lists(links);
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
            apply_url: r.get("apply_url"),
            apply_email: r.get("apply_email"),
            apply_phone: r.get("apply_phone"),
            status: r.get("status"),
            fictitious: r.get("fictitious"),
            skills_required,
            skills_optional,
        }
    }
}

impl StoredOffer for TrainingRow {
    const KIND: OfferKind = OfferKind::Training;
    const TABLE: &'static str = "trainings";
    const ID: &'static str = "t.id";
    const SELECT: &'static str = "SELECT t.*, o.name AS organisation_name,
           (SELECT oc.sector FROM training_occupations tro JOIN occupations oc ON oc.uri = tro.occupation_uri
             WHERE tro.training_id = t.id ORDER BY tro.occupation_uri LIMIT 1) AS sector
         FROM trainings t JOIN organisations o ON o.id = t.organisation_id";
    const FIELDS: &'static str = "title, description, kind, crebo, level, duration_weeks, hours_per_week, cost, \
        price_eur, lat, lon, wijk_code, languages, dutch_level, bbl, starts_on, start_dates, signup, \
        signup_url, signup_email, signup_phone, status, updated_at";
    const FIELD_COUNT: usize = 23;
    const CREATED_FIELDS: &'static str = "id, organisation_id, fictitious, created_at";
    const CREATED_FIELD_COUNT: usize = 4;
    const LINK_KEY: &'static str = "training_id";
    const SOURCES: &'static str = "training_sources";
    const LINKS: &'static [LinkSpec] = &[
        LinkSpec {
            table: "training_skills",
            column: "skill_id",
            fixed: None,
        },
        LinkSpec {
            table: "training_occupations",
            column: "occupation_uri",
            fixed: None,
        },
    ];

    fn id(&self) -> &str {
        &self.id
    }

    fn push_fields(&self, values: &mut Values<'_>, now: i64) {
        values
            .push_bind(self.title.clone())
            .push_bind(self.description.clone())
            .push_bind(self.kind.clone())
            .push_bind(self.crebo.clone())
            .push_bind(self.level.clone())
            .push_bind(self.duration_weeks)
            .push_bind(self.hours_per_week)
            .push_bind(self.cost.clone())
            .push_bind(self.price_eur)
            .push_bind(self.lat)
            .push_bind(self.lon)
            .push_bind(self.wijk_code.clone())
            .push_bind(self.languages.join(","))
            .push_bind(self.dutch_level.clone())
            .push_bind(self.bbl)
            .push_bind(self.starts_on.clone())
            .push_bind(self.start_dates.join(","))
            .push_bind(self.signup.clone())
            .push_bind(self.signup_url.clone())
            .push_bind(self.signup_email.clone())
            .push_bind(self.signup_phone.clone())
            .push_bind(self.status.clone())
            .push_bind(Time(now));
    }

    fn push_created(&self, values: &mut Values<'_>, now: i64) {
        values
            .push_bind(self.id.clone())
            .push_bind(self.organisation_id.clone())
            .push_bind(self.fictitious)
            .push_bind(Time(now));
    }

    fn links(&self, i: usize) -> &[String] {
        if i == 0 { &self.skills } else { &self.occupations }
    }

    fn from_row(r: &DbRow, links: Vec<Vec<String>>) -> Self {
        let [skills, occupations] = two_lists(links);
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
            languages: split_list(r.get("languages")),
            dutch_level: r.get("dutch_level"),
            bbl: r.get("bbl"),
            starts_on: r.get("starts_on"),
            start_dates: split_list(r.get("start_dates")),
            signup: r.get("signup"),
            signup_url: r.get("signup_url"),
            signup_email: r.get("signup_email"),
            signup_phone: r.get("signup_phone"),
            status: r.get("status"),
            fictitious: r.get("fictitious"),
            skills,
            occupations,
            sector: r.get("sector"),
        }
    }
}

/// The two link lists of an offer (both kinds have two).
fn two_lists(links: Vec<Vec<String>>) -> [Vec<String>; 2] {
    let mut lists = links.into_iter();
    [lists.next().unwrap_or_default(), lists.next().unwrap_or_default()]
}
