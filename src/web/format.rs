//! Dates and numbers as people read them: "18 maart 2027", "3,6 km".

use maud::{Markup, html};
use time::{Date, OffsetDateTime};

use super::visitor::Lang;

const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A `YYYY-MM-DD` date written out ("18 maart 2027"); anything else as it
/// is.
pub fn long_date(lang: Lang, iso: &str) -> String {
    let Ok(date) = Date::parse(iso, time::macros::format_description!("[year]-[month]-[day]")) else {
        return iso.to_string();
    };
    written_date(lang, date)
}

fn written_date(lang: Lang, date: Date) -> String {
    let months = match lang {
        Lang::Nl => &MONTHS_NL,
        Lang::En => &MONTHS_EN,
    };
    let month = months[usize::from(u8::from(date.month())) - 1];
    format!("{} {month} {}", date.day(), date.year())
}

/// The UTC day of a Unix time, written out as `long_date` does.
pub fn unix_date(lang: Lang, seconds: i64) -> String {
    OffsetDateTime::from_unix_timestamp(seconds)
        .map(|t| written_date(lang, t.date()))
        .unwrap_or_default()
}

/// A number with `decimals` decimals, with a decimal comma in Dutch.
pub fn decimal(lang: Lang, value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    match lang {
        Lang::Nl => text.replace('.', ","),
        Lang::En => text,
    }
}

/// An employer's or provider's text with its paragraphs (blank lines) and
/// lists (lines starting with "-", "*" or "•") kept; every character is
/// escaped, so no markup of theirs reaches the page.
pub fn paragraphs(text: &str) -> Markup {
    let blocks = text
        .split("\n\n")
        .flat_map(|b| b.split("\r\n\r\n"))
        .flat_map(runs);
    html! {
        @for (is_list, lines) in blocks {
            @if is_list {
                ul { @for line in &lines { li { (line) } } }
            } @else {
                p {
                    @for (i, line) in lines.iter().enumerate() {
                        @if i > 0 { br; }
                        (line)
                    }
                }
            }
        }
    }
}

/// A block's lines as runs of list items and of plain lines.
fn runs(block: &str) -> Vec<(bool, Vec<&str>)> {
    let mut runs: Vec<(bool, Vec<&str>)> = Vec::new();
    for line in block.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (is_item, text) = list_item(line).map_or((false, line), |item| (true, item));
        match runs.last_mut() {
            Some((kind, lines)) if *kind == is_item => lines.push(text),
            _ => runs.push((is_item, vec![text])),
        }
    }
    runs
}

fn list_item(line: &str) -> Option<&str> {
    ["- ", "* ", "• "]
        .iter()
        .find_map(|bullet| line.strip_prefix(bullet))
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_numbers_read_as_people_write_them() {
        assert_eq!(long_date(Lang::Nl, "2027-03-18"), "18 maart 2027");
        assert_eq!(long_date(Lang::En, "2027-03-18"), "18 March 2027");
        assert_eq!(long_date(Lang::Nl, "binnenkort"), "binnenkort");
        assert_eq!(decimal(Lang::Nl, 3.64, 1), "3,6");
        assert_eq!(decimal(Lang::En, 3.64, 1), "3.6");
    }

    #[test]
    fn texts_keep_paragraphs_and_lists_and_stay_escaped() {
        let html = paragraphs(
            "Wij zoeken jou.\nFijn team.\n\nNodig:\n- Heftruck\n- Rijbewijs B\n\n<script>x</script>",
        )
        .into_string();
        assert_eq!(
            html,
            "<p>Wij zoeken jou.<br>Fijn team.</p><p>Nodig:</p><ul><li>Heftruck</li><li>Rijbewijs B</li></ul><p>&lt;script&gt;x&lt;/script&gt;</p>"
        );
    }
}
