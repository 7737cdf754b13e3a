//! Editing every field of a profile on the web: the jobseeker's own
//! (`/profiel/bewerken`) and a coach's client (`/coach/klanten/{id}/bewerken`).
//! Skills, occupations and consent keep their own sections.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use crate::codes::{Code, DutchLevel, Education, Sector};
use crate::error::{AppError, FieldError};
use crate::residents::profile::{LIMITS, ResidentInput, ResidentView};
use crate::web::AppState;
use crate::web::forms::{
    Field, FieldErrors, checkbox, code_options, error_summary, field_id, select_field, text_field,
};
use crate::web::layout::{Frame, page};
use crate::web::page_error::PageError;
use crate::web::pages::offers::wijk_options;
use crate::web::visitor::{Lang, SignedIn, Visitor};

/// The form as typed: text throughout, so a mistake comes back next to its
/// field with everything else kept. Lists come as repeated fields.
#[derive(Debug, Default, Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    wijk: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    hours_min: String,
    #[serde(default)]
    hours_max: String,
    #[serde(default)]
    available_from: String,
    #[serde(default)]
    travel_mode: String,
    #[serde(default)]
    max_travel_minutes: String,
    #[serde(default)]
    max_travel_km: String,
    #[serde(default)]
    education: String,
    #[serde(default)]
    dutch_level: String,
    #[serde(default)]
    languages: String,
    #[serde(default)]
    driving_licence: Option<String>,
    #[serde(default)]
    limits: Vec<String>,
    #[serde(default)]
    sectors_wanted: Vec<String>,
}

fn text_of<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

impl ProfileForm {
    pub fn from_view(v: &ResidentView) -> Self {
        ProfileForm {
            csrf: String::new(),
            name: v.name.clone(),
            wijk: if v.postcode.is_none() {
                v.wijk.code.clone()
            } else {
                String::new()
            },
            postcode: v.postcode.clone().unwrap_or_default(),
            hours_min: text_of(v.hours_min),
            hours_max: text_of(v.hours_max),
            available_from: v.available_from.clone().unwrap_or_default(),
            travel_mode: v.travel_mode.clone(),
            max_travel_minutes: text_of(v.max_travel_minutes),
            max_travel_km: text_of(v.max_travel_km),
            education: v.education.clone(),
            dutch_level: v.dutch_level.clone(),
            languages: v.languages.join(", "),
            driving_licence: v.driving_licence.then(|| "true".into()),
            limits: v.limits.clone(),
            sectors_wanted: v.sectors_wanted.clone(),
        }
    }

    /// `base` with this form's fields changed, or the fields that are not
    /// even numbers (the service checks the rest).
    fn to_input(&self, lang: Lang, base: ResidentInput) -> Result<ResidentInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut number = |field: &str, text: &str| -> Option<f64> {
            let text = text.trim().replace(',', ".");
            if text.is_empty() {
                return None;
            }
            text.parse::<f64>().ok().filter(|n| n.is_finite()).or_else(|| {
                errors.push(FieldError {
                    field: field.into(),
                    message: lang
                        .t(
                            "Vul een getal in, of laat het leeg.",
                            "Enter a number, or leave it empty.",
                        )
                        .into(),
                });
                None
            })
        };
        let whole = |n: Option<f64>| n.map(|n| n.round() as i64);
        let hours_min = whole(number("hours_min", &self.hours_min));
        let hours_max = whole(number("hours_max", &self.hours_max));
        let max_travel_minutes = whole(number("max_travel_minutes", &self.max_travel_minutes));
        let max_travel_km = number("max_travel_km", &self.max_travel_km);
        if !errors.is_empty() {
            return Err(errors);
        }
        let present = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
        Ok(ResidentInput {
            name: self.name.trim().to_string(),
            postcode: present(&self.postcode),
            wijk: present(&self.wijk).filter(|_| self.postcode.trim().is_empty()),
            hours_min,
            hours_max,
            available_from: present(&self.available_from),
            travel_mode: self.travel_mode.clone(),
            max_travel_minutes,
            max_travel_km,
            education: self.education.clone(),
            dutch_level: self.dutch_level.clone(),
            languages: self
                .languages
                .split([',', ' '])
                .map(|l| l.trim().to_lowercase())
                .filter(|l| !l.is_empty())
                .collect(),
            driving_licence: self.driving_licence.is_some(),
            limits: self.limits.clone(),
            sectors_wanted: self.sectors_wanted.clone(),
            ..base
        })
    }
}

fn choices(lang: Lang, list: &[(&str, &'static str, &'static str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(code, nl, en)| (code.to_string(), lang.t(nl, en).to_string()))
        .collect()
}

/// The travel modes, for a select.
pub fn travel_modes(lang: Lang) -> Vec<(String, String)> {
    choices(
        lang,
        &[
            ("lopen", "Lopen", "Walking"),
            ("fiets", "Fiets", "Bike"),
            ("ov", "Bus, tram of trein", "Public transport"),
            ("auto", "Auto", "Car"),
        ],
    )
}

/// How long a journey may take, for a select.
pub fn travel_minutes(lang: Lang) -> Vec<(String, String)> {
    choices(
        lang,
        &[
            ("15", "15 minuten", "15 minutes"),
            ("30", "30 minuten", "30 minutes"),
            ("45", "45 minuten", "45 minutes"),
            ("60", "1 uur", "1 hour"),
            ("90", "1,5 uur", "1.5 hours"),
        ],
    )
}

/// Where the form lives and where it returns to.
pub struct EditPlace {
    pub action: String,
    pub back: String,
    /// For a new profile: the path its page goes under (`…/{id}`).
    pub new_under: Option<&'static str>,
}

fn limit_label(lang: Lang, code: &str) -> &'static str {
    match code {
        "alleen_overdag" => lang.t("Ik werk alleen overdag", "I only work during the day"),
        "alleen_parttime" => lang.t("Ik werk alleen parttime", "I only work part-time"),
        "geen_weekend" => lang.t("Ik werk niet in het weekend", "I do not work at weekends"),
        "geen_tillen" => lang.t("Ik kan niet zwaar tillen", "I cannot lift heavy things"),
        "mantelzorg" => lang.t("Ik zorg voor iemand (mantelzorg)", "I care for someone"),
        _ => "",
    }
}

pub fn render_edit(
    state: &AppState,
    visitor: &Visitor,
    place: &EditPlace,
    form: &ProfileForm,
    errors: &FieldErrors,
) -> Response {
    let lang = visitor.lang;
    let (modes, minutes) = (travel_modes(lang), travel_minutes(lang));
    let text = |name: &'static str,
                label: &'static str,
                hint: Option<&'static str>,
                kind: &'static str,
                value: &str| {
        text_field(
            &Field {
                name,
                label,
                hint,
                kind,
                autocomplete: "off",
            },
            value,
            errors,
        )
    };
    let title = if place.new_under.is_some() {
        lang.t("Nieuwe klant", "New client")
    } else {
        lang.t("Gegevens wijzigen", "Change details")
    };
    let body = html! {
        p { a href=(place.back) { "← " (lang.t("Terug", "Back")) } }
        h1 { (title) }
        (error_summary(lang, errors))
        form.bl-form method="post" action=(place.action) novalidate {
            input type="hidden" name="csrf" value=(visitor.csrf());
            (text("name", lang.t("Voornaam", "First name"), None, "text", &form.name))
            fieldset.bl-fieldset {
                legend.bl-legend { (lang.t("Waar je woont", "Where you live")) }
                (select_field("wijk", lang.t("Wijk", "Neighbourhood"), lang.t("Kies de wijk", "Choose"), &wijk_options(state), &form.wijk, errors))
                (text("postcode", lang.t("Of postcode (4 cijfers)", "Or postcode (4 digits)"), None, "text", &form.postcode))
            }
            fieldset.bl-fieldset id=(field_id("uren")) {
                legend.bl-legend { (lang.t("Hoeveel uur per week wil je werken?", "How many hours a week do you want to work?")) }
                div.bl-form-row {
                    (text("hours_min", lang.t("Minstens", "At least"), None, "number", &form.hours_min))
                    (text("hours_max", lang.t("Hoogstens", "At most"), None, "number", &form.hours_max))
                }
            }
            (text("available_from", lang.t("Beschikbaar vanaf", "Available from"), Some(lang.t("Leeg: meteen.", "Empty: right away.")), "date", &form.available_from))
            fieldset.bl-fieldset {
                legend.bl-legend { (lang.t("Reizen", "Travel")) }
                (select_field("travel_mode", lang.t("Hoe reis je naar je werk?", "How do you travel to work?"), lang.t("Kies", "Choose"), &modes, &form.travel_mode, errors))
                (select_field("max_travel_minutes", lang.t("Hoe lang mag de reis duren?", "How long may the journey take?"), lang.t("Maakt niet uit", "Any"), &minutes, &form.max_travel_minutes, errors))
                (text("max_travel_km", lang.t("Of hoogstens zoveel kilometer", "Or at most this many kilometres"), None, "text", &form.max_travel_km))
                (checkbox("driving_licence", lang.t("Ik heb een rijbewijs B", "I have a driving licence"), form.driving_licence.is_some()))
            }
            (select_field("education", lang.t("Hoogste diploma", "Highest diploma"), lang.t("Kies", "Choose"), &code_options::<Education>(), &form.education, errors))
            (select_field("dutch_level", lang.t("Hoe goed spreek je Nederlands?", "How well do you speak Dutch?"), lang.t("Kies", "Choose"), &code_options::<DutchLevel>(), &form.dutch_level, errors))
            (text("languages", lang.t("Andere talen die je spreekt", "Other languages you speak"), Some(lang.t("Taalcodes, bijvoorbeeld: ar, tr, en.", "Language codes, for example: ar, tr, en.")), "text", &form.languages))
            fieldset.bl-fieldset id=(field_id("limits")) {
                legend.bl-legend { (lang.t("Waar moet de werkgever rekening mee houden?", "What should an employer take into account?")) }
                @for code in LIMITS {
                    (list_checkbox("limits", code, limit_label(lang, code), form.limits.iter().any(|l| l == code)))
                }
            }
            fieldset.bl-fieldset id=(field_id("sectors_wanted")) {
                legend.bl-legend { (lang.t("In welke sectoren wil je werken?", "Which sectors do you want to work in?")) }
                @for sector in Sector::ALL {
                    (list_checkbox("sectors_wanted", sector.code(), sector.label(), form.sectors_wanted.iter().any(|s| s == sector.code())))
                }
            }
            button.bl-button.bl-button--primary type="submit" { (lang.t("Opslaan", "Save")) }
        }
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, page(&Frame::of(visitor, &place.action, title), body)).into_response()
}

/// One checkbox of a list sent as repeated `name` fields.
fn list_checkbox(name: &str, value: &str, label: &str, checked: bool) -> maud::Markup {
    let id = format!("{}-{value}", field_id(name));
    html! {
        div.bl-checkbox-field {
            input type="checkbox" id=(id) name=(name) value=(value) checked[checked];
            label for=(id) { (label) }
        }
    }
}

/// Saves the form over `current`, or as a new profile without one; then
/// back (a new profile to its own page), or the form again with every
/// mistake at once.
pub async fn save_edit(
    state: &AppState,
    visitor: &Visitor,
    signed_in: &SignedIn,
    current: Option<&ResidentView>,
    place: &EditPlace,
    form: ProfileForm,
) -> Result<Response, PageError> {
    let base = current.map_or_else(ResidentInput::default, ResidentView::to_input);
    let input = match form.to_input(visitor.lang, base) {
        Ok(input) => input,
        Err(errors) => {
            return Ok(render_edit(
                state,
                visitor,
                place,
                &form,
                &FieldErrors::from_service(visitor.lang, errors),
            ));
        }
    };
    let saved = match current {
        Some(current) => crate::residents::update(state, &signed_in.caller, &current.id, input).await,
        None => crate::residents::create(state, &signed_in.caller, input).await,
    };
    match saved {
        Ok(view) => {
            let next = place
                .new_under
                .map_or_else(|| place.back.clone(), |under| format!("{under}/{}", view.id));
            Ok(Redirect::to(&next).into_response())
        }
        Err(AppError::Validation(errors)) => Ok(render_edit(
            state,
            visitor,
            place,
            &form,
            &FieldErrors::from_service(visitor.lang, errors),
        )),
        Err(other) => Err(other.into()),
    }
}
