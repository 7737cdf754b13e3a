//! Den Haag's wijken and PC4 postcodes, and distances between points.
//! Loaded once from the database; no IO here.

use serde::Serialize;

/// Mean earth radius used by the haversine formula.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

impl Point {
    /// A point only when both coordinates are real WGS84 values.
    pub fn new(lat: f64, lon: f64) -> Option<Self> {
        let valid = lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0;
        valid.then_some(Self { lat, lon })
    }

    /// Great-circle distance in kilometres.
    ///
    /// ```
    /// use banenlift::geo::Point;
    /// let centraal = Point::new(52.0808, 4.3235).unwrap();
    /// let hollands_spoor = Point::new(52.0703, 4.3218).unwrap();
    /// assert!((centraal.distance_km(hollands_spoor) - 1.17).abs() < 0.05);
    /// ```
    pub fn distance_km(self, other: Point) -> f64 {
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.lon - self.lon).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
    }

    /// A latitude/longitude box that contains every point within `radius_km`;
    /// a cheap pre-check before the exact distance.
    pub fn bounding_box(self, radius_km: f64) -> BoundingBox {
        let dlat = (radius_km / EARTH_RADIUS_KM).to_degrees();
        let cos_lat = self.lat.to_radians().cos().max(1e-6);
        let dlon = (radius_km / (EARTH_RADIUS_KM * cos_lat)).to_degrees();
        BoundingBox {
            min_lat: self.lat - dlat,
            max_lat: self.lat + dlat,
            min_lon: self.lon - dlon,
            max_lon: self.lon + dlon,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct BoundingBox {
    pub min_lat: f64,
    pub max_lat: f64,
    pub min_lon: f64,
    pub max_lon: f64,
}

impl BoundingBox {
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        (self.min_lat..=self.max_lat).contains(&lat) && (self.min_lon..=self.max_lon).contains(&lon)
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Wijk {
    pub code: String,
    pub number: i64,
    pub name: String,
    pub stadsdeel: String,
    pub lat: f64,
    pub lon: f64,
    /// A point guaranteed to lie inside the polygon (for labels and demo data).
    pub inner_lat: f64,
    pub inner_lon: f64,
    pub area_km2: f64,
}

impl Wijk {
    pub fn centroid(&self) -> Point {
        Point {
            lat: self.lat,
            lon: self.lon,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Postcode {
    pub pc4: String,
    pub woonplaats: String,
    pub lat: f64,
    pub lon: f64,
    pub wijk_code: Option<String>,
}

/// The eight stadsdelen, in a fixed order: the index stores a stadsdeel as its
/// position here.
pub const STADSDELEN: [&str; 8] = [
    "Centrum",
    "Escamp",
    "Haagse Hout",
    "Laak",
    "Leidschenveen-Ypenburg",
    "Loosduinen",
    "Scheveningen",
    "Segbroek",
];

pub fn stadsdeel_ordinal(name: &str) -> Option<u64> {
    STADSDELEN.iter().position(|s| *s == name).map(|i| i as u64)
}

/// The loaded reference geography.
#[derive(Debug, Clone, Default)]
pub struct Geo {
    wijken: Vec<Wijk>,
    postcodes: Vec<Postcode>,
}

impl Geo {
    pub fn new(mut wijken: Vec<Wijk>, postcodes: Vec<Postcode>) -> Self {
        // By code, so that `find_wijk` can binary-search it (CBS codes sort
        // like the wijk numbers: same prefix, two digits).
        wijken.sort_by(|a, b| a.code.cmp(&b.code));
        Self { wijken, postcodes }
    }

    pub fn wijken(&self) -> &[Wijk] {
        &self.wijken
    }

    /// A wijk by CBS code ("WK051828") or by name ("centrum"), ignoring case
    /// and surrounding spaces.
    pub fn find_wijk(&self, code_or_name: &str) -> Option<&Wijk> {
        let wanted = code_or_name.trim();
        // A code is what stored data holds: look it up first.
        if let Ok(i) = self.wijken.binary_search_by(|w| w.code.as_str().cmp(wanted)) {
            return self.wijken.get(i);
        }
        self.wijken
            .iter()
            .find(|w| w.code.eq_ignore_ascii_case(wanted) || w.name.eq_ignore_ascii_case(wanted))
    }

    pub fn find_postcode(&self, pc4: &str) -> Option<&Postcode> {
        self.postcodes.iter().find(|p| p.pc4 == pc4.trim())
    }

    /// The wijk a point lies in, judged by the nearest known place (a
    /// postcode's centre or a wijk's inner point) within `max_km`: without
    /// the polygons, this is as close as the loaded geography tells.
    pub fn wijk_near(&self, point: Point, max_km: f64) -> Option<&Wijk> {
        let postcodes = self.postcodes.iter().filter_map(|p| {
            let code = p.wijk_code.as_deref()?;
            Some((
                Point {
                    lat: p.lat,
                    lon: p.lon,
                },
                code,
            ))
        });
        let inner = self.wijken.iter().map(|w| {
            (
                Point {
                    lat: w.inner_lat,
                    lon: w.inner_lon,
                },
                w.code.as_str(),
            )
        });
        let (distance, code) = postcodes
            .chain(inner)
            .map(|(place, code)| (place.distance_km(point), code))
            .min_by(|a, b| a.0.total_cmp(&b.0))?;
        if distance <= max_km {
            self.find_wijk(code)
        } else {
            None
        }
    }

    /// Position of a wijk in the sorted list, as stored in the index.
    pub fn wijk_ordinal(&self, code: &str) -> Option<u64> {
        self.wijken.iter().position(|w| w.code == code).map(|i| i as u64)
    }

    pub fn wijk_by_ordinal(&self, ordinal: u64) -> Option<&Wijk> {
        self.wijken.get(ordinal as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_between_den_haag_stations_is_about_1_2_km() {
        let centraal = Point::new(52.080842, 4.323527).unwrap();
        let hs = Point::new(52.070279, 4.321764).unwrap();
        let d = centraal.distance_km(hs);
        assert!((1.1..1.3).contains(&d), "{d}");
        assert_eq!(centraal.distance_km(centraal), 0.0);
    }

    #[test]
    fn bounding_box_contains_every_point_within_the_radius() {
        let centre = Point::new(52.07, 4.30).unwrap();
        let bbox = centre.bounding_box(3.0);
        for step in 0..36 {
            let angle = f64::from(step) * 10f64.to_radians();
            let p = Point::new(52.07 + 0.0269 * angle.sin(), 4.30 + 0.0438 * angle.cos()).unwrap();
            if centre.distance_km(p) <= 3.0 {
                assert!(bbox.contains(p.lat, p.lon));
            }
        }
        assert!(!bbox.contains(52.2, 4.30));
    }

    #[test]
    fn rejects_impossible_coordinates() {
        assert!(Point::new(91.0, 4.0).is_none());
        assert!(Point::new(f64::NAN, 4.0).is_none());
    }
}
