//! "Bedoelde je…": the closest indexed word for a query word that the index
//! does not know. The dictionary is the unstemmed word field of the index
//! (titles) plus the words of the names of skills that offers ask for, so it
//! is rebuilt with the index and never drifts from it.

use std::collections::HashMap;

use tantivy::Searcher;
use tantivy::schema::{Field, Term};

use super::skill_names::SkillNames;

/// Words shorter than this are never corrected: too many neighbours.
pub const MIN_CORRECTABLE_CHARS: usize = 5;
/// At most this many edits (insert, delete, substitute, swap) per word.
const MAX_EDITS: usize = 2;

#[derive(Debug, Default)]
pub struct Spelling {
    /// Words bucketed by length in chars, with how many documents hold them.
    by_length: Vec<Vec<(String, u32)>>,
}

impl Spelling {
    /// `words` is the unstemmed field; a skill's words count the offers
    /// that ask for the skill.
    pub fn from_searcher(
        searcher: &Searcher,
        words: Field,
        skill_ids: Field,
        skill_names: &SkillNames,
    ) -> tantivy::Result<Self> {
        let mut counts: HashMap<String, u32> = HashMap::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(words)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                let Ok(word) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if is_dictionary_word(word) {
                    *counts.entry(word.to_string()).or_default() += stream.value().doc_freq;
                }
            }
        }
        let mut offers_asking: HashMap<&str, u32> = HashMap::new();
        for (word, ids) in skill_names.words().filter(|(w, _)| is_dictionary_word(w)) {
            let mut count = 0;
            for id in ids {
                count += match offers_asking.get(id.as_str()) {
                    Some(n) => *n,
                    None => {
                        let n = searcher.doc_freq(&Term::from_field_text(skill_ids, id))? as u32;
                        offers_asking.insert(id, n);
                        n
                    }
                };
            }
            if count > 0 {
                *counts.entry(word.to_string()).or_default() += count;
            }
        }
        Ok(Self::from_counts(counts))
    }

    pub fn from_counts(counts: HashMap<String, u32>) -> Self {
        let mut by_length: Vec<Vec<(String, u32)>> = Vec::new();
        for (word, count) in counts {
            let len = word.chars().count();
            if by_length.len() <= len {
                by_length.resize_with(len + 1, Vec::new);
            }
            by_length[len].push((word, count));
        }
        for bucket in &mut by_length {
            bucket.sort();
        }
        Self { by_length }
    }

    /// The nearest known word within two edits, preferring fewer edits, then
    /// the more common word, then the alphabetically first (deterministic).
    pub fn correct(&self, word: &str) -> Option<String> {
        let len = word.chars().count();
        if len < MIN_CORRECTABLE_CHARS {
            return None;
        }
        let lengths = len.saturating_sub(MAX_EDITS)..=len + MAX_EDITS;
        let mut best: Option<(usize, u32, &str)> = None;
        for bucket in lengths.filter_map(|l| self.by_length.get(l)) {
            for (candidate, count) in bucket {
                // Optimal string alignment: adjacent swaps count as one edit
                // like full Damerau, without its per-call hash map (this
                // loop runs over thousands of words).
                let edits = strsim::osa_distance(word, candidate);
                if edits == 0 || edits > MAX_EDITS {
                    continue;
                }
                let better = match best {
                    None => true,
                    Some((e, c, w)) => {
                        (edits, std::cmp::Reverse(*count), candidate.as_str()) < (e, std::cmp::Reverse(c), w)
                    }
                };
                if better {
                    best = Some((edits, *count, candidate));
                }
            }
        }
        best.map(|(_, _, w)| w.to_string())
    }
}

/// Numbers and fragments make poor suggestions.
fn is_dictionary_word(word: &str) -> bool {
    word.chars().count() >= 3 && word.chars().all(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spelling(words: &[(&str, u32)]) -> Spelling {
        Spelling::from_counts(words.iter().map(|(w, c)| (w.to_string(), *c)).collect())
    }

    #[test]
    fn corrects_one_or_two_typos_in_long_words() {
        let s = spelling(&[("magazijnmedewerker", 10), ("verzorgende", 4), ("verzorger", 1)]);
        assert_eq!(
            s.correct("magazijnmedewerkr").as_deref(),
            Some("magazijnmedewerker")
        );
        assert_eq!(s.correct("verzorgnde").as_deref(), Some("verzorgende"));
        assert_eq!(
            s.correct("magazinmedewerkr").as_deref(),
            Some("magazijnmedewerker")
        );
    }

    #[test]
    fn leaves_short_words_and_nonsense_alone() {
        let s = spelling(&[("kok", 3), ("koken", 3), ("kassa", 2)]);
        assert_eq!(s.correct("kik"), None);
        assert_eq!(s.correct("xyzzyqq"), None);
    }

    #[test]
    fn prefers_the_more_common_word_at_equal_distance() {
        let s = spelling(&[("kassier", 1), ("kassies", 9)]);
        assert_eq!(s.correct("kassiex").as_deref(), Some("kassies"));
    }
}
