//! Reference data as the domain reads it: the loaded wijken, skills and
//! occupations, and the small references to them that views carry.

use serde::{Deserialize, Serialize};

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

/// A `WijkRef` sent back: only the code counts, as name and stadsdeel
/// follow from it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WijkRefInput {
    pub code: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub stadsdeel: Option<String>,
}

/// A wijk as a request names it: its code (or name), or the object that a
/// GET returned, so that what GET gives can be sent back unchanged.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum WijkInput {
    Code(String),
    Object(WijkRefInput),
}

impl WijkInput {
    pub fn code(&self) -> &str {
        match self {
            Self::Code(code) => code,
            Self::Object(wijk) => &wijk.code,
        }
    }
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

/// A `SkillRef` sent back: only the id counts.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkillRefInput {
    pub id: String,
    #[serde(default)]
    pub label: Option<String>,
}

/// A skill as a request names it: its id or name, or the object a GET
/// returned.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum SkillInput {
    Name(String),
    Object(SkillRefInput),
}

impl AsRef<str> for SkillInput {
    fn as_ref(&self) -> &str {
        match self {
            Self::Name(name) => name,
            Self::Object(skill) => &skill.id,
        }
    }
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
