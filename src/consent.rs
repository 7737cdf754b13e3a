//! Consent to be found by employers: set by the resident, or by their coach
//! together with the resident; every change is kept with its time and the
//! version of the text the resident agreed to.

use serde::{Deserialize, Serialize};

use crate::auth::{Caller, Role};
use crate::error::AppError;
use crate::privacy::{CONSENT_VERSION, Purpose, consent_by, timestamp};
use crate::residents::{accessible, ensure_consent_confirmed, record_use, visible_resident};
use crate::services::Services;
use crate::storage::{ConsentEventRow, ResidentRow, now_unix};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentInput {
    pub findable_by_employers: bool,
    /// Required from a coach who turns consent on: the client agreed.
    #[serde(default)]
    pub confirmed_with_resident: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConsentEventView {
    pub findable_by_employers: bool,
    pub version: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConsentView {
    pub resident_id: String,
    pub findable_by_employers: bool,
    pub current_version: &'static str,
    pub history: Vec<ConsentEventView>,
}

pub async fn get(svc: &Services, caller: &Caller, id: &str) -> Result<ConsentView, AppError> {
    let resident = visible_resident(svc, caller, id, Purpose::ConsentRead).await?;
    view(svc, resident).await
}

pub async fn set(
    svc: &Services,
    caller: &Caller,
    id: &str,
    input: ConsentInput,
) -> Result<ConsentView, AppError> {
    if !matches!(caller.role, Role::Jobseeker | Role::Coach) {
        return Err(AppError::Forbidden(
            "Alleen de werkzoekende of diens coach geeft toestemming. / Only the resident or their coach sets consent."
                .into(),
        ));
    }
    let resident = accessible(svc, caller, id).await?;
    ensure_consent_confirmed(
        caller,
        input.findable_by_employers,
        input.confirmed_with_resident,
        "confirmed_with_resident",
    )?;
    let by = consent_by(caller);
    if !svc
        .store
        .set_consent(id, input.findable_by_employers, &by, now_unix())
        .await?
    {
        return Err(crate::residents::not_found());
    }
    record_use(svc, caller, &resident, Purpose::ConsentChanged, None).await?;
    let resident = ResidentRow {
        findable_by_employers: input.findable_by_employers,
        ..resident
    };
    view(svc, resident).await
}

async fn view(svc: &Services, resident: ResidentRow) -> Result<ConsentView, AppError> {
    let history = svc.store.consent_history(&resident.id).await?;
    Ok(ConsentView {
        resident_id: resident.id,
        findable_by_employers: resident.findable_by_employers,
        current_version: CONSENT_VERSION,
        history: history.into_iter().map(event_view).collect(),
    })
}

fn event_view(row: ConsentEventRow) -> ConsentEventView {
    ConsentEventView {
        findable_by_employers: row.findable,
        version: row.version,
        recorded_by: row.recorded_by,
        recorded_at: timestamp(row.recorded_at),
    }
}
