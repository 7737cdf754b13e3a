//! Contact between an employer and a pseudonymised candidate. The employer
//! of a vacancy asks; the resident, or their coach, accepts or declines.
//! Only after acceptance does the employer see the full name.

use serde::{Deserialize, Serialize};

use crate::auth::{Caller, Role};
use crate::error::AppError;
use crate::privacy::{Purpose, timestamp};
use crate::residents::{candidate_of_employer, visible_resident};
use crate::services::Services;
use crate::storage::{ContactRequestRow, VacancyRow, now_unix};

pub use crate::codes::contact_status::{ACCEPTED, DECLINED, OPEN};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactRequestInput {
    pub vacancy_id: String,
    pub resident_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactAnswerInput {
    pub status: String,
}

#[derive(Debug, Serialize)]
pub struct ContactRequestView {
    pub id: String,
    pub vacancy_id: String,
    pub vacancy_title: String,
    pub employer: String,
    pub resident_id: String,
    /// open, geaccepteerd or afgewezen.
    pub status: String,
    pub requested_at: String,
    pub answered_at: Option<String>,
}

fn view(row: ContactRequestRow) -> ContactRequestView {
    ContactRequestView {
        id: row.id,
        vacancy_id: row.vacancy_id,
        vacancy_title: row.vacancy_title,
        employer: row.organisation_name,
        resident_id: row.resident_id,
        status: row.status,
        requested_at: timestamp(row.requested_at),
        answered_at: row.answered_at.map(timestamp),
    }
}

fn not_found() -> AppError {
    AppError::NotFound(
        "Dit contactverzoek of deze kandidaat bestaat niet. / No such contact request or candidate.".into(),
    )
}

/// The employer of a vacancy asks to contact a candidate it was shown, who
/// consents to be found. Asking twice for the same pair is a conflict.
pub async fn request(
    svc: &Services,
    caller: &Caller,
    input: ContactRequestInput,
) -> Result<ContactRequestView, AppError> {
    if caller.role != Role::Employer {
        return Err(AppError::Forbidden(
            "Alleen werkgevers vragen om contact. / Only employers request contact.".into(),
        ));
    }
    if input.vacancy_id.len() > 64 || input.resident_id.len() > 64 {
        return Err(not_found());
    }
    let vacancy = svc
        .store
        .offer::<VacancyRow>(&input.vacancy_id)
        .await?
        .ok_or_else(not_found)?;
    let resident = candidate_of_employer(
        svc,
        caller,
        &vacancy,
        &input.resident_id,
        Purpose::ContactRequested,
    )
    .await?
    .ok_or_else(not_found)?;
    let id = format!("con-{}", uuid::Uuid::now_v7().simple());
    let now = now_unix();
    svc.store
        .insert_contact_request(
            &id,
            &vacancy.id,
            &resident.id,
            &vacancy.organisation_id,
            &caller.user_id,
            now,
        )
        .await
        .map_err(|e| {
            if e.is_unique_violation() {
                AppError::Conflict(
                    "Voor deze kandidaat en vacature loopt al een verzoek. / Already requested.".into(),
                )
            } else {
                e.into()
            }
        })?;
    Ok(view(ContactRequestRow {
        id,
        vacancy_id: vacancy.id,
        vacancy_title: vacancy.title,
        organisation_id: vacancy.organisation_id,
        organisation_name: vacancy.organisation_name,
        resident_id: resident.id,
        status: OPEN.to_string(),
        requested_at: now,
        answered_at: None,
    }))
}

/// The requests about a profile, for the resident and their coach.
pub async fn list(
    svc: &Services,
    caller: &Caller,
    resident_id: &str,
) -> Result<Vec<ContactRequestView>, AppError> {
    let resident = visible_resident(svc, caller, resident_id, Purpose::ContactsRead).await?;
    let rows = svc.store.contact_requests_of(&resident.id).await?;
    Ok(rows.into_iter().map(view).collect())
}

/// The resident or their coach accepts or declines an open request.
pub async fn answer(
    svc: &Services,
    caller: &Caller,
    id: &str,
    input: ContactAnswerInput,
) -> Result<ContactRequestView, AppError> {
    if ![ACCEPTED, DECLINED].contains(&input.status.as_str()) {
        return Err(AppError::invalid(
            "status",
            format!("Kies {ACCEPTED} of {DECLINED}. / Choose {ACCEPTED} or {DECLINED}."),
        ));
    }
    if id.len() > 64 {
        return Err(not_found());
    }
    let mut request = svc.store.contact_request(id).await?.ok_or_else(not_found)?;
    visible_resident(svc, caller, &request.resident_id, Purpose::ContactAnswered)
        .await
        .map_err(|e| e.hidden_as(not_found))?;
    let now = now_unix();
    if !svc
        .store
        .answer_contact_request(id, &input.status, &caller.user_id, now)
        .await?
    {
        return Err(AppError::Conflict(
            "Dit verzoek is al beantwoord. / This request was already answered.".into(),
        ));
    }
    request.status = input.status;
    request.answered_at = Some(now);
    Ok(view(request))
}
