//! The Adobe facade against the Adobe simulator (IMS and Query Service): tokens, paging, run
//! discovery, triggers sent once, typed errors, and runs to their end.
//!
//! Tests run on tokio's paused clock.

use std::time::Duration;

use futures::TryStreamExt;
use jobrun::{
    Error, JobRef, OutcomeState, RequestFate, SecretString, WaitEvent, WaitOptions,
    adobe::{AdobeClient, AdobeConfig, AdobeError, Cron, ListOptions, NewSchedule, ScheduleId},
};
use jobrun_sim::{
    Fault,
    adobe::{
        AdobeConfig as SimConfig, AdobeSim, RunScript, Schedule, Target, gateway_error,
        too_many_requests, too_many_requests_empty,
    },
};

const CLIENT_ID: &str = "facade-client-0001";
const SECRET: &str = "p8e-facade-secret-7d1c";
const ORG: &str = "FACADE0001@AdobeOrg";
const OK: &str = "sched_succeeds";
const FAILS: &str = "sched_fails";
const LONG: &str = "sched_long";
const BUSY: &str = "sched_busy";

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn options() -> WaitOptions {
    WaitOptions {
        timeout: secs(4 * 3600),
        poll_min: secs(1),
        poll_max: secs(10),
        confirm_after: secs(5),
    }
}

fn sim_config() -> SimConfig {
    let mut config = SimConfig::empty()
        .credentials(CLIENT_ID, SECRET, ORG)
        .schedule(Schedule::new("succeeds", "SELECT 1").id(OK).runs(
            RunScript::new().task("prepare", secs(15), "SUCCESS").task(
                "insert_into",
                secs(20),
                "SUCCESS",
            ),
        ))
        .schedule(
            Schedule::new("fails", "SELECT x").id(FAILS).runs(
                RunScript::new()
                    .task("prepare", secs(10), "SUCCESS")
                    .task("insert_into", secs(10), "FAILED")
                    .task_message("relation x does not exist"),
            ),
        )
        .schedule(
            Schedule::new("long", "SELECT 2")
                .id(LONG)
                .runs(RunScript::new().lasts(secs(30 * 60))),
        )
        .schedule(
            Schedule::new("busy", "SELECT 3")
                .id(BUSY)
                .max_active_runs(5)
                .runs(RunScript::new().lasts(secs(600))),
        );
    for n in 0..7 {
        config = config.schedule(
            Schedule::new(format!("paged-{n}"), "SELECT 4")
                .id(format!("sched_paged_{n}"))
                .created_ago(secs(3600 * (n + 1))),
        );
    }
    config
}

async fn start(config: SimConfig) -> (AdobeSim, AdobeClient) {
    let sim = AdobeSim::start(config).await.expect("simulator starts");
    let client = client_for(&sim, SECRET);
    (sim, client)
}

fn client_for(sim: &AdobeSim, secret: &str) -> AdobeClient {
    let config = AdobeConfig::new(CLIENT_ID, SecretString::from(secret), ORG, "openid,AdobeID")
        .and_then(|c| c.urls(&sim.base_url(), &sim.base_url(), false))
        .expect("valid config");
    AdobeClient::new(config).expect("client")
}

fn id(text: &str) -> ScheduleId {
    text.parse().expect("valid id")
}

fn runs_path(schedule: &str) -> String {
    format!("/data/foundation/query/schedules/{schedule}/runs")
}

#[tokio::test(start_paused = true)]
async fn a_triggered_run_is_found_and_waited_for_with_its_tasks() {
    let (sim, client) = start(sim_config()).await;
    let mut events = Vec::new();
    let outcome = client
        .start_and_wait(&id(OK), &options(), &mut |e| events.push(e.clone()))
        .await
        .expect("ends");
    assert_eq!(outcome.state, OutcomeState::Succeeded);
    let JobRef::AdobeRun { schedule, run } = &outcome.job else {
        panic!("{:?}", outcome.job)
    };
    assert_eq!(schedule.to_string(), OK);
    assert_eq!(
        outcome.job.to_string().parse::<JobRef>().ok().as_ref(),
        Some(&outcome.job)
    );
    assert!(!run.to_string().is_empty());
    let tasks: Vec<(&str, &str)> = outcome
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.status.as_str()))
        .collect();
    assert_eq!(tasks, [("prepare", "SUCCESS"), ("insert_into", "SUCCESS")]);
    assert!(events.iter().any(|e| matches!(e, WaitEvent::Step { .. })));
    // One token for the whole session.
    assert_eq!(sim.token_requests(), 1);
    assert_eq!(sim.count("POST", &runs_path(OK)), 1);

    let failed = client
        .start_and_wait(&id(FAILS), &options(), &mut |_| {})
        .await
        .expect("ends");
    assert_eq!(failed.state, OutcomeState::Failed);
    assert_eq!(
        failed.error_message.as_deref(),
        Some("relation x does not exist")
    );
}

#[tokio::test(start_paused = true)]
async fn a_short_lived_token_is_renewed_before_it_expires_mid_wait() {
    let (sim, client) = start(sim_config().token_ttl(secs(120))).await;
    let outcome = client
        .start_and_wait(&id(LONG), &options(), &mut |_| {})
        .await
        .expect("ends");
    assert_eq!(outcome.state, OutcomeState::Succeeded);
    // Renewed a fifth of its life early (every ~96 s) over a 30-minute wait.
    let tokens = sim.token_requests();
    assert!((15..=25).contains(&tokens), "{tokens} token requests");
}

#[tokio::test(start_paused = true)]
async fn fifty_concurrent_callers_cause_one_token_request() {
    let (sim, client) = start(sim_config()).await;
    let schedule = id(OK);
    let reads = (0..50).map(|_| client.schedule(&schedule));
    for result in futures::future::join_all(reads).await {
        result.expect("reads");
    }
    assert_eq!(sim.token_requests(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_refused_token_gets_one_renewal_and_one_retry_never_a_loop() {
    let (sim, client) = start(sim_config()).await;
    client.schedule(&id(OK)).await.expect("reads");
    sim.expire_tokens();
    client.schedule(&id(OK)).await.expect("after one renewal");
    assert_eq!(sim.token_requests(), 2);

    let refused = gateway_error(401, "401013", "Oauth token is not valid");
    sim.inject(Target::GetSchedule, refused, 2);
    let err = client.schedule(&id(OK)).await.expect_err("refused twice");
    assert_eq!(err.adobe(), Some(&AdobeError::InvalidToken));
    assert_eq!(sim.token_requests(), 3);
}

#[tokio::test(start_paused = true)]
async fn paging_walks_every_page_with_both_link_shapes() {
    for strings in [false, true] {
        let (sim, client) = start(sim_config().page_links_as_strings(strings)).await;
        let options = ListOptions {
            limit: std::num::NonZeroU32::new(3),
            orderby: Some("-created".parse().expect("valid")),
            filters: Vec::new(),
        };
        let all: Vec<_> = client
            .schedules(&options)
            .try_collect()
            .await
            .expect("lists");
        assert_eq!(all.len(), 11, "links as strings: {strings}");
        let mut ids: Vec<_> = all.iter().filter_map(|s| s.id.clone()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 11);
        assert_eq!(sim.count("GET", "/data/foundation/query/schedules"), 4);
    }
}

#[tokio::test(start_paused = true)]
async fn discovery_ignores_scheduled_runs_and_refuses_to_guess_between_two_new_ones() {
    let (sim, client) = start(sim_config()).await;
    // The scheduler fires while the trigger's answer is on its way.
    sim.inject(Target::TriggerRun, Fault::Delay(secs(2)), 1);
    let scheduled = async {
        tokio::time::sleep(secs(1)).await;
        sim.add_run(BUSY, RunScript::new().lasts(secs(600)))
    };
    let busy = id(BUSY);
    let (started, scheduled) = tokio::join!(client.start(&busy), scheduled);
    let started = started.expect("found");
    let scheduled = scheduled.expect("added");
    let JobRef::AdobeRun { run, .. } = &started.job else {
        panic!("{:?}", started.job)
    };
    assert_ne!(run.to_string(), scheduled);

    // Someone else triggers while ours is on its way.
    sim.inject(Target::TriggerRun, Fault::Delay(secs(2)), 1);
    let other = async {
        tokio::time::sleep(secs(1)).await;
        client_for(&sim, SECRET).start(&id(BUSY)).await
    };
    let (ours, _) = tokio::join!(client.start(&busy), other);
    match ours.expect_err("ambiguous") {
        Error::Discovery { candidates, .. } => assert_eq!(candidates.len(), 2),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_trigger_is_never_sent_twice_under_faults() {
    let (sim, client) = start(sim_config()).await;
    for (n, fault) in [
        Fault::Drop,
        Fault::Status {
            status: 503,
            content_type: "text/html".into(),
            body: "<h1>Service Unavailable</h1>".into(),
        },
        too_many_requests(Some(secs(5))),
    ]
    .into_iter()
    .enumerate()
    {
        sim.inject(Target::TriggerRun, fault.clone(), 1);
        let err = client.start(&id(BUSY)).await.expect_err("faulted");
        assert_eq!(
            sim.count("POST", &runs_path(BUSY)),
            n + 1,
            "{fault:?}: {err}"
        );
        if fault == Fault::Drop {
            assert!(
                matches!(
                    &err,
                    Error::Unconfirmed { cause, .. }
                        if matches!(**cause, Error::Transport { fate: RequestFate::MaybeSent, .. })
                ),
                "{err:?}"
            );
        }
    }
}

#[tokio::test(start_paused = true)]
async fn reads_ride_out_rate_limits_with_and_without_retry_after() {
    let (sim, client) = start(sim_config()).await;
    sim.inject(Target::GetSchedule, too_many_requests(Some(secs(30))), 1);
    let before = tokio::time::Instant::now();
    client.schedule(&id(OK)).await.expect("after the wait");
    assert!(before.elapsed() >= secs(30));
    sim.inject(Target::GetSchedule, too_many_requests_empty(None), 2);
    client.schedule(&id(OK)).await.expect("after backoff");
}

#[tokio::test(start_paused = true)]
async fn gateway_and_ims_errors_are_typed_and_keep_the_request_id() {
    let (sim, client) = start(sim_config()).await;
    for (status, code, message, kind) in [
        (
            403,
            "403010",
            "Oauth token is missing.",
            AdobeError::MissingToken,
        ),
        (
            403,
            "403000",
            "Api Key is required",
            AdobeError::MissingApiKey,
        ),
        (
            403,
            "403003",
            "Api Key is invalid",
            AdobeError::InvalidApiKey,
        ),
        (400, "400003", "Missing header", AdobeError::MissingHeader),
        (
            403,
            "403025",
            "Profile is not valid",
            AdobeError::ProfileNotValid,
        ),
        (
            403,
            "403027",
            "User region is missing",
            AdobeError::RegionMissing,
        ),
    ] {
        sim.inject(Target::GetSchedule, gateway_error(status, code, message), 1);
        let err = client.schedule(&id(OK)).await.expect_err(code);
        assert_eq!(err.adobe(), Some(&kind), "{err}");
        match &err {
            Error::Api(api) => {
                assert_eq!(api.status, status);
                assert_eq!(api.code.as_deref(), Some(code));
            }
            other => panic!("{other:?}"),
        }
    }
    // The simulator's own checks: a real 401 from an unknown token is answered with an id.
    let wrong = client_for(&sim, "not-the-secret");
    let err = wrong.schedule(&id(OK)).await.expect_err("IMS refuses");
    assert!(
        matches!(err.adobe(), Some(AdobeError::Token { error, .. }) if error == "invalid_client"),
        "{err:?}"
    );
    assert!(!format!("{err} {err:?}").contains("not-the-secret"));
    let err = client
        .delete_schedule(&id(OK))
        .await
        .expect_err("not disabled");
    match &err {
        Error::Api(api) => {
            assert_eq!(api.status, 400);
            assert!(api.request_id.is_some(), "{api:?}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_cancel_during_a_wait_ends_it_canceled() {
    let (sim, client) = start(sim_config()).await;
    let started = client.start(&id(LONG)).await.expect("found");
    let JobRef::AdobeRun { schedule, run } = started.job.clone() else {
        panic!("{:?}", started.job)
    };
    let cancel = async {
        tokio::time::sleep(secs(60)).await;
        client.cancel_run(&schedule, &run).await
    };
    let wait_options = options();
    let mut quiet = |_: &WaitEvent| {};
    let (outcome, cancelled) =
        tokio::join!(client.wait(&started.job, &wait_options, &mut quiet), cancel);
    cancelled.expect("accepted");
    let outcome = outcome.expect("ends");
    assert_eq!(outcome.state, OutcomeState::Canceled);
    assert_eq!(outcome.vendor_status, "CANCELLED");
    drop(sim);
}

#[tokio::test(start_paused = true)]
async fn schedules_are_created_enabled_rescheduled_and_deleted() {
    let (sim, client) = start(sim_config()).await;
    let new = NewSchedule {
        name: "made by jobrun".into(),
        sql: "SELECT 5".into(),
        db_name: "prod:all".into(),
        cron: "45 * * * *".parse().expect("cron"),
        start: "2024-01-01T00:00:00Z".parse().expect("date"),
        end: None,
        description: Some("test".into()),
        max_active_runs: None,
    };
    let created = client.create_schedule(&new).await.expect("created");
    let made = id(created.id.as_deref().expect("an id"));
    tokio::time::sleep(secs(5)).await;
    let cron: Cron = "@daily".parse().expect("cron");
    client.set_cron(&made, &cron).await.expect("rescheduled");
    client.disable(&made).await.expect("disabled");
    let err = client.disable(&made).await.expect_err("already disabled");
    assert!(
        matches!(&err, Error::Api(api) if api.status == 400),
        "{err:?}"
    );
    client.delete_schedule(&made).await.expect("deleted");
    let creates = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path == "/data/foundation/query/schedules")
        .expect("recorded");
    assert_eq!(creates.header("content-type"), Some("application/json"));
}

#[tokio::test(start_paused = true)]
async fn bad_inputs_send_nothing() {
    let (sim, _client) = start(sim_config()).await;
    assert!("a/b".parse::<ScheduleId>().is_err());
    assert!("61 * * * *".parse::<Cron>().is_err());
    assert!(jobrun::adobe::parse_limit("0").is_err());
    assert!("-name".parse::<jobrun::adobe::OrderBy>().is_err());
    assert!(
        AdobeConfig::new(CLIENT_ID, SecretString::from(SECRET), ORG, "s")
            .and_then(|c| c.urls("http://ims.example.com", "https://platform.adobe.io", false))
            .is_err()
    );
    assert!(sim.requests().is_empty());
}
