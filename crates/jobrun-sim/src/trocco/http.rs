//! The HTTP face of the trocco simulator: routes, the gate every request passes (recording,
//! faults, authentication, rate limit) and the endpoint handlers.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{MatchedPath, Path, RawQuery, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use super::input::{self, FieldError, Rejection};
use super::{PipelineJob, Shared, Target, TransferJob};
use crate::clock::Clock;
use crate::fault::{Fault, Shape};
use crate::ratelimit::Quota;
use crate::record::RecordedRequest;
use crate::server::ConnControl;

/// Bodies beyond this are refused; trigger bodies are a few hundred bytes.
const MAX_BODY_BYTES: usize = 1 << 20;

const RATE_LIMIT_LIMIT: HeaderName = HeaderName::from_static("x-rate-limit-limit");
const RATE_LIMIT_REMAINING: HeaderName = HeaderName::from_static("x-rate-limit-remaining");
const RATE_LIMIT_RESET: HeaderName = HeaderName::from_static("x-rate-limit-reset");

/// The message of trocco's documented validation-error shape (research §1.7).
const BAD_REQUEST_MESSAGE: &str = "Bad request. Please check your request payload";

/// How trocco's answers look, for the faults that make one up.
const SHAPE: Shape = Shape {
    content_type: "application/json",
    xml: false,
    // trocco answers some errors with `error` and others with `message`; an echo fills both
    // so that a client printing either one prints the echo.
    error: |_, text| json!({ "error": text, "message": text }).to_string(),
    huge: (r#"{"id":1,"status":"running","message":""#, r#""}"#),
};

pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/api/jobs", post(run_job))
        .route("/api/jobs/{job_id}", get(get_job))
        .route("/api/pipeline_jobs", post(run_pipeline_job))
        .route("/api/pipeline_jobs/{job_id}", get(get_pipeline_job))
        .route("/api/job_definitions/{definition_id}/jobs", get(list_jobs))
        // A Rails app answers an unrouted method like an unknown path.
        .method_not_allowed_fallback(unknown_route)
        .fallback(unknown_route)
        // Router::layer wraps each route (and the fallbacks), so the gate sees MatchedPath.
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), gate))
        .with_state(shared)
}

/// The endpoint a request was routed to, for aiming faults.
fn classify(method: &Method, matched_path: Option<&str>) -> Option<Target> {
    let is_get = method == Method::GET || method == Method::HEAD;
    let is_post = method == Method::POST;
    match matched_path? {
        "/api/jobs" if is_post => Some(Target::RunJob),
        "/api/jobs/{job_id}" if is_get => Some(Target::GetJob),
        "/api/pipeline_jobs" if is_post => Some(Target::RunPipelineJob),
        "/api/pipeline_jobs/{job_id}" if is_get => Some(Target::GetPipelineJob),
        "/api/job_definitions/{definition_id}/jobs" if is_get => Some(Target::ListJobs),
        _ => None,
    }
}

/// What the gate decided before any handler runs.
#[derive(Clone, Copy)]
enum Verdict {
    Pass,
    InjectedStatus,
    Unauthorized,
    RateLimited,
    TooLarge,
}

async fn gate(State(sim): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let target = classify(
        &parts.method,
        parts
            .extensions
            .get::<MatchedPath>()
            .map(MatchedPath::as_str),
    );
    let connection = parts.extensions.get::<ConnControl>().cloned();
    let now = sim.clock.now();
    // A reset before the body is read must be taken before reading it.
    let reset = sim.lock().faults.take_if(
        |aim| aim.applies_to(target),
        |fault| *fault == Fault::ResetBeforeRead,
    );
    if let Some(fault) = reset {
        sim.counters.received();
        if sim.record_requests {
            sim.lock().requests.push(RecordedRequest::capture(
                &parts,
                &[],
                Some(&fault),
                sim.clock.wall_at(now),
            ));
        }
        return crate::fault::apply(Some(fault), crate::fault::unanswered(), connection).await;
    }
    // The other way to fail here is a client vanishing mid-body, which reads no answer, so
    // answering every failure as "too large" is only ever seen when it is true.
    let (body, too_large) = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => (bytes, false),
        Err(_) => (Bytes::new(), true),
    };
    sim.counters.received();

    let (fault, verdict, quota) = {
        let mut state = sim.lock();
        let fault = state.faults.take(|aim| aim.applies_to(target));
        if sim.record_requests {
            state.requests.push(RecordedRequest::capture(
                &parts,
                &body,
                fault.as_ref(),
                sim.clock.wall_at(now),
            ));
        }
        // Checked in the order a real deployment meets them: an injected status stands for
        // a failure in front of the app; unauthenticated calls cannot be charged to an
        // account; everything else is charged.
        if fault.as_ref().is_some_and(Fault::is_front) {
            (fault, Verdict::InjectedStatus, state.limiter.peek(now))
        } else if !authorized(&parts.headers, &sim.api_key) {
            (fault, Verdict::Unauthorized, state.limiter.peek(now))
        } else {
            match state.limiter.acquire(now) {
                Ok(quota) if too_large => (fault, Verdict::TooLarge, quota),
                Ok(quota) => (fault, Verdict::Pass, quota),
                Err(quota) => (fault, Verdict::RateLimited, quota),
            }
        }
    };

    let mut response = match (verdict, &fault) {
        (Verdict::InjectedStatus, Some(injected)) => injected
            .front_answer(&SHAPE, &parts, &body)
            .unwrap_or_else(|| error(StatusCode::INTERNAL_SERVER_ERROR, "Internal error")),
        (Verdict::Pass, _) => next.run(Request::from_parts(parts, Body::from(body))).await,
        (Verdict::Unauthorized, _) => error(StatusCode::UNAUTHORIZED, "Not authenticated"),
        (Verdict::RateLimited, _) => rate_limited(&quota, &sim.clock),
        (Verdict::TooLarge, _) => error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The request body is too large",
        ),
        // Unreachable by construction (InjectedStatus is only chosen for a front fault), but a wrong answer beats a panic in a server.
        (Verdict::InjectedStatus, _) => error(StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
    };
    set_rate_limit_headers(response.headers_mut(), &quota, &sim.clock);
    if matches!(verdict, Verdict::RateLimited) {
        sim.counters.rate_limited();
    }
    if fault.as_ref().is_none_or(Fault::answers) {
        sim.counters.answered(response.status().as_u16());
    }
    crate::fault::apply(fault, response, connection).await
}

/// `Authorization: Token <key>`, exactly as the docs show it.
fn authorized(headers: &HeaderMap, key: &str) -> bool {
    headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Token "))
        .is_some_and(|given| given.trim() == key)
}

/// Adds the rate-limit headers, except those an injected answer set itself (an absurd
/// `X-Rate-Limit-Reset` from `Fault::rate_limit_reset` must reach the client as given).
fn set_rate_limit_headers(headers: &mut HeaderMap, quota: &Quota, clock: &Clock) {
    let reset = clock.epoch_secs_ceil(quota.reset_at);
    for (name, value) in [
        (RATE_LIMIT_LIMIT, HeaderValue::from(quota.limit)),
        (RATE_LIMIT_REMAINING, HeaderValue::from(quota.remaining)),
        (RATE_LIMIT_RESET, HeaderValue::from(reset)),
    ] {
        headers.entry(name).or_insert(value);
    }
}

/// `{"error": "..."}`: the shape trocco uses for a request it cannot act on at all.
fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// `{"message": "Not found"}`, the literal trocco answers an unknown resource with.
fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({ "message": "Not found" })),
    )
        .into_response()
}

fn rate_limited(quota: &Quota, clock: &Clock) -> Response {
    let message = format!(
        "Rate limit exceeded: {} calls per window. Retry after {} (X-Rate-Limit-Reset, UNIX time)",
        quota.limit,
        clock.epoch_secs_ceil(quota.reset_at)
    );
    (
        StatusCode::TOO_MANY_REQUESTS,
        Json(json!({ "message": message })),
    )
        .into_response()
}

fn rejected(rejection: Rejection) -> Response {
    match rejection {
        Rejection::Unreadable(message) => error(StatusCode::BAD_REQUEST, &message),
        Rejection::Invalid(errors) => invalid(&errors),
    }
}

/// `{"message": "Bad request. …", "errors": [{"attribute", "message"}]}`.
fn invalid(errors: &[FieldError]) -> Response {
    let errors: Vec<Value> = errors
        .iter()
        .map(|e| json!({ "attribute": e.attribute, "message": e.message }))
        .collect();
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "message": BAD_REQUEST_MESSAGE, "errors": errors })),
    )
        .into_response()
}

/// An id in a path; anything that is not one names no resource, as in Rails.
fn path_id(path: Result<Path<String>, PathRejection>) -> Option<i64> {
    path.ok()?.0.parse().ok()
}

async fn unknown_route() -> Response {
    not_found()
}

async fn run_job(
    State(sim): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let definition_id = match input::query_id(query.as_deref(), "job_definition_id") {
        Ok(id) => id,
        Err(rejection) => return rejected(rejection),
    };
    let mut state = sim.lock();
    let Some(definition) = state.transfers.get(&definition_id).cloned() else {
        return not_found();
    };
    // context_time and custom_variables are validated but not echoed: the documented
    // transfer-job answer has no field for them.
    if let Err(rejection) = input::parse_trigger(&headers, &body, true) {
        return rejected(rejection);
    }
    let now = sim.clock.now();
    let job = TransferJob {
        id: next_id(state.transfer_jobs.len()),
        definition_id,
        definition_name: definition.name,
        script: definition.script,
        created: now,
    };
    let answer = transfer_json(&job, now, &sim.clock);
    state.transfer_jobs.push(job);
    Json(answer).into_response()
}

async fn get_job(
    State(sim): State<Arc<Shared>>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let state = sim.lock();
    let job = path_id(path).and_then(|id| find(&state.transfer_jobs, id, |job| job.id));
    match job {
        Some(job) => Json(transfer_json(job, sim.clock.now(), &sim.clock)).into_response(),
        None => not_found(),
    }
}

async fn run_pipeline_job(
    State(sim): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let definition_id = match input::query_id(query.as_deref(), "pipeline_definition_id") {
        Ok(id) => id,
        Err(rejection) => return rejected(rejection),
    };
    let mut state = sim.lock();
    let Some(definition) = state.pipelines.get(&definition_id).cloned() else {
        return not_found();
    };
    let trigger = match input::parse_trigger(&headers, &body, false) {
        Ok(trigger) => trigger,
        Err(rejection) => return rejected(rejection),
    };
    let now = sim.clock.now();
    let job = PipelineJob {
        id: next_id(state.pipeline_jobs.len()),
        definition_id,
        name: definition.name,
        script: definition.script,
        created: now,
        // The docs: without context_time, the time the request was received is used.
        context_time: trigger
            .context_time
            .unwrap_or_else(|| sim.clock.utc_at(now)),
    };
    let answer = pipeline_json(&job, now, &sim.clock);
    state.pipeline_jobs.push(job);
    Json(answer).into_response()
}

async fn get_pipeline_job(
    State(sim): State<Arc<Shared>>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let state = sim.lock();
    let job = path_id(path).and_then(|id| find(&state.pipeline_jobs, id, |job| job.id));
    match job {
        Some(job) => Json(pipeline_json(job, sim.clock.now(), &sim.clock)).into_response(),
        None => not_found(),
    }
}

/// Newest first: each page continues below the id in its cursor, like trocco's job history.
async fn list_jobs(
    State(sim): State<Arc<Shared>>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Response {
    let state = sim.lock();
    let Some(definition_id) = path_id(path).filter(|id| state.transfers.contains_key(id)) else {
        return not_found();
    };
    let list = match input::parse_list_query(query.as_deref()) {
        Ok(list) => list,
        Err(rejection) => return rejected(rejection),
    };
    let now = sim.clock.now();
    // Compared at the millisecond precision clients see in created_at.
    let start = list.start.map(|t| t.timestamp_millis());
    let end = list.end.map(|t| t.timestamp_millis());
    let mut matching = state
        .transfer_jobs
        .iter()
        .rev()
        .filter(|job| job.definition_id == definition_id)
        .filter(|job| list.before_id.is_none_or(|before| job.id < before))
        .filter(|job| {
            let created = sim.clock.utc_at(job.created).timestamp_millis();
            start.is_none_or(|start| created >= start) && end.is_none_or(|end| created <= end)
        });
    let page: Vec<&TransferJob> = matching.by_ref().take(list.limit).collect();
    let next_cursor = match matching.next() {
        Some(_) => page.last().map(|job| input::encode_cursor(job.id)),
        None => None,
    };
    let mut answer = Map::new();
    // trocco leaves keys out whose value would be an empty array (research §1.8).
    if !page.is_empty() {
        let items = page
            .iter()
            .map(|job| transfer_json(job, now, &sim.clock))
            .collect();
        answer.insert("items".to_owned(), Value::Array(items));
    }
    answer.insert(
        "next_cursor".to_owned(),
        next_cursor.map_or(Value::Null, Value::String),
    );
    Json(Value::Object(answer)).into_response()
}

/// Ids count from 1 in creation order, so job `id` lives at index `id - 1`.
fn next_id(existing: usize) -> i64 {
    i64::try_from(existing).map_or(i64::MAX, |n| n.saturating_add(1))
}

fn find<T>(jobs: &[T], id: i64, id_of: impl Fn(&T) -> i64) -> Option<&T> {
    let index = usize::try_from(id.checked_sub(1)?).ok()?;
    jobs.get(index).filter(|job| id_of(job) == id)
}

/// `2023-05-19T19:15:00.000+09:00`: trocco answers in JST with milliseconds.
fn jst(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono_tz::Asia::Tokyo)
        .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}

/// A transfer job as `GET /api/jobs/{id}` shows it. `started_at` and `finished_at` are left
/// out until they have a value: the 2022 docs say they are absent while the job runs.
fn transfer_json(job: &TransferJob, now: tokio::time::Instant, clock: &Clock) -> Value {
    let seen = job
        .script
        .observe(now.saturating_duration_since(job.created));
    let mut map = Map::new();
    map.insert("id".to_owned(), job.id.into());
    map.insert("job_definition_id".to_owned(), job.definition_id.into());
    map.insert(
        "job_definition_name".to_owned(),
        job.definition_name.clone().into(),
    );
    map.insert("status".to_owned(), seen.status.into());
    if let Some(started) = seen.started {
        let at = clock.utc_at(job.created + started);
        map.insert("started_at".to_owned(), jst(at).into());
    }
    if let Some(finished) = seen.finished {
        let at = clock.utc_at(job.created + finished);
        map.insert("finished_at".to_owned(), jst(at).into());
    }
    map.insert(
        "created_at".to_owned(),
        jst(clock.utc_at(job.created)).into(),
    );
    Value::Object(map)
}

/// A workflow job as seed 001 documents it: `started_at` and `finished_at` are
/// `string | null`, so they are always present.
fn pipeline_json(job: &PipelineJob, now: tokio::time::Instant, clock: &Clock) -> Value {
    let seen = job
        .script
        .observe(now.saturating_duration_since(job.created));
    let stamp = |offset: Option<std::time::Duration>| {
        offset.map_or(Value::Null, |offset| {
            jst(clock.utc_at(job.created + offset)).into()
        })
    };
    json!({
        "id": job.id,
        "pipeline_definition_id": job.definition_id,
        "name": job.name,
        "status": seen.status,
        "started_at": stamp(seen.started),
        "finished_at": stamp(seen.finished),
        "created_at": jst(clock.utc_at(job.created)),
        "context_time": jst(job.context_time),
    })
}
