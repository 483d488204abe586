//! Which peers may tell us the client's address: the trusted reverse proxies.
//!
//! Behind a TLS-terminating proxy every connection comes from the proxy, so the per-address
//! login throttle would key on the proxy and 50 failures from anyone would lock the whole
//! clinic out. The proxy says who its client was in `X-Forwarded-For`, but any client can
//! send that header too, so it is believed only when the TCP peer is a configured proxy
//! ([`TrustedProxy`], `cadence serve --trusted-proxy`), and then only as far as the chain of
//! trusted proxies goes: the client is the right-most entry that is not itself a trusted
//! proxy ([`client_address`]). Entries to its left were written by the client and are ignored.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// A trusted proxy: one address (`10.0.0.5`, `::1`) or a network in CIDR notation
/// (`10.0.0.0/8`, `fd00::/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrustedProxy {
    network: IpAddr,
    prefix: u8,
}

/// Why a `--trusted-proxy` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an IP address or a CIDR network (e.g. 10.0.0.5, 10.0.0.0/8, fd00::/8)")]
pub struct BadProxy(String);

impl TrustedProxy {
    /// Whether `ip` is this proxy or inside this network. IPv4 addresses seen as IPv4-mapped
    /// IPv6 (`::ffff:10.0.0.5`, on a dual-stack listener) match their IPv4 form.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                prefix_matches(&net.octets(), &ip.octets(), self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_matches(&net.octets(), &ip.octets(), self.prefix)
            }
            _ => false,
        }
    }
}

fn prefix_matches(net: &[u8], ip: &[u8], prefix: u8) -> bool {
    let full = usize::from(prefix / 8);
    let rest = prefix % 8;
    if net[..full] != ip[..full] {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    (net[full] & mask) == (ip[full] & mask)
}

impl FromStr for TrustedProxy {
    type Err = BadProxy;

    fn from_str(text: &str) -> Result<TrustedProxy, BadProxy> {
        let bad = || BadProxy(text.to_owned());
        let trimmed = text.trim();
        let (address, prefix) = match trimmed.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (trimmed, None),
        };
        let network: IpAddr = address.parse().map_err(|_| bad())?;
        let network = network.to_canonical();
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?
            }
            Some(_) => return Err(bad()),
        };
        Ok(TrustedProxy { network, prefix })
    }
}

impl fmt::Display for TrustedProxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// The client's address given the TCP peer and the `X-Forwarded-For` values (in header
/// order): the peer itself unless it is a trusted proxy; otherwise, walking the forwarded
/// entries from the right (each added by the proxy that received the connection), the first
/// that is not a trusted proxy. An entry that is not an address ends the walk at the last
/// good one: a trusted proxy writes addresses, so the chain was tampered with before it.
pub fn client_address<'a>(
    peer: IpAddr,
    forwarded_for: impl IntoIterator<Item = &'a str>,
    trusted: &[TrustedProxy],
) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: IpAddr| trusted.iter().any(|t| t.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let entries: Vec<&str> = forwarded_for
        .into_iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for entry in entries.iter().rev() {
        let Ok(ip) = entry.parse::<IpAddr>() else {
            break;
        };
        client = ip.to_canonical();
        if !is_trusted(client) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies(list: &[&str]) -> Vec<TrustedProxy> {
        list.iter().map(|p| p.parse().unwrap()).collect()
    }

    #[test]
    fn addresses_and_networks_parse_and_match() {
        let net: TrustedProxy = "10.1.0.0/16".parse().unwrap();
        assert!(net.contains(ip("10.1.200.3")));
        assert!(!net.contains(ip("10.2.0.1")));
        assert!(net.contains(ip("::ffff:10.1.0.9")), "IPv4-mapped");
        let odd: TrustedProxy = "192.168.0.128/25".parse().unwrap();
        assert!(odd.contains(ip("192.168.0.200")));
        assert!(!odd.contains(ip("192.168.0.100")));
        let one: TrustedProxy = "127.0.0.1".parse().unwrap();
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        let v6: TrustedProxy = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        assert!(!v6.contains(ip("10.0.0.1")));
        let all: TrustedProxy = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("203.0.113.9")));
        assert_eq!(one.to_string(), "127.0.0.1/32");
        for bad in [
            "",
            "proxy",
            "10.0.0.0/",
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/+8",
            "10.0.0.0/8/8",
        ] {
            assert!(bad.parse::<TrustedProxy>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let trusted = proxies(&["10.0.0.2"]);
        assert_eq!(
            client_address(ip("203.0.113.7"), ["198.51.100.1"], &trusted),
            ip("203.0.113.7")
        );
        assert_eq!(
            client_address(ip("127.0.0.1"), ["198.51.100.1"], &[]),
            ip("127.0.0.1"),
            "nothing is trusted by default, loopback included"
        );
    }

    #[test]
    fn the_client_is_the_rightmost_untrusted_entry() {
        let trusted = proxies(&["10.0.0.0/8"]);
        // The client forged an entry on the left; the proxy appended the real address.
        assert_eq!(
            client_address(ip("10.0.0.2"), ["1.2.3.4, 203.0.113.7"], &trusted),
            ip("203.0.113.7")
        );
        // Two trusted hops: skip the inner proxy.
        assert_eq!(
            client_address(
                ip("10.0.0.2"),
                ["1.2.3.4", "203.0.113.7, 10.9.9.9"],
                &trusted
            ),
            ip("203.0.113.7")
        );
        // No header: the proxy itself.
        assert_eq!(client_address(ip("10.0.0.2"), [], &trusted), ip("10.0.0.2"));
        // Every entry trusted: the left-most one.
        assert_eq!(
            client_address(ip("10.0.0.2"), ["10.1.1.1, 10.2.2.2"], &trusted),
            ip("10.1.1.1")
        );
        // Garbage stops the walk at the last good address.
        assert_eq!(
            client_address(ip("10.0.0.2"), ["203.0.113.7, evil, 10.3.3.3"], &trusted),
            ip("10.3.3.3")
        );
    }
}
