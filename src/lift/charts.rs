//! Server-side SVG charts for the lift report: a choropleth map of the wijken, a ranking bar chart and
//! a 12-month trend line.
//!
//! Everything is inline SVG built with maud, so it works without JavaScript or external tiles. The
//! page's CSP forbids inline styles, so only SVG presentation attributes and `lift-…` classes are used.
//! Every chart carries a `<title>` and `<desc>`, and missing or suppressed figures are shown with text
//! and a hatch pattern, never by colour alone.

use std::fmt;

use maud::{Markup, html};
use serde::Deserialize;

/// Shown wherever a figure is absent and the caller gave no label of its own.
const NO_DATA: &str = "geen gegevens";
const PRIORITY_NOTE: &str = "prioriteitswijk";
const TEXT_COLOUR: &str = "#222222";
const MUTED_TEXT_COLOUR: &str = "#595959";

// ---------------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------
// Choropleth map
// ---------------------------------------------------------------------------------------------------

/// One wijk on the map.
pub struct MapArea<'a> {
    /// CBS code, e.g. "WK051828".
    pub code: &'a str,
    /// Wijk name, e.g. "Schildersbuurt".
    pub name: &'a str,
    /// GeoJSON geometry object as JSON text, WGS84 `[lon, lat]`; "Polygon" or "MultiPolygon".
    pub geometry: &'a str,
    /// None = suppressed (<5) or no data; drawn hatched.
    pub value: Option<f64>,
    /// The figure as shown, e.g. "12", "<5", "34%", "geen gegevens".
    pub label: String,
    /// A priority wijk of the city's Wijkaanpak.
    pub priority: bool,
    /// When Some, the shape is wrapped in an `<a href>` to the wijk's page.
    pub href: Option<String>,
}

/// A wijk geometry that could not be read; the message names the wijk.
#[derive(Debug)]
pub struct MapError(pub String);

impl fmt::Display for MapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MapError {}

/// ColorBrewer-like sequential yellow-green-blue, light to dark; distinguishable with colour blindness.
const MAP_PALETTE: [&str; 5] = ["#f0f9c8", "#a6dbb6", "#47b5c3", "#2a7db8", "#243a94"];
const MAP_WIDTH: f64 = 600.0;
/// Keeps a very tall selection of wijken from producing an endless map.
const MAP_MAX_HEIGHT: f64 = 700.0;
const MAP_MARGIN: f64 = 10.0;
const NO_DATA_FILL: &str = "#dcdcdc";
const HATCH_STROKE: &str = "#7a7a7a";
const BORDER_STROKE: &str = "#6e6e6e";
const BORDER_WIDTH: &str = "0.6";
const PRIORITY_STROKE: &str = "#111111";
const PRIORITY_WIDTH: &str = "2.5";
const LEGEND_ROW_HEIGHT: f64 = 20.0;
const LEGEND_SWATCH: f64 = 14.0;

/// `(lon, lat)` in degrees.
type Ring = Vec<(f64, f64)>;
/// Exterior ring first, then holes.
type Polygon = Vec<Ring>;
type RawPolygon = Vec<Vec<Vec<f64>>>;

#[derive(Deserialize)]
struct RawGeometry {
    #[serde(rename = "type")]
    kind: String,
    coordinates: serde_json::Value,
}

fn parse_geometry(json: &str) -> Result<Vec<Polygon>, String> {
    let raw: RawGeometry = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let polygons: Vec<RawPolygon> = match raw.kind.as_str() {
        "Polygon" => vec![serde_json::from_value(raw.coordinates).map_err(|e| e.to_string())?],
        "MultiPolygon" => serde_json::from_value(raw.coordinates).map_err(|e| e.to_string())?,
        other => return Err(format!("unsupported geometry type {other:?}")),
    };
    if polygons.is_empty() {
        return Err("MultiPolygon without polygons".to_string());
    }
    polygons.into_iter().map(to_polygon).collect()
}

fn to_polygon(rings: RawPolygon) -> Result<Polygon, String> {
    if rings.is_empty() {
        return Err("polygon without rings".to_string());
    }
    rings.into_iter().map(to_ring).collect()
}

/// GeoJSON requires at least four positions per linear ring (a closed triangle).
fn to_ring(positions: Vec<Vec<f64>>) -> Result<Ring, String> {
    if positions.len() < 4 {
        return Err(format!(
            "ring with {} positions, at least 4 needed",
            positions.len()
        ));
    }
    positions.iter().map(|p| to_lon_lat(p)).collect()
}

fn to_lon_lat(position: &[f64]) -> Result<(f64, f64), String> {
    match *position {
        [lon, lat, ..] if lon.abs() <= 180.0 && lat.abs() <= 90.0 => Ok((lon, lat)),
        _ => Err(format!("invalid position {position:?}")),
    }
}

fn area_polygons(area: &MapArea<'_>) -> Result<Vec<Polygon>, MapError> {
    parse_geometry(area.geometry).map_err(|detail| {
        MapError(format!(
            "invalid geometry for wijk {} ({}): {detail}",
            area.name, area.code
        ))
    })
}

struct BoundingBox {
    min_lon: f64,
    max_lon: f64,
    min_lat: f64,
    max_lat: f64,
}

impl BoundingBox {
    fn around<'p>(points: impl Iterator<Item = &'p (f64, f64)>) -> Option<Self> {
        points.fold(None, |bbox, &(lon, lat)| {
            Some(match bbox {
                None => BoundingBox {
                    min_lon: lon,
                    max_lon: lon,
                    min_lat: lat,
                    max_lat: lat,
                },
                Some(b) => BoundingBox {
                    min_lon: b.min_lon.min(lon),
                    max_lon: b.max_lon.max(lon),
                    min_lat: b.min_lat.min(lat),
                    max_lat: b.max_lat.max(lat),
                },
            })
        })
    }
}

/// Equirectangular projection with x shrunk by cos(latitude), so Den Haag keeps its shape at 52°N.
struct Projection {
    origin_lon: f64,
    top_lat: f64,
    x_factor: f64,
    scale: f64,
    offset_x: f64,
    map_height: f64,
}

impl Projection {
    fn fit(bbox: &BoundingBox) -> Self {
        let x_factor = ((bbox.min_lat + bbox.max_lat) / 2.0).to_radians().cos();
        let span_x = (bbox.max_lon - bbox.min_lon) * x_factor;
        let span_y = bbox.max_lat - bbox.min_lat;
        // A zero span (one point, or a line) must not divide by zero.
        let fit = |available: f64, span: f64| {
            if span > 1e-12 {
                available / span
            } else {
                f64::INFINITY
            }
        };
        let scale =
            fit(MAP_WIDTH - 2.0 * MAP_MARGIN, span_x).min(fit(MAP_MAX_HEIGHT - 2.0 * MAP_MARGIN, span_y));
        let scale = if scale.is_finite() { scale } else { 1.0 };
        Projection {
            origin_lon: bbox.min_lon,
            top_lat: bbox.max_lat,
            x_factor,
            scale,
            offset_x: (MAP_WIDTH - span_x * scale) / 2.0,
            map_height: span_y * scale + 2.0 * MAP_MARGIN,
        }
    }

    /// Screen coordinates, y flipped so north is up.
    fn project(&self, (lon, lat): (f64, f64)) -> (f64, f64) {
        let x = self.offset_x + (lon - self.origin_lon) * self.x_factor * self.scale;
        let y = MAP_MARGIN + (self.top_lat - lat) * self.scale;
        (x, y)
    }
}

/// `M x y L x y … Z` per ring; points that round to the same spot are dropped to keep the SVG small.
fn path_data(polygons: &[Polygon], projection: &Projection) -> String {
    let mut data = String::new();
    for ring in polygons.iter().flatten() {
        let mut previous: Option<(String, String)> = None;
        for &position in ring {
            let (x, y) = projection.project(position);
            let point = (coord(x), coord(y));
            if previous.as_ref() == Some(&point) {
                continue;
            }
            data.push(if previous.is_none() { 'M' } else { 'L' });
            data.push_str(&format!("{} {}", point.0, point.1));
            previous = Some(point);
        }
        data.push('Z');
    }
    data
}

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
pub fn wijk_map(id_prefix: &str, title: &str, areas: &[MapArea<'_>]) -> Result<Markup, MapError> {
    let ids = ChartIds::new(id_prefix);
    let shapes = areas
        .iter()
        .map(|area| Ok((area, area_polygons(area)?)))
        .collect::<Result<Vec<_>, MapError>>()?;
    let Some(bbox) = BoundingBox::around(
        shapes
            .iter()
            .flat_map(|(_, polygons)| polygons.iter().flatten().flatten()),
    ) else {
        return Ok(empty_chart(&ids, "lift-map", (MAP_WIDTH, 200.0), title));
    };
    let projection = Projection::fit(&bbox);
    let breaks = ClassBreaks::from_values(areas.iter().filter_map(|a| known(a.value)));
    let legend = map_legend_entries(breaks.as_ref());
    let height = projection.map_height + legend.len() as f64 * LEGEND_ROW_HEIGHT + MAP_MARGIN;

    // Priority outlines go last so neighbouring shapes do not paint over their thick border.
    let mut drawing_order: Vec<_> = shapes.iter().collect();
    drawing_order.sort_by_key(|(area, _)| area.priority);

    let body = html! {
        defs { (hatch_pattern(&ids)) }
        g class="lift-map-areas" {
            @for (area, polygons) in drawing_order {
                (wijk_shape(&ids, area, &path_data(polygons, &projection), breaks.as_ref()))
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
    Ok(svg_frame(&ids, "lift-map", (MAP_WIDTH, height), &text, body))
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

// ---------------------------------------------------------------------------------------------------
// Ranking bar chart
// ---------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------
// Trend line chart
// ---------------------------------------------------------------------------------------------------

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
    use super::*;
    use roxmltree::{Document, Node};

    const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[4.30,52.07],[4.31,52.07],[4.31,52.08],[4.30,52.08],[4.30,52.07]]]}"#;
    const SQUARE_WITH_HOLE: &str = r#"{"type":"Polygon","coordinates":[
        [[4.32,52.07],[4.34,52.07],[4.34,52.09],[4.32,52.09],[4.32,52.07]],
        [[4.325,52.075],[4.335,52.075],[4.335,52.085],[4.325,52.085],[4.325,52.075]]]}"#;
    const TWO_ISLANDS: &str = r#"{"type":"MultiPolygon","coordinates":[
        [[[4.35,52.07],[4.36,52.07],[4.36,52.08],[4.35,52.07]]],
        [[[4.37,52.07],[4.38,52.07],[4.38,52.08],[4.37,52.07]]]]}"#;

    fn area<'a>(name: &'a str, geometry: &'a str, value: Option<f64>, label: &str) -> MapArea<'a> {
        MapArea {
            code: "WK000000",
            name,
            geometry,
            value,
            label: label.to_string(),
            priority: false,
            href: None,
        }
    }

    fn bar<'a>(name: &'a str, value: Option<f64>, label: &str) -> Bar<'a> {
        Bar {
            name,
            value,
            label: label.to_string(),
            priority: false,
            href: None,
        }
    }

    fn point(month: &str, value: Option<f64>) -> TrendPoint {
        TrendPoint {
            month: month.to_string(),
            value,
            label: String::new(),
        }
    }

    fn parse(svg: &str) -> Document<'_> {
        Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML ({e}): {svg}"))
    }

    fn has_class(node: &Node<'_, '_>, class: &str) -> bool {
        node.attribute("class")
            .is_some_and(|c| c.split_whitespace().any(|part| part == class))
    }

    fn elements_with_class<'d, 'i>(doc: &'d Document<'i>, tag: &str, class: &str) -> Vec<Node<'d, 'i>> {
        doc.descendants()
            .filter(|n| n.has_tag_name(tag) && has_class(n, class))
            .collect()
    }

    fn child_title(node: &Node<'_, '_>) -> String {
        let title = node.children().find(|c| c.has_tag_name("title"));
        title.and_then(|t| t.text()).unwrap_or_default().to_string()
    }

    fn number(node: &Node<'_, '_>, attribute: &str) -> f64 {
        node.attribute(attribute)
            .and_then(|v| v.parse().ok())
            .expect("numeric attribute")
    }

    /// The CSP forbids inline styles, and the svg must be labelled by its own title and desc.
    fn assert_csp_safe_and_labelled(doc: &Document<'_>) {
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
    fn real_wijken_map_has_one_titled_shape_per_wijk() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/wijken.geojson");
        let text = std::fs::read_to_string(path).expect("fixtures/wijken.geojson");
        let collection: serde_json::Value = serde_json::from_str(&text).unwrap();
        let features = collection["features"].as_array().unwrap();
        let geometries: Vec<String> = features.iter().map(|f| f["geometry"].to_string()).collect();
        let names: Vec<&str> = features
            .iter()
            .map(|f| f["properties"]["wijk_naam"].as_str().unwrap())
            .collect();
        let codes: Vec<&str> = features
            .iter()
            .map(|f| f["properties"]["wijk_code"].as_str().unwrap())
            .collect();
        let areas: Vec<MapArea<'_>> = (0..features.len())
            .map(|i| MapArea {
                code: codes[i],
                name: names[i],
                geometry: &geometries[i],
                value: if i % 7 == 3 { None } else { Some(i as f64) },
                label: if i % 7 == 3 {
                    "<5".to_string()
                } else {
                    format!("{i}%")
                },
                priority: i % 5 == 0,
                href: Some(format!("/lift/wijk/{}", codes[i])),
            })
            .collect();

        let svg = wijk_map("kaart", "Aandeel per wijk", &areas)
            .expect("valid map")
            .into_string();
        let doc = parse(&svg);
        assert_csp_safe_and_labelled(&doc);
        let shapes = elements_with_class(&doc, "path", "lift-wijk");
        assert_eq!(shapes.len(), 44);
        for name in &names {
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
        let areas = [
            area("Gat", SQUARE_WITH_HOLE, Some(1.0), "1"),
            area("Eilanden", TWO_ISLANDS, Some(2.0), "2"),
        ];
        let svg = wijk_map("m", "Kaart", &areas).unwrap().into_string();
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
        let areas = [
            area("Schildersbuurt", SQUARE, None, "<5"),
            area("Zonder", SQUARE_WITH_HOLE, Some(f64::NAN), ""),
            area("Met cijfer", TWO_ISLANDS, Some(12.0), "12"),
        ];
        let svg = wijk_map("p1", "Kaart", &areas).unwrap().into_string();
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
        let mut special = area("Schildersbuurt", SQUARE, Some(12.0), "12%");
        special.priority = true;
        let areas = [special, area("Gewoon", SQUARE_WITH_HOLE, Some(3.0), "3%")];
        let svg = wijk_map("p2", "Kaart", &areas).unwrap().into_string();
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
        let five: Vec<MapArea<'_>> = (0..10).map(|i| area("W", SQUARE, Some(i as f64), "x")).collect();
        let svg = wijk_map("c", "Kaart", &five).unwrap().into_string();
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
            area("A", SQUARE, Some(7.0), "7"),
            area("B", SQUARE_WITH_HOLE, Some(7.0), "7"),
        ];
        let svg = wijk_map("c", "Kaart", &equal).unwrap().into_string();
        let doc = parse(&svg);
        let legend_swatches = elements_with_class(&doc, "rect", "lift-legend-swatch");
        assert_eq!(legend_swatches.len(), 3, "one class, hatch and priority");
    }

    #[test]
    fn invalid_geometry_is_an_error() {
        let invalid = [
            "not json",
            r#"{"type":"Point","coordinates":[4.3,52.1]}"#,
            r#"{"type":"Polygon","coordinates":[[[4.3,52.1],[4.4,52.1],[4.3,52.1]]]}"#,
            r#"{"type":"Polygon","coordinates":[]}"#,
            r#"{"type":"MultiPolygon","coordinates":[]}"#,
            r#"{"type":"Polygon","coordinates":[[[4.3],[4.4,52.1],[4.4,52.2],[4.3]]]}"#,
            r#"{"type":"Polygon","coordinates":[[[400,52],[4.4,52.1],[4.4,52.2],[400,52]]]}"#,
            r#"{"type":"Polygon"}"#,
        ];
        for geometry in invalid {
            let areas = [area("Kapot", geometry, Some(1.0), "1")];
            let error = wijk_map("e", "Kaart", &areas).expect_err(geometry);
            assert!(error.to_string().contains("Kapot"));
        }
    }

    #[test]
    fn degenerate_maps_render_without_panicking() {
        let empty = wijk_map("leeg", "Kaart", &[]).unwrap().into_string();
        assert!(
            parse(&empty)
                .descendants()
                .any(|n| n.text() == Some("geen gegevens"))
        );
        let point = r#"{"type":"Polygon","coordinates":[[[4.3,52.1],[4.3,52.1],[4.3,52.1],[4.3,52.1]]]}"#;
        let areas = [area("Punt", point, None, "")];
        parse(&wijk_map("punt", "Kaart", &areas).unwrap().into_string());
    }

    #[test]
    fn text_is_escaped_and_ids_are_sanitised() {
        let areas = [area("<script>&", SQUARE, None, "<5")];
        let svg = wijk_map("x\" onload=\"evil", "a<b", &areas)
            .unwrap()
            .into_string();
        assert!(!svg.contains("<script>"));
        let doc = parse(&svg);
        let shape = &elements_with_class(&doc, "path", "lift-wijk")[0];
        assert_eq!(child_title(shape), "<script>&: <5");
        assert!(doc.descendants().all(|n| n.attribute("onload").is_none()));
        assert_eq!(ChartIds::new("9 x").hatch(), "lift-9x-hatch");
        assert_eq!(ChartIds::new("").title(), "lift-chart-title");
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

    #[test]
    fn numbers_are_short_and_dutch() {
        assert_eq!(fmt_decimals(12.345, 1), "12.3");
        assert_eq!(fmt_decimals(12.0, 2), "12");
        assert_eq!(fmt_decimals(-0.04, 1), "0");
        assert_eq!(legend_number(12.5), "12,5");
        assert_eq!(legend_number(3.0), "3");
    }
}
