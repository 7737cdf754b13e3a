//! A vacancy: the body an employer sends, its checks, and what readers get.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{Offer, parse_ordinal, sent};
use crate::auth::Role;
use crate::codes::{Code, Contract, DutchLevel, Education, SalaryPeriod, Sector};
use crate::dates::{day_number, today};
use crate::error::AppError;
use crate::geo::Point;
use crate::matching::OfferFacts;
use crate::matching::open::{OpenOffers, OpenTable, OpenVacancy};
use crate::reference::{Context, SkillInput, SkillRef, WijkInput, WijkRef};
use crate::search::{OfferDoc, OfferKind};
use crate::skills::{Taxonomy, fold};
use crate::storage::VacancyRow;
use crate::validate::{Checker, Reach};

/// Below this many hours a job counts as part-time.
const FULL_TIME_HOURS: i64 = 32;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({
    "title": "Orderpicker in het magazijn",
    "description": "Je verzamelt bestellingen met een scanner in ons magazijn op het Forepark.",
    "sector": "logistiek",
    "contract": "tijdelijk",
    "hours_min": 24,
    "hours_max": 36,
    "education": "geen",
    "dutch_level": "A2",
    "salary_min": 14.5,
    "salary_max": 16.0,
    "salary_period": "uur",
    "wijk": "Schildersbuurt",
    "apply": "Vraag naar Fatima.",
    "apply_email": "werk@voorbeeld.example",
    "skills_required": ["heftruck rijden"],
    "skills_optional": ["orderpicken"]
})))]
pub struct VacancyInput {
    /// Only an admin names the organisation; an employer posts for its own.
    #[serde(default)]
    pub organisation_id: Option<String>,
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub occupation_uri: Option<String>,
    pub sector: String,
    pub contract: String,
    pub hours_min: i64,
    pub hours_max: i64,
    pub education: String,
    pub dutch_level: String,
    #[serde(default)]
    pub salary_min: Option<f64>,
    #[serde(default)]
    pub salary_max: Option<f64>,
    #[serde(default)]
    pub salary_period: Option<String>,
    /// A wijk code or name, or the `wijk` object a GET returned.
    pub wijk: WijkInput,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub closes_on: Option<String>,
    #[serde(default)]
    pub bbl: bool,
    #[serde(default)]
    pub banenafspraak: bool,
    /// Extra instructions, beside the ways to apply.
    #[serde(default)]
    pub apply: String,
    #[serde(default)]
    pub apply_url: Option<String>,
    #[serde(default)]
    pub apply_email: Option<String>,
    #[serde(default)]
    pub apply_phone: Option<String>,
    /// Skill ids or names, or the objects a GET returned.
    #[serde(default)]
    pub skills_required: Vec<SkillInput>,
    #[serde(default)]
    pub skills_optional: Vec<SkillInput>,
    // What Banenlift sets itself, so that what a GET returned can be sent
    // back: each is accepted when it equals the stored value.
    /// Read-only: accepted when unchanged.
    #[serde(default)]
    pub id: Option<String>,
    /// Read-only: accepted when unchanged.
    #[serde(default)]
    pub employer: Option<String>,
    /// Read-only (follows from `hours_min`): accepted when unchanged.
    #[serde(default)]
    pub parttime: Option<bool>,
    /// Read-only: accepted when unchanged.
    #[serde(default)]
    pub posted_on: Option<String>,
    /// Read-only (`DELETE` closes): accepted when unchanged.
    #[serde(default)]
    pub status: Option<String>,
    /// Read-only: accepted when unchanged.
    #[serde(default)]
    pub fictitious: Option<bool>,
}

impl VacancyInput {
    /// Checks every field and builds the row to store.
    pub fn into_row(
        self,
        ctx: &Context<'_>,
        id: String,
        organisation_id: String,
        posted_on: String,
    ) -> Result<VacancyRow, AppError> {
        let mut check = Checker::default();
        let title = check.text("title", &self.title, 3, 120);
        let description = check.multiline("description", &self.description, 20, 5000);
        let apply = check.multiline("apply", &self.apply, 0, 1000);
        let reach = super::ways_to_reach(
            &mut check,
            "apply",
            Reach {
                url: self.apply_url.clone(),
                email: self.apply_email.clone(),
                phone: self.apply_phone.clone(),
            },
            "Geef minstens één manier om te solliciteren: een link, een e-mailadres of een telefoonnummer. / Give at least one way to apply.",
        );
        let sector = check.code::<Sector>("sector", &self.sector);
        let contract = check.code::<Contract>("contract", &self.contract);
        let education = check.code::<Education>("education", &self.education);
        let dutch_level = check.code::<DutchLevel>("dutch_level", &self.dutch_level);
        check.hours(self.hours_min, self.hours_max, 40);
        let salary_period = self.check_salary(&mut check);
        let closes_on = check.date("closes_on", self.closes_on.as_deref(), today());
        if closes_on.as_deref().is_some_and(|c| c < posted_on.as_str()) {
            check.fail(
                "closes_on",
                "De sluitdatum ligt in het verleden. / The closing date has passed.",
            );
        }
        let required = check.skills("skills_required", &self.skills_required, ctx.vocabulary);
        let optional = check.skills("skills_optional", &self.skills_optional, ctx.vocabulary);
        if optional.iter().any(|s| required.contains(s)) {
            check.fail(
                "skills_optional",
                "Een vaardigheid is vereist óf een pré. / A skill is required or optional, not both.",
            );
        }
        let location = check.location(ctx.geo, self.wijk.code(), self.lat, self.lon);
        check.finish()?;
        let (Some(sector), Some(contract), Some(education), Some(dutch_level), Some(location)) =
            (sector, contract, education, dutch_level, location)
        else {
            return Err(super::missing_after_check());
        };
        Ok(VacancyRow {
            id,
            organisation_id,
            organisation_name: String::new(),
            organisation_alliance: false,
            title,
            description,
            occupation_uri: self.occupation_uri.filter(|u| !u.trim().is_empty()),
            sector: sector.code().into(),
            contract: contract.code().into(),
            hours_min: self.hours_min,
            hours_max: self.hours_max,
            education: education.code().into(),
            dutch_level: dutch_level.code().into(),
            salary_min: self.salary_min,
            salary_max: self.salary_max,
            salary_period: salary_period.map(|p| p.code().into()),
            lat: location.point.lat,
            lon: location.point.lon,
            wijk_code: location.wijk_code,
            posted_on,
            closes_on,
            bbl: self.bbl,
            banenafspraak: self.banenafspraak,
            parttime: self.hours_min < FULL_TIME_HOURS,
            apply,
            apply_url: reach.url,
            apply_email: reach.email,
            apply_phone: reach.phone,
            status: "open".into(),
            fictitious: false,
            skills_required: required,
            skills_optional: optional,
        })
    }

    fn check_salary(&self, check: &mut Checker) -> Option<SalaryPeriod> {
        let given = self.salary_min.is_some() || self.salary_max.is_some();
        let period = self
            .salary_period
            .as_deref()
            .and_then(|p| check.code::<SalaryPeriod>("salary_period", p));
        if !given {
            return period;
        }
        let valid = |v: Option<f64>| v.is_none_or(|v| v.is_finite() && (0.0..=1_000_000.0).contains(&v));
        let ordered = match (self.salary_min, self.salary_max) {
            (Some(min), Some(max)) => min <= max,
            _ => true,
        };
        if !valid(self.salary_min) || !valid(self.salary_max) || !ordered {
            check.fail(
                "salary_min",
                "Het salaris klopt niet: het begint bij 0 en het minimum is niet hoger dan het maximum. / The salary is out of range.",
            );
        }
        if self.salary_period.is_none() {
            check.fail(
                "salary_period",
                "Zeg of het salaris per uur, maand of jaar is. / Give the salary period.",
            );
        }
        period
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VacancyView {
    pub id: String,
    pub title: String,
    pub description: String,
    pub employer: String,
    pub organisation_id: String,
    pub occupation_uri: Option<String>,
    pub sector: String,
    pub contract: String,
    pub hours_min: i64,
    pub hours_max: i64,
    pub parttime: bool,
    pub education: String,
    pub dutch_level: String,
    pub salary_min: Option<f64>,
    pub salary_max: Option<f64>,
    pub salary_period: Option<String>,
    pub wijk: WijkRef,
    pub lat: f64,
    pub lon: f64,
    pub posted_on: String,
    pub closes_on: Option<String>,
    pub bbl: bool,
    pub banenafspraak: bool,
    pub apply: String,
    pub apply_url: Option<String>,
    pub apply_email: Option<String>,
    pub apply_phone: Option<String>,
    pub status: String,
    pub fictitious: bool,
    pub skills_required: Vec<SkillRef>,
    pub skills_optional: Vec<SkillRef>,
}

impl VacancyView {
    pub fn new(row: VacancyRow, ctx: &Context<'_>) -> Self {
        Self {
            wijk: WijkRef::new(&row.wijk_code, ctx.geo),
            skills_required: SkillRef::list(&row.skills_required, ctx.vocabulary),
            skills_optional: SkillRef::list(&row.skills_optional, ctx.vocabulary),
            id: row.id,
            title: row.title,
            description: row.description,
            employer: row.organisation_name,
            organisation_id: row.organisation_id,
            occupation_uri: row.occupation_uri,
            sector: row.sector,
            contract: row.contract,
            hours_min: row.hours_min,
            hours_max: row.hours_max,
            parttime: row.parttime,
            education: row.education,
            dutch_level: row.dutch_level,
            salary_min: row.salary_min,
            salary_max: row.salary_max,
            salary_period: row.salary_period,
            lat: row.lat,
            lon: row.lon,
            posted_on: row.posted_on,
            closes_on: row.closes_on,
            bbl: row.bbl,
            banenafspraak: row.banenafspraak,
            apply: row.apply,
            apply_url: row.apply_url,
            apply_email: row.apply_email,
            apply_phone: row.apply_phone,
            status: row.status,
            fictitious: row.fictitious,
        }
    }
}

impl Offer for VacancyRow {
    type Input = VacancyInput;
    type View = VacancyView;
    type Open = OpenVacancy;
    const OWNER: Role = Role::Employer;
    const ID_PREFIX: &'static str = "vac";
    const MOVED: &'static str =
        "Een vacature verhuist niet naar een andere organisatie. / An offer cannot change organisation.";

    fn organisation_id(&self) -> &str {
        &self.organisation_id
    }

    fn set_open(&mut self, open: bool) {
        self.status = if open { "open" } else { "closed" }.into();
    }

    fn named_organisation(input: &VacancyInput) -> Option<&String> {
        input.organisation_id.as_ref()
    }

    fn occupations(input: &VacancyInput) -> &[String] {
        input.occupation_uri.as_slice()
    }

    fn read_only(input: &VacancyInput) -> Vec<(&'static str, serde_json::Value)> {
        [
            sent("id", &input.id),
            sent("employer", &input.employer),
            sent("parttime", &input.parttime),
            sent("posted_on", &input.posted_on),
            sent("status", &input.status),
            sent("fictitious", &input.fictitious),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    fn from_input(
        input: VacancyInput,
        ctx: &Context<'_>,
        id: String,
        organisation_id: String,
        current: Option<&Self>,
    ) -> Result<Self, AppError> {
        let posted_on = current.map_or_else(|| today().to_string(), |c| c.posted_on.clone());
        let mut row = input.into_row(ctx, id, organisation_id, posted_on)?;
        if let Some(current) = current {
            row.fictitious = current.fictitious;
            row.status.clone_from(&current.status);
        }
        Ok(row)
    }

    fn view(self, ctx: &Context<'_>) -> VacancyView {
        VacancyView::new(self, ctx)
    }

    fn doc(&self, ctx: &Context<'_>) -> Option<OfferDoc> {
        vacancy_doc(self, ctx)
    }

    fn open_entry(&self, ctx: &Context<'_>) -> OpenVacancy {
        open_vacancy(self, ctx.taxonomy, false)
    }

    fn table(open: &OpenOffers) -> &OpenTable<OpenVacancy> {
        &open.vacancies
    }
}

/// An employer listing fewer skills than this gets the occupation's
/// essential skills filled in as "expected".
const FEW_SKILLS: usize = 3;

/// What the scorer needs of a vacancy. Its folded text is only built when
/// free-text skills will be looked for in it.
fn vacancy_facts(v: &VacancyRow, taxonomy: &Taxonomy, with_text: bool) -> OfferFacts {
    let listed: HashSet<&String> = v.skills_required.iter().chain(&v.skills_optional).collect();
    let expected = match v.occupation_uri.as_deref().and_then(|u| taxonomy.get(u)) {
        Some(occupation) if listed.len() < FEW_SKILLS => occupation
            .essential
            .iter()
            .filter(|s| !listed.contains(s))
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    OfferFacts {
        point: Point {
            lat: v.lat,
            lon: v.lon,
        },
        wijk_code: v.wijk_code.clone(),
        required: v.skills_required.clone(),
        optional: v.skills_optional.clone(),
        expected,
        text: if with_text {
            vacancy_text(&v.title, &v.description)
        } else {
            String::new()
        },
        sector: v.sector.clone(),
        occupation_uri: v.occupation_uri.clone(),
        hours: (v.hours_min, v.hours_max),
        education: Education::parse(&v.education).unwrap_or(Education::Geen),
        dutch_level: DutchLevel::parse(&v.dutch_level).unwrap_or(DutchLevel::A1),
        closes_day: v.closes_on.as_deref().and_then(day_number),
        alliance: v.organisation_alliance,
    }
}

/// The folded title and description, where free-text skills are looked for.
pub fn vacancy_text(title: &str, description: &str) -> String {
    fold(&format!("{title} {description}"))
}

/// A vacancy as the matching table and a match's reasons read it.
pub fn open_vacancy(v: &VacancyRow, taxonomy: &Taxonomy, with_text: bool) -> OpenVacancy {
    OpenVacancy {
        id: v.id.clone(),
        title: v.title.clone(),
        employer: v.organisation_name.clone(),
        facts: vacancy_facts(v, taxonomy, with_text),
    }
}

/// The searchable view of an open vacancy; `None` once it is closed.
fn vacancy_doc(row: &VacancyRow, ctx: &Context<'_>) -> Option<OfferDoc> {
    if row.status != "open" {
        return None;
    }
    let wijk = ctx.geo.find_wijk(&row.wijk_code)?;
    let skills = row.skills_required.iter().chain(&row.skills_optional);
    Some(OfferDoc {
        kind: OfferKind::Vacancy,
        id: row.id.clone(),
        title: row.title.clone(),
        description: row.description.clone(),
        organisation: row.organisation_name.clone(),
        skill_ids: skills.cloned().collect(),
        sector: parse_ordinal::<Sector>(&row.sector),
        contract: parse_ordinal::<Contract>(&row.contract),
        education: parse_ordinal::<Education>(&row.education),
        dutch_level: parse_ordinal::<DutchLevel>(&row.dutch_level).unwrap_or(0),
        training_kind: None,
        cost: None,
        hours_min: row.hours_min.max(0) as u64,
        hours_max: row.hours_max.max(0) as u64,
        bbl: row.bbl,
        banenafspraak: row.banenafspraak,
        wijk: ctx.geo.wijk_ordinal(&wijk.code)?,
        stadsdeel: crate::geo::stadsdeel_ordinal(&wijk.stadsdeel)?,
        lat: row.lat,
        lon: row.lon,
        posted_day: day_number(&row.posted_on).unwrap_or(0),
        closes_day: row.closes_on.as_deref().and_then(day_number).unwrap_or(i64::MAX),
    })
}
