//! A local simulator of krewData's real-time execution API (任意実行API).
//!
//! Serves, on 127.0.0.1, the three endpoints of seed 003 (the krewData API reference). Every
//! request is a `POST` with a JSON body; every answer is JSON whose `code` equals the HTTP
//! status.
//!
//! | method and path | body | answer |
//! |---|---|---|
//! | `POST /trigger/v1/{unitId}/token` | `krewdataAppUrl`, `serialNumber` (Base64 of the serial) | `{"code":200,"status":"OK","accessToken":"…"}` |
//! | `POST /trigger/v1/{unitId}/run` | `accessToken`, `user`, `appId` (string or number), `record` (optional, kintone record) | `{"code":200,"status":"OK","taskId":"…"}` |
//! | `POST /trigger/v1/{unitId}/status` | `accessToken`, `taskId` | `{"code":200,"status":"OK","taskStatus":"Running","flowInfo":[…]}` |
//!
//! A task is `Queuing` for its unit's queue time, then `Running` while its flows run one
//! after the other, then `Success` or `Failure` (with `errorCode` and `errorMessage`).
//! `flowInfo` lists every flow with `flowExecUniqueKey`, `flowName` and `status` (`Queuing`,
//! `Running`, `Success`, `Failure`, `Cancel`); a flow that started has `startTime`, and
//! `endTime` which stays `""` while it runs; a flow that never started has neither. Times read
//! `2020-12-01 09:00:00`, in JST.
//!
//! Error answers are `{"code":400,"status":"Bad Request","description":"…"}` with seed 003's
//! English descriptions, byte for byte. Each request is checked in this order, and the first
//! failing check answers:
//!
//! | check | code | `description` |
//! |---|---|---|
//! | any | | |
//! | not `POST /trigger/v1/{unitId}/{token,run,status}`, or no unit `unitId` | 400 | `Request path is invalid.` |
//! | body is not a JSON object (or over 1 MiB) | 400 | `Token request body schema is wrong.` (`Run …`, `Status …`) |
//! | a required field is absent, `null` or `""` | 400 | `X is empty or X cannot be found. Pay attention to the spelling of "X".` |
//! | a field is not a string (`appId`: neither string nor number) | 400 | `X data type is wrong, should be string type.` |
//! | **token** | | |
//! | `krewdataAppUrl` is not `https://host/k/<digits>` (optional final `/`) | 400 | `krewdataAppUrl format is wrong, should be "https://yourdomain/k/appId(/)".` |
//! | `serialNumber` is not Base64 | 400 | `serialNumber is not a valid Base64 encoding value.` |
//! | `krewdataAppUrl` is not this simulator's app | 400 | `Specified krewdataAppUrl is invalid, should be "https://yourdomain.cybozu.com/k/{appId}".` |
//! | the serial number is not this simulator's | 401 `Unauthorized` | `Illegal License.` |
//! | the unit is disabled or has no flows | 400 | `Specified unit is invalid.` |
//! | the unit runs by Webhook or krewSheet | 400 | `Request type (Webhook/API/RunBykrewSheet) is wrong.` |
//! | more than the run limit of token requests within its window | 429 `Too Many Requests` | `The rate limit for API calls has been exceeded. Specified unit has been disabled.` |
//! | **run** | | |
//! | `record` is not a kintone record | 400 | `record data type is wrong, should be keep with Kintone record.` |
//! | the unit is disabled, has no flows, or is not an API unit | 400 | as for token |
//! | the token is unknown or was issued for another unit | 400 | `Specified token is invalid.` |
//! | the token was used by a run already | 400 | `Specified token has been used.` |
//! | the token is older than the token lifetime | 400 | `Specified token has been created for more than 10 minutes and cannot be used to run unit.` |
//! | `appId` is not the unit's calling app | 400 | `app (appId) is not call app of task specified.` |
//! | the unit is exclusive and one of its tasks is `Queuing` or `Running` | 409 `Conflict` | `Other User is running the execution unit.`, plus `"taskId"` of that task |
//! | **status** | | |
//! | the token is unknown, of another unit, or older than the token lifetime | 400 | `Specified accessToken is invalid.` |
//! | the task is unknown or of another unit | 400 | `Specified taskId is invalid.` |
//!
//! Fields are checked in the order the seed lists them (`krewdataAppUrl`, `serialNumber`;
//! `accessToken`, `user`, `appId`, `record`; `accessToken`, `taskId`), each completely
//! before the next.
//!
//! # Where seed 003 is silent (inferred)
//!
//! * The check order above, including that the unit in the path is looked up before the body
//!   is read, and that field syntax is checked before anything is compared with state.
//! * Paths outside `/trigger/v1/`, methods other than `POST` and trailing slashes get
//!   `Request path is invalid.` too. `Content-Type` is not looked at; unknown fields are
//!   ignored. `null` counts as a missing field.
//! * `krewdataAppUrl` matches this simulator's app when host (any letter case) and app id
//!   agree; a trailing `/` and leading zeros of the app id do not matter. `serialNumber` is
//!   standard Base64, padded or not.
//! * `appId` names the calling app as a number or as a string of decimal digits.
//! * `record` must be an object whose every field is an object with a `value`.
//! * Tokens last [`KrewdataConfig::token_ttl`] (10 minutes by default; the description keeps
//!   saying "10 minutes" whatever it is set to). A token older than that by any amount is
//!   expired. A token is used up only by a run that creates a task: a run refused (409, wrong
//!   `appId`, …) leaves its token usable, so a client waiting out a 409 need not spend another
//!   token request against the rate limit. When a token is both used and expired, "has been
//!   used" answers.
//! * A status call accepts any unexpired token of the unit, whether or not a run used it; the
//!   vendor's sample polls with the token its run used, which also works.
//! * Rate limit (research A3: "the same real-time execution 5 times per minute"): at most
//!   [`KrewdataConfig::run_limit`] token requests that would get a token, within any span of
//!   the window (sliding); the next one answers 429 and disables the unit. Requests refused
//!   for another reason do not count, so only holders of the serial number can disable a
//!   unit. A disabled unit answers token and run requests with `Specified unit is invalid.`,
//!   keeps answering status requests, and stays disabled until
//!   [`KrewdataSim::enable_unit`].
//! * Exclusive units refuse a second run by anyone, the same user included.
//! * Ids look like the seed's: tokens are 32 and task ids 20 lowercase letters and digits,
//!   `flowExecUniqueKey` 8 digits; all unique within a simulator and random across runs.
//! * A failing flow fails at the end of its duration; a task that never ran fails at the end
//!   of its queue time.
//!
//! Faults ([`Fault`], queued with [`KrewdataSim::inject`]) work as for trocco: a `Status`
//! fault answers verbatim and has no effect (a `Fault::Status` with status 200 and an error
//! body is how to send krewData's "HTTP 200 whose `code` says otherwise"); `Delay`, `Drop` and
//! `MalformedJson` act after the request took effect, so a dropped run still creates its
//! task and uses its token.

mod answer;
mod http;
mod input;
mod unit;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use tokio::time::Instant;

pub use crate::fault::Fault;
pub use crate::record::RecordedRequest;
pub use unit::{DEFAULT_CALLING_APP, ExecutionMethod, Unit};

use crate::clock::Clock;
use crate::fault::FaultQueue;
use crate::ratelimit::SlidingWindow;
use crate::server::Server;

/// The serial number (plain, before Base64) a default configuration accepts; shaped like
/// the seed's `abcdef-jklmno-pqrstu-xyz123-456789`.
pub const DEFAULT_SERIAL_NUMBER: &str = "jobrun-simkrw-serial-abc123-456789";
/// The krewData app URL a default configuration accepts as `krewdataAppUrl`.
pub const DEFAULT_APP_URL: &str = "https://jobrun-sim.cybozu.com/k/123";
/// A kintone login name for examples, the one in the vendor's sample.
pub const DEFAULT_USER: &str = "krewdata@example.com";
/// How long a token can be used: 10 minutes, as documented.
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(600);
/// Token requests one unit may make per [`DEFAULT_RUN_WINDOW`]: "5 times per minute".
pub const DEFAULT_RUN_LIMIT: u32 = 5;
/// The window of [`DEFAULT_RUN_LIMIT`].
pub const DEFAULT_RUN_WINDOW: Duration = Duration::from_secs(60);

/// errorCode 33's message in seed 003 (a flow's settings are wrong).
const FLOW_SETTINGS_WRONG: &str =
    "データ編集フローの設定が正しくありません。データ編集フローのエラーを修正してください。";
/// errorCode 134's message in seed 003 (another user is running the unit).
const OTHER_USER_RUNNING: &str =
    "他のユーザーが実行単位を実行中です。この実行単位は同時実行が許可されていません。";

/// The endpoint a fault is aimed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// Every request, including ones to unknown paths.
    Any,
    /// `POST /trigger/v1/{unitId}/token`, whatever the unit.
    Token,
    /// `POST /trigger/v1/{unitId}/run`, whatever the unit.
    Run,
    /// `POST /trigger/v1/{unitId}/status`, whatever the unit.
    Status,
}

impl Target {
    fn applies_to(self, endpoint: Option<Target>) -> bool {
        self == Target::Any || Some(self) == endpoint
    }
}

/// What a [`KrewdataSim`] starts with: serial number, app URL, port, token lifetime, rate
/// limit and the execution units.
///
/// [`KrewdataConfig::new`] (or `default()`) holds the demo catalog below, serial number
/// [`DEFAULT_SERIAL_NUMBER`], app URL [`DEFAULT_APP_URL`], an ephemeral port, 10-minute tokens
/// and 5 token requests per unit per minute. Every unit is called from app 123. Its `Display`
/// prints the catalog as a table.
///
/// | unit id | method | progression |
/// |---|---|---|
/// | `simunitsucceeds` | API | queue 1s → `import-orders` 1s → `update-stock` 2s → Success |
/// | `simunitfails` | API | queue 1s → `import-orders` 1.5s fails (errorCode 33) → `update-stock` Cancel → Failure |
/// | `simunitneverran` | API | queue 2s → Failure (errorCode 134), both flows Cancel |
/// | `simunitexclusive` | API, exclusive | queue 1s → `import-orders` 5s → `update-stock` 5s → Success |
/// | `simunitwebhook` | Webhook | queue 1s → `import-orders` 1s → Success |
/// | `simunitkrewsheet` | krewSheet | queue 1s → `import-orders` 1s → Success |
/// | `simunitdisabled` | API, disabled | queue 1s → `import-orders` 1s → Success |
/// | `simunitnoflows` | API, no flows | (refuses tokens: `Specified unit is invalid.`) |
#[derive(Debug, Clone)]
pub struct KrewdataConfig {
    port: u16,
    serial_number: String,
    app_url: String,
    token_ttl: Duration,
    run_limit: u32,
    run_window: Duration,
    /// In the order added, which is the order the catalog table shows.
    units: Vec<(String, Unit)>,
    /// `taskStatus` values shown in place of documented ones, as (documented, shown).
    task_statuses: Vec<(String, String)>,
}

impl Default for KrewdataConfig {
    fn default() -> Self {
        let s = Duration::from_secs;
        let ms = Duration::from_millis;
        let two_flows = |name: &str, first: Duration, second: Duration| {
            Unit::new(name)
                .queue(s(1))
                .flow("import-orders", first)
                .flow("update-stock", second)
        };
        let one_flow = |name: &str| Unit::new(name).queue(s(1)).flow("import-orders", s(1));
        Self::empty()
            .unit(
                "simunitsucceeds",
                two_flows("sim-unit-succeeds", s(1), s(2)),
            )
            .unit(
                "simunitfails",
                two_flows("sim-unit-fails", ms(1500), s(1)).fail_at(0, "33", FLOW_SETTINGS_WRONG),
            )
            .unit(
                "simunitneverran",
                two_flows("sim-unit-never-ran", s(1), s(1))
                    .queue(s(2))
                    .never_ran("134", OTHER_USER_RUNNING),
            )
            .unit(
                "simunitexclusive",
                two_flows("sim-unit-exclusive", s(5), s(5)).exclusive(true),
            )
            .unit(
                "simunitwebhook",
                one_flow("sim-unit-webhook").method(ExecutionMethod::Webhook),
            )
            .unit(
                "simunitkrewsheet",
                one_flow("sim-unit-krewsheet").method(ExecutionMethod::KrewSheet),
            )
            .unit(
                "simunitdisabled",
                one_flow("sim-unit-disabled").enabled(false),
            )
            .unit("simunitnoflows", Unit::new("sim-unit-no-flows").queue(s(1)))
    }
}

impl KrewdataConfig {
    /// The default configuration, demo catalog included.
    pub fn new() -> Self {
        Self::default()
    }

    /// Like [`KrewdataConfig::new`] but with no units at all.
    pub fn empty() -> Self {
        Self {
            port: 0,
            serial_number: DEFAULT_SERIAL_NUMBER.to_owned(),
            app_url: DEFAULT_APP_URL.to_owned(),
            token_ttl: DEFAULT_TOKEN_TTL,
            run_limit: DEFAULT_RUN_LIMIT,
            run_window: DEFAULT_RUN_WINDOW,
            units: Vec::new(),
            task_statuses: Vec::new(),
        }
    }

    /// The port to listen on (on 127.0.0.1 only); 0 picks a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The serial number, plain (clients send its Base64), that token requests must carry.
    pub fn serial_number(mut self, serial_number: impl Into<String>) -> Self {
        self.serial_number = serial_number.into();
        self
    }

    /// The krewData app URL token requests must name, e.g.
    /// `https://example.cybozu.com/k/42`. One not of the shape `https://host/k/<digits>`
    /// matches nothing, so every token request is then refused.
    pub fn app_url(mut self, app_url: impl Into<String>) -> Self {
        self.app_url = app_url.into();
        self
    }

    /// Adds, or replaces, the unit `unit_id` (the `{unitId}` of the paths).
    pub fn unit(mut self, unit_id: impl Into<String>, unit: Unit) -> Self {
        let unit_id = unit_id.into();
        match self.units.iter_mut().find(|(id, _)| *id == unit_id) {
            Some((_, existing)) => *existing = unit,
            None => self.units.push((unit_id, unit)),
        }
        self
    }

    /// Makes `status` answer `taskStatus` `shown` wherever it would answer the documented
    /// value `documented` (`Queuing`, `Running`, `Success` or `Failure`), e.g.
    /// `task_status_reads("Running", "Suspended")` for a value the docs never mention while
    /// a task runs, or `task_status_reads("Success", "Completed")` for an unknown final one.
    /// The task itself, its `flowInfo` and its error fields are unchanged.
    pub fn task_status_reads(mut self, documented: &str, shown: impl Into<String>) -> Self {
        let shown = shown.into();
        match self
            .task_statuses
            .iter_mut()
            .find(|(from, _)| from == documented)
        {
            Some((_, existing)) => *existing = shown,
            None => self.task_statuses.push((documented.to_owned(), shown)),
        }
        self
    }

    /// How long a token can be used to run, and to ask for status (default 10 minutes).
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }

    /// At most `limit` token requests per unit within any span of `window` (default 5 per
    /// minute); the next one answers 429 and disables the unit.
    pub fn run_limit(mut self, limit: u32, window: Duration) -> Self {
        self.run_limit = limit;
        self.run_window = window;
        self
    }
}

impl fmt::Display for KrewdataConfig {
    /// A table of the catalog for people starting the simulator by hand.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "krewData simulator")?;
        writeln!(f, "  krewdataAppUrl: {}", self.app_url)?;
        writeln!(
            f,
            "  serialNumber:   {} (send its Base64: {})",
            self.serial_number,
            BASE64.encode(&self.serial_number)
        )?;
        writeln!(
            f,
            "  tokens last {}, one run each; {} token requests per unit per {}, then the unit is disabled",
            crate::fmt_duration(self.token_ttl),
            self.run_limit,
            crate::fmt_duration(self.run_window)
        )?;
        writeln!(
            f,
            "units (POST /trigger/v1/UNIT/token, then /run, then /status):"
        )?;
        if self.units.is_empty() {
            return writeln!(f, "  (none)");
        }
        let width = |column: &dyn Fn(&(String, Unit)) -> usize, title: &str| {
            self.units
                .iter()
                .map(column)
                .chain([title.chars().count()])
                .max()
                .unwrap_or_default()
        };
        let id_width = width(&|(id, _)| id.chars().count(), "unit");
        let name_width = width(&|(_, unit)| unit.name.chars().count(), "name");
        let app_width = width(&|(_, unit)| unit.calling_app.to_string().len(), "app");
        let method_width = width(&|(_, unit)| unit_notes(unit).chars().count(), "method");
        writeln!(
            f,
            "  {:<id_width$}  {:<name_width$}  {:>app_width$}  {:<method_width$}  progression",
            "unit", "name", "app", "method"
        )?;
        for (id, unit) in &self.units {
            write!(
                f,
                "  {id:<id_width$}  {:<name_width$}  {:>app_width$}  {:<method_width$}  ",
                unit.name,
                unit.calling_app,
                unit_notes(unit)
            )?;
            if unit.flows.is_empty() {
                writeln!(f, "(no flows: refuses tokens)")?;
            } else {
                writeln!(
                    f,
                    "{unit} (done after {})",
                    crate::fmt_duration(unit.total())
                )?;
            }
        }
        Ok(())
    }
}

/// `API`, `API, exclusive, disabled`, `Webhook`: the method column of the catalog table.
fn unit_notes(unit: &Unit) -> String {
    let mut notes = unit.method.to_string();
    if unit.exclusive {
        notes.push_str(", exclusive");
    }
    if !unit.enabled {
        notes.push_str(", disabled");
    }
    notes
}

/// A unit as the running simulator holds it.
#[derive(Debug)]
struct UnitEntry {
    unit: Arc<Unit>,
    disabled: bool,
    window: SlidingWindow,
}

/// An access token.
#[derive(Debug)]
struct Token {
    unit_id: String,
    issued: Instant,
    used: bool,
}

/// One run of a unit. It keeps the unit as it was when the run was accepted.
#[derive(Debug)]
struct Task {
    unit_id: String,
    unit: Arc<Unit>,
    accepted: Instant,
    flow_keys: Vec<String>,
}

/// Draws random-looking ids: SipHash, keyed at random once per simulator, of a counter.
#[derive(Debug)]
struct Ids {
    keys: RandomState,
    drawn: u64,
}

impl Ids {
    fn new() -> Self {
        Self {
            keys: RandomState::new(),
            drawn: 0,
        }
    }

    /// `len` characters of `alphabet` (which must not be empty), drawn again while `taken`.
    fn draw_unique(&mut self, len: usize, alphabet: &[u8], taken: impl Fn(&str) -> bool) -> String {
        loop {
            let id = self.draw(len, alphabet);
            if !taken(&id) {
                return id;
            }
        }
    }

    fn draw(&mut self, len: usize, alphabet: &[u8]) -> String {
        let radix = alphabet.len().max(1) as u64;
        let mut id = String::with_capacity(len);
        while id.len() < len {
            self.drawn += 1;
            let mut bits = self.keys.hash_one(self.drawn);
            // Eight symbols per hash leave plenty of bits unused for a radix up to 36.
            for _ in 0..8 {
                if id.len() == len {
                    break;
                }
                let index = usize::try_from(bits % radix).unwrap_or_default();
                id.push(alphabet.get(index).map_or('0', |&b| char::from(b)));
                bits /= radix;
            }
        }
        id
    }
}

/// Everything a request can change.
#[derive(Debug)]
struct State {
    units: BTreeMap<String, UnitEntry>,
    tokens: HashMap<String, Token>,
    tasks: HashMap<String, Task>,
    /// Task ids per unit, oldest first.
    unit_tasks: HashMap<String, Vec<String>>,
    flow_keys: HashSet<String>,
    ids: Ids,
    faults: FaultQueue<Target>,
    requests: Vec<RecordedRequest>,
}

impl State {
    /// The newest task of `unit_id` still `Queuing` or `Running` at `now`.
    fn active_task(&self, unit_id: &str, now: Instant) -> Option<&str> {
        self.unit_tasks
            .get(unit_id)?
            .iter()
            .rev()
            .find(|id| {
                self.tasks.get(id.as_str()).is_some_and(|task| {
                    let elapsed = now.saturating_duration_since(task.accepted);
                    task.unit.observe(elapsed).status.is_active()
                })
            })
            .map(String::as_str)
    }
}

/// Shared by the handle and every request.
#[derive(Debug)]
struct Shared {
    clock: Clock,
    serial_number: String,
    app_url: String,
    token_ttl: Duration,
    run_limit: u32,
    run_window: Duration,
    /// As in [`KrewdataConfig`].
    task_statuses: Vec<(String, String)>,
    state: Mutex<State>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is plain data updated in single steps, so it is consistent even if a
        // holder panicked; refusing all later requests would help no one.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn entry(&self, unit: Unit) -> UnitEntry {
        UnitEntry {
            disabled: !unit.enabled,
            unit: Arc::new(unit),
            window: SlidingWindow::new(self.run_limit, self.run_window),
        }
    }
}

/// A running krewData simulator. Dropping it stops the server and closes its connections.
///
/// ```
/// use base64::Engine;
/// use jobrun_sim::krewdata::{DEFAULT_USER, KrewdataConfig, KrewdataSim};
/// use serde_json::{Value, json};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let sim = KrewdataSim::start(KrewdataConfig::new()).await?;
/// let unit = format!("{}/trigger/v1/simunitsucceeds", sim.base_url());
/// let client = reqwest::Client::new();
///
/// let serial = base64::engine::general_purpose::STANDARD.encode(sim.serial_number());
/// let token: Value = client
///     .post(format!("{unit}/token"))
///     .json(&json!({"krewdataAppUrl": sim.app_url(), "serialNumber": serial}))
///     .send()
///     .await?
///     .json()
///     .await?;
/// assert_eq!(token["code"], 200);
///
/// let run: Value = client
///     .post(format!("{unit}/run"))
///     .json(&json!({"accessToken": token["accessToken"], "user": DEFAULT_USER, "appId": "123"}))
///     .send()
///     .await?
///     .json()
///     .await?;
/// let status: Value = client
///     .post(format!("{unit}/status"))
///     .json(&json!({"accessToken": token["accessToken"], "taskId": run["taskId"]}))
///     .send()
///     .await?
///     .json()
///     .await?;
/// assert_eq!(status["taskStatus"], "Queuing");
/// sim.shutdown().await;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct KrewdataSim {
    shared: Arc<Shared>,
    server: Server,
}

impl KrewdataSim {
    /// Binds 127.0.0.1 on the configured port and starts serving.
    ///
    /// Must be called inside a tokio runtime; the server runs on it as spawned tasks.
    pub async fn start(config: KrewdataConfig) -> std::io::Result<KrewdataSim> {
        let mut shared = Shared {
            clock: Clock::start(),
            serial_number: config.serial_number,
            app_url: config.app_url,
            token_ttl: config.token_ttl,
            run_limit: config.run_limit,
            run_window: config.run_window,
            task_statuses: config.task_statuses,
            state: Mutex::new(State {
                units: BTreeMap::new(),
                tokens: HashMap::new(),
                tasks: HashMap::new(),
                unit_tasks: HashMap::new(),
                flow_keys: HashSet::new(),
                ids: Ids::new(),
                faults: FaultQueue::default(),
                requests: Vec::new(),
            }),
        };
        let units = config
            .units
            .into_iter()
            .map(|(id, unit)| (id, shared.entry(unit)))
            .collect();
        shared
            .state
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .units = units;
        let shared = Arc::new(shared);
        let server = Server::start(config.port, http::router(Arc::clone(&shared))).await?;
        Ok(KrewdataSim { shared, server })
    }

    /// `http://127.0.0.1:PORT`, the base URL to point a client at (paths start
    /// `/trigger/v1/`), standing for `https://api.krewdata.grapecity.com`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// The serial number the simulator accepts, plain; clients send its Base64.
    pub fn serial_number(&self) -> String {
        self.shared.serial_number.clone()
    }

    /// The `krewdataAppUrl` the simulator accepts.
    pub fn app_url(&self) -> String {
        self.shared.app_url.clone()
    }

    /// Queues `fault` for the next `times` requests to `target`. Faults are consumed in the
    /// order they were queued; each request takes at most one, from the oldest entry whose
    /// target matches it.
    pub fn inject(&self, target: Target, fault: Fault, times: usize) {
        self.shared.lock().faults.push(target, fault, times);
    }

    /// Every request received so far, in arrival order, faulted ones included.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// How many requests had this method (case-insensitive) and exactly this path, e.g.
    /// `count("POST", "/trigger/v1/simunitsucceeds/run")`.
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.shared
            .lock()
            .requests
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path == path)
            .count()
    }

    /// Adds or replaces the unit `unit_id` while running. Tasks already accepted keep the
    /// unit they started with; the unit's rate-limit history is kept; whether it is disabled
    /// is taken from [`Unit::enabled`] anew.
    pub fn set_unit(&self, unit_id: &str, unit: Unit) {
        let fresh = self.shared.entry(unit);
        let mut state = self.shared.lock();
        match state.units.get_mut(unit_id) {
            Some(entry) => {
                entry.unit = fresh.unit;
                entry.disabled = fresh.disabled;
            }
            None => {
                state.units.insert(unit_id.to_owned(), fresh);
            }
        }
    }

    /// Enables the unit `unit_id` again, as an administrator would after the rate limit
    /// disabled it, and forgets its recent token requests. Unknown ids are ignored.
    pub fn enable_unit(&self, unit_id: &str) {
        if let Some(entry) = self.shared.lock().units.get_mut(unit_id) {
            entry.disabled = false;
            entry.window.clear();
        }
    }

    /// Whether the unit `unit_id` is disabled, by its configuration or by the rate limit.
    /// `false` for unknown ids.
    pub fn is_unit_disabled(&self, unit_id: &str) -> bool {
        self.shared
            .lock()
            .units
            .get(unit_id)
            .is_some_and(|entry| entry.disabled)
    }

    /// The ids of every task of the unit `unit_id`, oldest first: how a test learns of a
    /// task whose run answer never arrived.
    pub fn task_ids(&self, unit_id: &str) -> Vec<String> {
        self.shared
            .lock()
            .unit_tasks
            .get(unit_id)
            .cloned()
            .unwrap_or_default()
    }

    /// Stops the server and waits until its connections are closed.
    pub async fn shutdown(mut self) {
        self.server.shutdown().await;
    }
}
