//! The skills vocabulary: Dutch labels with aliases and common misspellings,
//! loaded once. Offers may name a skill by id, label or alias.

mod names;
pub mod taxonomy;

use std::collections::HashMap;

use serde::Serialize;

use crate::search::schema::{tokens, words_analyzer};
use crate::search::{NamedSkill, SkillNames};
use crate::storage::SkillRow;
use names::{NameIndex, words_sorted};

pub use taxonomy::Taxonomy;

/// Below this similarity a fuzzy suggestion is not offered: a nonsense word
/// gets no confident match.
pub const MIN_SIMILARITY: f64 = 0.75;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// The skill's id or label.
    Exact,
    /// A listed synonym or known misspelling.
    Alias,
    /// Close in spelling to one of its names.
    Fuzzy,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub id: String,
    pub label: String,
    #[serde(rename = "match")]
    pub kind: MatchKind,
    pub similarity: f64,
}

#[derive(Debug, Default)]
pub struct Vocabulary {
    /// Sorted by id.
    skills: Vec<SkillRow>,
    /// Folded id, label, alias or misspelling → position in `skills`, and
    /// whether it is the skill's own name or an alias.
    by_name: HashMap<String, (usize, MatchKind)>,
    /// Every folded label, alias and misspelling with its skill, for fuzzy
    /// matching without folding per request.
    names: Vec<(usize, String)>,
    /// Over `names`, to find the few a typed word may be close to.
    index: NameIndex,
}

impl crate::validate::SkillResolver for Vocabulary {
    fn skill_id(&self, name: &str) -> Option<String> {
        self.resolve(name).map(|skill| skill.id.clone())
    }
}

impl Vocabulary {
    pub fn new(mut skills: Vec<SkillRow>) -> Self {
        skills.sort_by(|a, b| a.id.cmp(&b.id));
        let mut by_name = HashMap::new();
        let mut names = Vec::new();
        for (i, skill) in skills.iter().enumerate() {
            let own = [&skill.id, &skill.label]
                .into_iter()
                .map(|n| (n, MatchKind::Exact));
            let aliases = skill
                .aliases
                .iter()
                .chain(&skill.misspellings)
                .map(|n| (n, MatchKind::Alias));
            for (name, kind) in own.chain(aliases) {
                let folded = fold(name);
                by_name.entry(folded.clone()).or_insert((i, kind));
                if name != &skill.id {
                    names.push((i, folded));
                }
            }
        }
        let index = NameIndex::new(names.iter().map(|(_, name)| name.as_str()));
        Self {
            skills,
            by_name,
            names,
            index,
        }
    }

    /// The skill that `name` names exactly (id, label, alias or known
    /// misspelling), ignoring case, accents and surrounding spaces.
    pub fn resolve(&self, name: &str) -> Option<&SkillRow> {
        self.by_name.get(&fold(name)).map(|&(i, _)| &self.skills[i])
    }

    /// The skill linked to this ESCO skill URI.
    pub fn by_esco_uri(&self, uri: &str) -> Option<&SkillRow> {
        let uri = uri.trim();
        self.skills.iter().find(|s| s.esco_uri.as_deref() == Some(uri))
    }

    pub fn get(&self, id: &str) -> Option<&SkillRow> {
        self.skills
            .binary_search_by(|s| s.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.skills[i])
    }

    /// Skills a typed name may mean, best first: an exact or alias match,
    /// then names within spelling distance (also with the words in another
    /// order, and as a prefix while typing).
    pub fn suggest(&self, query: &str, limit: usize) -> Vec<Suggestion> {
        let wanted = fold(query);
        if wanted.is_empty() {
            return Vec::new();
        }
        let candidates = self.index.candidates(&wanted);
        self.suggest_among(&wanted, candidates.into_iter().map(|n| n as usize), limit)
    }

    /// `suggest` over the names at `candidates` (positions in `names`).
    fn suggest_among(
        &self,
        wanted: &str,
        candidates: impl Iterator<Item = usize>,
        limit: usize,
    ) -> Vec<Suggestion> {
        let mut best: HashMap<usize, (MatchKind, f64)> = HashMap::new();
        if let Some(&(i, kind)) = self.by_name.get(wanted) {
            best.insert(i, (kind, 1.0));
        }
        for n in candidates {
            let (i, name) = &self.names[n];
            let similarity = similarity(wanted, name);
            if similarity < MIN_SIMILARITY {
                continue;
            }
            let entry = best.entry(*i).or_insert((MatchKind::Fuzzy, similarity));
            if entry.0 == MatchKind::Fuzzy && similarity > entry.1 {
                entry.1 = similarity;
            }
        }
        let mut suggestions: Vec<Suggestion> = best
            .into_iter()
            .map(|(i, (kind, similarity))| Suggestion {
                id: self.skills[i].id.clone(),
                label: self.skills[i].label.clone(),
                kind,
                similarity: (similarity * 1000.0).round() / 1000.0,
            })
            .collect();
        suggestions.sort_by(|a, b| {
            b.similarity
                .total_cmp(&a.similarity)
                .then((a.kind as u8).cmp(&(b.kind as u8)))
                .then(a.label.cmp(&b.label))
        });
        suggestions.truncate(limit);
        suggestions
    }

    /// Every name of every skill, for the search index to expand query
    /// words with: a search for an alias or a common misspelling still finds
    /// the offer.
    pub fn skill_names(&self) -> SkillNames {
        SkillNames::new(self.skills.iter().map(|skill| {
            NamedSkill {
                id: &skill.id,
                names: std::iter::once(&skill.label)
                    .chain(&skill.aliases)
                    .chain(&skill.misspellings)
                    .map(String::as_str)
                    .collect(),
            }
        }))
    }
}

/// Lowercase, accents folded, punctuation and extra spaces dropped: the
/// same words the search index sees.
///
/// ```
/// assert_eq!(banenlift::skills::fold("  Heftruck-rijden, Café "), "heftruck rijden cafe");
/// ```
pub fn fold(text: &str) -> String {
    tokens(&mut words_analyzer(), text).join(" ")
}

/// Spelling similarity of two folded names, 0 to 1: the best of the whole
/// strings, the words in sorted order, a prefix while typing, and a known
/// name said inside a longer phrase ("achter de kassa staan").
fn similarity(typed: &str, name: &str) -> f64 {
    whole_word_similarity(typed, name).max(contained(typed, name))
}

/// A name of four or more letters that the phrase contains as whole words:
/// at least the threshold, more as it covers more of the phrase.
fn contained(typed: &str, name: &str) -> f64 {
    let (typed_len, name_len) = (typed.chars().count(), name.chars().count());
    if name_len < 4 || name_len >= typed_len || !format!(" {typed} ").contains(&format!(" {name} ")) {
        return 0.0;
    }
    MIN_SIMILARITY + 0.2 * name_len as f64 / typed_len as f64
}

fn whole_word_similarity(typed: &str, name: &str) -> f64 {
    let whole = strsim::normalized_damerau_levenshtein(typed, name);
    let reordered = strsim::normalized_damerau_levenshtein(&words_sorted(typed), &words_sorted(name));
    let typed_len = typed.chars().count();
    let prefix = if typed_len >= 4 && name.starts_with(typed) {
        0.8 + 0.2 * typed_len as f64 / name.chars().count() as f64
    } else {
        0.0
    };
    whole.max(reordered).max(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skill(id: &str, label: &str, aliases: &[&str], misspellings: &[&str]) -> SkillRow {
        SkillRow {
            id: id.into(),
            label: label.into(),
            label_en: String::new(),
            category: "algemeen".into(),
            esco_uri: None,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            misspellings: misspellings.iter().map(|a| a.to_string()).collect(),
        }
    }

    #[test]
    fn resolves_ids_labels_aliases_and_misspellings() {
        let v = Vocabulary::new(vec![
            skill(
                "heftruck-rijden",
                "Heftruck rijden",
                &["vorkheftruck"],
                &["heftruk"],
            ),
            skill("klantvriendelijk", "Klantvriendelijk", &[], &["klantvriendelyk"]),
        ]);
        for name in ["heftruck-rijden", " HEFTRUCK  rijden", "Vorkheftruck", "heftruk"] {
            assert_eq!(
                v.resolve(name).map(|s| s.id.as_str()),
                Some("heftruck-rijden"),
                "{name}"
            );
        }
        assert_eq!(
            v.resolve("klantvriendelyk").map(|s| s.id.as_str()),
            Some("klantvriendelijk")
        );
        assert!(v.resolve("astronaut").is_none());
        let names = v.skill_names();
        let stem = tokens(&mut crate::search::schema::dutch_analyzer(), "vorkheftruck").remove(0);
        assert_eq!(names.ids_for_stem(&stem), ["heftruck-rijden"]);
    }

    #[test]
    fn suggests_exact_alias_and_fuzzy_matches_best_first() {
        let v = Vocabulary::new(vec![
            skill(
                "heftruck-rijden",
                "Heftruck rijden",
                &["vorkheftruck"],
                &["heftrcuk"],
            ),
            skill("klantvriendelijk", "Klantvriendelijk", &[], &[]),
        ]);
        let first = |q: &str| v.suggest(q, 5).into_iter().next();
        assert_eq!(first("heftruck rijden").map(|s| s.kind), Some(MatchKind::Exact));
        assert_eq!(first("Vorkheftruck").map(|s| s.kind), Some(MatchKind::Alias));
        let fuzzy = first("heftruk").unwrap();
        assert_eq!(
            (fuzzy.id.as_str(), fuzzy.kind),
            ("heftruck-rijden", MatchKind::Fuzzy)
        );
        assert_eq!(
            first("klantvriendelyk").map(|s| s.id),
            Some("klantvriendelijk".to_string())
        );
        assert_eq!(
            first("rijden heftruck").map(|s| s.id),
            Some("heftruck-rijden".to_string())
        );
        assert_eq!(
            first("ik kan heftruck rijden").map(|s| s.id),
            Some("heftruck-rijden".to_string())
        );
        assert!(v.suggest("xqzvw", 5).is_empty());
        assert!(v.suggest("   ", 5).is_empty());
    }

    /// The city's vocabulary, read straight from the fixture file.
    fn city_vocabulary() -> Vocabulary {
        let mut reader = csv::Reader::from_reader(include_str!("../../fixtures/skills.csv").as_bytes());
        let list = |cell: &str| -> Vec<String> {
            cell.split('|')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        };
        let skills = reader
            .records()
            .map(|record| {
                let r = record.expect("skills.csv reads");
                let mut row = skill(&r[0], &r[1], &[], &[]);
                row.aliases = list(&r[2]);
                row.misspellings = list(&r[3]);
                row
            })
            .collect();
        Vocabulary::new(skills)
    }

    /// Typed words as people type them: each name with a letter dropped,
    /// doubled, swapped or changed, cut short, its words turned round,
    /// said inside a phrase, plus words that are no skill at all.
    fn typed_words(v: &Vocabulary) -> Vec<String> {
        let mut typed = vec!["xqzvw".to_string(), "ik".into(), "a".into(), "de baas".into()];
        for (n, (_, name)) in v.names.iter().enumerate().step_by(60) {
            let chars: Vec<char> = name.chars().collect();
            let at = n % chars.len().max(1);
            let with = |edit: &dyn Fn(&mut Vec<char>)| {
                let mut c = chars.clone();
                edit(&mut c);
                c.into_iter().collect::<String>()
            };
            typed.push(with(&|c| {
                c.remove(at);
            }));
            typed.push(with(&|c| c.insert(at, c[at])));
            typed.push(with(&|c| c[at] = 'q'));
            if at + 1 < chars.len() {
                typed.push(with(&|c| c.swap(at, at + 1)));
            }
            typed.push(chars[..chars.len().div_ceil(2)].iter().collect());
            typed.push(words_sorted(name).split(' ').rev().collect::<Vec<_>>().join(" "));
            typed.push(format!("ik kan goed {name} en koken"));
        }
        typed
    }

    #[test]
    fn the_name_index_gives_the_same_suggestions_as_comparing_every_name() {
        let v = city_vocabulary();
        let typed = typed_words(&v);
        let typed_count = typed.len();
        assert!(typed_count > 400, "{typed_count} typed words");
        let mut fuzzy = 0;
        for word in typed {
            let wanted = fold(&word);
            if wanted.is_empty() {
                continue;
            }
            let every_name = v.suggest_among(&wanted, 0..v.names.len(), 10);
            fuzzy += usize::from(every_name.iter().any(|s| s.kind == MatchKind::Fuzzy));
            assert_eq!(v.suggest(&word, 10), every_name, "{word}");
        }
        assert!(
            fuzzy > 150,
            "only {fuzzy} of {typed_count} words had a fuzzy suggestion"
        );
    }

    #[test]
    fn fold_removes_accents_and_extra_spaces() {
        assert_eq!(fold("  Café-Bediening "), "cafe bediening");
    }
}
