//! Reference data as the domain reads it: the loaded wijken, skills and
//! occupations, and the small references to them that views carry.

use serde::Serialize;

use crate::geo::Geo;
use crate::skills::{Taxonomy, Vocabulary};

/// The loaded reference data that checks and views need.
pub struct Context<'a> {
    pub geo: &'a Geo,
    pub vocabulary: &'a Vocabulary,
    pub taxonomy: &'a Taxonomy,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WijkRef {
    pub code: String,
    pub name: String,
    pub stadsdeel: String,
}

impl WijkRef {
    pub(crate) fn new(code: &str, geo: &Geo) -> Self {
        let wijk = geo.find_wijk(code);
        Self {
            code: code.to_string(),
            name: wijk.map(|w| w.name.clone()).unwrap_or_default(),
            stadsdeel: wijk.map(|w| w.stadsdeel.clone()).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SkillRef {
    pub id: String,
    pub label: String,
}

impl SkillRef {
    pub fn list(ids: &[String], vocabulary: &Vocabulary) -> Vec<SkillRef> {
        ids.iter()
            .map(|id| SkillRef {
                id: id.clone(),
                label: vocabulary
                    .get(id)
                    .map(|s| s.label.clone())
                    .unwrap_or_else(|| id.clone()),
            })
            .collect()
    }
}
