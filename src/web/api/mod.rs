//! The JSON API under `/api/v1`: one file of thin handlers per resource.

mod contact;
mod feeds;
mod geo;
pub(crate) mod imports;
pub(crate) mod lift;
mod offers;
mod outcomes;
mod privacy;
mod residents;
mod skills;

use utoipa_axum::router::OpenApiRouter;

use super::state::AppState;

/// Every API route with its documented operation: `routes!` registers a
/// handler and its part of the contract together.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(offers::router())
        .merge(feeds::router())
        .merge(imports::router())
        .merge(residents::router())
        .merge(skills::router())
        .merge(geo::router())
        .merge(privacy::router())
        .merge(outcomes::router())
        .merge(contact::router())
        .merge(lift::router())
}
