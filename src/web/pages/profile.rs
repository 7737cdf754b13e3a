//! `/profiel`: the jobseeker's own profile, skills, matches, consent, who
//! viewed it, download and erasure.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::Cookie;
use axum_extra::extract::{CookieJar, Form as ListForm};
use maud::{Markup, html};
use serde::Deserialize;

use super::contact::{AnswerForm, AnswerPlace, Answerer, contact_section, show_answer, submit_answer};
use super::profile_form::{EditPlace, ProfileForm, render_edit, save_edit, travel_minutes, travel_modes};
use super::widgets::{
    RenamedParams, SkillAdded, SkillForm, SkillNotice, Voice, add_skill, after_saving, match_list,
    matches_of, remove_skill, skills_editor, summary,
};
use crate::auth::Role;
use crate::codes::{DutchLevel, Education};
use crate::consent::ConsentInput;
use crate::error::AppError;
use crate::residents::profile::{ResidentInput, ResidentView};
use crate::web::AppState;
use crate::web::forms::{
    Field, FieldErrors, checkbox, code_options, error_summary, select_field, text_field,
};
use crate::web::layout::{Frame, page};
use crate::web::page_error::PageError;
use crate::web::pages::offers::wijk_options;
use crate::web::visitor::{SESSION_COOKIE, SignedIn, Visitor};

const BASE: &str = "/profiel";
const EDIT_PATH: &str = "/profiel/bewerken";
const VIEWS_SHOWN: i64 = 20;

/// The signed-in jobseeker's own profile. Every `/profiel` handler goes
/// through here: for a coach, the same list call would return a client.
async fn own_profile(state: &AppState, signed_in: &SignedIn) -> Result<Option<ResidentView>, PageError> {
    if signed_in.caller.role != Role::Jobseeker {
        return Err(AppError::Forbidden(String::new()).into());
    }
    Ok(crate::residents::list(state, &signed_in.caller, 1, 0)
        .await?
        .pop())
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(renamed): Query<RenamedParams>,
) -> Result<Response, PageError> {
    let signed_in = visitor.required()?;
    match own_profile(&state, signed_in).await? {
        Some(view) => {
            let notice = renamed.notice(&view);
            Ok(render(&state, &visitor, signed_in, view, notice.as_ref())
                .await?
                .into_response())
        }
        None => Ok(new_profile_form(
            &state,
            &visitor,
            &NewProfile::default(),
            &FieldErrors::default(),
        )),
    }
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    signed_in: &SignedIn,
    view: ResidentView,
    notice: Option<&SkillNotice>,
) -> Result<Markup, PageError> {
    let lang = visitor.lang;
    let voice = Voice { lang, coach: false };
    let caller = &signed_in.caller;
    let found = matches_of(state, caller, &view.id).await?;
    let views = crate::residents::views(state, caller, &view.id, VIEWS_SHOWN).await?;
    let contacts = crate::contact::list(state, caller, &view.id).await?;
    let csrf = signed_in.csrf.as_str();
    let title = lang.t("Mijn profiel", "My profile");
    let body = html! {
        h1 { (title) }
        p.bl-lead { (lang.t("Hallo ", "Hello ")) (view.name) "!" }
        (contact_section(lang, BASE, &contacts))
        (summary(lang, &view, EDIT_PATH))
        (skills_editor(voice, BASE, csrf, &view, notice))
        (match_list(voice, &found, EDIT_PATH, None))
        section.bl-section id="toestemming" {
            h2 { (lang.t("Mogen werkgevers je vinden?", "May employers find you?")) }
            p { (lang.t(
                "Als je ja zegt, zien werkgevers je voornaam, je wijk en wat je kunt. Geen adres of telefoonnummer. Je kunt dit altijd weer uitzetten.",
                "If you say yes, employers see your first name, neighbourhood and skills. No address or phone number. You can turn this off at any time.")) }
            p { strong { @if view.findable_by_employers { (lang.t("Nu: ja, werkgevers kunnen je vinden.", "Now: yes, employers can find you.")) } @else { (lang.t("Nu: nee, werkgevers zien je niet.", "Now: no, employers cannot see you.")) } } }
            form.bl-form method="post" action="/profiel/toestemming" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="findable" value=(if view.findable_by_employers { "false" } else { "true" });
                button.bl-button.bl-button--secondary type="submit" {
                    @if view.findable_by_employers { (lang.t("Zet uit", "Turn off")) } @else { (lang.t("Ja, werkgevers mogen me vinden", "Yes, employers may find me")) }
                }
            }
        }
        section.bl-section id="bekeken" {
            h2 { (lang.t("Wie bekeek mijn profiel", "Who viewed my profile")) }
            @if views.is_empty() {
                p.bl-empty { (lang.t("Nog niemand anders.", "Nobody else yet.")) }
            } @else {
                ul { @for v in &views { li { time datetime=(v.at) { (v.at.get(..10).unwrap_or(&v.at)) } ": " (v.description) } } }
            }
        }
        section.bl-section id="gegevens" {
            h2 { (lang.t("Mijn gegevens", "My data")) }
            p.bl-button-group {
                a.bl-button.bl-button--secondary href="/profiel/gegevens/overzicht" { (lang.t("Bekijk of print al mijn gegevens", "View or print all my data")) }
                a.bl-button.bl-button--secondary href="/profiel/gegevens" download="banenlift-gegevens.json" { (lang.t("Download mijn gegevens (JSON)", "Download my data (JSON)")) }
            }
            form.bl-form method="post" action="/profiel/verwijderen" {
                input type="hidden" name="csrf" value=(csrf);
                (checkbox("confirm", lang.t("Ja, verwijder mijn profiel en mijn account. Dit kan niet terug.", "Yes, delete my profile and account. This cannot be undone."), false))
                button.bl-button.bl-button--danger type="submit" { (lang.t("Verwijder mijn profiel", "Delete my profile")) }
            }
        }
    };
    Ok(page(&Frame::of(visitor, BASE, title), body))
}

/// The few fields a first profile needs; the rest can follow.
#[derive(Debug, Default, Deserialize)]
pub struct NewProfile {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    wijk: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    education: String,
    #[serde(default)]
    dutch_level: String,
    #[serde(default)]
    travel_mode: String,
    #[serde(default)]
    max_travel_minutes: String,
}

fn new_profile_form(
    state: &AppState,
    visitor: &Visitor,
    form: &NewProfile,
    errors: &FieldErrors,
) -> Response {
    let lang = visitor.lang;
    let csrf = visitor.csrf();
    let (modes, minutes) = (travel_modes(lang), travel_minutes(lang));
    let title = lang.t("Maak je profiel", "Create your profile");
    let body = html! {
        h1 { (title) }
        p.bl-lead { (lang.t("Vertel kort wie je bent. Dan zoeken we banen die bij je passen.", "Tell us briefly who you are, and we find jobs that fit you.")) }
        (error_summary(lang, errors))
        form.bl-form method="post" action="/profiel" novalidate {
            input type="hidden" name="csrf" value=(csrf);
            (text_field(&Field { name: "name", label: lang.t("Je voornaam", "Your first name"), hint: None, kind: "text", autocomplete: "given-name" }, &form.name, errors))
            (select_field("wijk", lang.t("Je wijk", "Your neighbourhood"), lang.t("Kies je wijk", "Choose"), &wijk_options(state), &form.wijk, errors))
            (text_field(&Field { name: "postcode", label: lang.t("Of je postcode (4 cijfers)", "Or your postcode (4 digits)"), hint: None, kind: "text", autocomplete: "postal-code" }, &form.postcode, errors))
            (select_field("education", lang.t("Je hoogste diploma", "Your highest diploma"), lang.t("Kies", "Choose"), &code_options::<Education>(), &form.education, errors))
            (select_field("dutch_level", lang.t("Hoe goed spreek je Nederlands?", "How well do you speak Dutch?"), lang.t("Kies", "Choose"), &code_options::<DutchLevel>(), &form.dutch_level, errors))
            (select_field("travel_mode", lang.t("Hoe reis je naar je werk?", "How do you travel to work?"), lang.t("Kies", "Choose"), &modes, &form.travel_mode, errors))
            (select_field("max_travel_minutes", lang.t("Hoe lang mag de reis duren?", "How long may the journey take?"), lang.t("Kies", "Choose"), &minutes, &form.max_travel_minutes, errors))
            button.bl-button.bl-button--primary type="submit" { (lang.t("Profiel maken", "Create profile")) }
        }
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, page(&Frame::of(visitor, BASE, title), body)).into_response()
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<NewProfile>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    if own_profile(&state, signed_in).await?.is_some() {
        return Err(
            AppError::Conflict("Je hebt al een profiel. / You already have a profile.".into()).into(),
        );
    }
    let present = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    let input = ResidentInput {
        name: form.name.trim().to_string(),
        postcode: present(&form.postcode),
        wijk: present(&form.wijk).filter(|_| form.postcode.trim().is_empty()),
        travel_mode: form.travel_mode.clone(),
        max_travel_minutes: form.max_travel_minutes.parse().ok(),
        education: form.education.clone(),
        dutch_level: form.dutch_level.clone(),
        ..ResidentInput::default()
    };
    match crate::residents::create(&state, &signed_in.caller, input).await {
        Ok(_) => Ok(Redirect::to(BASE).into_response()),
        Err(AppError::Validation(errors)) => Ok(new_profile_form(
            &state,
            &visitor,
            &form,
            &FieldErrors::from_service(visitor.lang, errors),
        )),
        Err(other) => Err(other.into()),
    }
}

pub async fn add(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<SkillForm>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    let view = own_profile(&state, signed_in)
        .await?
        .ok_or_else(PageError::not_found)?;
    match add_skill(&state, &signed_in.caller, &view, &form).await? {
        SkillAdded::Saved { renamed } => Ok(Redirect::to(&after_saving(BASE, renamed)).into_response()),
        SkillAdded::Choose(choice) => {
            let notice = SkillNotice::Choose(choice);
            Ok(render(&state, &visitor, signed_in, view, Some(&notice))
                .await?
                .into_response())
        }
    }
}

pub async fn remove(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<SkillForm>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    let view = own_profile(&state, signed_in)
        .await?
        .ok_or_else(PageError::not_found)?;
    remove_skill(&state, &signed_in.caller, view, &form.skill).await?;
    Ok(Redirect::to("/profiel#vaardigheden").into_response())
}

#[derive(Debug, Deserialize)]
pub struct ConsentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    findable: String,
}

pub async fn consent(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<ConsentForm>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    let view = own_profile(&state, signed_in)
        .await?
        .ok_or_else(PageError::not_found)?;
    let input = ConsentInput {
        findable_by_employers: form.findable == "true",
        confirmed_with_resident: false,
    };
    crate::consent::set(&state, &signed_in.caller, &view.id, input).await?;
    Ok(Redirect::to("/profiel#toestemming").into_response())
}

/// All of one's own data as a JSON file, the same as `/api/v1/me/export`.
pub async fn download(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let signed_in = visitor.with_role(Role::Jobseeker)?;
    let export = crate::export::export(&state, &signed_in.caller).await?;
    let json = serde_json::to_string_pretty(&export).map_err(|e| PageError::Internal(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"banenlift-gegevens.json\"",
            ),
        ],
        json,
    )
        .into_response())
}

fn edit_place() -> EditPlace {
    EditPlace {
        action: EDIT_PATH.to_string(),
        back: BASE.to_string(),
        new_under: None,
    }
}

/// Every field of the own profile, on one form.
pub async fn edit_form(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let signed_in = visitor.required()?;
    let view = own_profile(&state, signed_in)
        .await?
        .ok_or_else(PageError::not_found)?;
    let form = ProfileForm::from_view(&view);
    Ok(render_edit(
        &state,
        &visitor,
        &edit_place(),
        &form,
        &FieldErrors::default(),
    ))
}

pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    ListForm(form): ListForm<ProfileForm>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    let view = own_profile(&state, signed_in)
        .await?
        .ok_or_else(PageError::not_found)?;
    save_edit(&state, &visitor, signed_in, Some(&view), &edit_place(), form).await
}

const ANSWER_PLACE: AnswerPlace<'static> = AnswerPlace {
    base: BASE,
    answerer: Answerer::Resident,
};

/// What accepting an employer's contact request would share, and the
/// choice of how to be reached.
pub async fn contact_request(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(request): Path<String>,
) -> Result<Response, PageError> {
    let signed_in = visitor.required()?;
    own_profile(&state, signed_in).await?;
    show_answer(&state, &visitor, signed_in, &ANSWER_PLACE, &request).await
}

/// The resident accepts, with a contact route, or declines.
pub async fn answer_contact(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(request): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    own_profile(&state, signed_in).await?;
    submit_answer(&state, &visitor, signed_in, &ANSWER_PLACE, &request, form).await
}

#[derive(Debug, Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirm: Option<String>,
}

pub async fn erase(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<EraseForm>,
) -> Result<Response, PageError> {
    let signed_in = visitor.checked(&form.csrf)?;
    let view = own_profile(&state, signed_in)
        .await?
        .ok_or_else(PageError::not_found)?;
    if form.confirm.as_deref() != Some("true") {
        return Err(AppError::invalid(
            "confirm",
            "Zet eerst het vinkje om te bevestigen dat je je profiel wilt verwijderen. / Tick the box to confirm first.",
        )
        .into());
    }
    crate::residents::delete(&state, &signed_in.caller, &view.id).await?;
    // The account went with the profile, and its sessions with it.
    let jar = CookieJar::new().remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/?verwijderd=ja")).into_response())
}
