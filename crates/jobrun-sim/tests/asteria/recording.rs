use std::time::Duration;

use jobrun_sim::asteria::SESSION_HEADER;

use crate::common::{Api, RECOVERS, ok};

#[tokio::test(start_paused = true)]
async fn every_request_is_recorded_with_what_was_sent() {
    let api = Api::default().await;
    let session = api.login().await;
    let date = api.date_of(&session, RECOVERS).await;
    tokio::time::sleep(Duration::from_secs(10)).await;
    ok(api.rerun(&session, &date, RECOVERS).await).await;
    api.get(
        "/api/checkpoint/list?date=20121005&status=error",
        Some(&session),
    )
    .await;

    let recorded = api.sim.requests();
    assert_eq!(recorded.len(), 4);
    let login = &recorded[0];
    assert_eq!(login.method, "POST");
    assert_eq!(login.path, "/api/auth/login");
    assert_eq!(login.query, None);
    assert_eq!(login.body, b"userName=guest&password=guest");
    assert_eq!(
        login.header("content-type"),
        Some("application/x-www-form-urlencoded; charset=UTF-8")
    );
    assert_eq!(login.header(SESSION_HEADER), None);
    assert_eq!(login.fault, None);

    let show = &recorded[1];
    assert_eq!(show.method, "GET");
    assert_eq!(show.path, "/api/checkpoint/show");
    assert_eq!(
        show.query.as_deref(),
        Some(&*format!("requestId={RECOVERS}"))
    );
    assert_eq!(show.header(SESSION_HEADER), Some(session.as_str()));

    let rerun = &recorded[2];
    assert_eq!(rerun.path, "/api/checkpoint/rerun");
    assert_eq!(
        rerun.body,
        format!("date={date}&requestId={RECOVERS}").as_bytes()
    );
    let waited = rerun.received_at.duration_since(show.received_at).unwrap();
    assert!(waited >= Duration::from_secs(10) && waited < Duration::from_secs(11));
    assert_eq!(
        recorded[3].query.as_deref(),
        Some("date=20121005&status=error")
    );
}

#[tokio::test]
async fn count_proves_a_rerun_was_sent_exactly_once() {
    let api = Api::default().await;
    let session = api.login().await;
    let date = api.date_of(&session, RECOVERS).await;
    ok(api.rerun(&session, &date, RECOVERS).await).await;
    api.show(&session, RECOVERS).await;
    api.show(&session, RECOVERS).await;
    assert_eq!(api.sim.count("POST", "/api/checkpoint/rerun"), 1);
    assert_eq!(api.sim.count("post", "/api/auth/login"), 1);
    // date_of and the two polls.
    assert_eq!(api.sim.count("GET", "/api/checkpoint/show"), 3);
    assert_eq!(api.sim.count("GET", "/api/checkpoint/rerun"), 0);
    assert_eq!(api.sim.rerun_count(RECOVERS), 1);
}
