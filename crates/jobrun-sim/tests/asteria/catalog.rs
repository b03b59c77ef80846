use std::time::Duration;

use jobrun_sim::asteria::{
    AsteriaConfig, CheckpointRequest, DEFAULT_PASSWORD, DEFAULT_USER, Ending, STANDARD_PORT, Start,
};

use crate::common::{Api, FAILS_AGAIN, RECOVERS, RUNNING, SUCCEEDED, field, ids};

#[test]
fn catalog_ids_are_shaped_like_the_seed() {
    for id in [FAILS_AGAIN, SUCCEEDED, RUNNING] {
        let groups: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12], "{id}");
        assert!(
            id.bytes()
                .all(|b| b == b'-' || b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
    }
    // The seed's rerun sample: 13 hex digits in the last group.
    let groups: Vec<usize> = RECOVERS.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 13]);
    assert_eq!((DEFAULT_USER, DEFAULT_PASSWORD), ("guest", "guest"));
    assert_eq!(STANDARD_PORT, 21381);
}

#[test]
fn catalog_table_lists_every_request() {
    let table = AsteriaConfig::new().to_string();
    for needle in [
        "userName=guest password=guest",
        "X-Fs-SessionId",
        "30m idle",
        RECOVERS,
        FAILS_AGAIN,
        SUCCEEDED,
        RUNNING,
        "9b2e4c6a-1f3d-4a5b-8c7e-5d4f3a2b1c07",
        "Project1/Flow2",
        "Nightly/Load05",
        "/sales/taro",
        "today, 2h ago",
        "1 day ago 07:00:00",
        "error at CheckPoint2",
        "running 10m -> success",
        "lag 1s, runs 3s -> success",
        "lag 500ms, runs 2s -> error at CheckPoint2; then runs 2s -> success",
    ] {
        assert!(table.contains(needle), "{needle} missing in\n{table}");
    }
    let custom = AsteriaConfig::empty()
        .user("alice", "pw")
        .session_ttl(Duration::from_secs(120))
        .request(CheckpointRequest::new("b", "P", "F").failed_at("X"))
        .request(
            CheckpointRequest::new("a", "P", "G")
                .running(Duration::MAX, Ending::Success)
                .started(Start::days_ago(2, 9, 30, 0)),
        )
        .request(CheckpointRequest::new("b", "P", "Replaced").succeeded())
        .to_string();
    assert!(custom.contains("userName=alice password=pw"), "{custom}");
    assert!(!custom.contains("userName=guest"), "{custom}");
    assert!(custom.contains("2m idle"), "{custom}");
    assert!(custom.contains("P/Replaced"), "{custom}");
    assert!(!custom.contains("P/F "), "{custom}");
    assert!(custom.find("P/Replaced").unwrap() < custom.find("P/G").unwrap());
    assert!(custom.contains("2 days ago 09:30:00"), "{custom}");
    assert!(AsteriaConfig::empty().to_string().contains("(none)"));
}

#[tokio::test(start_paused = true)]
async fn every_rerunnable_request_of_the_default_catalog_ends_within_seconds() {
    let api = Api::default().await;
    let session = api.login().await;
    let today = api.date_of(&session, RECOVERS).await;
    let yesterday = api
        .date_of(&session, "9b2e4c6a-1f3d-4a5b-8c7e-5d4f3a2b1c02")
        .await;
    let in_error = |date: &str| {
        let api = &api;
        let query = format!("date={date}&status=error");
        let session = session.clone();
        async move { ids(&api.list(&session, &query).await) }
    };
    let mut reran = Vec::new();
    for date in [&today, &yesterday] {
        for id in in_error(date).await {
            let response = api.rerun(&session, date, &id).await;
            assert_eq!(response.status(), 200, "{id}");
            reran.push(id);
        }
    }
    assert_eq!(reran.len(), 4);
    tokio::time::sleep(Duration::from_secs(5)).await;
    for id in &reran {
        let shown = api.show(&session, id).await;
        let expected = if id == FAILS_AGAIN {
            "error"
        } else {
            "success"
        };
        assert_eq!(field(&shown, "status").unwrap(), expected, "{id}");
    }
    assert_eq!(
        field(&api.show(&session, FAILS_AGAIN).await, "checkPointStatus").unwrap(),
        "CheckPoint2"
    );
    // The running one ends by itself within ten minutes.
    tokio::time::sleep(Duration::from_secs(600)).await;
    let session = api.login().await;
    assert_eq!(
        field(&api.show(&session, RUNNING).await, "status").unwrap(),
        "success"
    );
}

#[tokio::test]
async fn listens_where_told() {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    let api = Api::start(AsteriaConfig::new().port(port)).await;
    assert_eq!(api.sim.addr().port(), port);
    assert_eq!(api.sim.base_url(), format!("http://127.0.0.1:{port}"));
    api.login().await;
    api.sim.shutdown().await;
}
