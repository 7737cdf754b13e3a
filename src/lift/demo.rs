//! A fictitious year for the lift report, so it shows something on first
//! start: extra demo residents registered over the past year, vacancies
//! posted and closed during it, and outcomes and training routes.
//!
//! `banenlift generate --demo-year --out fixtures/demo` writes it
//! deterministically from the demo templates; the files are committed and
//! loaded with the rest of the demo. Every date is "days before the
//! reference day", so the year moves along with today like the other demo
//! dates. Residents in priority wijken get a somewhat lower chance of each
//! next step: the gap the report exists to show.

use std::path::Path;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::fixtures::{self, FixtureError, OfferSet};
use crate::generate::{days_before_reference, pick, write_jsonl};
use crate::geo::{Point, Wijk};
use crate::matching::policy::DEFAULT_PRIORITY_WIJKEN;
use crate::offers::{Context, date_day_number, day_number, today};
use crate::storage::{BulkLoad, ImportedOutcome, VacancyRow};

const RESIDENTS_FILE: &str = "lift_residents.jsonl";
const REGISTRATIONS_FILE: &str = "lift_registrations.jsonl";
const VACANCIES_FILE: &str = "lift_vacancies.jsonl";
const OUTCOMES_FILE: &str = "lift_outcomes.jsonl";
const RESIDENTS_TEXT: &str = include_str!("../../fixtures/demo/lift_residents.jsonl");
const REGISTRATIONS_TEXT: &str = include_str!("../../fixtures/demo/lift_registrations.jsonl");
const VACANCIES_TEXT: &str = include_str!("../../fixtures/demo/lift_vacancies.jsonl");
const OUTCOMES_TEXT: &str = include_str!("../../fixtures/demo/lift_outcomes.jsonl");

const RESIDENTS: usize = 1_600;
const PAST_VACANCIES: usize = 360;
const YEAR_DAYS: i64 = 365;
/// A vacancy of the past year stays open this long.
const OPEN_DAYS: i64 = 42;
/// Residents of a priority wijk are this many times as likely to be drawn:
/// the city's focus is where most of its jobseekers live.
const PRIORITY_WEIGHT: usize = 4;
/// Events are stamped at 10:00 UTC on their day.
const EVENT_SECOND_OF_DAY: i64 = 10 * 3600;

/// When a demo resident registered and last used Banenlift.
#[derive(Debug, Serialize, Deserialize)]
pub struct Registration {
    pub resident_id: String,
    pub registered_days_ago: i64,
    pub last_active_days_ago: i64,
}

/// One outcome of the demo year, of a vacancy or a training.
#[derive(Debug, Serialize, Deserialize)]
pub struct DemoOutcome {
    pub resident_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vacancy_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training_id: Option<String>,
    pub status: String,
    pub days_ago: i64,
}

/// Writes the four files of the demo year into `out`.
pub fn write(out: &Path, seed: u64) -> anyhow::Result<String> {
    let demo = OfferSet::demo()?;
    let wijken: Vec<Wijk> = fixtures::wijken()?.into_iter().map(|(w, _)| w).collect();
    let weighted = weighted_wijken(&wijken);
    let templates = fixtures::demo_residents()?;
    let mut rng = StdRng::seed_from_u64(seed);
    let past: Vec<VacancyRow> = (0..PAST_VACANCIES)
        .map(|i| past_vacancy(&demo.vacancies, i, &mut rng))
        .collect();
    let offers = Offers::new(&demo, &past);
    let mut residents = Vec::with_capacity(RESIDENTS);
    let mut registrations = Vec::with_capacity(RESIDENTS);
    let mut outcomes = Vec::new();
    for i in 0..RESIDENTS {
        let wijk = *pick(&weighted, &mut rng);
        let id = format!("lift-res-{i:04}");
        residents.push(resident(&templates, &id, wijk, &mut rng));
        let registered = rng.random_range(0..YEAR_DAYS);
        let story = Story {
            resident_id: &id,
            home: Point {
                lat: wijk.inner_lat,
                lon: wijk.inner_lon,
            },
            priority: DEFAULT_PRIORITY_WIJKEN.contains(&wijk.name.as_str()),
        };
        let last_event = story.tell(&offers, registered, &mut rng, &mut outcomes);
        registrations.push(Registration {
            resident_id: id,
            registered_days_ago: registered,
            last_active_days_ago: rng.random_range(0..=last_event.min(registered)),
        });
    }
    std::fs::create_dir_all(out)?;
    write_jsonl(&out.join(RESIDENTS_FILE), residents.iter())?;
    write_jsonl(&out.join(REGISTRATIONS_FILE), registrations.iter())?;
    write_jsonl(&out.join(VACANCIES_FILE), past.iter().map(closed))?;
    write_jsonl(&out.join(OUTCOMES_FILE), outcomes.iter())?;
    Ok(format!(
        "demojaar: {RESIDENTS} bewoners, {PAST_VACANCIES} vacatures, {} uitkomsten geschreven naar {}",
        outcomes.len(),
        out.display()
    ))
}

fn weighted_wijken(wijken: &[Wijk]) -> Vec<&Wijk> {
    wijken
        .iter()
        .flat_map(|w| {
            let weight = if DEFAULT_PRIORITY_WIJKEN.contains(&w.name.as_str()) {
                PRIORITY_WEIGHT
            } else {
                1
            };
            std::iter::repeat_n(w, weight)
        })
        .collect()
}

/// A demo resident moved to `wijk`, without coach and not findable by
/// employers, so the extra residents stay out of the demo's other views.
fn resident(templates: &[serde_json::Value], id: &str, wijk: &Wijk, rng: &mut StdRng) -> serde_json::Value {
    let mut resident = pick(templates, rng).clone();
    if let Some(object) = resident.as_object_mut() {
        object.insert("id".into(), id.into());
        object.insert("postcode".into(), serde_json::Value::Null);
        object.insert("wijk".into(), wijk.code.clone().into());
        object.insert("coach_id".into(), serde_json::Value::Null);
        object.insert("findable_by_employers".into(), false.into());
        object.insert("fictitious".into(), true.into());
    }
    resident
}

/// A demo vacancy posted some time in the past year, open for six weeks.
fn past_vacancy(templates: &[VacancyRow], i: usize, rng: &mut StdRng) -> VacancyRow {
    let template = pick(templates, rng);
    let posted = rng.random_range(OPEN_DAYS..YEAR_DAYS + OPEN_DAYS);
    VacancyRow {
        id: format!("vac-jaar-{i:04}"),
        posted_on: days_before_reference(posted),
        closes_on: Some(days_before_reference(posted - OPEN_DAYS)),
        fictitious: true,
        ..template.clone()
    }
}

/// The fixture line of a past vacancy: closed.
fn closed(v: &VacancyRow) -> serde_json::Value {
    let mut value = serde_json::to_value(v).unwrap_or_default();
    if let Some(object) = value.as_object_mut() {
        object.insert("status".into(), "closed".into());
    }
    value
}

/// The offers a story can use, with the days (before the reference day)
/// each vacancy was open.
struct Offers<'a> {
    vacancies: Vec<(&'a VacancyRow, i64, i64)>,
    trainings: &'a [crate::storage::TrainingRow],
}

impl<'a> Offers<'a> {
    fn new(demo: &'a OfferSet, past: &'a [VacancyRow]) -> Self {
        let reference = date_day_number(fixtures::DEMO_REFERENCE_DATE);
        let days_ago =
            |iso: Option<&str>, default: i64| iso.and_then(day_number).map_or(default, |d| reference - d);
        let vacancies = demo
            .vacancies
            .iter()
            .chain(past)
            .map(|v| {
                (
                    v,
                    days_ago(Some(&v.posted_on), 0),
                    days_ago(v.closes_on.as_deref(), -1).max(-1),
                )
            })
            .collect();
        Self {
            vacancies,
            trainings: &demo.trainings,
        }
    }

    /// The nearest of a few vacancies open `day` days ago.
    fn vacancy_open(&self, day: i64, home: Point, rng: &mut StdRng) -> Option<&'a VacancyRow> {
        let open: Vec<&'a VacancyRow> = self
            .vacancies
            .iter()
            .filter(|(_, posted, closes)| *posted >= day && *closes <= day)
            .map(|(v, _, _)| *v)
            .collect();
        nearest(
            (0..6).filter_map(|_| open.get(rng.random_range(0..open.len().max(1))).copied()),
            home,
            |v| Point {
                lat: v.lat,
                lon: v.lon,
            },
        )
    }

    fn training(&self, home: Point, rng: &mut StdRng) -> Option<&'a crate::storage::TrainingRow> {
        let tries = (0..6).map(|_| pick(self.trainings, rng));
        nearest(tries, home, |t| Point {
            lat: t.lat,
            lon: t.lon,
        })
    }
}

fn nearest<T>(items: impl Iterator<Item = T>, home: Point, place: impl Fn(&T) -> Point) -> Option<T> {
    items.min_by(|a, b| home.distance_km(place(a)).total_cmp(&home.distance_km(place(b))))
}

/// One resident's year: maybe a route to work, maybe a training.
struct Story<'a> {
    resident_id: &'a str,
    home: Point,
    priority: bool,
}

impl Story<'_> {
    /// Adds the resident's outcomes; returns the most recent event's days ago.
    fn tell(&self, offers: &Offers, registered: i64, rng: &mut StdRng, out: &mut Vec<DemoOutcome>) -> i64 {
        let mut last = registered;
        let tries = 1 + usize::from(rng.random_bool(0.3));
        for _ in 0..tries {
            if rng.random_bool(0.7) {
                last = last.min(self.job_route(offers, last, rng, out));
            }
        }
        if rng.random_bool(if self.priority { 0.3 } else { 0.2 }) {
            last = last.min(self.training_route(offers, registered, rng, out));
        }
        last
    }

    /// Voorgesteld, then perhaps each next step, a few days apart, until
    /// the route stops or reaches today.
    fn job_route(&self, offers: &Offers, after: i64, rng: &mut StdRng, out: &mut Vec<DemoOutcome>) -> i64 {
        let mut day = after - rng.random_range(3..60);
        let Some(vacancy) = (day >= 0)
            .then(|| offers.vacancy_open(day, self.home, rng))
            .flatten()
        else {
            return after;
        };
        let penalty = if self.priority { 0.1 } else { 0.0 };
        let steps = [
            ("voorgesteld", 1.0),
            ("gesolliciteerd", 0.65),
            ("gesprek", 0.55 - penalty),
            ("aangenomen", 0.5 - penalty),
        ];
        let mut last = after;
        for (n, (status, chance)) in steps.into_iter().enumerate() {
            if day < 0 {
                break;
            }
            if !rng.random_bool(chance) {
                if n >= 2 && rng.random_bool(0.5) {
                    self.push(out, Some(&vacancy.id), None, "afgewezen", day);
                }
                break;
            }
            self.push(out, Some(&vacancy.id), None, status, day);
            last = day;
            day -= rng.random_range(2..21);
        }
        last
    }

    fn training_route(
        &self,
        offers: &Offers,
        after: i64,
        rng: &mut StdRng,
        out: &mut Vec<DemoOutcome>,
    ) -> i64 {
        let Some(training) = offers.training(self.home, rng) else {
            return after;
        };
        let mut day = after - rng.random_range(5..90);
        let mut last = after;
        for (status, chance, gap) in [
            ("aangemeld", 1.0, 7..30),
            ("gestart", 0.8, 40..200),
            ("afgerond", 0.6, 1..2),
        ] {
            if day < 0 || !rng.random_bool(chance) {
                break;
            }
            self.push(out, None, Some(&training.id), status, day);
            last = day;
            day -= rng.random_range(gap);
        }
        last
    }

    fn push(
        &self,
        out: &mut Vec<DemoOutcome>,
        vacancy: Option<&str>,
        training: Option<&str>,
        status: &str,
        day: i64,
    ) {
        out.push(DemoOutcome {
            resident_id: self.resident_id.to_string(),
            vacancy_id: vacancy.map(str::to_string),
            training_id: training.map(str::to_string),
            status: status.to_string(),
            days_ago: day,
        });
    }
}

/// The past year's vacancies, loaded with the demo offers.
pub fn past_vacancies() -> Result<Vec<VacancyRow>, FixtureError> {
    fixtures::jsonl_rows(VACANCIES_FILE, VACANCIES_TEXT)
}

/// The demo year's residents, their registration dates and their outcomes.
pub async fn load(load: &mut BulkLoad, ctx: &Context<'_>) -> Result<(), FixtureError> {
    fixtures::load_residents(load, ctx, RESIDENTS_FILE, RESIDENTS_TEXT).await?;
    let today = date_day_number(today());
    // Today's events happen no later than now: a start before 10:00 must
    // not load events from the future.
    let now = crate::storage::now_unix();
    let at = |days_ago: i64| ((today - days_ago) * 86_400 + EVENT_SECOND_OF_DAY).min(now);
    let registrations: Vec<Registration> = fixtures::jsonl_rows(REGISTRATIONS_FILE, REGISTRATIONS_TEXT)?;
    let dates: Vec<(String, i64, i64)> = registrations
        .into_iter()
        .map(|r| {
            (
                r.resident_id,
                at(r.registered_days_ago),
                at(r.last_active_days_ago),
            )
        })
        .collect();
    load.backdate_residents(&dates).await?;
    let outcomes: Vec<DemoOutcome> = fixtures::jsonl_rows(OUTCOMES_FILE, OUTCOMES_TEXT)?;
    let rows: Vec<ImportedOutcome> = outcomes
        .into_iter()
        .filter_map(|o| {
            let training = o.training_id.is_some();
            Some(ImportedOutcome {
                resident_id: o.resident_id,
                offer_id: o.training_id.or(o.vacancy_id)?,
                training,
                status: o.status,
                recorded_at: at(o.days_ago),
            })
        })
        .collect();
    load.outcomes(&rows).await?;
    tracing::info!(outcomes = rows.len(), "loaded the demo year");
    Ok(())
}
