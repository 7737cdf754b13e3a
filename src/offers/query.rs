//! The public search: query-string parameters in, a page of hits with
//! facets out.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::codes::{Code, Contract, Cost, DutchLevel, Education, Sector, TrainingKind};
use crate::dates::{date_day_number, today};
use crate::error::AppError;
use crate::geo::{Point, STADSDELEN};
use crate::search::{Correction, FacetCounts, Filters, Near, OfferKind, SearchRequest, SearchResults, Sort};
use crate::services::Services;

pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;
/// Deep pages cost a heap of offset + limit; nobody reads past this.
pub const MAX_OFFSET: usize = 10_000;
pub const MAX_QUERY_CHARS: usize = 500;
pub const MAX_RADIUS_KM: f64 = 100.0;

/// Query-string parameters, all as text so every mistake gets our own clear
/// message. Unknown parameters are refused rather than silently ignored.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    pub q: Option<String>,
    pub sector: Option<String>,
    pub contract: Option<String>,
    pub kind: Option<String>,
    pub cost: Option<String>,
    pub hours_min: Option<String>,
    pub hours_max: Option<String>,
    pub education: Option<String>,
    pub dutch_level: Option<String>,
    pub banenafspraak: Option<String>,
    pub bbl: Option<String>,
    pub wijk: Option<String>,
    pub postcode: Option<String>,
    pub lat: Option<String>,
    pub lon: Option<String>,
    pub radius_km: Option<String>,
    pub sort: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SearchResponse {
    pub total: u64,
    pub limit: usize,
    pub offset: usize,
    pub hits: Vec<Hit>,
    pub facets: BTreeMap<&'static str, BTreeMap<String, u64>>,
    /// Words that were not in the index and what was searched instead.
    pub corrections: Vec<Correction>,
    pub corrected_query: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    /// The employer of a vacancy or the provider of a training.
    pub employer: String,
    pub wijk: String,
    pub wijk_name: String,
    pub hours_min: u64,
    pub hours_max: u64,
    pub education: Option<&'static str>,
    pub score: f32,
    /// HTML: the description's best fragment, matched words in `<b>`.
    pub snippet: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
}

pub async fn search(
    svc: &Services,
    kind: OfferKind,
    params: SearchParams,
) -> Result<SearchResponse, AppError> {
    let request = to_request(svc, kind, &params)?;
    let index = svc.search.clone();
    let task_request = request.clone();
    let results = tokio::task::spawn_blocking(move || index.search(&task_request))
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    Ok(to_response(svc, kind, &request, results))
}

pub fn to_request(svc: &Services, kind: OfferKind, p: &SearchParams) -> Result<SearchRequest, AppError> {
    let text = p.q.clone().unwrap_or_default();
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::bad_request(
            "query_too_long",
            format!("De zoektekst is langer dan {MAX_QUERY_CHARS} tekens. / The query is too long."),
        ));
    }
    let near = location(svc, p)?;
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

fn present(value: Option<&str>) -> Option<&str> {
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

fn number(value: Option<&str>, name: &str, min: u64, max: u64) -> Result<Option<u64>, AppError> {
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

fn flag(value: Option<&str>, name: &str) -> Result<Option<bool>, AppError> {
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
fn location(svc: &Services, p: &SearchParams) -> Result<Option<Near>, AppError> {
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
        let found = svc.geo.find_wijk(wijk).ok_or_else(|| {
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
        let found = svc.geo.find_postcode(pc).ok_or_else(|| {
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

fn to_response(
    svc: &Services,
    kind: OfferKind,
    request: &SearchRequest,
    results: SearchResults,
) -> SearchResponse {
    let corrected_query = (!results.corrections.is_empty()).then(|| {
        let mut text = request.text.to_lowercase();
        for c in &results.corrections {
            text = text.replace(&c.from, &c.to);
        }
        text
    });
    let hits = results
        .hits
        .into_iter()
        .map(|h| {
            let wijk = svc.geo.wijk_by_ordinal(h.wijk);
            Hit {
                id: h.id,
                title: h.title,
                employer: h.organisation,
                wijk: wijk.map(|w| w.code.clone()).unwrap_or_default(),
                wijk_name: wijk.map(|w| w.name.clone()).unwrap_or_default(),
                hours_min: h.hours_min,
                hours_max: h.hours_max,
                education: Education::from_ordinal(h.education).map(Code::code),
                score: h.score,
                snippet: h.snippet,
                distance_km: h.distance_km.map(|d| (d * 100.0).round() / 100.0),
            }
        })
        .collect();
    SearchResponse {
        total: results.total,
        limit: request.limit,
        offset: request.offset,
        hits,
        facets: facets(kind, &results.facets),
        corrections: results.corrections,
        corrected_query,
    }
}

fn facets(kind: OfferKind, counts: &FacetCounts) -> BTreeMap<&'static str, BTreeMap<String, u64>> {
    let mut out = BTreeMap::new();
    out.insert("sector", named::<Sector>(&counts.sector));
    out.insert("education", named::<Education>(&counts.education));
    out.insert("stadsdeel", by_position(&counts.stadsdeel, &STADSDELEN));
    match kind {
        OfferKind::Vacancy => {
            out.insert("contract", named::<Contract>(&counts.contract));
        }
        OfferKind::Training => {
            out.insert("kind", named::<TrainingKind>(&counts.training_kind));
            out.insert("cost", named::<Cost>(&counts.cost));
        }
    }
    out
}

fn named<C: Code>(counts: &[u64]) -> BTreeMap<String, u64> {
    let names: Vec<&str> = C::ALL.iter().map(|c| c.code()).collect();
    by_position(counts, &names)
}

fn by_position(counts: &[u64], names: &[&str]) -> BTreeMap<String, u64> {
    counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .filter_map(|(i, n)| Some((names.get(i)?.to_string(), *n)))
        .collect()
}
