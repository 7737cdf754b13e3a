//! What every handler can reach: the domain's services plus what only the
//! HTTP layer needs.

use std::ops::Deref;
use std::sync::Arc;

use axum::http::HeaderValue;

use super::charts::WijkOutlines;
use super::client::TrustedProxies;
use crate::services::Services;

#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    /// Session cookies get the `Secure` flag: set when served over TLS.
    pub secure_cookies: bool,
    /// The wijk outlines of the lift map, parsed once.
    pub wijk_outlines: Arc<WijkOutlines>,
    /// Whose `X-Forwarded-For` names the client (see `web::client`).
    pub trusted_proxies: Arc<TrustedProxies>,
    /// Origins whose pages may call the API from a browser (CORS); none by
    /// default.
    pub cors_origins: Arc<Vec<HeaderValue>>,
    /// Where users reach this service (`https://banenlift.denhaag.nl`),
    /// without a trailing slash: the start of absolute links, such as a
    /// sitemap's and a feed's next page.
    pub public_url: Arc<str>,
}

impl AppState {
    pub fn new(services: Services, secure_cookies: bool, public_url: &str) -> Self {
        Self {
            services,
            secure_cookies,
            wijk_outlines: Arc::new(WijkOutlines::load()),
            trusted_proxies: Arc::default(),
            cors_origins: Arc::default(),
            public_url: public_url.trim_end_matches('/').into(),
        }
    }

    /// Browsers may call the API from pages on these origins, as
    /// `config::parse_origin` checked them.
    pub fn with_cors_origins(mut self, origins: &[String]) -> Self {
        self.cors_origins = Arc::new(
            origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o).ok())
                .collect(),
        );
        self
    }

    /// Behind a load balancer: believe these proxies' `X-Forwarded-For`.
    pub fn with_trusted_proxies(mut self, proxies: TrustedProxies) -> Self {
        self.trusted_proxies = Arc::new(proxies);
        self
    }
}

/// Handlers pass `&state` where a service wants `&Services`.
impl Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.services
    }
}
