//! `GET /api/v1/me/export`: everything Banenlift holds about the caller
//! (AVG art. 15 and 20), as one JSON document.

use serde::Serialize;

use crate::auth::{Caller, Role};
use crate::consent::{self, ConsentView};
use crate::error::AppError;
use crate::outcomes::{self, OutcomeView, TrainingOutcomeView};
use crate::privacy::{self, Purpose, ViewView, timestamp};
use crate::residents::matches::{self, MatchOptions, MatchesResponse};
use crate::residents::profile::ResidentView;
use crate::services::Services;
use crate::storage::TokenRow;

/// The views log in an export is complete up to this many entries.
const MAX_VIEWS: i64 = 10_000;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Export {
    pub exported_at: String,
    pub account: AccountExport,
    /// The jobseeker's profile and what was derived from it; absent for
    /// other roles or before a profile exists.
    pub profile: Option<ProfileExport>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccountExport {
    pub id: String,
    pub name: String,
    pub role: &'static str,
    pub organisation_id: Option<String>,
    /// Token metadata; the tokens themselves are stored only as hashes.
    pub tokens: Vec<TokenExport>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenExport {
    pub id: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProfileExport {
    pub resident: ResidentView,
    pub consent: ConsentView,
    pub matches: MatchesResponse,
    pub outcomes: Vec<OutcomeView>,
    pub training_outcomes: Vec<TrainingOutcomeView>,
    pub contact_requests: Vec<crate::contact::ContactRequestView>,
    pub views: Vec<ViewView>,
}

pub async fn export(svc: &Services, caller: &Caller) -> Result<Export, AppError> {
    let user = svc
        .store
        .user(&caller.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let tokens = svc.store.tokens_of(&caller.user_id).await?;
    let profile = match caller.role {
        Role::Jobseeker => profile_export(svc, caller).await?,
        _ => None,
    };
    Ok(Export {
        exported_at: timestamp(crate::storage::now_unix()),
        account: AccountExport {
            id: user.id,
            name: user.name,
            role: caller.role.as_str(),
            organisation_id: user.organisation_id,
            tokens: tokens.into_iter().map(token_export).collect(),
        },
        profile,
    })
}

async fn profile_export(svc: &Services, caller: &Caller) -> Result<Option<ProfileExport>, AppError> {
    let Some(own) = svc
        .store
        .residents_for(None, Some(&caller.user_id), 1, 0)
        .await?
        .pop()
    else {
        return Ok(None);
    };
    let id = own.id.clone();
    let resident = ResidentView::new(own, &svc.context());
    let consent = consent::get(svc, caller, &id).await?;
    let matches = matches::matches(svc, caller, &id, MatchOptions::default()).await?;
    let outcomes = outcomes::of_resident(svc, caller, &id).await?;
    let training_outcomes = outcomes::trainings_of_resident(svc, caller, &id).await?;
    let contact_requests = crate::contact::list(svc, caller, &id).await?;
    let views = svc.store.views_of(&id, MAX_VIEWS).await?;
    privacy::record(svc, caller, [id.as_str()], Purpose::Export, None).await?;
    Ok(Some(ProfileExport {
        resident,
        consent,
        matches,
        outcomes,
        training_outcomes,
        contact_requests,
        views: views.into_iter().map(ViewView::new).collect(),
    }))
}

fn token_export(t: TokenRow) -> TokenExport {
    TokenExport {
        id: t.id,
        created_at: timestamp(t.created_at),
        expires_at: t.expires_at.map(timestamp),
        revoked_at: t.revoked_at.map(timestamp),
    }
}
