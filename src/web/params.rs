//! Query strings into typed requests, with one set of rules for the API and
//! the pages: the search parameters, and the options of matches and
//! candidate lists.

use serde::Deserialize;

use crate::codes::{Code, Contract, Cost, DutchLevel, Education, Sector, TrainingKind};
use crate::dates::{date_day_number, today};
use crate::error::AppError;
use crate::geo::{Geo, Point};
use crate::offers::query::{DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS, MAX_RADIUS_KM};
use crate::residents::matches::{self, MatchOptions};
use crate::search::{Filters, Near, OfferKind, SearchRequest, Sort};

/// Query-string parameters, all as text so every mistake gets our own clear
/// message. Unknown parameters are refused rather than silently ignored.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words to search for, in Dutch; typos are corrected. At most 500 characters.
    #[param(max_length = 500, example = "magazijnmedewerker")]
    pub q: Option<String>,
    /// A sector code, such as `logistiek` or `zorg`.
    pub sector: Option<String>,
    /// A contract code (vacancies), such as `vast` or `tijdelijk`.
    pub contract: Option<String>,
    /// A kind of training (trainings), such as `mbo` or `cursus`.
    pub kind: Option<String>,
    /// A cost code (trainings), such as `gratis`.
    pub cost: Option<String>,
    /// Offers of at least this many hours a week.
    #[param(value_type = Option<u32>, maximum = 40)]
    pub hours_min: Option<String>,
    /// Offers of at most this many hours a week.
    #[param(value_type = Option<u32>, maximum = 40)]
    pub hours_max: Option<String>,
    /// Offers that ask at most this education level.
    pub education: Option<String>,
    /// Offers that ask at most this level of Dutch (A1 to C2).
    pub dutch_level: Option<String>,
    /// Only jobs for the banenafspraak (`true`/`false`, also `ja`/`nee`).
    #[param(value_type = Option<bool>)]
    pub banenafspraak: Option<String>,
    /// Only work-and-learn (BBL) places.
    #[param(value_type = Option<bool>)]
    pub bbl: Option<String>,
    /// A wijk to measure the distance from: code or name (see `/api/v1/wijken`).
    #[param(example = "WK051829")]
    pub wijk: Option<String>,
    /// A Den Haag postcode (four digits) to measure the distance from; empty is the same as absent.
    #[param(pattern = "^([0-9]{4})?$", example = "2525")]
    pub postcode: Option<String>,
    /// Latitude of the place to measure from, with `lon`.
    #[param(value_type = Option<f64>, minimum = -90, maximum = 90)]
    pub lat: Option<String>,
    /// Longitude of the place to measure from, with `lat`.
    #[param(value_type = Option<f64>, minimum = -180, maximum = 180)]
    pub lon: Option<String>,
    /// Only offers within this distance of the place, in kilometres (more than 0, at most 100).
    #[param(value_type = Option<f64>, exclusive_minimum = 0, maximum = 100)]
    pub radius_km: Option<String>,
    /// `relevance` (default), `distance` (needs a place) or `newest`.
    #[param(example = "relevance")]
    pub sort: Option<String>,
    /// Hits per page, 0 to 100 (default 20).
    #[param(value_type = Option<u32>, maximum = 100)]
    pub limit: Option<String>,
    /// Hits to skip, at most 10,000.
    #[param(value_type = Option<u32>, maximum = 10000)]
    pub offset: Option<String>,
}

/// The search a query string asks for; every mistake gets its own clear
/// message and a stable code.
pub fn search_request(geo: &Geo, kind: OfferKind, p: &SearchParams) -> Result<SearchRequest, AppError> {
    let text = p.q.clone().unwrap_or_default();
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::bad_request(
            "query_too_long",
            format!("De zoektekst is langer dan {MAX_QUERY_CHARS} tekens. / The query is too long."),
        ));
    }
    let near = location(geo, p)?;
    let sort = match p.sort.as_deref().map(str::trim) {
        None | Some("") | Some("relevance") => Sort::Relevance,
        Some("distance") if near.is_some() => Sort::Distance,
        Some("distance") => {
            return Err(AppError::bad_request(
                "location_required",
                "Sorteren op afstand vraagt een wijk, postcode of lat/lon. / sort=distance needs a location.",
            ));
        }
        Some("newest") => Sort::Newest,
        Some(other) => {
            return Err(AppError::bad_request(
                "invalid_sort",
                format!("Onbekende sortering '{other}'; kies relevance, distance of newest."),
            ));
        }
    };
    let limit =
        number(p.limit.as_deref(), "limit", 0, MAX_LIMIT as u64)?.map_or(DEFAULT_LIMIT, |l| l as usize);
    let offset = number(p.offset.as_deref(), "offset", 0, MAX_OFFSET as u64)?.unwrap_or(0) as usize;
    let filters = Filters {
        kind: kind.ordinal(),
        sector: code::<Sector>(p.sector.as_deref(), "sector")?,
        contract: code::<Contract>(p.contract.as_deref(), "contract")?,
        training_kind: code::<TrainingKind>(p.kind.as_deref(), "kind")?,
        cost: code::<Cost>(p.cost.as_deref(), "cost")?,
        hours_min: number(p.hours_min.as_deref(), "hours_min", 0, 40)?,
        hours_max: number(p.hours_max.as_deref(), "hours_max", 0, 40)?,
        max_education: code::<Education>(p.education.as_deref(), "education")?,
        max_dutch_level: code::<DutchLevel>(p.dutch_level.as_deref(), "dutch_level")?,
        banenafspraak: flag(p.banenafspraak.as_deref(), "banenafspraak")?,
        bbl: flag(p.bbl.as_deref(), "bbl")?,
        today: date_day_number(today()),
    };
    Ok(SearchRequest {
        text,
        filters,
        near,
        sort,
        limit,
        offset,
    })
}

/// A query value, trimmed; an empty one counts as absent.
pub fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

fn code<C: Code>(value: Option<&str>, name: &str) -> Result<Option<u64>, AppError> {
    let Some(value) = present(value) else {
        return Ok(None);
    };
    C::parse(value).map(|c| Some(c.ordinal())).ok_or_else(|| {
        AppError::bad_request(
            "invalid_filter",
            format!("Onbekende waarde '{value}' voor {name}; kies uit: {}.", C::list()),
        )
    })
}

pub fn number(value: Option<&str>, name: &str, min: u64, max: u64) -> Result<Option<u64>, AppError> {
    let Some(value) = present(value) else {
        return Ok(None);
    };
    match value.parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(AppError::bad_request(
            "invalid_number",
            format!(
                "{name} moet een geheel getal van {min} tot {max} zijn. / {name} must be a whole number from {min} to {max}."
            ),
        )),
    }
}

fn decimal(value: Option<&str>, name: &str) -> Result<Option<f64>, AppError> {
    let Some(value) = present(value) else {
        return Ok(None);
    };
    value
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or_else(|| {
            AppError::bad_request(
                "invalid_number",
                format!("{name} moet een getal zijn. / {name} must be a number."),
            )
        })
}

pub fn flag(value: Option<&str>, name: &str) -> Result<Option<bool>, AppError> {
    match present(value) {
        None => Ok(None),
        Some("true" | "1" | "ja") => Ok(Some(true)),
        Some("false" | "0" | "nee") => Ok(Some(false)),
        Some(_) => Err(AppError::bad_request(
            "invalid_flag",
            format!("{name} is true of false. / {name} is true or false."),
        )),
    }
}

/// The point to measure from: a wijk's centroid, a postcode's centre, or an
/// explicit lat/lon; one of them at most.
fn location(geo: &Geo, p: &SearchParams) -> Result<Option<Near>, AppError> {
    let wijk = present(p.wijk.as_deref());
    let postcode = present(p.postcode.as_deref());
    let lat = decimal(p.lat.as_deref(), "lat")?;
    let lon = decimal(p.lon.as_deref(), "lon")?;
    let radius = decimal(p.radius_km.as_deref(), "radius_km")?;
    if let Some(r) = radius
        && !(r > 0.0 && r <= MAX_RADIUS_KM)
    {
        return Err(AppError::bad_request(
            "invalid_radius",
            format!(
                "radius_km moet groter dan 0 en hoogstens {MAX_RADIUS_KM} zijn. / radius_km must be in (0, {MAX_RADIUS_KM}]."
            ),
        ));
    }
    let given = [wijk.is_some(), postcode.is_some(), lat.is_some() || lon.is_some()];
    if given.iter().filter(|g| **g).count() > 1 {
        return Err(AppError::bad_request(
            "ambiguous_location",
            "Geef óf een wijk, óf een postcode, óf lat en lon. / Give one location only.",
        ));
    }
    let point = if let Some(wijk) = wijk {
        let found = geo.find_wijk(wijk).ok_or_else(|| {
            AppError::bad_request(
                "unknown_wijk",
                format!("Onbekende wijk '{wijk}'; zie /api/v1/wijken. / Unknown wijk."),
            )
        })?;
        Some(found.centroid())
    } else if let Some(pc) = postcode {
        if !(pc.len() == 4 && pc.chars().all(|c| c.is_ascii_digit())) {
            return Err(AppError::bad_request(
                "invalid_postcode",
                "Een postcode hier is 4 cijfers, zoals 2525. / A postcode is 4 digits.",
            ));
        }
        let found = geo.find_postcode(pc).ok_or_else(|| {
            AppError::bad_request(
                "unknown_postcode",
                format!("Postcode {pc} ligt niet in Den Haag. / Postcode not in Den Haag."),
            )
        })?;
        Some(Point {
            lat: found.lat,
            lon: found.lon,
        })
    } else {
        match (lat, lon) {
            (None, None) => None,
            (Some(lat), Some(lon)) => Some(Point::new(lat, lon).ok_or_else(|| {
                AppError::bad_request(
                    "invalid_coordinates",
                    "lat/lon liggen buiten de wereld. / Invalid coordinates.",
                )
            })?),
            _ => {
                return Err(AppError::bad_request(
                    "invalid_coordinates",
                    "Geef lat en lon samen. / Give lat and lon together.",
                ));
            }
        }
    };
    match (point, radius) {
        (None, Some(_)) => Err(AppError::bad_request(
            "location_required",
            "radius_km vraagt een wijk, postcode of lat/lon. / radius_km needs a location.",
        )),
        (None, None) => Ok(None),
        (Some(point), radius_km) => Ok(Some(Near { point, radius_km })),
    }
}

/// The query string of matches and candidate lists.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MatchParams {
    /// How many, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// Matches only: also show jobs that ask a little more (`true`/`false`).
    #[param(value_type = Option<bool>)]
    pub relaxed: Option<String>,
}

impl MatchParams {
    pub fn match_options(&self) -> Result<MatchOptions, AppError> {
        Ok(MatchOptions {
            limit: self.limit()?,
            relaxed: flag(self.relaxed.as_deref(), "relaxed")?.unwrap_or(false),
        })
    }

    /// A candidate list has a length but no relaxed mode.
    pub fn candidate_limit(&self) -> Result<usize, AppError> {
        if self.relaxed.is_some() {
            return Err(AppError::bad_request(
                "invalid_query",
                "relaxed geldt alleen voor matches. / relaxed applies to matches only.",
            ));
        }
        self.limit()
    }

    fn limit(&self) -> Result<usize, AppError> {
        let max = matches::MAX_LIMIT as u64;
        match number(self.limit.as_deref(), "limit", 1, max)? {
            Some(n) => Ok(n as usize),
            None => Ok(matches::DEFAULT_LIMIT),
        }
    }
}
