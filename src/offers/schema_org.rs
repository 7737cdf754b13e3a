//! What schema.org documents have in common, however a sender shaped them:
//! values that may be a text, an object or a list, places that must lie in
//! Den Haag, skills and occupations through the vocabulary, and HTML read
//! as plain text. A `JobPosting` (vacancies) and a `Course` (trainings) are
//! read with these.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::html_text::plain_text;
use crate::codes::Education;
use crate::error::{AppError, FieldError};
use crate::geo::Point;
use crate::reference::Context;
use crate::validate::Checker;

/// How far a `geo` point may lie from the nearest known place in Den Haag.
const MAX_KM_FROM_KNOWN_PLACE: f64 = 1.5;
const MAX_IDENTIFIER_CHARS: usize = 200;

/// A property of the document that was not (fully) taken over, and why.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Unmapped {
    /// The JobPosting property, such as `skills` or `baseSalary`.
    pub field: String,
    /// What the posting gave, as text.
    pub value: String,
    pub reason: String,
}

/// The digest of a document as sent: the same document sent again (an
/// unchanged posting in a nightly feed) has the same one.
pub fn digest(doc: &Value) -> String {
    hex::encode(Sha256::digest(doc.to_string().as_bytes()))
}

/// An offer check's errors with each field renamed to the document's
/// property it came from, so that the sender knows what to change.
pub fn as_document_errors(error: AppError, property: fn(&str) -> &str) -> AppError {
    match error {
        AppError::Validation(errors) => AppError::Validation(
            errors
                .into_iter()
                .map(|e| FieldError {
                    field: property(&e.field).to_string(),
                    message: e.message,
                })
                .collect(),
        ),
        other => other,
    }
}

/// What to say when a document has no place in Den Haag.
pub struct PlaceAsked {
    /// No place at all was given.
    pub none_given: &'static str,
    /// After the reason why the place given is not in Den Haag.
    pub outside: &'static str,
}

/// Reads one document's properties, collecting the refusals (as field
/// errors) and what could not be taken over.
pub struct Reader<'a> {
    pub ctx: &'a Context<'a>,
    pub check: Checker,
    pub unmapped: Vec<Unmapped>,
}

impl<'a> Reader<'a> {
    pub fn new(ctx: &'a Context<'a>, check: Checker) -> Self {
        Self {
            ctx,
            check,
            unmapped: Vec::new(),
        }
    }

    pub fn note(&mut self, field: &str, value: impl Into<String>, reason: &str) {
        self.unmapped.push(Unmapped {
            field: field.to_string(),
            value: value.into(),
            reason: reason.to_string(),
        });
    }

    /// A property's text with its HTML reduced to plain text.
    pub fn html_text(&self, property: Option<&Value>) -> String {
        property
            .and_then(text_of)
            .map(|html| plain_text(&html))
            .unwrap_or_default()
    }

    /// The first of the places given as `field` that lies in Den Haag; a
    /// place outside it is noted, or refused when no place is left.
    pub fn place(
        &mut self,
        field: &str,
        given: Option<&Value>,
        asked: &PlaceAsked,
    ) -> Option<(String, Point)> {
        let places: Vec<&Value> = given.map(values).into_iter().flatten().collect();
        let mut refused = Vec::new();
        let mut found = None;
        for place in &places {
            match self.place_in_den_haag(place) {
                Ok(location) if found.is_none() => found = Some(location),
                Ok(_) => {}
                Err(reason) => refused.push(reason),
            }
        }
        match (&found, refused.first()) {
            (Some(_), Some(_)) => self.note(
                field,
                refused.join("; "),
                "Alleen de plek in Den Haag is overgenomen. / Only the place in Den Haag was taken over.",
            ),
            (None, Some(reason)) => self.check.fail(field, format!("{reason} {}", asked.outside)),
            (None, None) => self.check.fail(field, asked.none_given),
            (Some(_), None) => {}
        }
        found
    }

    fn place_in_den_haag(&self, place: &Value) -> Result<(String, Point), String> {
        let address = place.get("address").map(values).into_iter().flatten().next();
        let postcode = address.and_then(|a| match a {
            Value::String(line) => pc4_in(line),
            _ => a.get("postalCode").and_then(text_of).and_then(|p| pc4_in(&p)),
        });
        let geo = place.get("geo").and_then(|g| {
            let lat = g.get("latitude").and_then(number)?;
            let lon = g.get("longitude").and_then(number)?;
            Point::new(lat, lon)
        });
        let named_wijk = address
            .and_then(|a| a.get("addressRegion"))
            .and_then(text_of)
            .and_then(|name| self.ctx.geo.find_wijk(&name));
        if let (Some(wijk), Some(point)) = (named_wijk, geo)
            && point.distance_km(wijk.centroid()) <= MAX_KM_FROM_KNOWN_PLACE * 2.0
        {
            return Ok((wijk.code.clone(), point));
        }
        if let Some(pc4) = postcode {
            let known = self.ctx.geo.find_postcode(&pc4);
            let Some((code, centre)) = known.and_then(|p| {
                Some((
                    p.wijk_code.clone()?,
                    Point {
                        lat: p.lat,
                        lon: p.lon,
                    },
                ))
            }) else {
                return Err(format!("Postcode {pc4} ligt niet in een wijk van Den Haag."));
            };
            return Ok((code, geo.unwrap_or(centre)));
        }
        match geo {
            Some(point) => match self.ctx.geo.wijk_near(point, MAX_KM_FROM_KNOWN_PLACE) {
                Some(wijk) => Ok((wijk.code.clone(), point)),
                None => Err(format!(
                    "Het punt {:.3}, {:.3} ligt niet in Den Haag.",
                    point.lat, point.lon
                )),
            },
            None => Err("Deze plek heeft geen postcode en geen geo.".to_string()),
        }
    }

    /// The ESCO occupations `field` names, each a URI, a label, or an
    /// ISCO-08 code that only one known occupation has; the rest is noted.
    pub fn occupations(&mut self, field: &str, given: Option<&Value>) -> Vec<String> {
        let given: Vec<String> = given
            .map(values)
            .into_iter()
            .flatten()
            .filter_map(|v| match v {
                Value::Object(_) => v.get("codeValue").or_else(|| v.get("name")).and_then(text_of),
                other => text_of(other),
            })
            .collect();
        let taxonomy = self.ctx.taxonomy;
        let mut known: Vec<String> = Vec::new();
        let mut unknown = Vec::new();
        for text in given {
            let single_in_group = || {
                let group = taxonomy.in_isco_group(&isco_code_in(&text)?);
                match group.as_slice() {
                    [only] => Some(only.uri.clone()),
                    _ => None,
                }
            };
            match taxonomy
                .resolve(&text)
                .map(|o| o.uri.clone())
                .or_else(single_in_group)
            {
                Some(uri) if !known.contains(&uri) => known.push(uri),
                Some(_) => {}
                None => unknown.push(text),
            }
        }
        if !unknown.is_empty() {
            self.note(
                field,
                unknown.join("; "),
                "Geen bekend ESCO-beroep (of de ISCO-code past bij meer beroepen). Geef een ESCO-link. / No single known ESCO occupation; give an ESCO URI.",
            );
        }
        known
    }

    /// Skills the vocabulary knows (by name, alias or ESCO URI), and the
    /// rest as the posting wrote them.
    pub fn skills(&mut self, field: &str, given: Option<&Value>) -> (Vec<String>, Vec<String>) {
        let given: Vec<(String, Option<String>)> = given
            .map(values)
            .into_iter()
            .flatten()
            .flat_map(skill_names)
            .collect();
        let vocabulary = self.ctx.vocabulary;
        let mut known: Vec<String> = Vec::new();
        let mut free = Vec::new();
        for (name, uri) in given {
            let skill = uri
                .as_deref()
                .and_then(|u| vocabulary.by_esco_uri(u))
                .or_else(|| vocabulary.resolve(&name));
            match skill {
                Some(skill) if !known.contains(&skill.id) => known.push(skill.id.clone()),
                Some(_) => {}
                None if !name.is_empty() => free.push(name),
                None => {}
            }
        }
        if !free.is_empty() {
            self.note(
                field,
                free.join(", "),
                "Niet in de lijst van vaardigheden; als tekst in de omschrijving gezet. / Not in the vocabulary; kept as text in the description.",
            );
        }
        (known, free)
    }

    /// The sender's own id of the document, as `identifier` gives it.
    pub fn identifier(&mut self, given: Option<&Value>) -> Option<String> {
        let given = given?;
        let value = match given {
            Value::Object(_) => given.get("value").and_then(text_of),
            other => text_of(other),
        };
        match value.filter(|v| !v.is_empty()) {
            Some(v) if v.chars().count() <= MAX_IDENTIFIER_CHARS => Some(v),
            _ => {
                self.check.fail(
                    "identifier",
                    format!("Een identifier is tekst van 1 tot {MAX_IDENTIFIER_CHARS} tekens. / An identifier is 1 to {MAX_IDENTIFIER_CHARS} characters."),
                );
                None
            }
        }
    }
}

/// The Dutch level a text asks for (A1 to C2), else A2: schema.org has
/// no property for it. `stated` (such as `qualifications`) goes first.
pub fn dutch_level(stated: Option<&Value>, description: &str) -> String {
    let stated = stated.and_then(text_of).unwrap_or_default();
    let text = format!("{stated} {description}");
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .find(|word| matches!(*word, "A1" | "A2" | "B1" | "B2" | "C1" | "C2"))
        .unwrap_or("A2")
        .to_string()
}

/// A single value or each value of an array.
pub fn values(value: &Value) -> Box<dyn Iterator<Item = &Value> + '_> {
    match value {
        Value::Array(items) => Box::new(items.iter()),
        Value::Null => Box::new(std::iter::empty()),
        other => Box::new(std::iter::once(other)),
    }
}

/// A value as text: a string, a number, or the `name`, `value` or
/// `@value` of an object.
pub fn text_of(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Object(_) => {
            return ["name", "value", "@value"]
                .iter()
                .find_map(|k| value.get(*k).and_then(text_of));
        }
        Value::Array(items) => return items.first().and_then(text_of),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

pub fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().replace(',', ".").parse().ok(),
        _ => None,
    }
    .filter(|n: &f64| n.is_finite())
}

/// The `YYYY-MM-DD` of a date or date-time.
pub fn date_part(value: Option<&Value>) -> Option<String> {
    let text = text_of(value?)?;
    Some(text.get(..10).unwrap_or(&text).to_string())
}

/// The four digits of a Dutch postcode ("2525 AB", "2525") in a text.
pub fn pc4_in(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len().saturating_sub(3)).find_map(|i| {
        let four = &chars[i..i + 4];
        let alone = (i == 0 || !chars[i - 1].is_ascii_digit())
            && chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        (alone && four.iter().all(char::is_ascii_digit) && four[0] != '0').then(|| four.iter().collect())
    })
}

/// A four-digit ISCO-08 unit group at the start of a text ("9333 Laders").
pub fn isco_code_in(text: &str) -> Option<String> {
    let code: String = text.trim().chars().take_while(char::is_ascii_digit).collect();
    (code.len() == 4).then_some(code)
}

/// The whole numbers in a text, such as "32-38 uur" → [32, 38].
pub fn whole_numbers(text: &str) -> Vec<i64> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .take(2)
        .collect()
}

/// Each skill a `skills` value names, with its ESCO URI when a
/// `DefinedTerm` carries one; a text may list several, comma-separated.
pub fn skill_names(value: &Value) -> Vec<(String, Option<String>)> {
    match value {
        Value::Object(_) => {
            let uri = ["termCode", "url", "sameAs", "@id"]
                .iter()
                .filter_map(|k| value.get(*k).and_then(text_of))
                .find(|v| v.starts_with("http"));
            let name = value.get("name").and_then(text_of).unwrap_or_default();
            vec![(name, uri)]
        }
        other => text_of(other)
            .map(|text| {
                plain_text(&text)
                    .split([',', ';', '\n', '•'])
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .map(|s| (s, None))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// An education level named in English (schema.org's credential
/// categories) or Dutch ("mbo 2", "vmbo", "hbo").
pub fn education_named(text: &str) -> Option<Education> {
    let text = text.to_lowercase();
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    let mbo_level = words.windows(2).find_map(|pair| match pair {
        ["mbo", level] => level.parse::<u8>().ok(),
        _ => None,
    });
    let glued = words
        .iter()
        .find_map(|w| w.strip_prefix("mbo").and_then(|l| l.parse::<u8>().ok()));
    match mbo_level.or(glued) {
        Some(1) => return Some(Education::Mbo1),
        Some(2) => return Some(Education::Mbo2),
        Some(3) => return Some(Education::Mbo3),
        Some(4) => return Some(Education::Mbo4),
        _ => {}
    }
    if text.contains("postgraduate") || text.contains("master") || has("wo") || text.contains("universit") {
        Some(Education::Wo)
    } else if text.contains("bachelor") || text.contains("associate") || has("hbo") {
        Some(Education::Hbo)
    } else if has("vmbo") || has("entree") {
        Some(Education::Mbo1)
    } else if text.contains("high school") || has("havo") || has("vwo") || has("mbo") {
        Some(Education::Mbo2)
    } else if text.contains("no requirements") || has("geen") {
        Some(Education::Geen)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_hours_and_levels_are_read_from_everyday_text() {
        assert_eq!(pc4_in("Laan 12, 2525 AB Den Haag").as_deref(), Some("2525"));
        assert_eq!(pc4_in("postbus 123456"), None);
        assert_eq!(whole_numbers("32-38 uur per week"), vec![32, 38]);
        assert_eq!(education_named("mbo 2"), Some(Education::Mbo2));
        assert_eq!(education_named("MBO-3 diploma"), Some(Education::Mbo3));
        assert_eq!(education_named("vmbo"), Some(Education::Mbo1));
        assert_eq!(education_named("bachelor degree"), Some(Education::Hbo));
        assert_eq!(education_named("professional certificate"), None);
        assert_eq!(isco_code_in("9333 Laders"), Some("9333".into()));
    }
}
