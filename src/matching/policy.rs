//! The social-lift policy: a small, visible bonus that brings reachable work
//! to people in the wijken that need it most. Bounded so it can reorder
//! near-equals but never lift a poor fit over a good one: any two offers
//! whose base scores differ by more than `MAX_LIFT_POINTS` keep their order.

use super::{Direction, OfferFacts, Profile, dutch_number};

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
    pub reasons: Vec<String>,
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
        let mut points = 0.0;
        let mut reasons = Vec::new();
        if scale == 0.0 {
            return Lift {
                points,
                max_points,
                reasons,
            };
        }
        let priority = self.is_priority(&p.wijk_code);
        match direction {
            Direction::VacanciesForResident => {
                if priority && travel_minutes <= self.easy_reach_minutes {
                    points += 3.0 * scale;
                    reasons.push(format!(
                        "Extra punten (+{}): werk dichtbij voor iemand uit een prioriteitswijk van de Wijkaanpak.",
                        dutch_number(3.0 * scale)
                    ));
                }
                if o.alliance {
                    points += 2.0 * scale;
                    reasons.push(format!(
                        "Extra punten (+{}): deze werkgever doet mee met de Wijkaanpak.",
                        dutch_number(2.0 * scale)
                    ));
                }
            }
            Direction::CandidatesForVacancy => {
                if priority {
                    points += MAX_LIFT_POINTS * scale;
                    reasons.push(format!(
                        "Extra punten (+{}): woont in een prioriteitswijk van de Wijkaanpak.",
                        dutch_number(MAX_LIFT_POINTS * scale)
                    ));
                }
            }
        }
        Lift {
            points: points.min(max_points),
            max_points,
            reasons,
        }
    }
}
