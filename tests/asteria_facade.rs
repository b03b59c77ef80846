//! The ASTERIA Warp facade against the ASTERIA simulator: reruns to their end, the stale
//! `error` right after a rerun, sessions, paging, XML that does not parse, reruns sent once.
//!
//! Tests run on tokio's paused clock.

use std::time::Duration;

use futures::TryStreamExt;
use jobrun::{
    Error, OutcomeState, RequestFate, SecretString, WaitEvent, WaitOptions,
    asteria::{
        AsteriaClient, AsteriaConfig, AsteriaError, CheckpointDate, ListFilter, RERUN_REQUESTED,
        RequestId, RequestStatus,
    },
};
use jobrun_sim::{
    Fault,
    asteria::{AsteriaConfig as SimConfig, AsteriaSim, CheckpointRequest, Rerun, Start, Target},
};

const USER: &str = "operator";
const PASSWORD: &str = "pa55-w0rd-facade";
const DATE: &str = "20121005";
const RECOVERS: &str = "eedd0d83-ac7a-482d-ae95-aa16c1d87d432";
const FAILS_AGAIN: &str = "eedd0d83-ac7a-482d-ae95-aa16c1d87d43";
const SUCCEEDED: &str = "ec303dfa-c317-40f2-a396-d776918253df";
const LAGGING: &str = "7c1e4f2a-0b9d-4c3e-8a5f-6d2b1e0c9a87";

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn options() -> WaitOptions {
    WaitOptions {
        timeout: secs(3600),
        poll_min: secs(1),
        poll_max: secs(4),
        confirm_after: secs(5),
    }
}

fn at(hour: u32) -> Start {
    Start::At(
        chrono::NaiveDate::from_ymd_opt(2012, 10, 5)
            .and_then(|d| d.and_hms_opt(hour, 7, 4))
            .expect("a real time"),
    )
}

fn request(id: &str, flow: &str, hour: u32) -> CheckpointRequest {
    CheckpointRequest::new(id, "Project1", flow).started(at(hour))
}

fn sim_config() -> SimConfig {
    let mut config = SimConfig::empty()
        .user(USER, PASSWORD)
        .request(
            request(RECOVERS, "Flow2", 18)
                .failed_at("CheckPoint2")
                .on_rerun(Rerun::new().run_for(secs(20)).ends_success()),
        )
        .request(
            request(FAILS_AGAIN, "Flow3", 17)
                .failed_at("CheckPoint1")
                .on_rerun(Rerun::new().run_for(secs(20)).ends_error("CheckPoint3")),
        )
        .request(request(SUCCEEDED, "Flow1", 16).succeeded())
        .request(
            request(LAGGING, "Flow4", 15)
                .failed_at("CheckPoint2")
                // Show keeps answering the old `error` for 12 s after the rerun.
                .on_rerun(Rerun::new().lag(secs(12)).run_for(secs(10)).ends_success()),
        );
    for n in 0..7 {
        config = config.request(
            request(&format!("page-test-{n:02}"), "Paged", 1)
                .succeeded()
                .started(at(n + 1)),
        );
    }
    config
}

struct Harness {
    sim: AsteriaSim,
    client: AsteriaClient,
}

async fn start() -> Harness {
    let sim = AsteriaSim::start(sim_config())
        .await
        .expect("simulator starts");
    let client = client_for(&sim, PASSWORD);
    Harness { sim, client }
}

fn client_for(sim: &AsteriaSim, password: &str) -> AsteriaClient {
    let config = AsteriaConfig::new(&sim.base_url(), false, USER, SecretString::from(password))
        .expect("valid config");
    AsteriaClient::new(config).expect("client")
}

fn id(text: &str) -> RequestId {
    text.parse().expect("valid id")
}

fn date() -> CheckpointDate {
    DATE.parse().expect("valid date")
}

fn statuses(events: &[WaitEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            WaitEvent::Status { status, .. } => Some(status.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn a_rerun_that_recovers_succeeds_and_says_where_it_resumed() {
    let h = start().await;
    let mut events = Vec::new();
    let outcome = h
        .client
        .start_and_wait(&id(RECOVERS), date(), &options(), &mut |e| {
            events.push(e.clone())
        })
        .await
        .expect("ends");
    assert_eq!(outcome.state, OutcomeState::Succeeded);
    assert_eq!(outcome.vendor_status, "success");
    assert_eq!(outcome.details["check_point_restart_status"], "CheckPoint2");
    assert_eq!(
        outcome.job.to_string(),
        format!("asteria:request:{RECOVERS}:{DATE}")
    );
    assert!(
        outcome
            .started_at
            .as_ref()
            .and_then(|t| t.parse())
            .is_some_and(|t| t.offset().local_minus_utc() == 9 * 3600)
    );
    assert_eq!(
        statuses(&events).last().map(String::as_str),
        Some("success")
    );
    assert!(statuses(&events).iter().any(|s| s == "running"));
    assert_eq!(h.sim.rerun_count(RECOVERS), 1);
    assert_eq!(h.sim.count("POST", "/api/auth/login"), 1);
}

#[tokio::test(start_paused = true)]
async fn a_rerun_that_fails_again_reports_both_checkpoints() {
    let h = start().await;
    let outcome = h
        .client
        .start_and_wait(&id(FAILS_AGAIN), date(), &options(), &mut |_| {})
        .await
        .expect("ends");
    assert_eq!(outcome.state, OutcomeState::Failed);
    assert_eq!(outcome.details["check_point_status"], "CheckPoint3");
    assert_eq!(outcome.details["check_point_restart_status"], "CheckPoint1");
    assert!(outcome.finished_at.is_some());
}

#[tokio::test(start_paused = true)]
async fn the_error_from_before_a_rerun_is_never_taken_as_its_outcome() {
    let h = start().await;
    let mut events = Vec::new();
    let outcome = h
        .client
        .start_and_wait(&id(LAGGING), date(), &options(), &mut |e| {
            events.push(e.clone())
        })
        .await
        .expect("ends");
    assert_eq!(outcome.state, OutcomeState::Succeeded, "{events:?}");
    let seen = statuses(&events);
    assert_eq!(
        seen.first().map(String::as_str),
        Some(RERUN_REQUESTED),
        "{seen:?}"
    );
    assert!(!seen.iter().any(|s| s == "error"), "{seen:?}");
    // Show really was read while it still answered the old error.
    let stale_reads = h
        .sim
        .requests()
        .iter()
        .filter(|r| r.path == "/api/checkpoint/show")
        .count();
    assert!(stale_reads > 3, "{stale_reads}");
}

#[tokio::test(start_paused = true)]
async fn an_expired_session_is_renewed_once() {
    let h = start().await;
    h.client
        .show(&id(SUCCEEDED), Some(date()))
        .await
        .expect("shows");
    h.sim.expire_sessions();
    h.client
        .show(&id(SUCCEEDED), None)
        .await
        .expect("after renewal");
    assert_eq!(h.sim.count("POST", "/api/auth/login"), 2);

    // A session refused again right after the renewal is an error, not a loop.
    let refused = jobrun_sim::asteria::error_fault(403, 2001, "not logged in");
    h.sim.inject(Target::Show, refused, 2);
    let err = h
        .client
        .show(&id(SUCCEEDED), None)
        .await
        .expect_err("refused twice");
    assert_eq!(err.asteria(), Some(&AsteriaError::NotLoggedIn));
    assert_eq!(h.sim.count("POST", "/api/auth/login"), 3);
}

#[tokio::test(start_paused = true)]
async fn concurrent_callers_share_one_login() {
    let h = start().await;
    let request = id(SUCCEEDED);
    let reads = (0..20).map(|_| h.client.show(&request, Some(date())));
    for result in futures::future::join_all(reads).await {
        result.expect("shows");
    }
    assert_eq!(h.sim.count("POST", "/api/auth/login"), 1);
    h.client.logout().await;
    assert_eq!(h.sim.count("POST", "/api/auth/logout"), 1);
    assert_eq!(h.sim.session_count(), 0);
}

#[tokio::test(start_paused = true)]
async fn listing_walks_every_page_with_its_filters() {
    let h = start().await;
    let filter = ListFilter {
        date: Some(date()),
        flow: Some("Paged".into()),
        size: std::num::NonZeroU32::new(3),
        ..ListFilter::default()
    };
    let all: Vec<_> = h.client.list(&filter).try_collect().await.expect("lists");
    assert_eq!(all.len(), 7);
    let mut ids: Vec<&str> = all.iter().map(|r| r.request_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 7, "no request twice");
    assert_eq!(h.sim.count("GET", "/api/checkpoint/list"), 3);

    let errors = ListFilter {
        date: Some(date()),
        status: Some(RequestStatus::Error),
        ..ListFilter::default()
    };
    let failed: Vec<_> = h.client.list(&errors).try_collect().await.expect("lists");
    assert_eq!(failed.len(), 3);
    assert!(failed.iter().all(|r| r.status() == RequestStatus::Error));

    let one_page = ListFilter {
        page: std::num::NonZeroU32::new(2),
        ..filter
    };
    let page: Vec<_> = h.client.list(&one_page).try_collect().await.expect("lists");
    assert_eq!(page.len(), 3);
}

#[tokio::test(start_paused = true)]
async fn xml_that_does_not_parse_is_a_typed_error_and_reads_ride_it_out() {
    let h = start().await;
    let mut config =
        AsteriaConfig::new(&h.sim.base_url(), false, USER, SecretString::from(PASSWORD))
            .expect("valid config");
    config.http.retry_budget = Duration::ZERO;
    let impatient = AsteriaClient::new(config).expect("client");
    h.sim.inject(Target::Show, Fault::MalformedBody, 1);
    let err = impatient
        .show(&id(SUCCEEDED), None)
        .await
        .expect_err("truncated XML");
    match &err {
        Error::Decode { body, .. } => assert!(body.starts_with("<result>"), "{body}"),
        other => panic!("{other:?}"),
    }
    // A safe read asks again.
    h.sim.inject(Target::Show, Fault::MalformedBody, 1);
    let before = h.sim.count("GET", "/api/checkpoint/show");
    h.client
        .show(&id(SUCCEEDED), None)
        .await
        .expect("asked again");
    assert_eq!(h.sim.count("GET", "/api/checkpoint/show"), before + 2);
    h.sim.inject(Target::Show, Fault::MalformedBody, 2);
    let outcome = h
        .client
        .start_and_wait(&id(RECOVERS), date(), &options(), &mut |_| {})
        .await;
    assert_eq!(outcome.expect("ends").state, OutcomeState::Succeeded);
}

#[tokio::test(start_paused = true)]
async fn reruns_are_refused_before_sending_unless_the_request_is_in_error() {
    let h = start().await;
    let err = h
        .client
        .start(&id(SUCCEEDED), date())
        .await
        .expect_err("not in error");
    assert_eq!(
        err.asteria(),
        Some(&AsteriaError::NotInError {
            status: "success".into()
        })
    );
    let err = h
        .client
        .start(&id("no-such-request"), date())
        .await
        .expect_err("unknown");
    assert_eq!(err.asteria(), Some(&AsteriaError::NotFound));
    assert_eq!(h.sim.count("POST", "/api/checkpoint/rerun"), 0);
}

#[tokio::test(start_paused = true)]
async fn a_rerun_is_never_sent_twice_under_faults() {
    let h = start().await;
    h.sim.inject(Target::Rerun, Fault::Drop, 1);
    let err = h
        .client
        .start(&id(RECOVERS), date())
        .await
        .expect_err("answer lost");
    assert!(
        matches!(
            &err,
            Error::Unconfirmed { cause, .. }
                if matches!(**cause, Error::Transport { fate: RequestFate::MaybeSent, .. })
        ),
        "{err:?}"
    );
    assert_eq!(h.sim.count("POST", "/api/checkpoint/rerun"), 1);
    let server_error = jobrun_sim::asteria::error_fault(500, 9000, "checkpoint store unavailable");
    h.sim.inject(Target::Rerun, server_error, 1);
    let err = h
        .client
        .start(&id(FAILS_AGAIN), date())
        .await
        .expect_err("9000");
    assert_eq!(err.asteria(), Some(&AsteriaError::Internal));
    assert_eq!(h.sim.count("POST", "/api/checkpoint/rerun"), 2);
}

#[tokio::test(start_paused = true)]
async fn a_wrong_password_is_an_auth_error_that_never_shows_it() {
    let h = start().await;
    let wrong = "wrong-password-42";
    let client = client_for(&h.sim, wrong);
    let err = client
        .show(&id(SUCCEEDED), None)
        .await
        .expect_err("refused");
    assert_eq!(err.asteria(), Some(&AsteriaError::NotLoggedIn));
    let shown = format!("{err} {err:?} {client:?}");
    assert!(
        !shown.contains(wrong) && !shown.contains(PASSWORD),
        "{shown}"
    );
    // One login attempt: a refused login is not retried.
    assert_eq!(h.sim.count("POST", "/api/auth/login"), 1);
}
