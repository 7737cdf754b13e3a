//! The index schema, its version and the Dutch analysers.

use tantivy::Index;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};

/// Bump whenever fields, analysers or the meaning of a stored ordinal change:
/// an index with another version is rebuilt from the database on start.
pub const SCHEMA_VERSION: u32 = 3;

/// Dutch analysis for ranking: lowercase, ASCII folding ("café" = "cafe"),
/// Dutch stemming.
pub const DUTCH: &str = "nl_stem";
/// The same without stemming: the surface words that spelling correction
/// proposes.
pub const WORDS: &str = "nl_words";

/// Stored on a field that an offer does not have (a training's contract).
pub const NO_CODE: u64 = u64::MAX;

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub key: Field,
    pub id: Field,
    pub kind: Field,
    pub title: Field,
    pub description: Field,
    pub organisation: Field,
    pub words: Field,
    /// Vocabulary ids of the offer's skills. Search reaches them through the
    /// words of the skills' names (`SkillNames`), and matching by id.
    pub skill_ids: Field,
    pub sector: Field,
    pub contract: Field,
    pub education: Field,
    pub dutch_level: Field,
    pub training_kind: Field,
    pub cost: Field,
    pub hours_min: Field,
    pub hours_max: Field,
    pub bbl: Field,
    pub banenafspraak: Field,
    pub wijk: Field,
    pub stadsdeel: Field,
    pub lat: Field,
    pub lon: Field,
    pub posted_day: Field,
    pub closes_day: Field,
    /// A stable hash of the key: breaks ties in ranking the same way after
    /// a rebuild, where document addresses differ.
    pub tiebreak: Field,
}

pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Frequencies for BM25, no positions: no query is a phrase, and snippets
    // re-read the stored text, so positions would cost time and disk for nothing.
    let ranked = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(DUTCH)
            .set_index_option(IndexRecordOption::WithFreqs);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored { options.set_stored() } else { options }
    };
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(WORDS)
            .set_index_option(IndexRecordOption::Basic),
    );
    let fields = Fields {
        key: b.add_text_field("key", STRING),
        // Fast too: matching reads the ids of hundreds of candidates.
        id: b.add_text_field("id", STRING | STORED | FAST),
        kind: b.add_u64_field("kind", FAST),
        title: b.add_text_field("title", ranked(true)),
        description: b.add_text_field("description", ranked(true)),
        organisation: b.add_text_field("organisation", ranked(true)),
        words: b.add_text_field("words", words),
        skill_ids: b.add_text_field("skill_ids", STRING),
        // Indexed too: matching gathers "the nearest in a sector" from that
        // sector's postings instead of scanning every document.
        sector: b.add_u64_field("sector", FAST | INDEXED),
        contract: b.add_u64_field("contract", FAST),
        education: b.add_u64_field("education", FAST),
        dutch_level: b.add_u64_field("dutch_level", FAST),
        training_kind: b.add_u64_field("training_kind", FAST),
        cost: b.add_u64_field("cost", FAST),
        hours_min: b.add_u64_field("hours_min", FAST),
        hours_max: b.add_u64_field("hours_max", FAST),
        bbl: b.add_u64_field("bbl", FAST),
        banenafspraak: b.add_u64_field("banenafspraak", FAST),
        wijk: b.add_u64_field("wijk", FAST),
        stadsdeel: b.add_u64_field("stadsdeel", FAST),
        lat: b.add_f64_field("lat", FAST),
        lon: b.add_f64_field("lon", FAST),
        posted_day: b.add_i64_field("posted_day", FAST),
        closes_day: b.add_i64_field("closes_day", FAST),
        tiebreak: b.add_u64_field("tiebreak", FAST),
    };
    (b.build(), fields)
}

pub fn register_analyzers(index: &Index) {
    index.tokenizers().register(DUTCH, dutch_analyzer());
    index.tokenizers().register(WORDS, words_analyzer());
}

pub fn dutch_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::Dutch))
        .build()
}

pub fn words_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The tokens an analyser makes of a text.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_analyzer_folds_accents_and_stems() {
        let mut a = dutch_analyzer();
        assert_eq!(tokens(&mut a, "Café"), tokens(&mut a, "cafe"));
        assert_eq!(tokens(&mut a, "verzorgenden"), tokens(&mut a, "verzorgende"));
        assert_eq!(tokens(&mut a, "\"AND( +-"), vec!["and".to_string()]);
    }
}
