use std::time::Duration;

use chrono::NaiveDateTime;
use jobrun_sim::asteria::{AsteriaConfig, CheckpointRequest, Ending, Start};

use crate::common::{
    Api, FAILS_AGAIN, RECOVERS, RUNNING, SUCCEEDED, element_names, field, ids, requests,
};

const LIST_FIELDS: [&str; 8] = [
    "requestId",
    "status",
    "project",
    "flow",
    "owner",
    "startTime",
    "checkPointStatus",
    "endTime",
];

/// Yesterday's paging set of the default catalog, newest first.
fn nightly(n: u32) -> String {
    format!("9b2e4c6a-1f3d-4a5b-8c7e-5d4f3a2b1c{n:02}")
}

fn parse_time(text: &str) -> NaiveDateTime {
    let naive = text.strip_suffix(" JST").unwrap();
    NaiveDateTime::parse_from_str(naive, "%Y-%m-%dT%H:%M:%S").unwrap()
}

#[tokio::test]
async fn today_is_the_default_date_and_newest_comes_first() {
    let api = Api::default().await;
    let session = api.login().await;
    let today = api.date_of(&session, SUCCEEDED).await;
    let body = api.list(&session, "").await;
    assert_eq!(body, api.list(&session, &format!("date={today}")).await);
    assert_eq!(ids(&body), [RUNNING, FAILS_AGAIN, RECOVERS, SUCCEEDED]);
    let rows = requests(&body);
    let starts: Vec<NaiveDateTime> = rows
        .iter()
        .map(|row| parse_time(&field(row, "startTime").unwrap()))
        .collect();
    assert!(
        starts.windows(2).all(|pair| pair[0] >= pair[1]),
        "{starts:?}"
    );
    for row in &rows {
        assert_eq!(element_names(row), LIST_FIELDS, "{row}");
    }
    assert!(body.starts_with("<result>\n\t<status>success</status>\n\t<data>\n\t\t<request>\n"));
    assert!(body.ends_with("\t\t</request>\n\t</data>\n</result>\n"));
}

#[tokio::test]
async fn list_rows_look_like_the_seed_sample() {
    let api = Api::default().await;
    let session = api.login().await;
    let body = api.list(&session, "").await;
    let rows = requests(&body);
    let by_id = |id: &str| {
        rows.iter()
            .find(|row| field(row, "requestId").as_deref() == Some(id))
            .unwrap()
            .clone()
    };
    let success = by_id(SUCCEEDED);
    assert_eq!(field(&success, "status").unwrap(), "success");
    assert_eq!(field(&success, "project").unwrap(), "Project1");
    assert_eq!(field(&success, "flow").unwrap(), "Flow1");
    assert_eq!(field(&success, "owner").unwrap(), "/guest");
    // Written as an open and a close tag, as in the sample.
    assert!(
        success.contains("<checkPointStatus></checkPointStatus>"),
        "{success}"
    );
    let took = parse_time(&field(&success, "endTime").unwrap())
        - parse_time(&field(&success, "startTime").unwrap());
    assert!(took <= chrono::Duration::minutes(5), "{took}");

    let error = by_id(FAILS_AGAIN);
    assert_eq!(field(&error, "status").unwrap(), "error");
    assert_eq!(field(&error, "checkPointStatus").unwrap(), "CheckPoint1");
    let running = by_id(RUNNING);
    assert_eq!(field(&running, "status").unwrap(), "running");
    assert_eq!(field(&running, "owner").unwrap(), "/sales/taro");
    assert!(running.contains("<endTime></endTime>"), "{running}");
    let start = field(&running, "startTime").unwrap();
    assert_eq!(start.len(), "2012-10-05T18:07:04 JST".len(), "{start}");
}

#[tokio::test]
async fn filters() {
    let api = Api::default().await;
    let session = api.login().await;
    let list = |query: &'static str| {
        let api = &api;
        let session = session.clone();
        async move { ids(&api.list(&session, query).await) }
    };
    assert_eq!(list("status=error").await, [FAILS_AGAIN, RECOVERS]);
    assert_eq!(list("status=running").await, [RUNNING]);
    assert_eq!(list("status=success").await, [SUCCEEDED]);
    assert_eq!(list("project=Project2").await, [RUNNING]);
    assert_eq!(list("project=project2").await, Vec::<String>::new());
    assert_eq!(list("flow=Flow1").await, [RUNNING, SUCCEEDED]);
    assert_eq!(list("project=Project1&flow=Flow1").await, [SUCCEEDED]);
    assert_eq!(
        list("project=Project1&status=error").await,
        [FAILS_AGAIN, RECOVERS]
    );
    // Owners: `/guest` is user guest of the root domain, `/sales/taro` user taro of sales.
    assert_eq!(list("domain=sales").await, [RUNNING]);
    assert_eq!(list("domain=%2Fsales").await, [RUNNING]);
    assert_eq!(list("domain=%2F").await, [FAILS_AGAIN, RECOVERS, SUCCEEDED]);
    assert_eq!(list("user=taro").await, [RUNNING]);
    assert_eq!(list("user=guest").await, [FAILS_AGAIN, RECOVERS, SUCCEEDED]);
    assert_eq!(list("user=%2Fsales%2Ftaro").await, [RUNNING]);
    assert_eq!(list("domain=sales&user=guest").await, Vec::<String>::new());
    assert_eq!(list("domain=sales&user=taro").await, [RUNNING]);
    // Empty filters are no filters.
    assert_eq!(
        list("domain=&user=&project=&flow=&status=&page=&size=").await,
        [RUNNING, FAILS_AGAIN, RECOVERS, SUCCEEDED]
    );
    let empty = api.list(&session, "project=Nothing").await;
    assert_eq!(
        empty,
        "<result>\n\t<status>success</status>\n\t<data/>\n</result>\n"
    );
}

#[tokio::test]
async fn paging_walks_a_day_in_a_stable_order() {
    let api = Api::default().await;
    let session = api.login().await;
    let date = api.date_of(&session, &nightly(1)).await;
    let page = |n: u32| {
        let api = &api;
        let query = format!("date={date}&size=3&page={n}");
        let session = session.clone();
        async move { ids(&api.list(&session, &query).await) }
    };
    assert_eq!(page(1).await, [nightly(7), nightly(6), nightly(5)]);
    assert_eq!(page(2).await, [nightly(4), nightly(3), nightly(2)]);
    assert_eq!(page(3).await, [nightly(1)]);
    assert!(page(4).await.is_empty());
    assert_eq!(page(1).await, page(1).await);
    let all = ids(&api.list(&session, &format!("date={date}")).await);
    assert_eq!(all.len(), 7);
    assert_eq!(
        ids(&api
            .list(&session, &format!("date={date}&size=50&page=1"))
            .await),
        all
    );
    // Paging applies after filtering.
    let errors = ids(&api
        .list(&session, &format!("date={date}&status=error&size=1&page=2"))
        .await);
    assert_eq!(errors, [nightly(2)]);
    // Yesterday's requests are not today's.
    let today = ids(&api.list(&session, "").await);
    assert!(today.iter().all(|id| !all.contains(id)));
    // An old date with nothing on it.
    assert!(ids(&api.list(&session, "date=20121005").await).is_empty());
}

#[tokio::test]
async fn size_defaults_to_50() {
    let mut config = AsteriaConfig::empty();
    for n in 0..60u32 {
        let at = NaiveDateTime::parse_from_str("2012-10-05 09:00:00", "%Y-%m-%d %H:%M:%S").unwrap()
            + chrono::Duration::seconds(n.into());
        config = config
            .request(CheckpointRequest::new(format!("r{n:02}"), "P", "F").started(Start::At(at)));
    }
    let api = Api::start(config).await;
    let session = api.login().await;
    let first = ids(&api.list(&session, "date=20121005").await);
    assert_eq!(first.len(), 50);
    assert_eq!(first[0], "r59");
    let second = ids(&api.list(&session, "date=20121005&page=2").await);
    assert_eq!(second.len(), 10);
    assert_eq!(second[9], "r00");
    let one = api.list(&session, "date=20121005&size=1").await;
    assert_eq!(field(&one, "startTime").unwrap(), "2012-10-05T09:00:59 JST");
}

#[tokio::test]
async fn equal_start_times_keep_the_newest_registration_first() {
    let at = NaiveDateTime::parse_from_str("2012-10-05 18:07:04", "%Y-%m-%d %H:%M:%S").unwrap();
    let api = Api::start(
        AsteriaConfig::empty()
            .request(CheckpointRequest::new("a", "P", "F").started(Start::At(at)))
            .request(CheckpointRequest::new("b", "P", "F").started(Start::At(at))),
    )
    .await;
    api.sim
        .add_request(CheckpointRequest::new("c", "P", "F").started(Start::At(at)));
    let session = api.login().await;
    assert_eq!(
        ids(&api.list(&session, "date=20121005").await),
        ["c", "b", "a"]
    );
    // Replacing a request keeps one row for its id.
    api.sim.add_request(
        CheckpointRequest::new("a", "P", "F")
            .started(Start::At(at))
            .running(Duration::MAX, Ending::Success),
    );
    let body = api.list(&session, "date=20121005").await;
    assert_eq!(ids(&body), ["a", "c", "b"]);
    assert_eq!(field(&body, "status").unwrap(), "success");
    assert_eq!(field(&requests(&body)[0], "status").unwrap(), "running");
}
