//! The tantivy index: a derived view of the open offers in the database.
//! `schema` fixes its shape, `index` opens it and owns the one writer, and
//! `search` below answers queries without ever passing user text to a query
//! parser. `offers::indexing` feeds it from the database's outbox.

mod collector;
pub mod document;
mod index;
mod raw;
pub mod schema;
mod skill_names;
mod spelling;

use crate::error::AppError;
use serde::Serialize;
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Term, Value};
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::{DocAddress, TantivyDocument, TantivyError};

pub use collector::{FacetCounts, Filters, Near, Sort};
pub use document::{OfferDoc, OfferKind};
pub use index::{IndexChange, Indexer, Opened, SearchIndex};
pub use raw::{RawResults, effective_words};
pub use skill_names::{NamedSkill, SkillNames};

use collector::{Candidate, OfferCollector};
pub(crate) use schema::words_analyzer;
use schema::{dutch_analyzer, tokens};
use spelling::MIN_CORRECTABLE_CHARS;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index error: {0}")]
    Tantivy(#[from] TantivyError),
    #[error("search index is locked by another process (is a server running on this index?)")]
    Locked,
    #[error("index directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("index payload: {0}")]
    Payload(#[from] serde_json::Error),
    #[error("index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("the index on disk has another schema than this version expects")]
    SchemaMismatch,
}

impl From<SearchError> for AppError {
    fn from(error: SearchError) -> Self {
        Self::Internal(error.into())
    }
}

impl SearchError {
    fn from_writer(error: TantivyError) -> Self {
        match error {
            TantivyError::LockFailure(..) => Self::Locked,
            other => Self::Tantivy(other),
        }
    }
}

/// Query weights per field: a word in the title counts most, then the
/// skills (a word of any of their names), then the organisation, then the
/// description.
const FIELD_BOOSTS: [(FieldName, f32); 4] = [
    (FieldName::Title, 3.0),
    (FieldName::Skills, 2.0),
    (FieldName::Organisation, 1.2),
    (FieldName::Description, 1.0),
];

#[derive(Clone, Copy)]
enum FieldName {
    Title,
    Skills,
    Organisation,
    Description,
}

/// Common Dutch words that would only narrow an AND search.
const STOP_WORDS: &[&str] = &[
    "de", "het", "een", "en", "of", "in", "op", "met", "voor", "van", "te", "aan", "bij", "naar", "als",
    "die", "dat", "er", "om", "tot", "ik", "je", "zijn", "is", "the", "and", "or", "a",
];

const SNIPPET_CHARS: usize = 180;

/// A skill the candidate shares by vocabulary id weighs like a word of a
/// skill's name.
const SKILL_ID_BOOST: f32 = 2.0;

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub text: String,
    pub filters: Filters,
    pub near: Option<Near>,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Correction {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone)]
pub struct SearchHit {
    pub id: String,
    pub title: String,
    pub organisation: String,
    pub score: f32,
    pub snippet: String,
    pub distance_km: Option<f64>,
    pub wijk: u64,
    pub hours_min: u64,
    pub hours_max: u64,
    pub education: u64,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub total: u64,
    pub hits: Vec<SearchHit>,
    pub facets: FacetCounts,
    pub corrections: Vec<Correction>,
}

impl SearchIndex {
    /// Runs one search. Blocking (tantivy IO): call it off the async runtime.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let searcher = self.searcher();
        let (words, corrections) = self.words_with_corrections(&request.text, &searcher)?;
        let query = self.build_query(&words, Occur::Must);
        let scored = !words.is_empty();
        let collector = OfferCollector {
            columns: &self.columns,
            filters: request.filters.clone(),
            near: request.near,
            sort: request.sort,
            keep: request.offset + request.limit,
            scored,
        };
        let collected = searcher.search(&query, &collector)?;
        let page: Vec<&Candidate> = collected.top.iter().skip(request.offset).collect();
        let hits = self.hits(&searcher, &*query, &page, scored)?;
        Ok(SearchResults {
            total: collected.total,
            hits,
            facets: collected.facets,
            corrections,
        })
    }

    /// The query's words as the index would read them, with unknown words of
    /// five or more letters replaced by the nearest indexed word.
    fn words_with_corrections(
        &self,
        text: &str,
        searcher: &tantivy::Searcher,
    ) -> Result<(Vec<String>, Vec<Correction>), SearchError> {
        // Only stop words left (say "de", or "AND(") means: browse everything.
        let mut words = query_words(text);
        let mut corrections = Vec::new();
        for word in &mut words {
            if word.chars().count() < MIN_CORRECTABLE_CHARS {
                continue;
            }
            if self.is_indexed(searcher, word)? {
                continue;
            }
            if let Some(better) = self.spelling(searcher)?.correct(word) {
                corrections.push(Correction {
                    from: word.clone(),
                    to: better.clone(),
                });
                *word = better;
            }
        }
        Ok((words, corrections))
    }

    /// Ids of the best offers for skill ids and words any of which may match
    /// (OR), with the same filters: how matching gathers its candidates. The
    /// ids come back in no particular order.
    pub fn candidate_ids(
        &self,
        skill_ids: &[String],
        words: &[String],
        request: &SearchRequest,
    ) -> Result<Vec<String>, SearchError> {
        let searcher = self.searcher();
        let mut analyzer = words_analyzer();
        let mut terms: Vec<String> = words.iter().flat_map(|w| tokens(&mut analyzer, w)).collect();
        terms.retain(|w| !STOP_WORDS.contains(&w.as_str()));
        terms.sort();
        terms.dedup();
        let scored = !terms.is_empty() || !skill_ids.is_empty();
        let query: Box<dyn Query> = if scored {
            let mut clauses = self.word_clauses(&terms, Occur::Should);
            clauses.extend(skill_ids.iter().map(|id| {
                let term = Term::from_field_text(self.fields.skill_ids, id);
                let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(query), SKILL_ID_BOOST)) as Box<dyn Query>,
                )
            }));
            Box::new(BooleanQuery::new(clauses))
        } else if let Some(sector) = request.filters.sector {
            let term = Term::from_field_u64(self.fields.sector, sector);
            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
        } else {
            Box::new(AllQuery)
        };
        let collector = OfferCollector {
            columns: &self.columns,
            filters: request.filters.clone(),
            near: request.near,
            sort: request.sort,
            keep: request.limit,
            scored,
        };
        let collected = searcher.search(&*query, &collector)?;
        let hits: Vec<DocAddress> = collected.top.iter().map(|c| c.address).collect();
        Ok(self.columns.ids(&searcher, &hits)?)
    }

    /// Is the word, as stemmed for ranking, in any searched field or in the
    /// name of a skill that some offer asks for?
    fn is_indexed(&self, searcher: &tantivy::Searcher, word: &str) -> Result<bool, SearchError> {
        for stem in tokens(&mut dutch_analyzer(), word) {
            for field in [
                self.fields.title,
                self.fields.organisation,
                self.fields.description,
            ] {
                if searcher.doc_freq(&Term::from_field_text(field, &stem))? > 0 {
                    return Ok(true);
                }
            }
            for id in self.skill_names.ids_for_stem(&stem) {
                if searcher.doc_freq(&Term::from_field_text(self.fields.skill_ids, id))? > 0 {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// Each word matches in some field: all of them (`Must`, for search) or
    /// any (`Should`, for gathering candidates); fields add up with their
    /// boosts. Built from terms, never parsed, so no input is a syntax error.
    fn build_query(&self, words: &[String], combine: Occur) -> Box<dyn Query> {
        if words.is_empty() {
            return Box::new(AllQuery);
        }
        Box::new(BooleanQuery::new(self.word_clauses(words, combine)))
    }

    fn word_clauses(&self, words: &[String], combine: Occur) -> Vec<(Occur, Box<dyn Query>)> {
        let mut stemmer = dutch_analyzer();
        words
            .iter()
            .map(|word| {
                let fields_for_word = tokens(&mut stemmer, word)
                    .into_iter()
                    .flat_map(|stem| self.field_clauses(&stem))
                    .collect();
                (
                    combine,
                    Box::new(BooleanQuery::new(fields_for_word)) as Box<dyn Query>,
                )
            })
            .collect()
    }

    /// One stem in every field, with the field's boost. Skills are matched
    /// by id: the skills whose names hold the stem.
    fn field_clauses(&self, stem: &str) -> Vec<(Occur, Box<dyn Query>)> {
        let text = |field| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, stem),
                IndexRecordOption::WithFreqs,
            ))
        };
        FIELD_BOOSTS
            .iter()
            .filter_map(|(name, boost)| {
                let query = match name {
                    FieldName::Title => text(self.fields.title),
                    FieldName::Organisation => text(self.fields.organisation),
                    FieldName::Description => text(self.fields.description),
                    FieldName::Skills => self.skill_query(self.skill_names.ids_for_stem(stem))?,
                };
                Some((
                    Occur::Should,
                    Box::new(BoostQuery::new(query, *boost)) as Box<dyn Query>,
                ))
            })
            .collect()
    }

    /// Any of these skill ids; `None` for none.
    fn skill_query(&self, ids: &[String]) -> Option<Box<dyn Query>> {
        if ids.is_empty() {
            return None;
        }
        let clauses = ids
            .iter()
            .map(|id| {
                let term = Term::from_field_text(self.fields.skill_ids, id);
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
                )
            })
            .collect();
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    fn hits(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        page: &[&Candidate],
        has_words: bool,
    ) -> Result<Vec<SearchHit>, SearchError> {
        let mut snippets = SnippetGenerator::create(searcher, query, self.fields.description)?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        page.iter()
            .map(|candidate| {
                let doc: TantivyDocument = searcher.doc(candidate.address)?;
                let text = |field| {
                    doc.get_first(field)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string()
                };
                // Without words, re-tokenising each description (the stemmer
                // is the costly part) could only give an empty snippet.
                let snippet = if has_words {
                    snippets.snippet_from_doc(&doc)
                } else {
                    Snippet::empty()
                };
                let snippet = if snippet.is_empty() {
                    lead_of(&text(self.fields.description))
                } else {
                    snippet.to_html()
                };
                Ok(SearchHit {
                    id: text(self.fields.id),
                    title: text(self.fields.title),
                    organisation: text(self.fields.organisation),
                    score: candidate.score,
                    snippet,
                    distance_km: candidate.distance_km,
                    wijk: candidate.wijk,
                    hours_min: candidate.hours_min,
                    hours_max: candidate.hours_max,
                    education: candidate.education,
                })
            })
            .collect()
    }
}

/// The words of a query as the index reads them, without stop words.
fn query_words(text: &str) -> Vec<String> {
    let mut words = tokens(&mut words_analyzer(), text);
    words.retain(|w| !STOP_WORDS.contains(&w.as_str()));
    words
}

/// The start of a description, HTML-escaped like a snippet, for hits that
/// matched on other fields or for browsing without words.
fn lead_of(description: &str) -> String {
    let mut lead: String = description.chars().take(SNIPPET_CHARS).collect();
    if lead.len() < description.len() {
        if let Some(cut) = lead.rfind(' ') {
            lead.truncate(cut);
        }
        lead.push('…');
    }
    htmlescape::encode_minimal(&lead)
}
