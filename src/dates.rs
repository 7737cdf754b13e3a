//! Calendar days: today in UTC and day numbers since 1970, the unit the
//! index, the checks and the lift report count in.

use time::{Date, OffsetDateTime};

/// Days since 1970-01-01 of an ISO date.
pub fn day_number(iso: &str) -> Option<i64> {
    let date = Date::parse(iso, time::macros::format_description!("[year]-[month]-[day]")).ok()?;
    Some(date_day_number(date))
}

pub fn date_day_number(date: Date) -> i64 {
    i64::from(date.to_julian_day()) - i64::from(time::macros::date!(1970 - 01 - 01).to_julian_day())
}

pub fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// Unix seconds as an RFC 3339 moment in UTC, as the API writes times.
pub fn rfc3339(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}
