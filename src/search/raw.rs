//! The benchmark's baseline: the same words, filters and radius straight
//! against tantivy as its own examples advise, with none of our layer. The
//! words make the query; a collector checks the filters on fast fields
//! opened per query, counts the same facets and keeps the top k; the ids of
//! the top k come from the id's fast field. No spelling, snippets, cached
//! columns or stored documents.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::index::SegmentReader;
use tantivy::query::Occur;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal};

use super::collector::{add_counts, bump};
use super::schema::NO_CODE;
use super::{Correction, Filters, Near, SearchError, SearchIndex, query_words};
use crate::geo::{BoundingBox, Point};

/// What the baseline returns: the total, the ids of the first page and
/// the counts per code of the six facet fields, merged over segments as
/// ours are.
#[derive(Debug, Clone, PartialEq)]
pub struct RawResults {
    pub total: u64,
    pub ids: Vec<String>,
    pub facets: Facets,
}

type Facets = [Vec<u64>; 6];

/// The words a search ends up with: the text's words without stop words,
/// each typo replaced as our layer corrected it. Every engine the bench
/// compares is given these.
pub fn effective_words(text: &str, corrections: &[Correction]) -> Vec<String> {
    let mut words = query_words(text);
    for word in &mut words {
        if let Some(c) = corrections.iter().find(|c| &c.from == word) {
            *word = c.to.clone();
        }
    }
    words
}

impl SearchIndex {
    pub fn raw_search(
        &self,
        words: &[String],
        filters: &Filters,
        near: Option<Near>,
        limit: usize,
    ) -> Result<RawResults, SearchError> {
        let searcher = self.searcher();
        let query = self.build_query(words, Occur::Must);
        let collector = RawCollector {
            filters: filters.clone(),
            near: near.map(|n| (n.point, n.radius_km.map(|r| (r, n.point.bounding_box(r))))),
            limit: limit.max(1),
            scored: !words.is_empty(),
        };
        let Fruit { total, facets, top } = searcher.search(&*query, &collector)?;
        let mut ids = Vec::with_capacity(top.len());
        let mut id = String::new();
        for (_, address) in top {
            let reader = searcher.segment_reader(address.segment_ord);
            if let Some(column) = reader.fast_fields().str("id")?
                && let Some(ord) = column.term_ords(address.doc_id).next()
                && column.ord_to_str(ord, &mut id)?
            {
                ids.push(id.clone());
            }
        }
        Ok(RawResults { total, ids, facets })
    }
}

type Col<T> = Arc<dyn ColumnValues<T>>;

/// A segment's (or, merged, the search's) count, facets and best hits.
struct Fruit {
    total: u64,
    facets: Facets,
    top: Vec<(Score, DocAddress)>,
}
type Near3 = (Point, Option<(f64, BoundingBox)>);

struct RawCollector {
    filters: Filters,
    near: Option<Near3>,
    limit: usize,
    scored: bool,
}

/// A segment's fast fields as tantivy hands them out.
struct RawColumns {
    kind: Col<u64>,
    sector: Col<u64>,
    contract: Col<u64>,
    training_kind: Col<u64>,
    cost: Col<u64>,
    education: Col<u64>,
    dutch_level: Col<u64>,
    hours_min: Col<u64>,
    hours_max: Col<u64>,
    banenafspraak: Col<u64>,
    bbl: Col<u64>,
    stadsdeel: Col<u64>,
    closes_day: Col<i64>,
    lat: Col<f64>,
    lon: Col<f64>,
}

impl RawColumns {
    fn open(reader: &SegmentReader) -> tantivy::Result<Self> {
        let ff = reader.fast_fields();
        let u = |name: &str| -> tantivy::Result<Col<u64>> { Ok(ff.u64(name)?.first_or_default_col(NO_CODE)) };
        Ok(Self {
            kind: u("kind")?,
            sector: u("sector")?,
            contract: u("contract")?,
            training_kind: u("training_kind")?,
            cost: u("cost")?,
            education: u("education")?,
            dutch_level: u("dutch_level")?,
            hours_min: u("hours_min")?,
            hours_max: u("hours_max")?,
            banenafspraak: u("banenafspraak")?,
            bbl: u("bbl")?,
            stadsdeel: u("stadsdeel")?,
            closes_day: ff.i64("closes_day")?.first_or_default_col(i64::MAX),
            lat: ff.f64("lat")?.first_or_default_col(f64::NAN),
            lon: ff.f64("lon")?.first_or_default_col(f64::NAN),
        })
    }
}

struct RawSegmentCollector {
    segment: SegmentOrdinal,
    filters: Filters,
    near: Option<Near3>,
    limit: usize,
    columns: RawColumns,
    total: u64,
    facets: Facets,
    /// The best `limit` so far, worst on top.
    heap: BinaryHeap<Reverse<(Ranked, DocId)>>,
}

/// A score that orders totally (tantivy's scores are never NaN).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ranked(Score);
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl Collector for RawCollector {
    type Fruit = Fruit;
    type Child = RawSegmentCollector;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(RawSegmentCollector {
            segment,
            filters: self.filters.clone(),
            near: self.near,
            limit: self.limit,
            columns: RawColumns::open(reader)?,
            total: 0,
            facets: Default::default(),
            heap: BinaryHeap::with_capacity(self.limit + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scored
    }

    fn merge_fruits(&self, fruits: Vec<Fruit>) -> tantivy::Result<Fruit> {
        let mut merged = Fruit {
            total: 0,
            facets: Facets::default(),
            top: Vec::new(),
        };
        for fruit in fruits {
            merged.total += fruit.total;
            for (into, from) in merged.facets.iter_mut().zip(&fruit.facets) {
                add_counts(into, from);
            }
            merged.top.extend(fruit.top);
        }
        merged.top.sort_by(|a, b| b.0.total_cmp(&a.0));
        merged.top.truncate(self.limit);
        Ok(merged)
    }
}

impl RawSegmentCollector {
    fn passes(&self, doc: DocId) -> bool {
        let (f, c) = (&self.filters, &self.columns);
        let equals = |want: Option<u64>, col: &Col<u64>| want.is_none_or(|w| col.get_val(doc) == w);
        let at_most = |max: Option<u64>, col: &Col<u64>| {
            max.is_none_or(|m| {
                let v = col.get_val(doc);
                v != NO_CODE && v <= m
            })
        };
        c.kind.get_val(doc) == f.kind
            && c.closes_day.get_val(doc) >= f.today
            && equals(f.sector, &c.sector)
            && equals(f.contract, &c.contract)
            && equals(f.training_kind, &c.training_kind)
            && equals(f.cost, &c.cost)
            && equals(f.banenafspraak.map(u64::from), &c.banenafspraak)
            && equals(f.bbl.map(u64::from), &c.bbl)
            && f.hours_min.is_none_or(|h| c.hours_max.get_val(doc) >= h)
            && f.hours_max.is_none_or(|h| c.hours_min.get_val(doc) <= h)
            && at_most(f.max_education, &c.education)
            && at_most(f.max_dutch_level, &c.dutch_level)
            && self.within_radius(doc)
    }

    fn within_radius(&self, doc: DocId) -> bool {
        let Some((point, Some((radius, bbox)))) = self.near else {
            return true;
        };
        let (lat, lon) = (self.columns.lat.get_val(doc), self.columns.lon.get_val(doc));
        bbox.contains(lat, lon) && point.distance_km(Point { lat, lon }) <= radius
    }
}

impl SegmentCollector for RawSegmentCollector {
    type Fruit = Fruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        if !self.passes(doc) {
            return;
        }
        self.total += 1;
        let c = &self.columns;
        for (counts, column) in self.facets.iter_mut().zip([
            &c.sector,
            &c.contract,
            &c.education,
            &c.stadsdeel,
            &c.training_kind,
            &c.cost,
        ]) {
            bump(counts, column.get_val(doc));
        }
        let ranked = Ranked(score);
        if self.heap.len() < self.limit {
            self.heap.push(Reverse((ranked, doc)));
        } else if self
            .heap
            .peek()
            .is_some_and(|Reverse((worst, _))| *worst < ranked)
        {
            self.heap.pop();
            self.heap.push(Reverse((ranked, doc)));
        }
    }

    fn harvest(self) -> Fruit {
        let top = self
            .heap
            .into_iter()
            .map(|Reverse((Ranked(score), doc))| (score, DocAddress::new(self.segment, doc)))
            .collect();
        Fruit {
            total: self.total,
            facets: self.facets,
            top,
        }
    }
}
