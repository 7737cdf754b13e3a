//! Vacancies and training offers: the service functions behind the API.
//! Handlers call these; these call the store and the index.

pub mod indexing;
pub mod query;
pub mod training;
pub mod vacancy;

use std::time::Duration;

use crate::auth::{Caller, Role};
use crate::codes::{self, Code};
use crate::dates::{date_day_number, today};
use crate::error::AppError;
use crate::geo::Point;
use crate::search::{Filters, Near, OfferKind, SearchRequest, Sort};
use crate::services::Services;
use crate::storage::{TrainingRow, VacancyRow};
use training::{TrainingInput, TrainingView};
use vacancy::{VacancyInput, VacancyView};

/// How long a write waits for its change to become searchable before it
/// answers anyway (the change is stored either way).
const WAIT_FOR_INDEX: Duration = Duration::from_secs(2);
const MAX_ID_CHARS: usize = 64;

fn parse_ordinal<C: Code>(code: &str) -> Option<u64> {
    C::parse(code).map(Code::ordinal)
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

fn check_id(id: &str) -> Result<(), AppError> {
    let ok = !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok { Ok(()) } else { Err(not_found()) }
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
async fn await_searchable(svc: &Services, seq: i64) {
    svc.index_notify.notify_one();
    if tokio::time::timeout(WAIT_FOR_INDEX, svc.search.wait_for(seq))
        .await
        .is_err()
    {
        tracing::warn!(seq, "write not yet searchable after the wait; it will be shortly");
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
) -> Result<Vec<TrainingRow>, AppError> {
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
    Ok(svc.store.trainings_by_ids(&ids).await?)
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
    svc: &Services,
    organisation_id: &str,
    limit: i64,
) -> Result<Vec<VacancyRow>, AppError> {
    Ok(svc
        .store
        .vacancies_of_organisation(organisation_id, limit)
        .await?)
}

pub async fn get_vacancy(svc: &Services, id: &str) -> Result<VacancyView, AppError> {
    check_id(id)?;
    let row = svc.store.vacancy(id).await?.ok_or_else(not_found)?;
    Ok(VacancyView::new(row, &svc.context()))
}

pub async fn create_vacancy(
    svc: &Services,
    caller: &Caller,
    input: VacancyInput,
) -> Result<VacancyView, AppError> {
    let organisation =
        target_organisation(svc, caller, input.organisation_id.clone(), Role::Employer).await?;
    check_occupations(svc, input.occupation_uri.as_slice()).await?;
    let id = new_id("vac");
    let row = input.into_row(&svc.context(), id.clone(), organisation, today().to_string())?;
    let seq = svc.store.insert_vacancies(std::slice::from_ref(&row)).await?;
    await_searchable(svc, seq).await;
    get_vacancy(svc, &id).await
}

pub async fn update_vacancy(
    svc: &Services,
    caller: &Caller,
    id: &str,
    input: VacancyInput,
) -> Result<VacancyView, AppError> {
    let current = editable_vacancy(svc, caller, id).await?;
    if input
        .organisation_id
        .as_ref()
        .is_some_and(|o| *o != current.organisation_id)
    {
        return Err(AppError::invalid(
            "organisation_id",
            "Een vacature verhuist niet naar een andere organisatie. / An offer cannot change organisation.",
        ));
    }
    check_occupations(svc, input.occupation_uri.as_slice()).await?;
    let mut row = input.into_row(
        &svc.context(),
        id.to_string(),
        current.organisation_id,
        current.posted_on,
    )?;
    row.fictitious = current.fictitious;
    let seq = svc.store.update_vacancy(&row).await?.ok_or_else(not_found)?;
    await_searchable(svc, seq).await;
    get_vacancy(svc, id).await
}

/// Closing leaves search but keeps the record.
pub async fn close_vacancy(svc: &Services, caller: &Caller, id: &str) -> Result<(), AppError> {
    let mut row = editable_vacancy(svc, caller, id).await?;
    row.status = "closed".into();
    let seq = svc.store.update_vacancy(&row).await?.ok_or_else(not_found)?;
    await_searchable(svc, seq).await;
    Ok(())
}

/// A vacancy the caller may change.
async fn editable_vacancy(
    svc: &Services,
    caller: &Caller,
    id: &str,
) -> Result<crate::storage::VacancyRow, AppError> {
    check_id(id)?;
    let row = svc.store.vacancy(id).await?.ok_or_else(not_found)?;
    ensure_manages(caller, &row.organisation_id, Role::Employer)?;
    Ok(row)
}

pub async fn get_training(svc: &Services, id: &str) -> Result<TrainingView, AppError> {
    check_id(id)?;
    let row = svc.store.training(id).await?.ok_or_else(not_found)?;
    Ok(TrainingView::new(row, &svc.context()))
}

pub async fn create_training(
    svc: &Services,
    caller: &Caller,
    input: TrainingInput,
) -> Result<TrainingView, AppError> {
    let organisation =
        target_organisation(svc, caller, input.organisation_id.clone(), Role::Provider).await?;
    check_occupations(svc, &input.occupations).await?;
    let id = new_id("trn");
    let row = input.into_row(&svc.context(), id.clone(), organisation)?;
    let seq = svc.store.insert_trainings(std::slice::from_ref(&row)).await?;
    await_searchable(svc, seq).await;
    get_training(svc, &id).await
}

pub async fn update_training(
    svc: &Services,
    caller: &Caller,
    id: &str,
    input: TrainingInput,
) -> Result<TrainingView, AppError> {
    let current = editable_training(svc, caller, id).await?;
    if input
        .organisation_id
        .as_ref()
        .is_some_and(|o| *o != current.organisation_id)
    {
        return Err(AppError::invalid(
            "organisation_id",
            "Een opleiding verhuist niet naar een andere organisatie. / An offer cannot change organisation.",
        ));
    }
    check_occupations(svc, &input.occupations).await?;
    let mut row = input.into_row(&svc.context(), id.to_string(), current.organisation_id)?;
    row.fictitious = current.fictitious;
    let seq = svc.store.update_training(&row).await?.ok_or_else(not_found)?;
    await_searchable(svc, seq).await;
    get_training(svc, id).await
}

pub async fn close_training(svc: &Services, caller: &Caller, id: &str) -> Result<(), AppError> {
    let mut row = editable_training(svc, caller, id).await?;
    row.status = "closed".into();
    let seq = svc.store.update_training(&row).await?.ok_or_else(not_found)?;
    await_searchable(svc, seq).await;
    Ok(())
}

async fn editable_training(
    svc: &Services,
    caller: &Caller,
    id: &str,
) -> Result<crate::storage::TrainingRow, AppError> {
    check_id(id)?;
    let row = svc.store.training(id).await?.ok_or_else(not_found)?;
    ensure_manages(caller, &row.organisation_id, Role::Provider)?;
    Ok(row)
}
