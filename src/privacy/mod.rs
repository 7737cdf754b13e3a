//! Accountability for personal data (AVG): the views log, consent, the
//! export of one's own data and retention. Access rules themselves live
//! with the data (`residents`); this module records and reports.

pub mod retention;

use serde::Serialize;

use crate::auth::Caller;
use crate::error::AppError;
use crate::services::Services;
use crate::storage::{AuditEntry, ConsentBy, ViewRow, now_unix};

/// The version of the consent text (README, "Toestemming"). Bump it when
/// the text changes; earlier consents keep the version they were given under.
pub const CONSENT_VERSION: &str = "2026-11";

pub fn consent_by(caller: &Caller) -> ConsentBy<'_> {
    ConsentBy {
        user_id: &caller.user_id,
        version: CONSENT_VERSION,
    }
}

/// Why a resident's data was read or changed; stored as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    ProfileRead,
    ProfileListed,
    ProfileChanged,
    ProfileErased,
    MatchesShown,
    CandidateShown,
    ConsentRead,
    ConsentChanged,
    ViewsRead,
    OutcomesRead,
    OutcomeRecorded,
    ContactRequested,
    ContactsRead,
    ContactAnswered,
    Export,
}

impl Purpose {
    const ALL: [(Purpose, &'static str, &'static str); 15] = [
        (Self::ProfileRead, "profile_read", "bekeek je profiel"),
        (
            Self::ProfileListed,
            "profile_listed",
            "zag je profiel in een lijst",
        ),
        (Self::ProfileChanged, "profile_changed", "wijzigde je profiel"),
        (Self::ProfileErased, "profile_erased", "verwijderde je profiel"),
        (
            Self::MatchesShown,
            "matches_shown",
            "bekeek vacatures die bij je passen",
        ),
        (
            Self::CandidateShown,
            "candidate_shown",
            "zag je als kandidaat voor een vacature",
        ),
        (Self::ConsentRead, "consent_read", "bekeek je toestemming"),
        (Self::ConsentChanged, "consent_changed", "wijzigde je toestemming"),
        (Self::ViewsRead, "views_read", "bekeek wie je profiel zag"),
        (Self::OutcomesRead, "outcomes_read", "bekeek je sollicitaties"),
        (
            Self::OutcomeRecorded,
            "outcome_recorded",
            "legde een stap in een sollicitatie vast",
        ),
        (
            Self::ContactRequested,
            "contact_requested",
            "vroeg om contact met je over een vacature",
        ),
        (
            Self::ContactsRead,
            "contacts_read",
            "bekeek contactverzoeken aan jou",
        ),
        (
            Self::ContactAnswered,
            "contact_answered",
            "beantwoordde een contactverzoek voor je",
        ),
        (Self::Export, "export", "downloadde je gegevens"),
    ];

    pub fn code(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(p, ..)| *p == self)
            .map_or("", |(_, code, _)| code)
    }

    fn dutch(code: &str) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, c, _)| *c == code)
            .map_or("bekeek je gegevens", |(.., dutch)| dutch)
    }
}

/// Records that `caller` read the data of these residents. The log holds
/// ids and the purpose only, never profile content.
pub async fn record(
    svc: &Services,
    caller: &Caller,
    resident_ids: impl IntoIterator<Item = &str>,
    purpose: Purpose,
    algorithm_version: Option<&str>,
) -> Result<(), AppError> {
    let at = now_unix();
    let entries: Vec<AuditEntry> = resident_ids
        .into_iter()
        .map(|id| AuditEntry {
            at,
            actor_id: caller.user_id.clone(),
            actor_role: caller.role.as_str().to_string(),
            actor_organisation: caller.organisation_id.clone(),
            resident_id: id.to_string(),
            purpose: purpose.code().to_string(),
            algorithm_version: algorithm_version.map(str::to_string),
        })
        .collect();
    Ok(svc.store.record_views(&entries).await?)
}

/// One entry of "wie bekeek mijn profiel".
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ViewView {
    pub at: String,
    pub role: String,
    /// The organisation or person; "onbekend" when the account is gone.
    pub by: String,
    pub purpose: String,
    /// In plain Dutch: "Werkgever X zag je als kandidaat …".
    pub description: String,
    pub algorithm_version: Option<String>,
}

impl ViewView {
    pub fn new(row: ViewRow) -> Self {
        let by = row.actor_name.unwrap_or_else(|| "onbekend".to_string());
        Self {
            at: timestamp(row.at),
            description: format!(
                "{} ({}) {}.",
                by,
                role_dutch(&row.actor_role),
                Purpose::dutch(&row.purpose)
            ),
            role: row.actor_role,
            by,
            purpose: row.purpose,
            algorithm_version: row.algorithm_version,
        }
    }
}

fn role_dutch(role: &str) -> &'static str {
    match role {
        "admin" => "beheerder",
        "employer" => "werkgever",
        "provider" => "opleider",
        "coach" => "werkcoach",
        "jobseeker" => "jijzelf",
        "analyst" => "analist",
        _ => "gebruiker",
    }
}

/// RFC 3339 in UTC.
pub fn timestamp(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}
