//! What every handler can reach: the domain's services plus what only the
//! HTTP layer needs.

use std::ops::Deref;
use std::sync::Arc;

use super::charts::WijkOutlines;
use crate::services::Services;

#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    /// Session cookies get the `Secure` flag: set when served over TLS.
    pub secure_cookies: bool,
    /// The wijk outlines of the lift map, parsed once.
    pub wijk_outlines: Arc<WijkOutlines>,
}

impl AppState {
    pub fn new(services: Services, secure_cookies: bool) -> Self {
        Self {
            services,
            secure_cookies,
            wijk_outlines: Arc::new(WijkOutlines::load()),
        }
    }
}

/// Handlers pass `&state` where a service wants `&Services`.
impl Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.services
    }
}
