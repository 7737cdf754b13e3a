//! `/`: a search box, a wijk or postcode, and what Banenlift is.

use axum::extract::{Query, State};
use maud::{Markup, html};
use serde::Deserialize;

use crate::web::AppState;
use crate::web::forms::field_id;
use crate::web::layout::{Frame, page};
use crate::web::pages::offers::wijk_options;
use crate::web::visitor::Visitor;

/// `?verwijderd=ja` right after a profile and its account were erased.
#[derive(Debug, Default, Deserialize)]
pub struct HomeNotice {
    #[serde(default)]
    verwijderd: String,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(notice): Query<HomeNotice>,
) -> Markup {
    let lang = visitor.lang;
    let title = lang.t("Werk en opleiding dichtbij", "Work and training nearby");
    let body = html! {
        @if notice.verwijderd == "ja" {
            div.bl-alert.bl-alert--ok role="status" { p { (lang.t(
                "Je profiel en je account zijn verwijderd, met alles wat we over je bewaarden.",
                "Your profile and account were deleted, with everything we kept about you.")) } }
        }
        section.bl-hero {
            h1 { (title) }
            p.bl-lead { (lang.t(
                "Zoek vacatures en opleidingen in Den Haag, bij u in de buurt.",
                "Find jobs and training in The Hague, close to where you live.")) }
            form.bl-form method="get" action="/vacatures" role="search" {
                div.bl-search-bar {
                    label.bl-label for=(field_id("q")) { (lang.t("Wat voor werk zoekt u?", "What work are you looking for?")) }
                    input.bl-textbox type="search" id=(field_id("q")) name="q" autocomplete="off"
                        placeholder=(lang.t("bijvoorbeeld: magazijn, zorg, kassa", "for example: warehouse, care, cashier"));
                    button.bl-button.bl-button--primary type="submit" { (lang.t("Zoeken", "Search")) }
                }
                div.bl-form-row {
                    div.bl-form-field {
                        label.bl-label for=(field_id("wijk")) { (lang.t("Uw wijk", "Your neighbourhood")) }
                        select.bl-select id=(field_id("wijk")) name="wijk" {
                            option value="" { (lang.t("Heel Den Haag", "All of The Hague")) }
                            @for (code, name) in wijk_options(&state) {
                                option value=(code) { (name) }
                            }
                        }
                    }
                    div.bl-form-field {
                        label.bl-label for=(field_id("radius_km")) { (lang.t("Hoe ver wilt u reizen?", "How far will you travel?")) }
                        select.bl-select id=(field_id("radius_km")) name="radius_km" {
                            option value="" { (lang.t("Maakt niet uit", "Any distance")) }
                            @for km in [2, 5, 10] {
                                option value=(km) { (km) " km" }
                            }
                        }
                    }
                }
            }
        }
        section.bl-section {
            h2 { (lang.t("Zo werkt het", "How it works")) }
            ol {
                li { (lang.t("Zoek op werk of een opleiding. Een tikfout is niet erg.", "Search for work or training. Typos are fine.")) }
                li { (lang.t("Kies uw wijk: dan ziet u wat dichtbij is.", "Choose your neighbourhood to see what is close by.")) }
                li { (lang.t("Met een account ziet u welke banen bij uw vaardigheden passen, en waarom.", "With an account you see which jobs fit your skills, and why.")) }
            }
            p { a href="/opleidingen" { (lang.t("Bekijk ook de opleidingen", "See the training offers too")) } }
        }
    };
    page(&Frame::of(&visitor, "/", title), body)
}
