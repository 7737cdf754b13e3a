//! `Idempotency-Key` on the API's POSTs: a client that lost an answer sends
//! the same request with the same key again and gets the first answer
//! back instead of a second record. The same key with another body (or on
//! another path) is refused with 422; a key whose first request has no
//! answer yet gets 409. Keys belong to the caller and expire after a day.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::bearer_token;
use super::{AppState, MAX_BODY_BYTES};
use crate::auth::hash_token;
use crate::error::AppError;
use crate::privacy::retention::IDEMPOTENCY_KEY_SECONDS;
use crate::storage::{Claim, StoredAnswer, now_unix};

pub const HEADER: &str = "idempotency-key";
/// Says that an answer is the stored one of an earlier request.
const REPLAYED: &str = "idempotent-replayed";
const MAX_KEY_LENGTH: usize = 255;

pub async fn idempotent_posts(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST || !request.headers().contains_key(HEADER) {
        return next.run(request).await;
    }
    match handle(&state, request, next).await {
        Ok(response) | Err(response) => response,
    }
}

async fn handle(state: &AppState, request: Request, next: Next) -> Result<Response, Response> {
    let key = key_of(&request).map_err(IntoResponse::into_response)?;
    // Without a valid token the route itself answers 401 (or 400).
    let token = bearer_token(request.headers()).ok().map(str::to_string);
    let Some(scope) = caller_scope(state, token).await? else {
        return Ok(next.run(request).await);
    };
    let (parts, body) = request.into_parts();
    // A feed may be larger than any other body; its route checks its own limit.
    let limit = if parts.uri.path().ends_with("/imports") {
        super::api::imports::MAX_FEED_BYTES
    } else {
        MAX_BODY_BYTES
    };
    let body = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| AppError::PayloadTooLarge.into_response())?;
    let fingerprint = fingerprint(parts.uri.path(), parts.uri.query(), &body);
    let now = now_unix();
    let claim = state
        .store
        .claim_idempotency_key(&scope, &key, &fingerprint, now, now - IDEMPOTENCY_KEY_SECONDS)
        .await
        .map_err(|e| AppError::from(e).into_response())?;
    match claim {
        Claim::New => Ok(run_and_store(
            state,
            &scope,
            &key,
            Request::from_parts(parts, Body::from(body)),
            next,
        )
        .await),
        Claim::Replay(answer) => Ok(replay(answer)),
        Claim::OtherRequest => Err(AppError::IdempotencyKeyReused.into_response()),
        Claim::Unanswered => Err(AppError::IdempotencyKeyUnanswered.into_response()),
    }
}

fn key_of(request: &Request) -> Result<String, AppError> {
    let mut values = request.headers().get_all(HEADER).iter();
    let key = values
        .next()
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= MAX_KEY_LENGTH && k.chars().all(|c| c.is_ascii_graphic()));
    match (key, values.next()) {
        (Some(key), None) => Ok(key.to_string()),
        _ => Err(AppError::bad_request(
            "invalid_idempotency_key",
            "Stuur één Idempotency-Key van 1 tot 255 zichtbare ASCII-tekens, bijvoorbeeld een UUID. / Send one Idempotency-Key of 1 to 255 visible ASCII characters, such as a UUID.",
        )),
    }
}

/// The user behind the bearer token: keys of different users never meet.
async fn caller_scope(state: &AppState, token: Option<String>) -> Result<Option<String>, Response> {
    let Some(token) = token else {
        return Ok(None);
    };
    let owner = state
        .store
        .token_owner(&hash_token(&token))
        .await
        .map_err(|e| AppError::from(e).into_response())?;
    Ok(owner.map(|o| o.user_id))
}

fn fingerprint(path: &str, query: Option<&str>, body: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(path.as_bytes());
    hash.update([0]);
    hash.update(query.unwrap_or("").as_bytes());
    hash.update([0]);
    hash.update(body);
    hex::encode(hash.finalize())
}

/// Runs the request; a success is stored for retries, anything else frees
/// the key (nothing was created, so running it again is safe).
async fn run_and_store(state: &AppState, scope: &str, key: &str, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if !response.status().is_success() {
        release(state, scope, key).await;
        return response;
    }
    let (parts, body) = response.into_parts();
    let body: Bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(body) => body,
        Err(error) => {
            release(state, scope, key).await;
            return AppError::Internal(anyhow::anyhow!("reading an answer to store it: {error}"))
                .into_response();
        }
    };
    let answer = StoredAnswer {
        status: parts.status.as_u16(),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/json")
            .to_string(),
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    if let Err(error) = state.store.store_idempotent_answer(scope, key, &answer).await {
        // The record exists; only the replay is lost: a retry gets 409.
        tracing::error!(%error, "storing an idempotent answer failed");
    }
    Response::from_parts(parts, Body::from(body))
}

async fn release(state: &AppState, scope: &str, key: &str) {
    if let Err(error) = state.store.release_idempotency_key(scope, key).await {
        tracing::error!(%error, "releasing an idempotency key failed");
    }
}

fn replay(answer: StoredAnswer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut response = (status, answer.body).into_response();
    let headers = response.headers_mut();
    if let Ok(content_type) = HeaderValue::from_str(&answer.content_type) {
        headers.insert(header::CONTENT_TYPE, content_type);
    }
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    response
}
