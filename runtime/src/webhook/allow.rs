//! `allow_from = ["10.0.0.0/8", "127.0.0.1"]`: which peer addresses may call a webhook.
//!
//! The check is on the TCP connection's peer address, never on a header such as
//! `X-Forwarded-For`, which the caller writes itself. Behind a proxy, list the proxy's address.

use std::net::{IpAddr, SocketAddr};

use crate::{ErrorKind, PluginError};

/// An address and how many leading bits of it a peer must share (32 or 128 for one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Network {
    address: IpAddr,
    prefix: u8,
}

impl Network {
    /// `"10.0.0.0/8"`, `"127.0.0.1"`, `"::1"`, `"fd00::/8"`.
    fn parse(text: &str) -> Option<Network> {
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let address: IpAddr = address.trim().parse().ok()?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.trim().parse::<u8>().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(Network { address, prefix })
    }

    fn contains(&self, peer: IpAddr) -> bool {
        // A v4 peer on a dual-stack socket shows as `::ffff:a.b.c.d`.
        match (self.address, peer.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(peer)) => same_prefix(
                u128::from(net.to_bits()),
                u128::from(peer.to_bits()),
                32,
                self.prefix,
            ),
            (IpAddr::V6(net), IpAddr::V6(peer)) => {
                same_prefix(net.to_bits(), peer.to_bits(), 128, self.prefix)
            }
            _ => false,
        }
    }
}

/// Whether the first `prefix` of `width` bits of `a` and `b` agree.
fn same_prefix(a: u128, b: u128, width: u32, prefix: u8) -> bool {
    let ignored = width - u32::from(prefix);
    ignored == width || (a ^ b) >> ignored == 0
}

/// The networks a webhook accepts calls from; empty accepts every peer.
#[derive(Debug, Clone, Default)]
pub(crate) struct AllowList {
    networks: Vec<Network>,
}

impl AllowList {
    /// The list of `entries`, each checked by `#[webhook]` at compile time.
    ///
    /// # Panics
    /// On an entry that is not an address or CIDR network (the attribute never makes one).
    pub(crate) fn new(entries: &[&str]) -> Self {
        AllowList {
            networks: entries
                .iter()
                .map(|e| {
                    Network::parse(e)
                        .unwrap_or_else(|| panic!("`{e}` is not an address or network"))
                })
                .collect(),
        }
    }

    /// 403 `AUTHORIZATION` unless the list is empty or holds `peer`; a request whose peer is not
    /// known is refused when there is a list.
    pub(crate) fn check(&self, peer: Option<SocketAddr>) -> Result<(), PluginError> {
        if self.networks.is_empty() {
            return Ok(());
        }
        let allowed = peer.is_some_and(|p| self.networks.iter().any(|n| n.contains(p.ip())));
        if allowed {
            Ok(())
        } else {
            Err(PluginError::new(
                ErrorKind::Forbidden,
                "this address is not allowed to call the webhook",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allows(entries: &[&str], peer: &str) -> bool {
        let peer: SocketAddr = peer.parse().unwrap();
        AllowList::new(entries).check(Some(peer)).is_ok()
    }

    #[test]
    fn addresses_and_networks() {
        assert!(allows(&["10.0.0.0/8"], "10.200.3.4:1"));
        assert!(!allows(&["10.0.0.0/8"], "11.0.0.1:1"));
        assert!(allows(&["127.0.0.1"], "127.0.0.1:9"));
        assert!(!allows(&["127.0.0.1"], "127.0.0.2:9"));
        assert!(allows(&["0.0.0.0/0"], "8.8.8.8:1"));
        assert!(allows(&["fd00::/8"], "[fd12::1]:1"));
        assert!(!allows(&["fd00::/8"], "[fe80::1]:1"));
        assert!(allows(&["10.0.0.0/8"], "[::ffff:10.1.1.1]:1"));
        assert!(!allows(&["::1"], "127.0.0.1:1"));
        assert!(allows(&[], "8.8.8.8:1"));
    }

    #[test]
    fn an_unknown_peer_is_refused_when_there_is_a_list() {
        let err = AllowList::new(&["127.0.0.1"]).check(None).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Forbidden);
        assert!(AllowList::new(&[]).check(None).is_ok());
    }

    #[test]
    fn parses_only_addresses_and_prefixes_in_range() {
        for bad in [
            "10.0.0.0/33",
            "::/129",
            "localhost",
            "10.0.0/8",
            "10.0.0.0/x",
        ] {
            assert_eq!(Network::parse(bad), None, "{bad}");
        }
    }
}
