//! Accepting connections: HTTP/1.1 with a header read timeout and a connection limit.
//!
//! `axum::serve` reads request headers for as long as a client cares to send them and accepts
//! connections until the process runs out of file descriptors: a half-sent header stayed open
//! past 75 s, and 20,000 idle connections exhausted the descriptors (issue 15 §9). So the
//! binary runs its own accept loop over hyper:
//! - a client must send a request's whole header within
//!   [`cadence_web::WebConfig::header_read_timeout`] (10 s by default), or the connection is
//!   closed; the same limit ends a kept-alive connection that sends no next request;
//! - at most [`cadence_web::WebConfig::max_connections`] connections are served at once (512
//!   by default); while that many are open the loop stops accepting, and new clients wait in
//!   the kernel's queue instead of taking descriptors;
//! - on shutdown the loop stops accepting and lets open connections finish their requests.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// Serves `router` on `listener` until `shutdown` resolves, then waits for open connections to
/// finish. Requests carry the peer's address as `ConnectInfo<SocketAddr>`, as
/// `into_make_service_with_connect_info` would give them.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    header_read_timeout: Duration,
    max_connections: usize,
    shutdown: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break, // never closed; stop rather than spin
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = router
            .clone()
            .map_request(move |mut request: hyper::Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(header_read_timeout)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop(permit);
        });
    }
    graceful.shutdown().await;
}

/// A failed accept: a client that gave up is nothing; anything else (out of descriptors) is
/// logged, and the loop waits a second rather than spin on it (as hyper 0.14 did).
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "cannot accept a connection");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
