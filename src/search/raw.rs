//! The benchmark's baseline: the same words and filters straight against
//! tantivy (filters as range clauses, `TopDocs` and `Count`), with none of
//! our layer (no spelling, facets, snippets or exact distance).

use std::ops::Bound;

use tantivy::TantivyDocument;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery};
use tantivy::schema::{Field, Term, Value};

use super::schema::tokens;
use super::{SearchError, SearchIndex, SearchRequest, words_analyzer};

impl SearchIndex {
    /// Total hits and the ids of the first page.
    pub fn raw_search(&self, request: &SearchRequest) -> Result<(usize, Vec<String>), SearchError> {
        let searcher = self.searcher();
        let f = self.fields;
        let words = tokens(&mut words_analyzer(), &request.text);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, self.build_query(&words, Occur::Must))];
        let filters = &request.filters;
        let mut exact = |field: Field, value: Option<u64>| {
            if let Some(v) = value {
                clauses.push((
                    Occur::Must,
                    u64_range(field, Bound::Included(v), Bound::Included(v)),
                ));
            }
        };
        exact(f.kind, Some(filters.kind));
        exact(f.sector, filters.sector);
        exact(f.contract, filters.contract);
        exact(f.training_kind, filters.training_kind);
        exact(f.cost, filters.cost);
        exact(f.banenafspraak, filters.banenafspraak.map(u64::from));
        exact(f.bbl, filters.bbl.map(u64::from));
        let mut at_most = |field: Field, max: Option<u64>| {
            if let Some(m) = max {
                clauses.push((
                    Occur::Must,
                    u64_range(field, Bound::Unbounded, Bound::Included(m)),
                ));
            }
        };
        at_most(f.education, filters.max_education);
        at_most(f.dutch_level, filters.max_dutch_level);
        at_most(f.hours_min, filters.hours_max);
        if let Some(min) = filters.hours_min {
            clauses.push((
                Occur::Must,
                u64_range(f.hours_max, Bound::Included(min), Bound::Unbounded),
            ));
        }
        clauses.push((
            Occur::Must,
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_i64(f.closes_day, filters.today)),
                Bound::Unbounded,
            )),
        ));
        if let Some(near) = request.near
            && let Some(radius) = near.radius_km
        {
            let bbox = near.point.bounding_box(radius);
            clauses.push((Occur::Must, f64_range(f.lat, bbox.min_lat, bbox.max_lat)));
            clauses.push((Occur::Must, f64_range(f.lon, bbox.min_lon, bbox.max_lon)));
        }
        let query = BooleanQuery::new(clauses);
        let limit = request.limit.max(1);
        let (top, count) = searcher.search(&query, &(TopDocs::with_limit(limit).order_by_score(), Count))?;
        let ids = top
            .into_iter()
            .map(|(_, address)| {
                let doc: TantivyDocument = searcher.doc(address)?;
                Ok(doc
                    .get_first(f.id)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string())
            })
            .collect::<Result<_, SearchError>>()?;
        Ok((count, ids))
    }
}

fn u64_range(field: Field, low: Bound<u64>, high: Bound<u64>) -> Box<dyn Query> {
    let term = |b: Bound<u64>| b.map(|v| Term::from_field_u64(field, v));
    Box::new(RangeQuery::new(term(low), term(high)))
}

fn f64_range(field: Field, low: f64, high: f64) -> Box<dyn Query> {
    Box::new(RangeQuery::new(
        Bound::Included(Term::from_field_f64(field, low)),
        Bound::Included(Term::from_field_f64(field, high)),
    ))
}
