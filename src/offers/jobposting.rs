//! A schema.org `JobPosting`, in the shapes applicant-tracking systems, job
//! boards and the Google for Jobs guidelines give it, read into a vacancy
//! body. What cannot be mapped is reported, never silently dropped; a
//! posting Banenlift cannot place in Den Haag is refused with the reason.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use time::Date;

use super::vacancy::{VacancyInput, VacancyView};
use crate::codes::{Code, Contract, Education, Sector};
use crate::error::{AppError, FieldError};
use crate::geo::Point;
use crate::reference::{Context, SkillInput, WijkInput};
use crate::validate::Checker;

/// How far a `geo` point may lie from the nearest known place in Den Haag.
const MAX_KM_FROM_KNOWN_PLACE: f64 = 1.5;
const MAX_IDENTIFIER_CHARS: usize = 200;
/// Wide enough that the text is never wrapped: the page wraps it.
const TEXT_WIDTH: usize = 100_000;

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

/// A property of the posting that was not (fully) taken over, and why.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Unmapped {
    /// The JobPosting property, such as `skills` or `baseSalary`.
    pub field: String,
    /// What the posting gave, as text.
    pub value: String,
    pub reason: String,
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
    let digest = hex::encode(Sha256::digest(doc.to_string().as_bytes()));
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
        ctx,
        check,
        unmapped: Vec::new(),
    };
    let place = reader.place();
    let occupation_uri = reader.occupation();
    let sector = reader.sector(occupation_uri.as_deref(), poster.sector);
    let (contract, hours) = reader.contract_and_hours();
    let (skills, free_skills) = reader.skills();
    let description = with_free_skills(reader.html_text(posting.description.as_ref()), &free_skills);
    let dutch_level = reader.dutch_level(&description);
    let (salary_min, salary_max, salary_period) = reader.salary();
    let apply = reader.ways_to_apply();
    let posted_on = reader.posted_on(today);
    let identifier = reader.identifier();
    let education = reader.education();
    let closes_on = date_part(posting.valid_through.as_ref());
    let expired = closes_on
        .as_deref()
        .is_some_and(|c| c < today.to_string().as_str());
    let title = reader
        .html_text(posting.title.as_ref())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let Reader { check, unmapped, .. } = reader;
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
    match error {
        AppError::Validation(errors) => AppError::Validation(
            errors
                .into_iter()
                .map(|e| FieldError {
                    field: posting_property(&e.field).to_string(),
                    message: e.message,
                })
                .collect(),
        ),
        other => other,
    }
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

struct Reader<'a> {
    posting: &'a JobPosting,
    ctx: &'a Context<'a>,
    check: Checker,
    unmapped: Vec<Unmapped>,
}

impl Reader<'_> {
    fn note(&mut self, field: &str, value: impl Into<String>, reason: &str) {
        self.unmapped.push(Unmapped {
            field: field.to_string(),
            value: value.into(),
            reason: reason.to_string(),
        });
    }

    /// A property's text with its HTML reduced to plain text.
    fn html_text(&self, property: Option<&Value>) -> String {
        property
            .and_then(text_of)
            .map(|html| plain_text(&html))
            .unwrap_or_default()
    }

    /// The first place of `jobLocation` that lies in Den Haag.
    fn place(&mut self) -> Option<(String, Point)> {
        let places: Vec<&Value> = self
            .posting
            .job_location
            .as_ref()
            .map(values)
            .into_iter()
            .flatten()
            .collect();
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
                "jobLocation",
                refused.join("; "),
                "Alleen de plek in Den Haag is overgenomen. / Only the place in Den Haag was taken over.",
            ),
            (None, Some(reason)) => self.check.fail(
                "jobLocation",
                format!("{reason} Banenlift is voor werk in Den Haag. / This place is not in Den Haag."),
            ),
            (None, None) => self.check.fail(
                "jobLocation",
                "Geef de plek van het werk: een adres met postcode, of geo met latitude en longitude. Werk op afstand kan hier niet. / Give the place of work: an address with a postcode, or geo.",
            ),
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

    /// The ESCO occupation `occupationalCategory` names: a URI, a label, or
    /// an ISCO-08 code that only one known occupation has.
    fn occupation(&mut self) -> Option<String> {
        let given: Vec<String> = self
            .posting
            .occupational_category
            .as_ref()
            .map(values)
            .into_iter()
            .flatten()
            .filter_map(|v| match v {
                Value::Object(_) => v.get("codeValue").or_else(|| v.get("name")).and_then(text_of),
                other => text_of(other),
            })
            .collect();
        if given.is_empty() {
            return None;
        }
        let taxonomy = self.ctx.taxonomy;
        for text in &given {
            if let Some(occupation) = taxonomy.resolve(text) {
                return Some(occupation.uri.clone());
            }
            if let Some(isco) = isco_code_in(text) {
                let group = taxonomy.in_isco_group(&isco);
                if let [only] = group.as_slice() {
                    return Some(only.uri.clone());
                }
            }
        }
        self.note(
            "occupationalCategory",
            given.join("; "),
            "Geen bekend ESCO-beroep (of de ISCO-code past bij meer beroepen). Geef een ESCO-link. / No single known ESCO occupation; give an ESCO URI.",
        );
        None
    }

    fn sector(&mut self, occupation_uri: Option<&str>, poster_sector: &str) -> String {
        let industry = self.posting.industry.as_ref().and_then(text_of);
        if let Some(sector) = industry.as_deref().and_then(sector_named) {
            return sector.code().into();
        }
        if let Some(industry) = industry {
            self.note(
                "industry",
                industry,
                "Geen bekende sector; de sector van het beroep of de organisatie is gekozen. / Unknown sector.",
            );
        }
        occupation_uri
            .and_then(|uri| self.ctx.taxonomy.get(uri))
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
            self.note(
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
        self.note(
            "workHours",
            given.unwrap_or_default(),
            &format!("Geen aantal uren per week gevonden; {assumed} uur is aangenomen. / No hours a week found; {assumed} assumed."),
        );
        hours
    }

    /// Skills the vocabulary knows (by name, alias or ESCO URI), and the
    /// rest as the posting wrote them.
    fn skills(&mut self) -> (Vec<String>, Vec<String>) {
        let given: Vec<(String, Option<String>)> = self
            .posting
            .skills
            .as_ref()
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
                "skills",
                free.join(", "),
                "Niet in de lijst van vaardigheden; als tekst in de omschrijving gezet. / Not in the vocabulary; kept as text in the description.",
            );
        }
        (known, free)
    }

    /// The Dutch level the text asks for (A1 to C2), else A2: the posting
    /// has no property for it.
    fn dutch_level(&self, description: &str) -> String {
        let qualifications = self
            .posting
            .qualifications
            .as_ref()
            .and_then(text_of)
            .unwrap_or_default();
        let text = format!("{qualifications} {description}");
        text.split(|c: char| !c.is_ascii_alphanumeric())
            .find(|word| matches!(*word, "A1" | "A2" | "B1" | "B2" | "C1" | "C2"))
            .unwrap_or("A2")
            .to_string()
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
                self.note(
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
                    self.note(
                        "datePosted",
                        given,
                        "Geen datum die al geweest is; vandaag is genomen. / Not a past date; today was used.",
                    );
                }
                today.to_string()
            }
        }
    }

    fn identifier(&mut self) -> Option<String> {
        let given = self.posting.identifier.as_ref()?;
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
                self.note(
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

/// A single value or each value of an array.
fn values(value: &Value) -> Box<dyn Iterator<Item = &Value> + '_> {
    match value {
        Value::Array(items) => Box::new(items.iter()),
        Value::Null => Box::new(std::iter::empty()),
        other => Box::new(std::iter::once(other)),
    }
}

/// A value as text: a string, a number, or the `name`, `value` or
/// `@value` of an object.
fn text_of(value: &Value) -> Option<String> {
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

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().replace(',', ".").parse().ok(),
        _ => None,
    }
    .filter(|n: &f64| n.is_finite())
}

/// The `YYYY-MM-DD` of a date or date-time.
fn date_part(value: Option<&Value>) -> Option<String> {
    let text = text_of(value?)?;
    Some(text.get(..10).unwrap_or(&text).to_string())
}

/// The four digits of a Dutch postcode ("2525 AB", "2525") in a text.
fn pc4_in(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len().saturating_sub(3)).find_map(|i| {
        let four = &chars[i..i + 4];
        let alone = (i == 0 || !chars[i - 1].is_ascii_digit())
            && chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        (alone && four.iter().all(char::is_ascii_digit) && four[0] != '0').then(|| four.iter().collect())
    })
}

/// A four-digit ISCO-08 unit group at the start of a text ("9333 Laders").
fn isco_code_in(text: &str) -> Option<String> {
    let code: String = text.trim().chars().take_while(char::is_ascii_digit).collect();
    (code.len() == 4).then_some(code)
}

/// The whole numbers in a text, such as "32-38 uur" → [32, 38].
fn whole_numbers(text: &str) -> Vec<i64> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .take(2)
        .collect()
}

/// Each skill a `skills` value names, with its ESCO URI when a
/// `DefinedTerm` carries one; a text may list several, comma-separated.
fn skill_names(value: &Value) -> Vec<(String, Option<String>)> {
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

fn sector_named(text: &str) -> Option<Sector> {
    let wanted = text.trim().to_lowercase();
    Sector::ALL
        .iter()
        .copied()
        .find(|s| s.code() == wanted || s.label().to_lowercase() == wanted)
}

/// An education level named in English (schema.org's credential
/// categories) or Dutch ("mbo 2", "vmbo", "hbo").
fn education_named(text: &str) -> Option<Education> {
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

/// Whether a text holds markup at all: plain text keeps its own lines.
fn has_markup(text: &str) -> bool {
    text.char_indices().any(|(i, c)| {
        c == '<' && text[i + 1..].starts_with(|n: char| n.is_ascii_alphabetic() || n == '/' || n == '!')
    })
}

/// HTML reduced to plain text: first sanitised to the structure a
/// description keeps (paragraphs, line breaks, lists), scripts and styles
/// dropped with their content, then rendered as lines.
pub fn plain_text(html: &str) -> String {
    if !has_markup(html) && !html.contains('&') {
        return html.trim().to_string();
    }
    let allowed = [
        "p", "br", "ul", "ol", "li", "div", "h1", "h2", "h3", "h4", "strong", "em", "b", "i",
    ];
    let safe = ammonia::Builder::empty()
        .tags(allowed.into())
        .clean(html)
        .to_string();
    let text = html2text::config::plain_no_decorate()
        .string_from_read(safe.as_bytes(), TEXT_WIDTH)
        .unwrap_or(safe);
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut out = String::new();
    for line in lines {
        // One blank line at most between paragraphs.
        if line.is_empty() && (out.is_empty() || out.ends_with("\n\n")) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim().to_string()
}

/// Skills the vocabulary does not know stay findable as text.
fn with_free_skills(description: String, free: &[String]) -> String {
    if free.is_empty() {
        return description;
    }
    format!("{description}\n\nGevraagde vaardigheden: {}.", free.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_lines_without_markup_or_scripts() {
        let text = plain_text(
            "<p>Werk in het <strong>magazijn</strong> &amp; de winkel.</p><ul><li>24 uur</li><li>&euro; 14</li></ul><script>alert(1)</script>",
        );
        assert!(text.contains("Werk in het magazijn & de winkel."), "{text}");
        assert!(text.contains("24 uur") && text.contains("€ 14"), "{text}");
        assert!(!text.contains('<') && !text.contains("alert"), "{text}");
    }

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
