//! The ranking: one horizontal bar per area against a vertical line at the city average.

use maud::{Markup, html};

use super::{
    ChartIds, ChartText, LEGEND_SWATCH, MUTED_TEXT_COLOUR, NO_DATA, PRIORITY_NOTE, TEXT_COLOUR, coord,
    count_noun, empty_chart, fmt_decimals, item_title, known, maybe_link, shown_label, svg_frame,
};

/// One bar in the ranking; the caller has sorted the bars already.
pub struct Bar<'a> {
    pub name: &'a str,
    /// None = suppressed/no data: no bar, the label ("<5") is still printed.
    pub value: Option<f64>,
    pub label: String,
    /// Marked with "★" after the name and a darker bar fill, explained in the legend.
    pub priority: bool,
    pub href: Option<String>,
}

const BAR_CHART_WIDTH: f64 = 660.0;
/// Names are right-aligned here; wide enough for "Van Stolkpark en Scheveningse Bosjes ★".
const BAR_NAME_RIGHT: f64 = 270.0;
const BAR_X: f64 = 278.0;
const BAR_MAX_WIDTH: f64 = 300.0;
const BAR_TOP: f64 = 10.0;
const BAR_ROW_HEIGHT: f64 = 22.0;
const BAR_THICKNESS: f64 = 14.0;
const BAR_FILL: &str = "#6baed6";
const BAR_PRIORITY_FILL: &str = "#08407a";
const PRIORITY_MARK: &str = "★";
const AVERAGE_STROKE: &str = "#1a1a1a";

/// Horizontal bars, one row per entry, with a vertical line at `average` labelled `average_label`
/// (e.g. "Gemiddelde Den Haag: 21%"). Scale from 0 to max(values, average).
pub fn bar_chart(
    id_prefix: &str,
    title: &str,
    bars: &[Bar<'_>],
    average: Option<f64>,
    average_label: &str,
) -> Markup {
    let ids = ChartIds::new(id_prefix);
    if bars.is_empty() {
        return empty_chart(&ids, "lift-bars", (BAR_CHART_WIDTH, 80.0), title);
    }
    let average = known(average);
    let scale_max = bar_scale_max(bars, average);
    let rows_bottom = BAR_TOP + bars.len() as f64 * BAR_ROW_HEIGHT;
    let legend_y = rows_bottom + 30.0;
    let body = html! {
        g class="lift-bar-rows" {
            @for (index, bar) in bars.iter().enumerate() {
                (bar_row(bar, BAR_TOP + index as f64 * BAR_ROW_HEIGHT, scale_max))
            }
        }
        @if let Some(average) = average {
            (average_marker(average, scale_max, average_label, rows_bottom))
        }
        (bar_legend(legend_y))
    };
    let desc = bar_description(bars, average.map(|_| average_label));
    let size = (BAR_CHART_WIDTH, legend_y + LEGEND_SWATCH + BAR_TOP);
    let text = ChartText {
        title,
        desc: &desc,
        linked: bars.iter().any(|b| b.href.is_some()),
    };
    svg_frame(&ids, "lift-bars", size, &text, body)
}

/// The scale runs from 0 to the largest of the values and the average; never zero, to avoid dividing by it.
fn bar_scale_max(bars: &[Bar<'_>], average: Option<f64>) -> f64 {
    let max = bars
        .iter()
        .filter_map(|b| known(b.value))
        .chain(average)
        .fold(0.0, f64::max);
    if max > 0.0 { max } else { 1.0 }
}

/// Negative values are drawn as an empty bar: the scale starts at 0.
fn bar_x(value: f64, scale_max: f64) -> f64 {
    BAR_X + (value / scale_max).clamp(0.0, 1.0) * BAR_MAX_WIDTH
}

fn bar_row(bar: &Bar<'_>, top: f64, scale_max: f64) -> Markup {
    let baseline = coord(top + BAR_ROW_HEIGHT / 2.0 + 4.0);
    let value = known(bar.value);
    let label_x = value.map_or(BAR_X, |v| bar_x(v, scale_max)) + 6.0;
    let name = if bar.priority {
        format!("{} {PRIORITY_MARK}", bar.name)
    } else {
        bar.name.to_string()
    };
    let row = html! {
        g.lift-bar-row.lift-bar-row-priority[bar.priority].lift-bar-row-nodata[value.is_none()] {
            title { (item_title(bar.name, &bar.label, bar.priority)) }
            text class="lift-bar-name" x=(coord(BAR_NAME_RIGHT)) y=(baseline) text-anchor="end"
                font-size="12" fill=(TEXT_COLOUR) { (name) }
            @if let Some(value) = value {
                rect.lift-bar.lift-bar-priority[bar.priority] x=(coord(BAR_X))
                    y=(coord(top + (BAR_ROW_HEIGHT - BAR_THICKNESS) / 2.0))
                    width=(fmt_decimals(bar_x(value, scale_max) - BAR_X, 2)) height=(coord(BAR_THICKNESS))
                    fill=(if bar.priority { BAR_PRIORITY_FILL } else { BAR_FILL }) {}
            }
            text class="lift-bar-value" x=(coord(label_x)) y=(baseline) font-size="12"
                fill=(if value.is_some() { TEXT_COLOUR } else { MUTED_TEXT_COLOUR }) { (shown_label(&bar.label)) }
        }
    };
    maybe_link(bar.href.as_deref(), row)
}

/// Vertical line over all rows, labelled underneath on the side where the label fits.
fn average_marker(average: f64, scale_max: f64, label: &str, rows_bottom: f64) -> Markup {
    let x = bar_x(average, scale_max);
    let anchor = if x > BAR_X + BAR_MAX_WIDTH / 2.0 {
        "end"
    } else {
        "start"
    };
    html! {
        g class="lift-average" {
            line x1=(coord(x)) y1=(coord(BAR_TOP - 4.0)) x2=(coord(x)) y2=(coord(rows_bottom + 4.0))
                stroke=(AVERAGE_STROKE) stroke-width="2" {
                title { (label) }
            }
            text class="lift-average-label" x=(coord(x)) y=(coord(rows_bottom + 18.0)) text-anchor=(anchor)
                font-size="12" fill=(TEXT_COLOUR) { (label) }
        }
    }
}

fn bar_legend(y: f64) -> Markup {
    let entries = [
        (BAR_FILL, "wijk".to_string()),
        (BAR_PRIORITY_FILL, format!("{PRIORITY_MARK} {PRIORITY_NOTE}")),
    ];
    html! {
        g class="lift-legend" {
            @for (index, (fill, text)) in entries.iter().enumerate() {
                @let x = BAR_X + index as f64 * 120.0;
                rect class="lift-legend-swatch" x=(coord(x)) y=(coord(y)) width=(coord(LEGEND_SWATCH))
                    height=(coord(LEGEND_SWATCH)) fill=(fill) {}
                text class="lift-legend-label" x=(coord(x + LEGEND_SWATCH + 6.0)) y=(coord(y + LEGEND_SWATCH - 2.0))
                    font-size="12" fill=(TEXT_COLOUR) { (text) }
            }
        }
    }
}

fn bar_description(bars: &[Bar<'_>], average_label: Option<&str>) -> String {
    let mut parts = vec![format!(
        "Rangschikking van {}.",
        count_noun(bars.len(), "wijk", "wijken")
    )];
    if let Some(label) = average_label.filter(|l| !l.trim().is_empty()) {
        parts.push(format!("Verticale lijn: {label}."));
    }
    let missing = bars.iter().filter(|b| known(b.value).is_none()).count();
    if missing > 0 {
        parts.push(format!(
            "{} zonder balk (<5 of {NO_DATA}).",
            count_noun(missing, "wijk", "wijken")
        ));
    }
    if bars.iter().any(|b| b.priority) {
        parts.push(format!("{PRIORITY_MARK} = {PRIORITY_NOTE}."));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_csp_safe_and_labelled, elements_with_class, has_class, number, parse};
    use super::*;

    fn bar<'a>(name: &'a str, value: Option<f64>, label: &str) -> Bar<'a> {
        Bar {
            name,
            value,
            label: label.to_string(),
            priority: false,
            href: None,
        }
    }

    #[test]
    fn bar_widths_are_proportional_and_average_line_sits_at_its_value() {
        let mut high = bar("Hoog", Some(20.0), "20%");
        high.priority = true;
        high.href = Some("/lift/wijk/WK051829".to_string());
        let bars = [
            high,
            bar("Laag", Some(10.0), "10%"),
            bar("Onderdrukt", None, "<5"),
        ];
        let svg = bar_chart("b", "Ranglijst", &bars, Some(15.0), "Gemiddelde Den Haag: 15%").into_string();
        let doc = parse(&svg);
        assert_csp_safe_and_labelled(&doc);
        let rects = elements_with_class(&doc, "rect", "lift-bar");
        assert_eq!(rects.len(), 2, "no bar for a suppressed value");
        let (wide, narrow) = (number(&rects[0], "width"), number(&rects[1], "width"));
        assert!((wide - 2.0 * narrow).abs() < 0.02, "{wide} vs {narrow}");
        assert!(
            (wide - BAR_MAX_WIDTH).abs() < 0.02,
            "the largest value fills the scale"
        );
        assert_ne!(
            rects[0].attribute("fill"),
            rects[1].attribute("fill"),
            "priority bar has its own fill"
        );

        let average = doc.descendants().find(|n| has_class(n, "lift-average")).unwrap();
        let line = average.children().find(|n| n.has_tag_name("line")).unwrap();
        let expected_x = BAR_X + 15.0 / 20.0 * BAR_MAX_WIDTH;
        assert!((number(&line, "x1") - expected_x).abs() < 0.06);
        assert!(
            average
                .descendants()
                .any(|n| n.text() == Some("Gemiddelde Den Haag: 15%"))
        );

        let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(texts.contains(&"Hoog ★") && texts.contains(&"<5") && texts.contains(&"★ prioriteitswijk"));
        assert_eq!(doc.descendants().filter(|n| n.has_tag_name("a")).count(), 1);
    }

    #[test]
    fn average_above_all_values_sets_the_scale() {
        let bars = [bar("A", Some(10.0), "10")];
        let svg = bar_chart("b", "Ranglijst", &bars, Some(40.0), "Gemiddelde").into_string();
        let doc = parse(&svg);
        let width = number(&elements_with_class(&doc, "rect", "lift-bar")[0], "width");
        assert!((width - BAR_MAX_WIDTH / 4.0).abs() < 0.02);
    }

    #[test]
    fn degenerate_bar_charts_render_without_panicking() {
        let empty = bar_chart("b", "Ranglijst", &[], None, "").into_string();
        assert!(
            parse(&empty)
                .descendants()
                .any(|n| n.text() == Some("geen gegevens"))
        );
        let odd = [
            bar("Nul", Some(0.0), "0"),
            bar("NaN", Some(f64::NAN), ""),
            bar("Oneindig", Some(f64::INFINITY), "?"),
            bar("Negatief", Some(-3.0), "-3"),
        ];
        let svg = bar_chart("b", "Ranglijst", &odd, Some(f64::NAN), "Gemiddelde").into_string();
        let doc = parse(&svg);
        assert!(
            doc.descendants().all(|n| !has_class(&n, "lift-average")),
            "NaN average draws no line"
        );
        assert!(
            elements_with_class(&doc, "rect", "lift-bar")
                .iter()
                .all(|r| number(r, "width") == 0.0)
        );
        let all_none = [bar("A", None, "<5"), bar("B", None, "<5")];
        parse(&bar_chart("b", "Ranglijst", &all_none, None, "").into_string());
    }
}
