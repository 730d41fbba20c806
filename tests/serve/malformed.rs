//! Requests no browser sends: oversized headers, a huge URL, broken request lines, bad percent-encoding. Each gets
//! a 4xx answer (not a hang, not a dropped server), and the site is still served after all of them.
use crate::support::{PATIENCE, SiteDir};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

/// Sends `request` as it is and reads the answer's status; 0 if the server closed without answering.
/// The write happens on its own thread: a server may answer (and stop reading) before a large request is sent.
fn status_of(addr: SocketAddr, request: Vec<u8>) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut writer = stream.try_clone().unwrap();
    // No half-close after the request: the server would be free to drop the answer (hyper's default), and no
    // browser does it. Every request here either says `Connection: close` or is one the server must close on.
    let sender = std::thread::spawn(move || {
        let _ = writer.write_all(&request);
    });
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    if let Err(e) = &read {
        assert!(
            !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
            "no answer within {PATIENCE:?}"
        );
    }
    sender.join().unwrap();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer.strip_prefix("HTTP/1.1 ").and_then(|s| s.get(..3)).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, answer.lines().next().unwrap_or_default().to_string())
}

fn get(target: &str) -> Vec<u8> {
    format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").into_bytes()
}

fn with_header(name: &str, value: &str) -> Vec<u8> {
    format!("GET / HTTP/1.1\r\nHost: localhost\r\n{name}: {value}\r\nConnection: close\r\n\r\n").into_bytes()
}

#[test]
fn malformed_requests_get_a_4xx_and_the_site_stays_up() {
    let site = SiteDir::new();
    let running = site.start();
    let huge = "a".repeat(1 << 20);
    let many_headers: String = (0..10_000).map(|i| format!("X-H{i}: v\r\n")).collect();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("a 1 MiB header", with_header("X-Big", &huge)),
        ("10,000 headers", format!("GET / HTTP/1.1\r\nHost: localhost\r\n{many_headers}\r\n").into_bytes()),
        ("a 1 MiB URL", get(&format!("/{huge}"))),
        ("a 70 KB URL", get(&format!("/{}", &huge[..70_000]))),
        ("no method", b"/ HTTP/1.1\r\nHost: localhost\r\n\r\n".to_vec()),
        ("no target", b"GET HTTP/1.1\r\nHost: localhost\r\n\r\n".to_vec()),
        ("garbage", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n".to_vec()),
        ("an unknown HTTP version", b"GET / HTTP/9.9\r\nHost: localhost\r\n\r\n".to_vec()),
        ("a space in the target", b"GET /posts/ alpha/ HTTP/1.1\r\nHost: localhost\r\n\r\n".to_vec()),
        ("a header without a colon", b"GET / HTTP/1.1\r\nHost: localhost\r\nBroken header\r\n\r\n".to_vec()),
        ("a NUL in a header", b"GET / HTTP/1.1\r\nHost: local\0host\r\n\r\n".to_vec()),
        ("a bad Content-Length", b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: lots\r\n\r\n".to_vec()),
        (
            "two Content-Lengths",
            b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab".to_vec(),
        ),
        ("a truncated escape", get("/posts/alpha%")),
        ("a one-digit escape", get("/posts/alpha%2")),
        ("a non-hex escape", get("/posts/%zzalpha/")),
        ("an escape of invalid UTF-8", get("/posts/%c3%28/")),
        ("an overlong UTF-8 slash", get("/posts/%c0%af/")),
        ("an escaped NUL", get("/posts/alpha%00/")),
        ("an unknown method", b"BREW /posts/alpha/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".to_vec()),
    ];
    let mut wrong = Vec::new();
    for (what, request) in cases {
        let (status, line) = status_of(running.addr(), request);
        if !(400..500).contains(&status) {
            wrong.push(format!("{what}: {line:?}"));
        }
        // The next well-formed request is still answered.
        assert_eq!(running.get("/posts/alpha/").status, 200, "after {what}");
    }
    assert!(wrong.is_empty(), "answered without a 4xx:\n{}", wrong.join("\n"));
}
