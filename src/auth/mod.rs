//! Who is calling: roles, API tokens, web logins and the callers they
//! stand for.

pub mod login;

use rand::RngExt;

use crate::error::AppError;
use crate::storage::{Store, TokenOwner, UserContact, UserRow};
use crate::validate::Checker;
use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Employer,
    Provider,
    Coach,
    Jobseeker,
    Analyst,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Employer,
        Role::Provider,
        Role::Coach,
        Role::Jobseeker,
        Role::Analyst,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Employer => "employer",
            Role::Provider => "provider",
            Role::Coach => "coach",
            Role::Jobseeker => "jobseeker",
            Role::Analyst => "analyst",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The kind of organisation a user of this role must belong to.
    pub fn organisation_kind(self) -> Option<&'static str> {
        match self {
            Role::Employer => Some("employer"),
            Role::Provider => Some("provider"),
            _ => None,
        }
    }
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    pub user_id: String,
    pub role: Role,
    pub organisation_id: Option<String>,
}

impl Caller {
    /// The caller a token or session stands for; `None` for a role this
    /// build does not know.
    pub fn from_owner(owner: TokenOwner) -> Option<Caller> {
        Some(Caller {
            role: Role::parse(&owner.role)?,
            user_id: owner.user_id,
            organisation_id: owner.organisation_id,
        })
    }

    /// Whoever runs a command holds the database itself: an admin.
    pub fn command_line() -> Caller {
        Caller {
            user_id: "command-line".into(),
            role: Role::Admin,
            organisation_id: None,
        }
    }

    /// May this caller change offers of `organisation_id`?
    pub fn manages(&self, organisation_id: &str) -> bool {
        self.role == Role::Admin || self.organisation_id.as_deref() == Some(organisation_id)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("unknown role '{0}': use admin, employer, provider, coach, jobseeker or analyst")]
    UnknownRole(String),
    #[error("a {role} needs --org with the id of its {kind} organisation")]
    OrganisationRequired { role: &'static str, kind: &'static str },
    #[error("organisation '{0}' is not a known {1}")]
    UnknownOrganisation(String, &'static str),
    #[error("only employers and providers belong to an organisation")]
    OrganisationNotAllowed,
    #[error("a name is 1 to 100 characters")]
    InvalidName,
    #[error("no user '{0}'")]
    UnknownUser(String),
    #[error("{0}")]
    InvalidContact(String),
    #[error(transparent)]
    Store(#[from] crate::storage::StoreError),
}

/// Sets the work phone and e-mail that a coach's clients may share with an
/// employer ("via mijn werkcoach"); blank clears one.
pub async fn set_contact(
    store: &Store,
    user_id: &str,
    phone: Option<&str>,
    email: Option<&str>,
) -> Result<UserContact, UserError> {
    let mut check = Checker::default();
    let phone = check.phone("phone", phone);
    let email = check.email("email", email);
    if let Err(AppError::Validation(errors)) = check.finish() {
        let messages: Vec<String> = errors.into_iter().map(|e| e.message).collect();
        return Err(UserError::InvalidContact(messages.join(" ")));
    }
    if !store
        .set_user_contact(user_id, phone.as_deref(), email.as_deref())
        .await?
    {
        return Err(UserError::UnknownUser(user_id.to_string()));
    }
    store
        .user_contact(user_id)
        .await?
        .ok_or_else(|| UserError::UnknownUser(user_id.to_string()))
}

/// How long a new API token is valid unless asked otherwise.
pub const DEFAULT_TOKEN_DAYS: u32 = 90;

fn expiry(days: u32) -> i64 {
    crate::storage::now_unix() + i64::from(days) * 86_400
}

/// Creates a user with a fresh API token valid for `DEFAULT_TOKEN_DAYS`.
pub async fn create_user(
    store: &Store,
    name: &str,
    role: &str,
    organisation: Option<&str>,
) -> Result<(UserRow, String), UserError> {
    create_user_for(store, name, role, organisation, DEFAULT_TOKEN_DAYS).await
}

/// Creates a user with a fresh API token valid for `days`; returns the user
/// and the token, which is shown once and stored only as a hash.
pub async fn create_user_for(
    store: &Store,
    name: &str,
    role: &str,
    organisation: Option<&str>,
    days: u32,
) -> Result<(UserRow, String), UserError> {
    let role = Role::parse(role).ok_or_else(|| UserError::UnknownRole(role.to_string()))?;
    match (role.organisation_kind(), organisation) {
        (Some(kind), Some(org)) => {
            if store.organisation_kind(org).await?.as_deref() != Some(kind) {
                return Err(UserError::UnknownOrganisation(org.to_string(), kind));
            }
        }
        (Some(kind), None) => {
            return Err(UserError::OrganisationRequired {
                role: role.as_str(),
                kind,
            });
        }
        (None, Some(_)) => return Err(UserError::OrganisationNotAllowed),
        (None, None) => {}
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(UserError::InvalidName);
    }
    let user = UserRow {
        id: format!("usr-{}", uuid::Uuid::now_v7().simple()),
        name: name.to_string(),
        role: role.as_str().to_string(),
        organisation_id: organisation.map(str::to_string),
    };
    let (token, hash) = new_token();
    store
        .create_user_with_token(&user, &new_token_id(), &hash, Some(expiry(days)))
        .await?;
    Ok((user, token))
}

/// Issues another token for an existing user; returns its id and the token.
pub async fn issue_token(store: &Store, user_id: &str, days: u32) -> Result<(String, String), UserError> {
    let (token, hash) = new_token();
    let id = new_token_id();
    if store.add_token(user_id, &id, &hash, Some(expiry(days))).await? {
        Ok((id, token))
    } else {
        Err(UserError::UnknownUser(user_id.to_string()))
    }
}

fn new_token_id() -> String {
    format!("tok-{}", uuid::Uuid::now_v7().simple())
}

/// A fresh token ("bl_" and 64 hex digits) and the hash to store.
pub fn new_token() -> (String, String) {
    let token = format!("bl_{}", random_hex());
    let hash = hash_token(&token);
    (token, hash)
}

/// 256 random bits as hex: tokens, session ids, CSRF tokens.
pub fn random_hex() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    hex::encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_hash_stably() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(hash_token(&a), hash_a);
        assert_ne!(a, hash_a, "the stored form is not the token");
        assert_eq!(a.len(), 3 + 64);
    }

    #[test]
    fn only_own_organisation_or_admin_manages() {
        let employer = Caller {
            user_id: "u".into(),
            role: Role::Employer,
            organisation_id: Some("org-1".into()),
        };
        assert!(employer.manages("org-1"));
        assert!(!employer.manages("org-2"));
        let admin = Caller {
            role: Role::Admin,
            organisation_id: None,
            ..employer
        };
        assert!(admin.manages("org-2"));
    }
}
