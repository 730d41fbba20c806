//! Accepting connections and holding each to a deadline for its request headers.
//!
//! This replaces `axum::serve`, which sets no timer on hyper: a client that opened a connection and sent half a
//! request line (a slowloris, or a stuck browser tab) held it forever, and because a graceful shutdown waits for
//! requests in progress, it also kept `fanzine serve` from stopping on Ctrl-C. Here every request must arrive whole
//! within [`HEADER_TIMEOUT`]; a response being streamed (the live-reload events) is not a request being read, so
//! it is not cut off.
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::time::Duration;
use tokio::net::TcpListener;

/// Generous for any client on a network a preview is shared over; a keep-alive connection idle this long is closed
/// too, and browsers simply open a new one.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `router` until `stop` resolves, then stops accepting and waits for the requests in progress.
pub async fn serve(listener: TcpListener, router: Router, stop: impl Future<Output = ()>) {
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: pause rather than spin, and keep serving the others.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_TIMEOUT)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(router.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that goes away or breaks the protocol ends only its own connection.
            let _ = connection.await;
        });
    }
    graceful.shutdown().await;
}
