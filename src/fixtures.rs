//! Reference and demo data shipped in `fixtures/`, compiled into the binary
//! so it starts anywhere. Loaded through the `Store` like any other write.

use std::collections::HashMap;

use serde::Deserialize;
use time::Date;

use crate::geo::{Postcode, Wijk};
use crate::offers::{Context, date_day_number, today};
use crate::residents::profile::ResidentInput;
use crate::storage::{
    BulkLoad, ConsentBy, OccupationRow, OrganisationRow, ReferenceData, SkillRow, Store, TrainingRow,
    VacancyRow,
};

const WIJKEN_CSV: &str = include_str!("../fixtures/wijken.csv");
const WIJKEN_GEOJSON: &str = include_str!("../fixtures/wijken.geojson");
const POSTCODES_CSV: &str = include_str!("../fixtures/postcodes.csv");
const SKILLS_CSV: &str = include_str!("../fixtures/skills.csv");
const OCCUPATIONS_CSV: &str = include_str!("../fixtures/occupations.csv");
const OCCUPATION_SKILLS_CSV: &str = include_str!("../fixtures/occupation_skills.csv");
const DEMO_ORGANISATIONS: &str = include_str!("../fixtures/demo/organisations.jsonl");
const DEMO_VACANCIES: &str = include_str!("../fixtures/demo/vacancies.jsonl");
const DEMO_TRAININGS: &str = include_str!("../fixtures/demo/trainings.jsonl");
const DEMO_USERS: &str = include_str!("../fixtures/demo/users.jsonl");
const DEMO_RESIDENTS: &str = include_str!("../fixtures/demo/residents.jsonl");

/// Demo and generated data's dates are written relative to this day; on load they move
/// by the days since, so the demo never goes stale.
pub const DEMO_REFERENCE_DATE: Date = time::macros::date!(2026 - 11 - 27);

/// Multi-valued cells are separated like this in the CSV fixtures.
const LIST_SEPARATOR: &str = " | ";

#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    #[error("fixture {file}: {message}")]
    Parse { file: &'static str, message: String },
    #[error(transparent)]
    Store(#[from] crate::storage::StoreError),
}

fn parse_error(file: &'static str, message: impl ToString) -> FixtureError {
    FixtureError::Parse {
        file,
        message: message.to_string(),
    }
}

/// Loads the reference data into a database that has none yet.
pub async fn ensure_reference(store: &Store) -> Result<(), FixtureError> {
    if !store.has_reference_data().await? {
        store.insert_reference(&reference_data()?).await?;
        tracing::info!("loaded reference data: wijken, postcodes, skills, occupations");
    }
    Ok(())
}

/// Loads the demo data (organisations, offers, coaches, residents and the
/// demo year) into a database that holds no organisations, offers or
/// residents, all in one transaction: never on top of other data, and never
/// half. Returns whether it loaded.
pub async fn load_demo_if_empty(store: &Store, ctx: &Context<'_>) -> Result<bool, FixtureError> {
    let mut load = store.begin_load().await?;
    if !load.is_empty().await? {
        return Ok(false);
    }
    // Parsed only for an empty database: every start passes through here.
    let mut demo = OfferSet::demo()?;
    demo.vacancies.extend(crate::lift::demo::past_vacancies()?);
    load_offers(&mut load, &demo).await?;
    load_demo_residents(&mut load, ctx).await?;
    crate::lift::demo::load(&mut load, ctx).await?;
    load.commit().await?;
    Ok(true)
}

#[derive(Deserialize)]
struct DemoUser {
    id: String,
    name: String,
    role: String,
}

/// The demo coaches, then the demo residents.
async fn load_demo_residents(load: &mut BulkLoad, ctx: &Context<'_>) -> Result<(), FixtureError> {
    let coaches: Vec<(String, String)> = jsonl_rows::<DemoUser>("demo/users.jsonl", DEMO_USERS)?
        .into_iter()
        .filter(|u| u.role == "coach")
        .map(|u| (u.id, u.name))
        .collect();
    load.coaches(&coaches).await?;
    load_residents(load, ctx, "demo/residents.jsonl", DEMO_RESIDENTS).await
}

/// Consent that comes with imported profiles is recorded as given to the
/// importing organisation under the current consent text.
const IMPORTED: ConsentBy<'static> = ConsentBy {
    user_id: "import",
    version: crate::privacy::consent::CONSENT_VERSION,
};

/// Residents in the fixtures' format (the API body plus `id` and
/// `fictitious`) go through the same checks and skill normalisation as the
/// API.
pub async fn load_residents(
    load: &mut BulkLoad,
    ctx: &Context<'_>,
    file: &'static str,
    text: &str,
) -> Result<(), FixtureError> {
    const BATCH: usize = 2_000;
    let shift = shift_days();
    let mut rows = Vec::new();
    for (n, mut value) in jsonl_rows::<serde_json::Value>(file, text)?
        .into_iter()
        .enumerate()
    {
        let line = n + 1;
        let object = value
            .as_object_mut()
            .ok_or_else(|| parse_error(file, format!("line {line}: not an object")))?;
        let id = object.remove("id").and_then(|v| v.as_str().map(str::to_string));
        let fictitious = object
            .remove("fictitious")
            .and_then(|v| v.as_bool())
            .unwrap_or(true);
        let input: ResidentInput =
            serde_json::from_value(value).map_err(|e| parse_error(file, format!("line {line}: {e}")))?;
        let id = id.ok_or_else(|| parse_error(file, format!("line {line}: no id")))?;
        let coach = input.coach_id.clone();
        let mut row = input
            .into_row(ctx, id, coach, None)
            .map_err(|e| parse_error(file, format!("line {line}: {e:?}")))?;
        row.available_from = row.available_from.map(|d| shift_date(&d, shift));
        row.fictitious = fictitious;
        rows.push(row);
        if rows.len() == BATCH {
            load.residents(&std::mem::take(&mut rows), &IMPORTED).await?;
        }
    }
    load.residents(&rows, &IMPORTED).await?;
    tracing::info!(file, "loaded residents");
    Ok(())
}

/// The demo residents as JSON objects, templates for `banenlift generate`.
pub fn demo_residents() -> Result<Vec<serde_json::Value>, FixtureError> {
    jsonl_rows("demo/residents.jsonl", DEMO_RESIDENTS)
}

fn shift_days() -> i64 {
    date_day_number(today()) - date_day_number(DEMO_REFERENCE_DATE)
}

/// Organisations, vacancies and trainings in the fixtures' JSON Lines format:
/// the demo data, or what `banenlift generate` wrote.
pub struct OfferSet {
    pub organisations: Vec<OrganisationRow>,
    pub vacancies: Vec<VacancyRow>,
    pub trainings: Vec<TrainingRow>,
}

impl OfferSet {
    pub fn demo() -> Result<Self, FixtureError> {
        Ok(Self {
            organisations: jsonl_rows("demo/organisations.jsonl", DEMO_ORGANISATIONS)?,
            vacancies: jsonl_rows("demo/vacancies.jsonl", DEMO_VACANCIES)?,
            trainings: jsonl_rows("demo/trainings.jsonl", DEMO_TRAININGS)?,
        })
    }

    pub fn from_dir(dir: &std::path::Path) -> Result<Self, FixtureError> {
        let read =
            |name: &'static str| std::fs::read_to_string(dir.join(name)).map_err(|e| parse_error(name, e));
        Ok(Self {
            organisations: jsonl_rows("organisations.jsonl", &read("organisations.jsonl")?)?,
            vacancies: jsonl_rows("vacancies.jsonl", &read("vacancies.jsonl")?)?,
            trainings: jsonl_rows("trainings.jsonl", &read("trainings.jsonl")?)?,
        })
    }
}

/// Inserts a set, moving its dates from the reference day to today.
pub async fn load_offers(load: &mut BulkLoad, set: &OfferSet) -> Result<(), FixtureError> {
    const BATCH: usize = 5_000;
    let shift = shift_days();
    load.organisations(&set.organisations).await?;
    for chunk in set.vacancies.chunks(BATCH) {
        let rows: Vec<VacancyRow> = chunk.iter().cloned().map(|v| shift_vacancy(v, shift)).collect();
        load.vacancies(&rows).await?;
    }
    for chunk in set.trainings.chunks(BATCH) {
        let rows: Vec<TrainingRow> = chunk.iter().cloned().map(|t| shift_training(t, shift)).collect();
        load.trainings(&rows).await?;
    }
    tracing::info!(
        organisations = set.organisations.len(),
        vacancies = set.vacancies.len(),
        trainings = set.trainings.len(),
        "loaded offers"
    );
    Ok(())
}

pub fn reference_data() -> Result<ReferenceData, FixtureError> {
    Ok(ReferenceData {
        wijken: wijken()?,
        postcodes: postcodes()?,
        skills: skills()?,
        occupations: occupations()?,
        occupation_skills: occupation_skills()?,
    })
}

fn csv_rows<T: for<'de> Deserialize<'de>>(file: &'static str, text: &str) -> Result<Vec<T>, FixtureError> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<_, _>>()
        .map_err(|e| parse_error(file, e))
}

pub(crate) fn jsonl_rows<T: for<'de> Deserialize<'de>>(
    file: &'static str,
    text: &str,
) -> Result<Vec<T>, FixtureError> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            serde_json::from_str(line).map_err(|e| parse_error(file, format!("line {}: {e}", n + 1)))
        })
        .collect()
}

fn list(cell: &str) -> Vec<String> {
    cell.split(LIST_SEPARATOR)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[derive(Deserialize)]
struct WijkCsv {
    wijk_code: String,
    wijk_nummer: i64,
    wijk_naam: String,
    stadsdeel: String,
    centroid_lat: f64,
    centroid_lon: f64,
    inner_point_lat: f64,
    inner_point_lon: f64,
    area_km2_cbs2023: f64,
}

#[derive(Deserialize)]
struct GeoJson {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    properties: FeatureProperties,
    geometry: serde_json::Value,
}

#[derive(Deserialize)]
struct FeatureProperties {
    wijk_code: String,
}

pub fn wijken() -> Result<Vec<(Wijk, String)>, FixtureError> {
    let geojson: GeoJson =
        serde_json::from_str(WIJKEN_GEOJSON).map_err(|e| parse_error("wijken.geojson", e))?;
    let geometries: HashMap<String, String> = geojson
        .features
        .into_iter()
        .map(|f| (f.properties.wijk_code, f.geometry.to_string()))
        .collect();
    csv_rows::<WijkCsv>("wijken.csv", WIJKEN_CSV)?
        .into_iter()
        .map(|w| {
            let geometry = geometries
                .get(&w.wijk_code)
                .cloned()
                .ok_or_else(|| parse_error("wijken.geojson", format!("no polygon for {}", w.wijk_code)))?;
            let wijk = Wijk {
                code: w.wijk_code,
                number: w.wijk_nummer,
                name: w.wijk_naam,
                stadsdeel: w.stadsdeel,
                lat: w.centroid_lat,
                lon: w.centroid_lon,
                inner_lat: w.inner_point_lat,
                inner_lon: w.inner_point_lon,
                area_km2: w.area_km2_cbs2023,
            };
            Ok((wijk, geometry))
        })
        .collect()
}

#[derive(Deserialize)]
struct PostcodeCsv {
    pc4: String,
    woonplaats: String,
    soort: String,
    lat: f64,
    lon: f64,
    wijk_code: Option<String>,
}

fn postcodes() -> Result<Vec<Postcode>, FixtureError> {
    Ok(csv_rows::<PostcodeCsv>("postcodes.csv", POSTCODES_CSV)?
        .into_iter()
        // PO-box-only postcodes have no place where anyone lives or works.
        .filter(|p| p.soort != "postbus")
        .map(|p| Postcode {
            pc4: p.pc4,
            woonplaats: p.woonplaats,
            lat: p.lat,
            lon: p.lon,
            wijk_code: p.wijk_code.filter(|c| !c.is_empty()),
        })
        .collect())
}

#[derive(Deserialize)]
struct SkillCsv {
    id: String,
    label_nl: String,
    aliases: String,
    misspellings: String,
    esco_uri: Option<String>,
    category: String,
    label_en: String,
}

fn skills() -> Result<Vec<SkillRow>, FixtureError> {
    Ok(csv_rows::<SkillCsv>("skills.csv", SKILLS_CSV)?
        .into_iter()
        .map(|s| SkillRow {
            id: s.id,
            label: s.label_nl,
            label_en: s.label_en,
            category: s.category,
            esco_uri: s.esco_uri.filter(|u| !u.is_empty()),
            aliases: list(&s.aliases),
            misspellings: list(&s.misspellings),
        })
        .collect())
}

#[derive(Deserialize)]
struct OccupationCsv {
    uri: String,
    isco_code: String,
    label_nl: String,
    alt_labels_nl: String,
    label_en: String,
    sector: String,
}

fn occupations() -> Result<Vec<OccupationRow>, FixtureError> {
    Ok(csv_rows::<OccupationCsv>("occupations.csv", OCCUPATIONS_CSV)?
        .into_iter()
        .map(|o| OccupationRow {
            uri: o.uri,
            isco_code: o.isco_code,
            label: o.label_nl,
            alt_labels: o.alt_labels_nl,
            label_en: o.label_en,
            sector: o.sector,
        })
        .collect())
}

#[derive(Deserialize)]
struct OccupationSkillCsv {
    occupation_uri: String,
    skill_id: String,
    relation: String,
}

fn occupation_skills() -> Result<Vec<(String, String, String)>, FixtureError> {
    Ok(
        csv_rows::<OccupationSkillCsv>("occupation_skills.csv", OCCUPATION_SKILLS_CSV)?
            .into_iter()
            .map(|r| (r.occupation_uri, r.skill_id, r.relation))
            .collect(),
    )
}

/// Moves a row's dates from the reference day by `days`.
fn shift_vacancy(mut v: VacancyRow, days: i64) -> VacancyRow {
    v.posted_on = shift_date(&v.posted_on, days);
    v.closes_on = v.closes_on.map(|d| shift_date(&d, days));
    v
}

fn shift_training(mut t: TrainingRow, days: i64) -> TrainingRow {
    t.starts_on = t.starts_on.map(|d| shift_date(&d, days));
    t
}

fn shift_date(iso: &str, days: i64) -> String {
    Date::parse(iso, time::macros::format_description!("[year]-[month]-[day]"))
        .ok()
        .and_then(|d| d.checked_add(time::Duration::days(days)))
        .map_or_else(|| iso.to_string(), |d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifts_dates_by_whole_days() {
        assert_eq!(shift_date("2026-11-27", 5), "2026-12-02");
        assert_eq!(shift_date("2026-11-27", -27), "2026-10-31");
    }

    #[test]
    fn reference_fixtures_parse_with_all_44_wijken() {
        let data = reference_data().expect("fixtures parse");
        assert_eq!(data.wijken.len(), 44);
        assert!(data.skills.len() >= 300);
        assert!(data.postcodes.iter().all(|p| p.pc4.len() == 4));
    }
}
