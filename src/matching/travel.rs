//! How long a trip takes. A deliberately simple, documented model:
//! straight line × detour factor ÷ the mode's door-to-door speed, plus a fixed
//! overhead for getting going (walking to a stop and waiting, parking).
//!
//! Speeds: walking 4.5 km/h (the usual modelling value; KiM's *Loopfeiten*
//! implies ≈3.9 km/h including leisure walks), cycling 12.4 km/h (KiM),
//! HTM tram 16.8–20.1 km/h scheduled commercial speed on lines 1, 9, 11, 12,
//! 16 and 17 in 2018 (we use 18 km/h), car 30 km/h in town. Public transport
//! adds 10 minutes: walking to and from stops within the 400–500 m catchment
//! and waiting half of a ~10-minute headway. The car adds 5 minutes to park.

use serde::{Deserialize, Serialize};

/// Streets are not straight lines.
pub const DETOUR_FACTOR: f64 = 1.3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TravelMode {
    Lopen,
    Fiets,
    Ov,
    Auto,
}

impl TravelMode {
    pub const ALL: [TravelMode; 4] = [Self::Lopen, Self::Fiets, Self::Ov, Self::Auto];

    pub fn code(self) -> &'static str {
        match self {
            Self::Lopen => "lopen",
            Self::Fiets => "fiets",
            Self::Ov => "ov",
            Self::Auto => "auto",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|m| m.code().eq_ignore_ascii_case(text.trim()))
    }

    fn speed_kmh(self) -> f64 {
        match self {
            Self::Lopen => 4.5,
            Self::Fiets => 12.4,
            Self::Ov => 18.0,
            Self::Auto => 30.0,
        }
    }

    fn overhead_minutes(self) -> f64 {
        match self {
            Self::Lopen | Self::Fiets => 0.0,
            Self::Ov => 10.0,
            Self::Auto => 5.0,
        }
    }

    /// Door-to-door minutes for a straight-line distance.
    pub fn minutes(self, straight_km: f64) -> f64 {
        self.overhead_minutes() + straight_km * DETOUR_FACTOR / self.speed_kmh() * 60.0
    }

    /// The longest straight-line distance that fits in `minutes`.
    pub fn reach_km(self, minutes: f64) -> f64 {
        ((minutes - self.overhead_minutes()).max(0.0) / 60.0) * self.speed_kmh() / DETOUR_FACTOR
    }

    /// Dutch verb phrase for reasons: "fietsen", "met het OV".
    pub fn dutch(self) -> &'static str {
        match self {
            Self::Lopen => "lopen",
            Self::Fiets => "fietsen",
            Self::Ov => "met het OV",
            Self::Auto => "met de auto",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_and_reach_are_inverse() {
        for mode in TravelMode::ALL {
            let km = mode.reach_km(30.0);
            assert!((mode.minutes(km) - 30.0).abs() < 1e-9, "{mode:?}");
        }
    }

    #[test]
    fn three_km_by_bike_is_about_a_quarter_hour() {
        let minutes = TravelMode::Fiets.minutes(3.0);
        assert!((18.0..20.0).contains(&minutes), "{minutes}");
        assert!(TravelMode::Lopen.minutes(3.0) > TravelMode::Ov.minutes(3.0));
    }
}
