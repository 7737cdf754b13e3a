//! An index over the vocabulary's folded names, so that a typed skill is
//! compared in full only with the names it could be close to, instead of
//! with all ten thousand of them.
//!
//! Each way of being similar (see `super::similarity`) has a necessary
//! condition that the index checks cheaply; a name that fails all of them
//! cannot reach `MIN_SIMILARITY`, so leaving it out changes no suggestion.
//!
//! - Spelling (whole or with the words sorted): a similarity of at least ¾
//!   allows at most `k = max_len / 4` edits. One edit (insert, delete,
//!   substitute, swap two neighbours) removes at most three of a string's
//!   letter pairs, so the two strings share at least `max_len − 1 − 3k`
//!   pairs, and their lengths differ by at most `k`. When that bound says
//!   nothing (both four letters or fewer) the short names are all tried.
//! - Prefix while typing: the names that start with the typed text, found by
//!   binary search in the sorted names.
//! - A name said inside a longer phrase: each run of whole words of the
//!   phrase, looked up as a name.

use std::collections::HashMap;

/// Names this short are tried for every short typed word: the letter-pair
/// bound gives nothing below five letters.
const SHORT: usize = 4;

#[derive(Debug, Default)]
pub struct NameIndex {
    /// Length in chars of each name, by position.
    lengths: Vec<usize>,
    plain: LetterPairs,
    /// The same names with their words in sorted order.
    reordered: LetterPairs,
    short: Vec<u32>,
    /// Name → its positions (a name may belong to several skills).
    exact: HashMap<String, Vec<u32>>,
    /// Names in byte order, with their position.
    sorted: Vec<(String, u32)>,
}

impl NameIndex {
    /// `names` are folded; a name's position is its place in the iterator.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut index = Self::default();
        for (position, name) in names.into_iter().enumerate() {
            let position = u32::try_from(position).expect("fewer than 4 billion skill names");
            let length = name.chars().count();
            index.lengths.push(length);
            index.plain.add(position, name);
            index.reordered.add(position, &words_sorted(name));
            if length <= SHORT {
                index.short.push(position);
            }
            index.exact.entry(name.to_string()).or_default().push(position);
            index.sorted.push((name.to_string(), position));
        }
        index.sorted.sort();
        index
    }

    /// Positions of the names that may be similar enough to `typed` (folded,
    /// not empty), sorted and without repeats. Every name that reaches
    /// `MIN_SIMILARITY` is among them.
    pub fn candidates(&self, typed: &str) -> Vec<u32> {
        let typed_len = typed.chars().count();
        let names = self.lengths.len();
        let plain = self.plain.shared(typed, names);
        let reordered = self.reordered.shared(&words_sorted(typed), names);
        let mut out: Vec<u32> = (0..names)
            .filter(|&n| {
                let longest = typed_len.max(self.lengths[n]);
                let edits = longest / 4;
                // At least one pair: names needing none are the short ones.
                let needed = (longest - 1).saturating_sub(3 * edits).max(1);
                typed_len.abs_diff(self.lengths[n]) <= edits && (plain[n] >= needed || reordered[n] >= needed)
            })
            .map(|n| n as u32)
            .collect();
        if typed_len <= SHORT {
            out.extend(&self.short);
        }
        let from = self.sorted.partition_point(|(name, _)| name.as_str() < typed);
        out.extend(
            self.sorted[from..]
                .iter()
                .take_while(|(name, _)| name.starts_with(typed))
                .map(|&(_, n)| n),
        );
        out.extend(word_runs(typed).filter_map(|run| self.exact.get(run)).flatten());
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Letter pair → the names holding it, with how often.
#[derive(Debug, Default)]
struct LetterPairs {
    postings: HashMap<(char, char), Vec<(u32, usize)>>,
}

impl LetterPairs {
    fn add(&mut self, position: u32, text: &str) {
        for (pair, count) in pair_counts(text) {
            self.postings.entry(pair).or_default().push((position, count));
        }
    }

    /// Per name (by position): how many letter pairs it shares with `text`,
    /// counted with repeats.
    fn shared(&self, text: &str, names: usize) -> Vec<usize> {
        let mut shared = vec![0; names];
        for (pair, count) in pair_counts(text) {
            for &(name, in_name) in self.postings.get(&pair).map_or(&[][..], Vec::as_slice) {
                shared[name as usize] += count.min(in_name);
            }
        }
        shared
    }
}

fn pair_counts(text: &str) -> HashMap<(char, char), usize> {
    let chars: Vec<char> = text.chars().collect();
    let mut counts = HashMap::new();
    for pair in chars.windows(2) {
        *counts.entry((pair[0], pair[1])).or_default() += 1;
    }
    counts
}

pub fn words_sorted(text: &str) -> String {
    let mut words: Vec<&str> = text.split(' ').collect();
    words.sort_unstable();
    words.join(" ")
}

/// Every run of whole words of `text`: "a b c" gives "a", "a b", "a b c",
/// "b", "b c" and "c".
fn word_runs(text: &str) -> impl Iterator<Item = &str> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices(' ').map(|(i, _)| i + 1))
        .collect();
    let ends: Vec<usize> = text
        .match_indices(' ')
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    starts
        .into_iter()
        .flat_map(move |s| {
            ends.clone()
                .into_iter()
                .filter(move |&e| e > s)
                .map(move |e| (s, e))
        })
        .map(move |(s, e)| &text[s..e])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_runs_are_every_run_of_whole_words() {
        let runs: Vec<&str> = word_runs("ik kan koken").collect();
        assert_eq!(
            runs,
            ["ik", "ik kan", "ik kan koken", "kan", "kan koken", "koken"]
        );
    }

    #[test]
    fn finds_misspellings_prefixes_reorderings_and_names_in_phrases() {
        let names = [
            "heftruck rijden",
            "heftruck",
            "kassa",
            "klantvriendelijk",
            "rijbewijs b",
        ];
        let index = NameIndex::new(names);
        let found = |typed: &str| -> Vec<&str> {
            index
                .candidates(typed)
                .into_iter()
                .map(|n| names[n as usize])
                .collect()
        };
        assert!(found("hefrtuck").contains(&"heftruck"));
        assert!(found("klantvriend").contains(&"klantvriendelijk"));
        assert!(found("rijden heftruck").contains(&"heftruck rijden"));
        assert!(found("ik zit graag achter de kassa").contains(&"kassa"));
        assert!(found("kasa").contains(&"kassa"));
        assert!(
            !found("klantvriendelijk").contains(&"rijbewijs b"),
            "a name with nothing in common is not a candidate"
        );
    }
}
