//! `/profiel/gegevens/overzicht`: all of a jobseeker's own data as a page
//! to read or print, next to the JSON download. It shows the same export,
//! so nothing is in one and not in the other.

use axum::extract::State;
use maud::{Markup, html};

use super::widgets::travel_mode;
use crate::auth::Role;
use crate::codes::{Code, Education, Sector};
use crate::export::{Export, ProfileExport};
use crate::residents::profile::ResidentView;
use crate::web::AppState;
use crate::web::format::{decimal, long_date};
use crate::web::layout::{Frame, page};
use crate::web::page_error::PageError;
use crate::web::visitor::{Lang, Visitor};

pub async fn overview(State(state): State<AppState>, visitor: Visitor) -> Result<Markup, PageError> {
    let signed_in = visitor.with_role(Role::Jobseeker)?;
    let export = crate::export::export(&state, &signed_in.caller).await?;
    let lang = visitor.lang;
    let title = lang.t("Al mijn gegevens", "All my data");
    let body = html! {
        p.bl-no-print { a href="/profiel#gegevens" { "← " (lang.t("Mijn profiel", "My profile")) } }
        h1 { (title) }
        p.bl-lead { (lang.t("Dit is alles wat Banenlift over je bewaart, op ", "This is everything Banenlift keeps about you, on "))
            (day(lang, &export.exported_at)) "." }
        p.bl-no-print { (lang.t(
            "Wil je het op papier? Kies 'Afdrukken' in het menu van je browser.",
            "Want it on paper? Choose 'Print' in your browser's menu.")) }
        (account(lang, &export))
        @match &export.profile {
            Some(profile) => { (profile_sections(lang, profile)) }
            None => { p { (lang.t("Je hebt nog geen profiel.", "You have no profile yet.")) } }
        }
    };
    Ok(page(&Frame::of(&visitor, "/profiel", title), body))
}

/// The day of an RFC 3339 time, written out.
fn day(lang: Lang, at: &str) -> String {
    long_date(lang, at.get(..10).unwrap_or(at))
}

fn yes_no(lang: Lang, yes: bool) -> &'static str {
    if yes {
        lang.t("ja", "yes")
    } else {
        lang.t("nee", "no")
    }
}

fn account(lang: Lang, export: &Export) -> Markup {
    html! {
        section.bl-section {
            h2 { (lang.t("Je account", "Your account")) }
            dl.bl-data-list {
                dt { (lang.t("Naam", "Name")) } dd { (export.account.name) }
                dt { (lang.t("Nummer", "Number")) } dd { (export.account.id) }
                dt { (lang.t("Sleutels voor apps", "App keys")) } dd { (export.account.tokens.len()) }
            }
        }
    }
}

fn profile_sections(lang: Lang, p: &ProfileExport) -> Markup {
    html! {
        (resident(lang, &p.resident))
        section.bl-section {
            h2 { (lang.t("Toestemming voor werkgevers", "Consent for employers")) }
            p { (lang.t("Nu vindbaar voor werkgevers: ", "Findable by employers now: ")) strong { (yes_no(lang, p.consent.findable_by_employers)) } }
            @if !p.consent.history.is_empty() {
                ul { @for e in &p.consent.history {
                    li { (day(lang, &e.recorded_at)) ": " (yes_no(lang, e.findable_by_employers)) " (" (lang.t("tekst ", "text ")) (e.version) ")" }
                } }
            }
        }
        section.bl-section {
            h2 { (lang.t("Stappen naar werk", "Steps towards work")) }
            @if p.outcomes.is_empty() && p.training_outcomes.is_empty() {
                p { (lang.t("Nog niets vastgelegd.", "Nothing recorded yet.")) }
            } @else {
                ul {
                    @for o in &p.outcomes { li { (day(lang, &o.recorded_at)) ": " strong { (o.status) } " — " (o.vacancy_title) } }
                    @for o in &p.training_outcomes { li { (day(lang, &o.recorded_at)) ": " strong { (o.status) } " — " (o.training_title) } }
                }
            }
        }
        section.bl-section {
            h2 { (lang.t("Contactverzoeken van werkgevers", "Contact requests from employers")) }
            @if p.contact_requests.is_empty() {
                p { (lang.t("Geen.", "None.")) }
            } @else {
                ul { @for c in &p.contact_requests {
                    li { (day(lang, &c.requested_at)) ": " (c.employer) " — " (c.vacancy_title) " (" (c.status)
                        @if let (Some(route), Some(detail)) = (&c.contact_route, &c.contact_detail) { ", " (route) ": " (detail) } ")" }
                } }
            }
        }
        section.bl-section {
            h2 { (lang.t("Wie bekeek je gegevens", "Who looked at your data")) }
            @if p.views.is_empty() {
                p { (lang.t("Nog niemand anders.", "Nobody else yet.")) }
            } @else {
                ul { @for v in &p.views { li { (day(lang, &v.at)) ": " (v.description) } } }
            }
        }
        section.bl-section {
            h2 { (lang.t("Banen die we je lieten zien", "Jobs we showed you")) }
            @if p.matches.matches.is_empty() {
                p { (lang.t("Geen.", "None.")) }
            } @else {
                ul { @for m in &p.matches.matches {
                    li { (m.vacancy.title) " — " (m.vacancy.employer) ", " (m.score.round()) " / 100" }
                } }
            }
        }
    }
}

fn resident(lang: Lang, r: &ResidentView) -> Markup {
    let list = |items: &[String]| {
        if items.is_empty() {
            "—".to_string()
        } else {
            items.join(", ")
        }
    };
    let skills: Vec<String> = r
        .skills_normalised
        .iter()
        .map(|s| match &s.label {
            Some(label) if !label.eq_ignore_ascii_case(&s.name) => format!("{} ({label})", s.name),
            _ => s.name.clone(),
        })
        .collect();
    let occupations = |list: &[crate::residents::profile::OccupationView]| -> Vec<String> {
        list.iter()
            .map(|o| o.label.clone().unwrap_or_else(|| o.value.clone()))
            .collect()
    };
    let sectors: Vec<String> = r
        .sectors_wanted
        .iter()
        .map(|s| Sector::parse(s).map_or_else(|| s.clone(), |s| s.label().to_string()))
        .collect();
    let hours = match (r.hours_min, r.hours_max) {
        (Some(min), Some(max)) => format!("{min}–{max}"),
        (Some(min), None) => format!("{} {min}", lang.t("minstens", "at least")),
        (None, Some(max)) => format!("{} {max}", lang.t("hoogstens", "at most")),
        (None, None) => lang.t("nog niet bekend", "not known yet").to_string(),
    };
    html! {
        section.bl-section {
            h2 { (lang.t("Je profiel", "Your profile")) }
            dl.bl-data-list {
                dt { (lang.t("Naam", "Name")) } dd { (r.name) }
                dt { (lang.t("Postcode", "Postcode")) } dd { (r.postcode.as_deref().unwrap_or("—")) }
                dt { (lang.t("Wijk", "Neighbourhood")) } dd { (r.wijk.name) }
                dt { (lang.t("Wat je kunt", "What you can do")) } dd { (list(&skills)) }
                dt { (lang.t("Werk dat je deed", "Work you did")) } dd { (list(&occupations(&r.experience))) }
                dt { (lang.t("Werk dat je zoekt", "Work you look for")) } dd { (list(&occupations(&r.occupations_wanted))) }
                dt { (lang.t("Sectoren", "Sectors")) } dd { (list(&sectors)) }
                dt { (lang.t("Uren per week", "Hours a week")) } dd { (hours) }
                dt { (lang.t("Beschikbaar vanaf", "Available from")) } dd { (r.available_from.as_deref().map_or("—".to_string(), |d| long_date(lang, d))) }
                dt { (lang.t("Reizen", "Travel")) } dd {
                    (travel_mode(lang, &r.travel_mode))
                    @if let Some(m) = r.max_travel_minutes { ", " (lang.t("hoogstens ", "at most ")) (m) " min" }
                    @if let Some(km) = r.max_travel_km { ", " (lang.t("hoogstens ", "at most ")) (decimal(lang, km, 1)) " km" }
                }
                dt { (lang.t("Opleiding", "Education")) } dd { (Education::parse(&r.education).map_or_else(|| r.education.clone(), |e| e.label().to_string())) }
                dt { (lang.t("Nederlands", "Dutch")) } dd { (r.dutch_level) }
                dt { (lang.t("Andere talen", "Other languages")) } dd { (list(&r.languages)) }
                dt { (lang.t("Rijbewijs", "Driving licence")) } dd { (yes_no(lang, r.driving_licence)) }
                dt { (lang.t("Waar we rekening mee houden", "What we take into account")) } dd { (list(&r.limits)) }
            }
        }
    }
}
