//! Server-side SVG charts for the lift report: a choropleth map of the wijken, a ranking bar chart and
//! a 12-month trend line.
//!
//! Everything is inline SVG built with maud, so it works without JavaScript or external tiles. The
//! page's CSP forbids inline styles, so only SVG presentation attributes and `lift-…` classes are used.
//! Every chart carries a `<title>` and `<desc>`, and missing or suppressed figures are shown with text
//! and a hatch pattern, never by colour alone.
//!
//! This module holds what the charts share: element ids, the `<svg>` frame, the accessible text and
//! number formatting.

mod bars;
mod geometry;
mod map;
mod trend;

use maud::{Markup, html};

pub use bars::{Bar, bar_chart};
pub use geometry::{MapError, WijkOutlines, WijkShape, WijkShapes};
pub use map::{MapArea, wijk_map};
pub use trend::{TrendPoint, line_chart};

/// Shown wherever a figure is absent and the caller gave no label of its own.
const NO_DATA: &str = "geen gegevens";
const PRIORITY_NOTE: &str = "prioriteitswijk";
const TEXT_COLOUR: &str = "#222222";
const MUTED_TEXT_COLOUR: &str = "#595959";
const LEGEND_SWATCH: f64 = 14.0;

/// NaN and infinities cannot be drawn, so they count as "no figure".
fn known(value: Option<f64>) -> Option<f64> {
    value.filter(|v| v.is_finite())
}

/// At most `decimals` decimals without trailing zeros: keeps the SVG small and labels tidy.
fn fmt_decimals(value: f64, decimals: usize) -> String {
    let mut text = format!("{value:.decimals$}");
    if text.contains('.') {
        let kept = text.trim_end_matches('0').trim_end_matches('.').len();
        text.truncate(kept);
    }
    if text == "-0" { "0".to_string() } else { text }
}

/// A coordinate or length for an SVG attribute.
fn coord(value: f64) -> String {
    fmt_decimals(value, 1)
}

/// A number as a Dutch reader expects it (decimal comma).
fn legend_number(value: f64) -> String {
    fmt_decimals(value, 2).replace('.', ",")
}

/// The label to show; an empty label would hide that the figure is missing.
fn shown_label(label: &str) -> &str {
    if label.trim().is_empty() { NO_DATA } else { label }
}

/// "Schildersbuurt: 12% (prioriteitswijk)" — used for map shapes and bar rows alike.
fn item_title(name: &str, label: &str, priority: bool) -> String {
    let suffix = if priority {
        format!(" ({PRIORITY_NOTE})")
    } else {
        String::new()
    };
    format!("{name}: {}{suffix}", shown_label(label))
}

fn count_noun(count: usize, singular: &str, plural: &str) -> String {
    format!("{count} {}", if count == 1 { singular } else { plural })
}

/// Element ids derived from the caller's prefix. Characters outside `[A-Za-z0-9_-]` are dropped so the
/// ids stay valid inside `url(#…)` and `aria-labelledby` references.
struct ChartIds {
    base: String,
}

impl ChartIds {
    fn new(prefix: &str) -> Self {
        let cleaned: String = prefix
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        let base = match cleaned.chars().next() {
            None => "lift-chart".to_string(),
            Some(first) if !first.is_ascii_alphabetic() => format!("lift-{cleaned}"),
            Some(_) => cleaned,
        };
        ChartIds { base }
    }

    fn title(&self) -> String {
        format!("{}-title", self.base)
    }

    fn desc(&self) -> String {
        format!("{}-desc", self.base)
    }

    fn hatch(&self) -> String {
        format!("{}-hatch", self.base)
    }
}

/// The accessible text of a chart, and whether it holds links.
struct ChartText<'t> {
    title: &'t str,
    desc: &'t str,
    /// An image may not contain links (axe: nested-interactive), so a chart
    /// with links is a labelled group whose shapes each carry a title.
    linked: bool,
}

impl ChartText<'_> {
    fn role(&self) -> &'static str {
        if self.linked { "group" } else { "img" }
    }
}

/// The outer `<svg>` shared by all charts. Width and height give an intrinsic size; the stylesheet can
/// make it responsive with `max-width: 100%; height: auto`.
fn svg_frame(
    ids: &ChartIds,
    kind_class: &str,
    size: (f64, f64),
    text: &ChartText<'_>,
    body: Markup,
) -> Markup {
    let (width, height) = size;
    html! {
        svg xmlns="http://www.w3.org/2000/svg" class={ "lift-chart " (kind_class) }
            width=(coord(width)) height=(coord(height)) viewBox={ "0 0 " (coord(width)) " " (coord(height)) }
            font-family="system-ui, sans-serif" role=(text.role()) aria-labelledby={ (ids.title()) " " (ids.desc()) } {
            title id=(ids.title()) { (text.title) }
            desc id=(ids.desc()) { (text.desc) }
            (body)
        }
    }
}

/// A chart without any rows still renders, and says so in text.
fn empty_chart(ids: &ChartIds, kind_class: &str, size: (f64, f64), title: &str) -> Markup {
    let (width, height) = size;
    let body = html! {
        text class="lift-empty" x=(coord(width / 2.0)) y=(coord(height / 2.0)) text-anchor="middle"
            font-size="14" fill=(MUTED_TEXT_COLOUR) { (NO_DATA) }
    };
    let text = ChartText {
        title,
        desc: NO_DATA,
        linked: false,
    };
    svg_frame(ids, kind_class, size, &text, body)
}

/// Wraps `content` in a link when the item has a page of its own.
fn maybe_link(href: Option<&str>, content: Markup) -> Markup {
    html! {
        @if let Some(href) = href {
            a class="lift-link" href=(href) { (content) }
        } @else {
            (content)
        }
    }
}

/// Helpers for the chart tests, which read the SVG back as XML.
#[cfg(test)]
mod tests {
    use super::*;
    use roxmltree::{Document, Node};

    pub(super) fn parse(svg: &str) -> Document<'_> {
        Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML ({e}): {svg}"))
    }

    pub(super) fn has_class(node: &Node<'_, '_>, class: &str) -> bool {
        node.attribute("class")
            .is_some_and(|c| c.split_whitespace().any(|part| part == class))
    }

    pub(super) fn elements_with_class<'d, 'i>(
        doc: &'d Document<'i>,
        tag: &str,
        class: &str,
    ) -> Vec<Node<'d, 'i>> {
        doc.descendants()
            .filter(|n| n.has_tag_name(tag) && has_class(n, class))
            .collect()
    }

    pub(super) fn child_title(node: &Node<'_, '_>) -> String {
        let title = node.children().find(|c| c.has_tag_name("title"));
        title.and_then(|t| t.text()).unwrap_or_default().to_string()
    }

    pub(super) fn number(node: &Node<'_, '_>, attribute: &str) -> f64 {
        node.attribute(attribute)
            .and_then(|v| v.parse().ok())
            .expect("numeric attribute")
    }

    /// The CSP forbids inline styles, and the svg must be labelled by its own title and desc.
    pub(super) fn assert_csp_safe_and_labelled(doc: &Document<'_>) {
        assert!(
            doc.descendants()
                .all(|n| n.attribute("style").is_none() && !n.has_tag_name("style"))
        );
        let svg = doc.root_element();
        // Links inside an image are not allowed: a chart with links is a group.
        let linked = doc.descendants().any(|n| n.has_tag_name("a"));
        assert_eq!(svg.attribute("role"), Some(if linked { "group" } else { "img" }));
        let labelled_by = svg.attribute("aria-labelledby").expect("aria-labelledby");
        for id in labelled_by.split_whitespace() {
            let target = doc
                .descendants()
                .find(|n| n.attribute("id") == Some(id))
                .expect("referenced id exists");
            assert!(target.has_tag_name("title") || target.has_tag_name("desc"));
            assert!(!target.text().unwrap_or_default().trim().is_empty());
        }
    }

    #[test]
    fn numbers_are_short_and_dutch() {
        assert_eq!(fmt_decimals(12.345, 1), "12.3");
        assert_eq!(fmt_decimals(12.0, 2), "12");
        assert_eq!(fmt_decimals(-0.04, 1), "0");
        assert_eq!(legend_number(12.5), "12,5");
        assert_eq!(legend_number(3.0), "3");
    }
}
