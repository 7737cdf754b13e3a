//! Wijk outlines: GeoJSON parsed once into polygons, and projected onto the map's drawing area.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;

use super::coord;
use crate::geo::Wijk;

/// Width of the map's drawing area, in SVG units.
pub(super) const MAP_WIDTH: f64 = 600.0;
/// Keeps a very tall selection of wijken from producing an endless map.
const MAP_MAX_HEIGHT: f64 = 700.0;
pub(super) const MAP_MARGIN: f64 = 10.0;

/// A wijk geometry that could not be read; the message names the wijk.
#[derive(Debug)]
pub struct MapError(pub String);

impl fmt::Display for MapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MapError {}

/// `(lon, lat)` in degrees.
type Ring = Vec<(f64, f64)>;
/// Exterior ring first, then holes.
type Polygon = Vec<Ring>;
type RawPolygon = Vec<Vec<Vec<f64>>>;

/// The outline of one wijk: one or more polygons, WGS84.
#[derive(Debug)]
pub struct WijkShape {
    polygons: Vec<Polygon>,
}

/// Every wijk's outline by CBS code. The GeoJSON is parsed once, so drawing a map never reads JSON.
#[derive(Debug, Default)]
pub struct WijkShapes {
    by_code: HashMap<String, WijkShape>,
}

impl WijkShapes {
    /// Parses each wijk's GeoJSON geometry, as `crate::fixtures::wijken()` returns them. One invalid
    /// geometry fails the whole set, naming that wijk.
    pub fn parse(wijken: &[(Wijk, String)]) -> Result<Self, MapError> {
        let by_code = wijken
            .iter()
            .map(|(wijk, geometry)| {
                let shape = WijkShape::from_geojson(geometry).map_err(|detail| {
                    MapError(format!(
                        "invalid geometry for wijk {} ({}): {detail}",
                        wijk.name, wijk.code
                    ))
                })?;
                Ok((wijk.code.clone(), shape))
            })
            .collect::<Result<_, MapError>>()?;
        Ok(WijkShapes { by_code })
    }

    /// The outline of the wijk with this CBS code, e.g. "WK051828".
    pub fn get(&self, code: &str) -> Option<&WijkShape> {
        self.by_code.get(code)
    }
}

#[derive(Deserialize)]
struct RawGeometry {
    #[serde(rename = "type")]
    kind: String,
    coordinates: serde_json::Value,
}

impl WijkShape {
    /// A GeoJSON geometry object as JSON text, WGS84 `[lon, lat]`; "Polygon" or "MultiPolygon".
    pub(super) fn from_geojson(json: &str) -> Result<Self, String> {
        let raw: RawGeometry = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let polygons: Vec<RawPolygon> = match raw.kind.as_str() {
            "Polygon" => vec![serde_json::from_value(raw.coordinates).map_err(|e| e.to_string())?],
            "MultiPolygon" => serde_json::from_value(raw.coordinates).map_err(|e| e.to_string())?,
            other => return Err(format!("unsupported geometry type {other:?}")),
        };
        if polygons.is_empty() {
            return Err("MultiPolygon without polygons".to_string());
        }
        let polygons = polygons.into_iter().map(to_polygon).collect::<Result<_, _>>()?;
        Ok(WijkShape { polygons })
    }

    fn positions(&self) -> impl Iterator<Item = &(f64, f64)> {
        self.polygons.iter().flatten().flatten()
    }
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
pub(super) struct Projection {
    origin_lon: f64,
    top_lat: f64,
    x_factor: f64,
    scale: f64,
    offset_x: f64,
    /// Height of the drawn wijken including the margins; the legend goes below.
    pub(super) map_height: f64,
}

impl Projection {
    /// Fits the shapes into the drawing area; None when there is nothing to draw.
    pub(super) fn fitting<'s>(shapes: impl Iterator<Item = &'s WijkShape>) -> Option<Self> {
        BoundingBox::around(shapes.flat_map(WijkShape::positions)).map(|bbox| Self::fit(&bbox))
    }

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

    /// `M x y L x y … Z` per ring; points that round to the same spot are dropped to keep the SVG small.
    pub(super) fn path_data(&self, shape: &WijkShape) -> String {
        let mut data = String::new();
        for ring in shape.polygons.iter().flatten() {
            let mut previous: Option<(String, String)> = None;
            for &position in ring {
                let (x, y) = self.project(position);
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
}

/// The wijken of the compiled-in fixtures, in their order, with their
/// outlines: parsed once at start, drawn on every map.
#[derive(Debug, Default)]
pub struct WijkOutlines {
    pub wijken: Vec<Wijk>,
    pub shapes: WijkShapes,
}

impl WijkOutlines {
    /// A broken fixture leaves the map empty rather than the whole page
    /// unavailable.
    pub fn load() -> Self {
        let parsed = crate::fixtures::wijken()
            .map_err(anyhow::Error::from)
            .and_then(|wijken| Ok((WijkShapes::parse(&wijken)?, wijken)));
        match parsed {
            Ok((shapes, wijken)) => Self {
                wijken: wijken.into_iter().map(|(wijk, _)| wijk).collect(),
                shapes,
            },
            Err(e) => {
                tracing::error!(error = %e, "wijk geometry missing or invalid; the map stays empty");
                Self::default()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wijk(name: &str) -> Wijk {
        Wijk {
            code: "WK000000".to_string(),
            number: 0,
            name: name.to_string(),
            stadsdeel: "Nergens".to_string(),
            lat: 52.07,
            lon: 4.3,
            inner_lat: 52.07,
            inner_lon: 4.3,
            area_km2: 1.0,
        }
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
            let wijken = [(wijk("Kapot"), geometry.to_string())];
            let error = WijkShapes::parse(&wijken).expect_err(geometry);
            assert!(error.to_string().contains("Kapot"));
        }
    }
}
