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
    Field, FieldErrors, checkbox, code_options, error_summary, select_field, text_field,
};
use crate::web::layout::{Frame, page};
use crate::web::page_error::PageError;
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
}

const VACANCIES: Listing = Listing {
    kind: OfferKind::Vacancy,
    path: "/vacatures",
    title: ("Vacatures", "Jobs"),
};

const TRAININGS: Listing = Listing {
    kind: OfferKind::Training,
    path: "/opleidingen",
    title: ("Opleidingen", "Training"),
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
    let title = lang.t(listing.title.0, listing.title.1);
    let body = html! {
        h1 { (title) }
        (error_summary(lang, &errors))
        div.bl-search-layout {
            aside.bl-filters aria-label=(lang.t("Zoeken en filteren", "Search and filter")) {
                (filter_form(state, lang, listing, &params, &errors))
            }
            div.bl-results {
                @if let Some(results) = &results {
                    (result_list(lang, listing, &params, results))
                }
            }
        }
    };
    (status, page(&Frame::of(visitor, listing.path, title), body)).into_response()
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

fn filter_form(
    state: &AppState,
    lang: Lang,
    listing: &Listing,
    p: &SearchParams,
    errors: &FieldErrors,
) -> Markup {
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    let hours: Vec<(String, String)> = [8, 16, 24, 32, 36]
        .iter()
        .map(|h| (h.to_string(), format!("{h} {}", lang.t("uur", "hours"))))
        .collect();
    let radii: Vec<(String, String)> = [1, 2, 5, 10, 20]
        .iter()
        .map(|km| (km.to_string(), format!("{km} km")))
        .collect();
    let vacancy = listing.kind == OfferKind::Vacancy;
    html! {
        form.bl-form method="get" action=(listing.path) {
            (text_field(&Field {
                name: "q",
                label: lang.t("Zoekwoorden", "Keywords"),
                hint: Some(lang.t("Bijvoorbeeld een beroep of vaardigheid.", "For example a job or a skill.")),
                kind: "search",
                autocomplete: "off",
            }, &value(&p.q), errors))
            fieldset.bl-fieldset {
                legend.bl-legend { (lang.t("Waar", "Where")) }
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
                    p.banenafspraak.as_deref() == Some("true")))
            }
            (checkbox("bbl", lang.t("Leren en werken (BBL)", "Learn while working (BBL)"), p.bbl.as_deref() == Some("true")))
            div.bl-button-group {
                button.bl-button.bl-button--primary type="submit" { (lang.t("Zoeken", "Search")) }
                a.bl-button.bl-button--secondary href=(listing.path) { (lang.t("Wis filters", "Clear filters")) }
            }
        }
    }
}

fn result_list(lang: Lang, listing: &Listing, p: &SearchParams, results: &SearchResponse) -> Markup {
    html! {
        p.bl-results__summary role="status" {
            strong { (results.total) } " " (lang.t("resultaten", "results"))
        }
        @if let Some(corrected) = &results.corrected_query {
            p.bl-did-you-mean {
                (lang.t("Bedoelde je ", "Did you mean ")) strong { (corrected) } "? "
                (lang.t("We hebben daarop gezocht.", "We searched for that."))
            }
        }
        @if results.hits.is_empty() {
            p.bl-empty { (lang.t(
                "Niets gevonden. Probeer andere woorden, of een grotere afstand.",
                "Nothing found. Try other words, or a larger distance.")) }
        } @else {
            ol.bl-result-list role="list" {
                @for hit in &results.hits {
                    (hit_card(lang, listing, hit))
                }
            }
            (pagination(lang, listing, p, results))
        }
        (facet_lists(lang, results))
    }
}

fn hit_card(lang: Lang, listing: &Listing, hit: &Hit) -> Markup {
    html! {
        li.bl-card {
            h2.bl-card__title { a href={ (listing.path) "/" (hit.id) } { (hit.title) } }
            div.bl-card__meta {
                span.bl-tag { (hit.employer) }
                span.bl-tag { (hit.wijk_name) }
                @if let Some(km) = hit.distance_km {
                    span.bl-tag { (format!("{km:.1}").replace('.', ",")) " km" }
                }
                @if listing.kind == OfferKind::Vacancy {
                    span.bl-tag { (hours_text(lang, hit.hours_min, hit.hours_max)) }
                }
            }
            p.bl-card__snippet { (PreEscaped(&hit.snippet)) }
        }
    }
}

fn hours_text(lang: Lang, min: u64, max: u64) -> String {
    let per_week = lang.t("uur per week", "hours a week");
    if min == max {
        format!("{min} {per_week}")
    } else {
        format!("{min}–{max} {per_week}")
    }
}

/// Links to the previous and next pages and the nearby page numbers; the
/// other parameters are kept.
fn pagination(lang: Lang, listing: &Listing, p: &SearchParams, results: &SearchResponse) -> Markup {
    let limit = results.limit.max(1);
    let pages = results.total.div_ceil(limit as u64).min(500) as usize;
    let current = results.offset / limit;
    if pages <= 1 {
        return html! {};
    }
    let link = |page: usize| format!("{}?{}", listing.path, query_with_offset(p, page * limit));
    let shown: Vec<usize> = (current.saturating_sub(2)..(current + 3).min(pages)).collect();
    html! {
        nav.bl-pagination aria-label=(lang.t("Paginering", "Pagination")) {
            ul {
                @if current > 0 {
                    li { a href=(link(current - 1)) rel="prev" { (lang.t("Vorige", "Previous")) } }
                }
                @for page in shown {
                    li {
                        @if page == current {
                            span aria-current="page" { (page + 1) }
                        } @else {
                            a href=(link(page)) { span.bl-visually-hidden { (lang.t("Pagina ", "Page ")) } (page + 1) }
                        }
                    }
                }
                @if current + 1 < pages {
                    li { a href=(link(current + 1)) rel="next" { (lang.t("Volgende", "Next")) } }
                }
            }
        }
    }
}

fn query_with_offset(p: &SearchParams, offset: usize) -> String {
    let pairs = [
        ("q", &p.q),
        ("wijk", &p.wijk),
        ("postcode", &p.postcode),
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
    ];
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            query.append_pair(name, value);
        }
    }
    query.append_pair("offset", &offset.to_string());
    query.finish()
}

fn facet_lists(lang: Lang, results: &SearchResponse) -> Markup {
    let label = |facet: &str, code: &str| -> String {
        match facet {
            "sector" => Sector::parse(code).map(Code::label),
            "education" => Education::parse(code).map(Code::label),
            "contract" => Contract::parse(code).map(Code::label),
            "kind" => TrainingKind::parse(code).map(Code::label),
            "cost" => Cost::parse(code).map(Code::label),
            _ => None,
        }
        .unwrap_or(code)
        .to_string()
    };
    let heading = |facet: &str| match facet {
        "sector" => lang.t("Per sector", "By sector"),
        "education" => lang.t("Per opleidingsniveau", "By education"),
        "stadsdeel" => lang.t("Per stadsdeel", "By district"),
        "contract" => lang.t("Per contract", "By contract"),
        "kind" => lang.t("Per soort", "By kind"),
        "cost" => lang.t("Per kosten", "By cost"),
        _ => "",
    };
    html! {
        @for (facet, counts) in &results.facets {
            @if !counts.is_empty() {
                section.bl-facets {
                    h3 { (heading(facet)) }
                    ul {
                        @for (code, count) in counts {
                            li { (label(facet, code)) " " span.bl-count { "(" (count) ")" } }
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
        p { a href="/vacatures" { "← " (lang.t("Alle vacatures", "All jobs")) } }
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
                        li { a href={ "/opleidingen/" (t.id) } { (t.title) } " — " (t.organisation_name) }
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
        p { a href="/opleidingen" { "← " (lang.t("Alle opleidingen", "All training")) } }
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

#[derive(Debug, Deserialize)]
pub struct StepForm {
    #[serde(default)]
    csrf: String,
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
    Form(form): Form<StepForm>,
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
    Form(form): Form<StepForm>,
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
    let employment = match (view.contract.as_str(), view.parttime) {
        ("tijdelijk" | "uitzend", _) => "TEMPORARY",
        (_, true) => "PART_TIME",
        _ => "FULL_TIME",
    };
    let mut posting = serde_json::json!({
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": view.title,
        "description": view.description,
        "datePosted": view.posted_on,
        "employmentType": employment,
        "hiringOrganization": { "@type": "Organization", "name": view.employer },
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": "Den Haag",
                "addressRegion": view.wijk.name,
                "addressCountry": "NL"
            },
            "geo": { "@type": "GeoCoordinates", "latitude": view.lat, "longitude": view.lon }
        },
        "skills": view.skills_required.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(),
        "identifier": { "@type": "PropertyValue", "name": "Banenlift", "value": view.id },
    });
    if let Some(closes) = &view.closes_on {
        posting["validThrough"] = closes.clone().into();
    }
    posting["directApply"] = view.apply_url.is_some().into();
    if let Some(url) = &view.apply_url {
        posting["url"] = url.clone().into();
    }
    if view.apply_email.is_some() || view.apply_phone.is_some() {
        let mut contact = serde_json::json!({ "@type": "ContactPoint", "contactType": "sollicitaties" });
        if let Some(email) = &view.apply_email {
            contact["email"] = email.clone().into();
        }
        if let Some(phone) = &view.apply_phone {
            contact["telephone"] = phone.clone().into();
        }
        posting["applicationContact"] = contact;
    }
    if let (Some(min), Some(unit)) = (view.salary_min, view.salary_period.as_deref()) {
        posting["baseSalary"] = serde_json::json!({
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": min,
                "maxValue": view.salary_max.unwrap_or(min),
                "unitText": if unit == "uur" { "HOUR" } else { "MONTH" }
            }
        });
    }
    // No "<" at all inside the script element: "</script>" or "<!--"
    // in an employer's text must not end or bend it.
    let json = posting.to_string().replace('<', "\\u003c");
    html! { script type="application/ld+json" { (PreEscaped(json)) } }
}
