//! The krewData facade against the krewData simulator: how units end, the token dance, the
//! run guard, the promises about runs sent once, and typed errors.
//!
//! Tests run on tokio's paused clock: waits of hours take no real time.

use std::time::Duration;

use jobrun::{
    Error, OutcomeState, RequestFate, SecretString, WaitEvent, WaitOptions,
    krewdata::{KrewdataClient, KrewdataConfig, KrewdataError, Record, RunGuard, RunUnit, UnitId},
};
use jobrun_sim::{
    Fault,
    krewdata::{ExecutionMethod, KrewdataConfig as SimConfig, KrewdataSim, Target, Unit},
};

const SERIAL: &str = "facade-serial-0001-abcdef-9f8e7d";
const APP_URL: &str = "https://facade-test.cybozu.com/k/321";
const APP: u64 = 123;

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn unit(id: &str) -> UnitId {
    id.parse().expect("valid unit id")
}

fn run_of(id: &str) -> RunUnit {
    RunUnit::new(
        unit(id),
        jobrun::parse_id("app id", &APP.to_string()).expect("id"),
    )
}

fn options() -> WaitOptions {
    WaitOptions {
        timeout: secs(4 * 3600),
        poll_min: secs(1),
        poll_max: secs(8),
        confirm_after: secs(5),
    }
}

/// Two flows that each outlast `poll_max`, so every status is read.
fn two_flows() -> Unit {
    Unit::new("two-flows")
        .calling_app(APP)
        .queue(secs(10))
        .flow("フロー1", secs(30))
        .flow("フロー2", secs(30))
}

fn sim_config() -> SimConfig {
    SimConfig::empty()
        .serial_number(SERIAL)
        .app_url(APP_URL)
        .unit("succeeds", two_flows())
        .unit(
            "fails",
            two_flows().fail_at(
                0,
                "33",
                "データ編集フローの設定が正しくありません。データ編集フローのエラーを修正してください。",
            ),
        )
        .unit(
            "neverran",
            two_flows().never_ran(
                "134",
                "他のユーザーが実行単位を実行中です。この実行単位は同時実行が許可されていません。",
            ),
        )
        .unit("exclusive", two_flows().exclusive(true))
        .unit(
            "long",
            Unit::new("two-hours")
                .calling_app(APP)
                .flow("long flow", secs(2 * 3600)),
        )
        .unit(
            "webhook",
            two_flows().method(ExecutionMethod::Webhook),
        )
        .unit("disabled", two_flows().enabled(false))
}

struct Harness {
    sim: KrewdataSim,
    client: KrewdataClient,
    // Keeps the guard's state directory alive for the test.
    _state: tempfile::TempDir,
}

async fn start(config: SimConfig) -> Harness {
    let sim = KrewdataSim::start(config).await.expect("simulator starts");
    let state = tempfile::tempdir().expect("temp dir");
    let client = client_for(&sim, SERIAL, APP_URL, RunGuard::in_dir(state.path()));
    Harness {
        sim,
        client,
        _state: state,
    }
}

fn client_for(sim: &KrewdataSim, serial: &str, app_url: &str, guard: RunGuard) -> KrewdataClient {
    let config = KrewdataConfig::new(
        app_url.parse().expect("app URL"),
        SecretString::from(serial),
    )
    .and_then(|c| c.base_url(&sim.base_url(), false))
    .expect("valid config")
    .user("krewdata@example.com")
    .run_guard(guard);
    KrewdataClient::new(config).expect("client")
}

fn path(unit: &str, op: &str) -> String {
    format!("/trigger/v1/{unit}/{op}")
}

/// Each flow's statuses in the order the wait reported them.
fn flow_history(events: &[WaitEvent], flow: &str) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            WaitEvent::Step { step, .. } if step.name == flow => Some(step.status.clone()),
            _ => None,
        })
        .collect()
}

fn kind(err: &Error) -> Option<KrewdataError> {
    err.krewdata().cloned()
}

#[tokio::test(start_paused = true)]
async fn two_flows_succeed_with_each_flow_reported_on_one_token() {
    let h = start(sim_config()).await;
    let mut events = Vec::new();
    let outcome = h
        .client
        .start_and_wait(&run_of("succeeds"), &options(), &mut |e| {
            events.push(e.clone())
        })
        .await
        .expect("ends");
    assert_eq!(outcome.state, OutcomeState::Succeeded);
    assert_eq!(outcome.vendor_status, "Success");
    assert_eq!(outcome.job.to_string().split(':').count(), 4);
    let names: Vec<&str> = outcome.steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["フロー1", "フロー2"]);
    for step in &outcome.steps {
        assert_eq!(step.status, "Success");
        assert!(step.id.is_some() && step.started_at.is_some() && step.finished_at.is_some());
    }
    assert_eq!(
        flow_history(&events, "フロー1"),
        ["Queuing", "Running", "Success"]
    );
    assert_eq!(
        flow_history(&events, "フロー2"),
        ["Queuing", "Running", "Success"]
    );
    // The run's token serves the whole (70 s) wait: one token request, one run.
    assert_eq!(h.sim.count("POST", &path("succeeds", "token")), 1);
    assert_eq!(h.sim.count("POST", &path("succeeds", "run")), 1);
    // Sent as the seed's sample sends it.
    let run = h
        .sim
        .requests()
        .into_iter()
        .find(|r| r.path == path("succeeds", "run"))
        .expect("run recorded");
    assert_eq!(
        run.header("content-type"),
        Some("application/json;charset=UTF-8")
    );
    let body: serde_json::Value = serde_json::from_slice(&run.body).expect("json");
    assert_eq!(body["appId"], "123");
    assert_eq!(body["user"], "krewdata@example.com");
    // Like the seed's sample, the first status read waits a poll interval after the run.
    let first_read = h
        .sim
        .requests()
        .into_iter()
        .find(|r| r.path == path("succeeds", "status"))
        .expect("status read");
    let gap = first_read
        .received_at
        .duration_since(run.received_at)
        .expect("after the run");
    assert!(gap >= options().poll_min, "{gap:?}");
}

#[tokio::test(start_paused = true)]
async fn a_failing_first_flow_fails_the_task_and_cancels_the_second() {
    let h = start(sim_config()).await;
    let outcome = h
        .client
        .start_and_wait(&run_of("fails"), &options(), &mut |_| {})
        .await
        .expect("ends");
    assert_eq!(outcome.state, OutcomeState::Failed);
    assert_eq!(outcome.vendor_status, "Failure");
    assert_eq!(outcome.error_code.as_deref(), Some("33"));
    assert!(
        outcome
            .error_message
            .as_deref()
            .is_some_and(|m| m.starts_with("データ編集フローの設定"))
    );
    let statuses: Vec<&str> = outcome.steps.iter().map(|s| s.status.as_str()).collect();
    assert_eq!(statuses, ["Failure", "Cancel"]);
    assert_eq!(outcome.steps[1].started_at, None);

    let never = h
        .client
        .start_and_wait(&run_of("neverran"), &options(), &mut |_| {})
        .await
        .expect("ends");
    assert_eq!(never.state, OutcomeState::Failed);
    assert_eq!(never.error_code.as_deref(), Some("134"));
    assert!(never.steps.iter().all(|s| s.status == "Cancel"));
}

#[tokio::test(start_paused = true)]
async fn a_two_hour_wait_keeps_polling_with_renewed_tokens() {
    let h = start(sim_config()).await;
    let wait = WaitOptions {
        poll_max: secs(60),
        ..options()
    };
    let outcome = h
        .client
        .start_and_wait(&run_of("long"), &wait, &mut |_| {})
        .await
        .expect("ends");
    assert_eq!(outcome.state, OutcomeState::Succeeded);
    assert!(outcome.waited >= secs(2 * 3600));
    // A new token every 9 minutes: about 14 in two hours, and polling went on throughout.
    let tokens = h.sim.count("POST", &path("long", "token"));
    assert!((13..=16).contains(&tokens), "{tokens} token requests");
    let reads = h.sim.count("POST", &path("long", "status"));
    assert!(reads > 100, "{reads} status reads");
    // Renewed before krewData would refuse it: no status read went out on a token that was
    // 10 minutes old.
    let mut issued = None;
    for r in h.sim.requests() {
        if r.path == path("long", "token") {
            issued = Some(r.received_at);
        } else if r.path == path("long", "status") {
            let age = issued
                .and_then(|t| r.received_at.duration_since(t).ok())
                .expect("a token came first");
            assert!(age < secs(600), "a status read used a token {age:?} old");
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_status_token_refused_early_is_renewed_once() {
    // The simulator ages tokens after 2 minutes, long before jobrun renews them (9).
    let h = start(sim_config().token_ttl(secs(120))).await;
    let outcome = h
        .client
        .start_and_wait(&run_of("succeeds"), &options(), &mut |_| {})
        .await
        .expect("ends despite the short-lived token");
    assert_eq!(outcome.state, OutcomeState::Succeeded);
    assert_eq!(h.sim.count("POST", &path("succeeds", "token")), 1);

    let wait = WaitOptions {
        poll_min: secs(30),
        poll_max: secs(60),
        ..options()
    };
    let outcome = h
        .client
        .start_and_wait(&run_of("long"), &wait, &mut |_| {})
        .await
        .expect("ends");
    assert_eq!(outcome.state, OutcomeState::Succeeded);
    // Each renewal was answered "invalid" once and then worked: no wait failed on it.
    let tokens = h.sim.count("POST", &path("long", "token"));
    assert!(tokens >= 2 * 3600 / 180, "{tokens} token requests");

    // A token refused again right after its renewal ends the wait: one renewal, no loop.
    let started = h.client.start(&run_of("succeeds")).await.expect("runs");
    let refused = Fault::Status {
        status: 400,
        content_type: "application/json".into(),
        body: r#"{"code":400,"status":"Bad Request","description":"Specified accessToken is invalid."}"#
            .into(),
    };
    h.sim.inject(Target::Status, refused, 2);
    let before = h.sim.count("POST", &path("succeeds", "token"));
    let err = h
        .client
        .wait_started(&started, &options(), &mut |_| {})
        .await
        .expect_err("refused twice");
    assert_eq!(kind(&err), Some(KrewdataError::TokenInvalid));
    assert_eq!(h.sim.count("POST", &path("succeeds", "token")), before + 1);
}

#[tokio::test(start_paused = true)]
async fn an_http_200_whose_code_says_error_is_a_typed_error() {
    let h = start(sim_config()).await;
    h.sim.inject(
        Target::Token,
        Fault::Status {
            status: 200,
            content_type: "application/json".into(),
            body: r#"{"code":401,"status":"Unauthorized","description":"Illegal License."}"#.into(),
        },
        1,
    );
    let err = h
        .client
        .start(&run_of("succeeds"))
        .await
        .expect_err("code 401");
    assert_eq!(kind(&err), Some(KrewdataError::IllegalLicense));
    match &err {
        Error::Api(api) => {
            assert_eq!(api.status, 200);
            assert_eq!(api.code.as_deref(), Some("401"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(h.sim.count("POST", &path("succeeds", "run")), 0);
}

#[tokio::test(start_paused = true)]
async fn a_run_is_never_sent_twice_under_faults() {
    let h = start(sim_config()).await;
    for fault in [
        Fault::Drop,
        Fault::Status {
            status: 503,
            content_type: "text/html".into(),
            body: "<h1>Service Unavailable</h1>".into(),
        },
        Fault::MalformedJson,
    ] {
        h.sim.inject(Target::Run, fault.clone(), 1);
        let before = h.sim.count("POST", &path("succeeds", "run"));
        let err = h
            .client
            .start(&run_of("succeeds"))
            .await
            .expect_err("faulted");
        assert_eq!(
            h.sim.count("POST", &path("succeeds", "run")),
            before + 1,
            "{fault:?}: {err}"
        );
        // Every fault of this list came after the run may have reached krewData: the error
        // says the task may have started (exit 4), whatever its cause.
        let Error::Unconfirmed { cause, .. } = &err else {
            panic!("{fault:?}: {err:?}");
        };
        if fault == Fault::Drop {
            assert!(
                matches!(
                    **cause,
                    Error::Transport {
                        fate: RequestFate::MaybeSent,
                        ..
                    }
                ),
                "{err:?}"
            );
        }
        // Let the task a faulted run may have started end before the next round.
        tokio::time::advance(secs(600)).await;
    }
    // Status reads ride out the same faults.
    let started = h.client.start(&run_of("succeeds")).await.expect("runs");
    h.sim.inject(Target::Status, Fault::Drop, 1);
    h.sim.inject(Target::Status, Fault::MalformedJson, 1);
    let outcome = h
        .client
        .wait_started(&started, &options(), &mut |_| {})
        .await
        .expect("ends");
    assert_eq!(outcome.state, OutcomeState::Succeeded);
}

#[tokio::test(start_paused = true)]
async fn the_sixth_token_request_in_a_minute_is_refused_before_sending() {
    let h = start(sim_config()).await;
    for _ in 0..5 {
        h.client
            .start(&run_of("succeeds"))
            .await
            .expect("within the limit");
    }
    let err = h
        .client
        .start(&run_of("succeeds"))
        .await
        .expect_err("sixth");
    assert!(matches!(err, Error::RunGuard { .. }), "{err:?}");
    assert!(err.to_string().contains("next is allowed in"), "{err}");
    assert_eq!(h.sim.count("POST", &path("succeeds", "token")), 5);
    assert!(!h.sim.is_unit_disabled("succeeds"));
    // Other units keep their own count, and a minute later the unit may run again.
    h.client.start(&run_of("fails")).await.expect("other unit");
    tokio::time::advance(secs(61)).await;
    h.client
        .start(&run_of("succeeds"))
        .await
        .expect("a minute later");
}

#[tokio::test(start_paused = true)]
async fn without_the_guard_krewdata_disables_the_unit_and_says_so() {
    let mut h = start(sim_config()).await;
    h.client = client_for(&h.sim, SERIAL, APP_URL, RunGuard::disabled());
    for _ in 0..5 {
        h.client
            .start(&run_of("succeeds"))
            .await
            .expect("within the limit");
    }
    let err = h.client.start(&run_of("succeeds")).await.expect_err("429");
    assert_eq!(kind(&err), Some(KrewdataError::UnitDisabledByRateLimit));
    // Final: not retried within the retry budget.
    assert_eq!(h.sim.count("POST", &path("succeeds", "token")), 6);
    assert!(h.sim.is_unit_disabled("succeeds"));
    let err = h
        .client
        .start(&run_of("succeeds"))
        .await
        .expect_err("disabled");
    assert_eq!(kind(&err), Some(KrewdataError::UnitInvalid));
}

#[tokio::test(start_paused = true)]
async fn a_unit_already_running_names_the_run_to_wait_for() {
    let h = start(sim_config()).await;
    let first = h.client.start(&run_of("exclusive")).await.expect("first");
    let err = h.client.start(&run_of("exclusive")).await.expect_err("409");
    assert_eq!(
        kind(&err),
        Some(KrewdataError::OtherUserRunning {
            task_id: Some(first.task.to_string())
        })
    );
    let outcome = h
        .client
        .wait(&first.job, &options(), &mut |_| {})
        .await
        .expect("the running task ends");
    assert_eq!(outcome.state, OutcomeState::Succeeded);
}

#[tokio::test(start_paused = true)]
async fn documented_refusals_are_typed_errors() {
    let h = start(sim_config()).await;
    let state = tempfile::tempdir().expect("temp dir");
    let cases: [(KrewdataClient, RunUnit, KrewdataError); 6] = [
        (
            client_for(
                &h.sim,
                "wrong-serial",
                APP_URL,
                RunGuard::in_dir(state.path()),
            ),
            run_of("succeeds"),
            KrewdataError::IllegalLicense,
        ),
        (
            client_for(
                &h.sim,
                SERIAL,
                "https://other.cybozu.com/k/9",
                RunGuard::in_dir(state.path()),
            ),
            run_of("succeeds"),
            KrewdataError::AppUrlInvalid,
        ),
        (
            h.client.clone(),
            run_of("webhook"),
            KrewdataError::WrongExecutionMethod,
        ),
        (
            h.client.clone(),
            run_of("disabled"),
            KrewdataError::UnitInvalid,
        ),
        (
            h.client.clone(),
            run_of("nosuchunit"),
            KrewdataError::PathInvalid,
        ),
        (
            h.client.clone(),
            RunUnit::new(unit("fails"), jobrun::parse_id("app", "999").expect("id")),
            KrewdataError::AppNotCallingApp,
        ),
    ];
    for (client, run, expected) in cases {
        let err = client.start(&run).await.expect_err("refused");
        assert_eq!(kind(&err), Some(expected.clone()), "{err}");
        assert!(!err.to_string().contains(SERIAL), "{err}");
    }
    let err = h
        .client
        .status(&unit("succeeds"), &"no-such-task".parse().expect("id"))
        .await
        .expect_err("unknown task");
    assert_eq!(kind(&err), Some(KrewdataError::TaskIdInvalid));
}

#[tokio::test(start_paused = true)]
async fn bad_inputs_send_nothing() {
    let h = start(sim_config()).await;
    for bad in ["", "a/b", "a b"] {
        assert!(bad.parse::<UnitId>().is_err(), "{bad}");
    }
    assert!(Record::new().parse_field("no-type").is_err());
    assert!(Record::from_json(r#"{"a":1}"#).is_err());
    let no_user = KrewdataConfig::new(APP_URL.parse().expect("url"), SecretString::from(SERIAL))
        .and_then(|c| c.base_url(&h.sim.base_url(), false))
        .expect("config")
        .run_guard(RunGuard::disabled());
    let client = KrewdataClient::new(no_user).expect("client");
    let err = client
        .start(&run_of("succeeds"))
        .await
        .expect_err("no user");
    assert!(
        err.is_usage() && err.to_string().contains("KREWDATA_USER"),
        "{err}"
    );
    let bad_wait = WaitOptions {
        poll_min: Duration::ZERO,
        ..options()
    };
    assert!(
        h.client
            .start_and_wait(&run_of("succeeds"), &bad_wait, &mut |_| {})
            .await
            .expect_err("bad options")
            .is_usage()
    );
    assert!(h.sim.requests().is_empty());
}

#[tokio::test(start_paused = true)]
async fn neither_the_serial_nor_a_token_shows_in_errors_or_debug_output() {
    let h = start(sim_config()).await;
    let started = h.client.start(&run_of("succeeds")).await.expect("runs");
    let token_body: serde_json::Value = serde_json::from_slice(
        &h.sim
            .requests()
            .iter()
            .find(|r| r.path == path("succeeds", "run"))
            .expect("run recorded")
            .body,
    )
    .expect("json");
    let token = token_body["accessToken"]
        .as_str()
        .expect("token")
        .to_owned();
    let shown = format!("{started:?} {:?} {}", h.client, serde_json::json!(started));
    for secret in [SERIAL, token.as_str(), "ZmFjYWRl"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}

/// Waits by reference of one client share the unit's status token: thirty concurrent waits
/// cost one token request, where one each would meet the five-per-minute guard at the sixth.
#[tokio::test(start_paused = true)]
async fn many_waits_by_reference_on_one_unit_share_one_token() {
    let h = start(sim_config()).await;
    let mut jobs = Vec::new();
    for _ in 0..3 {
        jobs.push(h.client.start(&run_of("succeeds")).await.expect("run").job);
    }
    tokio::time::advance(secs(61)).await;
    let before = h.sim.count("POST", &path("succeeds", "token"));
    let waits = (0..30).map(|n| {
        let (client, job) = (h.client.clone(), jobs[n % 3].clone());
        tokio::spawn(async move { client.wait(&job, &options(), &mut |_| {}).await })
    });
    for wait in futures::future::join_all(waits).await {
        let outcome = wait.expect("task").expect("ends");
        assert_eq!(outcome.state, OutcomeState::Succeeded);
    }
    assert_eq!(h.sim.count("POST", &path("succeeds", "token")) - before, 1);
}
