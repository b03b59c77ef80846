//! The client: runs, status reads and waits, with tokens handled, over the request core and
//! the waiter.

use std::{
    collections::HashMap,
    fmt,
    sync::{Arc, Mutex},
};

use base64::Engine as _;
use jobrun_transport::SecretString;
use krewdata_api::{Client, types};
use secrecy::ExposeSecret;
use serde::Serialize;
use tokio::time::Instant;

use super::{
    AppUrl, CONTENT_TYPE, KrewdataConfig, KrewdataError, RunGuard, RunUnit, StatusAnswer,
    TOKEN_REUSE, TaskId, USER_ENV, UnitId, error, input::api_unit, status::snapshot,
};
use crate::{
    Error,
    outcome::JobRef,
    request::{Call, Core, Dialect, Repeat, Secrets, Within, no_kind},
    wait::{self, Begun, Snapshot, Start},
};

/// An access token and when it was received. Never printed.
#[derive(Clone)]
struct Token {
    secret: SecretString,
    received: Instant,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token(received {:?} ago)", self.received.elapsed())
    }
}

/// A task a run started, with the token that started it (reused by the wait while young).
#[derive(Debug)]
pub struct StartedTask {
    /// `krewdata:task:<unitId>:<taskId>`.
    pub job: JobRef,
    /// The unit.
    pub unit: UnitId,
    /// The task.
    pub task: TaskId,
    token: Token,
}

impl Serialize for StartedTask {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shown<'a> {
            job: &'a JobRef,
            unit: &'a str,
            task: &'a str,
        }
        Shown {
            job: &self.job,
            unit: &self.unit.0,
            task: &self.task.0,
        }
        .serialize(serializer)
    }
}

static DIALECT: Dialect = Dialect {
    vendor: "krewdata",
    reset_header: None,
    words: error::words,
    auth_hint: "check the serial number of the unit's real-time execution",
    status_kind: no_kind,
    check: "look at the unit's execution history in krewData",
};

/// A krewData client: runs, status reads and waits, with tokens handled.
#[derive(Clone, Debug)]
pub struct KrewdataClient {
    api: Client,
    core: Core,
    app_url: AppUrl,
    pub(super) serial_base64: SecretString,
    user: Option<String>,
    guard: RunGuard,
    /// Status tokens of the waits by reference, per unit (see [`KrewdataClient::wait`]).
    status_tokens: Arc<Mutex<HashMap<UnitId, Arc<TokenSlot>>>>,
}

impl KrewdataClient {
    /// Builds a client; nothing is sent yet.
    pub fn new(config: KrewdataConfig) -> Result<Self, Error> {
        let http = config.http.build()?;
        let transport = config
            .http
            .transport()
            .with_content_type("application/json", CONTENT_TYPE);
        let serial = config.serial_number.expose_secret().trim();
        // What the seed's sample sends: `window.btoa(serialNumber)`, standard Base64 with
        // padding of the serial's bytes.
        let serial_base64 =
            SecretString::from(base64::engine::general_purpose::STANDARD.encode(serial.as_bytes()));
        let secrets = Secrets::default();
        secrets.add(serial);
        secrets.add(serial_base64.expose_secret());
        let app_url = config.app_url.to_string();
        let account = ["krewdata", config.base_url.as_str(), &app_url];
        Ok(Self {
            api: Client::new_with_client(config.base_url.as_str(), http, transport),
            core: Core::new(&DIALECT, &config.http, &account, config.rate_limit, secrets)?,
            app_url: config.app_url,
            serial_base64,
            user: config.user,
            guard: config.guard,
            status_tokens: Arc::default(),
        })
    }

    /// [`KrewdataClient::new`] with [`KrewdataConfig::from_env`].
    pub fn from_env() -> Result<Self, Error> {
        Self::new(KrewdataConfig::from_env()?)
    }

    /// A fresh token for `unit`, once the run guard allows it. Not repeated after a request
    /// that may have arrived: every token request counts toward the unit's 5 a minute.
    async fn token(&self, unit: &UnitId, from_wait: bool, within: Within) -> Result<Token, Error> {
        self.guard.admit(unit, self.core.now(), from_wait)?;
        let body = types::TokenRequest {
            krewdata_app_url: self.app_url.to_string(),
            serial_number: self.serial_base64.expose_secret().to_owned(),
        };
        let path = api_unit(unit)?;
        let operation = "requestToken";
        let answer = self
            .core
            .send_read(
                operation,
                Repeat::Once,
                within,
                || self.api.request_token(&path, &body),
                |answer| async move { check_code(self.core.op(operation), answer.code, answer) },
            )
            .await?;
        self.core.secrets().add_recent(&answer.access_token);
        Ok(Token {
            secret: SecretString::from(answer.access_token),
            received: Instant::now(),
        })
    }

    /// Runs a unit: a fresh token, then the run. The run is never sent twice: it is retried
    /// only when the connection failed before the request was written.
    pub async fn start(&self, run: &RunUnit) -> Result<StartedTask, Error> {
        self.start_within(run, self.core.single()).await
    }

    async fn start_within(&self, run: &RunUnit, within: Within) -> Result<StartedTask, Error> {
        let user = run
            .user
            .clone()
            .or_else(|| self.user.clone())
            .ok_or_else(|| {
                Error::Config(format!(
                    "no kintone user to record as the run's user: set {USER_ENV} or give the run \
                     one (RunUnit::user)"
                ))
            })?;
        if user.trim().is_empty() {
            return Err(Error::invalid("kintone user", user, "a kintone login name"));
        }
        let path = api_unit(&run.unit)?;
        let token = self.token(&run.unit, false, within).await?;
        let body = types::RunRequest {
            access_token: token.secret.expose_secret().to_owned(),
            user,
            // As the seed's sample sends it: `event.appId.toString()`.
            app_id: types::AppId::String(run.app_id.to_string()),
            record: run.record.as_ref().map(|r| r.0.clone()),
        };
        let operation = "runUnit";
        let task = self
            .core
            .send_read(
                operation,
                Repeat::Trigger,
                within,
                || self.api.run_unit(&path, &body),
                |answer| async move {
                    check_code(self.core.op(operation), answer.code, &answer)?;
                    answer.task_id.parse::<TaskId>().map_err(|_| Error::Decode {
                        vendor: "krewdata",
                        operation,
                        reason: format!("the taskId {:?} is not a usable id", answer.task_id),
                        body: String::new(),
                    })
                },
            )
            .await?;
        Ok(StartedTask {
            job: JobRef::KrewdataTask {
                unit: run.unit.clone(),
                task: task.clone(),
            },
            unit: run.unit.clone(),
            task,
            token,
        })
    }

    /// Reads how a task stands, with a fresh token.
    pub async fn status(&self, unit: &UnitId, task: &TaskId) -> Result<StatusAnswer, Error> {
        let slot = TokenSlot::default();
        self.read_status(unit, task, &slot, false, self.core.single())
            .await
    }

    /// One status read with the token in `slot`: renewed when it is older than
    /// [`TOKEN_REUSE`], and once more when krewData says it is no longer good.
    async fn read_status(
        &self,
        unit: &UnitId,
        task: &TaskId,
        slot: &TokenSlot,
        from_wait: bool,
        within: Within,
    ) -> Result<StatusAnswer, Error> {
        let token = match slot.young() {
            Some(token) => token,
            None => {
                // One token request for every wait sharing the slot.
                let _one = slot.fetching.lock().await;
                match slot.young() {
                    Some(token) => token,
                    None => slot.put(self.token(unit, from_wait, within).await?),
                }
            }
        };
        match self.status_once(unit, task, &token, within).await {
            Err(e) if e.krewdata().is_some_and(KrewdataError::is_token_problem) => {
                tracing::info!(%unit, "status token refused; getting a new one once");
                let token = slot.put(self.token(unit, from_wait, within).await?);
                self.status_once(unit, task, &token, within).await
            }
            other => other,
        }
    }

    async fn status_once(
        &self,
        unit: &UnitId,
        task: &TaskId,
        token: &Token,
        within: Within,
    ) -> Result<StatusAnswer, Error> {
        let body = types::StatusRequest {
            access_token: token.secret.expose_secret().to_owned(),
            task_id: task.0.clone(),
        };
        let path = api_unit(unit)?;
        let operation = "getTaskStatus";
        self.core
            .send_read(
                operation,
                Repeat::Safe,
                within,
                || self.api.get_task_status(&path, &body),
                |answer| async move {
                    check_code(self.core.op(operation), answer.code, &answer)?;
                    Ok(answer)
                },
            )
            .await
    }

    wait::methods! {
        /// Runs a unit and waits until its task ends; `options.timeout` bounds both.
        fn start_and_wait(run: &RunUnit);
        /// Waits for a task by its reference (from another process, say). Waits by
        /// reference of one client share one status token per unit (krewData accepts any
        /// unexpired token of the unit), so many waits on a unit need one token request per
        /// [`TOKEN_REUSE`], not one each against the five per minute the run guard allows.
        fn wait;
        /// Waits for a task a run just started, reusing its token while it is young.
        fn wait_started(&StartedTask);
    }
}

/// What a wait for a task keeps: its ids and the token its reads use.
#[derive(Debug)]
pub(crate) struct Watched {
    unit: UnitId,
    task: TaskId,
    slot: Arc<TokenSlot>,
}

/// The wait of a task a run just started: its first read waits `poll_min`, as the vendor's
/// own sample does, and uses the run's token while it is young.
fn begun(started: &StartedTask) -> Result<Begun<Watched>, Error> {
    let slot = Arc::new(TokenSlot::default());
    slot.put(started.token.clone());
    Ok(Begun {
        job: started.job.clone(),
        watch: Watched {
            unit: started.unit.clone(),
            task: started.task.clone(),
            slot,
        },
        start: Start::Later,
    })
}

impl wait::Vendor for KrewdataClient {
    type Watch = Watched;

    fn watch(&self, job: &JobRef) -> Result<Watched, Error> {
        let JobRef::KrewdataTask { unit, task } = job else {
            return Err(job.refused("a krewData reference, krewdata:task:<unitId>:<taskId>"));
        };
        let slot = self
            .status_tokens
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(unit.clone())
            .or_default()
            .clone();
        Ok(Watched {
            unit: unit.clone(),
            task: task.clone(),
            slot,
        })
    }

    async fn read(&self, watch: &Watched, within: Within) -> Result<Snapshot, Error> {
        self.read_status(&watch.unit, &watch.task, &watch.slot, true, within)
            .await
            .map(|a| snapshot(&a))
    }
}

/// The token a wait (or the waits of a unit) reuses.
#[derive(Debug, Default)]
struct TokenSlot {
    token: Mutex<Option<Token>>,
    fetching: tokio::sync::Mutex<()>,
}

impl TokenSlot {
    fn young(&self) -> Option<Token> {
        let guard = self
            .token
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        guard
            .as_ref()
            .filter(|t| t.received.elapsed() < TOKEN_REUSE)
            .cloned()
    }

    fn put(&self, token: Token) -> Token {
        let mut guard = self
            .token
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *guard = Some(token.clone());
        token
    }
}

/// An answer that decoded as a success but whose JSON `code` says otherwise is an error.
fn check_code<T: Serialize>(c: Call, code: i32, answer: T) -> Result<T, Error> {
    if code == 200 {
        return Ok(answer);
    }
    let body = serde_json::to_vec(&answer).unwrap_or_default();
    let words = (c.dialect.words)(&body).unwrap_or_default();
    Err(c.api_error_with(200, words, &body, None))
}
