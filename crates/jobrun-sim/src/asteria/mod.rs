//! A local simulator of ASTERIA Warp's Flow Service API (フローサービスAPI): login, logout
//! and the `checkpoint` module (seed 004).
//!
//! Serves, on 127.0.0.1, what a client needs to re-run a failed checkpoint flow and watch it
//! end. Every answer is XML, `Content-Type: text/xml; charset=UTF-8`, laid out like the
//! seed's samples (no XML declaration, one element a line, tab-indented, empty values as
//! `<endTime></endTime>`). POST parameters are `application/x-www-form-urlencoded`; GET
//! parameters are in the query string. A path may end in `.xml`, the default format written
//! out (`/api/checkpoint/list.xml`).
//!
//! | method and path | parameters | answer (`<result><status>success</status><data>…</data></result>`) |
//! |---|---|---|
//! | `POST /api/auth/login` | `userName`, `password` | `<sessionId>` of 32 uppercase hex characters |
//! | `POST /api/auth/logout` | | `<data/>` |
//! | `GET /api/checkpoint/list` | `date` (YYYYMMDD, default today in JST), `domain`, `user`, `project`, `flow`, `status` (`running`, `success`, `error`), `page` (default 1), `size` (default 50) | one `<request>` per request: `requestId`, `status`, `project`, `flow`, `owner`, `startTime`, `checkPointStatus`, `endTime`; `<data/>` when none |
//! | `GET /api/checkpoint/show` | `requestId` (required), `date` | one `<request>`: the above plus `executeUser` (after `owner`), `restartTime`, `checkPointRestartStatus` |
//! | `POST /api/checkpoint/rerun` | `date`, `requestId` (both required) | `<requestId>`: the id it was given |
//!
//! Every call but login needs the header `X-Fs-SessionId` with a live session. Times read
//! `2012-10-05T18:07:04 JST` (Asia/Tokyo, on tokio's clock); a time or checkpoint not set is
//! an empty element.
//!
//! A request is `running`, `success` or `error`; one in `error` stopped at the checkpoint in
//! its `checkPointStatus`. `rerun` resumes it from there: `restartTime` becomes the time of
//! the rerun, `checkPointRestartStatus` the checkpoint it resumed from, `checkPointStatus`
//! and `endTime` empty, `status` `running`; then it ends as its [`Rerun`] script says
//! (`success` with an empty `checkPointStatus`, or `error` at a later checkpoint), with
//! `endTime`. For the script's [`Rerun::lag`] after a rerun, `list` and `show` still answer
//! the old state, old `restartTime` included: a client must not take that stale `error` for
//! the rerun's outcome (compare `restartTime` with the time of the rerun).
//!
//! # Errors
//!
//! Every error answers `<result><status>error</status><errorCode>2001</errorCode>
//! <errorMessage>…</errorMessage></result>` with the HTTP status the seed pairs with the
//! code. The seed gives codes and HTTP statuses but no error body and no wording: the element
//! names and every message below are this simulator's choice (see [`error_body`]). Checks
//! run in this order; the first failing one answers:
//!
//! | check | code | HTTP | `errorMessage` |
//! |---|---|---|---|
//! | a path other than the five above | 2002 | 404 | `No such API: /api/….` |
//! | the other method (GET for POST or back) | 2000 | 400 | `/api/checkpoint/rerun takes POST.` |
//! | a POST body over 1 MiB | 2000 | 400 | `The request body is too large.` |
//! | **login**: `userName`, then `password`, absent or empty | 2000 | 400 | `Required parameter is missing: userName.` |
//! | **login**: no such user, or a wrong password | 2001 | 403 | `Login failed: wrong userName or password.` |
//! | **others**: no `X-Fs-SessionId` header | 2001 | 403 | `Not logged in: no X-Fs-SessionId header.` |
//! | **others**: the session is unknown, logged out or expired | 2001 | 403 | `Not logged in: the session is unknown or has expired.` |
//! | **checkpoint**: no enterprise license ([`AsteriaConfig::enterprise_license`]) | 2001 | 403 | `Checkpoints need an enterprise license.` |
//! | **list**: `date` not a YYYYMMDD calendar date | 2000 | 400 | `Invalid date: "…" (YYYYMMDD).` |
//! | **list**: `status` not `running`, `success` or `error` (exact, lowercase) | 2000 | 400 | `Invalid status: "…" (running, success or error).` |
//! | **list**: `page`, then `size`, not a whole number from 1 | 2000 | 400 | `Invalid page: "…" (a whole number from 1).` |
//! | **show**: `requestId` absent or empty | 2000 | 400 | `Required parameter is missing: requestId.` |
//! | **show**: `date` malformed | 2000 | 400 | as for list |
//! | **show**: no request with that id (started on `date`, if given) | 2002 | 404 | `Request not found: ….` |
//! | **rerun**: `date`, then `requestId`, absent or empty; `date` malformed | 2000 | 400 | as above |
//! | **rerun**: no request with that id started on `date` | 2002 | 404 | `Request not found: ….` |
//! | **rerun**: the request is `running` or `success` | 2002 | 404 | `Request is not in error: … is running.` |
//! | 9000 (checkpoint information could not be read) | 9000 | 500 | only from a fault: [`error_fault`] |
//!
//! The two 2002 rows of rerun have distinct messages (`Request not found:` and `Request is
//! not in error:`) so a client can tell them apart.
//!
//! # Where seed 004 and the research are silent (inferred)
//!
//! | what | decision |
//! |---|---|
//! | login (research B.6) | `POST /api/auth/login` with `userName`, `password`, as the MC API's login; other fields (`timeout`, `getRole`) are ignored. `guest` and `/guest` name the same user (the MC sample logs in as `/guest`). Bad credentials answer 2001/403 ("not logged in") |
//! | logout | `POST /api/auth/logout`, answers `<data/>`; the session is gone afterwards |
//! | sessions | 32 uppercase hex characters, random; they expire after [`AsteriaConfig::session_ttl`] (default 30 minutes, the MC API's `timeout` default) of idleness: every call with a live session renews it, as a servlet session does |
//! | the error body | `<errorCode>` and `<errorMessage>` under `<result>` after `<status>error</status>`; messages as in the table |
//! | check order | path, method, login form or session, license, parameters in the order the seed lists them, then state. A request without a session gets 2001 whatever its parameters |
//! | empty parameters | `name=` counts as absent (forms send empty filters as `domain=&user=`); the first of repeated parameters wins; unknown ones are ignored |
//! | `domain` and `user` | an owner is `/user` (root domain) or `/domain/user`: `domain` matches the part before the last `/` (slashes around it ignored, so `domain=/` is the root domain), `user` the last part; a `user` with a `/` in it matches the whole owner. All filters match exactly, letter case included |
//! | order and paging | newest start first (the seed's list sample is in that order), ties by newest registration; `page` beyond the end answers `<data/>`; `size` has no upper bound |
//! | `show` without `date` | searches every date; request ids are unique across dates |
//! | state during a rerun | `checkPointStatus` and `endTime` are empty while `running` and after `success`; `restartTime` stays until the next rerun |
//! | rerun answer | the same request id it was given (the seed's sample echoes its input) |
//! | rerun during the lag | 2002 "not in error": the server knows the request is running, though `show` does not say so yet |
//! | `restartTime` | the moment the rerun was accepted; `endTime` of a rerun = `restartTime` + lag + run time |
//! | request ids | lowercase UUIDs in the catalog; any text is accepted in a [`CheckpointRequest`] (the seed's rerun sample has 13 hex digits in its last group, and the catalog has that id) |
//! | JSON format | not simulated: `.json` paths are unknown APIs |
//!
//! Faults ([`Fault`], queued with [`AsteriaSim::inject`]) work as for the other simulators:
//! a `Status` fault answers verbatim and has no effect (no login, no rerun); `Delay`, `Drop`,
//! `MalformedBody` and `MalformedJson` act after the request took effect, so a dropped rerun
//! still re-runs. [`Fault::MalformedBody`] sends the first half of the XML, still labelled
//! `text/xml`; [`Fault::MalformedJson`] does the same but labels it `application/json`.

mod answer;
mod http;
mod input;
mod request;

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

pub use crate::fault::Fault;
pub use crate::record::RecordedRequest;
pub use answer::error_body;
pub use request::{CheckpointRequest, DEFAULT_OWNER, Ending, Rerun, Start};

use crate::clock::Clock;
use crate::fault::FaultQueue;
use crate::server::Server;
use request::Stored;

/// The `userName` a default configuration accepts (also as `/guest`).
pub const DEFAULT_USER: &str = "guest";
/// The `password` of [`DEFAULT_USER`].
pub const DEFAULT_PASSWORD: &str = "guest";
/// How long a session may stay idle: 30 minutes, the MC API's default `timeout`.
pub const DEFAULT_SESSION_TTL: Duration = Duration::from_secs(30 * 60);
/// The Flow Designer listener port of a standard install, where the real API listens.
/// Configurations default to a free port instead, so that simulators never collide.
pub const STANDARD_PORT: u16 = 21381;
/// The header that carries the session id on every call after login.
pub const SESSION_HEADER: &str = "X-Fs-SessionId";

/// A [`Fault::Status`] answering like the API itself would: `http_status`,
/// `text/xml; charset=UTF-8` and [`error_body`] with `error_code` and `message`. For example
/// `error_fault(500, 9000, "…")` is the seed's "checkpoint information could not be read".
pub fn error_fault(http_status: u16, error_code: u16, message: &str) -> Fault {
    Fault::Status {
        status: http_status,
        content_type: answer::CONTENT_TYPE_XML.to_owned(),
        body: error_body(error_code, message),
    }
}

/// The endpoint a fault is aimed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// Every request, including ones to unknown paths.
    Any,
    /// `/api/auth/login`, whatever the method.
    Login,
    /// `/api/auth/logout`.
    Logout,
    /// `/api/checkpoint/list`.
    List,
    /// `/api/checkpoint/show`.
    Show,
    /// `/api/checkpoint/rerun`.
    Rerun,
}

impl Target {
    fn applies_to(self, endpoint: Option<Target>) -> bool {
        self == Target::Any || Some(self) == endpoint
    }
}

/// Request ids of the default catalog. The first is the seed's rerun sample, with 13 hex
/// digits in its last group; the next two are the seed's list sample.
const RECOVERS: &str = "eedd0d83-ac7a-482d-ae95-aa16c1d87d432";
const FAILS_AGAIN: &str = "eedd0d83-ac7a-482d-ae95-aa16c1d87d43";
const SUCCEEDED: &str = "ec303dfa-c317-40f2-a396-d776918253df";
const RUNNING: &str = "5a1f3c2e-9b7d-4e8a-b6c4-1d2e3f4a5b6c";

/// What an [`AsteriaSim`] starts with: port, users, session lifetime, license and the
/// checkpoint-flow requests it holds.
///
/// [`AsteriaConfig::new`] (or `default()`) holds the demo catalog below, user `guest`
/// (password `guest`), an ephemeral port, 30-minute sessions and an enterprise license.
/// Times are relative to when the simulator starts, so "today" is always today (JST). Its
/// `Display` prints the catalog as a table.
///
/// | requestId | started | project / flow | owner | state | on rerun |
/// |---|---|---|---|---|---|
/// | `ec303dfa-c317-40f2-a396-d776918253df` | today, 3h ago | Project1 / Flow1 | `/guest` | success | |
/// | `eedd0d83-ac7a-482d-ae95-aa16c1d87d432` | today, 2h ago | Project1 / Flow2 | `/guest` | error at CheckPoint2 | lag 1s, runs 3s → success |
/// | `eedd0d83-ac7a-482d-ae95-aa16c1d87d43` | today, 90m ago | Project1 / Flow3 | `/guest` | error at CheckPoint1 | lag 500ms, runs 2s → error at CheckPoint2; then runs 2s → success |
/// | `5a1f3c2e-9b7d-4e8a-b6c4-1d2e3f4a5b6c` | today, 10m ago | Project2 / Flow1 | `/sales/taro` | running 10m → success | |
/// | `9b2e4c6a-1f3d-4a5b-8c7e-5d4f3a2b1c01` … `…c07` | yesterday 01:00 … 07:00 | Nightly / Load01 … Load07 | `/guest` | success, except Load02 (error at CheckPoint1) and Load05 (error at CheckPoint3) | runs 2s → success |
///
/// Yesterday's seven requests make three pages at `size=3`.
#[derive(Debug, Clone)]
pub struct AsteriaConfig {
    port: u16,
    /// Empty means the default user only.
    users: Vec<(String, String)>,
    session_ttl: Duration,
    licensed: bool,
    /// In the order added, which is the order the catalog table shows.
    requests: Vec<CheckpointRequest>,
    wording: answer::Wording,
}

impl Default for AsteriaConfig {
    fn default() -> Self {
        let s = Duration::from_secs;
        let ms = Duration::from_millis;
        // Registered oldest first: should "today, N ago" be clamped to midnight (a test run
        // just after 00:00 JST), equal start times list the latest registered first, so the
        // order stays the same.
        let mut config = Self::empty()
            .request(
                CheckpointRequest::new(SUCCEEDED, "Project1", "Flow1")
                    .started(Start::Ago(s(3 * 3600)))
                    .took(s(5 * 60)),
            )
            .request(
                CheckpointRequest::new(RECOVERS, "Project1", "Flow2")
                    .started(Start::Ago(s(2 * 3600)))
                    .took(s(40 * 60))
                    .failed_at("CheckPoint2")
                    .on_rerun(Rerun::new().lag(s(1)).run_for(s(3))),
            )
            .request(
                CheckpointRequest::new(FAILS_AGAIN, "Project1", "Flow3")
                    .started(Start::Ago(s(90 * 60)))
                    .took(s(20 * 60))
                    .failed_at("CheckPoint1")
                    .on_rerun(
                        Rerun::new()
                            .lag(ms(500))
                            .run_for(s(2))
                            .ends_error("CheckPoint2"),
                    )
                    .on_rerun(Rerun::new()),
            )
            .request(
                CheckpointRequest::new(RUNNING, "Project2", "Flow1")
                    .owner("/sales/taro")
                    .execute_user("/sales/batch")
                    .started(Start::Ago(s(10 * 60)))
                    .running(s(10 * 60), Ending::Success),
            );
        for n in 1..=7u32 {
            let request = CheckpointRequest::new(
                format!("9b2e4c6a-1f3d-4a5b-8c7e-5d4f3a2b1c{n:02}"),
                "Nightly",
                format!("Load{n:02}"),
            )
            .started(Start::days_ago(1, n, 0, 0))
            .took(s(15 * 60));
            config = config.request(match n {
                2 => request.failed_at("CheckPoint1"),
                5 => request.failed_at("CheckPoint3"),
                _ => request,
            });
        }
        config
    }
}

impl AsteriaConfig {
    /// The default configuration, demo catalog included.
    pub fn new() -> Self {
        Self::default()
    }

    /// Like [`AsteriaConfig::new`] but with no requests at all.
    pub fn empty() -> Self {
        Self {
            port: 0,
            users: Vec::new(),
            session_ttl: DEFAULT_SESSION_TTL,
            licensed: true,
            requests: Vec::new(),
            wording: answer::Wording::default(),
        }
    }

    /// The port to listen on (on 127.0.0.1 only); 0 picks a free one. The real API listens
    /// on [`STANDARD_PORT`].
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Adds a user who may log in (or changes the password of one with this name). The
    /// default user `guest` is accepted only while no user was added.
    pub fn user(mut self, name: impl Into<String>, password: impl Into<String>) -> Self {
        let name = name.into();
        let password = password.into();
        match self.users.iter_mut().find(|(known, _)| *known == name) {
            Some((_, existing)) => *existing = password,
            None => self.users.push((name, password)),
        }
        self
    }

    /// How long a session may stay idle before it expires (default 30 minutes).
    pub fn session_ttl(mut self, ttl: Duration) -> Self {
        self.session_ttl = ttl;
        self
    }

    /// Whether the server has an enterprise license (default yes). Without one, every
    /// checkpoint function answers 2001/403, as the seed documents; login and logout work.
    pub fn enterprise_license(mut self, licensed: bool) -> Self {
        self.licensed = licensed;
        self
    }

    /// Names the `errorCode` and `errorMessage` elements of every error answer the simulator
    /// makes itself (a session expiry's 403 included) `code` and `message` instead, e.g.
    /// `error_elements("code", "message")` for
    /// `<result><status>error</status><code>2001</code><message>Not logged in: …</message>`.
    /// The seed documents no error body, so a client must not depend on these names; this
    /// proves it does not. The HTTP status and the code's value are unchanged.
    pub fn error_elements(mut self, code: impl Into<String>, message: impl Into<String>) -> Self {
        self.wording.error_elements = (code.into(), message.into());
        self
    }

    /// Makes `list` and `show` write `shown` wherever they would write the documented
    /// `status` value `documented` (`running`, `success` or `error`), e.g.
    /// `status_reads("running", "suspended")` for a status the docs never mention, or
    /// `status_reads("success", "completed")` for an unknown final one. The request's real
    /// state, its reruns and the `status=` filter of `list` are unchanged.
    pub fn status_reads(mut self, documented: &str, shown: impl Into<String>) -> Self {
        let shown = shown.into();
        match self
            .wording
            .statuses
            .iter_mut()
            .find(|(from, _)| from == documented)
        {
            Some((_, existing)) => *existing = shown,
            None => self.wording.statuses.push((documented.to_owned(), shown)),
        }
        self
    }

    /// Adds a request, or replaces the one with the same request id.
    pub fn request(mut self, request: CheckpointRequest) -> Self {
        match self
            .requests
            .iter_mut()
            .find(|known| known.request_id == request.request_id)
        {
            Some(existing) => *existing = request,
            None => self.requests.push(request),
        }
        self
    }

    fn users(&self) -> Vec<(String, String)> {
        if self.users.is_empty() {
            vec![(DEFAULT_USER.to_owned(), DEFAULT_PASSWORD.to_owned())]
        } else {
            self.users.clone()
        }
    }
}

impl fmt::Display for AsteriaConfig {
    /// A table of the catalog for people starting the simulator by hand.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "ASTERIA Warp simulator (Flow Service API, checkpoint)")?;
        let users: Vec<String> = self
            .users()
            .iter()
            .map(|(name, password)| format!("userName={name} password={password}"))
            .collect();
        writeln!(f, "  login: POST /api/auth/login {}", users.join(" | "))?;
        writeln!(
            f,
            "  then send {SESSION_HEADER}; sessions expire after {} idle{}",
            crate::fmt_duration(self.session_ttl),
            if self.licensed {
                ""
            } else {
                "; no enterprise license: checkpoint calls answer 2001"
            }
        )?;
        writeln!(
            f,
            "requests (GET /api/checkpoint/list?date=YYYYMMDD, /show?requestId=ID, POST /api/checkpoint/rerun date=YYYYMMDD&requestId=ID):"
        )?;
        if self.requests.is_empty() {
            return writeln!(f, "  (none)");
        }
        let rows: Vec<[String; 6]> = self
            .requests
            .iter()
            .map(|request| {
                // Reruns matter for requests in error, and for any that scripts them.
                let in_error = matches!(request.initial, request::Initial::Ended(Ending::Error(_)));
                let rerun = if in_error || !request.reruns.is_empty() {
                    request.describe_reruns()
                } else {
                    String::new()
                };
                [
                    request.start.to_string(),
                    request.request_id.clone(),
                    format!("{}/{}", request.project, request.flow),
                    request.owner.clone(),
                    request.describe_state(),
                    rerun,
                ]
            })
            .collect();
        let titles = [
            "started",
            "requestId",
            "project/flow",
            "owner",
            "state",
            "on rerun",
        ];
        let mut widths = titles.map(|title| title.chars().count());
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |f: &mut fmt::Formatter<'_>, cells: [&str; 6]| {
            let mut text = String::from(" ");
            for (cell, width) in cells.iter().zip(widths) {
                text.push_str(&format!(" {cell:<width$} "));
            }
            writeln!(f, "{}", text.trim_end())
        };
        line(f, titles)?;
        for row in &rows {
            line(f, row.each_ref().map(String::as_str))?;
        }
        Ok(())
    }
}

/// A logged-in session.
#[derive(Debug)]
struct Session {
    last_used: Instant,
}

/// Draws session ids: 32 uppercase hex characters, from SipHash (keyed at random once per
/// simulator) of a counter, so they are unpredictable across runs yet cheap.
#[derive(Debug)]
struct SessionIds {
    keys: RandomState,
    drawn: u64,
}

impl SessionIds {
    fn new() -> Self {
        Self {
            keys: RandomState::new(),
            drawn: 0,
        }
    }

    fn draw_unique(&mut self, taken: impl Fn(&str) -> bool) -> String {
        loop {
            let mut halves = [0u64; 2];
            for half in &mut halves {
                self.drawn += 1;
                *half = self.keys.hash_one(self.drawn);
            }
            let id = format!("{:016X}{:016X}", halves[0], halves[1]);
            if !taken(&id) {
                return id;
            }
        }
    }
}

/// Everything a request can change.
#[derive(Debug)]
struct State {
    /// By request id.
    requests: HashMap<String, Stored>,
    next_seq: u64,
    sessions: HashMap<String, Session>,
    ids: SessionIds,
    faults: FaultQueue<Target>,
    requests_received: Vec<RecordedRequest>,
}

impl State {
    fn add(&mut self, request: CheckpointRequest, now: Instant, clock: &Clock) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let stored = Stored::new(request, seq, now, clock);
        self.requests.insert(stored.spec.request_id.clone(), stored);
    }
}

/// Shared by the handle and every request.
#[derive(Debug)]
struct Shared {
    clock: Clock,
    users: Vec<(String, String)>,
    session_ttl: Duration,
    licensed: bool,
    wording: answer::Wording,
    state: Mutex<State>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is plain data updated in single steps, so it is consistent even if a
        // holder panicked; refusing all later requests would help no one.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running ASTERIA Warp simulator. Dropping it stops the server and closes its
/// connections.
///
/// ```
/// use jobrun_sim::asteria::{AsteriaConfig, AsteriaSim, SESSION_HEADER};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let sim = AsteriaSim::start(AsteriaConfig::new()).await?;
/// let client = reqwest::Client::new();
/// let login = client
///     .post(format!("{}/api/auth/login", sim.base_url()))
///     .header("Content-Type", "application/x-www-form-urlencoded")
///     .body(format!("userName={}&password={}", sim.user(), sim.password()))
///     .send()
///     .await?
///     .text()
///     .await?;
/// let start = login.find("<sessionId>").ok_or("no session")? + "<sessionId>".len();
/// let session = &login[start..start + 32];
///
/// let list = client
///     .get(format!("{}/api/checkpoint/list?status=error", sim.base_url()))
///     .header(SESSION_HEADER, session)
///     .send()
///     .await?
///     .text()
///     .await?;
/// assert!(list.contains("<checkPointStatus>CheckPoint2</checkPointStatus>"));
/// assert_eq!(sim.count("GET", "/api/checkpoint/list"), 1);
/// sim.shutdown().await;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct AsteriaSim {
    shared: Arc<Shared>,
    server: Server,
}

impl AsteriaSim {
    /// Binds 127.0.0.1 on the configured port and starts serving.
    ///
    /// Must be called inside a tokio runtime; the server runs on it as spawned tasks.
    pub async fn start(config: AsteriaConfig) -> std::io::Result<AsteriaSim> {
        let clock = Clock::start();
        let mut state = State {
            requests: HashMap::new(),
            next_seq: 0,
            sessions: HashMap::new(),
            ids: SessionIds::new(),
            faults: FaultQueue::default(),
            requests_received: Vec::new(),
        };
        let now = clock.now();
        let users = config.users();
        for request in config.requests {
            state.add(request, now, &clock);
        }
        let shared = Arc::new(Shared {
            clock,
            users,
            session_ttl: config.session_ttl,
            licensed: config.licensed,
            wording: config.wording,
            state: Mutex::new(state),
        });
        let server = Server::start(config.port, http::router(Arc::clone(&shared))).await?;
        Ok(AsteriaSim { shared, server })
    }

    /// `http://127.0.0.1:PORT`, the base URL to point a client at (paths start `/api/`),
    /// standing for `http://{Hostname}:21381`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// The `userName` of the first user the simulator accepts.
    pub fn user(&self) -> String {
        self.shared
            .users
            .first()
            .map(|(name, _)| name.clone())
            .unwrap_or_default()
    }

    /// The `password` of [`AsteriaSim::user`].
    pub fn password(&self) -> String {
        self.shared
            .users
            .first()
            .map(|(_, password)| password.clone())
            .unwrap_or_default()
    }

    /// Queues `fault` for the next `times` requests to `target`. Faults are consumed in the
    /// order they were queued; each request takes at most one, from the oldest entry whose
    /// target matches it.
    pub fn inject(&self, target: Target, fault: Fault, times: usize) {
        self.shared.lock().faults.push(target, fault, times);
    }

    /// Every request received so far, in arrival order, faulted ones included.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests_received.clone()
    }

    /// How many requests had this method (case-insensitive) and exactly this path, e.g.
    /// `count("POST", "/api/checkpoint/rerun")`.
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.shared
            .lock()
            .requests_received
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path == path)
            .count()
    }

    /// Adds a request while running, or replaces the one with the same id (its reruns are
    /// forgotten). [`Start::Ago`] and [`CheckpointRequest::running`] count from now.
    pub fn add_request(&self, request: CheckpointRequest) {
        let now = self.shared.clock.now();
        self.shared.lock().add(request, now, &self.shared.clock);
    }

    /// How many reruns of the request `request_id` were accepted (0 for unknown ids): how a
    /// test proves a rerun took effect although its answer was lost.
    pub fn rerun_count(&self, request_id: &str) -> usize {
        self.shared
            .lock()
            .requests
            .get(request_id)
            .map_or(0, Stored::reruns)
    }

    /// Ends every session at once, as a server restart would; clients must log in again.
    pub fn expire_sessions(&self) {
        self.shared.lock().sessions.clear();
    }

    /// How many sessions are live now (logged in, not logged out, not expired): how a test
    /// proves a client logs out.
    pub fn session_count(&self) -> usize {
        let now = self.shared.clock.now();
        let ttl = self.shared.session_ttl;
        self.shared
            .lock()
            .sessions
            .values()
            .filter(|session| now.saturating_duration_since(session.last_used) < ttl)
            .count()
    }

    /// Stops the server and waits until its connections are closed.
    pub async fn shutdown(mut self) {
        self.server.shutdown().await;
    }
}
