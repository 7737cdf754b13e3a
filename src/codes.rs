//! The fixed code lists that offers, filters and facets share. Codes are the
//! API contract (lowercase ASCII); `label` is what a resident reads.

use serde::{Deserialize, Serialize};

/// One closed list of codes. The index stores a code as its position in
/// `ALL`, so the order of each list is part of the index schema.
pub trait Code: Copy + Eq + Sized + 'static {
    const ALL: &'static [Self];
    fn code(self) -> &'static str;
    fn label(self) -> &'static str;

    fn parse(text: &str) -> Option<Self> {
        let wanted = text.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|c| c.code().eq_ignore_ascii_case(wanted))
    }

    fn ordinal(self) -> u64 {
        Self::ALL.iter().position(|c| *c == self).unwrap_or(0) as u64
    }

    fn from_ordinal(ordinal: u64) -> Option<Self> {
        Self::ALL.get(ordinal as usize).copied()
    }

    /// All codes, comma separated, for error messages.
    fn list() -> String {
        Self::ALL.iter().map(|c| c.code()).collect::<Vec<_>>().join(", ")
    }
}

macro_rules! code_list {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant,)+
        }

        impl Code for $name {
            const ALL: &'static [Self] = &[$(Self::$variant,)+];
            fn code(self) -> &'static str {
                match self { $(Self::$variant => $code,)+ }
            }
            fn label(self) -> &'static str {
                match self { $(Self::$variant => $label,)+ }
            }
        }
    };
}

code_list!(
    /// Sector of an employer, a vacancy or (through its occupations) a training.
    Sector {
        Logistiek => "logistiek", "Logistiek en transport";
        Zorg => "zorg", "Zorg en welzijn";
        Horeca => "horeca", "Horeca";
        Schoonmaak => "schoonmaak", "Schoonmaak en facilitair";
        Detailhandel => "detailhandel", "Detailhandel";
        Bouw => "bouw", "Bouw en techniek";
        Kinderopvang => "kinderopvang", "Kinderopvang";
        Beveiliging => "beveiliging", "Beveiliging";
        Klantcontact => "klantcontact", "Klantcontact";
        Overheid => "overheid", "Overheid";
        Ict => "ict", "ICT";
        Groen => "groen", "Groen en tuinbouw";
        Administratie => "administratie", "Administratie en financiën";
    }
);

code_list!(
    Contract {
        Vast => "vast", "Vast contract";
        Tijdelijk => "tijdelijk", "Tijdelijk contract";
        Uitzend => "uitzend", "Via uitzendbureau";
        Oproep => "oproep", "Oproepcontract";
    }
);

code_list!(
    /// Education levels, lowest first: the order is the ranking that the
    /// "highest level a hit may require" filter compares.
    Education {
        Geen => "geen", "Geen diploma nodig";
        Mbo1 => "mbo1", "MBO 1 (entree)";
        Mbo2 => "mbo2", "MBO 2";
        Mbo3 => "mbo3", "MBO 3";
        Mbo4 => "mbo4", "MBO 4";
        Hbo => "hbo", "HBO";
        Wo => "wo", "WO";
    }
);

code_list!(
    /// CEFR levels of Dutch, lowest first.
    DutchLevel {
        A1 => "A1", "A1 (beginner)";
        A2 => "A2", "A2 (eenvoudig)";
        B1 => "B1", "B1 (gemiddeld)";
        B2 => "B2", "B2 (goed)";
        C1 => "C1", "C1 (zeer goed)";
        C2 => "C2", "C2 (moedertaal)";
    }
);

code_list!(
    TrainingKind {
        Mbo => "mbo", "MBO-opleiding";
        Cursus => "cursus", "Korte cursus";
        Taal => "taal", "Taalcursus";
    }
);

code_list!(
    Cost {
        Gratis => "gratis", "Gratis";
        Gesubsidieerd => "gesubsidieerd", "Gesubsidieerd";
        Betaald => "betaald", "Betaald";
    }
);

code_list!(
    SalaryPeriod {
        Uur => "uur", "per uur";
        Maand => "maand", "per maand";
        Jaar => "jaar", "per jaar";
    }
);

/// Which kind of offer: a vacancy or a training. Also the outbox's entity
/// and the prefix of an offer's index key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OfferKind {
    Vacancy,
    Training,
}

impl OfferKind {
    pub fn ordinal(self) -> u64 {
        match self {
            Self::Vacancy => 0,
            Self::Training => 1,
        }
    }

    /// The outbox's `entity` value.
    pub fn entity(self) -> &'static str {
        match self {
            Self::Vacancy => "vacancy",
            Self::Training => "training",
        }
    }

    pub fn from_entity(entity: &str) -> Option<Self> {
        match entity {
            "vacancy" => Some(Self::Vacancy),
            "training" => Some(Self::Training),
            _ => None,
        }
    }

    pub fn key(self, id: &str) -> String {
        format!("{}:{id}", self.entity())
    }
}

/// The states of a contact request, as stored and shown.
pub mod contact_status {
    pub const OPEN: &str = "open";
    pub const ACCEPTED: &str = "geaccepteerd";
    pub const DECLINED: &str = "afgewezen";
}

/// How a resident who accepted a contact request may be reached.
pub mod contact_route {
    pub const PHONE: &str = "telefoon";
    pub const EMAIL: &str = "email";
    pub const COACH: &str = "werkcoach";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_is_case_insensitive_and_round_trips() {
        assert_eq!(Education::parse("MBO2"), Some(Education::Mbo2));
        assert_eq!(DutchLevel::parse("b1"), Some(DutchLevel::B1));
        assert_eq!(Sector::parse("onbekend"), None);
        for sector in Sector::ALL {
            assert_eq!(Sector::from_ordinal(sector.ordinal()), Some(*sector));
        }
    }

    #[test]
    fn levels_are_ordered_lowest_first() {
        assert!(Education::Geen < Education::Mbo1 && Education::Hbo < Education::Wo);
        assert!(DutchLevel::A2 < DutchLevel::B1);
    }
}
