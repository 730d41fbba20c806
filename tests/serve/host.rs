//! The `Host` check against DNS rebinding: pages and the event stream answer loopback names and refuse others.
use crate::support::{PATIENCE, SiteDir};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

/// `request` sent as written; the answer as (status, whole response).
fn send(addr: SocketAddr, request: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    // The event stream never ends by itself: read what arrives, up to the first event.
    let mut buf = [0u8; 4096];
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
        if answer.windows(6).any(|w| w == b"data: ")
            || answer.ends_with(b"\r\n\r\n") && !answer.starts_with(b"HTTP/1.1 200")
        {
            break;
        }
    }
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, answer)
}

fn get(addr: SocketAddr, path: &str, host: &str) -> (u16, String) {
    send(addr, &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"))
}

#[test]
fn loopback_hosts_are_served_pages_and_events() {
    let site = SiteDir::new();
    let running = site.start();
    let addr = running.addr();
    for host in ["localhost", &format!("localhost:{}", addr.port()), &addr.to_string(), "blog.localhost", "[::1]:1111"]
    {
        let (status, answer) = get(addr, "/posts/alpha/", host);
        assert_eq!(status, 200, "{host}: {answer}");
    }
    let (status, answer) = get(addr, "/__fanzine/events", &addr.to_string());
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("data: "), "{answer}");
    // HTTP/1.0 without a Host, on a loopback bind.
    let (status, answer) = send(addr, "GET /posts/alpha/ HTTP/1.0\r\n\r\n");
    assert_eq!(status, 200, "{answer}");
}

#[test]
fn other_hosts_are_refused_with_a_way_in() {
    let site = SiteDir::new();
    let running = site.start();
    let addr = running.addr();
    for path in ["/posts/alpha/", "/__fanzine/events", "/no-such-page"] {
        let (status, answer) = get(addr, path, "evil.example:1111");
        assert_eq!(status, 403, "{path}: {answer}");
        assert!(answer.contains("text/plain"), "{answer}");
        let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
        assert!(body.starts_with("fanzine serve refused the Host `evil.example:1111`"), "{body}");
        assert!(body.contains(&format!("Open http://localhost:{}/ instead", addr.port())), "{body}");
        assert!(body.contains("--interface"), "{body}");
        assert!(!body.contains("Alpha"), "{body}");
    }
    let (status, _) = get(addr, "/posts/alpha/", "127.0.0.1.evil.example");
    assert_eq!(status, 403);
}
