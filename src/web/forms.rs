//! Accessible form pieces: every field has a label, an optional hint, and
//! its error next to it; the errors are also summarised at the top of the
//! form with links to their fields (NL Design System, WCAG 3.3.1).

use maud::{Markup, html};

use super::visitor::Lang;
use crate::error::FieldError;

/// Errors per field name, in the order found.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push((field.to_string(), message.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn of(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    /// The service layer's field errors, on the form's own field names.
    /// A service's field errors, each in the page's language.
    pub fn from_service(lang: Lang, errors: Vec<FieldError>) -> Self {
        Self(
            errors
                .into_iter()
                .map(|e| (e.field, lang.pick(&e.message).to_string()))
                .collect(),
        )
    }
}

/// A form that carries nothing but its CSRF token: a button that does one
/// thing (close, reopen, log out, "ik heb gesolliciteerd").
#[derive(Debug, serde::Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    pub csrf: String,
}

/// A text-like input's fixed description.
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    /// The input type: text, password, number, search…
    pub kind: &'static str,
    pub autocomplete: &'static str,
}

pub fn field_id(name: &str) -> String {
    format!("veld-{name}")
}

fn described_by(name: &str, hint: bool, error: bool) -> Option<String> {
    let ids: Vec<String> = [(hint, "hint"), (error, "fout")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, part)| format!("{}-{part}", field_id(name)))
        .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// Label, hint and error around any control.
pub fn field_frame(
    name: &str,
    label: &str,
    hint: Option<&str>,
    errors: &FieldErrors,
    control: Markup,
) -> Markup {
    let error = errors.of(name);
    html! {
        div.bl-form-field.bl-form-field--invalid[error.is_some()] {
            label.bl-label for=(field_id(name)) { (label) }
            @if let Some(hint) = hint {
                p.bl-description id={ (field_id(name)) "-hint" } { (hint) }
            }
            @if let Some(error) = error {
                p.bl-field-error id={ (field_id(name)) "-fout" } { "⚠ " (error) }
            }
            (control)
        }
    }
}

pub fn text_field(field: &Field, value: &str, errors: &FieldErrors) -> Markup {
    let error = errors.of(field.name).is_some();
    let control = html! {
        input.bl-textbox type=(field.kind) id=(field_id(field.name)) name=(field.name) value=(value)
            autocomplete=(field.autocomplete)
            aria-invalid=[error.then_some("true")]
            aria-describedby=[described_by(field.name, field.hint.is_some(), error)];
    };
    field_frame(field.name, field.label, field.hint, errors, control)
}

pub fn textarea(name: &str, label: &str, hint: Option<&str>, value: &str, errors: &FieldErrors) -> Markup {
    let error = errors.of(name).is_some();
    let control = html! {
        textarea.bl-textarea id=(field_id(name)) name=(name) rows="5"
            aria-invalid=[error.then_some("true")]
            aria-describedby=[described_by(name, hint.is_some(), error)] { (value) }
    };
    field_frame(name, label, hint, errors, control)
}

/// A code list's `(code, label)` pairs, for a select.
pub fn code_options<C: crate::codes::Code>() -> Vec<(String, String)> {
    C::ALL
        .iter()
        .map(|c| (c.code().to_string(), c.label().to_string()))
        .collect()
}

/// A select with an empty first choice (`any`) and `(code, label)` options.
pub fn select_field(
    name: &str,
    label: &str,
    any: &str,
    options: &[(String, String)],
    selected: &str,
    errors: &FieldErrors,
) -> Markup {
    let error = errors.of(name).is_some();
    let control = html! {
        select.bl-select id=(field_id(name)) name=(name)
            aria-invalid=[error.then_some("true")]
            aria-describedby=[described_by(name, false, error)] {
            option value="" { (any) }
            @for (code, text) in options {
                option value=(code) selected[code == selected] { (text) }
            }
        }
    };
    field_frame(name, label, None, errors, control)
}

pub fn checkbox(name: &str, label: &str, checked: bool) -> Markup {
    html! {
        div.bl-checkbox-field {
            input type="checkbox" id=(field_id(name)) name=(name) value="true" checked[checked];
            label for=(field_id(name)) { (label) }
        }
    }
}

/// The summary at the top of a form; empty when there are no errors. It
/// takes the focus when the page opens, so that a screen reader reads the
/// problems first and the keyboard starts there.
pub fn error_summary(lang: Lang, errors: &FieldErrors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.bl-alert.bl-alert--error role="alert" tabindex="-1" id="foutmeldingen" autofocus {
                h2 { (lang.t("Controleer het formulier", "Please check the form")) }
                ul {
                    @for (field, message) in &errors.0 {
                        li { a href={ "#" (field_id(field)) } { (message) } }
                    }
                }
            }
        }
    }
}
