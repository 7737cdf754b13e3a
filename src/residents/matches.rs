//! Matching as a service: gather candidates through the index and the
//! database (never by scoring everything), score them with `matching`, and
//! explain each result in plain Dutch with training routes for the gaps.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;

use super::accessible;
use crate::auth::{Caller, Role};
use crate::codes::{Code, DutchLevel, Education};
use crate::dates::{date_day_number, day_number, today};
use crate::error::AppError;
use crate::geo::Point;
use crate::matching::open::{OpenTraining, OpenVacancy};
use crate::matching::{
    self, Component, Direction, LiftBoost, LiftKind, Profile, Scored, TravelMode, dutch_number,
};
use crate::offers::vacancy::{open_vacancy, vacancy_text};
use crate::privacy::{self, Purpose};
use crate::reference::SkillRef;
use crate::search::{Filters, Near, OfferKind, SearchRequest, Sort};
use crate::services::Services;
use crate::skills::fold;
use crate::storage::{CandidateScope, MatchSummaryRow, ResidentRow, VacancyRow};

/// Bumped when scoring changes, so logs and audits can say which version
/// produced a list.
pub const ALGORITHM_VERSION: &str = "1";
pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;
/// How many vacancies the index hands over for exact scoring.
const GATHER: usize = 200;
/// Per wanted sector, the nearest vacancies are gathered too.
const GATHER_PER_SECTOR: usize = 50;
/// Residents with the most of a vacancy's skills, scored exactly.
const GATHER_RESIDENTS: i64 = 200;
/// Trainings near the resident that teach missing skills, from the index.
const GATHER_TRAININGS: usize = 60;
/// Trainings further than this are not proposed as a route.
const TRAINING_RADIUS_KM: f64 = 15.0;
const ROUTES_PER_MATCH: usize = 3;
const MAX_BIJNA: usize = 10;

/// How many matches to show, and whether to include near misses on hard
/// limits.
#[derive(Debug, Clone, Copy)]
pub struct MatchOptions {
    pub limit: usize,
    pub relaxed: bool,
}

impl Default for MatchOptions {
    fn default() -> Self {
        Self {
            limit: DEFAULT_LIMIT,
            relaxed: false,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VacancyRef {
    pub id: String,
    pub title: String,
    pub employer: String,
    pub wijk: String,
    pub wijk_name: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrainingRoute {
    pub id: String,
    pub title: String,
    pub provider: String,
    pub wijk_name: String,
    pub covers: Vec<SkillRef>,
    /// Share of the missing required skills it teaches, 0 to 1.
    pub coverage: f64,
    pub distance_km: f64,
    pub duration_weeks: i64,
    pub cost: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MatchView {
    pub vacancy: VacancyRef,
    pub score: f64,
    pub components: Vec<Component>,
    pub matched_skills: Vec<SkillRef>,
    pub missing_required: Vec<SkillRef>,
    pub missing_optional: Vec<SkillRef>,
    /// Essential for the occupation but not listed by the employer.
    pub expected_missing: Vec<SkillRef>,
    pub distance_km: f64,
    pub travel_minutes: f64,
    pub travel_mode: &'static str,
    /// True when the offer misses a hard limit by a little (relaxed mode).
    pub near_miss: bool,
    pub reasons: Vec<String>,
    /// Profile fields still unknown that would change this match (such as
    /// `hours_min`): filling them in makes the match surer.
    pub unknown_fields: Vec<&'static str>,
    pub training_routes: Vec<TrainingRoute>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BijnaMatch {
    pub vacancy: VacancyRef,
    pub score: f64,
    pub missing_required: Vec<SkillRef>,
    pub training: TrainingRoute,
    pub reason: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MatchesResponse {
    pub resident_id: String,
    pub algorithm_version: &'static str,
    pub relaxed: bool,
    pub matches: Vec<MatchView>,
    /// Vacancies one training would open up: one or two missing required
    /// skills, all taught by that training.
    pub bijna_matches: Vec<BijnaMatch>,
}

pub async fn matches(
    svc: &Services,
    caller: &Caller,
    id: &str,
    options: MatchOptions,
) -> Result<MatchesResponse, AppError> {
    let MatchOptions { limit, relaxed } = options;
    let resident = accessible(svc, caller, id).await?;
    super::record_use(
        svc,
        caller,
        &resident,
        Purpose::MatchesShown,
        Some(ALGORITHM_VERSION),
    )
    .await?;
    let profile = to_profile(&resident);
    let reader = if caller.role == Role::Coach {
        Reader::Coach
    } else {
        Reader::Resident
    };
    let scored = scored_vacancies(svc, &resident, &profile, relaxed).await?;
    let trainings = trainings_for_gaps(svc, &scored, limit, profile.home).await?;
    let home = profile.home;
    let bijna_matches = bijna_matches(svc, &scored, &trainings, home);
    let matches = scored
        .into_iter()
        .take(limit)
        .map(|(v, s)| {
            let routes = training_routes(svc, &s.missing_required, &trainings, home);
            match_view(svc, &profile, &v, s, routes, reader)
        })
        .collect();
    Ok(MatchesResponse {
        resident_id: resident.id,
        algorithm_version: ALGORITHM_VERSION,
        relaxed,
        matches,
        bijna_matches,
    })
}

/// The vacancies within the resident's reach and limits, best first.
async fn scored_vacancies(
    svc: &Services,
    resident: &ResidentRow,
    profile: &Profile,
    relaxed: bool,
) -> Result<Vec<(Arc<OpenVacancy>, Scored)>, AppError> {
    let vacancies = gather_vacancies(svc, resident, profile, relaxed).await?;
    let mut scored: Vec<(Arc<OpenVacancy>, Scored)> = vacancies
        .into_iter()
        .filter_map(|v| {
            matching::score(
                profile,
                &v.facts,
                &svc.policy,
                Direction::VacanciesForResident,
                relaxed,
            )
            .map(|s| (v, s))
        })
        .collect();
    scored.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.id.cmp(&b.0.id)));
    Ok(scored)
}

/// What the lift report keeps of a resident's matches: the best score now
/// and the required skills missing from their best few. Statistics, not a
/// view of the person, so nobody's views log gets an entry.
pub async fn summary(svc: &Services, resident: &ResidentRow) -> Result<MatchSummaryRow, AppError> {
    const BEST_FEW: usize = 5;
    let profile = to_profile(resident);
    let scored = scored_vacancies(svc, resident, &profile, false).await?;
    let mut missing: Vec<String> = scored
        .iter()
        .take(BEST_FEW)
        .flat_map(|(_, s)| s.missing_required.iter().cloned())
        .collect();
    missing.sort();
    missing.dedup();
    Ok(MatchSummaryRow {
        resident_id: resident.id.clone(),
        best_score: scored.first().map_or(0.0, |(_, s)| s.score),
        missing_skills: missing,
    })
}

/// Trainings that teach the missing required skills of the shown matches
/// and the bijna-match candidates, gathered near home through the index.
async fn trainings_for_gaps(
    svc: &Services,
    scored: &[(Arc<OpenVacancy>, Scored)],
    limit: usize,
    home: Point,
) -> Result<Vec<Arc<OpenTraining>>, AppError> {
    let gaps = scored
        .iter()
        .enumerate()
        .filter(|(i, (_, s))| *i < limit || (1..=2).contains(&s.missing_required.len()))
        .flat_map(|(_, (_, s))| s.missing_required.iter().cloned());
    let missing: HashSet<String> = gaps.collect();
    if missing.is_empty() {
        return Ok(Vec::new());
    }
    let mut skill_ids: Vec<String> = missing.into_iter().collect();
    skill_ids.sort();
    crate::offers::trainings_teaching(svc, skill_ids, home, TRAINING_RADIUS_KM, GATHER_TRAININGS).await
}

pub fn to_profile(r: &ResidentRow) -> Profile {
    Profile {
        home: Point {
            lat: r.lat,
            lon: r.lon,
        },
        wijk_code: r.wijk_code.clone(),
        skills: r.skills.iter().filter_map(|s| s.skill_id.clone()).collect(),
        free_skills: r
            .skills
            .iter()
            .filter(|s| s.skill_id.is_none())
            .map(|s| fold(&s.name))
            .collect(),
        sectors_wanted: r.sectors_wanted.clone(),
        occupations: r
            .experience
            .iter()
            .chain(&r.occupations_wanted)
            .filter_map(|o| o.occupation_uri.clone())
            .collect(),
        hours: r.hours_min.zip(r.hours_max),
        part_time_only: r.limits.iter().any(|l| l == "alleen_parttime"),
        available_from_day: r.available_from.as_deref().and_then(day_number),
        travel_mode: TravelMode::parse(&r.travel_mode).unwrap_or(TravelMode::Fiets),
        max_travel_minutes: r.max_travel_minutes.map(|m| m as f64),
        max_travel_km: r.max_travel_km,
        education: Education::parse(&r.education).unwrap_or(Education::Geen),
        dutch_level: DutchLevel::parse(&r.dutch_level).unwrap_or(DutchLevel::A1),
    }
}

/// Candidates through the index: the resident's skills, free-text skills and
/// occupations as words (any may match), within reach and the hard limits;
/// plus the nearest vacancies in each wanted sector.
async fn gather_vacancies(
    svc: &Services,
    r: &ResidentRow,
    p: &Profile,
    relaxed: bool,
) -> Result<Vec<Arc<OpenVacancy>>, AppError> {
    let mut skill_ids: Vec<String> = p.skills.iter().cloned().collect();
    skill_ids.sort();
    let mut words: Vec<String> = r
        .skills
        .iter()
        .filter(|s| s.skill_id.is_none())
        .map(|s| s.name.clone())
        .collect();
    words.extend(r.experience.iter().chain(&r.occupations_wanted).map(|o| {
        o.occupation_uri
            .as_deref()
            .and_then(|u| svc.taxonomy.get(u))
            .map_or_else(|| o.value.clone(), |t| t.label.clone())
    }));
    let slack = u64::from(relaxed);
    let hours_slack = if relaxed { 8 } else { 0 };
    let filters = Filters {
        kind: OfferKind::Vacancy.ordinal(),
        max_education: Some((p.education.ordinal() + slack).min(Education::Wo.ordinal())),
        max_dutch_level: Some((p.dutch_level.ordinal() + slack).min(DutchLevel::C2.ordinal())),
        hours_min: p.hours.map(|(min, _)| (min - hours_slack).max(0) as u64),
        hours_max: p.hours.map(|(_, max)| (max + hours_slack) as u64),
        today: date_day_number(today()),
        ..Filters::default()
    };
    let near = Some(Near {
        point: p.home,
        radius_km: Some(p.reach_km(relaxed)),
    });
    let mut requests = vec![(
        skill_ids,
        words,
        SearchRequest {
            text: String::new(),
            filters: filters.clone(),
            near,
            sort: Sort::Relevance,
            limit: GATHER,
            offset: 0,
        },
    )];
    for sector in &r.sectors_wanted {
        let sector_filters = Filters {
            sector: crate::codes::Sector::parse(sector).map(Code::ordinal),
            ..filters.clone()
        };
        requests.push((
            Vec::new(),
            Vec::new(),
            SearchRequest {
                text: String::new(),
                filters: sector_filters,
                near,
                sort: Sort::Distance,
                limit: GATHER_PER_SECTOR,
                offset: 0,
            },
        ));
    }
    let index = svc.search.clone();
    let ids = tokio::task::spawn_blocking(move || -> Result<Vec<String>, crate::search::SearchError> {
        let mut ids = Vec::new();
        for (skill_ids, words, request) in &requests {
            ids.extend(index.candidate_ids(skill_ids, words, request)?);
        }
        ids.sort();
        ids.dedup();
        Ok(ids)
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))??;
    let mut found = svc.open.vacancies.get_many(&ids);
    if !p.free_skills.is_empty() {
        with_texts(svc, &mut found).await?;
    }
    Ok(found)
}

/// Free-text skills are looked for in the vacancies' texts, which the
/// matching table leaves out: these few are read from the database.
async fn with_texts(svc: &Services, vacancies: &mut [Arc<OpenVacancy>]) -> Result<(), AppError> {
    let ids: Vec<String> = vacancies.iter().map(|v| v.id.clone()).collect();
    let texts: HashMap<String, String> = svc
        .store
        .vacancy_texts(&ids)
        .await?
        .into_iter()
        .map(|(id, title, description)| (id, vacancy_text(&title, &description)))
        .collect();
    for v in vacancies {
        if let Some(text) = texts.get(&v.id) {
            Arc::make_mut(v).facts.text.clone_from(text);
        }
    }
    Ok(())
}

fn skill_refs(svc: &Services, ids: &[String]) -> Vec<SkillRef> {
    ids.iter()
        .map(|id| SkillRef {
            id: id.clone(),
            label: svc
                .vocabulary
                .get(id)
                .map_or_else(|| id.clone(), |s| s.label.clone()),
        })
        .collect()
}

fn vacancy_ref(svc: &Services, v: &OpenVacancy) -> VacancyRef {
    VacancyRef {
        id: v.id.clone(),
        title: v.title.clone(),
        employer: v.employer.clone(),
        wijk: v.facts.wijk_code.clone(),
        wijk_name: svc
            .geo
            .find_wijk(&v.facts.wijk_code)
            .map(|w| w.name.clone())
            .unwrap_or_default(),
    }
}

/// Trainings that teach some of the missing required skills: most of the
/// gap first, then the nearest, then the shortest.
fn training_routes(
    svc: &Services,
    missing: &[String],
    trainings: &[Arc<OpenTraining>],
    home: Point,
) -> Vec<TrainingRoute> {
    if missing.is_empty() {
        return Vec::new();
    }
    let mut routes: Vec<TrainingRoute> = trainings
        .iter()
        .filter_map(|t| {
            let covers: Vec<String> = missing.iter().filter(|m| t.skills.contains(m)).cloned().collect();
            (!covers.is_empty()).then(|| TrainingRoute {
                id: t.id.clone(),
                title: t.title.clone(),
                provider: t.provider.clone(),
                wijk_name: svc
                    .geo
                    .find_wijk(&t.wijk_code)
                    .map(|w| w.name.clone())
                    .unwrap_or_default(),
                coverage: covers.len() as f64 / missing.len() as f64,
                covers: skill_refs(svc, &covers),
                distance_km: round1(home.distance_km(t.point)),
                duration_weeks: t.duration_weeks,
                cost: t.cost.clone(),
            })
        })
        .collect();
    routes.sort_by(|a, b| {
        b.coverage
            .total_cmp(&a.coverage)
            .then(a.distance_km.total_cmp(&b.distance_km))
            .then(a.duration_weeks.cmp(&b.duration_weeks))
            .then(a.id.cmp(&b.id))
    });
    routes.truncate(ROUTES_PER_MATCH);
    routes
}

fn bijna_matches(
    svc: &Services,
    scored: &[(Arc<OpenVacancy>, Scored)],
    trainings: &[Arc<OpenTraining>],
    home: Point,
) -> Vec<BijnaMatch> {
    scored
        .iter()
        .filter(|(_, s)| (1..=2).contains(&s.missing_required.len()) && s.near_misses.is_empty())
        .filter_map(|(v, s)| {
            let route = training_routes(svc, &s.missing_required, trainings, home)
                .into_iter()
                .find(|r| r.coverage >= 1.0)?;
            Some(BijnaMatch {
                vacancy: vacancy_ref(svc, v),
                score: round1(s.score),
                missing_required: skill_refs(svc, &s.missing_required),
                reason: format!(
                    "Met de opleiding '{}' leer je wat nog ontbreekt voor deze baan.",
                    route.title
                ),
                training: route,
            })
        })
        .take(MAX_BIJNA)
        .collect()
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Components as shown: points to one decimal, values to three.
fn shown_components(components: &[Component]) -> Vec<Component> {
    components
        .iter()
        .map(|c| Component {
            points: round1(c.points),
            value: (c.value * 1000.0).round() / 1000.0,
            ..c.clone()
        })
        .collect()
}

fn match_view(
    svc: &Services,
    p: &Profile,
    v: &OpenVacancy,
    s: Scored,
    routes: Vec<TrainingRoute>,
    reader: Reader,
) -> MatchView {
    let reasons = reasons(svc, p, v, &s, &routes, reader);
    MatchView {
        vacancy: vacancy_ref(svc, v),
        score: round1(s.score),
        components: shown_components(&s.components),
        matched_skills: skill_refs(svc, &s.matched_skills),
        missing_required: skill_refs(svc, &s.missing_required),
        missing_optional: skill_refs(svc, &s.missing_optional),
        expected_missing: skill_refs(svc, &s.missing_expected),
        distance_km: round1(s.distance_km),
        travel_minutes: s.travel_minutes.round(),
        travel_mode: p.travel_mode.code(),
        near_miss: !s.near_misses.is_empty(),
        reasons,
        unknown_fields: if p.hours.is_none() {
            vec!["hours_min"]
        } else {
            Vec::new()
        },
        training_routes: routes,
    }
}

fn labels(svc: &Services, ids: &[String]) -> String {
    skill_refs(svc, ids)
        .into_iter()
        .map(|s| s.label.to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Who reads a match's reasons: the resident is spoken to ("Je kunt
/// al…"); a coach and an employer read about the person ("Kan al…").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Resident,
    Coach,
    Employer,
}

impl Reader {
    /// The resident's sentence or the one about them.
    fn says(self, to_resident: &'static str, about: &'static str) -> &'static str {
        if self == Reader::Resident {
            to_resident
        } else {
            about
        }
    }
}

/// Short sentences in B1 Dutch, written for `reader`. An employer never
/// gets the exact journey, since journeys from several vacancies would pin
/// down a home.
fn reasons(
    svc: &Services,
    p: &Profile,
    v: &OpenVacancy,
    s: &Scored,
    routes: &[TrainingRoute],
    reader: Reader,
) -> Vec<String> {
    let mut out = Vec::new();
    let facts = &v.facts;
    let asked = facts.required.len() + facts.optional.len();
    if p.skills.is_empty() && p.free_skills.is_empty() {
        out.push(
            reader
                .says(
                    "Je profiel heeft nog geen vaardigheden. Vul ze aan, dan kunnen we beter zoeken.",
                    "Het profiel heeft nog geen vaardigheden.",
                )
                .to_string(),
        );
    } else if !s.matched_skills.is_empty() {
        let lead = reader.says("Je kunt al", "Kan al");
        out.push(format!("{lead}: {}.", labels(svc, &s.matched_skills)));
    } else if asked > 0 {
        out.push(
            reader
                .says(
                    "Je hebt nog geen van de gevraagde vaardigheden.",
                    "Heeft nog geen van de gevraagde vaardigheden.",
                )
                .to_string(),
        );
    }
    if !s.matched_free_text.is_empty() {
        let lead = reader.says(
            "De vacature noemt ook wat jij opgaf",
            "De vacature noemt ook wat in het profiel staat",
        );
        out.push(format!("{lead}: {}.", s.matched_free_text.join(", ")));
    }
    if !s.missing_required.is_empty() {
        out.push(format!("Nog nodig: {}.", labels(svc, &s.missing_required)));
    }
    if !s.missing_optional.is_empty() {
        out.push(format!(
            "Mooi meegenomen, maar niet verplicht: {}.",
            labels(svc, &s.missing_optional)
        ));
    }
    if !s.missing_expected.is_empty() {
        out.push(format!(
            "Voor dit beroep meestal verwacht (de werkgever noemde het niet): {}.",
            labels(svc, &s.missing_expected)
        ));
    }
    if reader != Reader::Employer {
        out.push(format!(
            "Ongeveer {} minuten {} ({} km).",
            s.travel_minutes.round(),
            p.travel_mode.dutch(),
            dutch_number(s.distance_km)
        ));
    }
    match p.hours {
        Some(_) if s.components.iter().any(|c| c.name == "hours" && c.value > 0.0) => {
            out.push(format!(
                "De uren passen: {} tot {} uur per week.",
                facts.hours.0, facts.hours.1
            ));
        }
        Some(_) => {}
        None => out.push(
            reader
                .says(
                    "Je uren zijn nog niet bekend; vul ze in om te zien of het past.",
                    "De uren zijn nog niet bekend.",
                )
                .to_string(),
        ),
    }
    out.push(match facts.education {
        Education::Geen => "Geen diploma nodig.".to_string(),
        level => format!(
            "Gevraagd: {}; {}.",
            level.label(),
            reader.says("dat heb je", "dat niveau is er")
        ),
    });
    out.push(format!(
        "Nederlands op niveau {} is genoeg.",
        facts.dutch_level.code()
    ));
    if p.sectors_wanted.contains(&facts.sector) {
        let lead = reader.says(
            "Dit is werk in een sector die je zoekt",
            "Zoekt werk in deze sector",
        );
        out.push(format!("{lead} ({}).", facts.sector));
    }
    out.extend(s.near_misses.iter().map(|m| format!("Bijna: {m}")));
    out.extend(s.lift_boosts.iter().filter_map(|b| lift_reason(b, reader)));
    if let Some(route) = routes.first() {
        out.push(format!(
            "Opleiding dichtbij: '{}' {} {}.",
            route.title,
            reader.says("leert je", "leert"),
            route
                .covers
                .iter()
                .map(|c| c.label.to_lowercase())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

/// The social-lift bonus in one sentence: plain for the resident, in the
/// policy's terms for a coach, and never for an employer (whose scores
/// leave it out).
fn lift_reason(boost: &LiftBoost, reader: Reader) -> Option<String> {
    let text = match (reader, boost.kind) {
        (Reader::Employer, _) => return None,
        (Reader::Resident, LiftKind::NearbyForPriorityWijk) => {
            "dit werk is dichtbij, en de gemeente wil dat meer mensen uit jouw wijk werk vinden in de buurt"
        }
        (Reader::Resident, LiftKind::AllianceEmployer) => {
            "deze werkgever werkt met de gemeente samen om mensen uit de wijken aan werk te helpen"
        }
        (Reader::Coach, LiftKind::NearbyForPriorityWijk) => {
            "werk binnen bereik voor iemand uit een prioriteitswijk van de Wijkaanpak"
        }
        (Reader::Coach, LiftKind::AllianceEmployer) => "de werkgever doet mee met de Wijkaanpak",
        (_, LiftKind::LivesInPriorityWijk) => "woont in een prioriteitswijk van de Wijkaanpak",
    };
    // Whole points read as "+3", a scaled-down bonus as "+1,5".
    let points = if boost.points.fract() == 0.0 {
        format!("{}", boost.points)
    } else {
        dutch_number(boost.points)
    };
    Some(format!("Extra punten (+{points}): {text}."))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CandidateView {
    pub resident_id: String,
    /// For an employer the first name only, until the resident accepted
    /// a contact request for this vacancy.
    pub name: String,
    /// The employer's contact request for this vacancy: open,
    /// geaccepteerd or afgewezen; absent when none was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_status: Option<String>,
    /// Once accepted, the route the resident chose: telefoon, email or
    /// werkcoach, and the number, address or coach to use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_route: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_detail: Option<String>,
    pub wijk: String,
    pub wijk_name: String,
    pub score: f64,
    pub components: Vec<Component>,
    pub matched_skills: Vec<SkillRef>,
    pub missing_required: Vec<SkillRef>,
    pub distance_km: f64,
    pub travel_minutes: f64,
    pub reasons: Vec<String>,
}

fn not_found_vacancy() -> AppError {
    AppError::NotFound("Deze vacature bestaat niet. / No such vacancy.".into())
}

/// What an employer sees of a name until contact is accepted.
fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or("Kandidaat").to_string()
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CandidatesResponse {
    pub vacancy_id: String,
    pub algorithm_version: &'static str,
    pub candidates: Vec<CandidateView>,
}

/// Residents who fit a vacancy: for its employer those who consented, shown
/// by first name only; for a coach their own clients. Every candidate shown
/// is logged.
pub async fn candidates(
    svc: &Services,
    caller: &Caller,
    vacancy_id: &str,
    limit: usize,
) -> Result<CandidatesResponse, AppError> {
    let vacancy = svc
        .store
        .offer::<VacancyRow>(vacancy_id)
        .await?
        .ok_or_else(not_found_vacancy)?;
    let scope = match caller.role {
        Role::Coach => CandidateScope::CoachClients(caller.user_id.as_str()),
        Role::Employer if caller.organisation_id.as_deref() == Some(vacancy.organisation_id.as_str()) => {
            CandidateScope::Consented
        }
        Role::Employer => return Err(not_found_vacancy()),
        _ => {
            return Err(AppError::Forbidden(
                "Alleen de werkgever van deze vacature en coaches. / Only this vacancy's employer and coaches."
                    .into(),
            ));
        }
    };
    let open = open_vacancy(&vacancy, &svc.taxonomy, true);
    let facts = &open.facts;
    let skills: Vec<String> = facts
        .required
        .iter()
        .chain(&facts.optional)
        .chain(&facts.expected)
        .cloned()
        .collect();
    let ids = svc
        .store
        .candidate_resident_ids(&skills, &scope, GATHER_RESIDENTS)
        .await?;
    let mut residents = svc.store.residents_by_ids(&ids).await?;
    if matches!(scope, CandidateScope::Consented) {
        // Consent as it is now, not as it was when the ids were gathered.
        residents.retain(|r| r.findable_by_employers);
    }
    let pseudonymise = caller.role == Role::Employer;
    let reader = if pseudonymise {
        Reader::Employer
    } else {
        Reader::Coach
    };
    let mut scored: Vec<(ResidentRow, Profile, Scored)> = residents
        .into_iter()
        .filter_map(|r| {
            let profile = to_profile(&r);
            let s = matching::score(
                &profile,
                facts,
                &svc.policy,
                Direction::CandidatesForVacancy,
                false,
            )?;
            // An employer's list is ranked by what it is shown, so that
            // not even the order tells more than the rounded journey.
            let s = if pseudonymise {
                matching::coarsened_for_employer(&profile, s)
            } else {
                s
            };
            Some((r, profile, s))
        })
        .collect();
    scored.sort_by(|a, b| b.2.score.total_cmp(&a.2.score).then(a.0.id.cmp(&b.0.id)));
    scored.truncate(limit);
    let shown: Vec<String> = scored.iter().map(|(r, _, _)| r.id.clone()).collect();
    privacy::record(
        svc,
        caller,
        shown.iter().map(String::as_str),
        Purpose::CandidateShown,
        Some(ALGORITHM_VERSION),
    )
    .await?;
    let mut contacts = if pseudonymise {
        svc.store
            .record_listings(&vacancy.id, &shown, crate::storage::now_unix())
            .await?;
        svc.store.contact_states(&vacancy.id).await?
    } else {
        Default::default()
    };
    let candidates = scored
        .into_iter()
        .map(|(r, p, s)| {
            let contact = contacts.remove(&r.id);
            let accepted = contact
                .as_ref()
                .is_some_and(|c| c.status == crate::codes::contact_status::ACCEPTED);
            let (contact_status, shared) = contact.map(|c| (c.status, c.shared)).unzip();
            let (contact_route, contact_detail) = shared.flatten().map(|s| (s.route, s.detail)).unzip();
            CandidateView {
                reasons: reasons(svc, &p, &open, &s, &[], reader),
                wijk_name: svc
                    .geo
                    .find_wijk(&r.wijk_code)
                    .map(|w| w.name.clone())
                    .unwrap_or_default(),
                resident_id: r.id,
                name: if pseudonymise && !accepted {
                    first_name(&r.name)
                } else {
                    r.name
                },
                contact_status,
                contact_route,
                contact_detail,
                wijk: r.wijk_code,
                score: round1(s.score),
                components: shown_components(&s.components),
                matched_skills: skill_refs(svc, &s.matched_skills),
                missing_required: skill_refs(svc, &s.missing_required),
                // For an employer already whole kilometres and minutes to
                // 5: journeys to several vacancies must not pin down a home.
                distance_km: round1(s.distance_km),
                travel_minutes: s.travel_minutes.round(),
            }
        })
        .collect();
    Ok(CandidatesResponse {
        vacancy_id: vacancy.id,
        algorithm_version: ALGORITHM_VERSION,
        candidates,
    })
}
