//! Thin handlers for `/api/v1/vacancies` and `/api/v1/trainings`: written
//! once, for either kind of offer. The contract needs one documented
//! operation per route, so `offer_operations!` stamps out the two kinds'
//! annotated entry points over the shared generic handlers.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa_axum::router::OpenApiRouter;

use crate::auth::Caller;
use crate::error::AppError;
use crate::offers::query::{SearchResponse, search};
use crate::offers::{self, Offer};
use crate::web::params::{SearchParams, search_request};
use crate::web::{ApiJson, ApiQuery, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(vacancies::router())
        .merge(trainings::router())
}

/// The five documented operations of one kind of offer, in a module of
/// their own: `$list` is the collection's path, `$one` one offer's.
macro_rules! offer_operations {
    ($module:ident, $row:ty, $input:ty, $view:ty, $tag:literal, $list:literal, $one:literal,
     $noun:literal, $owner:literal) => {
        mod $module {
            use super::*;
            use utoipa_axum::routes;

            pub fn router() -> OpenApiRouter<AppState> {
                OpenApiRouter::new()
                    .routes(routes!(search, create))
                    .routes(routes!(show, update, close))
            }

            #[doc = concat!("Search open ", $noun, "s by words, filters and distance")]
            ///
            /// Public. Words are matched in Dutch with typo tolerance; a place
            /// (`wijk`, `postcode` or `lat`+`lon`) with `radius_km` limits the
            /// distance. Facets count the hits per sector, contract and more.
            #[utoipa::path(get, path = $list, tag = $tag, params(SearchParams),
                responses((status = 200, description = "A page of hits with facets", body = SearchResponse)))]
            async fn search(
                state: State<AppState>,
                params: ApiQuery<SearchParams>,
            ) -> Result<Json<SearchResponse>, AppError> {
                super::search_offers::<$row>(state, params).await
            }

            #[doc = concat!("Post a ", $noun)]
            ///
            #[doc = concat!("For an ", $owner, " (for its own organisation) or an admin (who names `organisation_id`).")]
            #[utoipa::path(post, path = $list, tag = $tag, request_body = $input,
                security(("bearer" = [])),
                responses((status = 201, description = "Created", body = $view)))]
            async fn create(
                state: State<AppState>,
                caller: Caller,
                input: ApiJson<$input>,
            ) -> Result<impl IntoResponse, AppError> {
                super::create::<$row>(state, caller, input).await
            }

            #[doc = concat!("One ", $noun)]
            ///
            /// Public, also once it is closed (`status`).
            #[utoipa::path(get, path = $one, tag = $tag, params(("id" = String, Path)),
                responses((status = 200, body = $view)))]
            async fn show(state: State<AppState>, id: Path<String>) -> Result<Json<$view>, AppError> {
                super::show::<$row>(state, id).await
            }

            #[doc = concat!("Change a ", $noun)]
            ///
            /// The whole offer is sent again; the organisation cannot change.
            #[utoipa::path(put, path = $one, tag = $tag, params(("id" = String, Path)),
                request_body = $input, security(("bearer" = [])),
                responses((status = 200, body = $view)))]
            async fn update(
                state: State<AppState>,
                caller: Caller,
                id: Path<String>,
                input: ApiJson<$input>,
            ) -> Result<Json<$view>, AppError> {
                super::update::<$row>(state, caller, id, input).await
            }

            #[doc = concat!("Close a ", $noun)]
            ///
            /// It leaves the search; its page and data stay for the record.
            #[utoipa::path(delete, path = $one, tag = $tag, params(("id" = String, Path)),
                security(("bearer" = [])),
                responses((status = 204, description = "Closed")))]
            async fn close(
                state: State<AppState>,
                caller: Caller,
                id: Path<String>,
            ) -> Result<StatusCode, AppError> {
                super::close::<$row>(state, caller, id).await
            }
        }
    };
}

offer_operations!(
    vacancies,
    crate::storage::VacancyRow,
    crate::offers::vacancy::VacancyInput,
    crate::offers::vacancy::VacancyView,
    "vacancies",
    "/vacancies",
    "/vacancies/{id}",
    "vacancy",
    "employer"
);
offer_operations!(
    trainings,
    crate::storage::TrainingRow,
    crate::offers::training::TrainingInput,
    crate::offers::training::TrainingView,
    "trainings",
    "/trainings",
    "/trainings/{id}",
    "training offer",
    "training provider"
);

async fn search_offers<O: Offer>(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<SearchResponse>, AppError> {
    let request = search_request(&state.geo, O::KIND, &params)?;
    Ok(Json(search(&state, O::KIND, request).await?))
}

async fn show<O: Offer>(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<O::View>, AppError> {
    Ok(Json(offers::get::<O>(&state, &id).await?))
}

async fn create<O: Offer>(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<O::Input>,
) -> Result<impl IntoResponse, AppError>
where
    O::View: Serialize,
{
    Ok((
        StatusCode::CREATED,
        Json(offers::create::<O>(&state, &caller, input).await?),
    ))
}

async fn update<O: Offer>(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<O::Input>,
) -> Result<Json<O::View>, AppError>
where
    O::Input: DeserializeOwned,
{
    Ok(Json(offers::update::<O>(&state, &caller, &id, input).await?))
}

async fn close<O: Offer>(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    offers::close::<O>(&state, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
