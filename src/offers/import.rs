//! Bulk import of a vacancy feed: schema.org JobPostings as a JSON array
//! or one per line (NDJSON), or CSV with the documented header. Postings
//! are upserted by `(source, identifier)`, so a feed can be loaded every
//! night: unchanged postings are left alone, changed ones updated, expired
//! ones closed, and (asked for) the source's vacancies missing from the
//! feed closed too. Each step is written in its own transaction and the
//! closing of missing vacancies comes last, so a run that is interrupted
//! and started again ends as one run without interruption would.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::jobposting::{self, Mapping, Poster};
use crate::dates::today;
use crate::error::AppError;
use crate::reference::Context;
use crate::storage::{ImportBatch, SourcedRow, SourcedVacancy, Store, StoreError, VacancyRow};

/// Postings per transaction: large enough for bulk speed, small enough
/// that an interruption loses little work.
const BATCH: usize = 500;
/// The CSV header, in this order (README documents each column).
pub const CSV_HEADER: [&str; 22] = [
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

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("het bestand is geen JSON-LD en geen CSV dat Banenlift leest: {0} / the file cannot be read")]
    Unreadable(String),
    #[error("de CSV mist de kolom(men) {0}; de kop is: {1} / the CSV header lacks columns")]
    Header(String, String),
    #[error("onbekende werkgever '{0}' / unknown employer organisation")]
    UnknownOrganisation(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One posting as the file holds it: its line, and the text or CSV fields
/// that go into the rejects file when it is refused.
#[derive(Debug, Clone)]
pub struct Record {
    pub line: usize,
    pub raw: Raw,
    /// A CSV row's JobPosting (or why the row cannot be one); JSON text is
    /// parsed when it is read, on every core.
    from_csv: Option<Result<Value, String>>,
}

impl Record {
    /// A posting given as JSON text, such as one line of NDJSON.
    pub fn json(line: usize, text: String) -> Self {
        Self {
            line,
            raw: Raw::Json(text),
            from_csv: None,
        }
    }

    pub fn posting(&self) -> Result<Value, String> {
        match (&self.from_csv, &self.raw) {
            (Some(posting), _) => posting.clone(),
            (None, Raw::Json(text)) => {
                serde_json::from_str(text).map_err(|e| format!("Geen geldige JSON: {e}. / Not valid JSON."))
            }
            (None, Raw::Csv(_)) => Err("Deze regel is geen vacature. / This row is no posting.".into()),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Raw {
    Json(String),
    Csv(Vec<String>),
}

/// A feed's postings, and a CSV's header (for the rejects file).
pub struct Feed {
    pub header: Option<Vec<String>>,
    pub records: Vec<Record>,
}

/// The file's postings, read whole: a JSON array, NDJSON, or CSV.
pub fn read_feed(text: &str, csv: bool) -> Result<Feed, ImportError> {
    if csv {
        return csv_records(text);
    }
    Ok(Feed {
        header: None,
        records: json_records(text)?,
    })
}

fn json_records(text: &str) -> Result<Vec<Record>, ImportError> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('[') {
        let items: Vec<Value> =
            serde_json::from_str(text).map_err(|e| ImportError::Unreadable(e.to_string()))?;
        return Ok(items
            .into_iter()
            .enumerate()
            .map(|(i, posting)| Record::json(i + 1, posting.to_string()))
            .collect());
    }
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| Record::json(i + 1, line.to_string()))
        .collect())
}

fn csv_records(text: &str) -> Result<Feed, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::Unreadable(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let missing: Vec<&str> = CSV_HEADER
        .into_iter()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::Header(missing.join(", "), CSV_HEADER.join(",")));
    }
    let mut records = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let record = match row {
            Ok(row) => {
                let fields: Vec<String> = row.iter().map(str::to_string).collect();
                let posting = if fields.len() == header.len() {
                    Ok(csv_posting(&header, &fields))
                } else {
                    Err(format!(
                        "Deze regel heeft {} velden; de kop heeft er {}. / Wrong number of fields.",
                        fields.len(),
                        header.len()
                    ))
                };
                Record {
                    line,
                    raw: Raw::Csv(fields),
                    from_csv: Some(posting),
                }
            }
            Err(e) => Record {
                line,
                raw: Raw::Csv(Vec::new()),
                from_csv: Some(Err(format!(
                    "Deze regel is geen geldige CSV: {e}. / Not valid CSV."
                ))),
            },
        };
        records.push(record);
    }
    Ok(Feed {
        header: Some(header),
        records,
    })
}

/// The rejects file: for a CSV feed, its rows with the line and reason in
/// front; for JSON-LD, one JSON object per line.
pub fn rejects_file(header: Option<&[String]>, rejected: &[Rejected]) -> String {
    match header {
        Some(header) => {
            let mut out = csv::Writer::from_writer(Vec::new());
            let head = ["line", "reason"]
                .into_iter()
                .map(str::to_string)
                .chain(header.iter().cloned());
            let _ = out.write_record(head.collect::<Vec<_>>());
            for r in rejected {
                let fields = match &r.record.raw {
                    Raw::Csv(fields) => fields.clone(),
                    Raw::Json(text) => vec![text.clone()],
                };
                let row = [r.record.line.to_string(), r.reason.clone()]
                    .into_iter()
                    .chain(fields);
                let _ = out.write_record(row.collect::<Vec<_>>());
            }
            String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
        }
        None => rejected
            .iter()
            .map(|r| {
                let posting = match &r.record.raw {
                    Raw::Json(text) => {
                        serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone()))
                    }
                    Raw::Csv(fields) => fields.clone().into(),
                };
                format!(
                    "{}\n",
                    json!({"line": r.record.line, "reason": r.reason, "posting": posting})
                )
            })
            .collect(),
    }
}

/// A CSV row as the JobPosting it stands for, so that both formats are
/// read by the same rules.
fn csv_posting(header: &[String], fields: &[String]) -> Value {
    let get = |column: &str| -> Option<&str> {
        let i = header.iter().position(|h| h == column)?;
        fields.get(i).map(|f| f.trim()).filter(|f| !f.is_empty())
    };
    let number = |column: &str| get(column).and_then(|v| v.replace(',', ".").parse::<f64>().ok());
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
        "skills": get("skills").map(|s| s.split('|').map(str::trim).collect::<Vec<_>>()),
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

/// Whose feed it is, and whether vacancies missing from it are closed.
pub struct ImportOptions {
    pub organisation: String,
    pub source: String,
    pub close_missing: bool,
}

#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub closed: usize,
    pub rejected: usize,
}

/// A refused posting: where it was, and why, in plain words.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub record: Record,
    pub reason: String,
}

/// Told after each step: how many postings have been read so far.
pub trait Progress: Sync {
    fn advanced(&self, done: usize);
}

pub struct Outcome {
    pub summary: Summary,
    pub rejected: Vec<Rejected>,
}

/// Loads the records into the organisation's vacancies.
pub async fn import(
    store: &Store,
    ctx: &Context<'_>,
    options: &ImportOptions,
    records: Vec<Record>,
    progress: &dyn Progress,
) -> Result<Outcome, ImportError> {
    if store.organisation_kind(&options.organisation).await?.as_deref() != Some("employer") {
        return Err(ImportError::UnknownOrganisation(options.organisation.clone()));
    }
    let sector = store
        .organisation_sector(&options.organisation)
        .await?
        .unwrap_or_default();
    let mut stored = store.vacancy_sources(&options.source).await?;
    let mut run = Run {
        ctx,
        options,
        poster: Poster { sector: &sector },
        seen: HashSet::new(),
        summary: Summary::default(),
        rejected: Vec::new(),
    };
    let mut done = 0;
    for chunk in records.chunks(BATCH) {
        let batch = run.plan(chunk, &mut stored);
        store.apply_import(&options.source, &batch).await?;
        done += chunk.len();
        progress.advanced(done);
    }
    if options.close_missing {
        let missing: Vec<String> = stored
            .iter()
            .filter(|(identifier, v)| v.open && !run.seen.contains(*identifier))
            .map(|(_, v)| v.vacancy_id.clone())
            .collect();
        for ids in missing.chunks(BATCH) {
            let batch = ImportBatch {
                closed: ids.to_vec(),
                ..ImportBatch::default()
            };
            store.apply_import(&options.source, &batch).await?;
        }
        run.summary.closed += missing.len();
    }
    Ok(Outcome {
        summary: run.summary,
        rejected: run.rejected,
    })
}

struct Run<'a> {
    ctx: &'a Context<'a>,
    options: &'a ImportOptions,
    poster: Poster<'a>,
    /// Identifiers met in the feed, refused ones too: a posting that is
    /// present but wrong is not "missing".
    seen: HashSet<String>,
    summary: Summary,
    rejected: Vec<Rejected>,
}

impl Run<'_> {
    /// What one chunk of records changes; `stored` follows along, so that a
    /// repeated identifier later in the feed sees the earlier one.
    fn plan(&mut self, chunk: &[Record], stored: &mut HashMap<String, SourcedVacancy>) -> ImportBatch {
        let mut batch = ImportBatch::default();
        let mappings = self.read_all(chunk);
        for (record, mapping) in chunk.iter().zip(mappings) {
            match self.plan_one(mapping, stored) {
                Ok(Step::Create(row)) => {
                    stored.insert(
                        row.identifier.clone(),
                        SourcedVacancy {
                            vacancy_id: row.row.id.clone(),
                            digest: row.digest.clone(),
                            open: true,
                        },
                    );
                    batch.created.push(row);
                    self.summary.created += 1;
                }
                Ok(Step::Update(row)) => {
                    if let Some(s) = stored.get_mut(&row.identifier) {
                        s.digest.clone_from(&row.digest);
                        s.open = true;
                    }
                    batch.updated.push(row);
                    self.summary.updated += 1;
                }
                Ok(Step::Close(identifier, id)) => {
                    if let Some(s) = stored.get_mut(&identifier) {
                        s.open = false;
                    }
                    batch.closed.push(id);
                    self.summary.closed += 1;
                }
                Ok(Step::Unchanged) => self.summary.unchanged += 1,
                Err(reason) => {
                    self.rejected.push(Rejected {
                        record: record.clone(),
                        reason,
                    });
                    self.summary.rejected += 1;
                }
            }
        }
        batch
    }

    /// Reads a chunk's postings on every core: reading their HTML is most
    /// of an import's work.
    fn read_all(&self, chunk: &[Record]) -> Vec<Result<Mapping, String>> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let per_core = chunk.len().div_ceil(cores).max(1);
        std::thread::scope(|scope| {
            let parts: Vec<_> = chunk
                .chunks(per_core)
                .map(|part| {
                    (
                        part.len(),
                        scope.spawn(move || part.iter().map(|r| self.read_one(r)).collect::<Vec<_>>()),
                    )
                })
                .collect();
            parts
                .into_iter()
                .flat_map(|(len, handle)| {
                    handle.join().unwrap_or_else(|_| {
                        let unread =
                            "Deze vacature kon niet gelezen worden. / This posting could not be read.";
                        (0..len).map(|_| Err(unread.to_string())).collect()
                    })
                })
                .collect()
        })
    }

    fn read_one(&self, record: &Record) -> Result<Mapping, String> {
        let posting = record.posting()?;
        jobposting::read(posting, self.ctx, &self.poster, today()).map_err(|e| reason(&e))
    }

    fn plan_one(
        &mut self,
        mapping: Result<Mapping, String>,
        stored: &HashMap<String, SourcedVacancy>,
    ) -> Result<Step, String> {
        let mapping = mapping?;
        let Some(identifier) = mapping.identifier.clone() else {
            return Err("Er is geen identifier: zonder kan Banenlift de vacature de volgende keer niet terugvinden. / No identifier.".into());
        };
        if !self.seen.insert(identifier.clone()) {
            return Err(format!(
                "De identifier '{identifier}' staat al eerder in dit bestand. / Identifier repeated in this file."
            ));
        }
        let existing = stored.get(&identifier);
        if mapping.expired {
            return match existing {
                Some(v) if v.open => Ok(Step::Close(identifier, v.vacancy_id.clone())),
                Some(_) => Ok(Step::Unchanged),
                None => Err(reason(&jobposting::expired())),
            };
        }
        if existing.is_some_and(|v| v.open && v.digest == mapping.digest) {
            return Ok(Step::Unchanged);
        }
        let id = existing.map_or_else(|| super::new_id("vac"), |v| v.vacancy_id.clone());
        let digest = mapping.digest.clone();
        let row: VacancyRow = mapping
            .input
            .into_row(self.ctx, id, self.options.organisation.clone(), mapping.posted_on)
            .map_err(|e| reason(&jobposting::as_posting_errors(e)))?;
        let sourced = SourcedRow {
            row,
            identifier,
            digest,
        };
        Ok(if existing.is_some() {
            Step::Update(sourced)
        } else {
            Step::Create(sourced)
        })
    }
}

enum Step {
    Create(SourcedRow),
    Update(SourcedRow),
    Close(String, String),
    Unchanged,
}

/// A refusal as one line: each field with its message.
fn reason(error: &AppError) -> String {
    match error {
        AppError::Validation(errors) => errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
