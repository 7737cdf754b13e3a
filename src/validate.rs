//! Field-by-field checks of an offer body. Every problem is collected, so
//! the person filling in a form sees all of them at once.

use std::str::FromStr;

use time::Date;

use crate::codes::Code;
use crate::error::{AppError, FieldError};
use crate::geo::{Geo, Point};

/// How far a given point may lie from the centre of the wijk it names.
const MAX_KM_FROM_WIJK: f64 = 10.0;
const MAX_SKILLS: usize = 25;
const EARLIEST_DATE: Date = time::macros::date!(2000 - 01 - 01);
const MAX_YEARS_AHEAD: i32 = 5;
const MAX_LINK_CHARS: usize = 500;
const MAX_EMAIL_CHARS: usize = 254;
const CONTROL_MESSAGE: &str =
    "Hier horen geen onzichtbare tekens (zoals tab of NUL) in. / Control characters are not allowed here.";

fn has_control(text: &str, allowed: &[char]) -> bool {
    text.chars().any(|c| c.is_control() && !allowed.contains(&c))
}

/// Resolves a skill's id, label or alias to its id; the vocabulary (loaded
/// reference data, a layer up) provides it.
pub trait SkillResolver {
    fn skill_id(&self, name: &str) -> Option<String>;
}

pub struct Location {
    pub wijk_code: String,
    pub point: Point,
}

/// Ways to reach someone: a web page, an e-mail address, a phone number.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reach {
    pub url: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl Reach {
    pub fn is_empty(&self) -> bool {
        self.url.is_none() && self.email.is_none() && self.phone.is_none()
    }
}

/// A phone number as a `tel:` link wants it: digits, and a leading `+`.
pub fn dialable(phone: &str) -> String {
    phone
        .char_indices()
        .filter(|&(i, c)| c.is_ascii_digit() || (c == '+' && i == 0))
        .map(|(_, c)| c)
        .collect()
}

#[derive(Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.errors))
        }
    }

    /// Trimmed text on one line of `min..=max` characters: a title or a
    /// name holds no line breaks, tabs, NUL or other control characters.
    pub fn text(&mut self, field: &str, value: &str, min: usize, max: usize) -> String {
        self.checked_text(field, value, (min, max), &[])
    }

    /// Trimmed text of `min..=max` characters that may run over several
    /// lines (line breaks and tabs stay); other control characters are
    /// refused.
    pub fn multiline(&mut self, field: &str, value: &str, min: usize, max: usize) -> String {
        self.checked_text(field, value, (min, max), &['\n', '\r', '\t'])
    }

    fn checked_text(
        &mut self,
        field: &str,
        value: &str,
        (min, max): (usize, usize),
        allowed: &[char],
    ) -> String {
        let trimmed = value.trim();
        let len = trimmed.chars().count();
        if len < min || len > max {
            self.fail(
                field,
                format!("Moet {min} tot {max} tekens lang zijn. / Must be {min} to {max} characters."),
            );
        } else if has_control(trimmed, allowed) {
            self.fail(field, CONTROL_MESSAGE);
        }
        trimmed.to_string()
    }

    /// Refuses control characters in a short free text, such as a typed
    /// skill.
    pub fn no_control(&mut self, field: &str, value: &str) -> bool {
        let clean = !has_control(value, &[]);
        if !clean {
            self.fail(field, CONTROL_MESSAGE);
        }
        clean
    }

    /// An optional `http(s)` link to a page; blank means none.
    pub fn web_link(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        let parsed = url::Url::parse(value).ok().filter(|u| {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| h.contains('.'))
        });
        match parsed {
            Some(link) if value.len() <= MAX_LINK_CHARS => Some(link.to_string()),
            _ => {
                self.fail(
                    field,
                    "Dit is geen goed webadres. Het begint met https:// en is niet langer dan 500 tekens. / This is not a valid web address.",
                );
                None
            }
        }
    }

    /// An optional e-mail address; blank means none.
    pub fn email(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        let valid = value.len() <= MAX_EMAIL_CHARS
            && email_address::EmailAddress::from_str(value).is_ok_and(|a| a.domain().contains('.'));
        if valid {
            Some(value.to_string())
        } else {
            self.fail(
                field,
                "Dit is geen goed e-mailadres. Bijvoorbeeld: naam@bedrijf.nl. / This is not a valid e-mail address.",
            );
            None
        }
    }

    /// An optional phone number as people write it ("070 123 4567",
    /// "+31 6 1234 5678"); blank means none.
    pub fn phone(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        let digits = value.chars().filter(char::is_ascii_digit).count();
        let allowed = value
            .char_indices()
            .all(|(i, c)| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')') || (c == '+' && i == 0));
        if allowed && (8..=15).contains(&digits) {
            Some(value.to_string())
        } else {
            self.fail(
                field,
                "Dit is geen goed telefoonnummer. Gebruik alleen cijfers, bijvoorbeeld 070 123 4567. / This is not a valid phone number.",
            );
            None
        }
    }

    /// The three ways to reach someone, each checked; `{prefix}_url`,
    /// `{prefix}_email` and `{prefix}_phone` name the fields.
    pub fn reach(&mut self, prefix: &str, given: &Reach) -> Reach {
        Reach {
            url: self.web_link(&format!("{prefix}_url"), given.url.as_deref()),
            email: self.email(&format!("{prefix}_email"), given.email.as_deref()),
            phone: self.phone(&format!("{prefix}_phone"), given.phone.as_deref()),
        }
    }

    pub fn code<C: Code>(&mut self, field: &str, value: &str) -> Option<C> {
        let parsed = C::parse(value);
        if parsed.is_none() && value.trim().is_empty() {
            self.fail(field, "Maak hier een keuze. / Choose a value.");
        } else if parsed.is_none() {
            self.fail(
                field,
                format!(
                    "Onbekende waarde '{value}'; kies uit: {}. / Unknown value.",
                    C::list()
                ),
            );
        }
        parsed
    }

    pub fn hours(&mut self, min: i64, max: i64, ceiling: i64) {
        if !(0..=ceiling).contains(&min) || !(1..=ceiling).contains(&max) {
            self.fail(
                "hours_min",
                format!("Vul een aantal uren per week tussen 0 en {ceiling} in. / Give hours a week from 0 to {ceiling}."),
            );
        } else if min > max {
            self.fail(
                "hours_min",
                "Het minimum aantal uren is hoger dan het maximum. / The minimum hours exceed the maximum.",
            );
        }
    }

    /// A `YYYY-MM-DD` date from 2000 up to five years after `today`: a
    /// start or closing date outside that is a typing error.
    pub fn date(&mut self, field: &str, value: Option<&str>, today: Date) -> Option<String> {
        let value = value?.trim();
        let latest = today
            .replace_year(today.year() + MAX_YEARS_AHEAD)
            .unwrap_or(today);
        match Date::parse(value, time::macros::format_description!("[year]-[month]-[day]")) {
            Ok(date) if (EARLIEST_DATE..=latest).contains(&date) => Some(date.to_string()),
            Ok(_) => {
                self.fail(
                    field,
                    format!(
                        "Kies een datum tussen {EARLIEST_DATE} en {latest}. / Choose a date between {EARLIEST_DATE} and {latest}."
                    ),
                );
                None
            }
            Err(_) => {
                self.fail(
                    field,
                    "Gebruik een datum als 2027-01-31. / Use a date like 2027-01-31.",
                );
                None
            }
        }
    }

    /// Skill names (id, label or alias) resolved to vocabulary ids.
    pub fn skills(
        &mut self,
        field: &str,
        names: &[impl AsRef<str>],
        vocabulary: &dyn SkillResolver,
    ) -> Vec<String> {
        if names.len() > MAX_SKILLS {
            self.fail(
                field,
                format!("Hoogstens {MAX_SKILLS} vaardigheden. / At most {MAX_SKILLS} skills."),
            );
            return Vec::new();
        }
        let mut ids: Vec<String> = Vec::new();
        for name in names.iter().map(AsRef::as_ref) {
            match vocabulary.skill_id(name) {
                Some(id) if !ids.contains(&id) => ids.push(id),
                Some(_) => {}
                None => self.fail(
                    field,
                    format!("Onbekende vaardigheid '{name}'; zoek via /api/v1/skills. / Unknown skill."),
                ),
            }
        }
        ids
    }

    /// A wijk (code or name), optionally with an exact point inside it.
    pub fn location(
        &mut self,
        geo: &Geo,
        wijk: &str,
        lat: Option<f64>,
        lon: Option<f64>,
    ) -> Option<Location> {
        let Some(found) = geo.find_wijk(wijk) else {
            self.fail("wijk", format!("Onbekende wijk '{wijk}'. / Unknown wijk."));
            return None;
        };
        let inner = Point {
            lat: found.inner_lat,
            lon: found.inner_lon,
        };
        let point = match (lat, lon) {
            (None, None) => inner,
            (Some(lat), Some(lon)) => match Point::new(lat, lon) {
                Some(p) if p.distance_km(found.centroid()) <= MAX_KM_FROM_WIJK => p,
                _ => {
                    self.fail(
                        "lat",
                        "Deze plek ligt niet in of bij de wijk. / The point is not near the wijk.",
                    );
                    return None;
                }
            },
            _ => {
                self.fail("lat", "Geef lat en lon samen. / Give lat and lon together.");
                return None;
            }
        };
        Some(Location {
            wijk_code: found.code.clone(),
            point,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = time::macros::date!(2026 - 12 - 01);

    #[test]
    fn collects_every_problem() {
        let mut check = Checker::default();
        check.text("title", " ", 3, 10);
        check.hours(30, 20, 40);
        check.date("closes_on", Some("31-01-2027"), TODAY);
        assert!(
            check
                .code::<super::super::codes::Sector>("sector", "ruimtevaart")
                .is_none()
        );
        let Err(AppError::Validation(errors)) = check.finish() else {
            panic!("expected validation errors");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "hours_min", "closes_on", "sector"]);
    }

    #[test]
    fn ways_to_reach_are_checked_and_tidied() {
        let mut check = Checker::default();
        let given = Reach {
            url: Some(" https://werk.example.nl/vacature/1 ".into()),
            email: Some("jobs@werk.example.nl".into()),
            phone: Some("+31 (0)70 123 4567".into()),
        };
        let checked = check.reach("apply", &given);
        assert_eq!(checked.url.as_deref(), Some("https://werk.example.nl/vacature/1"));
        assert_eq!(checked.email.as_deref(), Some("jobs@werk.example.nl"));
        assert_eq!(
            dialable(checked.phone.as_deref().unwrap_or_default()),
            "+310701234567"
        );
        assert!(check.finish().is_ok());

        let mut check = Checker::default();
        let bad = Reach {
            url: Some("javascript:alert(1)".into()),
            email: Some("geen-apenstaartje".into()),
            phone: Some("bel me".into()),
        };
        assert!(check.reach("apply", &bad).is_empty());
        let Err(AppError::Validation(errors)) = check.finish() else {
            panic!("expected validation errors");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["apply_url", "apply_email", "apply_phone"]);

        let mut check = Checker::default();
        assert!(check.reach("apply", &Reach::default()).is_empty());
        assert!(check.finish().is_ok(), "blank means none");
    }

    #[test]
    fn accepts_good_values() {
        let mut check = Checker::default();
        assert_eq!(check.text("title", "  Kok  ", 3, 10), "Kok");
        check.hours(0, 40, 40);
        assert_eq!(
            check.date("d", Some("2027-01-31"), TODAY).as_deref(),
            Some("2027-01-31")
        );
        assert_eq!(
            check.multiline("d", "Eerste regel.\n\tTweede.", 3, 50),
            "Eerste regel.\n\tTweede."
        );
        assert!(check.finish().is_ok());
    }

    #[test]
    fn refuses_control_characters_and_dates_out_of_range() {
        let mut check = Checker::default();
        check.text("title", "Kok\u{0}", 3, 10);
        check.text("name", "Kok\nKok", 3, 10);
        check.multiline("description", "Eerste regel\u{7}", 3, 50);
        check.date("starts_on", Some("0000-01-01"), TODAY);
        check.date("starts_on", Some("1999-12-31"), TODAY);
        check.date("starts_on", Some("2031-12-02"), TODAY);
        assert_eq!(
            check.date("ok", Some("2031-12-01"), TODAY).as_deref(),
            Some("2031-12-01")
        );
        assert_eq!(
            check.date("ok", Some("2000-01-01"), TODAY).as_deref(),
            Some("2000-01-01")
        );
        let Err(AppError::Validation(errors)) = check.finish() else {
            panic!("expected validation errors");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "title",
                "name",
                "description",
                "starts_on",
                "starts_on",
                "starts_on"
            ]
        );
    }
}
