//! A training offer: the body a provider sends, its checks, and what readers
//! get.

use serde::{Deserialize, Serialize};

use super::{Offer, missing_after_check, parse_ordinal, sent};
use crate::auth::Role;
use crate::codes::{Code, Cost, DutchLevel, Education, Sector, TrainingKind};
use crate::dates::{day_number, today};
use crate::error::AppError;
use crate::geo::Point;
use crate::matching::open::{OpenOffers, OpenTable, OpenTraining};
use crate::reference::{Context, SkillInput, SkillRef, WijkInput, WijkRef};
use crate::search::{OfferDoc, OfferKind};
use crate::storage::TrainingRow;
use crate::validate::{Checker, Reach};

const MAX_LANGUAGES: usize = 8;
const MAX_START_DATES: usize = 24;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({
    "title": "Cursus veilig werken met een pompwagen",
    "description": "In twee dagen leer je veilig werken met een pompwagen en pallets in een magazijn.",
    "kind": "cursus",
    "duration_weeks": 1,
    "hours_per_week": 16,
    "cost": "gratis",
    "wijk": "WK051838",
    "languages": ["nl", "en"],
    "dutch_level": "A2",
    "signup_url": "https://opleider.example/aanmelden",
    "skills": ["pompwagen"]
})))]
pub struct TrainingInput {
    /// Only an admin names the organisation; a provider posts for its own.
    #[serde(default)]
    pub organisation_id: Option<String>,
    pub title: String,
    pub description: String,
    pub kind: String,
    #[serde(default)]
    pub crebo: Option<String>,
    /// The MBO level a course leads to (`mbo1`…`mbo4`); none for short courses.
    #[serde(default)]
    pub level: Option<String>,
    pub duration_weeks: i64,
    pub hours_per_week: i64,
    pub cost: String,
    #[serde(default)]
    pub price_eur: Option<f64>,
    /// A wijk code or name, or the `wijk` object a GET returned.
    pub wijk: WijkInput,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub languages: Vec<String>,
    pub dutch_level: String,
    #[serde(default)]
    pub bbl: bool,
    #[serde(default)]
    pub starts_on: Option<String>,
    /// More start dates; with `starts_on`, the earliest is the next start.
    #[serde(default)]
    pub start_dates: Vec<String>,
    /// Extra instructions, beside the ways to sign up.
    #[serde(default)]
    pub signup: String,
    #[serde(default)]
    pub signup_url: Option<String>,
    #[serde(default)]
    pub signup_email: Option<String>,
    #[serde(default)]
    pub signup_phone: Option<String>,
    /// Skill ids or names, or the objects a GET returned.
    #[serde(default)]
    pub skills: Vec<SkillInput>,
    #[serde(default)]
    pub occupations: Vec<String>,
    // What Banenlift sets itself, so that what a GET returned can be sent
    // back: each is accepted when it equals the stored value.
    /// Read-only: accepted when unchanged.
    #[serde(default)]
    pub id: Option<String>,
    /// Read-only: accepted when unchanged.
    #[serde(default)]
    pub provider: Option<String>,
    /// Read-only (follows from the occupations): accepted when unchanged.
    #[serde(default)]
    pub sector: Option<String>,
    /// Read-only (`DELETE` closes): accepted when unchanged.
    #[serde(default)]
    pub status: Option<String>,
    /// Read-only: accepted when unchanged.
    #[serde(default)]
    pub fictitious: Option<bool>,
}

impl TrainingInput {
    pub fn into_row(
        self,
        ctx: &Context<'_>,
        id: String,
        organisation_id: String,
    ) -> Result<TrainingRow, AppError> {
        let mut check = Checker::default();
        let title = check.text("title", &self.title, 3, 120);
        let description = check.multiline("description", &self.description, 20, 5000);
        let kind = check.code::<TrainingKind>("kind", &self.kind);
        let cost = check.code::<Cost>("cost", &self.cost);
        let dutch_level = check.code::<DutchLevel>("dutch_level", &self.dutch_level);
        let level = self
            .level
            .as_deref()
            .and_then(|l| check.code::<Education>("level", l));
        if !(1..=260).contains(&self.duration_weeks) {
            check.fail(
                "duration_weeks",
                "Duur: 1 tot 260 weken. / Duration: 1 to 260 weeks.",
            );
        }
        check.hours(0, self.hours_per_week, 40);
        if let Some(crebo) = &self.crebo
            && !(crebo.len() == 5 && crebo.chars().all(|c| c.is_ascii_digit()))
        {
            check.fail(
                "crebo",
                "Een crebocode heeft 5 cijfers. / A crebo code has 5 digits.",
            );
        }
        self.check_price(&mut check, cost);
        let languages = self.check_languages(&mut check);
        let mut dates = self.check_start_dates(&mut check).into_iter();
        let starts_on = dates.next();
        let signup = check.multiline("signup", &self.signup, 0, 1000);
        let reach = super::ways_to_reach(
            &mut check,
            "signup",
            Reach {
                url: self.signup_url.clone(),
                email: self.signup_email.clone(),
                phone: self.signup_phone.clone(),
            },
            "Geef minstens één manier om je aan te melden: een link, een e-mailadres of een telefoonnummer. / Give at least one way to sign up.",
        );
        let skills = check.skills("skills", &self.skills, ctx.vocabulary);
        let location = check.location(ctx.geo, self.wijk.code(), self.lat, self.lon);
        check.finish()?;
        let (Some(kind), Some(cost), Some(dutch_level), Some(location)) = (kind, cost, dutch_level, location)
        else {
            return Err(missing_after_check());
        };
        Ok(TrainingRow {
            id,
            organisation_id,
            organisation_name: String::new(),
            title,
            description,
            kind: kind.code().into(),
            crebo: self.crebo,
            level: level.map(|l| l.code().into()),
            duration_weeks: self.duration_weeks,
            hours_per_week: self.hours_per_week,
            cost: cost.code().into(),
            price_eur: self.price_eur,
            lat: location.point.lat,
            lon: location.point.lon,
            wijk_code: location.wijk_code,
            languages,
            dutch_level: dutch_level.code().into(),
            bbl: self.bbl,
            starts_on,
            start_dates: dates.collect(),
            signup,
            signup_url: reach.url,
            signup_email: reach.email,
            signup_phone: reach.phone,
            status: "open".into(),
            fictitious: false,
            skills,
            occupations: self.occupations,
            sector: None,
        })
    }

    fn check_price(&self, check: &mut Checker, cost: Option<Cost>) {
        match (cost, self.price_eur) {
            (Some(Cost::Gratis), Some(p)) if p != 0.0 => check.fail(
                "price_eur",
                "Een gratis opleiding heeft geen prijs. / A free course has no price.",
            ),
            (_, Some(p)) if !(p.is_finite() && (0.0..=100_000.0).contains(&p)) => {
                check.fail("price_eur", "Prijs: 0 tot 100.000 euro. / Price out of range.")
            }
            _ => {}
        }
    }

    /// Every start date checked, in order, once each. A GET returns the
    /// first date in both `starts_on` and `start_dates`, so the limit counts
    /// each date once.
    fn check_start_dates(&self, check: &mut Checker) -> Vec<String> {
        let mut dates: Vec<String> = self
            .starts_on
            .iter()
            .map(|d| ("starts_on", d))
            .chain(self.start_dates.iter().map(|d| ("start_dates", d)))
            .filter_map(|(field, d)| check.date(field, Some(d), today()))
            .collect();
        dates.sort();
        dates.dedup();
        if dates.len() > MAX_START_DATES {
            check.fail(
                "start_dates",
                format!(
                    "Geef hoogstens {MAX_START_DATES} startdata. / At most {MAX_START_DATES} start dates."
                ),
            );
        }
        dates
    }

    /// ISO 639-1 codes such as `nl`, `en`, `ar`; Dutch when none are given.
    fn check_languages(&self, check: &mut Checker) -> Vec<String> {
        let valid = |l: &String| l.len() == 2 && l.chars().all(|c| c.is_ascii_lowercase());
        if self.languages.len() > MAX_LANGUAGES || !self.languages.iter().all(valid) {
            check.fail(
                "languages",
                "Gebruik taalcodes als \"nl\", \"en\", \"ar\". / Use ISO 639-1 codes.",
            );
        }
        if self.languages.is_empty() {
            vec!["nl".to_string()]
        } else {
            self.languages.clone()
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrainingView {
    pub id: String,
    pub title: String,
    pub description: String,
    pub provider: String,
    pub organisation_id: String,
    pub kind: String,
    pub crebo: Option<String>,
    pub level: Option<String>,
    pub sector: Option<String>,
    pub duration_weeks: i64,
    pub hours_per_week: i64,
    pub cost: String,
    pub price_eur: Option<f64>,
    pub wijk: WijkRef,
    pub lat: f64,
    pub lon: f64,
    pub languages: Vec<String>,
    pub dutch_level: String,
    pub bbl: bool,
    pub starts_on: Option<String>,
    /// Every start date, the next one (`starts_on`) first.
    pub start_dates: Vec<String>,
    pub signup: String,
    pub signup_url: Option<String>,
    pub signup_email: Option<String>,
    pub signup_phone: Option<String>,
    pub status: String,
    pub fictitious: bool,
    pub skills: Vec<SkillRef>,
    pub occupations: Vec<String>,
}

impl TrainingView {
    pub fn new(row: TrainingRow, ctx: &Context<'_>) -> Self {
        Self {
            wijk: WijkRef::new(&row.wijk_code, ctx.geo),
            skills: SkillRef::list(&row.skills, ctx.vocabulary),
            id: row.id,
            title: row.title,
            description: row.description,
            provider: row.organisation_name,
            organisation_id: row.organisation_id,
            kind: row.kind,
            crebo: row.crebo,
            level: row.level,
            sector: row.sector,
            duration_weeks: row.duration_weeks,
            hours_per_week: row.hours_per_week,
            cost: row.cost,
            price_eur: row.price_eur,
            lat: row.lat,
            lon: row.lon,
            languages: row.languages,
            dutch_level: row.dutch_level,
            bbl: row.bbl,
            start_dates: row.starts_on.iter().chain(&row.start_dates).cloned().collect(),
            starts_on: row.starts_on,
            signup: row.signup,
            signup_url: row.signup_url,
            signup_email: row.signup_email,
            signup_phone: row.signup_phone,
            status: row.status,
            fictitious: row.fictitious,
            occupations: row.occupations,
        }
    }
}

impl Offer for TrainingRow {
    type Input = TrainingInput;
    type View = TrainingView;
    type Open = OpenTraining;
    const OWNER: Role = Role::Provider;
    const ID_PREFIX: &'static str = "trn";
    const MOVED: &'static str =
        "Een opleiding verhuist niet naar een andere organisatie. / An offer cannot change organisation.";

    fn organisation_id(&self) -> &str {
        &self.organisation_id
    }

    fn set_open(&mut self, open: bool) {
        self.status = if open { "open" } else { "closed" }.into();
    }

    fn named_organisation(input: &TrainingInput) -> Option<&String> {
        input.organisation_id.as_ref()
    }

    fn occupations(input: &TrainingInput) -> &[String] {
        &input.occupations
    }

    fn read_only(input: &TrainingInput) -> Vec<(&'static str, serde_json::Value)> {
        [
            sent("id", &input.id),
            sent("provider", &input.provider),
            sent("sector", &input.sector),
            sent("status", &input.status),
            sent("fictitious", &input.fictitious),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    fn from_input(
        input: TrainingInput,
        ctx: &Context<'_>,
        id: String,
        organisation_id: String,
        current: Option<&Self>,
    ) -> Result<Self, AppError> {
        let mut row = input.into_row(ctx, id, organisation_id)?;
        if let Some(current) = current {
            row.fictitious = current.fictitious;
            row.status.clone_from(&current.status);
        }
        Ok(row)
    }

    fn view(self, ctx: &Context<'_>) -> TrainingView {
        TrainingView::new(self, ctx)
    }

    fn doc(&self, ctx: &Context<'_>) -> Option<OfferDoc> {
        training_doc(self, ctx)
    }

    fn open_entry(&self, _: &Context<'_>) -> OpenTraining {
        OpenTraining {
            id: self.id.clone(),
            title: self.title.clone(),
            provider: self.organisation_name.clone(),
            wijk_code: self.wijk_code.clone(),
            point: Point {
                lat: self.lat,
                lon: self.lon,
            },
            skills: self.skills.clone(),
            duration_weeks: self.duration_weeks,
            cost: self.cost.clone(),
        }
    }

    fn table(open: &OpenOffers) -> &OpenTable<OpenTraining> {
        &open.trainings
    }
}

/// The searchable view of an open training; `None` once it is closed.
fn training_doc(row: &TrainingRow, ctx: &Context<'_>) -> Option<OfferDoc> {
    if row.status != "open" {
        return None;
    }
    let wijk = ctx.geo.find_wijk(&row.wijk_code)?;
    let hours = row.hours_per_week.max(0) as u64;
    Some(OfferDoc {
        kind: OfferKind::Training,
        id: row.id.clone(),
        title: row.title.clone(),
        description: row.description.clone(),
        organisation: row.organisation_name.clone(),
        skill_ids: row.skills.clone(),
        sector: row.sector.as_deref().and_then(parse_ordinal::<Sector>),
        contract: None,
        education: Some(
            row.level
                .as_deref()
                .and_then(parse_ordinal::<Education>)
                .unwrap_or(0),
        ),
        dutch_level: parse_ordinal::<DutchLevel>(&row.dutch_level).unwrap_or(0),
        training_kind: parse_ordinal::<TrainingKind>(&row.kind),
        cost: parse_ordinal::<Cost>(&row.cost),
        hours_min: hours,
        hours_max: hours,
        bbl: row.bbl,
        banenafspraak: false,
        wijk: ctx.geo.wijk_ordinal(&wijk.code)?,
        stadsdeel: crate::geo::stadsdeel_ordinal(&wijk.stadsdeel)?,
        lat: row.lat,
        lon: row.lon,
        posted_day: row.starts_on.as_deref().and_then(day_number).unwrap_or(0),
        closes_day: i64::MAX,
    })
}
