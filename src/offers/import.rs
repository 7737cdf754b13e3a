//! Bulk import of an offer feed: schema.org documents (JobPostings for
//! vacancies, Courses for trainings) as a JSON array or one per line
//! (NDJSON), or CSV with the documented header of the kind. Documents are
//! upserted by `(source, identifier)`, so a feed can be loaded every
//! night: unchanged ones are left alone, changed ones updated, expired
//! ones closed, and (asked for) the source's offers missing from the feed
//! closed too. Each step is written in its own transaction and the closing
//! of missing offers comes last, so a run that is interrupted and started
//! again ends as one run without interruption would.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};
use tokio::task::JoinHandle;

use super::Offer;
use crate::error::AppError;
use crate::reference::Context;
use crate::storage::{ImportBatch, SourcedOffer, SourcedRow, Store, StoreError, StoredOffer};

/// Documents per transaction: large enough for bulk speed, small enough
/// that an interruption loses little work.
const BATCH: usize = 500;

/// A kind of offer a feed holds, and how its documents are read.
pub trait FeedKind: Sync + Sized {
    type Row: Offer + Send + Sync + 'static;
    /// A document read, before it has an id and an organisation.
    type Input: Send;
    /// The CSV header, in this order (README documents each column).
    const CSV_HEADER: &'static [&'static str];
    /// What the feed holds, for the progress shown: "vacatures".
    const NOUN: &'static str;
    /// Who publishes such a feed, in Dutch: "werkgever".
    const PUBLISHER: &'static str;

    /// The reader for an organisation's feed, given the organisation's sector.
    fn for_organisation(sector: String) -> Self;
    /// A CSV row as the schema.org document it stands for, so that both
    /// formats are read by the same rules.
    fn csv_document(row: &CsvRow<'_>) -> Value;
    fn read(&self, doc: Value, ctx: &Context<'_>) -> Result<Sourced<Self::Input>, AppError>;
    /// The refusal of a new document whose end date has passed.
    fn expired() -> AppError;
    /// The offer to store; its errors are named as the document's fields.
    fn row(
        &self,
        input: Self::Input,
        ctx: &Context<'_>,
        id: String,
        organisation: String,
    ) -> Result<Self::Row, AppError>;
}

/// A document read, with what an import needs to recognise it.
pub struct Sourced<I> {
    pub input: I,
    /// The sender's own id of it (`identifier`).
    pub identifier: Option<String>,
    /// Its end date has passed: a new one is refused, a stored one closed.
    pub expired: bool,
    pub digest: String,
}

/// One CSV row by its header's columns.
pub struct CsvRow<'a> {
    header: &'a [String],
    fields: &'a [String],
}

impl CsvRow<'_> {
    /// A column's value; an empty one is none.
    pub fn get(&self, column: &str) -> Option<&str> {
        let i = self.header.iter().position(|h| h == column)?;
        self.fields.get(i).map(|f| f.trim()).filter(|f| !f.is_empty())
    }

    /// A column's number, with a decimal comma or point.
    pub fn number(&self, column: &str) -> Option<f64> {
        self.get(column)
            .and_then(|v| v.replace(',', ".").parse::<f64>().ok())
            .filter(|n| n.is_finite())
    }

    /// A column's list, separated by `|`.
    pub fn list(&self, column: &str) -> Option<Vec<&str>> {
        self.get(column).map(|s| s.split('|').map(str::trim).collect())
    }
}
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("het bestand is geen JSON-LD en geen CSV dat Banenlift leest: {0} / the file cannot be read")]
    Unreadable(String),
    #[error("de CSV mist de kolom(men) {0}; de kop is: {1} / the CSV header lacks columns")]
    Header(String, String),
    #[error("'{0}' is geen {1} in Banenlift / unknown organisation")]
    UnknownOrganisation(String, &'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The runtime went down while a step was being written.
    #[error("de import werd afgebroken / the import was stopped")]
    Stopped,
}

/// One document as the file holds it: its line, and the text or CSV fields
/// that go into the rejects file when it is refused.
#[derive(Debug, Clone)]
pub struct Record {
    pub line: usize,
    pub raw: Raw,
    /// A CSV row's document (or why the row cannot be one); JSON text is
    /// parsed when it is read, on every core.
    from_csv: Option<Result<Value, String>>,
}

impl Record {
    /// A document given as JSON text, such as one line of NDJSON.
    pub fn json(line: usize, text: String) -> Self {
        Self {
            line,
            raw: Raw::Json(text),
            from_csv: None,
        }
    }

    pub fn document(&self) -> Result<Value, String> {
        match (&self.from_csv, &self.raw) {
            (Some(posting), _) => posting.clone(),
            (None, Raw::Json(text)) => {
                serde_json::from_str(text).map_err(|e| format!("Geen geldige JSON: {e}. / Not valid JSON."))
            }
            (None, Raw::Csv(_)) => Err("Deze regel is geen aanbod. / This row is no offer.".into()),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Raw {
    Json(String),
    Csv(Vec<String>),
}

/// A feed's documents, and a CSV's header (for the rejects file).
pub struct Feed {
    pub header: Option<Vec<String>>,
    pub records: Vec<Record>,
}

/// The file's documents, read whole: a JSON array, NDJSON, or CSV with
/// the kind's header.
pub fn read_feed<K: FeedKind>(text: &str, csv: bool) -> Result<Feed, ImportError> {
    if csv {
        return csv_records::<K>(text);
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

fn csv_records<K: FeedKind>(text: &str) -> Result<Feed, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::Unreadable(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let missing: Vec<&str> = K::CSV_HEADER
        .iter()
        .copied()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::Header(missing.join(", "), K::CSV_HEADER.join(",")));
    }
    let mut records = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let record = match row {
            Ok(row) => {
                let fields: Vec<String> = row.iter().map(str::to_string).collect();
                let document = if fields.len() == header.len() {
                    Ok(K::csv_document(&CsvRow {
                        header: &header,
                        fields: &fields,
                    }))
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
                    from_csv: Some(document),
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
                let document = match &r.record.raw {
                    Raw::Json(text) => {
                        serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone()))
                    }
                    Raw::Csv(fields) => fields.clone().into(),
                };
                format!(
                    "{}\n",
                    json!({"line": r.record.line, "reason": r.reason, "posting": document})
                )
            })
            .collect(),
    }
}

/// What an import loads: the kinds of feed.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum FeedOf {
    /// schema.org JobPostings, or the vacancy CSV.
    #[default]
    Vacancies,
    /// schema.org Courses, or the training CSV.
    Trainings,
}

impl FeedOf {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vacancies => "vacancies",
            Self::Trainings => "trainings",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Vacancies, Self::Trainings]
            .into_iter()
            .find(|f| f.as_str() == text)
    }
}

/// Whose feed it is, and whether offers missing from it are closed.
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

/// A refused document: where it was, and why, in plain words.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub record: Record,
    pub reason: String,
}

/// Told after each step: how many documents have been read so far.
pub trait Progress: Sync {
    fn advanced(&self, done: usize);
}

pub struct Outcome {
    pub summary: Summary,
    pub rejected: Vec<Rejected>,
}

/// Loads the records into the organisation's offers of kind `K`.
pub async fn import<K: FeedKind>(
    store: &Store,
    ctx: &Context<'_>,
    options: &ImportOptions,
    records: Vec<Record>,
    progress: &dyn Progress,
) -> Result<Outcome, ImportError> {
    let owner = K::Row::OWNER.as_str();
    if store.organisation_kind(&options.organisation).await?.as_deref() != Some(owner) {
        return Err(ImportError::UnknownOrganisation(
            options.organisation.clone(),
            K::PUBLISHER,
        ));
    }
    let sector = store
        .organisation_sector(&options.organisation)
        .await?
        .unwrap_or_default();
    let mut stored = store.offer_sources::<K::Row>(&options.source).await?;
    let mut run = Run {
        ctx,
        options,
        kind: K::for_organisation(sector),
        seen: HashSet::new(),
        summary: Summary::default(),
        rejected: Vec::new(),
    };
    let mut writer = Writer::new(store, &options.source);
    for chunk in records.chunks(BATCH) {
        let batch = run.plan(chunk, &mut stored);
        writer.write(chunk.len(), batch, progress).await?;
    }
    if options.close_missing {
        let missing: Vec<String> = stored
            .iter()
            .filter(|(identifier, o)| o.open && !run.seen.contains(*identifier))
            .map(|(_, o)| o.offer_id.clone())
            .collect();
        for ids in missing.chunks(BATCH) {
            let batch = ImportBatch::<K::Row> {
                closed: ids.to_vec(),
                ..ImportBatch::default()
            };
            writer.write(0, batch, progress).await?;
        }
        run.summary.closed += missing.len();
    }
    writer.finish(progress).await?;
    Ok(Outcome {
        summary: run.summary,
        rejected: run.rejected,
    })
}

/// Writes an import's steps in order, each on a task of its own while the
/// next step is read: the reading keeps the cores busy and the database
/// mostly waits on the disk, so the two share the time instead of taking
/// turns.
struct Writer {
    store: Store,
    source: String,
    /// The step being written, with how many documents it holds.
    pending: Option<(usize, JoinHandle<Result<(), StoreError>>)>,
    done: usize,
}

impl Writer {
    fn new(store: &Store, source: &str) -> Self {
        Self {
            store: store.clone(),
            source: source.to_string(),
            pending: None,
            done: 0,
        }
    }

    /// Waits for the step before, then starts writing this one.
    async fn write<R: StoredOffer + Clone + Sync + 'static>(
        &mut self,
        documents: usize,
        batch: ImportBatch<R>,
        progress: &dyn Progress,
    ) -> Result<(), ImportError> {
        self.finish(progress).await?;
        let (store, source) = (self.store.clone(), self.source.clone());
        let task = tokio::spawn(async move { store.apply_import(&source, &batch).await.map(drop) });
        self.pending = Some((documents, task));
        Ok(())
    }

    /// Waits for the step being written, and tells how far the import is.
    async fn finish(&mut self, progress: &dyn Progress) -> Result<(), ImportError> {
        let Some((documents, task)) = self.pending.take() else {
            return Ok(());
        };
        match task.await {
            Ok(written) => written?,
            Err(failed) if failed.is_panic() => std::panic::resume_unwind(failed.into_panic()),
            Err(_) => return Err(ImportError::Stopped),
        }
        if documents > 0 {
            self.done += documents;
            progress.advanced(self.done);
        }
        Ok(())
    }
}

struct Run<'a, K> {
    ctx: &'a Context<'a>,
    options: &'a ImportOptions,
    kind: K,
    /// Identifiers met in the feed, refused ones too: a document that is
    /// present but wrong is not "missing".
    seen: HashSet<String>,
    summary: Summary,
    rejected: Vec<Rejected>,
}

impl<K: FeedKind> Run<'_, K> {
    /// What one chunk of records changes; `stored` follows along, so that a
    /// repeated identifier later in the feed sees the earlier one.
    fn plan(&mut self, chunk: &[Record], stored: &mut HashMap<String, SourcedOffer>) -> ImportBatch<K::Row> {
        let mut batch = ImportBatch::default();
        let read = self.read_all(chunk);
        for (record, read) in chunk.iter().zip(read) {
            match self.plan_one(read, stored) {
                Ok(Step::Create(row)) => {
                    stored.insert(
                        row.identifier.clone(),
                        SourcedOffer {
                            offer_id: row.row.id().to_string(),
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

    /// Reads a chunk's documents on every core: reading their HTML is most
    /// of an import's work.
    fn read_all(&self, chunk: &[Record]) -> Vec<Result<Sourced<K::Input>, String>> {
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
                        let unread = "Deze regel kon niet gelezen worden. / This entry could not be read.";
                        (0..len).map(|_| Err(unread.to_string())).collect()
                    })
                })
                .collect()
        })
    }

    fn read_one(&self, record: &Record) -> Result<Sourced<K::Input>, String> {
        let document = record.document()?;
        self.kind.read(document, self.ctx).map_err(|e| reason(&e))
    }

    fn plan_one(
        &mut self,
        read: Result<Sourced<K::Input>, String>,
        stored: &HashMap<String, SourcedOffer>,
    ) -> Result<Step<K::Row>, String> {
        let read = read?;
        let Some(identifier) = read.identifier else {
            return Err("Er is geen identifier: zonder kan Banenlift het aanbod de volgende keer niet terugvinden. / No identifier.".into());
        };
        if !self.seen.insert(identifier.clone()) {
            return Err(format!(
                "De identifier '{identifier}' staat al eerder in dit bestand. / Identifier repeated in this file."
            ));
        }
        let existing = stored.get(&identifier);
        if read.expired {
            return match existing {
                Some(o) if o.open => Ok(Step::Close(identifier, o.offer_id.clone())),
                Some(_) => Ok(Step::Unchanged),
                None => Err(reason(&K::expired())),
            };
        }
        if existing.is_some_and(|o| o.open && o.digest == read.digest) {
            return Ok(Step::Unchanged);
        }
        let id = existing.map_or_else(|| super::new_id(K::Row::ID_PREFIX), |o| o.offer_id.clone());
        let row = self
            .kind
            .row(read.input, self.ctx, id, self.options.organisation.clone())
            .map_err(|e| reason(&e))?;
        let sourced = SourcedRow {
            row,
            identifier,
            digest: read.digest,
        };
        Ok(if existing.is_some() {
            Step::Update(sourced)
        } else {
            Step::Create(sourced)
        })
    }
}

enum Step<R> {
    Create(SourcedRow<R>),
    Update(SourcedRow<R>),
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
