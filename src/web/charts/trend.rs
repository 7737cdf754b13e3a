//! The trend: a small line chart of twelve months, broken where a month has no figure.

use maud::{Markup, html};

use super::{
    ChartIds, ChartText, MUTED_TEXT_COLOUR, NO_DATA, coord, count_noun, empty_chart, known, legend_number,
    svg_frame,
};

/// One month in a trend.
pub struct TrendPoint {
    /// Short axis label, e.g. "jan" or "dec '25".
    pub month: String,
    /// None = suppressed/no data: a gap in the line, with a marker "<5" or "–".
    pub value: Option<f64>,
    /// The value as shown, for the point's `<title>`, e.g. "apr 2026: 12".
    pub label: String,
}

const TREND_WIDTH: f64 = 320.0;
const TREND_HEIGHT: f64 = 140.0;
const TREND_LEFT: f64 = 34.0;
const TREND_RIGHT: f64 = 310.0;
const TREND_TOP: f64 = 10.0;
const TREND_BASELINE: f64 = 112.0;
/// The chart is sized for a year; longer series get every n-th month labelled so labels do not overlap.
const TREND_MAX_MONTH_LABELS: usize = 12;
const TREND_STROKE: &str = "#2a7db8";

/// A small line chart (about 320×140) of up to 12 months, with month labels on the x axis, min/max labels
/// on the y axis (y starts at 0), a dot per known value with a `<title>`, and a dashed horizontal line for
/// `average` when given (the city average), labelled in the desc.
pub fn line_chart(id_prefix: &str, title: &str, points: &[TrendPoint], average: Option<f64>) -> Markup {
    let ids = ChartIds::new(id_prefix);
    if points.is_empty() {
        return empty_chart(&ids, "lift-trend", (TREND_WIDTH, TREND_HEIGHT), title);
    }
    let average = known(average);
    let axes = TrendAxes::new(points, average);
    let body = html! {
        (trend_axes(&axes, points))
        @if let Some(average) = average {
            line class="lift-trend-average" x1=(coord(TREND_LEFT)) x2=(coord(TREND_RIGHT))
                y1=(coord(axes.y(average))) y2=(coord(axes.y(average)))
                stroke=(MUTED_TEXT_COLOUR) stroke-width="1" stroke-dasharray="4 3" {
                title { (average_title(average)) }
            }
        }
        @for run in known_runs(points, &axes) {
            polyline class="lift-trend-line" points=(run) fill="none" stroke=(TREND_STROKE) stroke-width="2"
                stroke-linejoin="round" {}
        }
        @for (index, point) in points.iter().enumerate() {
            (trend_marker(point, index, &axes))
        }
    };
    let desc = trend_description(points, average);
    let text = ChartText {
        title,
        desc: &desc,
        linked: false,
    };
    svg_frame(&ids, "lift-trend", (TREND_WIDTH, TREND_HEIGHT), &text, body)
}

fn average_title(average: f64) -> String {
    format!("Gemiddelde Den Haag: {}", legend_number(average))
}

/// Maps months and values to screen coordinates. y starts at 0 (or lower, for negative values).
struct TrendAxes {
    count: usize,
    y_min: f64,
    y_max: f64,
}

impl TrendAxes {
    fn new(points: &[TrendPoint], average: Option<f64>) -> Self {
        let values: Vec<f64> = points
            .iter()
            .filter_map(|p| known(p.value))
            .chain(average)
            .collect();
        let y_min = values.iter().copied().fold(0.0, f64::min);
        let y_max = values.iter().copied().fold(0.0, f64::max);
        // A flat series at 0 still needs a non-empty range.
        let y_max = if y_max > y_min { y_max } else { y_min + 1.0 };
        TrendAxes {
            count: points.len(),
            y_min,
            y_max,
        }
    }

    fn x(&self, index: usize) -> f64 {
        if self.count < 2 {
            return (TREND_LEFT + TREND_RIGHT) / 2.0;
        }
        TREND_LEFT + index as f64 * (TREND_RIGHT - TREND_LEFT) / (self.count - 1) as f64
    }

    fn y(&self, value: f64) -> f64 {
        TREND_BASELINE - (value - self.y_min) / (self.y_max - self.y_min) * (TREND_BASELINE - TREND_TOP)
    }
}

fn trend_axes(axes: &TrendAxes, points: &[TrendPoint]) -> Markup {
    let label_every = points.len().div_ceil(TREND_MAX_MONTH_LABELS).max(1);
    html! {
        g class="lift-axis" {
            line x1=(coord(TREND_LEFT)) x2=(coord(TREND_RIGHT)) y1=(coord(TREND_BASELINE))
                y2=(coord(TREND_BASELINE)) stroke=(MUTED_TEXT_COLOUR) stroke-width="1" {}
            @for (value, y) in [(axes.y_max, TREND_TOP + 4.0), (axes.y_min, TREND_BASELINE + 3.0)] {
                text class="lift-axis-label" x=(coord(TREND_LEFT - 4.0)) y=(coord(y)) text-anchor="end"
                    font-size="10" fill=(MUTED_TEXT_COLOUR) { (legend_number(value)) }
            }
            @for (index, point) in points.iter().enumerate().filter(|(i, _)| i % label_every == 0) {
                text class="lift-axis-label" x=(coord(axes.x(index))) y=(coord(TREND_BASELINE + 16.0))
                    text-anchor="middle" font-size="10" fill=(MUTED_TEXT_COLOUR) { (point.month) }
            }
        }
    }
}

/// `points` attributes for each run of consecutive known values; a missing month breaks the line.
/// Runs of one point are left to their dot.
fn known_runs(points: &[TrendPoint], axes: &TrendAxes) -> Vec<String> {
    let mut runs: Vec<Vec<String>> = vec![Vec::new()];
    for (index, point) in points.iter().enumerate() {
        match known(point.value) {
            Some(value) => {
                let vertex = format!("{},{}", coord(axes.x(index)), coord(axes.y(value)));
                if let Some(run) = runs.last_mut() {
                    run.push(vertex);
                }
            }
            None => runs.push(Vec::new()),
        }
    }
    runs.into_iter()
        .filter(|run| run.len() >= 2)
        .map(|run| run.join(" "))
        .collect()
}

/// A dot for a known value; for a missing one a small text marker just above the axis.
fn trend_marker(point: &TrendPoint, index: usize, axes: &TrendAxes) -> Markup {
    let x = axes.x(index);
    match known(point.value) {
        Some(value) => html! {
            circle class="lift-trend-dot" cx=(coord(x)) cy=(coord(axes.y(value))) r="3"
                fill=(TREND_STROKE) stroke="#ffffff" stroke-width="1" {
                title { (trend_point_title(point, Some(value))) }
            }
        },
        None => html! {
            text class="lift-trend-missing" x=(coord(x)) y=(coord(TREND_BASELINE - 4.0)) text-anchor="middle"
                font-size="9" fill=(MUTED_TEXT_COLOUR) {
                title { (trend_point_title(point, None)) }
                (if point.label.contains("<5") { "<5" } else { "–" })
            }
        },
    }
}

/// The caller's label, or a generated one so a point is never announced without its month.
fn trend_point_title(point: &TrendPoint, value: Option<f64>) -> String {
    if !point.label.trim().is_empty() {
        return point.label.clone();
    }
    let shown = value.map_or_else(|| NO_DATA.to_string(), legend_number);
    format!("{}: {shown}", point.month)
}

fn trend_description(points: &[TrendPoint], average: Option<f64>) -> String {
    let months = count_noun(points.len(), "maand", "maanden");
    let first = points.first().map_or("", |p| p.month.as_str());
    let last = points.last().map_or("", |p| p.month.as_str());
    let mut parts = vec![format!("Verloop over {months}, van {first} tot {last}.")];
    let known_points: Vec<(&TrendPoint, f64)> = points
        .iter()
        .filter_map(|p| known(p.value).map(|v| (p, v)))
        .collect();
    let lowest = known_points.iter().min_by(|a, b| a.1.total_cmp(&b.1));
    let highest = known_points.iter().max_by(|a, b| a.1.total_cmp(&b.1));
    match (lowest, highest) {
        (Some((low, low_value)), Some((high, high_value))) => parts.push(format!(
            "Laagste waarde {} in {}, hoogste {} in {}.",
            legend_number(*low_value),
            low.month,
            legend_number(*high_value),
            high.month
        )),
        _ => parts.push("Geen gegevens.".to_string()),
    }
    let missing = points.len() - known_points.len();
    if missing > 0 && !known_points.is_empty() {
        let noun = count_noun(missing, "maand", "maanden");
        parts.push(format!(
            "{noun} zonder cijfer (<5 of {NO_DATA}): onderbreking in de lijn."
        ));
    }
    if let Some(average) = average {
        parts.push(format!(
            "Stippellijn: gemiddelde Den Haag ({}).",
            legend_number(average)
        ));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_csp_safe_and_labelled, child_title, elements_with_class, parse};
    use super::*;

    fn point(month: &str, value: Option<f64>) -> TrendPoint {
        TrendPoint {
            month: month.to_string(),
            value,
            label: String::new(),
        }
    }

    #[test]
    fn missing_month_splits_the_line_into_segments() {
        let points = [
            point("jan", Some(4.0)),
            point("feb", Some(6.0)),
            TrendPoint {
                month: "mrt".to_string(),
                value: None,
                label: "mrt 2026: <5".to_string(),
            },
            point("apr", Some(8.0)),
            point("mei", Some(10.0)),
        ];
        let svg = line_chart("t", "Verloop", &points, Some(5.0)).into_string();
        let doc = parse(&svg);
        assert_csp_safe_and_labelled(&doc);
        let lines = elements_with_class(&doc, "polyline", "lift-trend-line");
        assert_eq!(lines.len(), 2);
        assert!(
            lines
                .iter()
                .all(|l| l.attribute("points").unwrap().split(' ').count() == 2)
        );
        let dots = elements_with_class(&doc, "circle", "lift-trend-dot");
        assert_eq!(dots.len(), 4);
        assert_eq!(child_title(&dots[0]), "jan: 4");
        let missing = elements_with_class(&doc, "text", "lift-trend-missing");
        assert_eq!(child_title(&missing[0]), "mrt 2026: <5");
        assert!(missing[0].children().any(|c| c.text() == Some("<5")));
        let average = &elements_with_class(&doc, "line", "lift-trend-average")[0];
        assert_eq!(average.attribute("stroke-dasharray"), Some("4 3"));
        let desc = doc
            .descendants()
            .find(|n| n.has_tag_name("desc"))
            .and_then(|d| d.text())
            .unwrap();
        assert!(desc.contains("gemiddelde Den Haag (5)"), "{desc}");
        // y starts at 0: the lower axis label reads 0, the upper one the maximum.
        let axis: Vec<&str> = elements_with_class(&doc, "text", "lift-axis-label")
            .iter()
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(&axis[..2], ["10", "0"]);
    }

    #[test]
    fn degenerate_line_charts_render_without_panicking() {
        let empty = line_chart("t", "Verloop", &[], None).into_string();
        let doc = parse(&empty);
        assert!(doc.descendants().any(|n| n.text() == Some("geen gegevens")));
        let odd = [
            point("jan", Some(f64::NAN)),
            point("feb", Some(f64::NEG_INFINITY)),
            point("mrt", None),
        ];
        let svg = line_chart("t", "Verloop", &odd, Some(f64::INFINITY)).into_string();
        let doc = parse(&svg);
        assert!(elements_with_class(&doc, "polyline", "lift-trend-line").is_empty());
        assert_eq!(elements_with_class(&doc, "text", "lift-trend-missing").len(), 3);
        let flat = [point("jan", Some(0.0))];
        parse(&line_chart("t", "Verloop", &flat, None).into_string());
        let long: Vec<TrendPoint> = (0..30).map(|i| point(&format!("m{i}"), Some(i as f64))).collect();
        let doc_text = line_chart("t", "Verloop", &long, None).into_string();
        let doc = parse(&doc_text);
        let labels = elements_with_class(&doc, "text", "lift-axis-label");
        let month_labels = labels
            .iter()
            .filter(|n| n.text().is_some_and(|t| t.starts_with('m')))
            .count();
        assert_eq!(month_labels, 10, "every third of 30 months");
    }
}
