//! Wire tests: every operation of the generated trocco client sends exactly the request the
//! vendor docs describe (method, path, query, `Authorization: Token …`, content type, body
//! bytes) and decodes the answer.

use std::num::{NonZeroU32, NonZeroU64};

use jobrun_transport::{SecretString, Transport};
use mockito::{Matcher, Server, ServerGuard};
use progenitor_client::Error;
use trocco_api::{Client, types};

const KEY: &str = "tra_wire-test-key";

fn client(server: &ServerGuard) -> Client {
    let transport = Transport::new()
        .with_secret_header("authorization", SecretString::from(format!("Token {KEY}")))
        .expect("valid header");
    Client::new(&server.url(), transport)
}

fn id(n: u64) -> NonZeroU64 {
    NonZeroU64::new(n).expect("non-zero")
}

const TRANSFER_JOB: &str = r#"{"id":7,"job_definition_id":42,"job_definition_name":"daily","status":"queued","created_at":"2024-01-01T09:00:00.000+09:00"}"#;
const PIPELINE_JOB: &str = r#"{"id":9,"pipeline_definition_id":321,"name":"sample-pipeline-definition-name","status":"queued","started_at":null,"finished_at":null,"created_at":"2023-05-19T19:14:00.000+09:00","context_time":"2023-05-18T17:10:20.000+09:00"}"#;

#[tokio::test]
async fn run_job_sends_query_token_and_exact_json_body() {
    let mut server = Server::new_async().await;
    let mock = server
        .mock("POST", "/api/jobs")
        .match_query(Matcher::Exact("job_definition_id=42".into()))
        .match_header("authorization", format!("Token {KEY}").as_str())
        .match_header("content-type", "application/json")
        .match_header("api-version", Matcher::Missing)
        .match_body(Matcher::Exact(
            r#"{"context_time":"2024-01-01 00:00:00","custom_variables":[{"name":"$ad_id$","value":"A0000"},{"name":"$date$","value":"2024-01-01"}],"time_zone":"Asia/Tokyo"}"#.into(),
        ))
        .with_status(200)
        .with_header("content-type", "application/json; charset=utf-8")
        .with_body(TRANSFER_JOB)
        .expect(1)
        .create_async()
        .await;

    let body = types::RunJobRequest {
        context_time: Some("2024-01-01 00:00:00".parse().expect("pattern")),
        time_zone: Some(types::TimeZone("Asia/Tokyo".into())),
        custom_variables: vec![
            types::CustomVariable {
                name: "$ad_id$".into(),
                value: "A0000".into(),
            },
            types::CustomVariable {
                name: "$date$".into(),
                value: "2024-01-01".into(),
            },
        ],
        manual_resource_enhancement: None,
    };
    let job = client(&server)
        .run_job(id(42), &body)
        .await
        .expect("200")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(job.id, 7);
    assert_eq!(job.job_definition_id, Some(42));
    assert_eq!(job.status, types::JobStatus::Queued);
    assert_eq!(
        job.created_at.expect("created_at").as_str(),
        "2024-01-01T09:00:00.000+09:00"
    );
}

#[tokio::test]
async fn run_job_with_no_options_sends_an_empty_object() {
    let mut server = Server::new_async().await;
    let mock = server
        .mock("POST", "/api/jobs")
        .match_query(Matcher::Exact("job_definition_id=1".into()))
        .match_body(Matcher::Exact("{}".into()))
        .with_status(200)
        .with_body(TRANSFER_JOB)
        .create_async()
        .await;
    client(&server)
        .run_job(id(1), &types::RunJobRequest::default())
        .await
        .expect("200");
    mock.assert_async().await;
}

#[tokio::test]
async fn get_job_reads_status_and_times() {
    let mut server = Server::new_async().await;
    let mock = server
        .mock("GET", "/api/jobs/7")
        .match_header("authorization", format!("Token {KEY}").as_str())
        .match_header("api-version", Matcher::Missing)
        .match_body(Matcher::Exact(String::new()))
        .with_status(200)
        .with_body(r#"{"id":7,"status":"succeeded","started_at":"2024-01-01T09:00:05.000+09:00","finished_at":"2024-01-01T09:01:00.000+09:00","created_at":"2024-01-01T09:00:00.000+09:00"}"#)
        .create_async()
        .await;
    let job = client(&server)
        .get_job(id(7))
        .await
        .expect("200")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(job.status, types::JobStatus::Succeeded);
    assert_eq!(
        job.finished_at.expect("finished").as_str(),
        "2024-01-01T09:01:00.000+09:00"
    );
}

#[tokio::test]
async fn run_pipeline_job_sends_context_time_and_time_zone() {
    let mut server = Server::new_async().await;
    let mock = server
        .mock("POST", "/api/pipeline_jobs")
        .match_query(Matcher::Exact("pipeline_definition_id=321".into()))
        .match_header("authorization", format!("Token {KEY}").as_str())
        .match_header("content-type", "application/json")
        .match_body(Matcher::Exact(
            r#"{"context_time":"2023-05-19 00:00:00","time_zone":"Etc/UTC"}"#.into(),
        ))
        .with_status(200)
        .with_body(PIPELINE_JOB)
        .create_async()
        .await;
    let body = types::RunPipelineJobRequest {
        context_time: Some("2023-05-19 00:00:00".parse().expect("pattern")),
        time_zone: Some(types::TimeZone("Etc/UTC".into())),
    };
    let job = client(&server)
        .run_pipeline_job(id(321), &body)
        .await
        .expect("200")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(job.id, 9);
    assert_eq!(job.name.as_deref(), Some("sample-pipeline-definition-name"));
    assert_eq!(job.started_at, None);
}

#[tokio::test]
async fn get_pipeline_job_keeps_retry_waiting_and_unknown_statuses() {
    let mut server = Server::new_async().await;
    let retry = server
        .mock("GET", "/api/pipeline_jobs/9")
        .match_header("authorization", format!("Token {KEY}").as_str())
        .with_status(200)
        .with_body(r#"{"id":9,"status":"retry_waiting"}"#)
        .create_async()
        .await;
    let unknown = server
        .mock("GET", "/api/pipeline_jobs/10")
        .with_status(200)
        .with_body(r#"{"id":10,"status":"bypassed"}"#)
        .create_async()
        .await;
    let c = client(&server);
    let job = c.get_pipeline_job(id(9)).await.expect("200").into_inner();
    assert_eq!(job.status, types::JobStatus::RetryWaiting);
    let job = c.get_pipeline_job(id(10)).await.expect("200").into_inner();
    assert_eq!(job.status, types::JobStatus::Unknown("bypassed".into()));
    retry.assert_async().await;
    unknown.assert_async().await;
}

#[tokio::test]
async fn list_jobs_sends_every_filter_and_reads_the_cursor() {
    let mut server = Server::new_async().await;
    let mock = server
        .mock("GET", "/api/job_definitions/42/jobs")
        .match_query(Matcher::Exact(
            "cursor=eyJpZCI6MjF9&end_time=2024-01-31+23%3A59%3A59&limit=100&start_time=2024-01-01+00%3A00%3A00&time_zone=Etc%2FUTC".into(),
        ))
        .match_header("authorization", format!("Token {KEY}").as_str())
        .with_status(200)
        .with_body(r#"{"items":[{"id":21,"status":"error"}],"next_cursor":"eyJpZCI6MjB9"}"#)
        .create_async()
        .await;
    let start: types::LocalDateTime = "2024-01-01 00:00:00".parse().expect("pattern");
    let end: types::LocalDateTime = "2024-01-31 23:59:59".parse().expect("pattern");
    let page = client(&server)
        .list_jobs(
            id(42),
            Some("eyJpZCI6MjF9"),
            Some(&end),
            NonZeroU32::new(100),
            Some(&start),
            Some(&types::TimeZone("Etc/UTC".into())),
        )
        .await
        .expect("200")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].status, types::JobStatus::Error);
    assert_eq!(page.next_cursor.as_deref(), Some("eyJpZCI6MjB9"));
}

#[tokio::test]
async fn list_jobs_without_filters_sends_no_query() {
    let mut server = Server::new_async().await;
    let mock = server
        .mock("GET", "/api/job_definitions/42/jobs")
        .match_query(Matcher::Missing)
        .with_status(200)
        .with_body(r#"{"items":[],"next_cursor":null}"#)
        .create_async()
        .await;
    let page = client(&server)
        .list_jobs(id(42), None, None, None, None, None)
        .await
        .expect("200")
        .into_inner();
    mock.assert_async().await;
    assert!(page.items.is_empty() && page.next_cursor.is_none());
}

#[test]
fn local_date_time_rejects_other_formats() {
    for bad in [
        "2024-01-01T00:00:00",
        "2024/01/01 00:00:00",
        "2024-01-01 0:00:00",
        "",
    ] {
        assert!(bad.parse::<types::LocalDateTime>().is_err(), "{bad:?}");
    }
}

/// Error answers come back raw with status and headers, whatever their media type, so the
/// facade can keep the vendor's message and the exact body.
#[tokio::test]
async fn error_answers_keep_status_headers_and_raw_body() {
    let mut server = Server::new_async().await;
    let cases: [(u16, &str, &str); 3] = [
        (401, "text/html", "HTTP Token: Access denied.\n"),
        (
            403,
            "application/json",
            r#"{"error":"You are not authorized"}"#,
        ),
        (
            429,
            "application/json",
            r#"{"message":"Rate limit exceeded"}"#,
        ),
    ];
    for (i, (status, content_type, body)) in cases.iter().enumerate() {
        server
            .mock("GET", format!("/api/jobs/{}", i + 1).as_str())
            .with_status(usize::from(*status))
            .with_header("content-type", content_type)
            .with_header("x-rate-limit-reset", "1700000000")
            .with_body(*body)
            .create_async()
            .await;
    }
    let c = client(&server);
    for (i, (status, _, body)) in cases.iter().enumerate() {
        let err = c
            .get_job(id(i as u64 + 1))
            .await
            .expect_err("an error status");
        let Error::ErrorResponse(answer) = err else {
            panic!("{status}: expected ErrorResponse, got {err:?}");
        };
        assert_eq!(answer.status().as_u16(), *status);
        assert_eq!(answer.headers()["x-rate-limit-reset"], "1700000000");
        let chunks: Vec<bytes::Bytes> =
            futures::TryStreamExt::try_collect(answer.into_inner().into_inner())
                .await
                .expect("body");
        let raw = chunks.concat();
        assert_eq!(raw, body.as_bytes());
    }
}

#[tokio::test]
async fn an_undeclared_status_is_an_unexpected_response() {
    let mut server = Server::new_async().await;
    server
        .mock("GET", "/api/jobs/1")
        .with_status(502)
        .with_body("<html>bad gateway</html>")
        .create_async()
        .await;
    let err = client(&server).get_job(id(1)).await.expect_err("502");
    assert!(
        matches!(err, Error::UnexpectedResponse(ref r) if r.status().as_u16() == 502),
        "{err:?}"
    );
}
