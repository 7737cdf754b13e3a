//! The narrow context the domain services run on: the store, the search
//! handle, the reference data and the scoring policy. It knows nothing of
//! HTTP; the web layer wraps it in its own state.

use std::sync::Arc;

use tokio::sync::Notify;

use crate::geo::Geo;
use crate::matching::ScoringPolicy;
use crate::matching::open::OpenOffers;
use crate::reference::Context;
use crate::search::SearchIndex;
use crate::skills::{Taxonomy, Vocabulary};
use crate::storage::Store;

#[derive(Clone)]
pub struct Services {
    pub store: Store,
    pub search: Arc<SearchIndex>,
    pub geo: Arc<Geo>,
    pub vocabulary: Arc<Vocabulary>,
    pub taxonomy: Arc<Taxonomy>,
    /// Open offers in memory for matching, fed by the index sync.
    pub open: Arc<OpenOffers>,
    /// How matches weigh the social lift toward the priority wijken.
    pub policy: Arc<ScoringPolicy>,
    /// Wakes the index sync after a write.
    pub index_notify: Arc<Notify>,
}

impl Services {
    pub fn context(&self) -> Context<'_> {
        Context {
            geo: &self.geo,
            vocabulary: &self.vocabulary,
            taxonomy: &self.taxonomy,
        }
    }
}
