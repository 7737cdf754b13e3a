//! The open offers as matching needs them, in memory: what the scorer
//! reads and what a match shows, without the descriptions. The index finds
//! candidates and these tables hand over their facts, so that matching a
//! resident reads no offer from the database. Like the index they are
//! derived data: the index sync fills them from the database and keeps
//! them current from the outbox.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::OfferFacts;
use crate::geo::Point;

/// Both tables, as the services and the index sync share them.
#[derive(Debug, Default)]
pub struct OpenOffers {
    pub vacancies: OpenTable<OpenVacancy>,
    pub trainings: OpenTable<OpenTraining>,
}

/// What a table is keyed by.
pub trait Keyed {
    fn key(&self) -> &str;
}

/// An open vacancy without its texts: `facts.text` is empty here, since
/// keeping every description in memory would cost more than reading the
/// few a free-text skill needs.
#[derive(Debug, Clone)]
pub struct OpenVacancy {
    pub id: String,
    pub title: String,
    pub employer: String,
    pub facts: OfferFacts,
}

impl Keyed for OpenVacancy {
    fn key(&self) -> &str {
        &self.id
    }
}

/// An open training as a route to a missing skill shows it.
#[derive(Debug, Clone)]
pub struct OpenTraining {
    pub id: String,
    pub title: String,
    pub provider: String,
    pub wijk_code: String,
    pub point: Point,
    pub skills: Vec<String>,
    pub duration_weeks: i64,
    pub cost: String,
}

impl Keyed for OpenTraining {
    fn key(&self) -> &str {
        &self.id
    }
}

/// Open offers of one kind by id.
#[derive(Debug)]
pub struct OpenTable<T> {
    by_id: RwLock<HashMap<String, Arc<T>>>,
}

impl<T> Default for OpenTable<T> {
    fn default() -> Self {
        Self {
            by_id: RwLock::default(),
        }
    }
}

type Map<T> = HashMap<String, Arc<T>>;

impl<T: Keyed> OpenTable<T> {
    /// These offers, in the order asked, leaving out any that closed.
    pub fn get_many(&self, ids: &[String]) -> Vec<Arc<T>> {
        let by_id = self.read();
        ids.iter().filter_map(|id| by_id.get(id).cloned()).collect()
    }

    /// Replaces the whole table, as after reading every open offer.
    pub fn replace_all(&self, offers: Vec<T>) {
        let fresh = offers
            .into_iter()
            .map(|o| (o.key().to_string(), Arc::new(o)))
            .collect();
        *self.write() = fresh;
    }

    /// Applies changed offers: the current state of each, or `None` for
    /// one that closed or was removed.
    pub fn apply(&self, changes: impl IntoIterator<Item = (String, Option<T>)>) {
        let mut by_id = self.write();
        for (id, now) in changes {
            match now {
                Some(v) => by_id.insert(id, Arc::new(v)),
                None => by_id.remove(&id),
            };
        }
    }

    // A panic while holding the lock cannot leave a half-written map (each
    // write is one insert, remove or swap), so a poisoned lock is still sound.
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Map<T>> {
        self.by_id
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Map<T>> {
        self.by_id
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vacancy(id: &str, title: &str) -> OpenVacancy {
        OpenVacancy {
            id: id.to_string(),
            title: title.to_string(),
            employer: "Werkgever".to_string(),
            facts: crate::matching::tests::offer(),
        }
    }

    #[test]
    fn changes_replace_add_and_remove_vacancies_and_lookups_keep_the_order_asked() {
        let table = OpenTable::<OpenVacancy>::default();
        table.replace_all(vec![vacancy("a", "Kok"), vacancy("b", "Schoonmaker")]);
        table.apply([
            ("a".to_string(), Some(vacancy("a", "Chef-kok"))),
            ("b".to_string(), None),
            ("c".to_string(), Some(vacancy("c", "Chauffeur"))),
        ]);
        let ids = ["c", "b", "a"].map(String::from);
        let titles: Vec<String> = table.get_many(&ids).iter().map(|v| v.title.clone()).collect();
        assert_eq!(titles, ["Chauffeur", "Chef-kok"]);
        table.replace_all(vec![vacancy("d", "Kapper")]);
        let all = ["a", "c", "d"].map(String::from);
        let left: Vec<String> = table.get_many(&all).iter().map(|v| v.id.clone()).collect();
        assert_eq!(left, ["d"], "a full reload replaces everything");
    }
}
