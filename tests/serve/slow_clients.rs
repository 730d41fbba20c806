//! Clients that connect and then say nothing, or trickle a request a byte at a time (slowloris), must not stall
//! anyone else, and must not keep the server from stopping: an author's Ctrl-C cannot wait on a stuck browser tab.
use crate::support::{PATIENCE, SiteDir};
use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

const SILENT: usize = 8;
const TRICKLING: usize = 8;

/// Connections held open until `stop`: some silent, some sending a request line and headers that never end.
struct SlowClients {
    stop: Arc<AtomicBool>,
    silent: Vec<TcpStream>,
    trickling: Vec<JoinHandle<()>>,
}

impl SlowClients {
    fn open(addr: SocketAddr) -> SlowClients {
        let stop = Arc::new(AtomicBool::new(false));
        let silent = (0..SILENT).map(|_| TcpStream::connect(addr).unwrap()).collect();
        let trickling = (0..TRICKLING)
            .map(|_| {
                let mut stream = TcpStream::connect(addr).unwrap();
                let stop = stop.clone();
                std::thread::spawn(move || {
                    let request = b"GET /posts/alpha/ HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";
                    let endless = request.iter().copied().chain(std::iter::repeat(b'z'));
                    for byte in endless {
                        if stop.load(Ordering::Relaxed) || stream.write_all(&[byte]).is_err() {
                            return;
                        }
                        std::thread::sleep(Duration::from_millis(50));
                    }
                })
            })
            .collect();
        SlowClients { stop, silent, trickling }
    }

    fn close(self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.trickling {
            t.join().unwrap();
        }
        drop(self.silent);
    }
}

#[test]
fn silent_and_trickling_clients_do_not_stall_others() {
    let site = SiteDir::new();
    let running = site.start();
    let slow = SlowClients::open(running.addr());
    // Let the trickling clients get part of their request line in.
    std::thread::sleep(Duration::from_millis(300));
    for path in ["/", "/posts/alpha/", "/posts/beta/", "/tags/rust/", "/atom.xml"] {
        // `get` fails the test if an answer takes longer than PATIENCE.
        let page = running.get(path);
        assert_eq!(page.status, 200, "{path}");
        assert!(page.body.trim_end().ends_with("</html>") || page.body.trim_end().ends_with("</feed>"), "{path}");
    }
    slow.close();
}

#[test]
fn stopping_does_not_wait_for_clients_that_never_finish_a_request() {
    let site = SiteDir::new();
    let running = site.start();
    let slow = SlowClients::open(running.addr());
    std::thread::sleep(Duration::from_millis(300));
    let (done, stopped) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        running.server.stop();
        let _ = done.send(());
    });
    let outcome = stopped.recv_timeout(PATIENCE);
    slow.close();
    outcome.expect("the server stops while slow clients are connected");
}
