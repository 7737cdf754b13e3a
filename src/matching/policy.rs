//! The social-lift policy: a small, visible bonus that brings reachable work
//! to people in the wijken that need it most. Bounded so it can reorder
//! near-equals but never lift a poor fit over a good one: any two offers
//! whose base scores differ by more than `MAX_LIFT_POINTS` keep their order.

use serde::Serialize;

use super::{Direction, OfferFacts, Profile};

/// The most points the lift can add, at scale 1.
pub const MAX_LIFT_POINTS: f64 = 5.0;

/// The city's focus areas of the Wijkaanpak (by CBS wijk name).
pub const DEFAULT_PRIORITY_WIJKEN: [&str; 7] = [
    "Schildersbuurt",
    "Transvaalkwartier",
    "Stationsbuurt",
    "Laakkwartier en Spoorwijk",
    "Moerwijk",
    "Morgenstond",
    "Bouwlust en Vrederust",
];

#[derive(Debug, Clone)]
pub struct ScoringPolicy {
    /// CBS codes of the priority wijken.
    pub priority_wijken: Vec<String>,
    /// 1 is the documented default; 0 turns the lift off; at most 1.
    pub scale: f64,
    /// "Within easy reach" for the vacancy-side bonus.
    pub easy_reach_minutes: f64,
}

pub struct Lift {
    pub points: f64,
    pub max_points: f64,
    pub boosts: Vec<LiftBoost>,
}

/// Why the lift added points; each reader gets its own sentence for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LiftKind {
    /// Work within easy reach for a resident of a priority wijk.
    NearbyForPriorityWijk,
    /// The employer joined the Wijkaanpak's local alliance.
    AllianceEmployer,
    /// A candidate who lives in a priority wijk.
    LivesInPriorityWijk,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LiftBoost {
    pub kind: LiftKind,
    pub points: f64,
}

impl ScoringPolicy {
    pub fn is_priority(&self, wijk_code: &str) -> bool {
        self.priority_wijken.iter().any(|w| w == wijk_code)
    }

    /// For vacancies: 3 points when the resident lives in a priority wijk and
    /// the work is within easy reach, 2 when the employer joined the local
    /// alliance. For candidates: 5 points for living in a priority wijk.
    pub fn lift(&self, p: &Profile, o: &OfferFacts, direction: Direction, travel_minutes: f64) -> Lift {
        let scale = self.scale.clamp(0.0, 1.0);
        let max_points = MAX_LIFT_POINTS * scale;
        let mut boosts = Vec::new();
        if scale > 0.0 {
            let priority = self.is_priority(&p.wijk_code);
            let mut boost = |kind, points: f64| {
                boosts.push(LiftBoost {
                    kind,
                    points: points * scale,
                })
            };
            match direction {
                Direction::VacanciesForResident => {
                    if priority && travel_minutes <= self.easy_reach_minutes {
                        boost(LiftKind::NearbyForPriorityWijk, 3.0);
                    }
                    if o.alliance {
                        boost(LiftKind::AllianceEmployer, 2.0);
                    }
                }
                Direction::CandidatesForVacancy if priority => {
                    boost(LiftKind::LivesInPriorityWijk, MAX_LIFT_POINTS)
                }
                Direction::CandidatesForVacancy => {}
            }
        }
        let points: f64 = boosts.iter().map(|b| b.points).sum();
        Lift {
            points: points.min(max_points),
            max_points,
            boosts,
        }
    }
}
