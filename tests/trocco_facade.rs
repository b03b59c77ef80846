//! The facade against the trocco simulator: every way a job can end, every way the network can
//! fail, and the promises about triggers, deadlines, rate limits and secrets.
//!
//! Tests run on tokio's paused clock: job scripts of minutes take no real time.

use std::time::Duration;

use futures::TryStreamExt;
use jobrun::{
    Error, JobRef, Outcome, OutcomeState, RequestFate, SecretString, WaitEvent, WaitOptions,
    trocco::{CustomVariable, ListJobs, RunJob, RunPipeline, TroccoClient, TroccoConfig},
};
use jobrun_sim::trocco::{Fault, Script, Target, TroccoConfig as SimConfig, TroccoSim};

const KEY: &str = "tra_facade-test-key-93b1";

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn id(n: u64) -> std::num::NonZeroU64 {
    std::num::NonZeroU64::new(n).expect("non-zero")
}

fn options() -> WaitOptions {
    WaitOptions {
        timeout: secs(3600),
        poll_min: secs(1),
        poll_max: secs(8),
        confirm_after: secs(5),
    }
}

/// Every step outlasts `poll_max`, so every status is read at least once.
fn transfer(end: &str) -> Script {
    Script::new()
        .step("queued", secs(10))
        .step("setting_up", secs(10))
        .step("executing", secs(30))
        .end(end)
}

async fn start(config: SimConfig) -> (TroccoSim, TroccoClient) {
    let sim = TroccoSim::start(config.api_key(KEY))
        .await
        .expect("simulator starts");
    let client = client_for(&sim.base_url(), KEY);
    (sim, client)
}

fn client_for(url: &str, key: &str) -> TroccoClient {
    let config = TroccoConfig::new(SecretString::from(key))
        .and_then(|c| c.base_url(url, false))
        .expect("valid config");
    TroccoClient::new(config).expect("client")
}

/// Runs a transfer job of `definition` to its end, collecting the events.
async fn run_transfer(
    client: &TroccoClient,
    definition: u64,
) -> (Result<Outcome, Error>, Vec<WaitEvent>) {
    let mut events = Vec::new();
    let result = client
        .start_job_and_wait(&RunJob::new(id(definition)), &options(), &mut |e| {
            events.push(e.clone())
        })
        .await;
    (result, events)
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

fn retries(events: &[WaitEvent]) -> Vec<(Duration, String)> {
    events
        .iter()
        .filter_map(|e| match e {
            WaitEvent::Retrying { delay, reason, .. } => Some((*delay, reason.clone())),
            _ => None,
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn each_terminal_state_becomes_its_outcome() {
    let (_sim, client) = start(
        SimConfig::empty()
            .transfer_definition(1, "ok", transfer("succeeded"))
            .transfer_definition(2, "fails", transfer("error"))
            .transfer_definition(
                3,
                "canceled",
                Script::new()
                    .step("executing", secs(20))
                    .step("interrupting", secs(10))
                    .end("canceled"),
            )
            .transfer_definition(
                4,
                "skipped",
                Script::new().step("queued", secs(10)).end("skipped"),
            ),
    )
    .await;
    let cases = [
        (
            1,
            OutcomeState::Succeeded,
            "succeeded",
            vec!["queued", "setting_up", "executing", "succeeded"],
        ),
        (
            2,
            OutcomeState::Failed,
            "error",
            vec!["queued", "setting_up", "executing", "error"],
        ),
        (
            3,
            OutcomeState::Canceled,
            "canceled",
            vec!["executing", "interrupting", "canceled"],
        ),
        (
            4,
            OutcomeState::Skipped,
            "skipped",
            vec!["queued", "skipped"],
        ),
    ];
    for (definition, state, vendor_status, seen) in cases {
        let (result, events) = run_transfer(&client, definition).await;
        let outcome = result.unwrap_or_else(|e| panic!("definition {definition}: {e}"));
        assert_eq!(outcome.state, state);
        assert_eq!(outcome.vendor_status, vendor_status);
        assert_eq!(statuses(&events), seen, "definition {definition}");
        assert!(outcome.finished_at.is_some(), "{outcome:?}");
        assert!(outcome.created_at.is_some(), "{outcome:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_succeeding_job_reports_times_and_reads_politely() {
    let (sim, client) =
        start(SimConfig::empty().transfer_definition(1, "ok", transfer("succeeded"))).await;
    let (result, _) = run_transfer(&client, 1).await;
    let outcome = result.expect("succeeds");
    let started = outcome
        .started_at
        .as_ref()
        .and_then(|t| t.parse())
        .expect("RFC 3339 started_at");
    let finished = outcome
        .finished_at
        .as_ref()
        .and_then(|t| t.parse())
        .expect("RFC 3339 finished_at");
    assert_eq!(
        (finished - started).num_seconds(),
        30,
        "executing lasted 30 s"
    );
    assert_eq!(
        started.offset().local_minus_utc(),
        9 * 3600,
        "trocco writes JST"
    );
    // 50 s of job with reads backing off from 1 s to 8 s: far fewer reads than seconds.
    let reads = sim.count("GET", "/api/jobs/1");
    assert_eq!(reads as u32, outcome.polls);
    assert!((5..=20).contains(&reads), "{reads} reads");
    assert!(
        outcome.waited >= secs(50) && outcome.waited <= secs(58),
        "{:?}",
        outcome.waited
    );
}

#[tokio::test(start_paused = true)]
async fn a_workflow_error_followed_by_retry_waiting_is_not_the_end() {
    // The intermediate `error` outlasts poll_max, so it is read; confirmation comes later.
    let recovers = Script::new()
        .step("queued", secs(2))
        .step("executing", secs(20))
        .step("error", secs(10))
        .step("retry_waiting", secs(60))
        .step("executing", secs(20))
        .end("succeeded");
    let fails_again = Script::new()
        .step("executing", secs(10))
        .step("error", secs(10))
        .step("retry_waiting", secs(30))
        .step("executing", secs(10))
        .end("error");
    let options = WaitOptions {
        confirm_after: secs(12),
        ..options()
    };
    let (_sim, client) = start(
        SimConfig::empty()
            .pipeline_definition(1, "recovers", recovers)
            .pipeline_definition(2, "fails-again", fails_again),
    )
    .await;
    for (definition, state) in [(1, OutcomeState::Succeeded), (2, OutcomeState::Failed)] {
        let mut events = Vec::new();
        let outcome = client
            .start_pipeline_and_wait(&RunPipeline::new(id(definition)), &options, &mut |e| {
                events.push(e.clone())
            })
            .await
            .expect("ends");
        assert_eq!(outcome.state, state, "workflow {definition}");
        let seen = statuses(&events);
        let retry = seen
            .iter()
            .position(|s| s == "retry_waiting")
            .expect("retry_waiting seen");
        assert!(seen[..retry].contains(&"error".to_owned()), "{seen:?}");
        assert_eq!(
            seen.last().map(String::as_str),
            Some(outcome.vendor_status.as_str())
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_lasting_workflow_error_is_confirmed_once() {
    let (sim, client) = start(SimConfig::empty().pipeline_definition(
        1,
        "fails",
        Script::new().step("executing", secs(10)).end("error"),
    ))
    .await;
    let job = client
        .start_pipeline(&RunPipeline::new(id(1)))
        .await
        .expect("starts");
    tokio::time::sleep(secs(60)).await;
    let started = tokio::time::Instant::now();
    let outcome = client
        .wait(&JobRef::TroccoPipelineJob(id(1)), &options(), &mut |_| {})
        .await
        .expect("ends");
    assert_eq!(outcome.state, OutcomeState::Failed);
    assert_eq!(outcome.polls, 2, "one read, one confirmation");
    assert_eq!(started.elapsed(), options().confirm_after);
    assert_eq!(
        sim.count("GET", &format!("/api/pipeline_jobs/{}", job.id)),
        2
    );
}

#[tokio::test(start_paused = true)]
async fn an_unknown_status_is_reported_and_waited_through() {
    let script = Script::new()
        .step("queued", secs(3))
        .step("paused_by_admin", secs(30))
        .step("executing", secs(10))
        .end("succeeded");
    let (_sim, client) = start(SimConfig::empty().transfer_definition(1, "odd", script)).await;
    let (result, events) = run_transfer(&client, 1).await;
    assert_eq!(result.expect("ends").state, OutcomeState::Succeeded);
    let unknown: Vec<&WaitEvent> = events
        .iter()
        .filter(|e| matches!(e, WaitEvent::Status { known: false, .. }))
        .collect();
    assert_eq!(unknown.len(), 1, "{events:?}");
    assert!(matches!(unknown[0], WaitEvent::Status { status, .. } if status == "paused_by_admin"));
    assert_eq!(
        statuses(&events),
        ["queued", "paused_by_admin", "executing", "succeeded"]
    );
}

#[tokio::test(start_paused = true)]
async fn a_passed_deadline_returns_the_job_and_its_last_status() {
    let slow = Script::new()
        .step("queued", secs(5))
        .step("executing", secs(7200))
        .end("succeeded");
    let (sim, client) = start(SimConfig::empty().transfer_definition(1, "slow", slow)).await;
    let short = WaitOptions {
        timeout: secs(600),
        ..options()
    };
    let err = client
        .start_job_and_wait(&RunJob::new(id(1)), &short, &mut |_| {})
        .await
        .expect_err("deadline");
    let Error::Deadline {
        job,
        last_status,
        waited,
    } = &err
    else {
        panic!("expected a deadline error, got {err:?}");
    };
    assert_eq!(job, &JobRef::TroccoJob(id(1)));
    assert_eq!(last_status.as_deref(), Some("executing"));
    assert_eq!(
        *waited,
        secs(600),
        "the last read happens at the deadline itself"
    );
    let text = err.to_string();
    assert!(
        text.contains("trocco:job:1") && text.contains("executing") && text.contains("again"),
        "{text}"
    );
    // The job goes on; a later wait picks it up by its reference.
    let longer = WaitOptions {
        timeout: secs(3 * 3600),
        ..options()
    };
    let outcome = client
        .wait(job, &longer, &mut |_| {})
        .await
        .expect("ends later");
    assert_eq!(outcome.state, OutcomeState::Succeeded);
    assert_eq!(sim.count("POST", "/api/jobs"), 1);
}

#[tokio::test(start_paused = true)]
async fn a_rate_limited_read_waits_for_the_reset() {
    let window = secs(600);
    let script = Script::new()
        .step("queued", secs(1))
        .step("executing", secs(10))
        .end("succeeded");
    let (sim, client) = start(
        SimConfig::empty()
            .rate_limit(4, window)
            .transfer_definition(1, "ok", script),
    )
    .await;
    let (result, events) = run_transfer(&client, 1).await;
    assert_eq!(result.expect("ends").state, OutcomeState::Succeeded);

    let retried = retries(&events);
    assert_eq!(retried.len(), 1, "one 429, then the reset: {retried:?}");
    assert!(retried[0].1.contains("429"), "{retried:?}");
    let requests = sim.requests();
    assert_eq!(
        requests.len(),
        6,
        "trigger, 3 reads, the 429, the read after the reset"
    );
    let limited = &requests[4];
    let after = &requests[5];
    let used = limited
        .received_at
        .duration_since(requests[0].received_at)
        .expect("ordered");
    let gap = after
        .received_at
        .duration_since(limited.received_at)
        .expect("ordered");
    // The window opened with the first call; nothing more was sent until it closed.
    assert!(
        gap + used >= window,
        "next read came {gap:?} after the 429, {used:?} into the window"
    );
    assert!(gap <= window + secs(5), "{gap:?}");
    let reported = retried[0].0;
    assert!(
        gap >= reported && gap - reported < Duration::from_millis(5),
        "reported {reported:?}, waited {gap:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn server_errors_bad_bodies_and_slow_answers_during_polling_are_ridden_out() {
    let (sim, client) =
        start(SimConfig::empty().transfer_definition(1, "ok", transfer("succeeded"))).await;
    let html = Fault::Status {
        status: 503,
        content_type: "text/html".into(),
        body: "<html><body>Service Unavailable</body></html>".into(),
    };
    sim.inject(Target::GetJob, html, 2);
    sim.inject(Target::GetJob, Fault::MalformedJson, 1);
    // Longer than the client's 30 s request timeout.
    sim.inject(Target::GetJob, Fault::Delay(secs(45)), 1);
    sim.inject(Target::GetJob, Fault::Drop, 1);
    let (result, events) = run_transfer(&client, 1).await;
    assert_eq!(result.expect("ends").state, OutcomeState::Succeeded);
    let reasons: Vec<String> = retries(&events).into_iter().map(|(_, r)| r).collect();
    assert_eq!(reasons.len(), 5, "{reasons:?}");
    assert!(
        reasons[0].contains("503") && reasons[0].contains("Service Unavailable"),
        "{reasons:?}"
    );
    assert!(reasons[2].contains("could not be read"), "{reasons:?}");
    let faulted = sim.requests().iter().filter(|r| r.fault.is_some()).count();
    assert_eq!(faulted, 5);
    assert_eq!(sim.count("POST", "/api/jobs"), 1);
}

#[tokio::test(start_paused = true)]
async fn a_trigger_whose_answer_was_lost_is_never_sent_again() {
    let (sim, client) =
        start(SimConfig::empty().transfer_definition(1, "ok", transfer("succeeded"))).await;
    sim.inject(Target::RunJob, Fault::Drop, 1);
    let err = client
        .start_job(&RunJob::new(id(1)))
        .await
        .expect_err("connection dropped");
    let Error::Unconfirmed { cause, .. } = &err else {
        panic!("{err:?}");
    };
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
    assert!(
        err.to_string().contains("the job may have started"),
        "{err}"
    );
    assert_eq!(sim.count("POST", "/api/jobs"), 1, "sent once");
    // The server did create the job: this is why the trigger must not be repeated.
    let jobs = client
        .jobs(id(1), &ListJobs::default())
        .try_collect::<Vec<_>>()
        .await
        .expect("list");
    assert_eq!(jobs.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_trigger_is_not_retried_on_server_errors_timeouts_or_rate_limits() {
    let (sim, client) = start(
        SimConfig::empty()
            .rate_limit(2, secs(600))
            .transfer_definition(1, "ok", transfer("succeeded"))
            .pipeline_definition(1, "wf", transfer("succeeded")),
    )
    .await;
    let gateway = Fault::Status {
        status: 502,
        content_type: "text/plain".into(),
        body: "bad gateway".into(),
    };
    sim.inject(Target::RunJob, gateway, 1);
    let err = client
        .start_job(&RunJob::new(id(1)))
        .await
        .expect_err("502");
    // A gateway's 502 may come after the request reached trocco.
    assert!(
        matches!(&err, Error::Unconfirmed { cause, .. }
            if matches!(&**cause, Error::Api(api) if api.status == 502 && api.body == "bad gateway")),
        "{err:?}"
    );

    sim.inject(Target::RunPipelineJob, Fault::Delay(secs(45)), 1);
    let err = client
        .start_pipeline(&RunPipeline::new(id(1)))
        .await
        .expect_err("timeout");
    assert!(
        matches!(
            &err,
            Error::Unconfirmed { cause, .. } if matches!(
                **cause,
                Error::Transport {
                    fate: RequestFate::MaybeSent,
                    ..
                }
            )
        ),
        "{err:?}"
    );

    // The delayed trigger and this read spend the budget of 2 (an injected status is not
    // counted); the next trigger meets the 429 and is not repeated.
    client.job(id(1)).await.ok();
    let err = client
        .start_job(&RunJob::new(id(1)))
        .await
        .expect_err("429");
    assert!(
        matches!(&err, Error::Api(api) if api.status == 429 && api.retry_after.is_some()),
        "{err:?}"
    );

    assert_eq!(sim.count("POST", "/api/jobs"), 2);
    assert_eq!(sim.count("POST", "/api/pipeline_jobs"), 1);
}

#[tokio::test(start_paused = true)]
async fn a_trigger_is_retried_when_the_connection_was_refused() {
    // A port nobody listens on yet: connections are refused before anything is written.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let client = client_for(&format!("http://127.0.0.1:{port}"), KEY);
    let sim = tokio::spawn(async move {
        tokio::time::sleep(secs(3)).await;
        TroccoSim::start(
            SimConfig::empty()
                .api_key(KEY)
                .port(port)
                .transfer_definition(1, "ok", transfer("succeeded")),
        )
        .await
        .expect("simulator starts on the freed port")
    });
    let started = tokio::time::Instant::now();
    let job = client
        .start_job(&RunJob::new(id(1)))
        .await
        .expect("sent once the simulator is up");
    assert!(started.elapsed() >= secs(3));
    let sim = sim.await.expect("task");
    assert_eq!(job.id, 1);
    assert_eq!(sim.count("POST", "/api/jobs"), 1);
}

#[tokio::test(start_paused = true)]
async fn bad_inputs_send_nothing() {
    let (sim, client) =
        start(SimConfig::empty().transfer_definition(1, "ok", transfer("succeeded"))).await;
    let bad_wait = WaitOptions {
        poll_min: secs(10),
        poll_max: secs(1),
        ..options()
    };
    let err = client
        .start_job_and_wait(&RunJob::new(id(1)), &bad_wait, &mut |_| {})
        .await
        .expect_err("poll bounds");
    assert!(err.is_usage(), "{err}");

    let gap = RunJob::new(id(1))
        .context_time("2024-03-10 02:30:00".parse().expect("shape"))
        .time_zone("America/New_York".parse().expect("zone"));
    assert!(
        client
            .start_job(&gap)
            .await
            .expect_err("DST gap")
            .is_usage()
    );

    let filter = ListJobs {
        page_size: std::num::NonZeroU32::new(101),
        ..ListJobs::default()
    };
    assert!(
        client
            .jobs(id(1), &filter)
            .try_collect::<Vec<_>>()
            .await
            .expect_err("page size")
            .is_usage()
    );

    for url in ["http://trocco.example.com", "ftp://127.0.0.1", "not a url"] {
        let err = TroccoConfig::new(SecretString::from(KEY))
            .and_then(|c| c.base_url(url, false))
            .expect_err(url);
        assert!(err.is_usage() && err.to_string().contains(url), "{err}");
    }
    assert!(
        "2024-13-01 00:00:00"
            .parse::<jobrun::trocco::ContextTime>()
            .is_err()
    );
    assert!("Tokyo".parse::<jobrun::trocco::TimeZoneName>().is_err());
    assert!(CustomVariable::parse_assignment("$=A").is_err());

    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

#[tokio::test(start_paused = true)]
async fn run_options_travel_as_trocco_documents_them() {
    let (sim, client) =
        start(SimConfig::empty().transfer_definition(42, "vars", transfer("succeeded"))).await;
    let run = RunJob::new(id(42))
        .context_time("2024-01-31 09:00:00".parse().expect("valid"))
        .time_zone("Etc/UTC".parse().expect("valid"))
        .variable(CustomVariable::new("$ad_id$", "A0000").expect("valid"))
        .variable(CustomVariable::parse_assignment("date=2024-01-31").expect("valid"));
    let job = client.start_job(&run).await.expect("starts");
    assert_eq!(job.job_definition_id, Some(42));
    let requests = sim.requests();
    let trigger = &requests[0];
    assert_eq!(trigger.query.as_deref(), Some("job_definition_id=42"));
    assert_eq!(
        trigger.header("authorization"),
        Some(format!("Token {KEY}").as_str())
    );
    assert_eq!(trigger.header("content-type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&trigger.body).expect("JSON body");
    assert_eq!(
        body,
        serde_json::json!({
            "context_time": "2024-01-31 09:00:00",
            "time_zone": "Etc/UTC",
            "custom_variables": [
                { "name": "$ad_id$", "value": "A0000" },
                { "name": "$date$", "value": "2024-01-31" }
            ]
        })
    );
}

#[tokio::test(start_paused = true)]
async fn a_refused_key_is_an_auth_error_and_never_shown() {
    let (sim, _) =
        start(SimConfig::empty().transfer_definition(1, "ok", transfer("succeeded"))).await;
    let wrong = "tra_wrong-key-7f3e";
    let client = client_for(&sim.base_url(), wrong);
    let err = client.job(id(1)).await.expect_err("401");
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status, 401);
    assert!(api.is_auth());
    assert!(
        api.message.is_some(),
        "the simulator's body is in a documented shape: {api:?}"
    );
    assert_eq!(sim.count("GET", "/api/jobs/1"), 1, "not retried");
    for shown in [err.to_string(), format!("{err:?}"), format!("{client:?}")] {
        assert!(!shown.contains(wrong) && !shown.contains(KEY), "{shown}");
    }
}

#[tokio::test(start_paused = true)]
async fn an_unknown_job_is_a_404_without_retries() {
    let (sim, client) = start(SimConfig::empty()).await;
    let err = client.pipeline_job(id(999)).await.expect_err("404");
    assert!(
        matches!(&err, Error::Api(api) if api.status == 404),
        "{err:?}"
    );
    let err = client
        .wait(&JobRef::TroccoJob(id(999)), &options(), &mut |_| {})
        .await
        .expect_err("404 while waiting");
    assert!(
        matches!(&err, Error::Api(api) if api.status == 404),
        "{err:?}"
    );
    assert_eq!(sim.requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn job_lists_follow_next_cursor_to_the_end() {
    let (sim, client) =
        start(SimConfig::empty().transfer_definition(7, "many", transfer("succeeded"))).await;
    for _ in 0..5 {
        client.start_job(&RunJob::new(id(7))).await.expect("starts");
    }
    let filter = ListJobs {
        page_size: std::num::NonZeroU32::new(2),
        ..ListJobs::default()
    };
    let jobs: Vec<_> = client
        .jobs(id(7), &filter)
        .try_collect()
        .await
        .expect("lists");
    let mut ids: Vec<i64> = jobs.iter().map(|j| j.id).collect();
    ids.sort_unstable();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(sim.count("GET", "/api/job_definitions/7/jobs"), 3);
}

#[tokio::test(start_paused = true)]
async fn default_options_spend_under_20_calls_on_ten_idle_minutes() {
    let idle = Script::new().step("executing", secs(600)).end("succeeded");
    let (sim, client) = start(SimConfig::empty().transfer_definition(1, "idle", idle)).await;
    let outcome = client
        .start_job_and_wait(&RunJob::new(id(1)), &WaitOptions::default(), &mut |_| {})
        .await
        .expect("ends");
    assert_eq!(outcome.state, OutcomeState::Succeeded);
    let reads = sim.count("GET", "/api/jobs/1");
    assert!(reads < 20, "{reads} reads in ten minutes");
    // …and it notices the end within one poll_max.
    assert!(outcome.waited <= secs(600 + 60), "{:?}", outcome.waited);
}

#[tokio::test(start_paused = true)]
async fn a_workflow_error_read_at_the_deadline_is_its_outcome() {
    let late = Script::new()
        .step("executing", Duration::from_millis(99_500))
        .end("error");
    let (_sim, client) = start(SimConfig::empty().pipeline_definition(1, "late", late)).await;
    let at_deadline = WaitOptions {
        timeout: secs(100),
        ..options()
    };
    let outcome = client
        .start_pipeline_and_wait(&RunPipeline::new(id(1)), &at_deadline, &mut |_| {})
        .await
        .expect("the last read saw the end");
    assert_eq!(outcome.state, OutcomeState::Failed);
    assert_eq!(outcome.waited, secs(100));
}
