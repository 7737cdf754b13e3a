//! The client's address. Behind a load balancer every connection comes from
//! the balancer, and `X-Forwarded-For` names the client. That header is
//! honoured only on connections from configured proxies: anyone else can
//! write any address into it, and would then escape the per-address login
//! limit.

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` is believed. Empty by default.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(networks: Vec<IpNet>) -> Self {
        Self(networks)
    }

    fn trusts(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The address of the client behind `peer`. The chain is read from the
    /// right, the end the proxies appended to: each trusted hop vouches for
    /// the address before it, and the first one not trusted is the client.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let chain: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .collect();
        let mut client = peer;
        for hop in chain.iter().rev() {
            let Ok(address) = hop.trim().parse::<IpAddr>() else {
                break;
            };
            client = address;
            if !self.trusts(address) {
                break;
            }
        }
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_proxy;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append("x-forwarded-for", value.parse().unwrap());
        }
        map
    }

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::new(list.iter().map(|p| parse_proxy(p).unwrap()).collect())
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let trusted = proxies(&["10.0.0.5"]);
        let forwarded = headers(&["203.0.113.7"]);
        assert_eq!(trusted.client(ip("10.0.0.5"), &forwarded), ip("203.0.113.7"));
        assert_eq!(trusted.client(ip("198.51.100.1"), &forwarded), ip("198.51.100.1"));
        assert_eq!(
            TrustedProxies::default().client(ip("10.0.0.5"), &forwarded),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn a_forged_start_of_the_chain_is_ignored() {
        // The client sent "1.2.3.4" itself; the proxy appended the real address.
        let trusted = proxies(&["10.0.0.0/24"]);
        let forwarded = headers(&["1.2.3.4, 203.0.113.7"]);
        assert_eq!(trusted.client(ip("10.0.0.5"), &forwarded), ip("203.0.113.7"));
        // Two trusted hops, and the header split over two lines.
        let chained = headers(&["1.2.3.4, 203.0.113.7", "10.0.0.9"]);
        assert_eq!(trusted.client(ip("10.0.0.5"), &chained), ip("203.0.113.7"));
    }

    #[test]
    fn garbage_stops_the_walk_at_the_last_good_hop() {
        let trusted = proxies(&["10.0.0.5", "::1"]);
        assert_eq!(
            trusted.client(ip("10.0.0.5"), &headers(&["nonsense"])),
            ip("10.0.0.5")
        );
        assert_eq!(
            trusted.client(ip("::ffff:10.0.0.5"), &headers(&["203.0.113.7"])),
            ip("203.0.113.7")
        );
    }
}
