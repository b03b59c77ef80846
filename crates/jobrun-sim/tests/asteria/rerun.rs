use std::time::Duration;

use chrono::NaiveDateTime;
use jobrun_sim::asteria::{AsteriaConfig, CheckpointRequest, Ending, Rerun, Start};
use tokio::time::{Instant, sleep_until};

use crate::common::{Api, FAILS_AGAIN, RECOVERS, assert_error, field, ids, ok};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

fn time(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text.strip_suffix(" JST").unwrap(), "%Y-%m-%dT%H:%M:%S").unwrap()
}

fn seconds_between(from: &str, to: &str) -> i64 {
    (time(to) - time(from)).num_seconds()
}

/// `(status, checkPointStatus, checkPointRestartStatus)` of a `show` answer.
fn state(shown: &str) -> (String, String, String) {
    (
        field(shown, "status").unwrap(),
        field(shown, "checkPointStatus").unwrap(),
        field(shown, "checkPointRestartStatus").unwrap(),
    )
}

fn owned(status: &str, checkpoint: &str, restart: &str) -> (String, String, String) {
    (status.into(), checkpoint.into(), restart.into())
}

#[tokio::test(start_paused = true)]
async fn rerun_resumes_from_the_failed_checkpoint_and_succeeds() {
    let api = Api::default().await;
    let session = api.login().await;
    let date = api.date_of(&session, RECOVERS).await;
    let before = api.show(&session, RECOVERS).await;

    let start = Instant::now();
    let body = ok(api.rerun(&session, &date, RECOVERS).await).await;
    // The answer names the request it was given, 13-digit last group and all.
    assert_eq!(
        body,
        format!(
            "<result>\n\t<status>success</status>\n\t<data>\n\t\t<requestId>{RECOVERS}</requestId>\n\t</data>\n</result>\n"
        )
    );
    assert_eq!(api.sim.rerun_count(RECOVERS), 1);

    // RECOVERS: lag 1s, runs 3s, ends success.
    sleep_until(start + ms(500)).await;
    let stale = api.show(&session, RECOVERS).await;
    assert_eq!(stale, before, "the lag still shows the old state");

    sleep_until(start + ms(1500)).await;
    let running = api.show(&session, RECOVERS).await;
    assert_eq!(state(&running), owned("running", "", "CheckPoint2"));
    assert_eq!(field(&running, "endTime").unwrap(), "");
    let restart = field(&running, "restartTime").unwrap();
    assert!(
        time(&restart) >= time(&field(&before, "endTime").unwrap()),
        "{restart}"
    );
    assert_eq!(
        field(&running, "startTime"),
        field(&before, "startTime"),
        "a rerun is the same request"
    );
    let listed = api.list(&session, "status=running").await;
    assert!(ids(&listed).contains(&RECOVERS.to_owned()));

    sleep_until(start + ms(4000)).await;
    let done = api.show(&session, RECOVERS).await;
    assert_eq!(state(&done), owned("success", "", "CheckPoint2"));
    assert_eq!(field(&done, "restartTime").unwrap(), restart);
    assert_eq!(
        seconds_between(&restart, &field(&done, "endTime").unwrap()),
        4
    );
    let listed = api.list(&session, "status=success").await;
    assert!(ids(&listed).contains(&RECOVERS.to_owned()));

    // Success is terminal: another rerun is refused.
    assert_error(
        api.rerun(&session, &date, RECOVERS).await,
        404,
        2002,
        &format!("Request is not in error: {RECOVERS} is success."),
    )
    .await;
    assert_eq!(api.sim.rerun_count(RECOVERS), 1);
    assert_eq!(api.sim.count("POST", "/api/checkpoint/rerun"), 2);
}

#[tokio::test(start_paused = true)]
async fn rerun_can_fail_again_at_a_later_checkpoint_then_recover() {
    let api = Api::default().await;
    let session = api.login().await;
    let date = api.date_of(&session, FAILS_AGAIN).await;
    assert_eq!(
        state(&api.show(&session, FAILS_AGAIN).await),
        owned("error", "CheckPoint1", "")
    );

    // FAILS_AGAIN: lag 500ms, runs 2s, ends error at CheckPoint2; then runs 2s, success.
    let first = Instant::now();
    ok(api.rerun(&session, &date, FAILS_AGAIN).await).await;
    sleep_until(first + ms(1000)).await;
    let running = api.show(&session, FAILS_AGAIN).await;
    assert_eq!(state(&running), owned("running", "", "CheckPoint1"));
    sleep_until(first + ms(2500)).await;
    let failed = api.show(&session, FAILS_AGAIN).await;
    // As in the seed's show sample: restarted from CheckPoint1, stopped at CheckPoint2.
    assert_eq!(state(&failed), owned("error", "CheckPoint2", "CheckPoint1"));
    let first_restart = field(&failed, "restartTime").unwrap();
    let first_end = field(&failed, "endTime").unwrap();
    assert!(time(&first_end) > time(&first_restart));

    sleep_until(first + ms(10_000)).await;
    let second = Instant::now();
    ok(api.rerun(&session, &date, FAILS_AGAIN).await).await;
    // No lag in the second script: running at once, from where it stopped last.
    let running = api.show(&session, FAILS_AGAIN).await;
    assert_eq!(state(&running), owned("running", "", "CheckPoint2"));
    let second_restart = field(&running, "restartTime").unwrap();
    assert_eq!(seconds_between(&first_restart, &second_restart), 10);
    sleep_until(second + ms(2000)).await;
    let done = api.show(&session, FAILS_AGAIN).await;
    assert_eq!(state(&done), owned("success", "", "CheckPoint2"));
    assert_eq!(api.sim.rerun_count(FAILS_AGAIN), 2);
}

#[tokio::test(start_paused = true)]
async fn during_the_lag_show_and_list_answer_the_old_error_but_rerun_is_refused() {
    let at = NaiveDateTime::parse_from_str("2012-10-05 18:06:59", "%Y-%m-%d %H:%M:%S").unwrap();
    let api = Api::start(
        AsteriaConfig::empty().request(
            CheckpointRequest::new("r", "P", "F")
                .started(Start::At(at))
                .failed_at("CP1")
                .on_rerun(
                    Rerun::new()
                        .lag(Duration::from_secs(5))
                        .run_for(Duration::from_secs(5))
                        .ends_error("CP2"),
                )
                .on_rerun(
                    Rerun::new()
                        .lag(Duration::from_secs(5))
                        .run_for(Duration::from_secs(1)),
                ),
        ),
    )
    .await;
    let session = api.login().await;
    let show = || api.show(&session, "r");
    let start = Instant::now();
    ok(api.rerun(&session, "20121005", "r").await).await;
    let old = show().await;
    assert_eq!(state(&old), owned("error", "CP1", ""));
    let listed = api.list(&session, "date=20121005&status=error").await;
    assert_eq!(ids(&listed), ["r"]);
    // The server knows better than its status table: a second rerun is not in error.
    assert_error(
        api.rerun(&session, "20121005", "r").await,
        404,
        2002,
        "Request is not in error: r is running.",
    )
    .await;
    sleep_until(start + ms(4900)).await;
    assert_eq!(show().await, old);
    sleep_until(start + ms(5000)).await;
    assert_eq!(state(&show().await), owned("running", "", "CP1"));
    sleep_until(start + ms(10_000)).await;
    let failed = show().await;
    assert_eq!(state(&failed), owned("error", "CP2", "CP1"));

    // The second rerun's lag shows the first rerun's outcome, with its restartTime: a client
    // tells it from the new outcome by comparing restartTime with when it re-ran.
    sleep_until(start + ms(20_000)).await;
    ok(api.rerun(&session, "20121005", "r").await).await;
    let stale = show().await;
    assert_eq!(stale, failed);
    sleep_until(start + ms(26_000)).await;
    let done = show().await;
    assert_eq!(state(&done), owned("success", "", "CP2"));
    assert_eq!(
        seconds_between(
            &field(&failed, "restartTime").unwrap(),
            &field(&done, "restartTime").unwrap()
        ),
        20
    );
    assert_eq!(api.sim.rerun_count("r"), 2);
}

#[tokio::test(start_paused = true)]
async fn running_requests_end_on_their_own_and_can_then_be_rerun() {
    let api = Api::start(
        AsteriaConfig::empty().request(
            CheckpointRequest::new("r", "P", "F")
                .started(Start::Ago(Duration::from_secs(60)))
                .running(Duration::from_secs(30), Ending::error("CheckPoint4")),
        ),
    )
    .await;
    let start = Instant::now();
    let session = api.login().await;
    let date = api.date_of(&session, "r").await;
    assert_error(
        api.rerun(&session, &date, "r").await,
        404,
        2002,
        "Request is not in error: r is running.",
    )
    .await;
    sleep_until(start + Duration::from_secs(30)).await;
    let ended = api.show(&session, "r").await;
    assert_eq!(state(&ended), owned("error", "CheckPoint4", ""));
    ok(api.rerun(&session, &date, "r").await).await;
    // No script: the default rerun runs 2 seconds and succeeds.
    sleep_until(start + Duration::from_secs(32)).await;
    assert_eq!(
        state(&api.show(&session, "r").await),
        owned("success", "", "CheckPoint4")
    );
}

#[tokio::test(start_paused = true)]
async fn requests_added_while_running_count_from_then() {
    let api = Api::start(AsteriaConfig::empty()).await;
    tokio::time::sleep(Duration::from_secs(3600)).await;
    let session = api.login().await;
    api.sim.add_request(
        CheckpointRequest::new("late", "P", "F")
            .started(Start::Ago(Duration::ZERO))
            .failed_at("CP"),
    );
    let date = api.date_of(&session, "late").await;
    let shown = api.show(&session, "late").await;
    assert_eq!(field(&shown, "startTime"), field(&shown, "endTime"));
    ok(api.rerun(&session, &date, "late").await).await;
    assert_eq!(api.sim.rerun_count("late"), 1);
    assert_eq!(api.sim.rerun_count("unknown"), 0);
}
