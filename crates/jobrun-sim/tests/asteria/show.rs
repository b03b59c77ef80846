use std::time::Duration;

use chrono::NaiveDateTime;
use jobrun_sim::asteria::{AsteriaConfig, CheckpointRequest, Start};

use crate::common::{Api, FAILS_AGAIN, RECOVERS, RUNNING, SUCCEEDED, element_names, field, ok};

const SHOW_FIELDS: [&str; 11] = [
    "requestId",
    "status",
    "project",
    "flow",
    "owner",
    "executeUser",
    "startTime",
    "checkPointStatus",
    "endTime",
    "restartTime",
    "checkPointRestartStatus",
];

#[tokio::test]
async fn show_answers_every_field_of_the_seed_sample() {
    let api = Api::default().await;
    let session = api.login().await;
    for id in [RECOVERS, FAILS_AGAIN, SUCCEEDED, RUNNING] {
        let shown = api.show(&session, id).await;
        assert_eq!(element_names(&shown), SHOW_FIELDS, "{shown}");
        assert_eq!(field(&shown, "requestId").unwrap(), id);
    }
    let error = api.show(&session, RECOVERS).await;
    assert_eq!(field(&error, "status").unwrap(), "error");
    assert_eq!(field(&error, "project").unwrap(), "Project1");
    assert_eq!(field(&error, "flow").unwrap(), "Flow2");
    assert_eq!(field(&error, "owner").unwrap(), "/guest");
    assert_eq!(field(&error, "executeUser").unwrap(), "");
    assert_eq!(field(&error, "checkPointStatus").unwrap(), "CheckPoint2");
    // Never re-run: no restart yet, written as empty elements.
    assert!(error.contains("<restartTime></restartTime>"), "{error}");
    assert!(
        error.contains("<checkPointRestartStatus></checkPointRestartStatus>"),
        "{error}"
    );
    let running = api.show(&session, RUNNING).await;
    assert_eq!(field(&running, "executeUser").unwrap(), "/sales/batch");
    assert_eq!(field(&running, "endTime").unwrap(), "");
    // The 12-digit id is another request than the seed's 13-digit one.
    let other = api.show(&session, FAILS_AGAIN).await;
    assert_eq!(field(&other, "flow").unwrap(), "Flow3");
}

#[tokio::test]
async fn the_whole_answer_is_laid_out_like_the_sample() {
    let at = NaiveDateTime::parse_from_str("2012-10-05 18:06:59", "%Y-%m-%d %H:%M:%S").unwrap();
    let api = Api::start(
        AsteriaConfig::empty().request(
            CheckpointRequest::new("ec303dfa-c317-40f2-a396-d776918253df", "Project1", "Flow1")
                .started(Start::At(at))
                .took(Duration::from_secs(9613))
                .failed_at("CheckPoint2"),
        ),
    )
    .await;
    let session = api.login().await;
    let body = ok(api
        .get(
            "/api/checkpoint/show?requestId=ec303dfa-c317-40f2-a396-d776918253df&date=20121005",
            Some(&session),
        )
        .await)
    .await;
    assert_eq!(
        body,
        "<result>
\t<status>success</status>
\t<data>
\t\t<request>
\t\t\t<requestId>ec303dfa-c317-40f2-a396-d776918253df</requestId>
\t\t\t<status>error</status>
\t\t\t<project>Project1</project>
\t\t\t<flow>Flow1</flow>
\t\t\t<owner>/guest</owner>
\t\t\t<executeUser></executeUser>
\t\t\t<startTime>2012-10-05T18:06:59 JST</startTime>
\t\t\t<checkPointStatus>CheckPoint2</checkPointStatus>
\t\t\t<endTime>2012-10-05T20:47:12 JST</endTime>
\t\t\t<restartTime></restartTime>
\t\t\t<checkPointRestartStatus></checkPointRestartStatus>
\t\t</request>
\t</data>
</result>
"
    );
}

#[tokio::test]
async fn show_with_the_right_date_finds_the_request() {
    let api = Api::default().await;
    let session = api.login().await;
    let date = api.date_of(&session, SUCCEEDED).await;
    let body = ok(api
        .get(
            &format!("/api/checkpoint/show?requestId={SUCCEEDED}&date={date}"),
            Some(&session),
        )
        .await)
    .await;
    assert_eq!(field(&body, "requestId").unwrap(), SUCCEEDED);
    // `.xml` is the default format written out.
    ok(api
        .get(
            &format!("/api/checkpoint/show.xml?requestId={SUCCEEDED}"),
            Some(&session),
        )
        .await)
    .await;
}

#[tokio::test]
async fn names_are_escaped() {
    let api = Api::start(
        AsteriaConfig::empty()
            .request(CheckpointRequest::new("r1", "R&D <test>", "Flow \"1\"").owner("/o'brien")),
    )
    .await;
    let session = api.login().await;
    let shown = api.show(&session, "r1").await;
    assert_eq!(field(&shown, "project").unwrap(), "R&amp;D &lt;test&gt;");
    assert_eq!(field(&shown, "flow").unwrap(), "Flow \"1\"");
    assert_eq!(field(&shown, "owner").unwrap(), "/o'brien");
    let listed = api.list(&session, "project=R%26D+%3Ctest%3E").await;
    assert_eq!(field(&listed, "requestId").unwrap(), "r1");
}
