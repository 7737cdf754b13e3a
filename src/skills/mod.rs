//! The skills vocabulary: Dutch labels with aliases and common misspellings,
//! loaded once. Offers may name a skill by id, label or alias.

use std::collections::HashMap;

use crate::search::schema::{tokens, words_analyzer};
use crate::storage::SkillRow;

#[derive(Debug, Default)]
pub struct Vocabulary {
    skills: Vec<SkillRow>,
    /// Folded id, label, alias or misspelling → position in `skills`.
    by_name: HashMap<String, usize>,
}

impl Vocabulary {
    pub fn new(skills: Vec<SkillRow>) -> Self {
        let mut by_name = HashMap::new();
        for (i, skill) in skills.iter().enumerate() {
            let names = [&skill.id, &skill.label]
                .into_iter()
                .chain(&skill.aliases)
                .chain(&skill.misspellings);
            for name in names {
                by_name.entry(fold(name)).or_insert(i);
            }
        }
        Self { skills, by_name }
    }

    /// The skill that `name` names exactly (id, label, alias or known
    /// misspelling), ignoring case, accents and surrounding spaces.
    pub fn resolve(&self, name: &str) -> Option<&SkillRow> {
        self.by_name.get(&fold(name)).map(|&i| &self.skills[i])
    }

    pub fn get(&self, id: &str) -> Option<&SkillRow> {
        self.skills
            .binary_search_by(|s| s.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.skills[i])
    }

    /// What the index holds for a skill: every name it goes by, so a search
    /// for an alias or a common misspelling still finds the offer.
    pub fn index_text(&self, id: &str) -> String {
        let Some(skill) = self.get(id) else {
            return String::new();
        };
        std::iter::once(&skill.label)
            .chain(&skill.aliases)
            .chain(&skill.misspellings)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ; ")
    }
}

/// Lowercase, accents folded, punctuation and extra spaces dropped: the
/// same words the search index sees ("Heftruck-rijden" = "heftruck rijden").
pub fn fold(text: &str) -> String {
    tokens(&mut words_analyzer(), text).join(" ")
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
        assert!(v.index_text("heftruck-rijden").contains("vorkheftruck"));
    }

    #[test]
    fn fold_removes_accents_and_extra_spaces() {
        assert_eq!(fold("  Café-Bediening "), "cafe bediening");
    }
}
