//! ESCO occupations with their sector and essential skills, loaded once.

use std::collections::HashMap;

use super::fold;
use crate::storage::OccupationRow;

#[derive(Debug, Clone)]
pub struct Occupation {
    pub uri: String,
    pub label: String,
    /// ISCO-08 unit group, as job boards' `occupationalCategory` gives it.
    pub isco_code: String,
    pub sector: String,
    pub essential: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Taxonomy {
    by_uri: HashMap<String, Occupation>,
    /// Folded label or alternative label → URI.
    by_name: HashMap<String, String>,
}

impl Taxonomy {
    pub fn new(occupations: Vec<OccupationRow>, essentials: Vec<(String, String)>) -> Self {
        let mut by_uri = HashMap::new();
        let mut by_name = HashMap::new();
        for o in occupations {
            let names = std::iter::once(o.label.as_str()).chain(o.alt_labels.split(" | "));
            for name in names.filter(|n| !n.trim().is_empty()) {
                by_name.entry(fold(name)).or_insert_with(|| o.uri.clone());
            }
            let occupation = Occupation {
                uri: o.uri.clone(),
                label: o.label,
                isco_code: o.isco_code,
                sector: o.sector,
                essential: Vec::new(),
            };
            by_uri.insert(o.uri, occupation);
        }
        for (uri, skill) in essentials {
            if let Some(o) = by_uri.get_mut(&uri) {
                o.essential.push(skill);
            }
        }
        Self { by_uri, by_name }
    }

    pub fn get(&self, uri: &str) -> Option<&Occupation> {
        self.by_uri.get(uri)
    }

    /// The occupations in an ISCO-08 unit group, by URI.
    pub fn in_isco_group(&self, isco_code: &str) -> Vec<&Occupation> {
        let mut found: Vec<&Occupation> = self
            .by_uri
            .values()
            .filter(|o| o.isco_code == isco_code)
            .collect();
        found.sort_by(|a, b| a.uri.cmp(&b.uri));
        found
    }

    /// An occupation by URI, or by its Dutch label or an alternative label.
    pub fn resolve(&self, text: &str) -> Option<&Occupation> {
        self.by_uri
            .get(text.trim())
            .or_else(|| self.by_name.get(&fold(text)).and_then(|uri| self.by_uri.get(uri)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_uris_labels_and_alternative_labels() {
        let row = OccupationRow {
            uri: "http://data.europa.eu/esco/occupation/x".into(),
            isco_code: "9334".into(),
            label: "vakkenvuller".into(),
            alt_labels: "schappenvuller | vakkenvulster".into(),
            label_en: "shelf filler".into(),
            sector: "detailhandel".into(),
        };
        let t = Taxonomy::new(
            vec![row],
            vec![("http://data.europa.eu/esco/occupation/x".into(), "kassa".into())],
        );
        assert_eq!(
            t.resolve("Vakkenvulster").map(|o| o.essential.clone()),
            Some(vec!["kassa".to_string()])
        );
        assert!(t.resolve("http://data.europa.eu/esco/occupation/x").is_some());
        assert!(t.resolve("astronaut").is_none());
    }
}
