//! The HTML pages, at Dutch paths. Thin handlers: they call the same service
//! functions as the API and render the answers with maud (compiled,
//! auto-escaping templates).

pub(crate) mod api_docs;
mod coach;
mod contact;
pub(crate) mod employer;
mod home;
mod lift;
mod listing;
mod login;
mod my_data;
mod offers;
mod password;
mod profile;
mod profile_form;
mod sitemap;
mod widgets;

use axum::Router;
use axum::extract::Query;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use tower_http::set_header::SetResponseHeaderLayer;

use super::layout::{STYLESHEET, STYLESHEET_PATH};
use super::visitor::{LANG_COOKIE, Lang, Visitor};
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show))
        .route("/vacatures", get(offers::vacancies))
        .route("/vacatures/{id}", get(offers::vacancy))
        .route("/vacatures/{id}/gesolliciteerd", post(offers::record_applied))
        .route("/opleidingen", get(offers::trainings))
        .route("/opleidingen/{id}", get(offers::training))
        .route("/opleidingen/{id}/aangemeld", post(offers::record_signed_up))
        .route("/profiel", get(profile::show).post(profile::create))
        .route("/profiel/bewerken", get(profile::edit_form).post(profile::save))
        .route("/profiel/vaardigheden", post(profile::add))
        .route("/profiel/vaardigheden/verwijderen", post(profile::remove))
        .route("/profiel/toestemming", post(profile::consent))
        .route(
            "/profiel/contact/{request}",
            get(profile::contact_request).post(profile::answer_contact),
        )
        .route("/profiel/gegevens", get(profile::download))
        .route("/profiel/gegevens/overzicht", get(my_data::overview))
        .route("/profiel/verwijderen", post(profile::erase))
        .route("/coach", get(coach::caseload))
        .route(
            "/coach/klanten/nieuw",
            get(coach::new_client_form).post(coach::create_client),
        )
        .route("/coach/klanten/{id}", get(coach::client))
        .route("/coach/klanten/{id}/toestemming", post(coach::consent))
        .route("/coach/klanten/{id}/wachtwoordlink", post(coach::reset_link))
        .route(
            "/coach/klanten/{id}/bewerken",
            get(coach::edit_form).post(coach::save),
        )
        .route("/coach/klanten/{id}/vaardigheden", post(coach::add))
        .route(
            "/coach/klanten/{id}/vaardigheden/verwijderen",
            post(coach::remove),
        )
        .route("/coach/klanten/{id}/uitkomst", post(coach::record_outcome))
        .route("/coach/klanten/{id}/opleiding", post(coach::record_training))
        .route(
            "/coach/klanten/{id}/contact/{request}",
            get(coach::contact_request).post(coach::answer_contact),
        )
        .route("/coach/vacatures/{id}/kandidaten", get(coach::candidate_list))
        .route("/werkgever", get(employer::overview))
        .route("/werkgever/vacatures", post(employer::create))
        .route("/werkgever/vacatures/nieuw", get(employer::new_form))
        .route(
            "/werkgever/vacatures/{id}/bewerken",
            get(employer::edit_form).post(employer::update),
        )
        .route(
            "/werkgever/vacatures/{id}/sluiten",
            get(employer::confirm_close).post(employer::close),
        )
        .route("/werkgever/vacatures/{id}/heropenen", post(employer::reopen))
        .route(
            "/werkgever/vacatures/{id}/kandidaten",
            get(employer::candidate_list),
        )
        .route(
            "/werkgever/vacatures/{id}/kandidaten/{resident}/contact",
            post(employer::request_contact),
        )
        .route("/lift", get(lift::overview))
        .route("/lift.csv", get(lift::download))
        .route("/lift/wijken/{code}", get(lift::wijk))
        .route("/inloggen", get(login::show).post(login::submit))
        .route("/wachtwoord/{code}", get(password::show).post(password::submit))
        .route("/uitloggen", post(login::logout))
        .route("/taal", get(switch_language))
        // Pages may show personal data: no copy stays in a shared
        // computer's cache for the Back button after logout.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .route(STYLESHEET_PATH, get(stylesheet))
        .route("/robots.txt", get(sitemap::robots))
        .route("/sitemap.xml", get(sitemap::index))
        .route("/sitemaps/{file}", get(sitemap::part))
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
        .into_response()
}

#[derive(Deserialize)]
struct LanguageChoice {
    naar: String,
    #[serde(default)]
    terug: String,
}

/// Remembers the chosen language and returns to the page it was chosen on;
/// only local paths, so the link cannot redirect elsewhere.
async fn switch_language(visitor: Visitor, Query(choice): Query<LanguageChoice>) -> Response {
    let lang = Lang::parse(&choice.naar).unwrap_or(Lang::Nl);
    let back = if local_path(&choice.terug) {
        choice.terug.as_str()
    } else {
        "/"
    };
    let jar = CookieJar::new().add(visitor.cookie(LANG_COOKIE, lang.code().to_string()));
    (jar, Redirect::to(back)).into_response()
}

/// A path on this site: starts with one `/` and holds only the characters
/// our own paths use (no whitespace or controls, which browsers drop
/// before reading a redirect, no backslashes, no scheme).
fn local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && path.len() <= 200
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert!(local_path("/vacatures/vac-1"));
        assert!(!local_path("//evil.example"));
        assert!(!local_path("https://evil.example"));
        assert!(!local_path("/\\evil.example"));
        assert!(!local_path(""));
        assert!(!local_path("/\t/evil.example"), "browsers drop the tab");
        assert!(!local_path("/ /evil.example"));
    }
}
