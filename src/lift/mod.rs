//! The lift report: per wijk or stadsdeel, does work and training reach the
//! residents who need it? Aggregates only: cells about fewer than five
//! persons are suppressed, and no person-level data leaves this module.

pub mod export;
pub mod figures;
pub mod period;
pub mod summaries;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::auth::{Caller, Role};
use crate::dates::{day_number, today};
use crate::error::AppError;
use crate::geo::{Point, STADSDELEN};
use crate::residents::matches::ALGORITHM_VERSION;
use crate::services::Services;
use figures::{Area, Facts, Figure, Figures, Kind, SUPPRESS_BELOW, Tally, VacancyFact};
use period::{Period, PeriodError};

/// The CBS code of the gemeente: the city's own row.
pub const CITY_CODE: &str = "GM0518";
/// A resident "has a match" when their best vacancy scores at least this (0–100).
pub const DEFAULT_THRESHOLD: f64 = 60.0;
const TREND_MONTHS: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Wijk,
    Stadsdeel,
}

impl Level {
    pub fn code(self) -> &'static str {
        match self {
            Self::Wijk => "wijk",
            Self::Stadsdeel => "stadsdeel",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "" | "wijk" => Some(Self::Wijk),
            "stadsdeel" => Some(Self::Stadsdeel),
            _ => None,
        }
    }
}

/// The query of the API, the page and the command line.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiftParams {
    pub from: Option<String>,
    pub to: Option<String>,
    pub level: Option<String>,
    pub threshold: Option<String>,
    pub format: Option<String>,
    /// The figure the map colours by (page only).
    pub figure: Option<String>,
    /// The figure the table is sorted by, or "naam" (page only).
    pub sorteer: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub struct ReportRequest {
    pub period: Period,
    pub level: Level,
    pub threshold: f64,
}

impl ReportRequest {
    pub fn parse(params: &LiftParams) -> Result<Self, AppError> {
        let period =
            Period::parse(params.from.as_deref(), params.to.as_deref(), today()).map_err(|e| match e {
                PeriodError::BadDate(field) => AppError::invalid(
                    field,
                    "Gebruik een datum als 2026-01-31. / Use a date like 2026-01-31.",
                ),
                PeriodError::Reversed => {
                    AppError::invalid("from", "'from' ligt na 'to'. / 'from' is after 'to'.")
                }
                PeriodError::TooLong => AppError::invalid(
                    "from",
                    "Een periode is hoogstens tien jaar. / A period is at most ten years.",
                ),
            })?;
        let level = Level::parse(params.level.as_deref().unwrap_or("")).ok_or_else(|| {
            AppError::invalid("level", "Kies wijk of stadsdeel. / Choose wijk or stadsdeel.")
        })?;
        let threshold = match params.threshold.as_deref().map(str::trim) {
            None | Some("") => DEFAULT_THRESHOLD,
            Some(text) => text
                .parse::<f64>()
                .ok()
                .filter(|t| (1.0..=100.0).contains(t))
                .ok_or_else(|| {
                    AppError::invalid("threshold", "Een score van 1 tot 100. / A score from 1 to 100.")
                })?,
        };
        Ok(Self {
            period,
            level,
            threshold,
        })
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FigureInfo {
    pub key: &'static str,
    pub label_nl: &'static str,
    pub label_en: &'static str,
    pub kind: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MissingSkill {
    pub skill_id: String,
    pub name: String,
    pub residents: u64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AreaReport {
    pub code: String,
    pub name: String,
    pub stadsdeel: String,
    pub priority: bool,
    pub figures: Figures,
    pub top_missing_skills: Vec<MissingSkill>,
}

/// How fresh the match figures are: they describe today's vacancies.
/// Rounded to fives like every count of persons.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MatchCoverage {
    pub residents_matched: u64,
    pub residents_pending: u64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LiftReport {
    pub from: String,
    pub to: String,
    pub level: Level,
    pub threshold: f64,
    pub algorithm_version: &'static str,
    pub suppressed_below: u64,
    pub matches: MatchCoverage,
    pub figures: Vec<FigureInfo>,
    pub city: AreaReport,
    pub city_average: Figures,
    pub areas: Vec<AreaReport>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrendMonth {
    pub month: String,
    pub label: String,
    pub figures: Figures,
    pub city_average: Figures,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Trend {
    pub code: String,
    pub name: String,
    pub stadsdeel: String,
    pub priority: bool,
    pub months: Vec<TrendMonth>,
}

/// Analysts and admins read the report; everyone else is refused.
pub fn check_reader(caller: &Caller) -> Result<(), AppError> {
    match caller.role {
        Role::Analyst | Role::Admin => Ok(()),
        _ => Err(AppError::Forbidden(
            "Het liftrapport is voor analisten en beheerders. / The lift report is for analysts and admins."
                .into(),
        )),
    }
}

pub async fn report(svc: &Services, caller: &Caller, request: ReportRequest) -> Result<LiftReport, AppError> {
    check_reader(caller)?;
    // Stale summaries are a reason to say so, not to fail the report.
    let pending = summaries::refresh(svc, summaries::REQUEST_BUDGET)
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "match summaries not refreshed; reporting the ones there are");
            0
        });
    let facts = load_facts(svc, request.period.end()).await?;
    let matched = facts.summaries.len() as u64;
    let areas = Arc::new(areas(svc, request.level));
    let (tallies, city) = tally_off_thread(facts, areas.clone(), vec![request.period], request.threshold)
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no tally for the period")))?;
    let area_reports = areas
        .iter()
        .zip(&tallies)
        .map(|(area, tally)| area_report(svc, area, tally))
        .collect();
    let city_area = Area {
        code: CITY_CODE.into(),
        name: "Den Haag".into(),
        stadsdeel: String::new(),
        priority: false,
        wijken: Vec::new(),
    };
    Ok(LiftReport {
        from: request.period.from.to_string(),
        to: request.period.to.to_string(),
        level: request.level,
        threshold: request.threshold,
        algorithm_version: ALGORITHM_VERSION,
        suppressed_below: SUPPRESS_BELOW,
        matches: MatchCoverage {
            residents_matched: figures::round_to_five(matched),
            residents_pending: figures::round_to_five(pending as u64),
        },
        figures: Figure::ALL.iter().map(|f| figure_info(*f)).collect(),
        city_average: city.average_figures(areas.len()),
        city: area_report(svc, &city_area, &city),
        areas: area_reports,
    })
}

/// One wijk's figures for each of the last twelve months, with the city
/// average per month. Figures about today's matches have no history and
/// are left out.
pub async fn trend(svc: &Services, caller: &Caller, wijk: &str) -> Result<Trend, AppError> {
    check_reader(caller)?;
    let wijk = svc
        .geo
        .find_wijk(wijk)
        .ok_or_else(|| AppError::NotFound("Deze wijk bestaat niet. / No such wijk.".into()))?;
    let months = Period::months_until(today(), TREND_MONTHS);
    let end = months.last().map_or(0, Period::end);
    let facts = load_facts(svc, end).await?;
    let areas = Arc::new(areas(svc, Level::Wijk));
    let position = areas
        .iter()
        .position(|a| a.code == wijk.code)
        .ok_or_else(|| AppError::NotFound("Deze wijk bestaat niet. / No such wijk.".into()))?;
    let tallies = tally_off_thread(facts, areas.clone(), months.clone(), DEFAULT_THRESHOLD).await?;
    let months = months
        .iter()
        .zip(tallies)
        .map(|(month, (tallies, city))| TrendMonth {
            month: month.from.to_string()[..7].to_string(),
            label: month.month_label(),
            figures: history_only(tallies[position].figures()),
            city_average: history_only(city.average_figures(areas.len())),
        })
        .collect();
    Ok(Trend {
        code: wijk.code.clone(),
        name: wijk.name.clone(),
        stadsdeel: wijk.stadsdeel.clone(),
        priority: svc.policy.is_priority(&wijk.code),
        months,
    })
}

/// Tallies for each period, on a blocking thread: at city scale they
/// compare every wijk with every vacancy.
async fn tally_off_thread(
    facts: Facts,
    areas: Arc<Vec<Area>>,
    periods: Vec<Period>,
    threshold: f64,
) -> Result<Vec<(Vec<Tally>, Tally)>, AppError> {
    tokio::task::spawn_blocking(move || {
        periods
            .iter()
            .map(|p| figures::tally(&facts, &areas, p, threshold))
            .collect()
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))
}

fn history_only(figures: Figures) -> Figures {
    Figures(
        figures
            .0
            .into_iter()
            .filter(|(f, _)| !f.is_current_state())
            .collect(),
    )
}

fn figure_info(f: Figure) -> FigureInfo {
    let (label_nl, label_en) = f.labels();
    FigureInfo {
        key: f.key(),
        label_nl,
        label_en,
        kind: match f.kind() {
            Kind::Persons => "persons",
            Kind::Rate => "percent",
            Kind::Days => "days",
            Kind::Offers => "vacancies",
        },
    }
}

fn area_report(svc: &Services, area: &Area, tally: &Tally) -> AreaReport {
    AreaReport {
        code: area.code.clone(),
        name: area.name.clone(),
        stadsdeel: area.stadsdeel.clone(),
        priority: area.priority,
        figures: tally.figures(),
        top_missing_skills: tally
            .top_missing()
            .into_iter()
            .map(|m| MissingSkill {
                name: svc
                    .vocabulary
                    .get(&m.skill_id)
                    .map_or_else(|| m.skill_id.clone(), |s| s.label.clone()),
                skill_id: m.skill_id,
                residents: m.residents,
            })
            .collect(),
    }
}

/// The wijken, or the stadsdelen with their wijken.
fn areas(svc: &Services, level: Level) -> Vec<Area> {
    let wijk_area = |w: &crate::geo::Wijk| Area {
        code: w.code.clone(),
        name: w.name.clone(),
        stadsdeel: w.stadsdeel.clone(),
        priority: svc.policy.is_priority(&w.code),
        wijken: vec![(
            w.code.clone(),
            Point {
                lat: w.inner_lat,
                lon: w.inner_lon,
            },
        )],
    };
    let wijken = svc.geo.wijken().iter().map(wijk_area);
    match level {
        Level::Wijk => wijken.collect(),
        Level::Stadsdeel => {
            let wijken: Vec<Area> = wijken.collect();
            STADSDELEN
                .iter()
                .map(|name| {
                    let members: Vec<&Area> = wijken.iter().filter(|w| w.stadsdeel == *name).collect();
                    Area {
                        code: name.to_string(),
                        name: name.to_string(),
                        stadsdeel: name.to_string(),
                        priority: members.iter().any(|w| w.priority),
                        wijken: members.iter().flat_map(|w| w.wijken.clone()).collect(),
                    }
                })
                .collect()
        }
    }
}

async fn load_facts(svc: &Services, before: i64) -> Result<Facts, AppError> {
    let store = &svc.store;
    let vacancies = store
        .lift_vacancies()
        .await?
        .into_iter()
        .filter_map(|v| {
            Some(VacancyFact {
                point: Point::new(v.lat, v.lon)?,
                posted_day: day_number(&v.posted_on)?,
                closes_day: v.closes_on.as_deref().and_then(day_number),
                closed_at: v.closed_at,
            })
        })
        .collect();
    Ok(Facts {
        residents: store.lift_residents(before).await?,
        outcomes: store.lift_outcomes(before).await?,
        training_outcomes: store.lift_training_outcomes(before).await?,
        summaries: store.match_summaries().await?,
        vacancies,
    })
}
