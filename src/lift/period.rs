//! Report periods: whole days in UTC, both ends included, so `from=2026-01-01&to=2026-03-31`
//! means the first quarter.

use time::{Date, Month};

use crate::dates::date_day_number;

const SECONDS_PER_DAY: i64 = 86_400;
/// Longer periods are refused: they would say little and cost much.
const MAX_DAYS: i64 = 10 * 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

#[derive(Debug, PartialEq, Eq)]
pub enum PeriodError {
    BadDate(&'static str),
    Reversed,
    TooLong,
}

impl Period {
    /// The period from two optional ISO dates; by default the twelve months
    /// up to and including `today`.
    pub fn parse(from: Option<&str>, to: Option<&str>, today: Date) -> Result<Self, PeriodError> {
        let to = match to.map(str::trim).filter(|t| !t.is_empty()) {
            Some(text) => parse_date(text).ok_or(PeriodError::BadDate("to"))?,
            None => today,
        };
        let from = match from.map(str::trim).filter(|t| !t.is_empty()) {
            Some(text) => parse_date(text).ok_or(PeriodError::BadDate("from"))?,
            None => a_year_before(to),
        };
        if from > to {
            return Err(PeriodError::Reversed);
        }
        if date_day_number(to) - date_day_number(from) > MAX_DAYS {
            return Err(PeriodError::TooLong);
        }
        Ok(Self { from, to })
    }

    /// The calendar month holding `day`.
    pub fn month_of(day: Date) -> Self {
        let from = day.replace_day(1).unwrap_or(day);
        let to = from.replace_day(from.month().length(from.year())).unwrap_or(from);
        Self { from, to }
    }

    /// The `count` calendar months up to and including the one holding `day`, oldest first.
    pub fn months_until(day: Date, count: usize) -> Vec<Self> {
        let mut months = Vec::with_capacity(count);
        let mut month = Self::month_of(day);
        for _ in 0..count {
            months.push(month);
            let previous = month.from.previous_day().unwrap_or(month.from);
            month = Self::month_of(previous);
        }
        months.reverse();
        months
    }

    pub fn first_day(&self) -> i64 {
        date_day_number(self.from)
    }

    pub fn last_day(&self) -> i64 {
        date_day_number(self.to)
    }

    /// Unix seconds at the start of the first day.
    pub fn start(&self) -> i64 {
        self.first_day() * SECONDS_PER_DAY
    }

    /// Unix seconds at the end of the last day (exclusive).
    pub fn end(&self) -> i64 {
        (self.last_day() + 1) * SECONDS_PER_DAY
    }

    pub fn contains(&self, unix: i64) -> bool {
        (self.start()..self.end()).contains(&unix)
    }

    /// Short Dutch month label, e.g. "mrt '26".
    pub fn month_label(&self) -> String {
        const NAMES: [&str; 12] = [
            "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
        ];
        let name = NAMES[usize::from(u8::from(self.from.month())) - 1];
        format!("{name} '{:02}", self.from.year() % 100)
    }
}

fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

/// The day after the same date a year earlier: 2026-11-28 gives 2025-11-29.
fn a_year_before(day: Date) -> Date {
    let year = day.year() - 1;
    let earlier = Date::from_calendar_date(year, day.month(), day.day())
        .or_else(|_| Date::from_calendar_date(year, Month::February, 28))
        .unwrap_or(day);
    earlier.next_day().unwrap_or(earlier)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn both_ends_are_whole_days_included() {
        let p = Period::parse(Some("2026-03-01"), Some("2026-03-31"), date!(2026 - 11 - 28)).unwrap();
        let march_first = date!(2026 - 03 - 01).midnight().assume_utc().unix_timestamp();
        let april_first = date!(2026 - 04 - 01).midnight().assume_utc().unix_timestamp();
        assert!(p.contains(march_first));
        assert!(p.contains(april_first - 1));
        assert!(!p.contains(april_first));
        assert!(!p.contains(march_first - 1));
    }

    #[test]
    fn defaults_to_the_last_twelve_months() {
        let p = Period::parse(None, None, date!(2026 - 11 - 28)).unwrap();
        assert_eq!((p.from, p.to), (date!(2025 - 11 - 29), date!(2026 - 11 - 28)));
        let leap = Period::parse(None, Some("2028-02-29"), date!(2026 - 11 - 28)).unwrap();
        assert_eq!(leap.from, date!(2027 - 03 - 01));
    }

    #[test]
    fn refuses_bad_reversed_and_endless_periods() {
        let today = date!(2026 - 11 - 28);
        assert_eq!(
            Period::parse(Some("2026-13-01"), None, today),
            Err(PeriodError::BadDate("from"))
        );
        assert_eq!(
            Period::parse(None, Some("morgen"), today),
            Err(PeriodError::BadDate("to"))
        );
        assert_eq!(
            Period::parse(Some("2026-05-02"), Some("2026-05-01"), today),
            Err(PeriodError::Reversed)
        );
        assert_eq!(
            Period::parse(Some("1990-01-01"), None, today),
            Err(PeriodError::TooLong)
        );
    }

    #[test]
    fn twelve_months_end_with_the_current_one() {
        let months = Period::months_until(date!(2026 - 03 - 15), 12);
        assert_eq!(months.len(), 12);
        assert_eq!(
            (months[0].from, months[0].to),
            (date!(2025 - 04 - 01), date!(2025 - 04 - 30))
        );
        assert_eq!(
            (months[11].from, months[11].to),
            (date!(2026 - 03 - 01), date!(2026 - 03 - 31))
        );
        assert_eq!(months[10].to, date!(2026 - 02 - 28));
        assert_eq!(months[11].month_label(), "mrt '26");
    }
}
