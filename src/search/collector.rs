//! One pass over the matching documents: filters and the exact distance are
//! checked on fast fields, facets are counted, and only documents that pass
//! compete for the top k. Cheaper than filter clauses in the query, and the
//! counts come for free.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::fmt::Debug;
use std::sync::{Arc, RwLock};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, ColumnIndex, ColumnValues};
use tantivy::index::{SegmentId, SegmentReader};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal};

use super::schema::NO_CODE;
use crate::geo::{BoundingBox, Point};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Relevance,
    Distance,
    Newest,
}

/// Filters on codes and numbers; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub kind: u64,
    pub sector: Option<u64>,
    pub contract: Option<u64>,
    pub training_kind: Option<u64>,
    pub cost: Option<u64>,
    /// The hit's hours must reach at least this many (its `hours_max ≥`).
    pub hours_min: Option<u64>,
    /// The hit must be possible in at most this many hours (its `hours_min ≤`).
    pub hours_max: Option<u64>,
    pub max_education: Option<u64>,
    pub max_dutch_level: Option<u64>,
    pub banenafspraak: Option<bool>,
    pub bbl: Option<bool>,
    /// Offers that closed before this day are left out.
    pub today: i64,
}

#[derive(Debug, Clone, Copy)]
pub struct Near {
    pub point: Point,
    pub radius_km: Option<f64>,
}

/// Counts per code ordinal, one vector per facet field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FacetCounts {
    pub sector: Vec<u64>,
    pub contract: Vec<u64>,
    pub education: Vec<u64>,
    pub stadsdeel: Vec<u64>,
    pub training_kind: Vec<u64>,
    pub cost: Vec<u64>,
}

impl FacetCounts {
    fn merge(&mut self, other: &FacetCounts) {
        for (mine, theirs) in self.counters_mut().into_iter().zip(other.counters()) {
            add_counts(mine, theirs);
        }
    }

    fn counters(&self) -> [&Vec<u64>; 6] {
        [
            &self.sector,
            &self.contract,
            &self.education,
            &self.stadsdeel,
            &self.training_kind,
            &self.cost,
        ]
    }

    fn counters_mut(&mut self) -> [&mut Vec<u64>; 6] {
        [
            &mut self.sector,
            &mut self.contract,
            &mut self.education,
            &mut self.stadsdeel,
            &mut self.training_kind,
            &mut self.cost,
        ]
    }
}

fn add_counts(into: &mut Vec<u64>, from: &[u64]) {
    if into.len() < from.len() {
        into.resize(from.len(), 0);
    }
    for (i, n) in from.iter().enumerate() {
        into[i] += n;
    }
}

fn bump(counts: &mut Vec<u64>, code: u64) {
    if code == NO_CODE {
        return;
    }
    let i = code as usize;
    if counts.len() <= i {
        counts.resize(i + 1, 0);
    }
    counts[i] += 1;
}

/// A document that passed every filter.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    pub address: DocAddress,
    pub score: Score,
    pub distance_km: Option<f64>,
    pub wijk: u64,
    pub hours_min: u64,
    pub hours_max: u64,
    pub education: u64,
    /// Higher is better; ties are broken by the tiebreak hash.
    rank: (f64, f64),
    tiebreak: u64,
}

impl Candidate {
    /// Does this candidate rank at least as high as one with `rank` and
    /// `tiebreak`? (Full ties go to the lower tiebreak, as in `Ord`.)
    fn beats(&self, rank: (f64, f64), tiebreak: u64) -> bool {
        self.rank
            .0
            .total_cmp(&rank.0)
            .then(self.rank.1.total_cmp(&rank.1))
            .then(tiebreak.cmp(&self.tiebreak))
            .is_ge()
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    /// "Greater" means "ranks higher".
    fn cmp(&self, other: &Self) -> Ordering {
        if self.address == other.address {
            Ordering::Equal
        } else if self.beats(other.rank, other.tiebreak) {
            Ordering::Greater
        } else {
            Ordering::Less
        }
    }
}

#[derive(Debug, Default)]
pub struct Collected {
    pub total: u64,
    pub facets: FacetCounts,
    /// Best first, at most `offset + limit`.
    pub top: Vec<Candidate>,
}

pub struct OfferCollector<'a> {
    pub columns: &'a ColumnCache,
    pub filters: Filters,
    pub near: Option<Near>,
    pub sort: Sort,
    pub keep: usize,
    pub scored: bool,
}

type U64Col = Arc<dyn ColumnValues<u64>>;

pub struct OfferSegmentCollector {
    segment: SegmentOrdinal,
    filters: Filters,
    near: Option<(Point, Option<f64>, Option<BoundingBox>)>,
    sort: Sort,
    keep: usize,
    columns: Arc<Columns>,
    total: u64,
    facets: FacetCounts,
    heap: BinaryHeap<Reverse<Candidate>>,
}

struct Columns {
    kind: U64Col,
    sector: U64Col,
    contract: U64Col,
    education: U64Col,
    dutch_level: U64Col,
    training_kind: U64Col,
    cost: U64Col,
    hours_min: U64Col,
    hours_max: U64Col,
    bbl: U64Col,
    banenafspraak: U64Col,
    stadsdeel: U64Col,
    wijk: U64Col,
    tiebreak: U64Col,
    lat: Arc<dyn ColumnValues<f64>>,
    lon: Arc<dyn ColumnValues<f64>>,
    posted_day: Arc<dyn ColumnValues<i64>>,
    closes_day: Arc<dyn ColumnValues<i64>>,
    /// Each document's id, by doc id.
    ids: Vec<String>,
}

/// Each segment's columns, opened once: segments never change, and opening
/// eighteen columns per segment for every query showed in the profile.
#[derive(Default)]
pub struct ColumnCache(RwLock<HashMap<SegmentId, Arc<Columns>>>);

impl ColumnCache {
    fn get(&self, reader: &SegmentReader) -> tantivy::Result<Arc<Columns>> {
        let id = reader.segment_id();
        if let Some(columns) = self.0.read().unwrap_or_else(|e| e.into_inner()).get(&id) {
            return Ok(columns.clone());
        }
        let columns = Arc::new(Columns::open(reader)?);
        self.0
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, columns.clone());
        Ok(columns)
    }

    /// The ids of these hits. Read from the segment's own copy: looking
    /// them up in the id column's compressed dictionary on every query
    /// showed in the profile.
    pub fn ids(&self, searcher: &tantivy::Searcher, hits: &[DocAddress]) -> tantivy::Result<Vec<String>> {
        let mut ids = Vec::with_capacity(hits.len());
        for hit in hits {
            let columns = self.get(searcher.segment_reader(hit.segment_ord))?;
            if let Some(id) = columns.ids.get(hit.doc_id as usize) {
                ids.push(id.clone());
            }
        }
        Ok(ids)
    }

    /// Forgets segments that merges or deletes have retired.
    pub fn keep_only(&self, live: &[SegmentId]) {
        self.0
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|id, _| live.contains(id));
    }
}

impl Columns {
    fn open(reader: &SegmentReader) -> tantivy::Result<Self> {
        let ff = reader.fast_fields();
        let u = |name: &str| -> tantivy::Result<U64Col> { Ok(values(ff.u64(name)?, NO_CODE)) };
        Ok(Self {
            kind: u("kind")?,
            sector: u("sector")?,
            contract: u("contract")?,
            education: u("education")?,
            dutch_level: u("dutch_level")?,
            training_kind: u("training_kind")?,
            cost: u("cost")?,
            hours_min: u("hours_min")?,
            hours_max: u("hours_max")?,
            bbl: u("bbl")?,
            banenafspraak: u("banenafspraak")?,
            stadsdeel: u("stadsdeel")?,
            wijk: u("wijk")?,
            tiebreak: u("tiebreak")?,
            lat: values(ff.f64("lat")?, f64::NAN),
            lon: values(ff.f64("lon")?, f64::NAN),
            posted_day: values(ff.i64("posted_day")?, 0),
            closes_day: values(ff.i64("closes_day")?, i64::MAX),
            ids: ids_by_doc(reader)?,
        })
    }
}

/// The id column's terms, walked once in order (a term's ordinal is its
/// place in the dictionary), moved to the document that holds each.
fn ids_by_doc(reader: &SegmentReader) -> tantivy::Result<Vec<String>> {
    let Some(column) = reader.fast_fields().str("id")? else {
        return Ok(Vec::new());
    };
    let mut terms = Vec::new();
    let mut stream = column.dictionary().stream()?;
    while stream.advance() {
        terms.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok((0..reader.max_doc())
        .map(|doc| {
            column
                .term_ords(doc)
                .next()
                .and_then(|ord| terms.get_mut(ord as usize))
                .map(std::mem::take)
                .unwrap_or_default()
        })
        .collect())
}

/// A column's values by document. Every document has each of our fields, so
/// the column is normally full and is read directly, without the per-read
/// detour through its index that an optional column needs.
fn values<T>(column: Column<T>, default: T) -> Arc<dyn ColumnValues<T>>
where
    T: PartialOrd + Copy + Debug + Send + Sync + 'static,
{
    match column.index {
        ColumnIndex::Full => column.values,
        _ => column.first_or_default_col(default),
    }
}

impl Collector for OfferCollector<'_> {
    type Fruit = Collected;
    type Child = OfferSegmentCollector;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<Self::Child> {
        let near = self.near.map(|n| {
            let bbox = n.radius_km.map(|r| n.point.bounding_box(r));
            (n.point, n.radius_km, bbox)
        });
        Ok(OfferSegmentCollector {
            segment,
            filters: self.filters.clone(),
            near,
            sort: self.sort,
            keep: self.keep,
            columns: self.columns.get(reader)?,
            total: 0,
            facets: FacetCounts::default(),
            heap: BinaryHeap::with_capacity(self.keep + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scored
    }

    fn merge_fruits(&self, fruits: Vec<Collected>) -> tantivy::Result<Collected> {
        let mut merged = Collected::default();
        for fruit in fruits {
            merged.total += fruit.total;
            merged.facets.merge(&fruit.facets);
            merged.top.extend(fruit.top);
        }
        merged.top.sort_by(|a, b| b.cmp(a));
        merged.top.truncate(self.keep);
        Ok(merged)
    }
}

impl OfferSegmentCollector {
    fn passes_filters(&self, doc: DocId) -> bool {
        let c = &self.columns;
        let f = &self.filters;
        let equals = |want: Option<u64>, col: &U64Col| want.is_none_or(|w| col.get_val(doc) == w);
        let at_most = |max: Option<u64>, col: &U64Col| {
            max.is_none_or(|m| {
                let v = col.get_val(doc);
                v != NO_CODE && v <= m
            })
        };
        let flag = |want: Option<bool>, col: &U64Col| want.is_none_or(|w| (col.get_val(doc) == 1) == w);
        c.kind.get_val(doc) == f.kind
            && c.closes_day.get_val(doc) >= f.today
            && equals(f.sector, &c.sector)
            && equals(f.contract, &c.contract)
            && equals(f.training_kind, &c.training_kind)
            && equals(f.cost, &c.cost)
            && f.hours_min.is_none_or(|h| c.hours_max.get_val(doc) >= h)
            && f.hours_max.is_none_or(|h| c.hours_min.get_val(doc) <= h)
            && at_most(f.max_education, &c.education)
            && at_most(f.max_dutch_level, &c.dutch_level)
            && flag(f.banenafspraak, &c.banenafspraak)
            && flag(f.bbl, &c.bbl)
    }

    /// `Some(distance)` when a location is asked, `Some(None)` when not, and
    /// `None` when the document lies outside the radius.
    fn distance(&self, doc: DocId) -> Option<Option<f64>> {
        let Some((point, radius, bbox)) = self.near else {
            return Some(None);
        };
        let (lat, lon) = (self.columns.lat.get_val(doc), self.columns.lon.get_val(doc));
        if bbox.is_some_and(|b| !b.contains(lat, lon)) {
            return None;
        }
        let distance = point.distance_km(Point { lat, lon });
        match radius {
            Some(r) if distance > r => None,
            _ => Some(Some(distance)),
        }
    }

    fn count_facets(&mut self, doc: DocId) {
        let c = &self.columns;
        let f = &mut self.facets;
        bump(&mut f.sector, c.sector.get_val(doc));
        bump(&mut f.contract, c.contract.get_val(doc));
        bump(&mut f.education, c.education.get_val(doc));
        bump(&mut f.stadsdeel, c.stadsdeel.get_val(doc));
        bump(&mut f.training_kind, c.training_kind.get_val(doc));
        bump(&mut f.cost, c.cost.get_val(doc));
    }

    fn rank(&self, score: Score, distance_km: Option<f64>, posted_day: i64) -> (f64, f64) {
        let closeness = distance_km.map_or(0.0, |d| -d);
        match self.sort {
            Sort::Relevance => (f64::from(score), posted_day as f64),
            Sort::Distance => (closeness, f64::from(score)),
            Sort::Newest => (posted_day as f64, f64::from(score)),
        }
    }
}

impl SegmentCollector for OfferSegmentCollector {
    type Fruit = Collected;

    fn collect(&mut self, doc: DocId, score: Score) {
        if !self.passes_filters(doc) {
            return;
        }
        let Some(distance_km) = self.distance(doc) else {
            return;
        };
        self.total += 1;
        self.count_facets(doc);
        if self.keep == 0 {
            return;
        }
        let posted_day = self.columns.posted_day.get_val(doc);
        let rank = self.rank(score, distance_km, posted_day);
        let c = &self.columns;
        let tiebreak = c.tiebreak.get_val(doc);
        let full = self.heap.len() >= self.keep;
        if full
            && self
                .heap
                .peek()
                .is_some_and(|Reverse(worst)| worst.beats(rank, tiebreak))
        {
            return;
        }
        let candidate = Candidate {
            address: DocAddress::new(self.segment, doc),
            score,
            distance_km,
            wijk: c.wijk.get_val(doc),
            hours_min: c.hours_min.get_val(doc),
            hours_max: c.hours_max.get_val(doc),
            education: c.education.get_val(doc),
            rank,
            tiebreak,
        };
        if full {
            self.heap.pop();
        }
        self.heap.push(Reverse(candidate));
    }

    fn harvest(self) -> Collected {
        Collected {
            total: self.total,
            facets: self.facets,
            top: self.heap.into_iter().map(|Reverse(c)| c).collect(),
        }
    }
}
