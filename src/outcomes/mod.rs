//! Outcomes of a resident × vacancy pair (voorgesteld … aangenomen): the
//! facts the lift report counts. A coach records them for their own
//! clients; an employer for its own vacancies and residents who consented.

use serde::{Deserialize, Serialize};

use crate::auth::{Caller, Role};
use crate::error::AppError;
use crate::privacy::{Purpose, timestamp};
use crate::residents::{candidate_of_employer, visible_resident};
use crate::services::Services;
use crate::storage::{OutcomeRow, TrainingRow, VacancyRow, now_unix};

/// A training route: signed up, started, completed or stopped.
pub const TRAINING_STATUSES: [&str; 4] = ["aangemeld", "gestart", "afgerond", "gestopt"];

pub const STATUSES: [&str; 6] = [
    "voorgesteld",
    "gesolliciteerd",
    "gesprek",
    "aangenomen",
    "afgewezen",
    "gestopt",
];

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeInput {
    pub resident_id: String,
    pub vacancy_id: String,
    pub status: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingOutcomeInput {
    pub resident_id: String,
    pub training_id: String,
    pub status: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrainingOutcomeView {
    pub resident_id: String,
    pub training_id: String,
    pub training_title: String,
    pub status: String,
    pub recorded_by_role: String,
    pub recorded_at: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OutcomeView {
    pub resident_id: String,
    pub vacancy_id: String,
    pub vacancy_title: String,
    pub status: String,
    pub recorded_by_role: String,
    pub recorded_at: String,
}

/// The step a jobseeker records for themselves; the later steps are the
/// coach's or the employer's to record.
pub const APPLIED: &str = "gesolliciteerd";
pub const SIGNED_UP: &str = "aangemeld";

fn own_step_only(step: &str) -> AppError {
    AppError::Forbidden(format!(
        "Zelf legt u alleen '{step}' vast; de andere stappen doet uw werkcoach. / You can only record '{step}' yourself."
    ))
}

fn not_found() -> AppError {
    AppError::NotFound("Deze combinatie van profiel en vacature bestaat niet of je mag hem niet zien. / No such resident and vacancy.".into())
}

pub async fn record(
    svc: &Services,
    caller: &Caller,
    input: OutcomeInput,
) -> Result<Vec<OutcomeView>, AppError> {
    if !STATUSES.contains(&input.status.as_str()) {
        return Err(AppError::invalid(
            "status",
            format!("Kies uit / choose from: {}.", STATUSES.join(", ")),
        ));
    }
    if input.resident_id.len() > 64 || input.vacancy_id.len() > 64 {
        return Err(not_found());
    }
    let vacancy = svc
        .store
        .offer::<VacancyRow>(&input.vacancy_id)
        .await?
        .ok_or_else(not_found)?;
    match caller.role {
        Role::Jobseeker if input.status != APPLIED => {
            return Err(own_step_only(APPLIED));
        }
        Role::Coach | Role::Jobseeker => {
            visible_resident(svc, caller, &input.resident_id, Purpose::OutcomeRecorded)
                .await
                .map_err(|e| e.hidden_as(not_found))?;
        }
        Role::Employer => {
            candidate_of_employer(
                svc,
                caller,
                &vacancy,
                &input.resident_id,
                Purpose::OutcomeRecorded,
            )
            .await?
            .ok_or_else(not_found)?;
        }
        _ => {
            return Err(AppError::Forbidden(
                "Alleen werkzoekenden, coaches en werkgevers leggen uitkomsten vast. / Only jobseekers, coaches and employers record outcomes."
                    .into(),
            ));
        }
    }
    svc.store
        .insert_outcome(
            &input.resident_id,
            &input.vacancy_id,
            &input.status,
            &caller.user_id,
            caller.role.as_str(),
            now_unix(),
        )
        .await?;
    let rows = svc
        .store
        .outcomes_of(&input.resident_id, Some(&input.vacancy_id))
        .await?;
    Ok(rows.into_iter().map(view).collect())
}

/// The outcome history of a profile the caller may see.
pub async fn of_resident(svc: &Services, caller: &Caller, id: &str) -> Result<Vec<OutcomeView>, AppError> {
    let resident = visible_resident(svc, caller, id, Purpose::OutcomesRead).await?;
    let rows = svc.store.outcomes_of(&resident.id, None).await?;
    Ok(rows.into_iter().map(view).collect())
}

fn view(row: OutcomeRow) -> OutcomeView {
    OutcomeView {
        resident_id: row.resident_id,
        vacancy_id: row.offer_id,
        vacancy_title: row.offer_title,
        status: row.status,
        recorded_by_role: row.recorded_role,
        recorded_at: timestamp(row.recorded_at),
    }
}

/// A coach records a client's training route: the report counts starts and
/// completions. Employers and providers see no residents, so only coaches.
pub async fn record_training(
    svc: &Services,
    caller: &Caller,
    input: TrainingOutcomeInput,
) -> Result<Vec<TrainingOutcomeView>, AppError> {
    if !TRAINING_STATUSES.contains(&input.status.as_str()) {
        return Err(AppError::invalid(
            "status",
            format!("Kies uit / choose from: {}.", TRAINING_STATUSES.join(", ")),
        ));
    }
    match caller.role {
        Role::Coach => {}
        Role::Jobseeker if input.status == SIGNED_UP => {}
        Role::Jobseeker => return Err(own_step_only(SIGNED_UP)),
        _ => {
            return Err(AppError::Forbidden(
                "Alleen werkzoekenden en hun coaches leggen opleidingen vast. / Only jobseekers and their coaches record training routes."
                    .into(),
            ));
        }
    }
    let unknown = || {
        AppError::NotFound(
            "Deze combinatie van profiel en opleiding bestaat niet of je mag hem niet zien. / No such resident and training."
                .into(),
        )
    };
    if input.resident_id.len() > 64 || input.training_id.len() > 64 {
        return Err(unknown());
    }
    svc.store
        .offer::<TrainingRow>(&input.training_id)
        .await?
        .ok_or_else(unknown)?;
    visible_resident(svc, caller, &input.resident_id, Purpose::OutcomeRecorded)
        .await
        .map_err(|e| e.hidden_as(unknown))?;
    svc.store
        .insert_training_outcome(
            &input.resident_id,
            &input.training_id,
            &input.status,
            (&caller.user_id, caller.role.as_str()),
            now_unix(),
        )
        .await?;
    let rows = svc
        .store
        .training_outcomes_of(&input.resident_id, Some(&input.training_id))
        .await?;
    Ok(rows.into_iter().map(training_view).collect())
}

/// The training routes of a profile the caller may see.
pub async fn trainings_of_resident(
    svc: &Services,
    caller: &Caller,
    id: &str,
) -> Result<Vec<TrainingOutcomeView>, AppError> {
    let resident = visible_resident(svc, caller, id, Purpose::OutcomesRead).await?;
    let rows = svc.store.training_outcomes_of(&resident.id, None).await?;
    Ok(rows.into_iter().map(training_view).collect())
}

fn training_view(row: OutcomeRow) -> TrainingOutcomeView {
    TrainingOutcomeView {
        resident_id: row.resident_id,
        training_id: row.offer_id,
        training_title: row.offer_title,
        status: row.status,
        recorded_by_role: row.recorded_role,
        recorded_at: timestamp(row.recorded_at),
    }
}
