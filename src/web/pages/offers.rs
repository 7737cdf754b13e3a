//! `/vacatures` and `/opleidingen`: search with filters, facets and pages,
//! and the detail pages (vacancies with schema.org `JobPosting` JSON-LD and
//! nearby trainings for their skills).

use axum::Form;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Redirect;
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;
use std::collections::BTreeMap;

use crate::auth::Role;
use crate::codes::{Code, Contract, Cost, DutchLevel, Education, Sector, TrainingKind};
use crate::error::AppError;
use crate::geo::Point;
use crate::offers::query::{Hit, SearchResponse, search};
use crate::offers::training::TrainingView;
use crate::offers::vacancy::VacancyView;
use crate::offers::{self, trainings_teaching};
use crate::outcomes::{APPLIED, OutcomeInput, SIGNED_UP, TrainingOutcomeInput};
use crate::reference::SkillRef;
use crate::search::OfferKind;
use crate::storage::{TrainingRow, VacancyRow};
use crate::validate::dialable;
use crate::web::AppState;
use crate::web::format::{decimal, long_date, paragraphs};
use crate::web::forms::{
    CsrfOnly, Field, FieldErrors, checkbox, code_options, error_summary, select_field, text_field,
};
use crate::web::layout::{Frame, page};
use crate::web::page_error::PageError;
use crate::web::pages::listing::pagination;
use crate::web::params::{SearchParams, search_request};
use crate::web::visitor::{Lang, SignedIn, Visitor};

/// Trainings shown on a vacancy's page: near the workplace, for its skills.
const NEARBY_TRAININGS: usize = 5;
const NEARBY_TRAININGS_KM: f64 = 15.0;

/// The wijken by name, for the location selects.
pub fn wijk_options(state: &AppState) -> Vec<(String, String)> {
    let mut wijken: Vec<(String, String)> = state
        .geo
        .wijken()
        .iter()
        .map(|w| (w.code.clone(), w.name.clone()))
        .collect();
    wijken.sort_by(|a, b| a.1.cmp(&b.1));
    wijken
}

/// What differs between the vacancy and the training search pages.
struct Listing {
    kind: OfferKind,
    path: &'static str,
    title: (&'static str, &'static str),
    /// The way back from a detail page that was not reached from a search.
    all: (&'static str, &'static str),
}

const VACANCIES: Listing = Listing {
    kind: OfferKind::Vacancy,
    path: "/vacatures",
    title: ("Vacatures", "Jobs"),
    all: ("Alle vacatures", "All jobs"),
};

const TRAININGS: Listing = Listing {
    kind: OfferKind::Training,
    path: "/opleidingen",
    title: ("Opleidingen", "Training"),
    all: ("Alle opleidingen", "All training"),
};

pub async fn vacancies(
    State(state): State<AppState>,
    visitor: Visitor,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Response {
    listing(&state, &visitor, &VACANCIES, params).await
}

pub async fn trainings(
    State(state): State<AppState>,
    visitor: Visitor,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Response {
    listing(&state, &visitor, &TRAININGS, params).await
}

async fn listing(
    state: &AppState,
    visitor: &Visitor,
    listing: &Listing,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Response {
    let lang = visitor.lang;
    let (params, outcome) = match params {
        Ok(Query(params)) => {
            let params = without_orphan_sort(params);
            let outcome = match search_request(&state.geo, listing.kind, &params) {
                Ok(request) => search(state, listing.kind, request).await,
                Err(e) => Err(e),
            };
            (params, outcome)
        }
        Err(_) => (
            SearchParams::default(),
            Err(AppError::bad_request(
                "invalid_query",
                lang.t(
                    "Deze zoekopdracht begrijpen we niet.",
                    "We do not understand this search.",
                ),
            )),
        ),
    };
    let (status, results, errors) = match outcome {
        Ok(results) => (StatusCode::OK, Some(results), FieldErrors::default()),
        Err(AppError::BadRequest { code, detail }) => {
            let mut errors = FieldErrors::default();
            errors.add(field_of(code), detail);
            (StatusCode::BAD_REQUEST, None, errors)
        }
        Err(other) => return PageError::App(other).into_response(),
    };
    let shown = SearchPage {
        lang,
        listing,
        params: &params,
        query: SearchQuery::of(&params),
        filters: active_filters(state, lang, &params),
    };
    // The filters stay closed so that a phone shows the first results on
    // its first screen; they open by themselves only when the visitor has
    // to act there (a field error, or nothing found). CSS cannot show a
    // closed `details` in every browser, so a wide screen gets the same
    // disclosure, and the facets beside the results instead.
    let open = !errors.is_empty() || results.as_ref().is_some_and(|r| r.total == 0);
    let title = lang.t(listing.title.0, listing.title.1);
    let body = html! {
        h1 { (title) }
        (error_summary(lang, &errors))
        (filter_form(state, &shown, &errors, open))
        @if let Some(results) = &results {
            div.bl-search-layout {
                div.bl-results { (result_list(&shown, results)) }
                (facet_lists(&shown, results))
            }
        }
    };
    (status, page(&Frame::of(visitor, listing.path, title), body)).into_response()
}

/// One search page as drawn: the parameters asked, and the filters among
/// them in use.
struct SearchPage<'a> {
    lang: Lang,
    listing: &'a Listing,
    params: &'a SearchParams,
    /// The search asked, for the links that change one part of it.
    query: SearchQuery,
    filters: Vec<ActiveFilter>,
}

impl SearchPage<'_> {
    fn href(&self, query: &SearchQuery) -> String {
        query.href(self.listing.path)
    }
}

/// Which form field a search error belongs to.
fn field_of(code: &str) -> &'static str {
    match code {
        "unknown_wijk" => "wijk",
        "invalid_postcode" | "unknown_postcode" | "ambiguous_location" => "postcode",
        "invalid_radius" | "location_required" => "radius_km",
        "invalid_number" => "hours_min",
        _ => "q",
    }
}

/// A parameter's value, when one is given.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A checkbox sends `true`; other values of the API are not the form's.
fn checked(value: &Option<String>) -> bool {
    value.as_deref() == Some("true")
}

fn has_place(p: &SearchParams) -> bool {
    [&p.wijk, &p.postcode, &p.lat, &p.lon]
        .into_iter()
        .any(|v| given(v).is_some())
}

/// The form keeps the sort in a hidden field, so a visitor who clears the
/// place leaves a distance sort without one: the page then sorts as usual
/// rather than refuse the search.
fn without_orphan_sort(mut p: SearchParams) -> SearchParams {
    if given(&p.sort) == Some("distance") && !has_place(&p) {
        p.sort = None;
    }
    p
}

/// A search as query-string pairs, for links to the same search with one
/// part changed.
struct SearchQuery(Vec<(&'static str, String)>);

impl SearchQuery {
    fn of(p: &SearchParams) -> Self {
        let all = [
            ("q", &p.q),
            ("wijk", &p.wijk),
            ("postcode", &p.postcode),
            ("lat", &p.lat),
            ("lon", &p.lon),
            ("radius_km", &p.radius_km),
            ("sector", &p.sector),
            ("contract", &p.contract),
            ("kind", &p.kind),
            ("cost", &p.cost),
            ("hours_min", &p.hours_min),
            ("hours_max", &p.hours_max),
            ("education", &p.education),
            ("dutch_level", &p.dutch_level),
            ("banenafspraak", &p.banenafspraak),
            ("bbl", &p.bbl),
            ("sort", &p.sort),
            ("limit", &p.limit),
            ("offset", &p.offset),
        ];
        let pairs = all
            .into_iter()
            .filter_map(|(name, value)| Some((name, given(value)?.to_string())))
            .collect();
        Self(pairs)
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// Without these parameters; a changed search starts on its first shown.
    fn without(&self, names: &[&str]) -> Self {
        let kept = self
            .0
            .iter()
            .filter(|(n, _)| *n != "offset" && !names.contains(n));
        Self(kept.cloned().collect())
    }

    /// With `name` set to `value`, on the first shown.
    fn with(&self, name: &'static str, value: &str) -> Self {
        let mut query = self.without(&[name]);
        query.0.push((name, value.to_string()));
        query
    }

    fn at_offset(&self, offset: usize) -> Self {
        let mut query = self.without(&[]);
        if offset > 0 {
            query.0.push(("offset", offset.to_string()));
        }
        query
    }

    fn encoded(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&self.0)
            .finish()
    }

    fn href(&self, path: &str) -> String {
        if self.0.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", self.encoded())
        }
    }
}

/// A filter in use: what it says, and the parameters that removing it clears.
struct ActiveFilter {
    label: String,
    clears: &'static [&'static str],
}

/// The filters in use, as the form shows them; their number is on the
/// "Filters (n)" disclosure.
fn active_filters(state: &AppState, lang: Lang, p: &SearchParams) -> Vec<ActiveFilter> {
    let hours = |bound: &str, h: &str| format!("{bound} {h} {}", lang.t("uur", "hours"));
    let chosen: [(&'static [&'static str], Option<String>); 11] = [
        (
            &["wijk", "postcode", "lat", "lon", "radius_km"],
            place_label(state, lang, p),
        ),
        (&["sector"], given(&p.sector).map(label_of::<Sector>)),
        (&["contract"], given(&p.contract).map(label_of::<Contract>)),
        (&["kind"], given(&p.kind).map(label_of::<TrainingKind>)),
        (&["cost"], given(&p.cost).map(label_of::<Cost>)),
        (
            &["hours_min"],
            given(&p.hours_min).map(|h| hours(lang.t("Minstens", "At least"), h)),
        ),
        (
            &["hours_max"],
            given(&p.hours_max).map(|h| hours(lang.t("Hoogstens", "At most"), h)),
        ),
        (
            &["education"],
            given(&p.education).map(|e| {
                format!(
                    "{}: {}",
                    lang.t("Uw opleiding", "Your education"),
                    label_of::<Education>(e)
                )
            }),
        ),
        (
            &["dutch_level"],
            given(&p.dutch_level).map(|l| {
                format!(
                    "{}: {}",
                    lang.t("Uw Nederlands", "Your Dutch"),
                    label_of::<DutchLevel>(l)
                )
            }),
        ),
        (
            &["banenafspraak"],
            checked(&p.banenafspraak).then(|| "Banenafspraak".to_string()),
        ),
        (
            &["bbl"],
            checked(&p.bbl).then(|| {
                lang.t("Leren en werken (BBL)", "Learn while working (BBL)")
                    .to_string()
            }),
        ),
    ];
    chosen
        .into_iter()
        .filter_map(|(clears, label)| {
            Some(ActiveFilter {
                label: label?,
                clears,
            })
        })
        .collect()
}

/// The place searched from, by the name the visitor knows, and how far.
fn place_label(state: &AppState, lang: Lang, p: &SearchParams) -> Option<String> {
    let place = if let Some(wijk) = given(&p.wijk) {
        Some(
            state
                .geo
                .find_wijk(wijk)
                .map_or_else(|| wijk.to_string(), |w| w.name.clone()),
        )
    } else if let Some(postcode) = given(&p.postcode) {
        Some(format!("{} {postcode}", lang.t("Postcode", "Postcode")))
    } else {
        has_place(p).then(|| lang.t("Uw plek", "Your location").to_string())
    };
    match (place, given(&p.radius_km)) {
        (Some(place), Some(km)) => Some(format!("{place}, {} {km} km", lang.t("binnen", "within"))),
        (place, None) => place,
        // A distance without a place: the form shows the error.
        (None, Some(km)) => Some(format!("{km} km")),
    }
}

fn filter_form(state: &AppState, shown: &SearchPage, errors: &FieldErrors, open: bool) -> Markup {
    let (lang, p) = (shown.lang, shown.params);
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    let hours: Vec<(String, String)> = [8, 16, 24, 32, 36]
        .iter()
        .map(|h| (h.to_string(), format!("{h} {}", lang.t("uur", "hours"))))
        .collect();
    let radii: Vec<(String, String)> = [1, 2, 5, 10, 20]
        .iter()
        .map(|km| (km.to_string(), format!("{km} km")))
        .collect();
    let vacancy = shown.listing.kind == OfferKind::Vacancy;
    html! {
        form.bl-form.bl-search method="get" action=(shown.listing.path) role="search" {
            div.bl-search-row {
                (text_field(&Field {
                    name: "q",
                    label: lang.t("Zoekwoorden", "Keywords"),
                    // No hint: on a phone each line pushes the results down.
                    hint: None,
                    kind: "search",
                    autocomplete: "off",
                }, &value(&p.q), errors))
                button.bl-button.bl-button--primary type="submit" { (lang.t("Zoeken", "Search")) }
            }
            @if let Some(sort) = given(&p.sort) {
                input type="hidden" name="sort" value=(sort);
            }
            details.bl-filter-panel open[open] {
                summary { (lang.t("Filters", "Filters")) " (" (shown.filters.len()) ")" }
                div.bl-filter-panel__body {
                    fieldset.bl-fieldset {
                        legend.bl-legend { (lang.t("Waar", "Where")) }
                        div.bl-filter-grid {
                            (select_field("wijk", lang.t("Wijk", "Neighbourhood"), lang.t("Heel Den Haag", "All of The Hague"),
                                &wijk_options(state), &value(&p.wijk), errors))
                            (text_field(&Field {
                                name: "postcode",
                                label: lang.t("Of uw postcode (4 cijfers)", "Or your postcode (4 digits)"),
                                hint: None,
                                kind: "text",
                                autocomplete: "postal-code",
                            }, &value(&p.postcode), errors))
                            (select_field("radius_km", lang.t("Afstand", "Distance"), lang.t("Maakt niet uit", "Any distance"),
                                &radii, &value(&p.radius_km), errors))
                        }
                    }
                    fieldset.bl-fieldset {
                        legend.bl-legend { (if vacancy { lang.t("Wat voor werk", "What kind of work") } else { lang.t("Wat voor opleiding", "What kind of training") }) }
                        div.bl-filter-grid {
                            (select_field("sector", lang.t("Sector", "Sector"), lang.t("Alle sectoren", "All sectors"),
                                &code_options::<Sector>(), &value(&p.sector), errors))
                            @if vacancy {
                                (select_field("contract", lang.t("Contract", "Contract"), lang.t("Alle contracten", "Any contract"),
                                    &code_options::<Contract>(), &value(&p.contract), errors))
                                (select_field("hours_min", lang.t("Minstens uren per week", "At least hours a week"),
                                    lang.t("Geen minimum", "No minimum"), &hours, &value(&p.hours_min), errors))
                                (select_field("hours_max", lang.t("Hoogstens uren per week", "At most hours a week"),
                                    lang.t("Geen maximum", "No maximum"), &hours, &value(&p.hours_max), errors))
                                (select_field("education", lang.t("Uw hoogste opleiding", "Your highest education"),
                                    lang.t("Alle niveaus", "All levels"), &code_options::<Education>(), &value(&p.education), errors))
                            } @else {
                                (select_field("kind", lang.t("Soort opleiding", "Kind of training"), lang.t("Alle soorten", "All kinds"),
                                    &code_options::<TrainingKind>(), &value(&p.kind), errors))
                                (select_field("cost", lang.t("Kosten", "Cost"), lang.t("Alle", "Any"),
                                    &code_options::<Cost>(), &value(&p.cost), errors))
                            }
                            (select_field("dutch_level", lang.t("Uw niveau Nederlands", "Your level of Dutch"),
                                lang.t("Alle niveaus", "All levels"), &code_options::<DutchLevel>(), &value(&p.dutch_level), errors))
                            @if vacancy {
                                (checkbox("banenafspraak", lang.t("Alleen banenafspraak-banen", "Only Banenafspraak jobs"),
                                    checked(&p.banenafspraak)))
                            }
                            (checkbox("bbl", lang.t("Leren en werken (BBL)", "Learn while working (BBL)"), checked(&p.bbl)))
                        }
                    }
                    div.bl-button-group {
                        button.bl-button.bl-button--primary type="submit" { (lang.t("Toon resultaten", "Show results")) }
                        @if !shown.filters.is_empty() {
                            a.bl-button.bl-button--secondary href=(shown.href(&without_filters(shown))) { (lang.t("Wis filters", "Clear filters")) }
                        }
                    }
                }
            }
        }
    }
}

/// The search words and order without any of the filters.
fn without_filters(shown: &SearchPage) -> SearchQuery {
    let names: Vec<&str> = shown
        .filters
        .iter()
        .flat_map(|f| f.clears.iter().copied())
        .collect();
    shown.query.without(&names)
}

fn result_list(shown: &SearchPage, results: &SearchResponse) -> Markup {
    let lang = shown.lang;
    let noun = if results.total == 1 {
        lang.t("resultaat", "result")
    } else {
        lang.t("resultaten", "results")
    };
    html! {
        p.bl-results__summary role="status" {
            strong { (results.total) } " " (noun)
        }
        (active_filter_links(shown))
        @if let Some(corrected) = &results.corrected_query {
            p.bl-did-you-mean {
                (lang.t("Bedoelde u ", "Did you mean ")) strong { (corrected) } "? "
                (lang.t("We hebben daarop gezocht.", "We searched for that."))
            }
        }
        @if results.hits.is_empty() {
            p.bl-empty { (lang.t(
                "Niets gevonden. Probeer andere woorden, minder filters of een grotere afstand.",
                "Nothing found. Try other words, fewer filters or a larger distance.")) }
        } @else {
            (sort_links(shown))
            ol.bl-result-list role="list" {
                @for hit in &results.hits {
                    (hit_card(shown, hit))
                }
            }
            (search_pages(shown, results))
        }
    }
}

/// The filters in use, each a link that removes it: with the filters
/// closed, this is where a visitor sees what narrows the results.
fn active_filter_links(shown: &SearchPage) -> Markup {
    let lang = shown.lang;
    html! {
        @if !shown.filters.is_empty() {
            ul.bl-active-filters aria-label=(lang.t("Uw filters", "Your filters")) {
                @for filter in &shown.filters {
                    li {
                        a.bl-chip href=(shown.href(&shown.query.without(filter.clears))) {
                            span aria-hidden="true" { "× " }
                            (filter.label)
                            span.bl-visually-hidden { (lang.t(" (filter wissen)", " (remove filter)")) }
                        }
                    }
                }
            }
        }
    }
}

/// The orders the search knows; by distance only from a place.
fn sort_links(shown: &SearchPage) -> Markup {
    let lang = shown.lang;
    let current = given(&shown.params.sort).unwrap_or("relevance");
    let mut sorts = vec![("relevance", lang.t("Best passend", "Best match"))];
    if has_place(shown.params) {
        sorts.push(("distance", lang.t("Afstand", "Distance")));
    }
    sorts.push(("newest", lang.t("Nieuwste", "Newest")));
    let link = |sort: &'static str| match sort {
        "relevance" => shown.query.without(&["sort"]),
        _ => shown.query.with("sort", sort),
    };
    html! {
        div.bl-sort {
            span id="sorteren" { (lang.t("Sorteer op:", "Sort by:")) }
            ul aria-labelledby="sorteren" {
                @for (sort, label) in sorts {
                    li {
                        @if sort == current {
                            span aria-current="true" { (label) }
                        } @else {
                            a href=(shown.href(&link(sort))) { (label) }
                        }
                    }
                }
            }
        }
    }
}

fn hit_card(shown: &SearchPage, hit: &Hit) -> Markup {
    html! {
        li.bl-card {
            h2.bl-card__title { a href=(detail_href(shown, &hit.id)) { (hit.title) } }
            div.bl-card__meta {
                span.bl-tag { (hit.employer) }
                span.bl-tag { (hit.wijk_name) }
                @if let Some(km) = hit.distance_km {
                    span.bl-tag { (format!("{km:.1}").replace('.', ",")) " km" }
                }
                @if shown.listing.kind == OfferKind::Vacancy {
                    span.bl-tag { (hours_text(shown.lang, hit.hours_min, hit.hours_max)) }
                }
            }
            p.bl-card__snippet { (PreEscaped(&hit.snippet)) }
        }
    }
}

/// A result's link carries the search it was found in as `terug`, for the
/// detail page's way back (`back_link`).
fn detail_href(shown: &SearchPage, id: &str) -> String {
    let path = format!("{}/{id}", shown.listing.path);
    let search = shown.query.encoded();
    if search.is_empty() {
        return path;
    }
    let back = form_urlencoded::Serializer::new(String::new())
        .append_pair("terug", &search)
        .finish();
    format!("{path}?{back}")
}

/// The detail pages' link back to the search the visitor came from.
/// `query` is that search's query string (the `terug` parameter), never a
/// URL: only the search's own parameters are read from it and written
/// again behind the listing's path, so the link cannot lead elsewhere.
fn back_link(listing_path: &str, query: Option<&str>, lang: Lang) -> Markup {
    let listing = [&VACANCIES, &TRAININGS]
        .into_iter()
        .find(|l| l.path == listing_path)
        .unwrap_or(&VACANCIES);
    let search = query
        .and_then(parse_search)
        .map(|p| SearchQuery::of(&p))
        .filter(|q| !q.0.is_empty());
    let (href, label) = match search {
        Some(search) => (
            search.href(listing.path),
            lang.t("Terug naar uw zoekresultaten", "Back to your search results"),
        ),
        None => (listing.path.to_string(), lang.t(listing.all.0, listing.all.1)),
    };
    html! { p { a href=(href) { "← " (label) } } }
}

/// A query string as search parameters; `None` for anything else.
fn parse_search(query: &str) -> Option<SearchParams> {
    let uri: axum::http::Uri = format!("/?{query}").parse().ok()?;
    Query::<SearchParams>::try_from_uri(&uri).ok().map(|Query(p)| p)
}

fn hours_text(lang: Lang, min: u64, max: u64) -> String {
    let per_week = lang.t("uur per week", "hours a week");
    if min == max {
        format!("{min} {per_week}")
    } else {
        format!("{min}–{max} {per_week}")
    }
}

/// The search's page links; the other parameters are kept.
fn search_pages(shown: &SearchPage, results: &SearchResponse) -> Markup {
    let limit = results.limit.max(1);
    let pages = results.total.div_ceil(limit as u64).min(500) as usize;
    pagination(shown.lang, results.offset / limit, pages, |n| {
        shown.href(&shown.query.at_offset(n * limit))
    })
}

/// Counts per value beside the results; each value is a link that applies
/// it as a filter, the one in use a link that removes it.
fn facet_lists(shown: &SearchPage, results: &SearchResponse) -> Markup {
    let lang = shown.lang;
    let heading = |facet: &str| match facet {
        "sector" => lang.t("Sector", "Sector"),
        "education" => lang.t("Uw hoogste opleiding", "Your highest education"),
        "stadsdeel" => lang.t("Stadsdeel", "District"),
        "contract" => lang.t("Contract", "Contract"),
        "kind" => lang.t("Soort opleiding", "Kind of training"),
        "cost" => lang.t("Kosten", "Cost"),
        _ => "",
    };
    html! {
        @if results.total > 0 {
            section.bl-facets aria-labelledby="verfijnen" {
                h2 id="verfijnen" { (lang.t("Verfijn uw zoekopdracht", "Refine your search")) }
                @for (facet, counts) in &results.facets {
                    @if !counts.is_empty() {
                        h3 { (heading(facet)) }
                        ul {
                            @for (code, label, count) in facet_values(facet, counts) {
                                li { (facet_value(shown, facet_param(facet), &code, &label, count)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DetailQuery {
    /// Set after "ik heb gesolliciteerd" / "ik heb me aangemeld".
    #[serde(default)]
    opgeslagen: Option<String>,
    /// Set when the employer has just posted or saved it.
    #[serde(default)]
    geplaatst: Option<String>,
    /// The search the visitor came from, for the way back.
    #[serde(default)]
    terug: Option<String>,
}

/// The filter a facet's values set. Stadsdelen have none: a place is a
/// wijk or a postcode.
fn facet_param(facet: &str) -> Option<&'static str> {
    match facet {
        "sector" => Some("sector"),
        "education" => Some("education"),
        "contract" => Some("contract"),
        "kind" => Some("kind"),
        "cost" => Some("cost"),
        _ => None,
    }
}

/// A facet's values as (code, label, count). The education filter finds
/// offers up to a level, so its counts add up the levels below, lowest
/// first: a link finds as many as it says.
fn facet_values(facet: &str, counts: &BTreeMap<String, u64>) -> Vec<(String, String, u64)> {
    if facet == "education" {
        let mut up_to = 0;
        return Education::ALL
            .iter()
            .filter_map(|level| {
                up_to += counts.get(level.code())?;
                Some((level.code().to_string(), level.label().to_string(), up_to))
            })
            .collect();
    }
    let label = |code: &str| match facet {
        "sector" => label_of::<Sector>(code),
        "contract" => label_of::<Contract>(code),
        "kind" => label_of::<TrainingKind>(code),
        "cost" => label_of::<Cost>(code),
        _ => code.to_string(),
    };
    counts
        .iter()
        .map(|(code, count)| (code.clone(), label(code), *count))
        .collect()
}

fn facet_value(
    shown: &SearchPage,
    param: Option<&'static str>,
    code: &str,
    label: &str,
    count: u64,
) -> Markup {
    let count = html! { " " span.bl-count { (count) } };
    let Some(param) = param else {
        return html! { span { (label) (count) } };
    };
    let active = shown
        .query
        .get(param)
        .is_some_and(|v| v.eq_ignore_ascii_case(code));
    if active {
        html! {
            a href=(shown.href(&shown.query.without(&[param]))) aria-current="true" {
                span aria-hidden="true" { "× " } (label) (count)
                span.bl-visually-hidden { (shown.lang.t(" (filter wissen)", " (remove filter)")) }
            }
        }
    } else {
        html! { a href=(shown.href(&shown.query.with(param, code))) { (label) (count) } }
    }
}

pub async fn vacancy(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(query): Query<DetailQuery>,
) -> Result<Markup, PageError> {
    let saved = query.opgeslagen.is_some();
    let view = offers::get::<VacancyRow>(&state, &id)
        .await
        .map_err(not_found_page)?;
    let skills: Vec<String> = view
        .skills_required
        .iter()
        .chain(&view.skills_optional)
        .map(|s| s.id.clone())
        .collect();
    let near = Point {
        lat: view.lat,
        lon: view.lon,
    };
    let trainings = trainings_teaching(&state, skills, near, NEARBY_TRAININGS_KM, NEARBY_TRAININGS).await?;
    let lang = visitor.lang;
    let open = view.status == "open";
    let body = html! {
        @if open { (job_posting_json_ld(&view)) }
        (back_link(VACANCIES.path, query.terug.as_deref(), lang))
        h1 { (view.title) }
        p.bl-lead { (view.employer) ", " (view.wijk.name) }
        @if !open {
            div.bl-alert.bl-alert--warning role="status" {
                p { strong { (lang.t("Deze vacature is gesloten.", "This vacancy is closed.")) } " "
                    (lang.t("Solliciteren kan niet meer.", "You can no longer apply.")) }
            }
        }
        @if open { p { a.bl-button.bl-button--primary href="#solliciteren" { (lang.t("Solliciteer", "Apply")) } } }
        @if query.geplaatst.is_some() {
            div.bl-alert.bl-alert--ok role="status" {
                p { strong { (lang.t("Vacature geplaatst.", "Vacancy posted.")) } " " (lang.t("Zo zien werkzoekenden hem.", "This is how jobseekers see it.")) }
            }
        }
        @if saved {
            div.bl-alert.bl-alert--ok role="status" {
                p { (lang.t("Opgeslagen: u hebt gesolliciteerd. Uw werkcoach ziet dit ook.", "Saved: you applied. Your coach sees this too.")) }
            }
        }
        (candidates_link(&visitor, &view))
        div.bl-columns {
            section.bl-section {
                h2 { (lang.t("Over de baan", "About the job")) }
                dl.bl-data-list {
                    dt { (lang.t("Werkgever", "Employer")) } dd { (view.employer) }
                    dt { (lang.t("Waar", "Where")) } dd { (view.wijk.name) " (" (view.wijk.stadsdeel) ")" }
                    dt { (lang.t("Uren", "Hours")) } dd { (hours_text(lang, view.hours_min as u64, view.hours_max as u64)) }
                    dt { (lang.t("Contract", "Contract")) } dd { (label_of::<Contract>(&view.contract)) }
                    dt { (lang.t("Salaris", "Salary")) } dd { (salary_text(lang, &view)) }
                    dt { (lang.t("Opleiding", "Education")) } dd { (label_of::<Education>(&view.education)) }
                    dt { (lang.t("Nederlands", "Dutch")) } dd { (label_of::<DutchLevel>(&view.dutch_level)) }
                    @if view.banenafspraak { dt { "Banenafspraak" } dd { (lang.t("Ja", "Yes")) } }
                    @if view.bbl { dt { "BBL" } dd { (lang.t("Ja, leren en werken", "Yes, learn while working")) } }
                    @if let Some(closes) = &view.closes_on { dt { (lang.t("Reageren tot", "Apply before")) } dd { (long_date(lang, closes)) } }
                }
                (paragraphs(&view.description))
            }
            section.bl-section {
                h2 { (lang.t("Wat u nodig hebt", "What you need")) }
                (skill_tags(&view.skills_required))
                @if !view.skills_optional.is_empty() {
                    h3 { (lang.t("Mooi meegenomen", "Nice to have")) }
                    (skill_tags(&view.skills_optional))
                }
            }
        }
        @if open { (apply_section(&visitor, &view, saved)) }
        section.bl-section {
            h2 { (lang.t("Opleidingen in de buurt voor deze baan", "Training nearby for this job")) }
            @if trainings.is_empty() {
                p.bl-empty { (lang.t("Geen opleidingen in de buurt voor deze vaardigheden.", "No training nearby for these skills.")) }
            } @else {
                ul {
                    @for t in &trainings {
                        li { a href={ "/opleidingen/" (t.id) } { (t.title) } " — " (t.provider) }
                    }
                }
            }
        }
    };
    let path = format!("/vacatures/{}", view.id);
    Ok(page(&Frame::of(&visitor, &path, &view.title), body))
}

/// Coaches and the vacancy's own employer find its candidates from here.
fn candidates_link(visitor: &Visitor, view: &VacancyView) -> Markup {
    let lang = visitor.lang;
    let caller = visitor.signed_in.as_ref().map(|s| &s.caller);
    let href = match caller {
        Some(c) if c.role == Role::Coach => Some(format!("/coach/vacatures/{}/kandidaten", view.id)),
        Some(c)
            if c.role == Role::Employer
                && c.organisation_id.as_deref() == Some(view.organisation_id.as_str()) =>
        {
            Some(format!("/werkgever/vacatures/{}/kandidaten", view.id))
        }
        _ => None,
    };
    html! {
        @if let Some(href) = href {
            p { a.bl-button.bl-button--secondary href=(href) { (lang.t("Bekijk passende kandidaten", "See fitting candidates")) } }
        }
    }
}

pub async fn training(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(query): Query<DetailQuery>,
) -> Result<Markup, PageError> {
    let view: TrainingView = offers::get::<TrainingRow>(&state, &id)
        .await
        .map_err(not_found_page)?;
    let lang = visitor.lang;
    let body = html! {
        (back_link(TRAININGS.path, query.terug.as_deref(), lang))
        h1 { (view.title) }
        p.bl-lead { (view.provider) ", " (view.wijk.name) }
        dl.bl-data-list {
            dt { (lang.t("Aanbieder", "Provider")) } dd { (view.provider) }
            dt { (lang.t("Soort", "Kind")) } dd { (label_of::<TrainingKind>(&view.kind)) }
            dt { (lang.t("Duur", "Length")) } dd { (view.duration_weeks) " " (lang.t("weken", "weeks")) ", " (view.hours_per_week) " " (lang.t("uur per week", "hours a week")) }
            dt { (lang.t("Kosten", "Cost")) } dd { (label_of::<Cost>(&view.cost)) }
            dt { (lang.t("Nederlands", "Dutch")) } dd { (label_of::<DutchLevel>(&view.dutch_level)) }
            @if !view.start_dates.is_empty() {
                dt { (lang.t("Start", "Starts")) }
                dd { (view.start_dates.iter().map(|d| long_date(lang, d)).collect::<Vec<_>>().join(", ")) }
            }
        }
        @if query.opgeslagen.is_some() {
            div.bl-alert.bl-alert--ok role="status" {
                p { (lang.t("Opgeslagen: u hebt zich aangemeld. Uw werkcoach ziet dit ook.", "Saved: you signed up. Your coach sees this too.")) }
            }
        }
        (paragraphs(&view.description))
        h2 { (lang.t("Wat u leert", "What you learn")) }
        (skill_tags(&view.skills))
        @if view.status == "open" { (signup_section(&visitor, &view)) }
    };
    let path = format!("/opleidingen/{}", view.id);
    Ok(page(&Frame::of(&visitor, &path, &view.title), body))
}

/// The ways to reach an employer or provider, with the first of link,
/// e-mail and phone as the main button.
struct Ways<'a> {
    url: Option<&'a str>,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    /// The e-mail's subject, such as "Sollicitatie: Magazijnmedewerker".
    subject: String,
    extra: &'a str,
}

fn ways_buttons(lang: Lang, ways: &Ways<'_>, main: &str) -> Markup {
    let mailto = ways.email.map(|e| {
        let subject: String = form_urlencoded::byte_serialize(ways.subject.as_bytes()).collect();
        format!("mailto:{e}?subject={}", subject.replace('+', "%20"))
    });
    let tel = ways.phone.map(|p| format!("tel:{}", dialable(p)));
    let main_href = ways
        .url
        .map(str::to_string)
        .or_else(|| mailto.clone())
        .or_else(|| tel.clone());
    html! {
        @if let Some(href) = main_href {
            p { a.bl-button.bl-button--primary href=(href) rel="noopener" { (main) } }
        }
        ul.bl-ways {
            @if let (Some(href), Some(phone)) = (&tel, ways.phone) {
                li { (lang.t("Bellen: ", "Call: ")) a href=(href) { (phone) } }
            }
            @if let (Some(href), Some(email)) = (&mailto, ways.email) {
                li { (lang.t("Mailen: ", "E-mail: ")) a href=(href) { (email) } }
            }
            @if let Some(url) = ways.url {
                li { (lang.t("Online: ", "Online: ")) a href=(url) rel="noopener" { (lang.t("naar het formulier", "to the form")) } }
            }
        }
        @if !ways.extra.is_empty() { p { (ways.extra) } }
    }
}

/// How to apply, and for a signed-in jobseeker the button that records it.
fn apply_section(visitor: &Visitor, view: &VacancyView, saved: bool) -> Markup {
    let lang = visitor.lang;
    let ways = Ways {
        url: view.apply_url.as_deref(),
        email: view.apply_email.as_deref(),
        phone: view.apply_phone.as_deref(),
        subject: format!("{}{}", lang.t("Sollicitatie: ", "Application: "), view.title),
        extra: &view.apply,
    };
    html! {
        section.bl-section.bl-apply id="solliciteren" {
            h2 { (lang.t("Solliciteren", "Apply")) }
            (ways_buttons(lang, &ways, lang.t("Solliciteer", "Apply")))
            @if !saved {
                (record_step(visitor, &format!("/vacatures/{}/gesolliciteerd", view.id),
                    lang.t("Gesolliciteerd? Zet het in uw profiel. Uw werkcoach ziet het dan ook.", "Applied? Put it in your profile. Your coach sees it too."),
                    lang.t("Ik heb gesolliciteerd", "I have applied")))
            }
        }
    }
}

/// How to sign up for a training, and the button that records it.
fn signup_section(visitor: &Visitor, view: &TrainingView) -> Markup {
    let lang = visitor.lang;
    let ways = Ways {
        url: view.signup_url.as_deref(),
        email: view.signup_email.as_deref(),
        phone: view.signup_phone.as_deref(),
        subject: format!("{}{}", lang.t("Aanmelding: ", "Sign-up: "), view.title),
        extra: &view.signup,
    };
    html! {
        section.bl-section.bl-apply id="aanmelden" {
            h2 { (lang.t("Aanmelden", "Sign up")) }
            (ways_buttons(lang, &ways, lang.t("Meld u aan", "Sign up")))
            (record_step(visitor, &format!("/opleidingen/{}/aangemeld", view.id),
                lang.t("Aangemeld? Zet het in uw profiel. Uw werkcoach ziet het dan ook.", "Signed up? Put it in your profile. Your coach sees it too."),
                lang.t("Ik heb me aangemeld", "I have signed up")))
        }
    }
}

/// A jobseeker's own "I did it" button; nothing for anyone else.
fn record_step(visitor: &Visitor, action: &str, explain: &str, button: &str) -> Markup {
    let jobseeker = visitor
        .signed_in
        .as_ref()
        .filter(|s| s.caller.role == Role::Jobseeker);
    html! {
        @if let Some(signed_in) = jobseeker {
            form.bl-form method="post" action=(action) {
                input type="hidden" name="csrf" value=(signed_in.csrf);
                p { (explain) }
                button.bl-button.bl-button--secondary type="submit" { (button) }
            }
        }
    }
}

/// The signed-in jobseeker's own profile id; a jobseeker without a
/// profile makes one first.
async fn own_resident(state: &AppState, signed_in: &SignedIn) -> Result<Option<String>, PageError> {
    if signed_in.caller.role != Role::Jobseeker {
        return Err(AppError::Forbidden(String::new()).into());
    }
    let mine = crate::residents::list(state, &signed_in.caller, 1, 0).await?;
    Ok(mine.into_iter().next().map(|r| r.id))
}

/// "Ik heb gesolliciteerd": the outcome `gesolliciteerd`, for the coach
/// and the lift report.
pub async fn record_applied(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    let Some(resident_id) = own_resident(&state, signed_in).await? else {
        return Ok(Redirect::to("/profiel").into_response());
    };
    let input = OutcomeInput {
        resident_id,
        vacancy_id: id.clone(),
        status: APPLIED.to_string(),
    };
    crate::outcomes::record(&state, &signed_in.caller, input).await?;
    Ok(Redirect::to(&format!("/vacatures/{id}?opgeslagen=ja#solliciteren")).into_response())
}

/// "Ik heb me aangemeld": the training step `aangemeld`.
pub async fn record_signed_up(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    let Some(resident_id) = own_resident(&state, signed_in).await? else {
        return Ok(Redirect::to("/profiel").into_response());
    };
    let input = TrainingOutcomeInput {
        resident_id,
        training_id: id.clone(),
        status: SIGNED_UP.to_string(),
    };
    crate::outcomes::record_training(&state, &signed_in.caller, input).await?;
    Ok(Redirect::to(&format!("/opleidingen/{id}?opgeslagen=ja#aanmelden")).into_response())
}

/// A bad id is simply a page that does not exist.
fn not_found_page(error: AppError) -> PageError {
    match error {
        AppError::BadRequest { .. } => PageError::not_found(),
        other => PageError::App(other),
    }
}

fn label_of<C: Code>(code: &str) -> String {
    C::parse(code).map_or_else(|| code.to_string(), |c| c.label().to_string())
}

fn skill_tags(skills: &[SkillRef]) -> Markup {
    html! {
        div.bl-card__meta {
            @for skill in skills { span.bl-tag { (skill.label) } }
        }
    }
}

fn salary_text(lang: Lang, view: &VacancyView) -> String {
    let euros = |v: f64| format!("€ {}", decimal(lang, v, 2));
    let period = match view.salary_period.as_deref() {
        Some("uur") => lang.t(" per uur", " an hour"),
        Some("maand") => lang.t(" per maand", " a month"),
        _ => "",
    };
    match (view.salary_min, view.salary_max) {
        (Some(min), Some(max)) if min < max => format!("{} – {}{period}", euros(min), euros(max)),
        (Some(v), _) | (None, Some(v)) => format!("{}{period}", euros(v)),
        (None, None) => lang.t("Niet vermeld", "Not stated").to_string(),
    }
}

/// schema.org `JobPosting`, so that job search engines can list the vacancy.
fn job_posting_json_ld(view: &VacancyView) -> Markup {
    let posting = crate::offers::jobposting::write(view);
    // No "<" at all inside the script element: "</script>" or "<!--"
    // in an employer's text must not end or bend it.
    let json = posting.to_string().replace('<', "\\u003c");
    html! { script type="application/ld+json" { (PreEscaped(json)) } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_back_link_keeps_a_search_and_goes_nowhere_else() {
        let back = |query| back_link("/vacatures", query, Lang::Nl).into_string();
        let kept = back(Some("q=magazijn&wijk=WK051829&offset=20"));
        assert!(
            kept.contains("href=\"/vacatures?q=magazijn&amp;wijk=WK051829&amp;offset=20\""),
            "{kept}"
        );
        assert!(kept.contains("Terug naar uw zoekresultaten"));
        for foreign in [
            "https://example.org",
            "//example.org",
            "q=x&next=https://example.org",
            "javascript:alert(1)",
            "%%%",
        ] {
            let link = back(Some(foreign));
            assert!(
                link.contains("href=\"/vacatures\">← Alle vacatures"),
                "{foreign}: {link}"
            );
        }
        assert!(back(None).contains("href=\"/vacatures\""));
        let trainings = back_link("/opleidingen", Some("q="), Lang::En).into_string();
        assert!(
            trainings.contains("href=\"/opleidingen\">← All training"),
            "{trainings}"
        );
    }

    #[test]
    fn a_changed_search_starts_on_its_first_page() {
        let params = SearchParams {
            q: Some("zorg".into()),
            sector: Some("zorg".into()),
            offset: Some("40".into()),
            ..SearchParams::default()
        };
        let query = SearchQuery::of(&params);
        assert_eq!(query.encoded(), "q=zorg&sector=zorg&offset=40");
        assert_eq!(query.with("sector", "horeca").encoded(), "q=zorg&sector=horeca");
        assert_eq!(query.without(&["sector"]).encoded(), "q=zorg");
        assert_eq!(query.at_offset(20).encoded(), "q=zorg&sector=zorg&offset=20");
        assert_eq!(
            query.at_offset(0).href("/vacatures"),
            "/vacatures?q=zorg&sector=zorg"
        );
    }

    #[test]
    fn education_counts_add_up_the_levels_below() {
        let counts = BTreeMap::from([
            ("mbo2".to_string(), 3),
            ("geen".to_string(), 2),
            ("hbo".to_string(), 1),
        ]);
        let values: Vec<(String, u64)> = facet_values("education", &counts)
            .into_iter()
            .map(|(code, _, count)| (code, count))
            .collect();
        assert_eq!(
            values,
            [("geen".into(), 2), ("mbo2".into(), 5), ("hbo".into(), 6)]
        );
    }
}
