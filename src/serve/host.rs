//! The `Host` check: the preview answers only to names that cannot be pointed at it from another site.
//!
//! Without it, DNS rebinding reads the preview, drafts included: a page on `evil.example` makes its own name
//! resolve to 127.0.0.1, and the browser, seeing the same origin, lets that page fetch `http://evil.example:1111/`
//! from the preview and read the answer. The request still says `Host: evil.example`, so refusing names the author
//! did not use closes the hole. Accepted: `localhost` and `*.localhost` (which browsers resolve to loopback
//! themselves), any loopback address, and the `--interface` address; on a wildcard interface (`0.0.0.0`, `::`),
//! any IP address, since an address literal is its own origin and cannot be rebound. Any port, or none. A request
//! with no `Host` at all (HTTP/1.0) comes from a hand-written client, not a browser, and is served only when the
//! preview listens on loopback.
use std::net::{IpAddr, SocketAddr};

/// Which `Host` values the preview answers to.
#[derive(Debug, Clone, Copy)]
pub struct AllowedHosts {
    interface: IpAddr,
    port: u16,
}

impl AllowedHosts {
    /// For a preview listening on `addr`.
    pub fn new(addr: SocketAddr) -> Self {
        AllowedHosts { interface: addr.ip(), port: addr.port() }
    }

    /// Whether to answer a request whose `Host` (or absolute URI's authority) is `host`.
    pub fn allows(&self, host: Option<&str>) -> bool {
        let Some(host) = host else {
            return self.interface.is_loopback();
        };
        let name = strip_port(host.trim()).trim_end_matches('.').to_ascii_lowercase();
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        let ip = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')).unwrap_or(&name);
        match ip.parse::<IpAddr>() {
            Ok(ip) => ip.to_canonical().is_loopback() || ip == self.interface || self.interface.is_unspecified(),
            Err(_) => false,
        }
    }

    /// The body of the refusal: which host, and how to be let in.
    pub fn refusal(&self, host: Option<&str>) -> String {
        let Some(host) = host else {
            return format!(
                "fanzine serve refused a request without a Host header: on {} only requests naming a host are \
                 served (HTTP/1.1, as browsers send)\n",
                self.interface
            );
        };
        // Shown as text/plain with nosniff; cut short so a long header is not echoed whole.
        let shown: String = host.chars().filter(|c| !c.is_control()).take(100).collect();
        format!(
            "fanzine serve refused the Host `{shown}`: the preview answers only to localhost, loopback addresses and \
             the address given with --interface (a guard against DNS rebinding).\nOpen http://localhost:{}/ \
             instead, or restart it with --interface <this machine's address> to reach it by that address from \
             the network.\n",
            self.port
        )
    }
}

/// `name:port` → `name`, `[::1]:80` → `[::1]`; a bare IPv6 address (no brackets) is left whole.
fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.split_inclusive(']').next().unwrap_or(host);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_and_addresses_are_allowed_with_or_without_a_port() {
        let local = AllowedHosts::new("127.0.0.1:1111".parse().unwrap());
        for host in [
            "localhost",
            "localhost:1111",
            "LOCALHOST.",
            "blog.localhost:8080",
            "127.0.0.1",
            "127.0.0.1:1111",
            "127.1.2.3:80",
            "[::1]",
            "[::1]:1111",
            "[::ffff:127.0.0.1]:1111",
        ] {
            assert!(local.allows(Some(host)), "{host}");
        }
        assert!(local.allows(None), "HTTP/1.0 without a Host, on loopback");
    }

    #[test]
    fn other_names_are_refused() {
        let local = AllowedHosts::new("127.0.0.1:1111".parse().unwrap());
        for host in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "",
            "[::1",
            "10.0.0.2",
        ] {
            assert!(!local.allows(Some(host)), "{host}");
        }
    }

    #[test]
    fn the_interface_address_is_allowed_and_a_wildcard_allows_any_address() {
        let lan = AllowedHosts::new("192.168.1.5:1111".parse().unwrap());
        assert!(lan.allows(Some("192.168.1.5:1111")));
        assert!(!lan.allows(Some("192.168.1.6:1111")));
        assert!(!lan.allows(None), "no Host off loopback");
        let any = AllowedHosts::new("0.0.0.0:1111".parse().unwrap());
        assert!(any.allows(Some("10.1.2.3:1111")));
        assert!(any.allows(Some("[fe80::1]:1111")));
        assert!(!any.allows(Some("mybox.example:1111")));
    }

    #[test]
    fn the_refusal_names_the_host_and_the_way_in() {
        let local = AllowedHosts::new("127.0.0.1:1111".parse().unwrap());
        let text = local.refusal(Some("evil.example:1111\u{7}"));
        assert!(text.starts_with("fanzine serve refused the Host `evil.example:1111`"), "{text}");
        assert!(text.contains("Open http://localhost:1111/ instead, or restart it with --interface"), "{text}");
    }
}
