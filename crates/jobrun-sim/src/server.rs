//! The accept loop shared by the simulators.
//!
//! Connections are served by hand with hyper's HTTP/1 server rather than `axum::serve`, so
//! that a handler can ask for its connection to be closed with no answer at all (the
//! dropped-connection fault) or reset (the reset-before-read fault), which nothing inside an
//! axum handler can do.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

/// Attached to every request as an extension: lets the handler of that request have its
/// connection torn down without a response.
#[derive(Debug, Clone, Default)]
pub(crate) struct ConnControl {
    drop_requested: Arc<Notify>,
    /// Set before `drop_requested` is notified when the close must be a TCP reset.
    reset: Arc<AtomicBool>,
}

impl ConnControl {
    /// Asks the connection task to close the socket. The caller should then never complete,
    /// so that no response bytes can be written first.
    pub(crate) fn drop_connection(&self) {
        // notify_one stores a permit, so the request is not lost if the connection task is
        // not waiting at this exact moment.
        self.drop_requested.notify_one();
    }

    /// Like [`ConnControl::drop_connection`], but the socket is closed with a TCP reset (RST)
    /// instead of an orderly FIN, as a crashing proxy or a full listen queue would: the client
    /// sees "connection reset" rather than an early end of stream.
    pub(crate) fn reset_connection(&self) {
        self.reset.store(true, Ordering::SeqCst);
        self.drop_requested.notify_one();
    }
}

/// A running server; dropping it stops the accept loop and closes every open connection.
#[derive(Debug)]
pub(crate) struct Server {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Server {
    /// Binds 127.0.0.1:`port` (0 picks a free port) and serves `router` there.
    pub(crate) async fn start(port: u16, router: Router) -> io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(accept_loop(listener, router));
        Ok(Self { addr, task })
    }

    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops the server and waits until its tasks are gone.
    pub(crate) async fn shutdown(&mut self) {
        self.task.abort();
        // The only possible error is the cancellation just requested.
        let _ = (&mut self.task).await;
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn accept_loop(listener: TcpListener, router: Router) {
    // Owning the connection tasks here means aborting this task aborts all of them.
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, router.clone()));
                }
                Err(error) => {
                    // Typically EMFILE; spinning on it would starve the clients we do serve.
                    tracing::warn!(%error, "simulator failed to accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve_connection(stream: TcpStream, router: Router) {
    // Small answers would otherwise wait on Nagle's algorithm.
    let _ = stream.set_nodelay(true);
    let control = ConnControl::default();
    let signal = Arc::clone(&control.drop_requested);
    let reset = Arc::clone(&control.reset);
    let service = router.map_request(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(control.clone());
        request
    });
    // HTTP/1 only: hyper's HTTP/2 server would run handlers on separately spawned tasks that
    // outlive the connection, and the trocco API's clients speak HTTP/1.1 anyway.
    let mut builder = hyper::server::conn::http1::Builder::new();
    // trocco's headers are documented as `X-Rate-Limit-Reset` etc.; sending them that way
    // keeps curl output and packet captures comparable with the real API.
    builder.title_case_headers(true);
    let mut connection =
        builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
    let dropped = tokio::select! {
        result = &mut connection => {
            if let Err(error) = result {
                tracing::debug!(%error, "simulator connection ended with an error");
            }
            false
        }
        () = signal.notified() => true,
    };
    if dropped {
        // Dropping the connection closes the socket; the handler waiting inside it is dropped
        // too, before it could write anything.
        if reset.load(Ordering::SeqCst) {
            let parts = connection.into_parts();
            // With a zero linger time, closing sends RST instead of FIN. If it cannot be set
            // the client still sees the connection end without an answer.
            let _ = parts.io.inner().set_zero_linger();
            tracing::debug!("simulator reset a connection as an injected fault");
        } else {
            tracing::debug!("simulator dropped a connection as an injected fault");
        }
    }
}
