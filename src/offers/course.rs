//! A schema.org `Course`, as providers' systems and course catalogues give
//! it, read into a training body, and the training feed that holds such
//! courses (`banenlift import trainings`). What cannot be mapped is
//! reported; a course Banenlift cannot place in Den Haag is refused with
//! the reason.

use serde_json::{Value, json};
use time::Date;

use super::import::{CsvRow, FeedKind, Sourced};
use super::schema_org::{
    self, PlaceAsked, date_part, dutch_level, education_named, number, text_of, values, whole_numbers,
};
use super::training::TrainingInput;
use crate::codes::{Code, Cost, Education, TrainingKind};
use crate::dates::today;
use crate::error::AppError;
use crate::reference::{Context, SkillInput, WijkInput};
use crate::storage::TrainingRow;
use crate::validate::Checker;

const TRAINING_PLACE: PlaceAsked = PlaceAsked {
    none_given: "Geef de plek van de opleiding: een adres met postcode, of geo met latitude en longitude. / Give the place of the course: an address with a postcode, or geo.",
    outside: "Banenlift is voor opleidingen in Den Haag. / This place is not in Den Haag.",
};
const WEEKS_PER_MONTH: f64 = 52.0 / 12.0;

/// Reads a `Course`. Refused (422, fields named as in Course) when it is
/// not one, or lacks what a resident must know: place, length, hours, cost.
pub fn read(doc: Value, ctx: &Context<'_>, today: Date) -> Result<Sourced<TrainingInput>, AppError> {
    let digest = schema_org::digest(&doc);
    let mut reader = schema_org::Reader::new(ctx, Checker::default());
    if !doc.get("@type").is_some_and(is_course) {
        reader.check.fail(
            "@type",
            "Stuur één schema.org Course (een object met \"@type\": \"Course\"). / Send one schema.org Course.",
        );
        return Err(reader
            .check
            .finish()
            .err()
            .unwrap_or_else(super::missing_after_check));
    }
    let instances: Vec<&Value> = doc
        .get("hasCourseInstance")
        .map(values)
        .into_iter()
        .flatten()
        .collect();
    let places: Vec<Value> = instances
        .iter()
        .filter_map(|i| i.get("location").cloned())
        .chain(doc.get("location").cloned())
        .collect();
    let place = reader.place("location", Some(&Value::Array(places)), &TRAINING_PLACE);
    let (skills, free) = reader.skills("teaches", doc.get("teaches"));
    let mut description = reader.html_text(doc.get("description"));
    if !free.is_empty() {
        description = format!("{description}\n\nWat je leert: {}.", free.join(", "));
    }
    let occupations = reader.occupations("occupationalCategory", doc.get("occupationalCategory"));
    let title = reader
        .html_text(doc.get("name"))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let identifier = reader.identifier(doc.get("identifier"));
    let crebo = crebo(&doc);
    let level = level(&doc);
    let duration_weeks = duration_weeks(&mut reader, &doc, &instances);
    let hours_per_week = hours_per_week(&mut reader, &doc, &instances);
    let (cost, price_eur) = cost(&mut reader, &doc);
    let today_text = today.to_string();
    let start_dates = start_dates(&instances, &today_text);
    let (signup_url, signup_email, signup_phone) = ways_to_sign_up(&doc);
    let kind = kind(&doc, crebo.is_some() || level.is_some(), &title);
    let expired = [
        doc.get("expires"),
        offers(&doc).and_then(|o| o.get("validThrough")),
    ]
    .into_iter()
    .filter_map(date_part)
    .any(|end| end < today_text);
    // What the shared reader noted as not mapped has no answer to go into:
    // a feed's summary counts documents, not properties.
    let schema_org::Reader { check, .. } = reader;
    check.finish()?;
    let Some((wijk, point)) = place else {
        return Err(super::missing_after_check());
    };
    let input = TrainingInput {
        organisation_id: None,
        title,
        dutch_level: dutch_level(doc.get("coursePrerequisites"), &description),
        description,
        kind: kind.code().into(),
        crebo,
        level: level.map(|l| l.code().into()),
        duration_weeks,
        hours_per_week,
        cost: cost.code().into(),
        price_eur,
        wijk: WijkInput::Code(wijk),
        lat: Some(point.lat),
        lon: Some(point.lon),
        languages: languages(&doc),
        bbl: is_bbl(&doc),
        starts_on: None,
        start_dates,
        signup: String::new(),
        signup_url,
        signup_email,
        signup_phone,
        skills: skills.into_iter().map(SkillInput::Name).collect(),
        occupations,
        id: None,
        provider: None,
        sector: None,
        status: None,
        fictitious: None,
    };
    Ok(Sourced {
        input,
        identifier,
        expired,
        digest,
    })
}

/// The refusal of a course whose end has passed.
pub fn expired() -> AppError {
    AppError::invalid(
        "expires",
        "Deze opleiding is al voorbij. / This course has ended.",
    )
}

/// A training check's field, told as the Course property it came from.
pub fn as_course_errors(error: AppError) -> AppError {
    schema_org::as_document_errors(error, course_property)
}

fn course_property(field: &str) -> &str {
    match field {
        "title" => "name",
        "kind" => "additionalType",
        "crebo" => "courseCode",
        "level" => "educationalCredentialAwarded",
        "duration_weeks" => "timeRequired",
        "hours_min" | "hours_per_week" => "courseWorkload",
        "cost" | "price_eur" => "offers",
        "wijk" | "lat" | "lon" => "location",
        "languages" => "inLanguage",
        "dutch_level" => "coursePrerequisites",
        "starts_on" | "start_dates" => "hasCourseInstance",
        "signup_url" | "signup_email" | "signup_phone" | "signup" => "url",
        "skills" => "teaches",
        other => other,
    }
}

fn is_course(kind: &Value) -> bool {
    values(kind).any(|k| matches!(k.as_str(), Some("Course" | "EducationalOccupationalProgram")))
}

/// The first `Offer` of `offers`.
fn offers(doc: &Value) -> Option<&Value> {
    doc.get("offers").map(values).into_iter().flatten().next()
}

/// A `courseCode` of five digits is an MBO crebo code; any other code is
/// the provider's own and not taken over.
fn crebo(doc: &Value) -> Option<String> {
    doc.get("courseCode")
        .and_then(text_of)
        .filter(|code| code.len() == 5 && code.chars().all(|c| c.is_ascii_digit()))
}

/// The MBO level the course leads to, from `educationalCredentialAwarded`
/// or `educationalLevel`; another level (hbo, a certificate) is none.
fn level(doc: &Value) -> Option<Education> {
    let given: Vec<String> = ["educationalCredentialAwarded", "educationalLevel"]
        .iter()
        .filter_map(|k| doc.get(*k))
        .flat_map(values)
        .filter_map(|v| match v {
            Value::Object(_) => ["credentialCategory", "educationalLevel", "name"]
                .iter()
                .find_map(|k| v.get(*k).and_then(text_of)),
            other => text_of(other),
        })
        .collect();
    given.iter().find_map(|t| education_named(t)).filter(|level| {
        matches!(
            level,
            Education::Mbo1 | Education::Mbo2 | Education::Mbo3 | Education::Mbo4
        )
    })
}

/// The length in weeks, from `timeRequired` (an ISO 8601 duration such as
/// `P12W`, `P6M` or `P3D`) or the instances' start and end dates.
fn duration_weeks(reader: &mut schema_org::Reader<'_>, doc: &Value, instances: &[&Value]) -> i64 {
    let given = doc.get("timeRequired").and_then(text_of);
    if let Some(weeks) = given.as_deref().and_then(iso_weeks) {
        return weeks;
    }
    let from_dates = instances.iter().find_map(|i| {
        let day = |k: &str| {
            let text = date_part(i.get(k))?;
            Date::parse(&text, time::macros::format_description!("[year]-[month]-[day]")).ok()
        };
        let days = (day("endDate")? - day("startDate")?).whole_days();
        (days >= 0).then(|| (days + 1 + 6) / 7)
    });
    if let Some(weeks) = from_dates {
        return weeks.max(1);
    }
    reader.check.fail(
        "timeRequired",
        "Geef de duur van de opleiding: timeRequired, zoals \"P12W\" (12 weken), of een startDate en endDate. / Give the length, such as P12W.",
    );
    0
}

/// Weeks in an ISO 8601 duration, rounded up: `P12W` → 12, `P6M` → 26,
/// `P1Y` → 52, `P3D` → 1, `PT16H` → 1.
fn iso_weeks(text: &str) -> Option<i64> {
    let text = text.trim().to_uppercase();
    let rest = text.strip_prefix('P')?;
    let (date_part, time_part) = rest.split_once('T').unwrap_or((rest, ""));
    let mut weeks = 0.0;
    let mut number = String::new();
    for c in date_part.chars() {
        if c.is_ascii_digit() || c == '.' || c == ',' {
            number.push(if c == ',' { '.' } else { c });
            continue;
        }
        let n: f64 = number.parse().ok()?;
        number.clear();
        weeks += match c {
            'Y' => n * 52.0,
            'M' => n * WEEKS_PER_MONTH,
            'W' => n,
            'D' => n / 7.0,
            _ => return None,
        };
    }
    let any_time = !time_part.is_empty();
    // Months are not whole weeks: a little slack keeps P6M at 26.
    let weeks = (weeks - 1e-6).ceil() as i64;
    match (weeks, any_time) {
        (0, true) => Some(1),
        (0, false) => None,
        (w, _) => Some(w),
    }
}

/// Hours a week from `courseWorkload` (of the course or an instance), as
/// a duration (`PT16H`) or text ("16 uur per week").
fn hours_per_week(reader: &mut schema_org::Reader<'_>, doc: &Value, instances: &[&Value]) -> i64 {
    let given = std::iter::once(doc)
        .chain(instances.iter().copied())
        .find_map(|v| v.get("courseWorkload").and_then(text_of));
    if let Some(hours) = given.as_deref().and_then(workload_hours) {
        return hours;
    }
    reader.check.fail(
        "courseWorkload",
        "Geef de uren per week: courseWorkload, zoals \"PT8H\" of \"8 uur per week\". / Give the hours a week, such as PT8H.",
    );
    0
}

fn workload_hours(text: &str) -> Option<i64> {
    let upper = text.trim().to_uppercase();
    if let Some(hours) = upper.strip_prefix("PT").and_then(|t| t.strip_suffix('H')) {
        return hours
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .map(|h| h.round() as i64);
    }
    whole_numbers(text).into_iter().max()
}

/// Free, subsidised or paid, from `isAccessibleForFree` and the offer's
/// `price` and `category`.
fn cost(reader: &mut schema_org::Reader<'_>, doc: &Value) -> (Cost, Option<f64>) {
    let offer = offers(doc);
    let price = offer.and_then(|o| o.get("price")).and_then(number);
    let category = offer
        .and_then(|o| o.get("category"))
        .and_then(text_of)
        .map(|c| c.to_lowercase());
    let free = doc
        .get("isAccessibleForFree")
        .is_some_and(|f| f.as_bool() == Some(true) || text_of(f).is_some_and(|t| t == "true"));
    if category.as_deref().is_some_and(|c| c.contains("subsid")) {
        return (Cost::Gesubsidieerd, price);
    }
    match (free, price) {
        (true, _) | (false, Some(0.0)) => (Cost::Gratis, None),
        (false, Some(price)) => {
            // Only a price in euros is shown as one.
            let currency = offer.and_then(|o| o.get("priceCurrency")).and_then(text_of);
            let euros = currency.is_none_or(|c| c.eq_ignore_ascii_case("EUR"));
            (Cost::Betaald, euros.then_some(price))
        }
        (false, None) => {
            reader.check.fail(
                "offers",
                "Geef de kosten: offers met een price (0 is gratis), of isAccessibleForFree. / Give the cost.",
            );
            (Cost::Betaald, None)
        }
    }
}

/// The instances' start dates still to come.
fn start_dates(instances: &[&Value], today: &str) -> Vec<String> {
    instances
        .iter()
        .filter_map(|i| date_part(i.get("startDate")))
        .filter(|d| d.as_str() >= today)
        .collect()
}

/// The course's `url`, and the provider's e-mail address and phone.
fn ways_to_sign_up(doc: &Value) -> (Option<String>, Option<String>, Option<String>) {
    let provider = doc.get("provider").map(values).into_iter().flatten().next();
    let field = |name: &str| provider.and_then(|p| p.get(name)).and_then(text_of);
    let url = doc
        .get("url")
        .and_then(text_of)
        .or_else(|| offers(doc).and_then(|o| o.get("url")).and_then(text_of));
    (url, field("email"), field("telephone"))
}

/// `additionalType` when it names a kind; else an MBO course when it has a
/// crebo or level, a language course when its name says so, or a course.
fn kind(doc: &Value, mbo: bool, title: &str) -> TrainingKind {
    let stated = doc
        .get("additionalType")
        .map(values)
        .into_iter()
        .flatten()
        .filter_map(text_of)
        .find_map(|t| {
            let t = t.to_lowercase();
            TrainingKind::ALL
                .iter()
                .copied()
                .find(|k| k.code() == t || k.label().to_lowercase() == t)
        });
    let title = title.to_lowercase();
    let about_language = ["taal", "nt2", "nederlands leren", "inburger"]
        .iter()
        .any(|w| title.contains(w));
    stated.unwrap_or(if mbo {
        TrainingKind::Mbo
    } else if about_language {
        TrainingKind::Taal
    } else {
        TrainingKind::Cursus
    })
}

/// The languages it is taught in, as ISO 639-1 codes (`nl-NL` → `nl`).
fn languages(doc: &Value) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for code in doc
        .get("inLanguage")
        .map(values)
        .into_iter()
        .flatten()
        .filter_map(|v| v.get("alternateName").and_then(text_of).or_else(|| text_of(v)))
    {
        let code = code.split(['-', '_']).next().unwrap_or_default().to_lowercase();
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// Work-based learning (BBL), as `educationalProgramMode` says.
fn is_bbl(doc: &Value) -> bool {
    doc.get("educationalProgramMode")
        .and_then(text_of)
        .is_some_and(|m| {
            let m = m.to_lowercase();
            m.contains("bbl") || m.contains("werkend leren")
        })
}

/// The training CSV header, in this order (README documents each column).
const CSV_HEADER: [&str; 23] = [
    "identifier",
    "title",
    "description",
    "kind",
    "crebo",
    "level",
    "duration_weeks",
    "hours_per_week",
    "cost",
    "price_eur",
    "postcode",
    "lat",
    "lon",
    "languages",
    "dutch_level",
    "bbl",
    "start_dates",
    "valid_through",
    "skills",
    "occupations",
    "signup_url",
    "signup_email",
    "signup_phone",
];

/// A CSV row as the Course it stands for.
fn csv_course(row: &CsvRow<'_>) -> Value {
    let get = |column: &str| row.get(column);
    let mut course = json!({
        "@type": "Course",
        "identifier": get("identifier"),
        "name": get("title"),
        "description": get("description"),
        "additionalType": get("kind"),
        "courseCode": get("crebo"),
        "educationalCredentialAwarded": get("level"),
        "timeRequired": get("duration_weeks").map(|w| format!("P{w}W")),
        "courseWorkload": get("hours_per_week").map(|h| format!("PT{h}H")),
        "location": {
            "address": {"postalCode": get("postcode")},
            "geo": {"latitude": row.number("lat"), "longitude": row.number("lon")}
        },
        "inLanguage": row.list("languages"),
        "teaches": row.list("skills"),
        "occupationalCategory": row.list("occupations"),
        "expires": get("valid_through"),
        "url": get("signup_url"),
        "provider": {"email": get("signup_email"), "telephone": get("signup_phone")},
        "hasCourseInstance": row.list("start_dates").unwrap_or_default().iter()
            .map(|d| json!({"@type": "CourseInstance", "startDate": d}))
            .collect::<Vec<_>>(),
    });
    if let Some(level) = get("dutch_level") {
        course["coursePrerequisites"] = format!("Nederlands op niveau {level}").into();
    }
    if get("bbl").is_some_and(|b| matches!(b.to_lowercase().as_str(), "ja" | "true" | "1" | "bbl")) {
        course["educationalProgramMode"] = "BBL".into();
    }
    match get("cost") {
        Some("gratis") => course["isAccessibleForFree"] = true.into(),
        Some(category) => {
            course["offers"] = json!({
                "@type": "Offer",
                "category": category,
                "price": row.number("price_eur"),
                "priceCurrency": "EUR"
            })
        }
        None => {}
    }
    course
}

/// A training feed: Courses, or CSV rows read as Courses.
pub struct Trainings;

impl FeedKind for Trainings {
    type Row = TrainingRow;
    type Input = TrainingInput;
    const CSV_HEADER: &'static [&'static str] = &CSV_HEADER;
    const PUBLISHER: &'static str = "opleider";
    const NOUN: &'static str = "opleidingen";

    fn for_organisation(_sector: String) -> Self {
        Self
    }

    fn csv_document(row: &CsvRow<'_>) -> Value {
        csv_course(row)
    }

    fn read(&self, doc: Value, ctx: &Context<'_>) -> Result<Sourced<TrainingInput>, AppError> {
        read(doc, ctx, today())
    }

    fn expired() -> AppError {
        expired()
    }

    fn row(
        &self,
        input: TrainingInput,
        ctx: &Context<'_>,
        id: String,
        organisation: String,
    ) -> Result<TrainingRow, AppError> {
        input.into_row(ctx, id, organisation).map_err(as_course_errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_durations_become_whole_weeks() {
        assert_eq!(iso_weeks("P12W"), Some(12));
        assert_eq!(iso_weeks("P6M"), Some(26));
        assert_eq!(iso_weeks("P1Y"), Some(52));
        assert_eq!(iso_weeks("P3D"), Some(1));
        assert_eq!(iso_weeks("PT16H"), Some(1));
        assert_eq!(iso_weeks("P1Y6M"), Some(78));
        assert_eq!(iso_weeks("twaalf weken"), None);
        assert_eq!(iso_weeks("P"), None);
    }

    #[test]
    fn workload_is_read_as_a_duration_or_as_text() {
        assert_eq!(workload_hours("PT16H"), Some(16));
        assert_eq!(workload_hours("8 uur per week"), Some(8));
        assert_eq!(workload_hours("4-6 uur"), Some(6));
        assert_eq!(workload_hours("flexibel"), None);
    }
}
