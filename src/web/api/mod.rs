//! The JSON API under `/api/v1`: one file of thin handlers per resource.

mod contact;
mod geo;
pub(crate) mod lift;
mod offers;
mod outcomes;
mod privacy;
mod residents;
mod skills;

use axum::Router;

use super::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(offers::router())
        .merge(residents::router())
        .merge(skills::router())
        .merge(geo::router())
        .merge(privacy::router())
        .merge(outcomes::router())
        .merge(contact::router())
        .merge(lift::router())
}
