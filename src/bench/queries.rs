//! A fixed, realistic query mix: one to three words from real titles and
//! skills, typos, filters and radius searches around wijken.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::web::params::SearchParams;

const WORDS: [&str; 40] = [
    "magazijnmedewerker",
    "orderpicker",
    "heftruck",
    "chauffeur",
    "bezorger",
    "verzorgende",
    "helpende",
    "thuiszorg",
    "kok",
    "afwasser",
    "bediening",
    "barista",
    "schoonmaker",
    "schoonmaak",
    "kassa",
    "vakkenvuller",
    "verkoper",
    "timmerman",
    "elektricien",
    "monteur",
    "schilder",
    "beveiliger",
    "klantenservice",
    "administratief",
    "receptionist",
    "servicedesk",
    "ontwikkelaar",
    "hovenier",
    "pedagogisch",
    "kinderopvang",
    "logistiek",
    "zorg",
    "horeca",
    "medewerker",
    "parttime",
    "avond",
    "weekend",
    "rijbewijs",
    "vca",
    "scanner",
];
const SECTORS: [&str; 6] = [
    "logistiek",
    "zorg",
    "horeca",
    "schoonmaak",
    "detailhandel",
    "bouw",
];
const WIJKEN: [&str; 8] = [
    "Schildersbuurt",
    "Transvaalkwartier",
    "Moerwijk",
    "Laakkwartier en Spoorwijk",
    "Centrum",
    "Bouwlust en Vrederust",
    "Forepark",
    "Scheveningen",
];

/// `count` search parameter sets, the same for the same seed.
pub fn mix(count: usize, seed: u64) -> Vec<SearchParams> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..count).map(|i| one(i, &mut rng)).collect()
}

fn one(i: usize, rng: &mut StdRng) -> SearchParams {
    let n_words = rng.random_range(1..=3);
    let mut words: Vec<String> = (0..n_words)
        .map(|_| WORDS[rng.random_range(0..WORDS.len())].to_string())
        .collect();
    if i.is_multiple_of(5) {
        words[0] = typo(&words[0], rng);
    }
    let mut params = SearchParams {
        q: Some(words.join(" ")),
        ..SearchParams::default()
    };
    match i % 4 {
        0 => params.sector = Some(SECTORS[rng.random_range(0..SECTORS.len())].to_string()),
        1 => {
            params.education = Some("mbo2".into());
            params.hours_min = Some("16".into());
        }
        2 => {
            params.wijk = Some(WIJKEN[rng.random_range(0..WIJKEN.len())].to_string());
            params.radius_km = Some(format!("{}", rng.random_range(1..=6)));
        }
        _ => params.dutch_level = Some("B1".into()),
    }
    params
}

/// What people type into the skills field while filling in a profile: a
/// word of the mix, its first letters while still typing, or a slip.
pub fn typed_skills(count: usize, seed: u64) -> Vec<String> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..count)
        .map(|i| {
            let word = WORDS[rng.random_range(0..WORDS.len())];
            match i % 3 {
                0 => word.to_string(),
                1 => word.chars().take(5).collect(),
                _ => typo(word, &mut rng),
            }
        })
        .collect()
}

/// One letter dropped from a long word: the kind of slip people make.
fn typo(word: &str, rng: &mut StdRng) -> String {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 6 {
        return word.to_string();
    }
    let drop = rng.random_range(1..chars.len() - 1);
    chars
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != drop)
        .map(|(_, c)| c)
        .collect()
}

/// The query string of a parameter set, for HTTP.
pub fn query_string(p: &SearchParams) -> Vec<(&'static str, String)> {
    let fields: [(&'static str, &Option<String>); 8] = [
        ("q", &p.q),
        ("sector", &p.sector),
        ("education", &p.education),
        ("hours_min", &p.hours_min),
        ("wijk", &p.wijk),
        ("radius_km", &p.radius_km),
        ("dutch_level", &p.dutch_level),
        ("limit", &p.limit),
    ];
    fields
        .into_iter()
        .filter_map(|(k, v)| v.clone().map(|v| (k, v)))
        .collect()
}
