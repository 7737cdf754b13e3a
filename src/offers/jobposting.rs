//! A schema.org `JobPosting`, in the shapes applicant-tracking systems, job
//! boards and the Google for Jobs guidelines give it, read into a vacancy
//! body. What cannot be mapped is reported, never silently dropped; a
//! posting Banenlift cannot place in Den Haag is refused with the reason.

use serde::Deserialize;
use serde_json::{Value, json};
use time::Date;

use super::import::{CsvRow, FeedKind, Sourced};
pub use super::schema_org::Unmapped;
use super::schema_org::{
    self, PlaceAsked, date_part, dutch_level, education_named, number, text_of, values, whole_numbers,
};
use super::vacancy::{VacancyInput, VacancyView};
use crate::codes::{Code, Contract, Education, Sector};
use crate::dates::today;
use crate::error::AppError;
use crate::reference::{Context, SkillInput, WijkInput};
use crate::storage::VacancyRow;
use crate::validate::Checker;

const WORK_PLACE: PlaceAsked = PlaceAsked {
    none_given: "Geef de plek van het werk: een adres met postcode, of geo met latitude en longitude. Werk op afstand kan hier niet. / Give the place of work: an address with a postcode, or geo.",
    outside: "Banenlift is voor werk in Den Haag. / This place is not in Den Haag.",
};

/// The schema.org `JobPosting` properties Banenlift reads
/// (<https://schema.org/JobPosting>). Each may be given in any of the shapes
/// schema.org allows: a text, an object, or a list of them. Other properties
/// are ignored.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "@context": "https://schema.org/",
    "@type": "JobPosting",
    "title": "Medewerker bediening",
    "description": "<p>Je helpt gasten in ons restaurant aan de haven.</p><ul><li>Weekend en avond</li></ul>",
    "datePosted": "2026-11-20",
    "validThrough": "2027-01-31T23:59",
    "employmentType": ["PART_TIME", "TEMPORARY"],
    "workHours": "16-24 uur per week",
    "baseSalary": {"@type": "MonetaryAmount", "currency": "EUR",
        "value": {"@type": "QuantitativeValue", "minValue": 14.4, "maxValue": 15.5, "unitText": "HOUR"}},
    "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress",
        "streetAddress": "Dr. Lelykade 1", "postalCode": "2583 CL", "addressLocality": "Den Haag"}},
    "hiringOrganization": {"@type": "Organization", "name": "Restaurant De Haven"},
    "skills": ["gasten bedienen", "afwassen"],
    "educationRequirements": "geen diploma nodig",
    "applicationContact": {"@type": "ContactPoint", "email": "werk@voorbeeld.example"},
    "identifier": {"@type": "PropertyValue", "name": "ATS", "value": "REQ-1001"}
}))]
pub struct JobPosting {
    /// `JobPosting` (or a list holding it).
    #[serde(rename = "@type")]
    pub kind: Option<Value>,
    pub title: Option<Value>,
    /// HTML is allowed; it is reduced to plain text (paragraphs, lists).
    pub description: Option<Value>,
    pub date_posted: Option<Value>,
    pub valid_through: Option<Value>,
    /// `FULL_TIME`, `PART_TIME`, `TEMPORARY`, `PER_DIEM`, …
    pub employment_type: Option<Value>,
    /// Such as "32-38 uur per week".
    pub work_hours: Option<Value>,
    /// A `MonetaryAmount` in EUR per HOUR, MONTH or YEAR.
    pub base_salary: Option<Value>,
    /// A `Place` (or a list) with a Den Haag `address.postalCode` or `geo`.
    pub job_location: Option<Value>,
    /// Informative for an employer, whose vacancies are its own
    /// organisation's; an admin names the organisation in its `identifier`.
    pub hiring_organization: Option<Value>,
    pub industry: Option<Value>,
    /// Texts or `DefinedTerm`s (a `termCode` may be an ESCO skill URI).
    pub skills: Option<Value>,
    pub qualifications: Option<Value>,
    /// An ESCO occupation URI or label, or an ISCO-08 code.
    pub occupational_category: Option<Value>,
    pub education_requirements: Option<Value>,
    /// Where to apply.
    pub url: Option<Value>,
    /// A `ContactPoint` with `email`, `telephone` or `url`.
    pub application_contact: Option<Value>,
    /// The poster's own id: the same posting sent again is recognised.
    pub identifier: Option<Value>,
}

/// A posting read into a vacancy body, with what it could not map.
#[derive(Debug)]
pub struct Mapping {
    pub input: VacancyInput,
    /// `datePosted` when it is a date that has come; otherwise today.
    pub posted_on: String,
    /// The poster's own id of the posting (`identifier`).
    pub identifier: Option<String>,
    /// `validThrough` has passed: a new posting is refused, a stored one
    /// closed.
    pub expired: bool,
    /// SHA-256 of the document as sent: an unchanged posting in a feed has
    /// the same digest.
    pub digest: String,
    pub unmapped: Vec<Unmapped>,
}

/// The organisation the posting is for, as far as the mapping needs it.
pub struct Poster<'a> {
    /// Its sector: the vacancy's when the posting names none.
    pub sector: &'a str,
}

/// Reads a posting. Refused (422, fields named as in JobPosting) when it is
/// not a JobPosting or has no place in Den Haag.
pub fn read(doc: Value, ctx: &Context<'_>, poster: &Poster<'_>, today: Date) -> Result<Mapping, AppError> {
    let digest = schema_org::digest(&doc);
    let mut check = Checker::default();
    let posting = match serde_json::from_value::<JobPosting>(doc) {
        Ok(posting) if posting.kind.as_ref().is_none_or(is_job_posting) => posting,
        _ => {
            check.fail(
                "@type",
                "Stuur één schema.org JobPosting (een object met \"@type\": \"JobPosting\"). / Send one schema.org JobPosting.",
            );
            return Err(check.finish().err().unwrap_or_else(super::missing_after_check));
        }
    };
    let mut reader = Reader {
        posting: &posting,
        doc: schema_org::Reader::new(ctx, check),
    };
    let place = reader
        .doc
        .place("jobLocation", posting.job_location.as_ref(), &WORK_PLACE);
    let occupation_uri = reader
        .doc
        .occupations("occupationalCategory", posting.occupational_category.as_ref())
        .into_iter()
        .next();
    let sector = reader.sector(occupation_uri.as_deref(), poster.sector);
    let (contract, hours) = reader.contract_and_hours();
    let (skills, free_skills) = reader.doc.skills("skills", posting.skills.as_ref());
    let description = with_free_skills(reader.doc.html_text(posting.description.as_ref()), &free_skills);
    let dutch_level = dutch_level(posting.qualifications.as_ref(), &description);
    let (salary_min, salary_max, salary_period) = reader.salary();
    let apply = reader.ways_to_apply();
    let posted_on = reader.posted_on(today);
    let identifier = reader.doc.identifier(posting.identifier.as_ref());
    let education = reader.education();
    let closes_on = date_part(posting.valid_through.as_ref());
    let expired = closes_on
        .as_deref()
        .is_some_and(|c| c < today.to_string().as_str());
    let title = reader
        .doc
        .html_text(posting.title.as_ref())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let schema_org::Reader { check, unmapped, .. } = reader.doc;
    check.finish()?;
    let Some((wijk, point)) = place else {
        return Err(super::missing_after_check());
    };
    let input = VacancyInput {
        organisation_id: None,
        title,
        description,
        occupation_uri,
        sector,
        contract: contract.code().into(),
        hours_min: hours.0,
        hours_max: hours.1,
        education: education.code().into(),
        dutch_level,
        salary_min,
        salary_max,
        salary_period,
        wijk: WijkInput::Code(wijk),
        lat: Some(point.lat),
        lon: Some(point.lon),
        closes_on,
        bbl: false,
        banenafspraak: false,
        apply: String::new(),
        apply_url: apply.0,
        apply_email: apply.1,
        apply_phone: apply.2,
        skills_required: skills.into_iter().map(SkillInput::Name).collect(),
        skills_optional: Vec::new(),
        id: None,
        employer: None,
        parttime: None,
        posted_on: None,
        status: None,
        fictitious: None,
    };
    Ok(Mapping {
        input,
        posted_on,
        identifier,
        expired,
        digest,
        unmapped,
    })
}

/// A vacancy as a schema.org `JobPosting`, for job search engines and
/// feeds; `read` takes it back to the same vacancy, except for what
/// JobPosting has no place for (optional skills, BBL, banenafspraak).
pub fn write(view: &VacancyView) -> Value {
    let mut employment = vec![if view.parttime { "PART_TIME" } else { "FULL_TIME" }];
    employment.extend(match view.contract.as_str() {
        "tijdelijk" => ["TEMPORARY"].as_slice(),
        "uitzend" => &["TEMPORARY", "AGENCY"],
        "oproep" => &["PER_DIEM"],
        _ => &["PERMANENT"],
    });
    let hours = if view.hours_min == view.hours_max {
        format!("{} uur per week", view.hours_max)
    } else {
        format!("{}-{} uur per week", view.hours_min, view.hours_max)
    };
    let mut posting = serde_json::json!({
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": view.title,
        "description": as_html(&view.description),
        "datePosted": view.posted_on,
        "employmentType": employment,
        "workHours": hours,
        "hiringOrganization": { "@type": "Organization", "name": view.employer },
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": "Den Haag",
                "addressRegion": view.wijk.name,
                "addressCountry": "NL"
            },
            "geo": { "@type": "GeoCoordinates", "latitude": view.lat, "longitude": view.lon }
        },
        "skills": view.skills_required.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(),
        "qualifications": format!("Nederlands op niveau {}", view.dutch_level),
        "identifier": { "@type": "PropertyValue", "name": "Banenlift", "value": view.id },
        "directApply": view.apply_url.is_some(),
    });
    if let Some(sector) = Sector::parse(&view.sector) {
        posting["industry"] = sector.label().into();
    }
    if let Some(uri) = &view.occupation_uri {
        posting["occupationalCategory"] = uri.clone().into();
    }
    if let Some(education) = Education::parse(&view.education).filter(|e| *e != Education::Geen) {
        posting["educationRequirements"] = serde_json::json!({
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": education.label(),
        });
    }
    if let Some(closes) = &view.closes_on {
        posting["validThrough"] = closes.clone().into();
    }
    if let Some(url) = &view.apply_url {
        posting["url"] = url.clone().into();
    }
    if view.apply_email.is_some() || view.apply_phone.is_some() {
        let mut contact = serde_json::json!({ "@type": "ContactPoint", "contactType": "sollicitaties" });
        if let Some(email) = &view.apply_email {
            contact["email"] = email.clone().into();
        }
        if let Some(phone) = &view.apply_phone {
            contact["telephone"] = phone.clone().into();
        }
        posting["applicationContact"] = contact;
    }
    if let (Some(min), Some(period)) = (view.salary_min, view.salary_period.as_deref()) {
        let unit = match period {
            "uur" => "HOUR",
            "maand" => "MONTH",
            _ => "YEAR",
        };
        posting["baseSalary"] = serde_json::json!({
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": min,
                "maxValue": view.salary_max.unwrap_or(min),
                "unitText": unit
            }
        });
    }
    posting
}

/// The refusal of a posting whose `validThrough` has passed.
pub fn expired() -> AppError {
    AppError::invalid(
        "validThrough",
        "De sluitdatum is al voorbij. / The closing date has passed.",
    )
}

/// A vacancy check's field, told as the JobPosting property it came from.
pub fn as_posting_errors(error: AppError) -> AppError {
    schema_org::as_document_errors(error, posting_property)
}

fn posting_property(field: &str) -> &str {
    match field {
        "sector" => "industry",
        "contract" => "employmentType",
        "hours_min" | "hours_max" => "workHours",
        "education" => "educationRequirements",
        "salary_min" | "salary_max" | "salary_period" => "baseSalary",
        "wijk" | "lat" | "lon" => "jobLocation",
        "closes_on" => "validThrough",
        "skills_required" | "skills_optional" => "skills",
        "occupation_uri" => "occupationalCategory",
        "apply_url" => "url",
        "apply_email" | "apply_phone" | "apply" => "applicationContact",
        "dutch_level" => "description",
        other => other,
    }
}

/// The JobPosting's own properties, read beside the shared ones.
struct Reader<'a> {
    posting: &'a JobPosting,
    doc: schema_org::Reader<'a>,
}

impl Reader<'_> {
    fn sector(&mut self, occupation_uri: Option<&str>, poster_sector: &str) -> String {
        let industry = self.posting.industry.as_ref().and_then(text_of);
        if let Some(sector) = industry.as_deref().and_then(sector_named) {
            return sector.code().into();
        }
        if let Some(industry) = industry {
            self.doc.note(
                "industry",
                industry,
                "Geen bekende sector; de sector van het beroep of de organisatie is gekozen. / Unknown sector.",
            );
        }
        occupation_uri
            .and_then(|uri| self.doc.ctx.taxonomy.get(uri))
            .map_or_else(|| poster_sector.to_string(), |o| o.sector.clone())
    }

    fn contract_and_hours(&mut self) -> (Contract, (i64, i64)) {
        let types: Vec<String> = self
            .posting
            .employment_type
            .as_ref()
            .map(values)
            .into_iter()
            .flatten()
            .filter_map(text_of)
            .flat_map(|t| t.split(',').map(|p| p.trim().to_uppercase()).collect::<Vec<_>>())
            .collect();
        let mut contract = None;
        let mut unknown = Vec::new();
        for kind in &types {
            match kind.as_str() {
                "FULL_TIME" | "PART_TIME" => {}
                "TEMPORARY" => contract = Some(Contract::Tijdelijk),
                "PER_DIEM" => contract = Some(Contract::Oproep),
                "PERMANENT" => contract = Some(Contract::Vast),
                "AGENCY" => contract = Some(Contract::Uitzend),
                other => match Contract::parse(&other.to_lowercase()) {
                    Some(c) => contract = Some(c),
                    None => unknown.push(other.to_string()),
                },
            }
        }
        if !unknown.is_empty() || contract.is_none() {
            self.doc.note(
                "employmentType",
                types.join(", "),
                "Geen soort contract dat Banenlift kent; 'vast' is gekozen. Pas het aan als dat niet klopt. / No known contract type; 'vast' was chosen.",
            );
        }
        let hours = self.hours(
            types.iter().any(|t| t == "FULL_TIME"),
            types.iter().any(|t| t == "PART_TIME"),
        );
        (contract.unwrap_or(Contract::Vast), hours)
    }

    fn hours(&mut self, full_time: bool, part_time: bool) -> (i64, i64) {
        let given = self.posting.work_hours.as_ref().and_then(text_of);
        let numbers = given.as_deref().map(whole_numbers).unwrap_or_default();
        match numbers.as_slice() {
            [one] => return (*one, *one),
            [min, max, ..] => return (*min.min(max), *min.max(max)),
            [] => {}
        }
        let (hours, assumed) = match (full_time, part_time) {
            (true, _) => ((36, 40), "36 tot 40"),
            (false, true) => ((12, 32), "12 tot 32"),
            _ => ((0, 40), "0 tot 40"),
        };
        self.doc.note(
            "workHours",
            given.unwrap_or_default(),
            &format!("Geen aantal uren per week gevonden; {assumed} uur is aangenomen. / No hours a week found; {assumed} assumed."),
        );
        hours
    }

    fn salary(&mut self) -> (Option<f64>, Option<f64>, Option<String>) {
        let Some(salary) = self
            .posting
            .base_salary
            .as_ref()
            .map(values)
            .into_iter()
            .flatten()
            .next()
        else {
            return (None, None, None);
        };
        let amount = salary.get("value").unwrap_or(salary);
        let currency = salary
            .get("currency")
            .or_else(|| amount.get("currency"))
            .and_then(text_of);
        let unit = amount
            .get("unitText")
            .or_else(|| salary.get("unitText"))
            .and_then(text_of);
        let single = number(amount).or_else(|| amount.get("value").and_then(number));
        let min = amount.get("minValue").and_then(number).or(single);
        let max = amount.get("maxValue").and_then(number).or(single);
        let period = match unit.as_deref().map(str::to_uppercase).as_deref() {
            Some("HOUR") => Some("uur"),
            Some("MONTH") => Some("maand"),
            Some("YEAR") => Some("jaar"),
            _ => None,
        };
        let euro = currency.as_deref().is_none_or(|c| c.eq_ignore_ascii_case("EUR"));
        match (euro, period, min.or(max)) {
            (true, Some(period), Some(_)) => (min, max, Some(period.to_string())),
            _ => {
                self.doc.note(
                    "baseSalary",
                    salary.to_string(),
                    "Alleen een salaris in euro per uur, maand of jaar wordt overgenomen. / Only a salary in euros per hour, month or year is taken over.",
                );
                (None, None, None)
            }
        }
    }

    /// The posting's `url`, and the e-mail address, phone number (and a
    /// link, when there is no `url`) of its `applicationContact`.
    fn ways_to_apply(&self) -> (Option<String>, Option<String>, Option<String>) {
        let contact = self
            .posting
            .application_contact
            .as_ref()
            .map(values)
            .into_iter()
            .flatten()
            .next();
        let field = |name: &str| contact.and_then(|c| c.get(name)).and_then(text_of);
        let url = self
            .posting
            .url
            .as_ref()
            .and_then(text_of)
            .or_else(|| field("url"));
        (url, field("email"), field("telephone"))
    }

    fn posted_on(&mut self, today: Date) -> String {
        let given = date_part(self.posting.date_posted.as_ref());
        let parsed = given
            .as_deref()
            .and_then(|d| Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).ok());
        match parsed {
            Some(date) if date <= today => date.to_string(),
            _ => {
                if let Some(given) = given {
                    self.doc.note(
                        "datePosted",
                        given,
                        "Geen datum die al geweest is; vandaag is genomen. / Not a past date; today was used.",
                    );
                }
                today.to_string()
            }
        }
    }

    fn education(&mut self) -> Education {
        let given: Vec<String> = self
            .posting
            .education_requirements
            .as_ref()
            .map(values)
            .into_iter()
            .flatten()
            .filter_map(|v| match v {
                Value::Object(_) => ["credentialCategory", "educationalLevel", "name"]
                    .iter()
                    .find_map(|k| v.get(*k).and_then(text_of)),
                other => text_of(other),
            })
            .collect();
        if given.is_empty() {
            return Education::Geen;
        }
        let levels: Vec<Education> = given.iter().filter_map(|t| education_named(t)).collect();
        match levels.into_iter().min_by_key(|e| e.ordinal()) {
            Some(level) => level,
            None => {
                self.doc.note(
                    "educationRequirements",
                    given.join("; "),
                    "Geen opleidingsniveau dat Banenlift kent; 'geen diploma nodig' is gekozen. / No known level; 'none' was chosen.",
                );
                Education::Geen
            }
        }
    }
}

fn is_job_posting(kind: &Value) -> bool {
    values(kind).any(|k| k.as_str() == Some("JobPosting"))
}

fn sector_named(text: &str) -> Option<Sector> {
    let wanted = text.trim().to_lowercase();
    Sector::ALL
        .iter()
        .copied()
        .find(|s| s.code() == wanted || s.label().to_lowercase() == wanted)
}

/// Plain text as the HTML that search engines expect of a description:
/// paragraphs, and line breaks within them.
fn as_html(text: &str) -> String {
    text.split("\n\n")
        .map(|paragraph| {
            let lines: Vec<String> = paragraph.lines().map(htmlescape::encode_minimal).collect();
            format!("<p>{}</p>", lines.join("<br>"))
        })
        .collect()
}

/// Skills the vocabulary does not know stay findable as text.
fn with_free_skills(description: String, free: &[String]) -> String {
    if free.is_empty() {
        return description;
    }
    format!("{description}\n\nGevraagde vaardigheden: {}.", free.join(", "))
}

/// The CSV header, in this order (README documents each column).
const CSV_HEADER: [&str; 22] = [
    "identifier",
    "title",
    "description",
    "date_posted",
    "valid_through",
    "employment_type",
    "hours_min",
    "hours_max",
    "salary_min",
    "salary_max",
    "salary_period",
    "postcode",
    "lat",
    "lon",
    "employer",
    "skills",
    "occupation_uri",
    "education",
    "dutch_level",
    "apply_url",
    "apply_email",
    "apply_phone",
];

/// A CSV row as the JobPosting it stands for.
fn csv_posting(row: &CsvRow<'_>) -> Value {
    let get = |column: &str| row.get(column);
    let number = |column: &str| row.number(column);
    let mut posting = json!({
        "@type": "JobPosting",
        "identifier": get("identifier"),
        "title": get("title"),
        "description": get("description"),
        "datePosted": get("date_posted"),
        "validThrough": get("valid_through"),
        "employmentType": get("employment_type"),
        "hiringOrganization": get("employer"),
        "occupationalCategory": get("occupation_uri"),
        "educationRequirements": get("education"),
        "url": get("apply_url"),
        "applicationContact": {"email": get("apply_email"), "telephone": get("apply_phone")},
        "skills": row.list("skills"),
        "jobLocation": {
            "address": {"postalCode": get("postcode")},
            "geo": {"latitude": number("lat"), "longitude": number("lon")}
        },
    });
    if let Some(level) = get("dutch_level") {
        posting["qualifications"] = format!("Nederlands op niveau {level}").into();
    }
    match (get("hours_min"), get("hours_max")) {
        (Some(min), Some(max)) => posting["workHours"] = format!("{min}-{max}").into(),
        (Some(one), None) | (None, Some(one)) => posting["workHours"] = one.into(),
        (None, None) => {}
    }
    let unit = match get("salary_period") {
        Some("uur") => "HOUR",
        Some("maand") => "MONTH",
        Some("jaar") => "YEAR",
        _ => "",
    };
    if number("salary_min").or(number("salary_max")).is_some() {
        posting["baseSalary"] = json!({
            "currency": "EUR",
            "value": {"minValue": number("salary_min"), "maxValue": number("salary_max"), "unitText": unit}
        });
    }
    posting
}

/// A vacancy feed: JobPostings, or CSV rows read as JobPostings.
pub struct Vacancies {
    /// The employer's sector: the vacancy's when the posting names none.
    sector: String,
}

impl FeedKind for Vacancies {
    type Row = VacancyRow;
    /// The vacancy body and the day it was posted.
    type Input = (VacancyInput, String);
    const CSV_HEADER: &'static [&'static str] = &CSV_HEADER;
    const PUBLISHER: &'static str = "werkgever";
    const NOUN: &'static str = "vacatures";

    fn for_organisation(sector: String) -> Self {
        Self { sector }
    }

    fn csv_document(row: &CsvRow<'_>) -> Value {
        csv_posting(row)
    }

    fn read(&self, doc: Value, ctx: &Context<'_>) -> Result<Sourced<Self::Input>, AppError> {
        let poster = Poster { sector: &self.sector };
        let Mapping {
            input,
            posted_on,
            identifier,
            expired,
            digest,
            ..
        } = read(doc, ctx, &poster, today())?;
        Ok(Sourced {
            input: (input, posted_on),
            identifier,
            expired,
            digest,
        })
    }

    fn expired() -> AppError {
        expired()
    }

    fn row(
        &self,
        (input, posted_on): Self::Input,
        ctx: &Context<'_>,
        id: String,
        organisation: String,
    ) -> Result<VacancyRow, AppError> {
        input
            .into_row(ctx, id, organisation, posted_on)
            .map_err(as_posting_errors)
    }
}
