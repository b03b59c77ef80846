//! The HTTP face of the krewData simulator: one handler that records the request, applies
//! faults, and dispatches to the token, run and status logic.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use chrono_tz::Asia::Tokyo;
use tokio::time::Instant;

use super::answer::{self, Api, FlowInfo, Refusal, TaskState};
use super::input::{self, AppUrl};
use super::unit::ExecutionMethod;
use super::{Shared, State as SimState, Target, Task, Token};
use crate::fault::{Fault, Shape};
use crate::record::RecordedRequest;
use crate::server::ConnControl;

/// Bodies beyond this are refused as a wrong schema; real bodies are a record at most.
const MAX_BODY_BYTES: usize = 1 << 20;

/// Lowercase letters and digits, like the seed's `abcdefg1234567` and `hijklmn8901234`.
const ID_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const TOKEN_LEN: usize = 32;
const TASK_ID_LEN: usize = 20;
/// `flowExecUniqueKey` is all digits in the seed (`12345678`).
const FLOW_KEY_ALPHABET: &[u8] = b"0123456789";
const FLOW_KEY_LEN: usize = 8;

/// `2020-12-01 09:00:00`, the seed's flow times, read in JST.
const TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// How krewData's answers look, for the faults that make one up.
const SHAPE: Shape = Shape {
    content_type: "application/json",
    xml: false,
    error: |status, text| {
        let reason = axum::http::StatusCode::from_u16(status)
            .ok()
            .and_then(|code| code.canonical_reason())
            .unwrap_or_default();
        serde_json::json!({ "code": status, "status": reason, "description": text }).to_string()
    },
    huge: (r#"{"code":200,"status":"OK","description":""#, r#""}"#),
};

pub(super) fn router(shared: Arc<Shared>) -> Router {
    // Paths are parsed by hand: every unmatched one must answer krewData's "Request path is
    // invalid." body, which also covers methods other than POST.
    Router::new().fallback(serve).with_state(shared)
}

/// `POST /trigger/v1/{unit}/{token|run|status}`, or nothing krewData serves.
fn route<'a>(method: &Method, path: &'a str) -> Option<(Api, &'a str)> {
    if method != Method::POST {
        return None;
    }
    let (unit, api) = path.strip_prefix("/trigger/v1/")?.split_once('/')?;
    let api = match api {
        "token" => Api::Token,
        "run" => Api::Run,
        "status" => Api::Status,
        _ => return None,
    };
    (!unit.is_empty()).then_some((api, unit))
}

async fn serve(State(sim): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let route = route(&parts.method, parts.uri.path());
    let target = route.map(|(api, _)| match api {
        Api::Token => Target::Token,
        Api::Run => Target::Run,
        Api::Status => Target::Status,
    });
    let connection = parts.extensions.get::<ConnControl>().cloned();
    let now = sim.clock.now();
    // A reset before the body is read must be taken before reading it.
    let reset = sim.lock().faults.take_if(
        |aim| aim.applies_to(target),
        |fault| *fault == Fault::ResetBeforeRead,
    );
    if let Some(fault) = reset {
        sim.lock().requests.push(RecordedRequest::capture(
            &parts,
            &[],
            Some(&fault),
            sim.clock.wall_at(now),
        ));
        return crate::fault::apply(Some(fault), crate::fault::unanswered(), connection).await;
    }
    // The other way to fail here is a client vanishing mid-body, which reads no answer.
    let body = axum::body::to_bytes(body, MAX_BODY_BYTES).await.ok();

    let (fault, response) = {
        let mut state = sim.lock();
        let fault = state.faults.take(|aim| aim.applies_to(target));
        state.requests.push(RecordedRequest::capture(
            &parts,
            body.as_deref().unwrap_or_default(),
            fault.as_ref(),
            sim.clock.wall_at(now),
        ));
        // A failure in front of the service: the request has no effect at all.
        let front = fault.as_ref().and_then(|fault| {
            fault.front_answer(&SHAPE, &parts, body.as_deref().unwrap_or_default())
        });
        let response = match front {
            Some(answer) => answer,
            None => {
                let handled = match route {
                    None => Err(Refusal::PathInvalid),
                    Some((api, unit)) => handle(&sim, &mut state, api, unit, body, now),
                };
                handled.unwrap_or_else(IntoResponse::into_response)
            }
        };
        (fault, response)
    };
    crate::fault::apply(fault, response, connection).await
}

fn handle(
    sim: &Shared,
    state: &mut SimState,
    api: Api,
    unit_id: &str,
    body: Option<Bytes>,
    now: Instant,
) -> Result<Response, Refusal> {
    // The path names the unit before the body is read: an unknown unit is a wrong URL.
    if !state.units.contains_key(unit_id) {
        return Err(Refusal::PathInvalid);
    }
    let body = body.ok_or(Refusal::BodySchema(api))?;
    match api {
        Api::Token => token(sim, state, unit_id, &body, now),
        Api::Run => run(sim, state, unit_id, &body, now),
        Api::Status => status(sim, state, unit_id, &body, now),
    }
}

/// Unit checks shared by `token` and `run`.
fn check_unit(state: &SimState, unit_id: &str) -> Result<(), Refusal> {
    let entry = state.units.get(unit_id).ok_or(Refusal::PathInvalid)?;
    if entry.disabled || entry.unit.flows.is_empty() {
        return Err(Refusal::UnitInvalid);
    }
    if entry.unit.method != ExecutionMethod::Api {
        return Err(Refusal::RequestType);
    }
    Ok(())
}

fn token(
    sim: &Shared,
    state: &mut SimState,
    unit_id: &str,
    body: &[u8],
    now: Instant,
) -> Result<Response, Refusal> {
    let request = input::token_request(body)?;
    if AppUrl::parse(&sim.app_url).as_ref() != Some(&request.app_url) {
        return Err(Refusal::AppUrlInvalid);
    }
    if request.serial != sim.serial_number.as_bytes() {
        return Err(Refusal::IllegalLicense);
    }
    check_unit(state, unit_id)?;
    let entry = state.units.get_mut(unit_id).ok_or(Refusal::PathInvalid)?;
    // Only requests that would get a token count: a stranger without the serial number
    // must not be able to disable a unit by hammering it.
    if !entry.window.admit(now) {
        entry.disabled = true;
        return Err(Refusal::RateLimited);
    }
    let tokens = &state.tokens;
    let access_token = state
        .ids
        .draw_unique(TOKEN_LEN, ID_ALPHABET, |id| tokens.contains_key(id));
    state.tokens.insert(
        access_token.clone(),
        Token {
            unit_id: unit_id.to_owned(),
            issued: now,
            used: false,
        },
    );
    Ok(answer::token_issued(&access_token))
}

fn run(
    sim: &Shared,
    state: &mut SimState,
    unit_id: &str,
    body: &[u8],
    now: Instant,
) -> Result<Response, Refusal> {
    let request = input::run_request(body)?;
    check_unit(state, unit_id)?;
    let token = state
        .tokens
        .get(&request.access_token)
        .filter(|token| token.unit_id == unit_id)
        .ok_or(Refusal::TokenInvalid)?;
    if token.used {
        return Err(Refusal::TokenUsed);
    }
    if now.saturating_duration_since(token.issued) > sim.token_ttl {
        return Err(Refusal::TokenExpired);
    }
    let unit = state
        .units
        .get(unit_id)
        .map(|entry| Arc::clone(&entry.unit))
        .ok_or(Refusal::PathInvalid)?;
    if !request.app_id.is(unit.calling_app) {
        return Err(Refusal::NotCallingApp);
    }
    if unit.exclusive
        && let Some(active) = state.active_task(unit_id, now)
    {
        return Err(Refusal::Conflict(active.to_owned()));
    }

    let tasks = &state.tasks;
    let task_id = state
        .ids
        .draw_unique(TASK_ID_LEN, ID_ALPHABET, |id| tasks.contains_key(id));
    let mut flow_keys = Vec::with_capacity(unit.flows.len());
    for _ in &unit.flows {
        let taken = &state.flow_keys;
        let key = state
            .ids
            .draw_unique(FLOW_KEY_LEN, FLOW_KEY_ALPHABET, |key| taken.contains(key));
        state.flow_keys.insert(key.clone());
        flow_keys.push(key);
    }
    if let Some(token) = state.tokens.get_mut(&request.access_token) {
        token.used = true;
    }
    state
        .unit_tasks
        .entry(unit_id.to_owned())
        .or_default()
        .push(task_id.clone());
    state.tasks.insert(
        task_id.clone(),
        Task {
            unit_id: unit_id.to_owned(),
            unit,
            accepted: now,
            flow_keys,
        },
    );
    Ok(answer::run_accepted(&task_id))
}

fn status(
    sim: &Shared,
    state: &mut SimState,
    unit_id: &str,
    body: &[u8],
    now: Instant,
) -> Result<Response, Refusal> {
    let request = input::status_request(body)?;
    // Any live token of the unit will do, used by a run or not; disabled units still answer
    // so that callers can learn how earlier runs ended.
    state
        .tokens
        .get(&request.access_token)
        .filter(|token| token.unit_id == unit_id)
        .filter(|token| now.saturating_duration_since(token.issued) <= sim.token_ttl)
        .ok_or(Refusal::AccessTokenInvalid)?;
    let task = state
        .tasks
        .get(&request.task_id)
        .filter(|task| task.unit_id == unit_id)
        .ok_or(Refusal::TaskIdInvalid)?;
    let mut described = describe(sim, task, now);
    if let Some((_, shown)) = sim
        .task_statuses
        .iter()
        .find(|(documented, _)| *documented == described.task_status)
    {
        described.task_status.clone_from(shown);
    }
    Ok(answer::task_state(&described))
}

/// The `status` answer of `task` at `now`.
fn describe(sim: &Shared, task: &Task, now: Instant) -> TaskState {
    let view = task
        .unit
        .observe(now.saturating_duration_since(task.accepted));
    let stamp = |offset| {
        sim.clock
            .utc_at(task.accepted + offset)
            .with_timezone(&Tokyo)
            .format(TIME_FORMAT)
            .to_string()
    };
    let mut state = TaskState::new(view.status.as_str());
    if let Some((code, message)) = view.error {
        state.error_code = Some(code.to_owned());
        state.error_message = Some(message.to_owned());
    }
    state.flow_info = view
        .flows
        .iter()
        .zip(&task.unit.flows)
        .zip(&task.flow_keys)
        .map(|((flow, (name, _)), key)| FlowInfo {
            flow_exec_unique_key: key.clone(),
            flow_name: name.clone(),
            status: flow.status.as_str(),
            start_time: flow.started.map(stamp),
            // A running flow shows `endTime: ""`, as in the seed's sample.
            end_time: flow
                .started
                .map(|_| flow.ended.map(stamp).unwrap_or_default()),
        })
        .collect();
    state
}
