//! A resident profile as sent and as shown, and its checks.

use serde::{Deserialize, Serialize};

use crate::codes::{Code, DutchLevel, Education, Sector};
use crate::dates::today;
use crate::error::AppError;
use crate::geo::Point;
use crate::matching::TravelMode;
use crate::reference::Context;
use crate::reference::WijkRef;
use crate::skills::{Suggestion, fold};
use crate::storage::{OccupationRef, ResidentRow, ResidentSkill};
use crate::validate::Checker;

/// Practical limits a person can state.
pub const LIMITS: [&str; 5] = [
    "alleen_overdag",
    "alleen_parttime",
    "geen_weekend",
    "geen_tillen",
    "mantelzorg",
];
/// A typed skill this close to a vocabulary name counts as that skill.
const CONFIDENT_FUZZY: f64 = 0.9;
const MAX_LIST: usize = 30;
/// Used when neither a time nor a distance limit is given.
pub const DEFAULT_TRAVEL_MINUTES: i64 = 30;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResidentInput {
    /// A first name or pseudonym.
    pub name: String,
    #[serde(default)]
    pub postcode: Option<String>,
    #[serde(default)]
    pub wijk: Option<String>,
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub experience: Vec<String>,
    #[serde(default)]
    pub occupations_wanted: Vec<String>,
    #[serde(default)]
    pub sectors_wanted: Vec<String>,
    #[serde(default)]
    pub hours_min: Option<i64>,
    #[serde(default)]
    pub hours_max: Option<i64>,
    #[serde(default)]
    pub available_from: Option<String>,
    pub travel_mode: String,
    #[serde(default)]
    pub max_travel_minutes: Option<i64>,
    #[serde(default)]
    pub max_travel_km: Option<f64>,
    pub education: String,
    pub dutch_level: String,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub driving_licence: bool,
    #[serde(default)]
    pub limits: Vec<String>,
    #[serde(default)]
    pub findable_by_employers: bool,
    /// A coach who gives consent on a client's behalf confirms that the
    /// client agreed (see `privacy::consent`).
    #[serde(default)]
    pub consent_confirmed_with_resident: bool,
    #[serde(default)]
    pub coach_id: Option<String>,
}

impl ResidentInput {
    /// Checks every field and builds the row; `coach_id` and `user_id` are
    /// decided by the caller's rights, not taken from the body.
    pub fn into_row(
        self,
        ctx: &Context<'_>,
        id: String,
        coach_id: Option<String>,
        user_id: Option<String>,
    ) -> Result<ResidentRow, AppError> {
        let mut check = Checker::default();
        let name = check.text("name", &self.name, 1, 60);
        let home = self.home(&mut check, ctx);
        let travel_mode = TravelMode::parse(&self.travel_mode);
        if travel_mode.is_none() {
            check.fail(
                "travel_mode",
                "Kies lopen, fiets, ov of auto. / Choose lopen, fiets, ov or auto.",
            );
        }
        if travel_mode == Some(TravelMode::Auto) && !self.driving_licence {
            check.fail(
                "travel_mode",
                "Met de auto vraagt een rijbewijs. / Travelling by car needs a driving licence.",
            );
        }
        self.check_travel_limit(&mut check);
        let education = check.code::<Education>("education", &self.education);
        let dutch_level = check.code::<DutchLevel>("dutch_level", &self.dutch_level);
        match (self.hours_min, self.hours_max) {
            (Some(min), Some(max)) => check.hours(min, max, 40),
            (None, None) => {}
            _ => check.fail(
                "hours_min",
                "Geef hours_min en hours_max samen. / Give both hours or neither.",
            ),
        }
        let available_from = check.date("available_from", self.available_from.as_deref(), today());
        let sectors_wanted = self.check_sectors(&mut check);
        check_list(&mut check, "languages", &self.languages, |l| {
            (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase())
        });
        check_list(&mut check, "limits", &self.limits, |l| {
            LIMITS.contains(&l.as_str())
        });
        let skills = self.resolve_skills(&mut check, ctx);
        let experience = resolve_occupations(&mut check, "experience", &self.experience, ctx);
        let occupations_wanted =
            resolve_occupations(&mut check, "occupations_wanted", &self.occupations_wanted, ctx);
        check.finish()?;
        let (Some((postcode, wijk_code, point)), Some(travel_mode), Some(education), Some(dutch_level)) =
            (home, travel_mode, education, dutch_level)
        else {
            return Err(AppError::Internal(anyhow::anyhow!(
                "a checked field was missing after validation"
            )));
        };
        let max_travel_minutes = match (self.max_travel_minutes, self.max_travel_km) {
            (None, None) => Some(DEFAULT_TRAVEL_MINUTES),
            (minutes, _) => minutes,
        };
        Ok(ResidentRow {
            id,
            name,
            postcode,
            wijk_code,
            lat: point.lat,
            lon: point.lon,
            hours_min: self.hours_min,
            hours_max: self.hours_max,
            available_from,
            travel_mode: travel_mode.code().into(),
            max_travel_minutes,
            max_travel_km: self.max_travel_km,
            education: education.code().into(),
            dutch_level: dutch_level.code().into(),
            languages: self.languages,
            driving_licence: self.driving_licence,
            limits: self.limits,
            sectors_wanted,
            findable_by_employers: self.findable_by_employers,
            coach_id,
            user_id,
            fictitious: false,
            skills,
            experience,
            occupations_wanted,
            last_active_at: 0,
        })
    }

    /// Home as a PC4 postcode or a wijk, never an address: the point is the
    /// postcode's centre or the wijk's centroid.
    fn home(&self, check: &mut Checker, ctx: &Context<'_>) -> Option<(Option<String>, String, Point)> {
        match (self.postcode.as_deref().map(str::trim), self.wijk.as_deref()) {
            (Some(pc), None) => {
                match ctx.geo.find_postcode(pc) {
                    Some(found) if found.wijk_code.is_some() => Some((
                        Some(found.pc4.clone()),
                        found.wijk_code.clone().unwrap_or_default(),
                        Point {
                            lat: found.lat,
                            lon: found.lon,
                        },
                    )),
                    _ => {
                        check.fail("postcode", "Geef een Haagse postcode van 4 cijfers, zoals 2525. / Give a Den Haag PC4 postcode.");
                        None
                    }
                }
            }
            (None, Some(wijk)) => match ctx.geo.find_wijk(wijk) {
                Some(found) => Some((None, found.code.clone(), found.centroid())),
                None => {
                    check.fail("wijk", format!("Onbekende wijk '{wijk}'. / Unknown wijk."));
                    None
                }
            },
            _ => {
                check.fail(
                    "postcode",
                    "Geef óf een postcode óf een wijk. / Give either a postcode or a wijk.",
                );
                None
            }
        }
    }

    fn check_travel_limit(&self, check: &mut Checker) {
        match (self.max_travel_minutes, self.max_travel_km) {
            (Some(_), Some(_)) => check.fail(
                "max_travel_minutes",
                "Geef reistijd óf afstand, niet allebei. / Give minutes or km, not both.",
            ),
            (Some(m), None) if !(5..=120).contains(&m) => check.fail(
                "max_travel_minutes",
                "Reistijd: 5 tot 120 minuten. / 5 to 120 minutes.",
            ),
            (None, Some(km)) if !(km.is_finite() && (0.5..=50.0).contains(&km)) => {
                check.fail("max_travel_km", "Afstand: 0,5 tot 50 km. / 0.5 to 50 km.")
            }
            _ => {}
        }
    }

    fn check_sectors(&self, check: &mut Checker) -> Vec<String> {
        let mut sectors = Vec::new();
        for sector in self.sectors_wanted.iter().take(MAX_LIST) {
            if let Some(code) = check.code::<Sector>("sectors_wanted", sector)
                && !sectors.contains(&code.code().to_string())
            {
                sectors.push(code.code().to_string());
            }
        }
        sectors
    }

    /// Each typed skill: the vocabulary skill it names or closely resembles,
    /// or kept as free text.
    fn resolve_skills(&self, check: &mut Checker, ctx: &Context<'_>) -> Vec<ResidentSkill> {
        if self.skills.len() > MAX_LIST {
            check.fail(
                "skills",
                format!("Hoogstens {MAX_LIST} vaardigheden. / At most {MAX_LIST} skills."),
            );
        }
        let mut out: Vec<ResidentSkill> = Vec::new();
        for name in self.skills.iter().take(MAX_LIST) {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 80 {
                check.fail(
                    "skills",
                    "Een vaardigheid is 1 tot 80 tekens. / A skill is 1 to 80 characters.",
                );
                continue;
            }
            if !check.no_control("skills", name) {
                continue;
            }
            let skill_id = normalise_skill(ctx, name);
            let duplicate = out.iter().any(|s| match (&s.skill_id, &skill_id) {
                (Some(a), Some(b)) => a == b,
                _ => fold(&s.name) == fold(name),
            });
            if !duplicate {
                out.push(ResidentSkill {
                    name: name.to_string(),
                    skill_id,
                });
            }
        }
        out
    }
}

/// The vocabulary skill a typed name means: exact, alias, or a confident
/// fuzzy match.
pub fn normalise_skill(ctx: &Context<'_>, name: &str) -> Option<String> {
    if let Some(skill) = ctx.vocabulary.resolve(name) {
        return Some(skill.id.clone());
    }
    ctx.vocabulary
        .suggest(name, 1)
        .into_iter()
        .find(|s: &Suggestion| s.similarity >= CONFIDENT_FUZZY)
        .map(|s| s.id)
}

fn resolve_occupations(
    check: &mut Checker,
    field: &str,
    values: &[String],
    ctx: &Context<'_>,
) -> Vec<OccupationRef> {
    if values.len() > MAX_LIST {
        check.fail(
            field,
            format!("Hoogstens {MAX_LIST} beroepen. / At most {MAX_LIST} occupations."),
        );
    }
    values
        .iter()
        .take(MAX_LIST)
        .filter_map(|value| {
            let value = value.trim();
            if value.is_empty() || value.chars().count() > 200 {
                check.fail(
                    field,
                    "Een beroep is 1 tot 200 tekens. / An occupation is 1 to 200 characters.",
                );
                return None;
            }
            if !check.no_control(field, value) {
                return None;
            }
            Some(OccupationRef {
                value: value.to_string(),
                occupation_uri: ctx.taxonomy.resolve(value).map(|o| o.uri.clone()),
            })
        })
        .collect()
}

fn check_list(check: &mut Checker, field: &str, values: &[String], valid: impl Fn(&String) -> bool) {
    if values.len() > MAX_LIST || !values.iter().all(valid) {
        check.fail(
            field,
            format!("Ongeldige waarde in {field}. / Invalid value in {field}."),
        );
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SkillView {
    pub name: String,
    pub id: Option<String>,
    pub label: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OccupationView {
    pub value: String,
    pub occupation_uri: Option<String>,
    pub label: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ResidentView {
    pub id: String,
    pub name: String,
    pub postcode: Option<String>,
    pub wijk: WijkRef,
    /// As typed.
    pub skills: Vec<String>,
    /// Each typed skill with the vocabulary skill it was normalised to.
    pub skills_normalised: Vec<SkillView>,
    pub experience: Vec<OccupationView>,
    pub occupations_wanted: Vec<OccupationView>,
    pub sectors_wanted: Vec<String>,
    pub hours_min: Option<i64>,
    pub hours_max: Option<i64>,
    pub available_from: Option<String>,
    pub travel_mode: String,
    pub max_travel_minutes: Option<i64>,
    pub max_travel_km: Option<f64>,
    pub education: String,
    pub dutch_level: String,
    pub languages: Vec<String>,
    pub driving_licence: bool,
    pub limits: Vec<String>,
    pub findable_by_employers: bool,
    pub coach_id: Option<String>,
    pub fictitious: bool,
    /// Whether the resident has a user account of their own (so a coach
    /// can hand them a link to choose a password).
    pub has_account: bool,
}

impl ResidentView {
    /// The input that would write this profile again unchanged: the start
    /// of an edit that changes one part (the web forms).
    pub fn to_input(&self) -> ResidentInput {
        let values = |list: &[OccupationView]| list.iter().map(|o| o.value.clone()).collect();
        ResidentInput {
            name: self.name.clone(),
            postcode: self.postcode.clone(),
            wijk: self.postcode.is_none().then(|| self.wijk.code.clone()),
            skills: self.skills.clone(),
            experience: values(&self.experience),
            occupations_wanted: values(&self.occupations_wanted),
            sectors_wanted: self.sectors_wanted.clone(),
            hours_min: self.hours_min,
            hours_max: self.hours_max,
            available_from: self.available_from.clone(),
            travel_mode: self.travel_mode.clone(),
            max_travel_minutes: self.max_travel_minutes,
            max_travel_km: self.max_travel_km,
            education: self.education.clone(),
            dutch_level: self.dutch_level.clone(),
            languages: self.languages.clone(),
            driving_licence: self.driving_licence,
            limits: self.limits.clone(),
            findable_by_employers: self.findable_by_employers,
            consent_confirmed_with_resident: false,
            coach_id: None,
        }
    }

    pub fn new(row: ResidentRow, ctx: &Context<'_>) -> Self {
        let occupations = |list: Vec<OccupationRef>| {
            list.into_iter()
                .map(|o| OccupationView {
                    label: o
                        .occupation_uri
                        .as_deref()
                        .and_then(|u| ctx.taxonomy.get(u))
                        .map(|t| t.label.clone()),
                    value: o.value,
                    occupation_uri: o.occupation_uri,
                })
                .collect()
        };
        Self {
            wijk: WijkRef::new(&row.wijk_code, ctx.geo),
            skills: row.skills.iter().map(|s| s.name.clone()).collect(),
            skills_normalised: row
                .skills
                .iter()
                .map(|s| SkillView {
                    name: s.name.clone(),
                    label: s
                        .skill_id
                        .as_deref()
                        .and_then(|id| ctx.vocabulary.get(id))
                        .map(|k| k.label.clone()),
                    id: s.skill_id.clone(),
                })
                .collect(),
            experience: occupations(row.experience),
            occupations_wanted: occupations(row.occupations_wanted),
            id: row.id,
            name: row.name,
            postcode: row.postcode,
            sectors_wanted: row.sectors_wanted,
            hours_min: row.hours_min,
            hours_max: row.hours_max,
            available_from: row.available_from,
            travel_mode: row.travel_mode,
            max_travel_minutes: row.max_travel_minutes,
            max_travel_km: row.max_travel_km,
            education: row.education,
            dutch_level: row.dutch_level,
            languages: row.languages,
            driving_licence: row.driving_licence,
            limits: row.limits,
            findable_by_employers: row.findable_by_employers,
            coach_id: row.coach_id,
            fictitious: row.fictitious,
            has_account: row.user_id.is_some(),
        }
    }
}
