//! Vacancies and training offers: the service functions behind the API.
//! Handlers call these; these call the store and the index.

pub mod course;
pub mod feed;
mod html_text;
pub mod import;
pub mod import_runs;
pub mod indexing;
pub mod jobposting;
pub mod query;
pub mod schema_org;
pub mod training;
pub mod vacancy;

use std::sync::Arc;
use std::time::Duration;

use crate::auth::{Caller, Role};
use crate::codes::{self, Code};
use crate::dates::{date_day_number, today};
use crate::error::AppError;
use crate::geo::Point;
use crate::matching::open::{Keyed, OpenOffers, OpenTable, OpenTraining};
use crate::outbox::OutboxPosition;
use crate::reference::Context;
use crate::search::OfferDoc;
use crate::search::{Filters, Near, OfferKind, SearchRequest, Sort};
use crate::services::Services;
use crate::storage::{ImportBatch, SourcedRow, Store, StoredOffer, TrainingRow, VacancyRow};
use crate::validate::{Checker, Reach};
use jobposting::Unmapped;
use training::{TrainingInput, TrainingView};
use vacancy::{VacancyInput, VacancyView};

/// How long a write waits for its change to become searchable before it
/// answers anyway (the change is stored either way).
const WAIT_FOR_INDEX: Duration = Duration::from_secs(2);
const MAX_ID_CHARS: usize = 64;

fn parse_ordinal<C: Code>(code: &str) -> Option<u64> {
    C::parse(code).map(Code::ordinal)
}

/// The checked ways to apply or sign up (`prefix` names the fields); an
/// offer needs at least one, so that nobody who found it is stuck.
fn ways_to_reach(check: &mut Checker, prefix: &str, given: Reach, none_given: &str) -> Reach {
    let reach = check.reach(prefix, &given);
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|v| v.trim().is_empty());
    if blank(&given.url) && blank(&given.email) && blank(&given.phone) {
        check.fail(&format!("{prefix}_url"), none_given);
    }
    reach
}

fn missing_after_check() -> AppError {
    AppError::Internal(anyhow::anyhow!("a checked field was missing after validation"))
}

/// Offers are public, so another organisation's offer is refused (403)
/// rather than hidden.
fn ensure_manages(caller: &Caller, organisation_id: &str, role: Role) -> Result<(), AppError> {
    if (caller.role == role || caller.role == Role::Admin) && caller.manages(organisation_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Dit aanbod is van een andere organisatie. / This offer belongs to another organisation.".into(),
        ))
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn check_id(id: &str) -> Result<(), AppError> {
    if valid_id(id) { Ok(()) } else { Err(not_found()) }
}

fn not_found() -> AppError {
    AppError::NotFound("Dit aanbod bestaat niet. / This offer does not exist.".into())
}

fn new_id(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::now_v7().simple())
}

/// Which organisation a write is for: an employer or provider writes for its
/// own; an admin must name one. Naming another organisation is refused.
async fn target_organisation(
    svc: &Services,
    caller: &Caller,
    named: Option<String>,
    role: Role,
) -> Result<String, AppError> {
    if caller.role != role && caller.role != Role::Admin {
        return Err(AppError::Forbidden(format!(
            "Alleen een {} of beheerder mag dit. / Only a {} or admin may do this.",
            role.as_str(),
            role.as_str()
        )));
    }
    let organisation = match (caller.role, named, &caller.organisation_id) {
        (Role::Admin, Some(named), _) => named,
        (Role::Admin, None, _) => {
            return Err(AppError::invalid(
                "organisation_id",
                "Verplicht voor een beheerder. / Required for an admin.",
            ));
        }
        (_, None, Some(own)) => own.clone(),
        (_, Some(named), Some(own)) if named == *own => named,
        (_, Some(_), _) => {
            return Err(AppError::invalid(
                "organisation_id",
                "Je mag alleen voor je eigen organisatie plaatsen. / You may only post for your own organisation.",
            ));
        }
        (_, None, None) => {
            return Err(AppError::Forbidden(
                "Je account hoort bij geen organisatie. / Your account has no organisation.".into(),
            ));
        }
    };
    let expected = role.organisation_kind().unwrap_or_default();
    match svc.store.organisation_kind(&organisation).await? {
        Some(kind) if kind == expected => Ok(organisation),
        _ => Err(AppError::invalid(
            "organisation_id",
            "Onbekende organisatie van deze soort. / Unknown organisation of this kind.",
        )),
    }
}

async fn check_occupations(svc: &Services, uris: &[String]) -> Result<(), AppError> {
    for uri in uris {
        if !svc.store.occupation_exists(uri).await? {
            return Err(AppError::invalid(
                "occupation_uri",
                format!("Onbekend ESCO-beroep '{uri}'. / Unknown ESCO occupation."),
            ));
        }
    }
    Ok(())
}

/// After a write: wake the indexer and wait (bounded) until the change is
/// searchable, so the writer sees it in search right away.
async fn await_searchable(svc: &Services, position: OutboxPosition) {
    svc.index_notify.notify_one();
    if tokio::time::timeout(WAIT_FOR_INDEX, svc.search.wait_for(position))
        .await
        .is_err()
    {
        tracing::warn!(%position, "write not yet searchable after the wait; it will be shortly");
    }
}

/// Open trainings that teach any of `skill_ids`, within `radius_km` of
/// `near`, best skill overlap first (through the index's skill-id field).
pub async fn trainings_teaching(
    svc: &Services,
    skill_ids: Vec<String>,
    near: Point,
    radius_km: f64,
    limit: usize,
) -> Result<Vec<Arc<OpenTraining>>, AppError> {
    if skill_ids.is_empty() {
        return Ok(Vec::new());
    }
    let request = SearchRequest {
        text: String::new(),
        filters: Filters {
            kind: OfferKind::Training.ordinal(),
            today: date_day_number(today()),
            ..Filters::default()
        },
        near: Some(Near {
            point: near,
            radius_km: Some(radius_km),
        }),
        sort: Sort::Relevance,
        limit,
        offset: 0,
    };
    let index = svc.search.clone();
    let ids = tokio::task::spawn_blocking(move || index.candidate_ids(&skill_ids, &[], &request))
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    Ok(svc.open.trainings.get_many(&ids))
}

#[derive(Debug, thiserror::Error)]
pub enum OrganisationError {
    #[error("a name is 1 to 100 characters")]
    InvalidName,
    #[error("the kind is employer or provider")]
    InvalidKind,
    #[error("unknown sector '{0}'; choose from: {1}")]
    UnknownSector(String, String),
    #[error("unknown wijk '{0}'")]
    UnknownWijk(String),
    #[error(transparent)]
    Store(#[from] crate::storage::StoreError),
}

/// Adds an employer or training provider (an admin's task, on the command
/// line); its id is new, its place the wijk's centre.
pub async fn create_organisation(
    store: &crate::storage::Store,
    name: &str,
    kind: &str,
    sector: &str,
    wijk: &str,
    alliance: bool,
) -> Result<crate::storage::OrganisationRow, OrganisationError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(OrganisationError::InvalidName);
    }
    if !matches!(kind, "employer" | "provider") {
        return Err(OrganisationError::InvalidKind);
    }
    let sector = codes::Sector::parse(sector)
        .ok_or_else(|| OrganisationError::UnknownSector(sector.to_string(), codes::Sector::list()))?;
    let geo = store.load_geo().await?;
    let found = geo
        .find_wijk(wijk)
        .ok_or_else(|| OrganisationError::UnknownWijk(wijk.to_string()))?;
    let centre = found.centroid();
    let row = crate::storage::OrganisationRow {
        id: format!("org-{}", uuid::Uuid::now_v7().simple()),
        name: name.to_string(),
        kind: kind.to_string(),
        sector: sector.code().to_string(),
        description: String::new(),
        wijk_code: Some(found.code.clone()),
        lat: Some(centre.lat),
        lon: Some(centre.lon),
        alliance,
        fictitious: false,
    };
    store.insert_organisations(std::slice::from_ref(&row)).await?;
    Ok(row)
}

/// An organisation's vacancies, open ones first, newest first.
pub async fn vacancies_of(
    store: &Store,
    organisation_id: &str,
    limit: i64,
) -> Result<Vec<VacancyRow>, AppError> {
    Ok(store.vacancies_of_organisation(organisation_id, limit).await?)
}

/// What a service needs to know of a kind of offer beyond its storage: who
/// owns it, how its body is checked and shown, and how it is indexed. The
/// service functions below are written once for both kinds.
pub trait Offer: StoredOffer + Clone {
    type Input;
    type View: serde::Serialize;
    type Open: Keyed;
    /// The role that posts and manages this kind (besides an admin).
    const OWNER: Role;
    const ID_PREFIX: &'static str;
    /// The refusal when an update names another organisation.
    const MOVED: &'static str;

    fn organisation_id(&self) -> &str;
    /// Opens or closes the offer: only open offers are searchable.
    fn set_open(&mut self, open: bool);
    fn named_organisation(input: &Self::Input) -> Option<&String>;
    fn occupations(input: &Self::Input) -> &[String];
    /// The fields Banenlift sets itself that the body sent, as their JSON.
    fn read_only(input: &Self::Input) -> Vec<(&'static str, serde_json::Value)>;
    /// Checks the body and builds the row; `current` is the stored offer
    /// on an update, whose creation facts stay.
    fn from_input(
        input: Self::Input,
        ctx: &Context<'_>,
        id: String,
        organisation_id: String,
        current: Option<&Self>,
    ) -> Result<Self, AppError>;
    fn view(self, ctx: &Context<'_>) -> Self::View;
    /// The searchable document of an open offer; `None` once it is closed.
    fn doc(&self, ctx: &Context<'_>) -> Option<OfferDoc>;
    /// What matching keeps of the offer in memory while it is open.
    fn open_entry(&self, ctx: &Context<'_>) -> Self::Open;
    fn table(open: &OpenOffers) -> &OpenTable<Self::Open>;
}

pub async fn get<O: Offer>(svc: &Services, id: &str) -> Result<O::View, AppError> {
    check_id(id)?;
    let row = svc.store.offer::<O>(id).await?.ok_or_else(not_found)?;
    Ok(row.view(&svc.context()))
}

pub async fn create<O: Offer>(svc: &Services, caller: &Caller, input: O::Input) -> Result<O::View, AppError> {
    let named = O::named_organisation(&input).cloned();
    let organisation = target_organisation(svc, caller, named, O::OWNER).await?;
    check_read_only::<O>(&input, None, &svc.context())?;
    check_occupations(svc, O::occupations(&input)).await?;
    let id = new_id(O::ID_PREFIX);
    let row = O::from_input(input, &svc.context(), id.clone(), organisation, None)?;
    let seq = svc.store.insert_offers(std::slice::from_ref(&row)).await?;
    await_searchable(svc, seq).await;
    get::<O>(svc, &id).await
}

/// A new offer's body: the offer in Banenlift's own JSON, or (for a
/// vacancy) a schema.org JobPosting as JSON-LD.
pub enum Posted<I> {
    Own(I),
    JobPosting(serde_json::Value),
}

/// The answer to a posted vacancy: the vacancy as stored, and what of a
/// JobPosting could not be taken over (empty for Banenlift's own JSON).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PostedVacancy {
    #[serde(flatten)]
    pub vacancy: VacancyView,
    pub unmapped: Vec<Unmapped>,
}

pub async fn post_vacancy(
    svc: &Services,
    caller: &Caller,
    body: Posted<VacancyInput>,
) -> Result<PostedVacancy, AppError> {
    match body {
        Posted::Own(input) => Ok(PostedVacancy {
            vacancy: create::<VacancyRow>(svc, caller, input).await?,
            unmapped: Vec::new(),
        }),
        Posted::JobPosting(doc) => create_from_job_posting(svc, caller, doc).await,
    }
}

pub async fn post_training(
    svc: &Services,
    caller: &Caller,
    body: Posted<TrainingInput>,
) -> Result<TrainingView, AppError> {
    match body {
        Posted::Own(input) => create::<TrainingRow>(svc, caller, input).await,
        Posted::JobPosting(_) => Err(AppError::bad_request(
            "content_type",
            "Een opleiding stuur je als 'Content-Type: application/json'; JSON-LD is voor vacatures. / Send a training as application/json.",
        )),
    }
}

/// A JobPosting from the employer's own system, stored under the
/// organisation as its source: sent again with the same `identifier`, it
/// is refused with the vacancy it already is.
async fn create_from_job_posting(
    svc: &Services,
    caller: &Caller,
    doc: serde_json::Value,
) -> Result<PostedVacancy, AppError> {
    // An admin names the organisation as the hiring organisation's identifier.
    let named = (caller.role == Role::Admin)
        .then(|| {
            doc.pointer("/hiringOrganization/identifier")?
                .as_str()
                .map(str::to_string)
        })
        .flatten();
    let organisation = target_organisation(svc, caller, named, Role::Employer).await?;
    let sector = svc
        .store
        .organisation_sector(&organisation)
        .await?
        .unwrap_or_default();
    let ctx = svc.context();
    let mapping = jobposting::read(doc, &ctx, &jobposting::Poster { sector: &sector }, today())?;
    if mapping.expired {
        return Err(jobposting::expired());
    }
    if let Some(identifier) = &mapping.identifier
        && let Some(existing) = svc
            .store
            .offer_from_source::<VacancyRow>(&organisation, identifier)
            .await?
    {
        return Err(AppError::Conflict(format!(
            "Deze vacature (identifier '{identifier}') staat er al als {existing}. Verander haar met PUT /api/v1/vacancies/{existing}. / This posting is already stored as {existing}."
        )));
    }
    check_occupations(svc, VacancyRow::occupations(&mapping.input)).await?;
    let id = new_id(VacancyRow::ID_PREFIX);
    let row = mapping
        .input
        .into_row(&ctx, id.clone(), organisation.clone(), mapping.posted_on)
        .map_err(jobposting::as_posting_errors)?;
    let seq = match mapping.identifier {
        Some(identifier) => {
            let batch = ImportBatch {
                created: vec![SourcedRow {
                    row,
                    identifier,
                    digest: mapping.digest,
                }],
                ..ImportBatch::default()
            };
            svc.store
                .apply_import(&organisation, &batch)
                .await?
                .ok_or_else(missing_after_check)?
        }
        None => svc.store.insert_offers(std::slice::from_ref(&row)).await?,
    };
    await_searchable(svc, seq).await;
    Ok(PostedVacancy {
        vacancy: get::<VacancyRow>(svc, &id).await?,
        unmapped: mapping.unmapped,
    })
}

pub async fn update<O: Offer>(
    svc: &Services,
    caller: &Caller,
    id: &str,
    input: O::Input,
) -> Result<O::View, AppError> {
    let current = editable::<O>(svc, caller, id).await?;
    if O::named_organisation(&input).is_some_and(|o| o != current.organisation_id()) {
        return Err(AppError::invalid("organisation_id", O::MOVED));
    }
    check_read_only::<O>(&input, Some(&current), &svc.context())?;
    check_occupations(svc, O::occupations(&input)).await?;
    let organisation = current.organisation_id().to_string();
    let row = O::from_input(
        input,
        &svc.context(),
        id.to_string(),
        organisation,
        Some(&current),
    )?;
    let seq = svc.store.update_offer(&row).await?.ok_or_else(not_found)?;
    await_searchable(svc, seq).await;
    get::<O>(svc, id).await
}

/// A read-only field as a body sent it, if it did.
fn sent<T: serde::Serialize>(
    field: &'static str,
    value: &Option<T>,
) -> Option<(&'static str, serde_json::Value)> {
    let value = value.as_ref()?;
    Some((field, serde_json::to_value(value).unwrap_or_default()))
}

/// What a GET returned may be sent back: the fields Banenlift sets itself
/// are accepted when they equal the stored offer's, and refused when they
/// differ or when there is no stored offer yet.
fn check_read_only<O: Offer>(
    input: &O::Input,
    current: Option<&O>,
    ctx: &Context<'_>,
) -> Result<(), AppError> {
    let sent = O::read_only(input);
    if sent.is_empty() {
        return Ok(());
    }
    let stored = current.map(|row| serde_json::to_value(row.clone().view(ctx)).unwrap_or_default());
    let mut check = Checker::default();
    for (field, value) in sent {
        match &stored {
            Some(stored) if stored[field] == value => {}
            Some(_) => check.fail(
                field,
                "Dit zet Banenlift zelf; het kan niet veranderen. Laat het weg of stuur het zoals het was. / Banenlift sets this itself; it cannot change.",
            ),
            None => check.fail(
                field,
                "Dit zet Banenlift zelf; laat het weg bij een nieuw aanbod. / Banenlift sets this itself; leave it out of a new offer.",
            ),
        }
    }
    check.finish()
}

/// Closing leaves search but keeps the record.
pub async fn close<O: Offer>(svc: &Services, caller: &Caller, id: &str) -> Result<(), AppError> {
    set_open::<O>(svc, caller, id, false).await
}

/// Undoes a close: the offer is searchable again.
pub async fn reopen<O: Offer>(svc: &Services, caller: &Caller, id: &str) -> Result<(), AppError> {
    set_open::<O>(svc, caller, id, true).await
}

async fn set_open<O: Offer>(svc: &Services, caller: &Caller, id: &str, open: bool) -> Result<(), AppError> {
    let mut row = editable::<O>(svc, caller, id).await?;
    row.set_open(open);
    let seq = svc.store.update_offer(&row).await?.ok_or_else(not_found)?;
    await_searchable(svc, seq).await;
    Ok(())
}

/// An offer the caller may change.
async fn editable<O: Offer>(svc: &Services, caller: &Caller, id: &str) -> Result<O, AppError> {
    check_id(id)?;
    let row = svc.store.offer::<O>(id).await?.ok_or_else(not_found)?;
    ensure_manages(caller, row.organisation_id(), O::OWNER)?;
    Ok(row)
}
