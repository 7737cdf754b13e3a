//! Pure scoring of a resident against an offer: skills × proximity × hours ×
//! education × language × interest, plus a bounded social-lift bonus. No IO:
//! the residents module gathers candidates and calls this.
//!
//! Inputs are only what a job needs. Name, age, gender, origin, religion and
//! health are not fields of `Profile`, so they cannot influence a score.

pub mod open;
pub mod policy;
pub mod travel;

use std::collections::HashSet;

use serde::Serialize;

use crate::codes::{Code, DutchLevel, Education};
use crate::geo::Point;
pub use policy::{LiftBoost, LiftKind, ScoringPolicy};
pub use travel::TravelMode;

/// Weights of the base score; they add up to 1. Skills count most, then
/// whether the person can get there, then the rest.
pub const WEIGHTS: Weights = Weights {
    skills: 0.40,
    travel: 0.20,
    interest: 0.15,
    hours: 0.10,
    education: 0.075,
    language: 0.075,
};

#[derive(Debug, Clone, Copy)]
pub struct Weights {
    pub skills: f64,
    pub travel: f64,
    pub interest: f64,
    pub hours: f64,
    pub education: f64,
    pub language: f64,
}

/// In relaxed mode an offer that misses a hard limit by this little is shown
/// as a near miss instead of being left out.
const NEAR_TRAVEL_FACTOR: f64 = 1.5;
const NEAR_HOURS_GAP: i64 = 8;
const NEAR_AVAILABILITY_DAYS: i64 = 30;

/// What matching knows of a resident.
#[derive(Debug, Clone)]
pub struct Profile {
    pub home: Point,
    pub wijk_code: String,
    /// Vocabulary skill ids.
    pub skills: HashSet<String>,
    /// Skills typed that are not in the vocabulary, folded; they match
    /// offers whose text contains them.
    pub free_skills: Vec<String>,
    pub sectors_wanted: Vec<String>,
    /// ESCO URIs the person did or wants to do.
    pub occupations: Vec<String>,
    pub hours: Option<(i64, i64)>,
    pub part_time_only: bool,
    pub available_from_day: Option<i64>,
    pub travel_mode: TravelMode,
    pub max_travel_minutes: Option<f64>,
    pub max_travel_km: Option<f64>,
    pub education: Education,
    pub dutch_level: DutchLevel,
}

impl Profile {
    /// The straight-line distance beyond which nothing is reachable, for
    /// gathering candidates.
    pub fn reach_km(&self, relaxed: bool) -> f64 {
        let factor = if relaxed { NEAR_TRAVEL_FACTOR } else { 1.0 };
        match (self.max_travel_km, self.max_travel_minutes) {
            (Some(km), _) => km * factor,
            (None, Some(minutes)) => self.travel_mode.reach_km(minutes * factor),
            (None, None) => self.travel_mode.reach_km(30.0 * factor),
        }
    }
}

/// What matching knows of an offer.
#[derive(Debug, Clone)]
pub struct OfferFacts {
    pub point: Point,
    pub wijk_code: String,
    pub required: Vec<String>,
    pub optional: Vec<String>,
    /// Essential skills of the ESCO occupation that the employer did not list.
    pub expected: Vec<String>,
    /// Folded title and description, for free-text skills.
    pub text: String,
    pub sector: String,
    pub occupation_uri: Option<String>,
    pub hours: (i64, i64),
    pub education: Education,
    pub dutch_level: DutchLevel,
    pub closes_day: Option<i64>,
    pub alliance: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Component {
    pub name: &'static str,
    pub weight: f64,
    /// 0 to 1.
    pub value: f64,
    /// What it adds to the 0–100 score.
    pub points: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Scored {
    pub score: f64,
    pub components: Vec<Component>,
    pub matched_skills: Vec<String>,
    pub missing_required: Vec<String>,
    pub missing_optional: Vec<String>,
    /// Expected (from the occupation) and missing: shown, not required.
    pub missing_expected: Vec<String>,
    pub matched_free_text: Vec<String>,
    pub distance_km: f64,
    pub travel_minutes: f64,
    /// Hard limits missed, in relaxed mode only (Dutch, for any reader).
    pub near_misses: Vec<String>,
    pub lift_boosts: Vec<LiftBoost>,
}

/// Which side is ranked: vacancies for a resident, or residents for a
/// vacancy. The social lift differs per side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    VacanciesForResident,
    CandidatesForVacancy,
}

/// Scores one pair, or `None` when a hard limit rules it out (in relaxed
/// mode: when it misses one by more than a little).
pub fn score(
    p: &Profile,
    o: &OfferFacts,
    policy: &ScoringPolicy,
    direction: Direction,
    relaxed: bool,
) -> Option<Scored> {
    let distance_km = p.home.distance_km(o.point);
    let travel_minutes = p.travel_mode.minutes(distance_km);
    let near_misses = hard_limit_misses(p, o, distance_km, travel_minutes);
    if !near_misses.is_empty() && (!relaxed || near_misses.iter().any(|m| m.far)) {
        return None;
    }
    let skills = skill_overlap(p, o);
    let values = [
        ("skills", WEIGHTS.skills, skills.value),
        (
            "travel",
            WEIGHTS.travel,
            travel_value(p, distance_km, travel_minutes),
        ),
        ("interest", WEIGHTS.interest, interest_value(p, o)),
        ("hours", WEIGHTS.hours, hours_value(p, o)),
        (
            "education",
            WEIGHTS.education,
            f64::from(u8::from(p.education >= o.education)),
        ),
        (
            "language",
            WEIGHTS.language,
            f64::from(u8::from(p.dutch_level >= o.dutch_level)),
        ),
    ];
    let mut components: Vec<Component> = values
        .into_iter()
        .map(|(name, weight, value)| Component {
            name,
            weight,
            value,
            points: 100.0 * weight * value,
        })
        .collect();
    let base: f64 = components.iter().map(|c| c.points).sum();
    let lift = policy.lift(p, o, direction, travel_minutes);
    components.push(Component {
        name: "lift",
        weight: lift.max_points / 100.0,
        value: if lift.max_points > 0.0 {
            lift.points / lift.max_points
        } else {
            0.0
        },
        points: lift.points,
    });
    Some(Scored {
        score: (base + lift.points).min(100.0),
        components,
        matched_skills: skills.matched,
        missing_required: skills.missing_required,
        missing_optional: skills.missing_optional,
        missing_expected: skills.missing_expected,
        matched_free_text: skills.matched_free_text,
        distance_km,
        travel_minutes,
        near_misses: near_misses.into_iter().map(|m| m.reason).collect(),
        lift_boosts: lift.boosts,
    })
}

/// What an employer may see of a score. Of the journey it is shown whole
/// kilometres and minutes to the nearest 5; the travel component and the
/// total are recomputed from those figures, so that no number it receives
/// gives the exact journey back. Where a candidate lives does not rank them
/// for an employer: the priority-wijk bonus is left out, so neither the
/// score nor the order tells it.
pub fn coarsened_for_employer(p: &Profile, mut s: Scored) -> Scored {
    s.components.retain(|c| c.name != "lift");
    s.lift_boosts.clear();
    s.distance_km = s.distance_km.round();
    s.travel_minutes = (s.travel_minutes / 5.0).round() * 5.0;
    let travel = travel_value(p, s.distance_km, s.travel_minutes);
    for c in s.components.iter_mut().filter(|c| c.name == "travel") {
        c.value = travel;
        c.points = 100.0 * c.weight * travel;
    }
    s.score = s.components.iter().map(|c| c.points).sum::<f64>().min(100.0);
    s
}

struct Miss {
    reason: String,
    /// Too far off to show even in relaxed mode.
    far: bool,
}

fn hard_limit_misses(p: &Profile, o: &OfferFacts, distance_km: f64, minutes: f64) -> Vec<Miss> {
    let mut misses = Vec::new();
    if let Some(max) = p.max_travel_km {
        if distance_km > max {
            misses.push(Miss {
                reason: format!(
                    "Het is {} km; in het profiel staat hoogstens {} km reizen.",
                    dutch_number(distance_km),
                    dutch_number(max)
                ),
                far: distance_km > max * NEAR_TRAVEL_FACTOR,
            });
        }
    } else {
        let max = p.max_travel_minutes.unwrap_or(30.0);
        if minutes > max {
            misses.push(Miss {
                reason: format!(
                    "De reistijd is ongeveer {} minuten; in het profiel staat hoogstens {} minuten reizen.",
                    minutes.round(),
                    max.round()
                ),
                far: minutes > max * NEAR_TRAVEL_FACTOR,
            });
        }
    }
    if let (Some(from), Some(closes)) = (p.available_from_day, o.closes_day)
        && from > closes
    {
        misses.push(Miss {
            reason: "Volgens het profiel pas beschikbaar na de sluitdatum.".into(),
            far: from - closes > NEAR_AVAILABILITY_DAYS,
        });
    }
    if let Some(gap) = hours_gap(p, o)
        && gap > 0
    {
        misses.push(Miss {
            reason: format!(
                "De uren ({}–{} per week) passen niet bij de uren in het profiel.",
                o.hours.0, o.hours.1
            ),
            far: gap > NEAR_HOURS_GAP,
        });
    }
    if p.dutch_level < o.dutch_level {
        misses.push(Miss {
            reason: format!(
                "Gevraagd is Nederlands op niveau {}; in het profiel staat {}.",
                o.dutch_level.code(),
                p.dutch_level.code()
            ),
            far: o.dutch_level.ordinal() - p.dutch_level.ordinal() > 1,
        });
    }
    if p.education < o.education {
        misses.push(Miss {
            reason: format!(
                "Gevraagd is {}; in het profiel staat {}.",
                o.education.label(),
                p.education.label()
            ),
            far: o.education.ordinal() - p.education.ordinal() > 1,
        });
    }
    misses
}

/// Hours between the two ranges (0 when they meet); `None` when the
/// resident's hours are unknown. Part-time-only people do not fit full-time
/// work.
fn hours_gap(p: &Profile, o: &OfferFacts) -> Option<i64> {
    let (min, max) = p.hours?;
    let max = if p.part_time_only { max.min(31) } else { max };
    Some((o.hours.0 - max).max(min - o.hours.1).max(0))
}

fn hours_value(p: &Profile, o: &OfferFacts) -> f64 {
    match hours_gap(p, o) {
        Some(0) => 1.0,
        // Unknown hours are never counted as a fit.
        _ => 0.0,
    }
}

fn travel_value(p: &Profile, distance_km: f64, minutes: f64) -> f64 {
    // 1 on the doorstep, ½ at the person's limit, 0 beyond it.
    let used = match p.max_travel_km {
        Some(max) => distance_km / max.max(0.1),
        None => minutes / p.max_travel_minutes.unwrap_or(30.0).max(1.0),
    };
    if used > 1.0 { 0.0 } else { 1.0 - used / 2.0 }
}

fn interest_value(p: &Profile, o: &OfferFacts) -> f64 {
    let occupation = o
        .occupation_uri
        .as_ref()
        .is_some_and(|u| p.occupations.contains(u));
    let sector = p.sectors_wanted.contains(&o.sector);
    match (occupation, sector) {
        (true, _) => 1.0,
        (false, true) => 0.6,
        _ => 0.0,
    }
}

struct SkillOverlap {
    value: f64,
    matched: Vec<String>,
    missing_required: Vec<String>,
    missing_optional: Vec<String>,
    missing_expected: Vec<String>,
    matched_free_text: Vec<String>,
}

/// Required skills weigh 2, optional and expected ones 1; a free-text skill
/// found in the offer's text counts as one optional match. An offer that
/// names no skills gives no skill points (missing data is not agreement).
fn skill_overlap(p: &Profile, o: &OfferFacts) -> SkillOverlap {
    let has = |s: &String| p.skills.contains(s);
    let split = |list: &[String]| -> (Vec<String>, Vec<String>) { list.iter().cloned().partition(has) };
    let (req_hit, missing_required) = split(&o.required);
    let (opt_hit, missing_optional) = split(&o.optional);
    let (exp_hit, missing_expected) = split(&o.expected);
    let matched_free_text: Vec<String> = p
        .free_skills
        .iter()
        .filter(|s| s.chars().count() >= 4 && o.text.contains(s.as_str()))
        .cloned()
        .collect();
    let possible = 2 * o.required.len() + o.optional.len() + o.expected.len();
    let earned = 2 * req_hit.len() + opt_hit.len() + exp_hit.len() + matched_free_text.len();
    let value = if possible == 0 {
        if matched_free_text.is_empty() { 0.0 } else { 0.5 }
    } else {
        (earned as f64 / possible as f64).min(1.0)
    };
    SkillOverlap {
        value,
        matched: req_hit.into_iter().chain(opt_hit).chain(exp_hit).collect(),
        missing_required,
        missing_optional,
        missing_expected,
        matched_free_text,
    }
}

/// "2,4": one decimal with a comma, as Dutch readers expect.
pub fn dutch_number(value: f64) -> String {
    format!("{:.1}", value).replace('.', ",")
}

#[cfg(test)]
mod tests;
