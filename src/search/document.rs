//! What the index holds of one open offer, and its tantivy document.

use sha2::{Digest, Sha256};
use tantivy::TantivyDocument;
use tantivy::schema::Term;

use super::schema::{Fields, NO_CODE};
pub use crate::codes::OfferKind;

/// The index key of an offer, as a term for deletes and lookups.
pub fn key_term(fields: &Fields, kind: OfferKind, id: &str) -> Term {
    Term::from_field_text(fields.key, &kind.key(id))
}

/// The searchable view of an offer. Codes are ordinals of the lists in
/// `offers::codes` (or `NO_CODE`); days count from 1970-01-01.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferDoc {
    pub kind: OfferKind,
    pub id: String,
    pub title: String,
    pub description: String,
    pub organisation: String,
    pub skill_ids: Vec<String>,
    pub sector: Option<u64>,
    pub contract: Option<u64>,
    pub education: Option<u64>,
    pub dutch_level: u64,
    pub training_kind: Option<u64>,
    pub cost: Option<u64>,
    pub hours_min: u64,
    pub hours_max: u64,
    pub bbl: bool,
    pub banenafspraak: bool,
    pub wijk: u64,
    pub stadsdeel: u64,
    pub lat: f64,
    pub lon: f64,
    pub posted_day: i64,
    /// `i64::MAX` when the offer has no closing date.
    pub closes_day: i64,
}

impl OfferDoc {
    pub fn to_document(&self, f: &Fields) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, self.kind.key(&self.id));
        doc.add_text(f.id, &self.id);
        doc.add_u64(f.kind, self.kind.ordinal());
        doc.add_text(f.title, &self.title);
        doc.add_text(f.description, &self.description);
        doc.add_text(f.organisation, &self.organisation);
        for id in &self.skill_ids {
            doc.add_text(f.skill_ids, id);
        }
        // Titles (and skill names, see `SkillNames`) are the words
        // corrections propose; descriptions would double the indexing work
        // for noisier advice.
        doc.add_text(f.words, &self.title);
        doc.add_u64(f.sector, self.sector.unwrap_or(NO_CODE));
        doc.add_u64(f.contract, self.contract.unwrap_or(NO_CODE));
        doc.add_u64(f.education, self.education.unwrap_or(NO_CODE));
        doc.add_u64(f.dutch_level, self.dutch_level);
        doc.add_u64(f.training_kind, self.training_kind.unwrap_or(NO_CODE));
        doc.add_u64(f.cost, self.cost.unwrap_or(NO_CODE));
        doc.add_u64(f.hours_min, self.hours_min);
        doc.add_u64(f.hours_max, self.hours_max);
        doc.add_u64(f.bbl, u64::from(self.bbl));
        doc.add_u64(f.banenafspraak, u64::from(self.banenafspraak));
        doc.add_u64(f.wijk, self.wijk);
        doc.add_u64(f.stadsdeel, self.stadsdeel);
        doc.add_f64(f.lat, self.lat);
        doc.add_f64(f.lon, self.lon);
        doc.add_i64(f.posted_day, self.posted_day);
        doc.add_i64(f.closes_day, self.closes_day);
        doc.add_u64(f.tiebreak, stable_hash(&self.kind.key(&self.id)));
        doc
    }
}

/// The first 8 bytes of SHA-256: the same on every machine and release.
fn stable_hash(text: &str) -> u64 {
    let digest = Sha256::digest(text.as_bytes());
    u64::from_be_bytes(digest[..8].try_into().unwrap_or_default())
}
