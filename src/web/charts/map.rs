//! The choropleth map: each wijk coloured by its figure in one of five classes, with a legend.

use maud::{Markup, html};

use super::geometry::{MAP_MARGIN, MAP_WIDTH, Projection, WijkShape};
use super::{
    ChartIds, ChartText, LEGEND_SWATCH, NO_DATA, PRIORITY_NOTE, TEXT_COLOUR, coord, count_noun, empty_chart,
    item_title, known, legend_number, maybe_link, shown_label, svg_frame,
};

/// One wijk on the map.
pub struct MapArea<'a> {
    /// CBS code, e.g. "WK051828".
    pub code: &'a str,
    /// Wijk name, e.g. "Schildersbuurt".
    pub name: &'a str,
    /// The wijk's outline, parsed beforehand by [`super::WijkShapes::parse`].
    pub shape: &'a WijkShape,
    /// None = suppressed (<5) or no data; drawn hatched.
    pub value: Option<f64>,
    /// The figure as shown, e.g. "12", "<5", "34%", "geen gegevens".
    pub label: String,
    /// A priority wijk of the city's Wijkaanpak.
    pub priority: bool,
    /// When Some, the shape is wrapped in an `<a href>` to the wijk's page.
    pub href: Option<String>,
}

/// ColorBrewer-like sequential yellow-green-blue, light to dark; distinguishable with colour blindness.
const MAP_PALETTE: [&str; 5] = ["#f0f9c8", "#a6dbb6", "#47b5c3", "#2a7db8", "#243a94"];
const NO_DATA_FILL: &str = "#dcdcdc";
const HATCH_STROKE: &str = "#7a7a7a";
const BORDER_STROKE: &str = "#6e6e6e";
const BORDER_WIDTH: &str = "0.6";
const PRIORITY_STROKE: &str = "#111111";
const PRIORITY_WIDTH: &str = "2.5";
const LEGEND_ROW_HEIGHT: f64 = 20.0;

/// Five equal-interval classes between the lowest and highest known value; one class if all are equal.
struct ClassBreaks {
    min: f64,
    step: f64,
    count: usize,
}

impl ClassBreaks {
    fn from_values(values: impl Iterator<Item = f64>) -> Option<Self> {
        let (min, max) = values.fold(None, |range: Option<(f64, f64)>, v| {
            Some(range.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
        })?;
        let count = if max > min { MAP_PALETTE.len() } else { 1 };
        Some(ClassBreaks {
            min,
            step: (max - min) / count as f64,
            count,
        })
    }

    fn class_of(&self, value: f64) -> usize {
        if self.count == 1 {
            return 0;
        }
        // The maximum itself falls on the upper edge of the last class.
        (((value - self.min) / self.step).floor().max(0.0) as usize).min(self.count - 1)
    }

    /// A single class takes the middle colour: it is neither "low" nor "high".
    fn colour(&self, class: usize) -> &'static str {
        if self.count == 1 {
            MAP_PALETTE[MAP_PALETTE.len() / 2]
        } else {
            MAP_PALETTE[class]
        }
    }

    fn range_label(&self, class: usize) -> String {
        let low = self.min + class as f64 * self.step;
        if self.count == 1 {
            legend_number(low)
        } else {
            format!("{} – {}", legend_number(low), legend_number(low + self.step))
        }
    }
}

/// The choropleth map. `title` is the chart title (e.g. "Aandeel bewoners met een passende vacature per
/// wijk"), `id_prefix` makes element ids unique on the page.
pub fn wijk_map(id_prefix: &str, title: &str, areas: &[MapArea<'_>]) -> Markup {
    let ids = ChartIds::new(id_prefix);
    let Some(projection) = Projection::fitting(areas.iter().map(|area| area.shape)) else {
        return empty_chart(&ids, "lift-map", (MAP_WIDTH, 200.0), title);
    };
    let breaks = ClassBreaks::from_values(areas.iter().filter_map(|a| known(a.value)));
    let legend = map_legend_entries(breaks.as_ref());
    let height = projection.map_height + legend.len() as f64 * LEGEND_ROW_HEIGHT + MAP_MARGIN;

    // Priority outlines go last so neighbouring shapes do not paint over their thick border.
    let mut drawing_order: Vec<&MapArea<'_>> = areas.iter().collect();
    drawing_order.sort_by_key(|area| area.priority);

    let body = html! {
        defs { (hatch_pattern(&ids)) }
        g class="lift-map-areas" {
            @for area in drawing_order {
                (wijk_shape(&ids, area, &projection.path_data(area.shape), breaks.as_ref()))
            }
        }
        (map_legend(&ids, &legend, projection.map_height))
    };
    let desc = map_description(areas);
    let text = ChartText {
        title,
        desc: &desc,
        linked: areas.iter().any(|a| a.href.is_some()),
    };
    svg_frame(&ids, "lift-map", (MAP_WIDTH, height), &text, body)
}

/// Diagonal grey lines: marks suppressed or missing figures without relying on colour.
fn hatch_pattern(ids: &ChartIds) -> Markup {
    html! {
        pattern id=(ids.hatch()) patternUnits="userSpaceOnUse" width="6" height="6"
            patternTransform="rotate(45)" {
            rect width="6" height="6" fill=(NO_DATA_FILL) {}
            line x1="0" y1="0" x2="0" y2="6" stroke=(HATCH_STROKE) stroke-width="2" {}
        }
    }
}

fn hatch_fill(ids: &ChartIds) -> String {
    format!("url(#{})", ids.hatch())
}

fn wijk_shape(ids: &ChartIds, area: &MapArea<'_>, path: &str, breaks: Option<&ClassBreaks>) -> Markup {
    let colour = known(area.value)
        .zip(breaks)
        .map(|(value, b)| b.colour(b.class_of(value)));
    let fill = colour.map_or_else(|| hatch_fill(ids), str::to_string);
    let (stroke, stroke_width) = if area.priority {
        (PRIORITY_STROKE, PRIORITY_WIDTH)
    } else {
        (BORDER_STROKE, BORDER_WIDTH)
    };
    let shape = html! {
        path.lift-wijk.lift-wijk-priority[area.priority].lift-wijk-nodata[colour.is_none()]
            d=(path) fill-rule="evenodd" fill=(fill) stroke=(stroke) stroke-width=(stroke_width)
            stroke-linejoin="round" data-code=(area.code) {
            title { (item_title(area.name, &area.label, area.priority)) }
        }
    };
    maybe_link(area.href.as_deref(), shape)
}

/// What a legend row shows next to its text.
enum Swatch {
    Colour(&'static str),
    Hatch,
    PriorityOutline,
}

fn map_legend_entries(breaks: Option<&ClassBreaks>) -> Vec<(Swatch, String)> {
    let mut entries: Vec<(Swatch, String)> = breaks.map_or_else(Vec::new, |b| {
        (0..b.count)
            .map(|class| (Swatch::Colour(b.colour(class)), b.range_label(class)))
            .collect()
    });
    entries.push((Swatch::Hatch, format!("<5 of {NO_DATA}")));
    entries.push((Swatch::PriorityOutline, PRIORITY_NOTE.to_string()));
    entries
}

fn map_legend(ids: &ChartIds, entries: &[(Swatch, String)], top: f64) -> Markup {
    html! {
        g class="lift-legend" {
            @for (row, (swatch, text)) in entries.iter().enumerate() {
                @let y = top + row as f64 * LEGEND_ROW_HEIGHT;
                (legend_swatch(ids, swatch, y))
                text class="lift-legend-label" x=(coord(MAP_MARGIN + LEGEND_SWATCH + 8.0))
                    y=(coord(y + LEGEND_SWATCH - 2.0)) font-size="12" fill=(TEXT_COLOUR) { (text) }
            }
        }
    }
}

fn legend_swatch(ids: &ChartIds, swatch: &Swatch, y: f64) -> Markup {
    let (fill, stroke, stroke_width) = match swatch {
        Swatch::Colour(colour) => (colour.to_string(), BORDER_STROKE, BORDER_WIDTH),
        Swatch::Hatch => (hatch_fill(ids), BORDER_STROKE, BORDER_WIDTH),
        Swatch::PriorityOutline => ("#ffffff".to_string(), PRIORITY_STROKE, PRIORITY_WIDTH),
    };
    html! {
        rect class="lift-legend-swatch" x=(coord(MAP_MARGIN)) y=(coord(y)) width=(coord(LEGEND_SWATCH))
            height=(coord(LEGEND_SWATCH)) fill=(fill) stroke=(stroke) stroke-width=(stroke_width) {}
    }
}

/// For screen readers: how many wijken, the extremes, and what is missing.
fn map_description(areas: &[MapArea<'_>]) -> String {
    let with_value: Vec<(&MapArea<'_>, f64)> = areas
        .iter()
        .filter_map(|a| known(a.value).map(|v| (a, v)))
        .collect();
    let highest = with_value.iter().max_by(|a, b| a.1.total_cmp(&b.1));
    let lowest = with_value.iter().min_by(|a, b| a.1.total_cmp(&b.1));
    let mut parts = vec![format!(
        "Kaart van {}.",
        count_noun(areas.len(), "wijk", "wijken")
    )];
    if let (Some((high, _)), Some((low, _))) = (highest, lowest) {
        parts.push(format!("Hoogste: {} ({}).", high.name, shown_label(&high.label)));
        parts.push(format!("Laagste: {} ({}).", low.name, shown_label(&low.label)));
    }
    let missing = areas.len() - with_value.len();
    if missing > 0 {
        let noun = count_noun(missing, "wijk", "wijken");
        parts.push(format!("{noun} zonder cijfer (<5 of {NO_DATA}), gearceerd."));
    }
    let priority = areas.iter().filter(|a| a.priority).count();
    if priority > 0 {
        let noun = count_noun(priority, PRIORITY_NOTE, "prioriteitswijken");
        parts.push(format!("{noun} met een dikke donkere rand."));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::WijkShapes;
    use super::super::tests::{
        assert_csp_safe_and_labelled, child_title, elements_with_class, has_class, number, parse,
    };
    use super::*;

    const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[4.30,52.07],[4.31,52.07],[4.31,52.08],[4.30,52.08],[4.30,52.07]]]}"#;
    const SQUARE_WITH_HOLE: &str = r#"{"type":"Polygon","coordinates":[
        [[4.32,52.07],[4.34,52.07],[4.34,52.09],[4.32,52.09],[4.32,52.07]],
        [[4.325,52.075],[4.335,52.075],[4.335,52.085],[4.325,52.085],[4.325,52.075]]]}"#;
    const TWO_ISLANDS: &str = r#"{"type":"MultiPolygon","coordinates":[
        [[[4.35,52.07],[4.36,52.07],[4.36,52.08],[4.35,52.07]]],
        [[[4.37,52.07],[4.38,52.07],[4.38,52.08],[4.37,52.07]]]]}"#;

    fn shape(geometry: &str) -> WijkShape {
        WijkShape::from_geojson(geometry).expect("valid test geometry")
    }

    fn area<'a>(name: &'a str, shape: &'a WijkShape, value: Option<f64>, label: &str) -> MapArea<'a> {
        MapArea {
            code: "WK000000",
            name,
            shape,
            value,
            label: label.to_string(),
            priority: false,
            href: None,
        }
    }

    #[test]
    fn real_wijken_map_has_one_titled_shape_per_wijk() {
        let wijken = crate::fixtures::wijken().expect("wijk fixtures");
        let wijk_shapes = WijkShapes::parse(&wijken).expect("valid wijk geometry");
        let areas: Vec<MapArea<'_>> = wijken
            .iter()
            .enumerate()
            .map(|(i, (wijk, _))| MapArea {
                code: &wijk.code,
                name: &wijk.name,
                shape: wijk_shapes.get(&wijk.code).expect("a shape per wijk"),
                value: if i % 7 == 3 { None } else { Some(i as f64) },
                label: if i % 7 == 3 {
                    "<5".to_string()
                } else {
                    format!("{i}%")
                },
                priority: i % 5 == 0,
                href: Some(format!("/lift/wijk/{}", wijk.code)),
            })
            .collect();

        let svg = wijk_map("kaart", "Aandeel per wijk", &areas).into_string();
        let doc = parse(&svg);
        assert_csp_safe_and_labelled(&doc);
        let shapes = elements_with_class(&doc, "path", "lift-wijk");
        assert_eq!(shapes.len(), 44);
        for (wijk, _) in &wijken {
            let name = &wijk.name;
            let matching = shapes
                .iter()
                .filter(|s| child_title(s).starts_with(&format!("{name}: ")))
                .count();
            assert_eq!(matching, 1, "exactly one shape titled for {name}");
        }
        assert!(shapes.iter().all(|s| {
            s.attribute("d")
                .is_some_and(|d| d.starts_with('M') && d.ends_with('Z'))
        }));
        assert_eq!(doc.descendants().filter(|n| n.has_tag_name("a")).count(), 44);
        let view_box: Vec<f64> = doc
            .root_element()
            .attribute("viewBox")
            .unwrap()
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        assert_eq!(view_box[2], MAP_WIDTH);
        assert!(
            view_box[3] > 300.0 && view_box[3] < 900.0,
            "plausible aspect ratio: {view_box:?}"
        );
    }

    #[test]
    fn polygon_holes_and_multipolygons_become_subpaths() {
        let (hole, islands) = (shape(SQUARE_WITH_HOLE), shape(TWO_ISLANDS));
        let areas = [
            area("Gat", &hole, Some(1.0), "1"),
            area("Eilanden", &islands, Some(2.0), "2"),
        ];
        let svg = wijk_map("m", "Kaart", &areas).into_string();
        let doc = parse(&svg);
        let shapes = elements_with_class(&doc, "path", "lift-wijk");
        for shape in &shapes {
            assert_eq!(shape.attribute("d").unwrap().matches('M').count(), 2);
            assert_eq!(shape.attribute("fill-rule"), Some("evenodd"));
        }
        // Coordinates carry at most one decimal.
        let d = shapes[0].attribute("d").unwrap();
        let numbers = d
            .split(|c: char| c.is_ascii_alphabetic() || c == ' ')
            .filter(|n| !n.is_empty());
        assert!(numbers.clone().count() > 8);
        assert!(
            numbers
                .into_iter()
                .all(|n| n.split('.').nth(1).is_none_or(|decimals| decimals.len() == 1))
        );
    }

    #[test]
    fn suppressed_area_is_hatched_and_says_so() {
        let (square, hole, islands) = (shape(SQUARE), shape(SQUARE_WITH_HOLE), shape(TWO_ISLANDS));
        let areas = [
            area("Schildersbuurt", &square, None, "<5"),
            area("Zonder", &hole, Some(f64::NAN), ""),
            area("Met cijfer", &islands, Some(12.0), "12"),
        ];
        let svg = wijk_map("p1", "Kaart", &areas).into_string();
        let doc = parse(&svg);
        let hatch = doc
            .descendants()
            .find(|n| n.has_tag_name("pattern"))
            .expect("hatch pattern");
        let hatch_url = format!("url(#{})", hatch.attribute("id").unwrap());
        let shapes = elements_with_class(&doc, "path", "lift-wijk");
        let fills: Vec<&str> = shapes.iter().map(|s| s.attribute("fill").unwrap()).collect();
        assert_eq!(fills[0], hatch_url);
        assert_eq!(fills[1], hatch_url, "NaN counts as missing");
        assert_ne!(fills[2], hatch_url);
        assert_eq!(child_title(&shapes[0]), "Schildersbuurt: <5");
        assert_eq!(child_title(&shapes[1]), "Zonder: geen gegevens");
        let legend: Vec<&str> = doc
            .descendants()
            .filter(|n| has_class(n, "lift-legend-label"))
            .filter_map(|n| n.text())
            .collect();
        assert!(legend.contains(&"<5 of geen gegevens"));
        assert!(legend.contains(&"prioriteitswijk"));
    }

    #[test]
    fn priority_area_has_thicker_dark_outline_and_is_named() {
        let (square, hole) = (shape(SQUARE), shape(SQUARE_WITH_HOLE));
        let mut special = area("Schildersbuurt", &square, Some(12.0), "12%");
        special.priority = true;
        let areas = [special, area("Gewoon", &hole, Some(3.0), "3%")];
        let svg = wijk_map("p2", "Kaart", &areas).into_string();
        let doc = parse(&svg);
        let shapes = elements_with_class(&doc, "path", "lift-wijk");
        // Priority shapes are drawn last so their outline stays visible.
        let (normal, priority) = (&shapes[0], &shapes[1]);
        assert_eq!(child_title(priority), "Schildersbuurt: 12% (prioriteitswijk)");
        assert!(has_class(priority, "lift-wijk-priority") && !has_class(normal, "lift-wijk-priority"));
        assert!(number(priority, "stroke-width") >= 2.0 * number(normal, "stroke-width"));
    }

    #[test]
    fn classes_use_five_colours_or_one_when_all_equal() {
        let (square, hole) = (shape(SQUARE), shape(SQUARE_WITH_HOLE));
        let five: Vec<MapArea<'_>> = (0..10).map(|i| area("W", &square, Some(i as f64), "x")).collect();
        let svg = wijk_map("c", "Kaart", &five).into_string();
        let doc = parse(&svg);
        let mut fills: Vec<&str> = elements_with_class(&doc, "path", "lift-wijk")
            .iter()
            .map(|s| s.attribute("fill").unwrap())
            .collect();
        assert_eq!(fills.first(), Some(&MAP_PALETTE[0]));
        assert_eq!(fills.last(), Some(&MAP_PALETTE[4]));
        fills.dedup();
        assert_eq!(fills.len(), 5);

        let equal = [
            area("A", &square, Some(7.0), "7"),
            area("B", &hole, Some(7.0), "7"),
        ];
        let svg = wijk_map("c", "Kaart", &equal).into_string();
        let doc = parse(&svg);
        let legend_swatches = elements_with_class(&doc, "rect", "lift-legend-swatch");
        assert_eq!(legend_swatches.len(), 3, "one class, hatch and priority");
    }

    #[test]
    fn degenerate_maps_render_without_panicking() {
        let empty = wijk_map("leeg", "Kaart", &[]).into_string();
        assert!(
            parse(&empty)
                .descendants()
                .any(|n| n.text() == Some("geen gegevens"))
        );
        let point =
            shape(r#"{"type":"Polygon","coordinates":[[[4.3,52.1],[4.3,52.1],[4.3,52.1],[4.3,52.1]]]}"#);
        let areas = [area("Punt", &point, None, "")];
        parse(&wijk_map("punt", "Kaart", &areas).into_string());
    }

    #[test]
    fn text_is_escaped_and_ids_are_sanitised() {
        let square = shape(SQUARE);
        let areas = [area("<script>&", &square, None, "<5")];
        let svg = wijk_map("x\" onload=\"evil", "a<b", &areas).into_string();
        assert!(!svg.contains("<script>"));
        let doc = parse(&svg);
        let shape = &elements_with_class(&doc, "path", "lift-wijk")[0];
        assert_eq!(child_title(shape), "<script>&: <5");
        assert!(doc.descendants().all(|n| n.attribute("onload").is_none()));
        assert_eq!(ChartIds::new("9 x").hatch(), "lift-9x-hatch");
        assert_eq!(ChartIds::new("").title(), "lift-chart-title");
    }
}
