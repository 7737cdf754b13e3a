//! Resident profiles and who may see them: the jobseeker their own, a coach
//! their caseload. Nobody else, not even an admin (least privilege): other
//! roles get 403, and a profile outside one's own answers 404, so its
//! existence is not revealed.

pub mod caseload;
pub mod matches;
pub mod profile;

use crate::auth::{Caller, Role};
use crate::error::AppError;
use crate::privacy::consent_by;
use crate::privacy::{self, Purpose};
use crate::services::Services;
use crate::storage::{ResidentRow, VacancyRow, now_unix};
use profile::{ResidentInput, ResidentView};

pub const MAX_PAGE: i64 = 100;
const MAX_OFFSET: i64 = 100_000;
/// The profile body's statement that a coach gives consent with the client.
const CONFIRMATION_FIELD: &str = "consent_confirmed_with_resident";

pub(crate) fn not_found() -> AppError {
    AppError::NotFound("Dit profiel bestaat niet of je mag het niet zien. / No such profile.".into())
}

fn may_see(caller: &Caller, row: &ResidentRow) -> bool {
    match caller.role {
        Role::Coach => row.coach_id.as_deref() == Some(caller.user_id.as_str()),
        Role::Jobseeker => row.user_id.as_deref() == Some(caller.user_id.as_str()),
        _ => false,
    }
}

fn ensure_profile_role(caller: &Caller) -> Result<(), AppError> {
    match caller.role {
        Role::Coach | Role::Jobseeker => Ok(()),
        _ => Err(AppError::Forbidden(
            "Alleen werkzoekenden en hun coaches werken met profielen. / Only jobseekers and their coaches manage profiles.".into(),
        )),
    }
}

/// A profile the caller may see, its use logged for `purpose` (reads by
/// anyone but the resident go into the views log).
pub(crate) async fn visible_resident(
    svc: &Services,
    caller: &Caller,
    id: &str,
    purpose: Purpose,
) -> Result<ResidentRow, AppError> {
    let row = accessible(svc, caller, id).await?;
    record_use(svc, caller, &row, purpose, None).await?;
    Ok(row)
}

/// A resident the employer `caller` may act on for its own `vacancy`
/// (record an outcome, ask for contact): consenting now, and listed as a
/// candidate for this very vacancy since the consent in force was given.
/// The use is logged with `purpose`. `None` otherwise, so nobody can probe
/// other residents.
pub(crate) async fn candidate_of_employer(
    svc: &Services,
    caller: &Caller,
    vacancy: &VacancyRow,
    resident_id: &str,
    purpose: Purpose,
) -> Result<Option<ResidentRow>, AppError> {
    if caller.role != Role::Employer
        || caller.organisation_id.as_deref() != Some(vacancy.organisation_id.as_str())
    {
        return Ok(None);
    }
    let Some(resident) = svc.store.resident(resident_id).await? else {
        return Ok(None);
    };
    let listed = svc
        .store
        .listed_under_current_consent(&resident.id, &vacancy.id)
        .await?;
    if !(resident.findable_by_employers && listed) {
        return Ok(None);
    }
    privacy::record(svc, caller, [resident.id.as_str()], purpose, None).await?;
    Ok(Some(resident))
}

/// The access check alone, for callers that log the use themselves.
pub(crate) async fn accessible(svc: &Services, caller: &Caller, id: &str) -> Result<ResidentRow, AppError> {
    ensure_profile_role(caller)?;
    if id.len() > 64 {
        return Err(not_found());
    }
    let row = svc.store.resident(id).await?.ok_or_else(not_found)?;
    if may_see(caller, &row) {
        Ok(row)
    } else {
        Err(not_found())
    }
}

/// A coach gives consent only together with the client, and says so; the
/// client themselves needs no such statement, and withdrawing never does.
/// `field` names the confirmation in the caller's body.
pub(crate) fn ensure_consent_confirmed(
    caller: &Caller,
    granting: bool,
    confirmed: bool,
    field: &str,
) -> Result<(), AppError> {
    if caller.role == Role::Coach && granting && !confirmed {
        return Err(AppError::invalid(
            field,
            "Een coach zet vindbaarheid alleen aan samen met de werkzoekende; bevestig dat. / A coach turns consent on only together with the resident; confirm it.",
        ));
    }
    Ok(())
}

/// Which coach a profile gets: a coach's new client is theirs; a jobseeker
/// may name a coach, who must exist.
async fn coach_for(
    svc: &Services,
    caller: &Caller,
    named: Option<String>,
) -> Result<Option<String>, AppError> {
    match (caller.role, named) {
        (Role::Coach, None) => Ok(Some(caller.user_id.clone())),
        (Role::Coach, Some(named)) if named == caller.user_id => Ok(Some(named)),
        (Role::Coach, Some(_)) => Err(AppError::invalid(
            "coach_id",
            "Een coach vult alleen zichzelf in als coach. / A coach can only name themselves as coach.",
        )),
        (_, None) => Ok(None),
        (_, Some(named)) => {
            if svc.store.user_role(&named).await?.as_deref() == Some("coach") {
                Ok(Some(named))
            } else {
                Err(AppError::invalid("coach_id", "Onbekende coach. / Unknown coach."))
            }
        }
    }
}

pub async fn create(svc: &Services, caller: &Caller, input: ResidentInput) -> Result<ResidentView, AppError> {
    ensure_profile_role(caller)?;
    let user_id = (caller.role == Role::Jobseeker).then(|| caller.user_id.clone());
    let confirmed = input.consent_confirmed_with_resident;
    let coach_id = coach_for(svc, caller, input.coach_id.clone()).await?;
    let id = format!("res-{}", uuid::Uuid::now_v7().simple());
    let row = input.into_row(&svc.context(), id, coach_id, user_id)?;
    ensure_consent_confirmed(caller, row.findable_by_employers, confirmed, CONFIRMATION_FIELD)?;
    // One profile per jobseeker: the database's unique index decides.
    match svc
        .store
        .insert_residents(std::slice::from_ref(&row), &consent_by(caller))
        .await
    {
        Err(e) if e.is_unique_violation() => {
            return Err(AppError::Conflict(
                "Je hebt al een profiel. / You already have a profile.".into(),
            ));
        }
        other => other?,
    }
    changed_view(svc, caller, row).await
}

/// The profile as just written, its change logged; the write itself marked
/// it as in use, so there is nothing to read back or touch.
async fn changed_view(svc: &Services, caller: &Caller, row: ResidentRow) -> Result<ResidentView, AppError> {
    if !is_own(caller, &row) {
        privacy::record(svc, caller, [row.id.as_str()], Purpose::ProfileChanged, None).await?;
    }
    Ok(ResidentView::new(row, &svc.context()))
}

pub async fn get(svc: &Services, caller: &Caller, id: &str) -> Result<ResidentView, AppError> {
    let row = visible_resident(svc, caller, id, Purpose::ProfileRead).await?;
    Ok(ResidentView::new(row, &svc.context()))
}

/// A reset link issued for a client: its one-time code, and the name of the
/// client to hand it to.
pub struct ClientResetLink {
    pub code: String,
    pub client_name: String,
}

/// A one-time link code with which a coach's client chooses a (new) login
/// and password: only for the coach's own clients who have an account.
pub async fn reset_link_for_client(
    svc: &Services,
    caller: &Caller,
    id: &str,
) -> Result<ClientResetLink, AppError> {
    if caller.role != Role::Coach {
        return Err(AppError::Forbidden(
            "Alleen de coach van deze klant. / Only this client's coach.".into(),
        ));
    }
    let row = visible_resident(svc, caller, id, Purpose::ProfileRead).await?;
    let user = row.user_id.ok_or_else(|| {
        AppError::Conflict(
            "Deze klant heeft nog geen eigen account. De gemeente maakt dat aan. / This client has no account yet.".into(),
        )
    })?;
    let code = crate::auth::login::issue_reset(&svc.store, &user, &caller.user_id)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(ClientResetLink {
        code,
        client_name: row.name,
    })
}

fn is_own(caller: &Caller, row: &ResidentRow) -> bool {
    caller.role == Role::Jobseeker && row.user_id.as_deref() == Some(caller.user_id.as_str())
}

/// Logs a read by anyone but the resident themselves, and marks the profile
/// as in use when the resident or their coach works with it (retention).
pub(crate) async fn record_use(
    svc: &Services,
    caller: &Caller,
    row: &ResidentRow,
    purpose: Purpose,
    algorithm_version: Option<&str>,
) -> Result<(), AppError> {
    if !is_own(caller, row) {
        privacy::record(svc, caller, [row.id.as_str()], purpose, algorithm_version).await?;
    }
    let by_owner = is_own(caller, row)
        || (caller.role == Role::Coach && row.coach_id.as_deref() == Some(&caller.user_id));
    // At most one write a day per profile: SQLite has one writer.
    let now = now_unix();
    if by_owner && row.last_active_at < now - 86_400 {
        svc.store.touch_resident(&row.id, now).await?;
    }
    Ok(())
}

pub async fn list(
    svc: &Services,
    caller: &Caller,
    limit: i64,
    offset: i64,
) -> Result<Vec<ResidentView>, AppError> {
    ensure_profile_role(caller)?;
    if !(1..=MAX_PAGE).contains(&limit) || !(0..=MAX_OFFSET).contains(&offset) {
        return Err(AppError::bad_request(
            "invalid_number",
            format!(
                "limit is 1 tot {MAX_PAGE}, offset 0 tot {MAX_OFFSET}. / limit must be 1 to {MAX_PAGE}, offset 0 to {MAX_OFFSET}."
            ),
        ));
    }
    let (coach, user) = match caller.role {
        Role::Coach => (Some(caller.user_id.as_str()), None),
        Role::Jobseeker => (None, Some(caller.user_id.as_str())),
        _ => (None, None),
    };
    let rows = svc.store.residents_for(coach, user, limit, offset).await?;
    let others = rows.iter().filter(|r| !is_own(caller, r)).map(|r| r.id.as_str());
    privacy::record(svc, caller, others, Purpose::ProfileListed, None).await?;
    let ctx = svc.context();
    Ok(rows.into_iter().map(|r| ResidentView::new(r, &ctx)).collect())
}

pub async fn update(
    svc: &Services,
    caller: &Caller,
    id: &str,
    input: ResidentInput,
) -> Result<ResidentView, AppError> {
    let current = accessible(svc, caller, id).await?;
    let confirmed = input.consent_confirmed_with_resident;
    // Leaving `coach_id` out keeps the coach; naming one follows the same
    // rules as on creation (a coach may only name themselves).
    let coach_id = match &input.coach_id {
        None => current.coach_id.clone(),
        Some(_) => coach_for(svc, caller, input.coach_id.clone()).await?,
    };
    let mut row = input.into_row(&svc.context(), id.to_string(), coach_id, current.user_id.clone())?;
    let granting = row.findable_by_employers && !current.findable_by_employers;
    ensure_consent_confirmed(caller, granting, confirmed, CONFIRMATION_FIELD)?;
    row.fictitious = current.fictitious;
    if !svc.store.update_resident(&row, &consent_by(caller)).await? {
        return Err(not_found());
    }
    changed_view(svc, caller, row).await
}

/// Erases the profile and everything hanging off it.
pub async fn delete(svc: &Services, caller: &Caller, id: &str) -> Result<(), AppError> {
    visible_resident(svc, caller, id, Purpose::ProfileErased).await?;
    if svc.store.delete_resident(id).await? {
        Ok(())
    } else {
        Err(not_found())
    }
}

/// "Wie bekeek mijn profiel": the newest `limit` entries about a profile
/// the caller may see (reading it is itself logged).
pub async fn views(
    svc: &Services,
    caller: &Caller,
    id: &str,
    limit: i64,
) -> Result<Vec<privacy::ViewView>, AppError> {
    let resident = visible_resident(svc, caller, id, Purpose::ViewsRead).await?;
    let rows = svc.store.views_of(&resident.id, limit).await?;
    Ok(rows.into_iter().map(privacy::ViewView::new).collect())
}
