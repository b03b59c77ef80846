//! Wire tests: every operation of the generated krewData client sends exactly the request seed
//! 003 describes (POST, `/trigger/v1/<unitId>/token|run|status`, the sample code's
//! `Content-Type: application/json;charset=UTF-8`, the body bytes) and decodes the answer, and
//! error answers reach the caller in the shape the facade relies on.

use std::fs;

use jobrun_tests::workspace_root;
use jobrun_transport::Transport;
use krewdata_api::{Client, types};
use mockito::{Matcher, Server, ServerGuard};
use progenitor_client::Error;

/// The unit id of seed 003's sample code (`…/trigger/v1/abcdefghijklmn`).
const UNIT: &str = "abcdefghijklmn";
const CONTENT_TYPE: &str = "application/json;charset=UTF-8";
const TOKEN: &str = "abcdefg1234567";
const TASK: &str = "hijklmn8901234";

fn client(server: &ServerGuard) -> Client {
    let transport = Transport::new().with_content_type("application/json", CONTENT_TYPE);
    Client::new(&server.url(), transport)
}

fn unit() -> types::UnitId {
    UNIT.parse().expect("a non-empty unit id")
}

fn sample_text(name: &str) -> String {
    fs::read_to_string(workspace_root().join("specs/examples/krewdata").join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A POST to `/trigger/v1/abcdefghijklmn/<api>` with krewData's headers and exactly `body`.
/// There are no auth headers (the credentials travel in the body) and no progenitor
/// `api-version`, which krewData does not define.
async fn expect_post(server: &mut ServerGuard, api: &str, body: &str) -> mockito::Mock {
    server
        .mock("POST", format!("/trigger/v1/{UNIT}/{api}").as_str())
        .match_query(Matcher::Missing)
        .match_header("content-type", CONTENT_TYPE)
        .match_header("api-version", Matcher::Missing)
        .match_header("authorization", Matcher::Missing)
        .match_body(Matcher::Exact(body.into()))
}

fn run_request(app_id: types::AppId, record: Option<types::KintoneRecord>) -> types::RunRequest {
    types::RunRequest {
        access_token: TOKEN.into(),
        user: "krewdata@example.com".into(),
        app_id,
        record,
    }
}

async fn collect(stream: progenitor_client::ByteStream) -> Vec<u8> {
    let chunks: Vec<bytes::Bytes> = futures::TryStreamExt::try_collect(stream.into_inner())
        .await
        .expect("body");
    chunks.concat()
}

#[tokio::test]
async fn request_token_sends_the_base64_serial_of_the_seed_sample() {
    let mut server = Server::new_async().await;
    let mock = expect_post(
        &mut server,
        "token",
        r#"{"krewdataAppUrl":"https://yourdomain.cybozu.com/k/123","serialNumber":"YWJjZGVmLWprbG1uby1wcXJzdHUteHl6MTIzLTQ1Njc4OQ=="}"#,
    )
    .await
    .with_status(200)
    .with_header("content-type", "application/json; charset=utf-8")
    .with_body(sample_text("requestToken.response.seed003.json"))
    .expect(1)
    .create_async()
    .await;

    // Built from the sample file, so the sample and the bytes on the wire cannot drift apart.
    let body: types::TokenRequest =
        serde_json::from_str(&sample_text("requestToken.request.seed003.json")).expect("sample");
    let answer = client(&server)
        .request_token(&unit(), &body)
        .await
        .expect("200")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(answer.code, 200);
    assert_eq!(answer.status, "OK");
    assert_eq!(answer.access_token, TOKEN);
}

/// The record is a BTreeMap, so its keys go out sorted by UTF-8 bytes (レ… before 入…), the
/// seed's own order by chance; within a field `type` precedes `value`.
#[tokio::test]
async fn run_unit_sends_a_string_app_id_and_the_record() {
    let mut server = Server::new_async().await;
    let mock = expect_post(
        &mut server,
        "run",
        r#"{"accessToken":"abcdefg1234567","appId":"1234","record":{"レコード番号":{"type":"RECORD_NUMBER","value":"1"},"入荷日":{"type":"DATE","value":"2020-11-01"}},"user":"krewdata@example.com"}"#,
    )
    .await
    .with_status(200)
    .with_body(sample_text("runUnit.response.seed003.json"))
    .expect(1)
    .create_async()
    .await;

    let record: types::KintoneRecord = [
        (
            "入荷日".to_owned(),
            types::KintoneField {
                type_: Some("DATE".into()),
                value: "2020-11-01".into(),
            },
        ),
        (
            "レコード番号".to_owned(),
            types::KintoneField {
                type_: Some("RECORD_NUMBER".into()),
                value: "1".into(),
            },
        ),
    ]
    .into_iter()
    .collect::<std::collections::BTreeMap<_, _>>()
    .into();
    let answer = client(&server)
        .run_unit(
            &unit(),
            &run_request(types::AppId::String("1234".into()), Some(record)),
        )
        .await
        .expect("200")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(answer.code, 200);
    assert_eq!(answer.task_id, TASK);
}

/// record is 省略可 (optional): without one, the key is left out rather than sent as null.
#[tokio::test]
async fn run_unit_without_a_record_leaves_the_key_out() {
    let mut server = Server::new_async().await;
    let mock = expect_post(
        &mut server,
        "run",
        r#"{"accessToken":"abcdefg1234567","appId":"1234","user":"krewdata@example.com"}"#,
    )
    .await
    .with_status(200)
    .with_body(sample_text("runUnit.response.seed003.json"))
    .expect(1)
    .create_async()
    .await;
    client(&server)
        .run_unit(
            &unit(),
            &run_request(types::AppId::String("1234".into()), None),
        )
        .await
        .expect("200");
    mock.assert_async().await;
}

/// appId is 数値又は文字列: a number goes out as a JSON number, not quoted.
#[tokio::test]
async fn run_unit_sends_a_numeric_app_id_as_a_number() {
    let mut server = Server::new_async().await;
    let mock = expect_post(
        &mut server,
        "run",
        r#"{"accessToken":"abcdefg1234567","appId":1234,"user":"krewdata@example.com"}"#,
    )
    .await
    .with_status(200)
    .with_body(sample_text("runUnit.response.seed003.json"))
    .expect(1)
    .create_async()
    .await;
    client(&server)
        .run_unit(&unit(), &run_request(types::AppId::Int64(1234), None))
        .await
        .expect("200");
    mock.assert_async().await;
}

#[tokio::test]
async fn get_task_status_reads_a_running_task_with_an_empty_end_time() {
    let mut server = Server::new_async().await;
    let mock = expect_post(
        &mut server,
        "status",
        r#"{"accessToken":"abcdefg1234567","taskId":"hijklmn8901234"}"#,
    )
    .await
    .with_status(200)
    .with_body(
        r#"{"code":200,"status":"OK","taskStatus":"Running","flowInfo":[{"flowExecUniqueKey":"12345678","flowName":"フロー1","status":"Running","startTime":"2020-12-01 09:00:00","endTime":""},{"flowExecUniqueKey":"90123456","flowName":"フロー2","status":"Queuing"}]}"#,
    )
    .expect(1)
    .create_async()
    .await;
    let body = types::StatusRequest {
        access_token: TOKEN.into(),
        task_id: TASK.into(),
    };
    let answer = client(&server)
        .get_task_status(&unit(), &body)
        .await
        .expect("200")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(answer.task_status, types::ExecutionStatus::Running);
    assert!(!answer.task_status.is_terminal());
    let [running, queued] = answer.flow_info.as_slice() else {
        panic!("two flows: {:?}", answer.flow_info);
    };
    assert_eq!(running.status, types::ExecutionStatus::Running);
    assert_eq!(running.end_time.as_ref().map(|t| t.as_str()), Some(""));
    assert_eq!(queued.status, types::ExecutionStatus::Queuing);
    assert_eq!(queued.flow_name, "フロー2");
    assert!(queued.start_time.is_none() && queued.end_time.is_none());
}

#[tokio::test]
async fn get_task_status_reads_the_seed_failure() {
    let mut server = Server::new_async().await;
    server
        .mock("POST", format!("/trigger/v1/{UNIT}/status").as_str())
        .with_status(200)
        .with_body(sample_text(
            "getTaskStatus.response.seed003-failure-first-flow.json",
        ))
        .create_async()
        .await;
    let body = types::StatusRequest {
        access_token: TOKEN.into(),
        task_id: TASK.into(),
    };
    let answer = client(&server)
        .get_task_status(&unit(), &body)
        .await
        .expect("200")
        .into_inner();
    assert_eq!(answer.task_status, types::ExecutionStatus::Failure);
    assert!(answer.task_status.is_terminal());
    assert_eq!(answer.error_code.as_deref(), Some("33"));
    assert_eq!(
        answer.error_message.as_deref(),
        Some(
            "データ編集フローの設定が正しくありません。データ編集フローのエラーを修正してください。"
        )
    );
    let statuses: Vec<_> = answer.flow_info.iter().map(|f| f.status.clone()).collect();
    assert_eq!(
        statuses,
        [
            types::ExecutionStatus::Failure,
            types::ExecutionStatus::Cancel
        ]
    );
    assert_eq!(
        answer.flow_info[0].end_time.as_ref().map(|t| t.as_str()),
        Some("2020-12-01 09:01:00")
    );
}

/// Which operation a case calls; each builds a valid body so only the answer differs.
#[derive(Clone, Copy, Debug)]
enum Op {
    Token,
    Run,
    Status,
}

impl Op {
    const ALL: [Op; 3] = [Op::Token, Op::Run, Op::Status];

    fn api(self) -> &'static str {
        match self {
            Op::Token => "token",
            Op::Run => "run",
            Op::Status => "status",
        }
    }

    /// Calls the operation and returns only its error: a success here is a test failure.
    async fn call_expecting_error(self, c: &Client) -> Error<progenitor_client::ByteStream> {
        match self {
            Op::Token => {
                let body = types::TokenRequest {
                    krewdata_app_url: "https://yourdomain.cybozu.com/k/123".into(),
                    serial_number: "YWJjZGVmLWprbG1uby1wcXJzdHUteHl6MTIzLTQ1Njc4OQ==".into(),
                };
                c.request_token(&unit(), &body)
                    .await
                    .map(|_| ())
                    .expect_err("token: not a success")
            }
            Op::Run => c
                .run_unit(
                    &unit(),
                    &run_request(types::AppId::String("1234".into()), None),
                )
                .await
                .map(|_| ())
                .expect_err("run: not a success"),
            Op::Status => {
                let body = types::StatusRequest {
                    access_token: TOKEN.into(),
                    task_id: TASK.into(),
                };
                c.get_task_status(&unit(), &body)
                    .await
                    .map(|_| ())
                    .expect_err("status: not a success")
            }
        }
    }
}

/// Every documented error status of every operation arrives as `ErrorResponse` with its status
/// and the body byte for byte, so the facade can read code, description and taskId itself.
#[tokio::test]
async fn documented_error_answers_keep_status_and_raw_body() {
    let cases = [
        (Op::Token, 400, "error.400.requestToken-example.json"),
        (
            Op::Token,
            401,
            "error.401.requestToken-row-illegal-license.json",
        ),
        (Op::Token, 429, "error.429.requestToken-row-rate-limit.json"),
        (Op::Run, 400, "error.400.runUnit-example.json"),
        (
            Op::Run,
            409,
            "error.409.runUnit-row-other-user-running.json",
        ),
        (Op::Status, 400, "error.400.getTaskStatus-example.json"),
    ];
    for (op, status, file) in cases {
        let mut server = Server::new_async().await;
        let body = sample_text(file);
        server
            .mock("POST", format!("/trigger/v1/{UNIT}/{}", op.api()).as_str())
            .with_status(status)
            .with_header("content-type", "application/json; charset=utf-8")
            .with_body(&body)
            .create_async()
            .await;
        let err = op.call_expecting_error(&client(&server)).await;
        let Error::ErrorResponse(answer) = err else {
            panic!("{op:?} {status}: expected ErrorResponse, got {err:?}");
        };
        assert_eq!(usize::from(answer.status().as_u16()), status, "{op:?}");
        let raw = collect(answer.into_inner()).await;
        assert_eq!(raw, body.as_bytes(), "{op:?} {status}");
        let decoded: types::ErrorBody = serde_json::from_slice(&raw).expect("an ErrorBody");
        assert_eq!(usize::try_from(decoded.code).ok(), Some(status), "{op:?}");
    }
}

/// A unit that forbids concurrent runs answers 409 with the running task's id, which a caller
/// can wait on instead of failing.
#[tokio::test]
async fn a_conflict_carries_the_running_task_id() {
    let mut server = Server::new_async().await;
    server
        .mock("POST", format!("/trigger/v1/{UNIT}/run").as_str())
        .with_status(409)
        .with_body(r#"{"code":409,"status":"Conflict","description":"Other User is running the execution unit.","taskId":"task-in-progress-1"}"#)
        .create_async()
        .await;
    let err = Op::Run.call_expecting_error(&client(&server)).await;
    let Error::ErrorResponse(answer) = err else {
        panic!("expected ErrorResponse, got {err:?}");
    };
    assert_eq!(answer.status().as_u16(), 409);
    let body: types::ErrorBody =
        serde_json::from_slice(&collect(answer.into_inner()).await).expect("an ErrorBody");
    assert_eq!(body.task_id.as_deref(), Some("task-in-progress-1"));
    assert_eq!(
        body.description.as_deref(),
        Some("Other User is running the execution unit.")
    );
}

/// krewData's own samples branch on the JSON `code`, not the HTTP status. An HTTP 200 whose
/// body is an error must not decode as a success of any operation: the facade relies on
/// `InvalidResponsePayload` handing it the raw body to read as an ErrorBody.
#[tokio::test]
async fn an_error_body_with_http_200_is_not_a_success() {
    const BODY: &str =
        r#"{"code":400,"status":"Bad Request","description":"Specified token is invalid."}"#;
    for op in Op::ALL {
        let mut server = Server::new_async().await;
        server
            .mock("POST", format!("/trigger/v1/{UNIT}/{}", op.api()).as_str())
            .with_status(200)
            .with_header("content-type", "application/json")
            .with_body(BODY)
            .create_async()
            .await;
        let err = op.call_expecting_error(&client(&server)).await;
        let Error::InvalidResponsePayload(raw, _) = err else {
            panic!("{op:?}: expected InvalidResponsePayload, got {err:?}");
        };
        assert_eq!(&raw[..], BODY.as_bytes(), "{op:?}");
    }
}

/// A status no table documents (here a gateway's HTML 500) is `UnexpectedResponse`, which
/// keeps the response for the facade to classify as transient.
#[tokio::test]
async fn an_undocumented_status_is_an_unexpected_response() {
    for op in Op::ALL {
        let mut server = Server::new_async().await;
        server
            .mock("POST", format!("/trigger/v1/{UNIT}/{}", op.api()).as_str())
            .with_status(500)
            .with_header("content-type", "text/html")
            .with_body("<html><body>Internal Server Error</body></html>")
            .create_async()
            .await;
        let err = op.call_expecting_error(&client(&server)).await;
        assert!(
            matches!(err, Error::UnexpectedResponse(ref r) if r.status().as_u16() == 500),
            "{op:?}: {err:?}"
        );
    }
}
