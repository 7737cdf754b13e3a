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

pub(super) fn add_counts(into: &mut Vec<u64>, from: &[u64]) {
    if into.len() < from.len() {
        into.resize(from.len(), 0);
    }
    for (i, n) in from.iter().enumerate() {
        into[i] += n;
    }
}

pub(super) fn bump(counts: &mut Vec<u64>, code: u64) {
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

/// A segment's fast fields, read once into one array of plain values by
/// document: the collector checks every matching document, and reading
/// sixteen bit-packed columns through dynamic calls per document was most
/// of a query's time in the profile.
struct Columns {
    docs: Vec<DocFacts>,
    /// Each document's id, by doc id.
    ids: Vec<String>,
}

/// One document's filter, facet and ranking values. Codes and hours are
/// narrowed to `u32` (`NO_CODE` to `u32::MAX`), days to `i32`: all far
/// inside those ranges, and widened back exactly before any comparison.
#[derive(Debug, Clone, Copy)]
struct DocFacts {
    lat: f64,
    lon: f64,
    tiebreak: u64,
    closes_day: i32,
    posted_day: i32,
    kind: u32,
    sector: u32,
    contract: u32,
    education: u32,
    dutch_level: u32,
    training_kind: u32,
    cost: u32,
    hours_min: u32,
    hours_max: u32,
    stadsdeel: u32,
    wijk: u32,
    bbl: bool,
    banenafspraak: bool,
}

fn narrow(code: u64) -> u32 {
    if code == NO_CODE {
        u32::MAX
    } else {
        code.min(u64::from(u32::MAX - 1)) as u32
    }
}

fn widen(code: u32) -> u64 {
    if code == u32::MAX {
        NO_CODE
    } else {
        u64::from(code)
    }
}

fn narrow_day(day: i64) -> i32 {
    day.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
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
        let (kind, sector, contract, education) = (u("kind")?, u("sector")?, u("contract")?, u("education")?);
        let (dutch_level, training_kind, cost) = (u("dutch_level")?, u("training_kind")?, u("cost")?);
        let (hours_min, hours_max, bbl, banenafspraak) =
            (u("hours_min")?, u("hours_max")?, u("bbl")?, u("banenafspraak")?);
        let (stadsdeel, wijk, tiebreak) = (u("stadsdeel")?, u("wijk")?, u("tiebreak")?);
        let lat = values(ff.f64("lat")?, f64::NAN);
        let lon = values(ff.f64("lon")?, f64::NAN);
        let posted_day = values(ff.i64("posted_day")?, 0);
        let closes_day = values(ff.i64("closes_day")?, i64::MAX);
        let docs = (0..reader.max_doc())
            .map(|doc| DocFacts {
                lat: lat.get_val(doc),
                lon: lon.get_val(doc),
                tiebreak: tiebreak.get_val(doc),
                closes_day: narrow_day(closes_day.get_val(doc)),
                posted_day: narrow_day(posted_day.get_val(doc)),
                kind: narrow(kind.get_val(doc)),
                sector: narrow(sector.get_val(doc)),
                contract: narrow(contract.get_val(doc)),
                education: narrow(education.get_val(doc)),
                dutch_level: narrow(dutch_level.get_val(doc)),
                training_kind: narrow(training_kind.get_val(doc)),
                cost: narrow(cost.get_val(doc)),
                hours_min: narrow(hours_min.get_val(doc)),
                hours_max: narrow(hours_max.get_val(doc)),
                stadsdeel: narrow(stadsdeel.get_val(doc)),
                wijk: narrow(wijk.get_val(doc)),
                bbl: bbl.get_val(doc) == 1,
                banenafspraak: banenafspraak.get_val(doc) == 1,
            })
            .collect();
        Ok(Self {
            docs,
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
    fn facts(&self, doc: DocId) -> &DocFacts {
        &self.columns.docs[doc as usize]
    }

    fn passes_filters(&self, d: &DocFacts) -> bool {
        let f = &self.filters;
        let equals = |want: Option<u64>, code: u32| want.is_none_or(|w| widen(code) == w);
        let at_most = |max: Option<u64>, code: u32| {
            max.is_none_or(|m| {
                let v = widen(code);
                v != NO_CODE && v <= m
            })
        };
        let flag = |want: Option<bool>, value: bool| want.is_none_or(|w| value == w);
        widen(d.kind) == f.kind
            && i64::from(d.closes_day) >= f.today
            && equals(f.sector, d.sector)
            && equals(f.contract, d.contract)
            && equals(f.training_kind, d.training_kind)
            && equals(f.cost, d.cost)
            && f.hours_min.is_none_or(|h| widen(d.hours_max) >= h)
            && f.hours_max.is_none_or(|h| widen(d.hours_min) <= h)
            && at_most(f.max_education, d.education)
            && at_most(f.max_dutch_level, d.dutch_level)
            && flag(f.banenafspraak, d.banenafspraak)
            && flag(f.bbl, d.bbl)
    }

    /// `Some(distance)` when a location is asked, `Some(None)` when not, and
    /// `None` when the document lies outside the radius.
    fn distance(&self, d: &DocFacts) -> Option<Option<f64>> {
        let Some((point, radius, bbox)) = self.near else {
            return Some(None);
        };
        if bbox.is_some_and(|b| !b.contains(d.lat, d.lon)) {
            return None;
        }
        let distance = point.distance_km(Point {
            lat: d.lat,
            lon: d.lon,
        });
        match radius {
            Some(r) if distance > r => None,
            _ => Some(Some(distance)),
        }
    }

    fn count_facets(facets: &mut FacetCounts, d: &DocFacts) {
        bump(&mut facets.sector, widen(d.sector));
        bump(&mut facets.contract, widen(d.contract));
        bump(&mut facets.education, widen(d.education));
        bump(&mut facets.stadsdeel, widen(d.stadsdeel));
        bump(&mut facets.training_kind, widen(d.training_kind));
        bump(&mut facets.cost, widen(d.cost));
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
        let d = *self.facts(doc);
        if !self.passes_filters(&d) {
            return;
        }
        let Some(distance_km) = self.distance(&d) else {
            return;
        };
        self.total += 1;
        Self::count_facets(&mut self.facets, &d);
        if self.keep == 0 {
            return;
        }
        let rank = self.rank(score, distance_km, i64::from(d.posted_day));
        let full = self.heap.len() >= self.keep;
        if full
            && self
                .heap
                .peek()
                .is_some_and(|Reverse(worst)| worst.beats(rank, d.tiebreak))
        {
            return;
        }
        let candidate = Candidate {
            address: DocAddress::new(self.segment, doc),
            score,
            distance_km,
            wijk: widen(d.wijk),
            hours_min: widen(d.hours_min),
            hours_max: widen(d.hours_max),
            education: widen(d.education),
            rank,
            tiebreak: d.tiebreak,
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
