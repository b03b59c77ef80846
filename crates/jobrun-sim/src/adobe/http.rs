//! The HTTP face of the Adobe simulator: one handler that records the request, applies
//! faults, runs the gateway's checks and dispatches to IMS or to the nine schedule
//! operations.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::{ALLOW, AUTHORIZATION, CONTENT_TYPE, HOST};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;

use super::answer::{self, Json, Page, Style};
use super::input::{self, Field, Filter, ListKind, ListQuery, PatchOp, Start, iso_ms};
use super::store::{ScheduleState, StoredSchedule};
use super::{
    ALPHANUMERIC, DEFAULT_SANDBOX, PLATFORM_PREFIX, Shared, State as SimState, TOKEN_PATH, Target,
    ims,
};
use crate::fault::{Fault, Shape};
use crate::record::RecordedRequest;
use crate::server::ConnControl;

/// Bodies beyond this are refused as malformed; real ones are a few hundred bytes.
const MAX_BODY_BYTES: usize = 1 << 20;

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The service's documented texts (spec, research §3).
const PATCH_ACCEPTED: &str = "Request to patch accepted";
const DELETED: &str = "Schedule deleted successfully";
const TRIGGER_ACCEPTED: &str = "Request to trigger run of a scheduled query accepted.";
const CANCEL_ACCEPTED: &str = "Request to cancel run of a scheduled query accepted";
const ALREADY_IN_STATE: &str = "Schedule already in the state request";
const INACTIVE: &str = "Schedule is in Inactive state. Please try after sometime.";
const DISABLE_FIRST: &str = "Please disable the schedule before requesting delete operation";
const ACTIVE_RUNS: &str = "There are active run(s) for this schedule, please wait for completion before requesting delete operation";
const TRIGGER_DISABLED: &str = "Schedule is disabled. Immediate run cannot be triggered";

pub(super) fn router(shared: Arc<Shared>) -> Router {
    // Paths are matched by hand so that unknown ones and wrong methods still pass the
    // gateway's checks and get the vendor's JSON shapes rather than axum's plain text.
    Router::new().fallback(serve).with_state(shared)
}

/// One of the nine schedule operations, with its path parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    ListSchedules,
    CreateSchedule,
    GetSchedule(String),
    DeleteSchedule(String),
    UpdateSchedule(String),
    ListRuns(String),
    TriggerRun(String),
    GetRun(String, String),
    CancelRun(String, String),
}

/// What a request is for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Route {
    Token,
    /// Under `/ims/` but not the token endpoint.
    ImsUnknown,
    Platform(Op),
    /// A known path with a method it does not serve.
    WrongMethod(&'static str),
    Unknown,
}

/// `%3D` and the like in a path segment (a Base64 run id's `=` may come escaped). A segment
/// that does not decode to UTF-8 is taken as it came.
fn decode_segment(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| char::from(*b).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                // Two hex digits make at most 255.
                out.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| segment.to_owned())
}

impl Route {
    fn of(method: &Method, path: &str) -> Route {
        // One trailing slash is forgiven: `/schedules/` is `/schedules`.
        let path = match path.strip_suffix('/') {
            Some(trimmed) if !trimmed.is_empty() => trimmed,
            _ => path,
        };
        if path == TOKEN_PATH {
            return Route::Token;
        }
        if path == "/ims" || path.starts_with("/ims/") {
            return Route::ImsUnknown;
        }
        let Some(rest) = path
            .strip_prefix(PLATFORM_PREFIX)
            .and_then(|rest| rest.strip_prefix("/schedules"))
        else {
            return Route::Unknown;
        };
        if !rest.is_empty() && !rest.starts_with('/') {
            return Route::Unknown;
        }
        let segments: Vec<String> = rest.split('/').skip(1).map(decode_segment).collect();
        if segments.iter().any(String::is_empty) {
            return Route::Unknown;
        }
        let m = method.as_str();
        let op = match (segments.as_slice(), m) {
            ([], "GET") => Op::ListSchedules,
            ([], "POST") => Op::CreateSchedule,
            ([], _) => return Route::WrongMethod("GET, POST"),
            ([id], "GET") => Op::GetSchedule(id.clone()),
            ([id], "DELETE") => Op::DeleteSchedule(id.clone()),
            ([id], "PATCH") => Op::UpdateSchedule(id.clone()),
            ([_], _) => return Route::WrongMethod("GET, PATCH, DELETE"),
            ([id, runs], "GET") if runs == "runs" => Op::ListRuns(id.clone()),
            ([id, runs], "POST") if runs == "runs" => Op::TriggerRun(id.clone()),
            ([_, runs], _) if runs == "runs" => return Route::WrongMethod("GET, POST"),
            ([id, runs, run], "GET") if runs == "runs" => Op::GetRun(id.clone(), run.clone()),
            ([id, runs, run], "PATCH") if runs == "runs" => Op::CancelRun(id.clone(), run.clone()),
            ([_, runs, _], _) if runs == "runs" => return Route::WrongMethod("GET, PATCH"),
            _ => return Route::Unknown,
        };
        Route::Platform(op)
    }

    fn target(&self) -> Option<Target> {
        Some(match self {
            Route::Token => Target::Token,
            Route::Platform(op) => match op {
                Op::ListSchedules => Target::ListSchedules,
                Op::CreateSchedule => Target::CreateSchedule,
                Op::GetSchedule(_) => Target::GetSchedule,
                Op::DeleteSchedule(_) => Target::DeleteSchedule,
                Op::UpdateSchedule(_) => Target::UpdateSchedule,
                Op::ListRuns(_) => Target::ListRuns,
                Op::TriggerRun(_) => Target::TriggerRun,
                Op::GetRun(..) => Target::GetRun,
                Op::CancelRun(..) => Target::CancelRun,
            },
            Route::ImsUnknown | Route::WrongMethod(_) | Route::Unknown => return None,
        })
    }
}

/// How Query Service's answers look, for the faults that make one up.
const PLATFORM_SHAPE: Shape = Shape {
    content_type: answer::JSON,
    xml: false,
    error: |status, text| serde_json::json!({ "message": text, "statusCode": status }).to_string(),
    huge: (r#"{"message":""#, r#"","statusCode":200}"#),
};

/// How Adobe IMS's answers look: OAuth errors, and a token answer for `Huge`.
const IMS_SHAPE: Shape = Shape {
    content_type: answer::JSON,
    xml: false,
    error: |_, text| {
        serde_json::json!({ "error": "invalid_request", "error_description": text }).to_string()
    },
    huge: (
        r#"{"token_type":"bearer","access_token":""#,
        r#"","expires_in":86399}"#,
    ),
};

async fn serve(State(sim): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let route = Route::of(&parts.method, parts.uri.path());
    let connection = parts.extensions.get::<ConnControl>().cloned();
    // A reset before the body is read must be taken before reading it.
    let reset = sim.lock().faults.take_if(
        |aim| aim.applies_to(route.target()),
        |fault| *fault == Fault::ResetBeforeRead,
    );
    if let Some(fault) = reset {
        sim.lock().requests.push(RecordedRequest::capture(
            &parts,
            &[],
            Some(&fault),
            sim.clock.wall_at(sim.clock.now()),
        ));
        return crate::fault::apply(Some(fault), crate::fault::unanswered(), connection).await;
    }
    // `None` when the body is too large or the client vanished mid-body.
    let body = axum::body::to_bytes(body, MAX_BODY_BYTES).await.ok();
    let now = sim.now_ms();

    let (fault, mut response, request_id) = {
        let mut state = sim.lock();
        let fault = state.faults.take(|aim| aim.applies_to(route.target()));
        state.requests.push(RecordedRequest::capture(
            &parts,
            body.as_deref().unwrap_or_default(),
            fault.as_ref(),
            sim.clock.wall_at(sim.clock.now()),
        ));
        // A failure in front of everything: the request has no effect at all.
        let shape = match route {
            Route::Token | Route::ImsUnknown => &IMS_SHAPE,
            _ => &PLATFORM_SHAPE,
        };
        let front = fault.as_ref().and_then(|fault| {
            fault.front_answer(shape, &parts, body.as_deref().unwrap_or_default())
        });
        let response = match front {
            Some(answer) => answer,
            None => handle(&sim, &mut state, &parts, &route, body.as_deref(), now),
        };
        let request_id = request_id(&parts.headers, &mut state);
        (fault, response, request_id)
    };
    response.headers_mut().insert(X_REQUEST_ID, request_id);
    crate::fault::apply(fault, response, connection).await
}

/// The client's own `x-request-id`, echoed, or a new one ("the server generates one
/// automatically").
fn request_id(headers: &HeaderMap, state: &mut SimState) -> HeaderValue {
    headers
        .get(&X_REQUEST_ID)
        .filter(|value| !value.is_empty())
        .cloned()
        .or_else(|| HeaderValue::from_str(&state.ids.draw(32, ALPHANUMERIC)).ok())
        .unwrap_or_else(|| HeaderValue::from_static("jobrun-sim"))
}

fn handle(
    sim: &Shared,
    state: &mut SimState,
    parts: &Parts,
    route: &Route,
    body: Option<&[u8]>,
    now: i64,
) -> Response {
    match route {
        Route::Token => ims::token(sim, state, parts, body.unwrap_or_default(), now),
        Route::ImsUnknown => answer::oauth(
            StatusCode::NOT_FOUND,
            "not_found",
            &format!("no IMS endpoint at {}", parts.uri.path()),
        ),
        Route::Platform(_) | Route::WrongMethod(_) | Route::Unknown => {
            if let Err(refused) = gateway(sim, state, parts, body, now) {
                return refused.into_response();
            }
            match route {
                Route::Platform(op) => platform(sim, state, parts, op, body, now)
                    .unwrap_or_else(Refusal::into_response),
                Route::WrongMethod(allow) => {
                    let mut response = answer::message(
                        StatusCode::METHOD_NOT_ALLOWED,
                        &format!(
                            "Method {} is not allowed on {}",
                            parts.method,
                            parts.uri.path()
                        ),
                    );
                    response
                        .headers_mut()
                        .insert(ALLOW, HeaderValue::from_static(allow));
                    response
                }
                _ => answer::message(
                    StatusCode::NOT_FOUND,
                    &format!("No such resource: {} {}", parts.method, parts.uri.path()),
                ),
            }
        }
    }
}

/// A header's value, trimmed; `Some(None)` when present but not text.
fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<Option<&'a str>> {
    let value = headers.get(name)?;
    match value.to_str() {
        Ok(text) if text.trim().is_empty() => None,
        Ok(text) => Some(Some(text.trim())),
        Err(_) => Some(None),
    }
}

/// The gateway's checks, in the order of the module docs.
fn gateway(
    sim: &Shared,
    state: &mut SimState,
    parts: &Parts,
    body: Option<&[u8]>,
    now: i64,
) -> Result<(), Refusal> {
    let headers = &parts.headers;
    let refuse = |status, code, message| Err(Refusal::Gateway(status, code, message));

    let Some(authorization) = header(headers, AUTHORIZATION.as_str()) else {
        return refuse(StatusCode::FORBIDDEN, "403010", "Oauth token is missing.");
    };
    let token = authorization
        .and_then(|text| text.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    let live = token.is_some_and(|token| {
        state
            .tokens
            .get(token)
            .is_some_and(|issued| now < issued.expires_ms)
    });
    if !live {
        if let Some(token) = token {
            // An expired token is gone for good.
            state.tokens.remove(token);
        }
        return refuse(
            StatusCode::UNAUTHORIZED,
            "401013",
            "Oauth token is not valid",
        );
    }

    match header(headers, "x-api-key") {
        None => return refuse(StatusCode::FORBIDDEN, "403000", "Api Key is required"),
        Some(key) if key != Some(sim.client_id.as_str()) => {
            return refuse(StatusCode::FORBIDDEN, "403003", "Api Key is invalid");
        }
        Some(_) => {}
    }

    match header(headers, "x-gw-ims-org-id") {
        None => return refuse(StatusCode::BAD_REQUEST, "400003", "Missing header"),
        Some(org) if org != Some(sim.org_id.as_str()) => {
            return refuse(StatusCode::FORBIDDEN, "403025", "Profile is not valid");
        }
        Some(_) => {}
    }

    let sends_body = matches!(parts.method, Method::POST | Method::PUT | Method::PATCH)
        && body.is_none_or(|body| !body.is_empty());
    if sends_body {
        let json = headers
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return Err(Refusal::ContentType);
        }
    }
    Ok(())
}

/// Why a request is refused; it becomes its answer at the end (kept small, unlike a
/// `Response`, so that `Result`s stay cheap).
#[derive(Debug)]
enum Refusal {
    /// The gateway's `{"error_code","message"}`.
    Gateway(StatusCode, &'static str, &'static str),
    /// The gateway's RFC-7807-like content-type answer.
    ContentType,
    /// The service's `{"message","statusCode"}`.
    Service(StatusCode, String),
}

impl Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Gateway(status, code, message) => answer::gateway(status, code, message),
            Refusal::ContentType => answer::content_type_refused(),
            Refusal::Service(status, message) => answer::message(status, &message),
        }
    }
}

fn bad_request(message: impl Into<String>) -> Refusal {
    Refusal::Service(StatusCode::BAD_REQUEST, message.into())
}

fn schedule_not_found(id: &str) -> Refusal {
    Refusal::Service(StatusCode::NOT_FOUND, format!("Schedule not found: {id}"))
}

fn run_not_found(run_id: &str) -> Refusal {
    Refusal::Service(StatusCode::NOT_FOUND, format!("Run not found: {run_id}"))
}

/// The base of links: the bound address, or (before it is known) the request's `Host`.
fn base(sim: &Shared, parts: &Parts) -> String {
    sim.base.get().cloned().unwrap_or_else(|| {
        let host = parts
            .headers
            .get(HOST)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("127.0.0.1");
        format!("http://{host}")
    })
}

fn platform(
    sim: &Shared,
    state: &mut SimState,
    parts: &Parts,
    op: &Op,
    body: Option<&[u8]>,
    now: i64,
) -> Result<Response, Refusal> {
    let base = base(sim, parts);
    let style = Style {
        base: &base,
        doc_style: sim.doc_style,
        links_as_strings: sim.links_as_strings,
    };
    // The spec calls the header required; absent, the production sandbox answers.
    let sandbox = match header(&parts.headers, "x-sandbox-name") {
        Some(Some(name)) => name.to_owned(),
        _ => DEFAULT_SANDBOX.to_owned(),
    };
    let find = |state: &SimState, id: &str| {
        state
            .schedule_index(id, &sandbox)
            .ok_or_else(|| schedule_not_found(id))
    };
    let query = parts.uri.query();
    match op {
        Op::ListSchedules => list_schedules(state, &style, query, &sandbox, now),
        Op::CreateSchedule => create_schedule(sim, state, &style, body, &sandbox, now),
        Op::GetSchedule(id) => {
            let index = find(state, id)?;
            let schedule = &state.schedules[index];
            let json = answer::schedule(&style, schedule, schedule.state(now), true);
            Ok(answer::send(StatusCode::OK, answer::JSON, &json))
        }
        Op::DeleteSchedule(id) => {
            let index = find(state, id)?;
            let schedule = &state.schedules[index];
            if schedule.state(now) != ScheduleState::Disabled {
                return Err(bad_request(DISABLE_FIRST));
            }
            if schedule.active_runs(now) > 0 {
                return Err(bad_request(ACTIVE_RUNS));
            }
            state.schedules.remove(index);
            Ok(answer::message(StatusCode::ACCEPTED, DELETED))
        }
        Op::UpdateSchedule(id) => {
            let index = find(state, id)?;
            update_schedule(sim, state, index, body, now)
        }
        Op::ListRuns(id) => {
            let index = find(state, id)?;
            list_runs(sim, state, &style, index, query, now)
        }
        Op::TriggerRun(id) => {
            let index = find(state, id)?;
            let schedule = &state.schedules[index];
            match schedule.state(now) {
                ScheduleState::Disabled => return Err(bad_request(TRIGGER_DISABLED)),
                ScheduleState::Registering => return Err(bad_request(INACTIVE)),
                ScheduleState::Enabled => {}
            }
            if schedule.active_runs(now) >= usize::try_from(schedule.max_active_runs).unwrap_or(1) {
                return Err(bad_request(format!(
                    "Schedule has reached its maximum number of active runs ({}). Immediate run cannot be triggered",
                    schedule.max_active_runs
                )));
            }
            let script = schedule.script.clone();
            state.add_run(index, true, &script, now);
            Ok(answer::message(StatusCode::ACCEPTED, TRIGGER_ACCEPTED))
        }
        Op::GetRun(id, run_id) => {
            let index = find(state, id)?;
            let schedule = &state.schedules[index];
            let run = schedule.run(run_id).ok_or_else(|| run_not_found(run_id))?;
            let view = sim.run_view(run, now);
            let json = answer::run_details(&style, &schedule.id, run, &view);
            Ok(answer::send(StatusCode::OK, answer::JSON, &json))
        }
        Op::CancelRun(id, run_id) => {
            let index = find(state, id)?;
            let schedule = &mut state.schedules[index];
            let run = schedule
                .runs
                .iter_mut()
                .find(|run| run.id == *run_id)
                .ok_or_else(|| run_not_found(run_id))?;
            input::cancel(body.unwrap_or_default()).map_err(bad_request)?;
            if !run.active(now) {
                let view = sim.run_view(run, now);
                return Err(bad_request(format!(
                    "Run is not in progress ({}). Only a run in progress can be cancelled",
                    view.state
                )));
            }
            run.cancelled_ms = Some(now);
            Ok(answer::message(StatusCode::ACCEPTED, CANCEL_ACCEPTED))
        }
    }
}

fn create_schedule(
    sim: &Shared,
    state: &mut SimState,
    style: &Style<'_>,
    body: Option<&[u8]>,
    sandbox: &str,
    now: i64,
) -> Result<Response, Refusal> {
    let malformed = |detail: String| bad_request(format!("The payload is malformed: {detail}"));
    let body = body.ok_or_else(|| malformed("the body is too large".to_owned()))?;
    let new = input::new_schedule(body).map_err(malformed)?;
    let id = state.schedule_id(&sim.org_id, new.query.name.as_deref());
    let created = state.stamp(now);
    state.schedules.push(StoredSchedule {
        id,
        sandbox: sandbox.to_owned(),
        query: new.query,
        cron: new.cron,
        start_date: new.start_date,
        end_date: new.end_date,
        max_active_runs: new.max_active_runs,
        user_id: sim.technical_account.clone(),
        updated_user_id: sim.technical_account.clone(),
        created_ms: created,
        updated_ms: created,
        registering_until_ms: now.saturating_add(sim.registering_ms),
        enabled: true,
        script: sim.default_run.clone(),
        runs: Vec::new(),
    });
    let schedule = state
        .schedules
        .last()
        .ok_or_else(|| Refusal::Service(StatusCode::INTERNAL_SERVER_ERROR, "lost".into()))?;
    // The spec: "We don't return this parameter [created, updated] in response for POST".
    let json = answer::schedule(style, schedule, schedule.state(now), false);
    Ok(answer::send(StatusCode::ACCEPTED, answer::JSON, &json))
}

fn update_schedule(
    sim: &Shared,
    state: &mut SimState,
    index: usize,
    body: Option<&[u8]>,
    now: i64,
) -> Result<Response, Refusal> {
    let operations = input::patch(body.unwrap_or_default()).map_err(bad_request)?;
    let schedule = &state.schedules[index];
    if schedule.state(now) == ScheduleState::Registering {
        return Err(bad_request(INACTIVE));
    }
    // Checked in full before anything changes, each against the state the operations
    // before it leave.
    let mut enabled = schedule.enabled;
    for operation in &operations {
        if let PatchOp::State(enable) = operation {
            if *enable == enabled {
                return Err(bad_request(ALREADY_IN_STATE));
            }
            enabled = *enable;
        }
    }
    let updated = state.stamp(now);
    let schedule = &mut state.schedules[index];
    for operation in operations {
        match operation {
            PatchOp::State(enable) => schedule.enabled = enable,
            PatchOp::Cron(cron) => schedule.cron = cron,
        }
    }
    schedule.updated_ms = updated;
    schedule.updated_user_id.clone_from(&sim.technical_account);
    Ok(answer::message(StatusCode::ACCEPTED, PATCH_ACCEPTED))
}

/// One page of `items` (each with its ordering keys and id) as `query` asks.
struct Paged<T> {
    items: Vec<T>,
    page: Page,
}

/// An item of a list with what ordering and paging need.
struct Keyed<T> {
    item: T,
    created: i64,
    updated: i64,
    id: String,
}

/// Percent-encodes all but unreserved characters and `:` and `,`, so that a timestamp stays
/// readable in a next link (`start=2022-11-01T00:11:08.389Z`, as in the spec's sample) and a
/// client that pulls `start` out of the link and sends it again does not double-encode it.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~:,".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn paginate<T>(mut items: Vec<Keyed<T>>, query: &ListQuery, url: &str) -> Paged<T> {
    let key = |item: &Keyed<T>| match query.orderby.field {
        Field::Created => item.created,
        Field::Updated => item.updated,
    };
    items.sort_by(|a, b| {
        let order = key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id));
        if query.orderby.descending {
            order.reverse()
        } else {
            order
        }
    });
    let offset = match query.start {
        Some(Start::At(at)) => {
            items.retain(|item| {
                if query.orderby.descending {
                    key(item) <= at
                } else {
                    key(item) >= at
                }
            });
            None
        }
        Some(Start::Offset(offset)) => Some(offset),
        None => None,
    };
    let mut rest = items.into_iter().skip(offset.unwrap_or(0));
    let page: Vec<Keyed<T>> = rest.by_ref().take(query.limit).collect();
    let following = rest.next();
    let next = following.as_ref().map(|item| match offset {
        Some(offset) => offset.saturating_add(query.limit).to_string(),
        None => iso_ms(key(item)),
    });
    let next_href = next.as_ref().map(|next| {
        let mut href = format!(
            "{url}?orderby={}&start={}&limit={}",
            encode(&query.orderby.label()),
            encode(next),
            query.limit
        );
        if let Some(property) = &query.property {
            href.push_str(&format!("&property={}", encode(property)));
        }
        href
    });
    Paged {
        page: Page {
            orderby: query.orderby.label(),
            start: page.first().map(|item| iso_ms(key(item))),
            next,
            property: query.property.clone(),
            count: page.len(),
            next_href,
        },
        items: page.into_iter().map(|keyed| keyed.item).collect(),
    }
}

fn list_schedules(
    state: &SimState,
    style: &Style<'_>,
    query: Option<&str>,
    sandbox: &str,
    now: i64,
) -> Result<Response, Refusal> {
    let query = input::list_query(query, ListKind::Schedules).map_err(bad_request)?;
    let matches = |schedule: &StoredSchedule| {
        query.filters.iter().all(|filter| match filter {
            Filter::Created(cmp, at) => cmp.holds(schedule.created_ms, *at),
            Filter::TemplateId(id) => schedule.query.template_id.as_deref() == Some(id.as_str()),
            Filter::UserId(id) => schedule.user_id == *id,
            // Refused for schedules when parsed.
            Filter::State(..) | Filter::ExternalTrigger(_) => false,
        })
    };
    let items = state
        .schedules
        .iter()
        .filter(|schedule| schedule.sandbox == sandbox && matches(schedule))
        .map(|schedule| Keyed {
            item: schedule,
            created: schedule.created_ms,
            updated: schedule.updated_ms,
            id: schedule.id.clone(),
        })
        .collect();
    let url = format!("{}{PLATFORM_PREFIX}/schedules", style.base);
    let paged = paginate(items, &query, &url);
    let items: Vec<Json> = paged
        .items
        .iter()
        .map(|schedule| answer::schedule(style, schedule, schedule.state(now), true))
        .collect();
    let json = answer::list(style, "schedules", items, paged.page);
    Ok(answer::send(StatusCode::OK, answer::JSON, &json))
}

fn list_runs(
    sim: &Shared,
    state: &SimState,
    style: &Style<'_>,
    index: usize,
    query: Option<&str>,
    now: i64,
) -> Result<Response, Refusal> {
    let query = input::list_query(query, ListKind::Runs).map_err(bad_request)?;
    let schedule = &state.schedules[index];
    let items = schedule
        .runs
        .iter()
        .map(|run| (run, sim.run_view(run, now)))
        .filter(|(run, view)| {
            query.filters.iter().all(|filter| match filter {
                Filter::Created(cmp, at) => cmp.holds(run.created_ms, *at),
                Filter::State(equal, value) => view.state.eq_ignore_ascii_case(value) == *equal,
                Filter::ExternalTrigger(external) => run.external == *external,
                // Refused for runs when parsed.
                Filter::TemplateId(_) | Filter::UserId(_) => false,
            })
        })
        .map(|(run, view)| Keyed {
            created: run.created_ms,
            updated: view.updated_ms,
            id: run.id.clone(),
            item: (run, view),
        })
        .collect();
    let url = format!("{}/runs", style.schedule_url(&schedule.id));
    let paged = paginate(items, &query, &url);
    let items: Vec<Json> = paged
        .items
        .iter()
        .map(|(run, view)| answer::run_summary(style, &schedule.id, run, view))
        .collect();
    let json = answer::list(style, "runsSchedules", items, paged.page);
    Ok(answer::send(StatusCode::OK, answer::JSON, &json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let get = Method::GET;
        let post = Method::POST;
        let base = "/data/foundation/query/schedules";
        assert_eq!(Route::of(&post, "/ims/token/v3"), Route::Token);
        assert_eq!(Route::of(&get, "/ims/token/v2"), Route::ImsUnknown);
        assert_eq!(Route::of(&get, base), Route::Platform(Op::ListSchedules));
        assert_eq!(
            Route::of(&get, &format!("{base}/")),
            Route::Platform(Op::ListSchedules)
        );
        assert_eq!(
            Route::of(&Method::PUT, base),
            Route::WrongMethod("GET, POST")
        );
        assert_eq!(
            Route::of(&get, &format!("{base}/a/runs/b%3D%3D")),
            Route::Platform(Op::GetRun("a".into(), "b==".into()))
        );
        assert_eq!(Route::of(&get, &format!("{base}x")), Route::Unknown);
        assert_eq!(Route::of(&get, &format!("{base}/a/other")), Route::Unknown);
        assert_eq!(Route::of(&get, &format!("{base}//runs")), Route::Unknown);
        assert_eq!(Route::of(&get, "/"), Route::Unknown);
    }

    #[test]
    fn encoding_keeps_timestamps_readable() {
        assert_eq!(
            encode("2022-11-01T00:11:08.389Z"),
            "2022-11-01T00:11:08.389Z"
        );
        assert_eq!(encode("+created"), "%2Bcreated");
        assert_eq!(encode("state==SUCCESS"), "state%3D%3DSUCCESS");
        assert_eq!(decode_segment("a%2Fb%zz"), "a/b%zz");
    }
}
