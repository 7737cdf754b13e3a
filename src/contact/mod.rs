//! Contact between an employer and a pseudonymised candidate. The employer
//! of a vacancy asks; the resident, or their coach, accepts or declines.
//! Only after acceptance does the employer see the full name, with the one
//! contact route the resident chose (phone, e-mail or their coach).

use serde::{Deserialize, Serialize};

use crate::auth::{Caller, Role};
use crate::error::AppError;
use crate::privacy::{Purpose, timestamp};
use crate::residents::{candidate_of_employer, visible_resident};
use crate::services::Services;
use crate::storage::{ContactRequestRow, ResidentRow, SharedContact, UserContact, VacancyRow, now_unix};
use crate::validate::Checker;

pub use crate::codes::contact_route::{COACH, EMAIL, PHONE};
pub use crate::codes::contact_status::{ACCEPTED, DECLINED, OPEN};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactRequestInput {
    pub vacancy_id: String,
    pub resident_id: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactAnswerInput {
    pub status: String,
    /// On acceptance: telefoon, email or werkcoach.
    #[serde(default)]
    pub reach_by: Option<String>,
    /// The number to share, with `reach_by` telefoon.
    #[serde(default)]
    pub phone: Option<String>,
    /// The address to share, with `reach_by` email.
    #[serde(default)]
    pub email: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
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
    /// Once accepted: telefoon, email or werkcoach.
    pub contact_route: Option<String>,
    /// What the employer is shown of that route.
    pub contact_detail: Option<String>,
}

fn view(row: ContactRequestRow) -> ContactRequestView {
    let (contact_route, contact_detail) = row.shared.map(|s| (s.route, s.detail)).unzip();
    ContactRequestView {
        id: row.id,
        vacancy_id: row.vacancy_id,
        vacancy_title: row.vacancy_title,
        employer: row.organisation_name,
        resident_id: row.resident_id,
        status: row.status,
        requested_at: timestamp(row.requested_at),
        answered_at: row.answered_at.map(timestamp),
        contact_route,
        contact_detail,
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
        shared: None,
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

/// What accepting a request shares with the employer: the resident's full
/// name, and one route: their own phone or e-mail, or their coach's.
pub struct Sharing {
    pub request: ContactRequestView,
    pub full_name: String,
    /// The coach, when the resident has one who can be reached.
    pub coach: Option<UserContact>,
}

/// The open request as its answer page shows it.
pub async fn sharing(svc: &Services, caller: &Caller, id: &str) -> Result<Sharing, AppError> {
    if id.len() > 64 {
        return Err(not_found());
    }
    let request = svc.store.contact_request(id).await?.ok_or_else(not_found)?;
    let resident = visible_resident(svc, caller, &request.resident_id, Purpose::ContactsRead)
        .await
        .map_err(|e| e.hidden_as(not_found))?;
    Ok(Sharing {
        request: view(request),
        coach: reachable_coach(svc, &resident).await?,
        full_name: resident.name,
    })
}

async fn reachable_coach(svc: &Services, resident: &ResidentRow) -> Result<Option<UserContact>, AppError> {
    let Some(coach_id) = &resident.coach_id else {
        return Ok(None);
    };
    let coach = svc.store.user_contact(coach_id).await?;
    Ok(coach.filter(|c| c.phone.is_some() || c.email.is_some()))
}

/// The coach as the employer sees them: "Naam (werkcoach), 070 …, naam@…".
pub fn coach_detail(coach: &UserContact) -> String {
    let mut parts = vec![format!("{} (werkcoach)", coach.name)];
    parts.extend(coach.phone.iter().chain(&coach.email).cloned());
    parts.join(", ")
}

/// The route chosen on acceptance, checked.
fn chosen_route(input: &ContactAnswerInput, coach: Option<&UserContact>) -> Result<SharedContact, AppError> {
    let mut check = Checker::default();
    let detail = match input.reach_by.as_deref() {
        Some(PHONE) => check.phone("phone", input.phone.as_deref()).ok_or_else(|| {
            AppError::invalid("phone", "Vul het telefoonnummer in waarop de werkgever u mag bellen. / Give the phone number to share.")
        }),
        Some(EMAIL) => check.email("email", input.email.as_deref()).ok_or_else(|| {
            AppError::invalid("email", "Vul het e-mailadres in waarop de werkgever u mag mailen. / Give the e-mail address to share.")
        }),
        Some(COACH) => coach.map(coach_detail).ok_or_else(|| {
            AppError::invalid(
                "reach_by",
                "U hebt geen werkcoach met contactgegevens. Kies telefoon of e-mail. / You have no coach with contact details.",
            )
        }),
        _ => Err(AppError::invalid(
            "reach_by",
            "Kies hoe de werkgever u mag bereiken: telefoon, e-mail of via uw werkcoach. / Choose how the employer may reach you.",
        )),
    };
    check.finish()?;
    Ok(SharedContact {
        route: input.reach_by.clone().unwrap_or_default(),
        detail: detail?,
    })
}

/// The resident or their coach accepts, with a contact route, or declines
/// an open request.
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
    let resident = visible_resident(svc, caller, &request.resident_id, Purpose::ContactAnswered)
        .await
        .map_err(|e| e.hidden_as(not_found))?;
    let shared = if input.status == ACCEPTED {
        let coach = reachable_coach(svc, &resident).await?;
        Some(chosen_route(&input, coach.as_ref())?)
    } else {
        None
    };
    let now = now_unix();
    if !svc
        .store
        .answer_contact_request(id, &input.status, shared.as_ref(), &caller.user_id, now)
        .await?
    {
        return Err(AppError::Conflict(
            "Dit verzoek is al beantwoord. / This request was already answered.".into(),
        ));
    }
    request.status = input.status;
    request.answered_at = Some(now);
    request.shared = shared;
    Ok(view(request))
}
