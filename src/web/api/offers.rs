//! Thin handlers for `/api/v1/vacancies` and `/api/v1/trainings`: written
//! once, for either kind of offer. The contract needs one documented,
//! non-generic operation per route, so `offer_operations!` writes the two
//! kinds' handlers from one text.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;

use crate::auth::Caller;
use crate::error::AppError;
use crate::offers;
use crate::offers::query::{self, SearchResponse};
use crate::storage::StoredOffer;
use crate::web::params::{SearchParams, search_request};
use crate::web::{ApiJson, ApiQuery, AppState, OfferBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(vacancies::router())
        .merge(trainings::router())
}

/// The five documented operations of one kind of offer, in a module of
/// their own: `$list` is the collection's path, `$one` one offer's.
macro_rules! offer_operations {
    ($module:ident, $row:ty, $input:ty, $view:ty, $tag:literal, $list:literal, $one:literal,
     $noun:literal, $owner:literal, post = $post:path, created = $created:ty,
     posted = [$($posted:tt)+]) => {
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
                State(state): State<AppState>,
                ApiQuery(params): ApiQuery<SearchParams>,
            ) -> Result<Json<SearchResponse>, AppError> {
                let kind = <$row as StoredOffer>::KIND;
                let request = search_request(&state.geo, kind, &params)?;
                Ok(Json(query::search(&state, kind, request).await?))
            }

            #[doc = concat!("Post a ", $noun)]
            ///
            #[doc = concat!("For an ", $owner, " (for its own organisation) or an admin (who names `organisation_id`).")]
            #[utoipa::path(post, path = $list, tag = $tag, $($posted)+,
                security(("bearer" = [])),
                responses((status = 201, description = "Created", body = $created)))]
            async fn create(
                State(state): State<AppState>,
                caller: Caller,
                OfferBody(body): OfferBody<$input>,
            ) -> Result<impl IntoResponse, AppError> {
                let created = $post(&state, &caller, body).await?;
                Ok((StatusCode::CREATED, Json(created)))
            }

            #[doc = concat!("One ", $noun)]
            ///
            /// Public, also once it is closed (`status`).
            #[utoipa::path(get, path = $one, tag = $tag, params(("id" = String, Path)),
                responses((status = 200, body = $view)))]
            async fn show(
                State(state): State<AppState>,
                Path(id): Path<String>,
            ) -> Result<Json<$view>, AppError> {
                Ok(Json(offers::get::<$row>(&state, &id).await?))
            }

            #[doc = concat!("Change a ", $noun)]
            ///
            /// The whole offer is sent again; the organisation cannot change.
            #[utoipa::path(put, path = $one, tag = $tag, params(("id" = String, Path)),
                request_body = $input, security(("bearer" = [])),
                responses((status = 200, body = $view)))]
            async fn update(
                State(state): State<AppState>,
                caller: Caller,
                Path(id): Path<String>,
                ApiJson(input): ApiJson<$input>,
            ) -> Result<Json<$view>, AppError> {
                Ok(Json(offers::update::<$row>(&state, &caller, &id, input).await?))
            }

            #[doc = concat!("Close a ", $noun)]
            ///
            /// It leaves the search; its page and data stay for the record.
            #[utoipa::path(delete, path = $one, tag = $tag, params(("id" = String, Path)),
                security(("bearer" = [])),
                responses((status = 204, description = "Closed")))]
            async fn close(
                State(state): State<AppState>,
                caller: Caller,
                Path(id): Path<String>,
            ) -> Result<StatusCode, AppError> {
                offers::close::<$row>(&state, &caller, &id).await?;
                Ok(StatusCode::NO_CONTENT)
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
    "employer",
    post = offers::post_vacancy,
    created = crate::offers::PostedVacancy,
    posted = [request_body(
        description = "The vacancy in Banenlift's own JSON, or a schema.org JobPosting as JSON-LD \
                       (the answer's `unmapped` lists what of it was not taken over)",
        content(
            (crate::offers::vacancy::VacancyInput = "application/json"),
            (crate::offers::jobposting::JobPosting = "application/ld+json")
        )
    )]
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
    "training provider",
    post = offers::post_training,
    created = crate::offers::training::TrainingView,
    posted = [request_body = crate::offers::training::TrainingInput]
);
