//! A second loopback origin that records everything it receives, for proving that a client
//! never carries a credential to another host (after a redirect, or from a URL a server
//! handed it).

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::{Request, State};
use axum::response::Response;

use crate::clock::Clock;
use crate::fault::status_answer;
use crate::record::RecordedRequest;
use crate::server::Server;

/// Bodies are recorded up to this size; anything a client would send after a redirect is far
/// smaller, and a cap keeps a runaway client from filling memory.
const MAX_BODY_BYTES: usize = 16 << 20;

/// "Another origin": an HTTP server on 127.0.0.1 (on a port of its own, so a different origin
/// from every simulator) that answers every request alike and records each one in full:
/// method, path, query, every header with its value, and the body bytes.
///
/// Aim a [`crate::Fault::Redirect`] at it, drive a client, then check that no credential
/// reached it:
///
/// ```
/// use jobrun_sim::Elsewhere;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let elsewhere = Elsewhere::start().await?;
/// reqwest::Client::new()
///     .post(format!("{}/landing?from=test", elsewhere.base_url()))
///     .body("hello")
///     .send()
///     .await?;
/// let seen = elsewhere.requests();
/// assert_eq!(seen[0].path, "/landing");
/// assert!(elsewhere.received("hello"));
/// assert!(!elsewhere.received("my-api-key"));
/// elsewhere.shutdown().await;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Elsewhere {
    server: Server,
    requests: Arc<Mutex<Vec<RecordedRequest>>>,
}

/// What [`Elsewhere`] answers every request with.
#[derive(Debug, Clone)]
struct Answer {
    status: u16,
    content_type: String,
    body: String,
}

#[derive(Debug, Clone)]
struct Shared {
    requests: Arc<Mutex<Vec<RecordedRequest>>>,
    answer: Arc<Answer>,
    clock: Clock,
}

impl Elsewhere {
    /// Starts it on a free port; it answers every request `200` with `{}` as
    /// `application/json`, a plausible "success" that a client must not take for its own
    /// server's answer.
    pub async fn start() -> io::Result<Self> {
        Self::start_answering(200, "application/json", "{}").await
    }

    /// Starts it on a free port, answering every request with this status (an invalid one
    /// becomes 500), `Content-Type` and body (e.g. one shaped like a vendor's answer).
    pub async fn start_answering(status: u16, content_type: &str, body: &str) -> io::Result<Self> {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let shared = Shared {
            requests: Arc::clone(&requests),
            answer: Arc::new(Answer {
                status,
                content_type: content_type.to_owned(),
                body: body.to_owned(),
            }),
            clock: Clock::start(),
        };
        let router = Router::new().fallback(serve).with_state(shared);
        let server = Server::start(0, router).await?;
        Ok(Self { server, requests })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Whether any request received so far carried `needle` anywhere (see
    /// [`RecordedRequest::carries`]): the check that a credential never reached this origin.
    pub fn received(&self, needle: &str) -> bool {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .any(|request| request.carries(needle))
    }

    /// Stops it and closes every open connection.
    pub async fn shutdown(mut self) {
        self.server.shutdown().await;
    }
}

async fn serve(State(shared): State<Shared>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    // A client vanishing mid-body still leaves its head on record.
    let body = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .unwrap_or_default();
    let received_at = shared.clock.wall_at(shared.clock.now());
    shared
        .requests
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(RecordedRequest::capture(&parts, &body, None, received_at));
    let answer = &shared.answer;
    status_answer(answer.status, &answer.content_type, &answer.body)
}
