//! A body or query of the wrong shape, told per field in plain words
//! instead of serde's text ("invalid type: string, expected i64").
//! serde's messages have a fixed form (serde::de::Error's defaults); what
//! we cannot place reads as a general "this value is not valid".

use std::error::Error;
use std::fmt::Display;

use crate::error::FieldError;

/// The field and plain message of the deserialisation error somewhere in
/// `error`'s chain, if it holds one with inner error type `E`. An error on
/// the whole value (not one field) is told as field `root`.
pub fn field_error<E: Error + 'static>(error: &(dyn Error + 'static), root: &str) -> Option<FieldError> {
    let found = source_of::<serde_path_to_error::Error<E>>(error)?;
    Some(plain(&found.path().to_string(), found.inner(), root))
}

/// Where malformed JSON breaks off, when serde_json can say.
pub fn malformed_json(error: &(dyn Error + 'static)) -> String {
    // Trailing data after the value comes as serde_json's own error.
    let json = source_of::<serde_path_to_error::Error<serde_json::Error>>(error)
        .map(serde_path_to_error::Error::inner)
        .or_else(|| source_of::<serde_json::Error>(error));
    match json {
        Some(json) => format!(
            "Dit is geen geldige JSON (regel {line}, teken {column}). / Malformed JSON at line {line}, column {column}.",
            line = json.line(),
            column = json.column(),
        ),
        None => "Dit is geen geldige JSON. / Malformed JSON.".to_string(),
    }
}

/// The first error of type `T` in `error`'s chain of sources.
fn source_of<'a, T: Error + 'static>(error: &'a (dyn Error + 'static)) -> Option<&'a T> {
    let mut next = Some(error);
    while let Some(error) = next {
        if let Some(found) = error.downcast_ref::<T>() {
            return Some(found);
        }
        next = error.source();
    }
    None
}

fn plain(path: &str, error: &impl Display, root: &str) -> FieldError {
    let text = error.to_string();
    // serde_path_to_error writes the whole value's path as ".".
    let path = Some(path).filter(|p| !matches!(*p, "" | "."));
    let here = || path.unwrap_or(root).to_string();
    let within = |name: &str| path.map_or_else(|| name.to_string(), |p| format!("{p}.{name}"));
    let (field, message) = if let Some(name) = quoted_after(&text, "missing field ") {
        (
            within(name),
            "Dit veld ontbreekt. / This field is missing.".to_string(),
        )
    } else if text.starts_with("unknown field ") {
        // The path already ends in the unknown key.
        (here(), "Dit veld kennen we niet. / Unknown field.".to_string())
    } else if let Some(name) = quoted_after(&text, "duplicate field ") {
        (
            within(name),
            "Dit veld staat er twee keer in. / This field appears twice.".to_string(),
        )
    } else if text.starts_with("data did not match any variant") {
        // Only the wijk and skill fields take one of two forms.
        (
            here(),
            "Geef een code of naam, of het object zoals GET het geeft. / Give a code or name, or the object as GET returns it."
                .to_string(),
        )
    } else if let Some((_, expected)) = text.rsplit_once(", expected ") {
        let (nl, en) = kind(expected);
        (here(), format!("Hier hoort {nl}. / Expected {en}."))
    } else {
        (
            here(),
            "Deze waarde klopt niet. / This value is not valid.".to_string(),
        )
    };
    FieldError { field, message }
}

/// The name in backticks right after `prefix`, as in "missing field `title`".
fn quoted_after<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.strip_prefix(prefix)?.strip_prefix('`')?.split('`').next()
}

/// What serde expected, in words: a Rust type or serde's own phrase.
fn kind(expected: &str) -> (&'static str, &'static str) {
    let expected = expected.split(" at line ").next().unwrap_or(expected);
    let integer = [
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "integer",
    ];
    if integer.iter().any(|t| expected.contains(t)) {
        ("een heel getal", "a whole number")
    } else if expected.contains("f64") || expected.contains("f32") {
        ("een getal", "a number")
    } else if expected.contains("bool") {
        ("true of false", "true or false")
    } else if expected.contains("string") || expected.contains("char") {
        ("tekst", "text")
    } else if expected.contains("sequence") {
        ("een lijst", "a list")
    } else if expected.contains("struct") || expected.contains("map") {
        ("een object", "an object")
    } else {
        ("een andere waarde", "another value")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "only its shape is under test")]
    struct Body {
        title: String,
        hours: i64,
        #[serde(default)]
        skills: Vec<String>,
    }

    fn error_of(json: &str) -> FieldError {
        let deserializer = &mut serde_json::Deserializer::from_str(json);
        let error = serde_path_to_error::deserialize::<_, Body>(deserializer).unwrap_err();
        field_error::<serde_json::Error>(&error, "body").expect("found")
    }

    #[test]
    fn malformed_json_says_where_it_breaks_off() {
        for json in [r#"{"title": "#, r#"{"title": "x"} trailing"#] {
            let error = serde_json::from_str::<serde_json::Value>(json).unwrap_err();
            let message = malformed_json(&error);
            assert!(message.contains("regel 1, teken"), "{json}: {message}");
        }
    }

    #[test]
    fn each_kind_of_mistake_names_its_field_in_plain_words() {
        let missing = error_of(r#"{"hours": 3}"#);
        assert_eq!(missing.field, "title");
        assert!(
            missing.message.starts_with("Dit veld ontbreekt"),
            "{}",
            missing.message
        );
        let unknown = error_of(r#"{"title": "x", "hours": 3, "colour": 1}"#);
        assert_eq!(unknown.field, "colour");
        assert!(unknown.message.starts_with("Dit veld kennen we niet"));
        let mistyped = error_of(r#"{"title": "x", "hours": "three"}"#);
        assert_eq!(mistyped.field, "hours");
        assert_eq!(
            mistyped.message,
            "Hier hoort een heel getal. / Expected a whole number."
        );
        let in_list = error_of(r#"{"title": "x", "hours": 3, "skills": [1]}"#);
        assert_eq!(in_list.field, "skills[0]");
        assert!(in_list.message.contains("tekst"), "{}", in_list.message);
        let tricky = error_of(r#"{"title": "x, expected a map", "hours": "x, expected a map"}"#);
        assert_eq!(
            tricky.message,
            "Hier hoort een heel getal. / Expected a whole number."
        );
        for error in [missing, unknown, mistyped, in_list, tricky] {
            assert!(!error.message.contains('`'), "no serde text: {}", error.message);
        }
    }
}
