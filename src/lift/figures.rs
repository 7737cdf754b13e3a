//! The report's arithmetic: facts in, one suppressed cell per figure and
//! area out. No IO here, so the counts can be tested against hand-built
//! scenarios.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::period::Period;
use crate::geo::Point;
use crate::matching::TravelMode;
use crate::storage::{MatchSummaryRow, OutcomeFact, ResidentFact};

/// Cells about fewer persons than this are shown as "<5", as CBS does.
pub const SUPPRESS_BELOW: u64 = 5;
const SECONDS_PER_DAY: f64 = 86_400.0;
const NEAR_KM: f64 = 5.0;
const NEAR_MINUTES: f64 = 30.0;
const TOP_MISSING: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A number of persons: suppressed under five.
    Persons,
    /// A share of persons, in percent: suppressed when either side is under five.
    Rate,
    /// A median of persons' days: suppressed when fewer than five persons.
    Days,
    /// A number of vacancies: no persons, never suppressed.
    Offers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Registered,
    NewRegistrations,
    Active,
    WithMatch,
    WithMatchShare,
    Proposed,
    Applied,
    Interviewed,
    Hired,
    AppliedRate,
    InterviewRate,
    HireRate,
    MedianDaysToInterview,
    MedianDaysToHire,
    VacanciesWithin5km,
    VacanciesWithin30Min,
    TrainingsStarted,
    TrainingsCompleted,
}

impl Figure {
    pub const ALL: [Figure; 18] = [
        Self::Registered,
        Self::NewRegistrations,
        Self::Active,
        Self::WithMatch,
        Self::WithMatchShare,
        Self::Proposed,
        Self::Applied,
        Self::Interviewed,
        Self::Hired,
        Self::AppliedRate,
        Self::InterviewRate,
        Self::HireRate,
        Self::MedianDaysToInterview,
        Self::MedianDaysToHire,
        Self::VacanciesWithin5km,
        Self::VacanciesWithin30Min,
        Self::TrainingsStarted,
        Self::TrainingsCompleted,
    ];

    pub fn key(self) -> &'static str {
        self.texts().0
    }

    /// Dutch label, English label.
    pub fn labels(self) -> (&'static str, &'static str) {
        let (_, nl, en) = self.texts();
        (nl, en)
    }

    fn texts(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Registered => ("registered", "Ingeschreven bewoners", "Registered residents"),
            Self::NewRegistrations => ("new_registrations", "Nieuw ingeschreven", "New registrations"),
            Self::Active => ("active", "Actieve bewoners", "Active residents"),
            Self::WithMatch => (
                "with_match",
                "Bewoners met een passende vacature",
                "Residents with a good match",
            ),
            Self::WithMatchShare => (
                "with_match_share",
                "Aandeel met een passende vacature",
                "Share with a good match",
            ),
            Self::Proposed => ("proposed", "Voorgesteld", "Proposed"),
            Self::Applied => ("applied", "Gesolliciteerd", "Applied"),
            Self::Interviewed => ("interviewed", "Op gesprek", "Interviewed"),
            Self::Hired => ("hired", "Aangenomen", "Hired"),
            Self::AppliedRate => (
                "applied_rate",
                "Van voorgesteld naar sollicitatie",
                "Proposed → applied",
            ),
            Self::InterviewRate => (
                "interview_rate",
                "Van sollicitatie naar gesprek",
                "Applied → interview",
            ),
            Self::HireRate => ("hire_rate", "Van gesprek naar aangenomen", "Interview → hired"),
            Self::MedianDaysToInterview => (
                "median_days_to_interview",
                "Dagen tot eerste gesprek (mediaan)",
                "Days to first interview (median)",
            ),
            Self::MedianDaysToHire => (
                "median_days_to_hire",
                "Dagen tot aangenomen (mediaan)",
                "Days to hire (median)",
            ),
            Self::VacanciesWithin5km => (
                "vacancies_within_5km",
                "Open vacatures binnen 5 km",
                "Open vacancies within 5 km",
            ),
            Self::VacanciesWithin30Min => (
                "vacancies_within_30min",
                "Open vacatures binnen 30 min (fiets of ov)",
                "Open vacancies within 30 min (bike or transit)",
            ),
            Self::TrainingsStarted => ("trainings_started", "Opleidingen gestart", "Trainings started"),
            Self::TrainingsCompleted => (
                "trainings_completed",
                "Opleidingen afgerond",
                "Trainings completed",
            ),
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Self::Registered
            | Self::NewRegistrations
            | Self::Active
            | Self::WithMatch
            | Self::Proposed
            | Self::Applied
            | Self::Interviewed
            | Self::Hired
            | Self::TrainingsStarted
            | Self::TrainingsCompleted => Kind::Persons,
            Self::WithMatchShare | Self::AppliedRate | Self::InterviewRate | Self::HireRate => Kind::Rate,
            Self::MedianDaysToInterview | Self::MedianDaysToHire => Kind::Days,
            Self::VacanciesWithin5km | Self::VacanciesWithin30Min => Kind::Offers,
        }
    }

    /// Figures about the current state (today's matches), not about events
    /// in a period: they have no monthly history.
    pub fn is_current_state(self) -> bool {
        matches!(self, Self::WithMatch | Self::WithMatchShare)
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }
}

/// One figure as published: its value, or `None` with "<5" when suppressed.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Cell {
    #[serde(serialize_with = "compact_number")]
    pub value: Option<f64>,
    pub display: String,
    pub suppressed: bool,
}

impl Cell {
    fn shown(value: f64, display: String) -> Self {
        Self {
            value: Some(value),
            display,
            suppressed: false,
        }
    }

    fn suppressed() -> Self {
        Self {
            value: None,
            display: format!("<{SUPPRESS_BELOW}"),
            suppressed: true,
        }
    }
}

/// Whole numbers as JSON integers (12, not 12.0).
fn compact_number<S: Serializer>(value: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => s.serialize_i64(*v as i64),
        Some(v) => s.serialize_f64((v * 10.0).round() / 10.0),
        None => s.serialize_none(),
    }
}

/// Figures in their fixed order, serialised as a JSON object.
#[derive(Debug, Clone, PartialEq, utoipa::ToSchema)]
#[schema(value_type = std::collections::BTreeMap<String, Cell>)]
pub struct Figures(pub Vec<(Figure, Cell)>);

impl Figures {
    pub fn get(&self, figure: Figure) -> Option<&Cell> {
        self.0.iter().find(|(f, _)| *f == figure).map(|(_, cell)| cell)
    }
}

impl Serialize for Figures {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (figure, cell) in &self.0 {
            map.serialize_entry(figure.key(), cell)?;
        }
        map.end()
    }
}

/// A place the report counts for: a wijk, or a stadsdeel of several.
#[derive(Debug, Clone)]
pub struct Area {
    pub code: String,
    pub name: String,
    pub stadsdeel: String,
    pub priority: bool,
    /// Wijk codes and the points travel is measured from.
    pub wijken: Vec<(String, Point)>,
}

/// A vacancy's place and the days it was open.
#[derive(Debug, Clone)]
pub struct VacancyFact {
    pub point: Point,
    /// Day numbers since 1970-01-01.
    pub posted_day: i64,
    pub closes_day: Option<i64>,
    /// Still open, or the Unix time it was closed (its last change).
    pub closed_at: Option<i64>,
}

impl VacancyFact {
    fn open_during(&self, period: &Period) -> bool {
        self.posted_day <= period.last_day()
            && self.closes_day.is_none_or(|d| d >= period.first_day())
            && self.closed_at.is_none_or(|t| t >= period.start())
    }
}

/// Everything the report reads, loaded once for any number of periods.
#[derive(Debug, Default)]
pub struct Facts {
    pub residents: Vec<ResidentFact>,
    pub outcomes: Vec<OutcomeFact>,
    pub training_outcomes: Vec<OutcomeFact>,
    pub summaries: Vec<MatchSummaryRow>,
    pub vacancies: Vec<VacancyFact>,
}

/// A missing skill and how many of the area's residents miss it.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingCount {
    pub skill_id: String,
    pub residents: u64,
}

/// Raw counts for one area, before suppression.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    registered: u64,
    new_registrations: u64,
    active: u64,
    with_match: u64,
    /// Residents whose best match is known: the base of `with_match_share`.
    summarised: u64,
    by_status: HashMap<&'static str, u64>,
    /// Persons who reached each of `STEPS` (or a later one) in the period.
    reached: [u64; 4],
    days_to_interview: Vec<f64>,
    days_to_hire: Vec<f64>,
    missing: HashMap<String, u64>,
    within_5km: f64,
    within_30min: f64,
    /// How many wijken the reach figures add up, to average them.
    reach_wijken: u64,
}

const COUNTED_STATUSES: [&str; 6] = [
    "voorgesteld",
    "gesolliciteerd",
    "gesprek",
    "aangenomen",
    "gestart",
    "afgerond",
];

/// The steps towards work, in order: a later step implies the earlier ones,
/// so conversion rates are "reached the next step" among "reached this one"
/// and never exceed 100% when a step went unrecorded.
const STEPS: [&str; 4] = ["voorgesteld", "gesolliciteerd", "gesprek", "aangenomen"];

/// What one resident did, as far as the period is concerned.
#[derive(Default)]
struct Activity {
    statuses: HashSet<&'static str>,
    /// The furthest step in the period, as a position in `STEPS`.
    furthest: Option<usize>,
    first_interview: Option<i64>,
    first_hire: Option<i64>,
    event_in_period: bool,
}

/// Tallies per area (in `areas` order) and for the whole city.
pub fn tally(facts: &Facts, areas: &[Area], period: &Period, threshold: f64) -> (Vec<Tally>, Tally) {
    let area_of_wijk: HashMap<&str, usize> = areas
        .iter()
        .enumerate()
        .flat_map(|(i, a)| a.wijken.iter().map(move |(code, _)| (code.as_str(), i)))
        .collect();
    let activity = activities(facts, period);
    let best: HashMap<&str, &MatchSummaryRow> = facts
        .summaries
        .iter()
        .map(|s| (s.resident_id.as_str(), s))
        .collect();
    let mut tallies = vec![Tally::default(); areas.len()];
    let mut city = Tally::default();
    for resident in facts.residents.iter().filter(|r| r.created_at < period.end()) {
        let summary = best.get(resident.id.as_str()).copied();
        let seen = activity.get(resident.id.as_str());
        if let Some(&i) = area_of_wijk.get(resident.wijk_code.as_str()) {
            tallies[i].add_resident(resident, seen, summary, period, threshold);
        }
        city.add_resident(resident, seen, summary, period, threshold);
    }
    for (tally, area) in tallies.iter_mut().zip(areas) {
        for (_, point) in &area.wijken {
            tally.add_reach(*point, &facts.vacancies, period);
        }
        city.within_5km += tally.within_5km;
        city.within_30min += tally.within_30min;
        city.reach_wijken += tally.reach_wijken;
    }
    (tallies, city)
}

fn activities<'a>(facts: &'a Facts, period: &Period) -> HashMap<&'a str, Activity> {
    let mut out: HashMap<&str, Activity> = HashMap::new();
    let events = facts.outcomes.iter().chain(&facts.training_outcomes);
    for event in events {
        let seen = out.entry(event.resident_id.as_str()).or_default();
        // Any step in the period makes a resident active, also one not counted.
        seen.event_in_period |= period.contains(event.recorded_at);
        let Some(status) = COUNTED_STATUSES.iter().find(|s| **s == event.status) else {
            continue;
        };
        let first = match *status {
            "gesprek" => Some(&mut seen.first_interview),
            "aangenomen" => Some(&mut seen.first_hire),
            _ => None,
        };
        if let Some(first) = first {
            first.get_or_insert(event.recorded_at);
        }
        if period.contains(event.recorded_at) {
            seen.statuses.insert(status);
            if let Some(step) = STEPS.iter().position(|s| s == status) {
                seen.furthest = seen.furthest.max(Some(step));
            }
        }
    }
    out
}

impl Tally {
    fn add_resident(
        &mut self,
        r: &ResidentFact,
        seen: Option<&Activity>,
        summary: Option<&MatchSummaryRow>,
        period: &Period,
        threshold: f64,
    ) {
        self.registered += 1;
        let new = period.contains(r.created_at);
        self.new_registrations += u64::from(new);
        // Active: used Banenlift, or had an outcome, in the period. Only the
        // last use is stored, so earlier use without an outcome is not seen.
        let active = period.contains(r.last_active_at) || seen.is_some_and(|a| a.event_in_period);
        self.active += u64::from(active);
        if let Some(summary) = summary {
            self.summarised += 1;
            self.with_match += u64::from(summary.best_score >= threshold);
            for skill in &summary.missing_skills {
                *self.missing.entry(skill.clone()).or_default() += 1;
            }
        }
        let Some(seen) = seen else { return };
        for status in &seen.statuses {
            *self.by_status.entry(status).or_default() += 1;
        }
        if let Some(furthest) = seen.furthest {
            for reached in &mut self.reached[..=furthest] {
                *reached += 1;
            }
        }
        let days_since_registration = |t: i64| ((t - r.created_at) as f64 / SECONDS_PER_DAY).max(0.0);
        if let Some(t) = seen.first_interview.filter(|t| period.contains(*t)) {
            self.days_to_interview.push(days_since_registration(t));
        }
        if let Some(t) = seen.first_hire.filter(|t| period.contains(*t)) {
            self.days_to_hire.push(days_since_registration(t));
        }
    }

    fn add_reach(&mut self, from: Point, vacancies: &[VacancyFact], period: &Period) {
        let ride_km = TravelMode::Fiets
            .reach_km(NEAR_MINUTES)
            .max(TravelMode::Ov.reach_km(NEAR_MINUTES));
        let mut near = 0u64;
        let mut ride = 0u64;
        for v in vacancies.iter().filter(|v| v.open_during(period)) {
            let km = from.distance_km(v.point);
            near += u64::from(km <= NEAR_KM);
            ride += u64::from(km <= ride_km);
        }
        self.within_5km += near as f64;
        self.within_30min += ride as f64;
        self.reach_wijken += 1;
    }

    fn status(&self, status: &str) -> u64 {
        self.by_status.get(status).copied().unwrap_or(0)
    }

    /// What a figure is computed from; every figure listed, so a new one
    /// cannot fall through to another's numbers.
    fn measure(&self, figure: Figure) -> Measure<'_> {
        let reach = |total: f64| Measure::Offers(total / self.reach_wijken.max(1) as f64);
        match figure {
            Figure::Registered => Measure::Persons(self.registered),
            Figure::NewRegistrations => Measure::Persons(self.new_registrations),
            Figure::Active => Measure::Persons(self.active),
            Figure::WithMatch => Measure::Persons(self.with_match),
            Figure::Proposed => Measure::Persons(self.status("voorgesteld")),
            Figure::Applied => Measure::Persons(self.status("gesolliciteerd")),
            Figure::Interviewed => Measure::Persons(self.status("gesprek")),
            Figure::Hired => Measure::Persons(self.status("aangenomen")),
            Figure::TrainingsStarted => Measure::Persons(self.status("gestart")),
            Figure::TrainingsCompleted => Measure::Persons(self.status("afgerond")),
            Figure::WithMatchShare => Measure::Rate(self.with_match, self.summarised),
            Figure::AppliedRate => Measure::Rate(self.reached[1], self.reached[0]),
            Figure::InterviewRate => Measure::Rate(self.reached[2], self.reached[1]),
            Figure::HireRate => Measure::Rate(self.reached[3], self.reached[2]),
            Figure::MedianDaysToInterview => Measure::Days(&self.days_to_interview),
            Figure::MedianDaysToHire => Measure::Days(&self.days_to_hire),
            Figure::VacanciesWithin5km => reach(self.within_5km),
            Figure::VacanciesWithin30Min => reach(self.within_30min),
        }
    }

    /// The published cells: small numbers of persons suppressed.
    pub fn figures(&self) -> Figures {
        Figures(Figure::ALL.iter().map(|f| (*f, self.cell(*f))).collect())
    }

    fn cell(&self, figure: Figure) -> Cell {
        match self.measure(figure) {
            Measure::Persons(n) => count_cell(n),
            // The rest of the group is a count of persons too: "all but two".
            Measure::Rate(part, whole) if part.min(whole.saturating_sub(part)) < SUPPRESS_BELOW => {
                Cell::suppressed()
            }
            Measure::Rate(part, whole) => percent_cell(part as f64 / whole as f64),
            Measure::Days(days) if (days.len() as u64) < SUPPRESS_BELOW => Cell::suppressed(),
            Measure::Days(days) => {
                let m = median(days).round();
                Cell::shown(m, format!("{m}"))
            }
            Measure::Offers(v) => Cell::shown(v.round(), format!("{}", v.round())),
        }
    }

    /// The city average next to each figure: per area for counts (from the
    /// rounded total, so the exact total cannot be worked back), city-wide
    /// for rates and medians.
    pub fn average_figures(&self, areas: usize) -> Figures {
        let figures = Figure::ALL.iter().map(|f| {
            let cell = match self.measure(*f) {
                Measure::Persons(n) if n >= SUPPRESS_BELOW => {
                    let v = round_to_five(n) as f64 / areas.max(1) as f64;
                    Cell::shown(v, crate::matching::dutch_number(v))
                }
                _ => self.cell(*f),
            };
            (*f, cell)
        });
        Figures(figures.collect())
    }

    /// Skills most often missing, only those missed by at least five persons.
    pub fn top_missing(&self) -> Vec<MissingCount> {
        let mut counts: Vec<MissingCount> = self
            .missing
            .iter()
            .filter(|(_, n)| **n >= SUPPRESS_BELOW)
            .map(|(skill_id, n)| MissingCount {
                skill_id: skill_id.clone(),
                residents: round_to_five(*n),
            })
            .collect();
        counts.sort_by(|a, b| b.residents.cmp(&a.residents).then(a.skill_id.cmp(&b.skill_id)));
        counts.truncate(TOP_MISSING);
        counts
    }
}

/// What a figure is computed from.
enum Measure<'a> {
    Persons(u64),
    /// Part and whole, both counts of persons.
    Rate(u64, u64),
    Days(&'a [f64]),
    Offers(f64),
}

/// Counts of persons are published rounded to the nearest five (as CBS
/// does for small areas): with exact counts, subtracting one published
/// figure from another (city minus the other wijken, one period minus a
/// day shorter one) would give back a suppressed cell.
pub fn round_to_five(n: u64) -> u64 {
    (n + 2) / 5 * 5
}

fn count_cell(n: u64) -> Cell {
    if n < SUPPRESS_BELOW {
        Cell::suppressed()
    } else {
        let rounded = round_to_five(n);
        Cell::shown(rounded as f64, rounded.to_string())
    }
}

/// Whole percents: finer shares of small groups would say who is in them.
fn percent_cell(share: f64) -> Cell {
    let percent = (share * 100.0).round();
    Cell::shown(percent, format!("{percent}%"))
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const DAY: i64 = 86_400;

    /// March 2026, and two wijken: A (priority) and B.
    fn march() -> Period {
        Period::parse(Some("2026-03-01"), Some("2026-03-31"), date!(2026 - 11 - 28)).unwrap()
    }

    fn areas() -> Vec<Area> {
        let area = |code: &str, lat: f64, priority: bool| Area {
            code: code.into(),
            name: code.into(),
            stadsdeel: "Centrum".into(),
            priority,
            wijken: vec![(code.into(), Point { lat, lon: 4.30 })],
        };
        vec![area("A", 52.07, true), area("B", 52.20, false)]
    }

    fn resident(id: &str, wijk: &str, created_at: i64, last_active_at: i64) -> ResidentFact {
        ResidentFact {
            id: id.into(),
            wijk_code: wijk.into(),
            created_at,
            last_active_at,
        }
    }

    fn event(id: &str, status: &str, at: i64) -> OutcomeFact {
        OutcomeFact {
            resident_id: id.into(),
            status: status.into(),
            recorded_at: at,
        }
    }

    /// Wijk A: twenty residents registered in February, each proposed in
    /// March; fourteen applied, eight had an interview, two were hired, and
    /// twelve have a good match today. Wijk B: three residents.
    fn scenario() -> Facts {
        let p = march();
        let registered = p.start() - 28 * DAY;
        let mut facts = Facts::default();
        for n in 0..20 {
            let id = format!("a{n}");
            facts.residents.push(resident(&id, "A", registered, registered));
            facts
                .outcomes
                .push(event(&id, "voorgesteld", p.start() + n * DAY));
            if n < 14 {
                facts
                    .outcomes
                    .push(event(&id, "gesolliciteerd", p.start() + (n + 1) * DAY));
            }
            if n < 8 {
                let interview = registered + (10 + n) * DAY;
                facts
                    .outcomes
                    .push(event(&id, "gesprek", interview.max(p.start())));
            }
            facts.summaries.push(MatchSummaryRow {
                resident_id: id,
                best_score: if n < 12 { 75.0 } else { 40.0 },
                missing_skills: vec!["heftruck".into()],
            });
        }
        facts
            .outcomes
            .push(event("a0", "aangenomen", p.start() + 20 * DAY));
        facts
            .outcomes
            .push(event("a1", "aangenomen", p.start() + 21 * DAY));
        for n in 0..3 {
            facts
                .residents
                .push(resident(&format!("b{n}"), "B", p.start() + DAY, p.start() + DAY));
        }
        facts.vacancies.push(VacancyFact {
            point: Point {
                lat: 52.071,
                lon: 4.30,
            },
            posted_day: p.first_day() - 10,
            closes_day: None,
            closed_at: None,
        });
        facts
    }

    fn shown(figures: &Figures, figure: Figure) -> String {
        figures.get(figure).unwrap().display.clone()
    }

    #[test]
    fn counts_a_hand_built_scenario() {
        let (tallies, city) = tally(&scenario(), &areas(), &march(), 60.0);
        let a = tallies[0].figures();
        // Counts are rounded to fives: 12 shows as 10, 14 as 15.
        for (figure, expected) in [
            (Figure::Registered, "20"),
            (Figure::NewRegistrations, "<5"),
            (Figure::Active, "20"),
            (Figure::WithMatch, "10"),
            (Figure::WithMatchShare, "60%"),
            (Figure::Proposed, "20"),
            (Figure::Applied, "15"),
            (Figure::Interviewed, "10"),
            (Figure::AppliedRate, "70%"),
            (Figure::InterviewRate, "57%"),
            (Figure::VacanciesWithin5km, "1"),
        ] {
            assert_eq!(shown(&a, figure), expected, "{figure:?}");
        }
        // Every interview was 28 days after registering (clamped to 1 March).
        assert_eq!(a.get(Figure::MedianDaysToInterview).unwrap().value, Some(28.0));
        assert_eq!(
            shown(&tallies[1].figures(), Figure::VacanciesWithin5km),
            "0",
            "B is 14 km north"
        );
        assert_eq!(shown(&city.figures(), Figure::Registered), "25", "23, rounded");
        assert_eq!(
            tallies[0].top_missing(),
            vec![MissingCount {
                skill_id: "heftruck".into(),
                residents: 20
            }]
        );
    }

    #[test]
    fn rates_are_suppressed_when_either_side_or_the_rest_is_small() {
        let mut facts = scenario();
        let p = march();
        // Fifteen applied of twenty: the five who did not are enough.
        facts
            .outcomes
            .push(event("a14", "gesolliciteerd", p.start() + DAY));
        let (tallies, _) = tally(&facts, &areas(), &p, 60.0);
        assert_eq!(shown(&tallies[0].figures(), Figure::AppliedRate), "75%");
        // Sixteen of twenty: "all but four" would say too much.
        facts
            .outcomes
            .push(event("a15", "gesolliciteerd", p.start() + DAY));
        let (tallies, _) = tally(&facts, &areas(), &p, 60.0);
        assert!(tallies[0].figures().get(Figure::AppliedRate).unwrap().suppressed);
    }

    #[test]
    fn any_step_makes_a_resident_active() {
        let mut facts = scenario();
        let p = march();
        for n in 0..3 {
            facts
                .outcomes
                .push(event(&format!("b{n}"), "afgewezen", p.start() + DAY));
        }
        for id in ["b3", "b4"] {
            facts
                .residents
                .push(resident(id, "B", p.start() - 90 * DAY, p.start() - 60 * DAY));
        }
        facts.training_outcomes.push(event("b3", "aangemeld", p.start()));
        facts.training_outcomes.push(event("b4", "gestopt", p.start()));
        let (tallies, _) = tally(&facts, &areas(), &p, 60.0);
        assert_eq!(shown(&tallies[1].figures(), Figure::Active), "5");
    }

    #[test]
    fn small_numbers_are_suppressed_everywhere() {
        let (tallies, _) = tally(&scenario(), &areas(), &march(), 60.0);
        let a = tallies[0].figures();
        let hired = a.get(Figure::Hired).unwrap();
        assert_eq!(
            (hired.value, hired.display.as_str(), hired.suppressed),
            (None, "<5", true)
        );
        // Two of five interviews hired: the rate would reveal the two.
        assert!(a.get(Figure::HireRate).unwrap().suppressed);
        assert!(a.get(Figure::MedianDaysToHire).unwrap().suppressed);
        let b = tallies[1].figures();
        for figure in Figure::ALL.iter().filter(|f| f.kind() != Kind::Offers) {
            assert!(
                b.get(*figure).unwrap().suppressed,
                "{figure:?} of three residents"
            );
        }
        assert!(tallies[1].top_missing().is_empty());
        let json = serde_json::to_value(&b).unwrap();
        assert_eq!(
            json["registered"],
            serde_json::json!({"value": null, "display": "<5", "suppressed": true})
        );
    }

    #[test]
    fn events_count_only_inside_the_period() {
        let mut facts = scenario();
        let p = march();
        // A hire one second after March and one at its last second.
        facts.outcomes.push(event("a2", "aangenomen", p.end()));
        facts.outcomes.push(event("a3", "aangenomen", p.end() - 1));
        facts.outcomes.push(event("a4", "aangenomen", p.start()));
        let (tallies, _) = tally(&facts, &areas(), &p, 60.0);
        assert_eq!(shown(&tallies[0].figures(), Figure::Hired), "<5");
        facts.outcomes.push(event("a5", "aangenomen", p.start() - 1));
        facts
            .outcomes
            .push(event("a6", "aangenomen", p.start() + 2 * DAY));
        let (tallies, _) = tally(&facts, &areas(), &p, 60.0);
        assert_eq!(
            shown(&tallies[0].figures(), Figure::Hired),
            "5",
            "a0, a1, a3, a4, a6"
        );
        let april = Period::parse(Some("2026-04-01"), Some("2026-04-30"), date!(2026 - 11 - 28)).unwrap();
        let (tallies, _) = tally(&facts, &areas(), &april, 60.0);
        assert_eq!(shown(&tallies[0].figures(), Figure::Proposed), "<5");
        assert_eq!(shown(&tallies[0].figures(), Figure::Registered), "20");
    }

    #[test]
    fn residents_registered_after_the_period_are_not_counted() {
        let mut facts = scenario();
        let p = march();
        for n in 0..5 {
            facts
                .residents
                .push(resident(&format!("late{n}"), "A", p.end(), p.end()));
        }
        let (tallies, _) = tally(&facts, &areas(), &p, 60.0);
        assert_eq!(shown(&tallies[0].figures(), Figure::Registered), "20");
    }

    #[test]
    fn a_closed_vacancy_counts_only_while_it_was_open() {
        let p = march();
        let closed_before = VacancyFact {
            point: Point {
                lat: 52.07,
                lon: 4.30,
            },
            posted_day: p.first_day() - 60,
            closes_day: Some(p.first_day() - 1),
            closed_at: None,
        };
        let closed_during = VacancyFact {
            closed_at: Some(p.start() + DAY),
            closes_day: None,
            ..closed_before.clone()
        };
        let posted_after = VacancyFact {
            posted_day: p.last_day() + 1,
            closes_day: None,
            ..closed_before.clone()
        };
        assert!(!closed_before.open_during(&p));
        assert!(closed_during.open_during(&p));
        assert!(!posted_after.open_during(&p));
    }

    #[test]
    fn the_city_average_is_per_area_for_counts_and_city_wide_for_rates() {
        let (_, city) = tally(&scenario(), &areas(), &march(), 60.0);
        let average = city.average_figures(2);
        assert_eq!(average.get(Figure::Registered).unwrap().value, Some(12.5));
        assert_eq!(shown(&average, Figure::AppliedRate), "70%");
        assert_eq!(
            average.get(Figure::VacanciesWithin5km).unwrap().value,
            Some(1.0),
            "(1 + 0) / 2, rounded"
        );
    }
}
