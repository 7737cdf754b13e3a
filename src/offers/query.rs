//! The public search of offers: a parsed request in (see `web::params` for
//! the query string), a page of hits with facets out.

use serde::Serialize;
use std::collections::BTreeMap;

use crate::codes::{Code, Contract, Cost, Education, Sector, TrainingKind};
use crate::error::AppError;
use crate::geo::STADSDELEN;
use crate::search::{Correction, FacetCounts, OfferKind, SearchRequest, SearchResults};
use crate::services::Services;

pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;
/// Deep pages cost a heap of offset + limit; nobody reads past this.
pub const MAX_OFFSET: usize = 10_000;
pub const MAX_QUERY_CHARS: usize = 500;
pub const MAX_RADIUS_KM: f64 = 100.0;

#[derive(Debug, Serialize, utoipa::ToSchema)]
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

#[derive(Debug, Serialize, utoipa::ToSchema)]
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

/// Runs a parsed search off the async threads and shapes the answer.
pub async fn search(
    svc: &Services,
    kind: OfferKind,
    request: SearchRequest,
) -> Result<SearchResponse, AppError> {
    let index = svc.search.clone();
    let task_request = request.clone();
    let results = tokio::task::spawn_blocking(move || index.search(&task_request))
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    Ok(to_response(svc, kind, &request, results))
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
