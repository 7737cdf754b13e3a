//! Skill names at query time. An offer is indexed with its skills' vocabulary
//! ids only; a query word finds every skill one of whose names (label, alias
//! or known misspelling) holds that word, so "vorkheftruck" still finds a
//! vacancy that asks for "Heftruck rijden". Writing each skill's fifteen-odd
//! names into every offer was most of the indexing work.

use std::collections::HashMap;

use super::schema::{dutch_analyzer, tokens, words_analyzer};

/// A skill's vocabulary id and every name it goes by.
pub struct NamedSkill<'a> {
    pub id: &'a str,
    pub names: Vec<&'a str>,
}

#[derive(Debug, Default)]
pub struct SkillNames {
    /// Stem (as the ranked fields read it) → ids of the skills with a name
    /// holding it; sorted, without repeats.
    by_stem: HashMap<String, Vec<String>>,
    /// Unstemmed word → the same: what spelling correction may propose.
    by_word: HashMap<String, Vec<String>>,
}

impl SkillNames {
    pub fn new<'a>(skills: impl IntoIterator<Item = NamedSkill<'a>>) -> Self {
        let (mut stems, mut plain) = (dutch_analyzer(), words_analyzer());
        let mut out = Self::default();
        for skill in skills {
            for name in &skill.names {
                for stem in tokens(&mut stems, name) {
                    out.by_stem.entry(stem).or_default().push(skill.id.to_string());
                }
                for word in tokens(&mut plain, name) {
                    out.by_word.entry(word).or_default().push(skill.id.to_string());
                }
            }
        }
        for ids in out.by_stem.values_mut().chain(out.by_word.values_mut()) {
            ids.sort();
            ids.dedup();
        }
        out
    }

    /// The skills a stemmed query word names; empty when none.
    pub fn ids_for_stem(&self, stem: &str) -> &[String] {
        self.by_stem.get(stem).map_or(&[], Vec::as_slice)
    }

    /// Every unstemmed word of every name, with the skills it occurs in.
    pub fn words(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.by_word.iter().map(|(w, ids)| (w.as_str(), ids.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_of_any_name_leads_to_its_skills() {
        let names = SkillNames::new([
            NamedSkill {
                id: "heftruck-rijden",
                names: vec!["Heftruck rijden", "vorkheftruck", "heftruk"],
            },
            NamedSkill {
                id: "rijbewijs-b",
                names: vec!["Rijbewijs B", "auto rijden"],
            },
        ]);
        let stem = |w: &str| tokens(&mut dutch_analyzer(), w).remove(0);
        assert_eq!(names.ids_for_stem(&stem("vorkheftruck")), ["heftruck-rijden"]);
        assert_eq!(
            names.ids_for_stem(&stem("rijden")),
            ["heftruck-rijden", "rijbewijs-b"]
        );
        assert!(names.ids_for_stem(&stem("kassa")).is_empty());
        let words: HashMap<&str, &[String]> = names.words().collect();
        assert_eq!(words["heftruk"], ["heftruck-rijden"]);
        assert!(
            !words.contains_key("rijd"),
            "the dictionary holds surface words, not stems"
        );
    }
}
