//! Wire tests: every operation of the generated Adobe clients sends exactly the request the
//! vendor docs describe and decodes the answer. Query Service calls (`adobe-query-api`) go to
//! the `/data/foundation/query` base with `Authorization: Bearer <token>`, `x-api-key`,
//! `x-gw-ims-org-id` and `x-sandbox-name` on every call, `Content-Type: application/json` on
//! bodies, exact query strings and body bytes; the IMS token request (`adobe-ims-api`) is a
//! form body. Error answers arrive with their status and raw body, whatever their shape.

use std::fs;

use adobe_query_api::{Client, types};
use jobrun_tests::workspace_root;
use jobrun_transport::{SecretSlot, SecretString, Transport};
use mockito::{Matcher, Server, ServerGuard};
use progenitor_client::Error;

/// The base path of seed 002's curl samples (`https://platform.adobe.io/data/foundation/query`).
const BASE: &str = "/data/foundation/query";
const TOKEN: &str = "eyJhbGciOiJSUzI1NiIsIng1dSI6Imltc19uYTEta2V5LWF0LTEuY2VyIn0.wire-test";
const API_KEY: &str = "5f0c4c2e4d7b4a1f9e8d7c6b5a493827";
const ORG: &str = "0123456789ABCDEF01234567@AdobeOrg";
const SANDBOX: &str = "prod";
/// Seed 002's schedule id.
const SCHEDULE: &str = "e95186d65a28abf00a495d82_28e74200-e3de-11e9-8f5d-7f27416c5f0d_sample_scheduled_query7omob151bm_birvwm";
/// EL-runs' run id: Base64 of `scheduled__2020-01-08T20:45:00+00:00`.
const RUN: &str = "c2NoZWR1bGVkX18yMDIwLTAxLTA4VDIwOjQ1OjAwKzAwOjAw";
const JSON: &str = "application/json";

fn transport(token: &SecretSlot) -> Transport {
    Transport::new()
        .with_secret_slot("authorization", token.clone())
        .and_then(|t| t.with_secret_header("x-api-key", SecretString::from(API_KEY)))
        .and_then(|t| t.with_secret_header("x-gw-ims-org-id", SecretString::from(ORG)))
        .and_then(|t| t.with_secret_header("x-sandbox-name", SecretString::from(SANDBOX)))
        .expect("valid headers")
}

fn bearer() -> SecretSlot {
    let slot = SecretSlot::new();
    slot.set(&SecretString::from(format!("Bearer {TOKEN}")))
        .expect("a valid header value");
    slot
}

fn client(server: &ServerGuard) -> Client {
    Client::new(&format!("{}{BASE}", server.url()), transport(&bearer()))
}

fn schedule_id() -> types::ScheduleId {
    SCHEDULE.parse().expect("a non-empty schedule id")
}

fn run_id(id: &str) -> types::RunId {
    id.parse().expect("a non-empty run id")
}

fn sample_text(name: &str) -> String {
    fs::read_to_string(workspace_root().join("specs/examples/adobe").join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn sample<T: serde::de::DeserializeOwned>(name: &str) -> T {
    serde_json::from_str(&sample_text(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A Query Service call: `method` to `BASE + path`, with the four headers every call carries
/// (seed 002's curl samples), no progenitor `api-version` (not an Adobe header), no query
/// unless the test sets one, and no body or content type unless `body` is given, in which case
/// the body is exactly those bytes, sent as `application/json`.
fn expect(server: &mut ServerGuard, method: &str, path: &str, body: Option<&str>) -> mockito::Mock {
    let mock = server
        .mock(method, format!("{BASE}{path}").as_str())
        .match_query(Matcher::Missing)
        .match_header("authorization", format!("Bearer {TOKEN}").as_str())
        .match_header("x-api-key", API_KEY)
        .match_header("x-gw-ims-org-id", ORG)
        .match_header("x-sandbox-name", SANDBOX)
        .match_header("accept", JSON)
        .match_header("api-version", Matcher::Missing);
    match body {
        Some(body) => mock
            .match_header("content-type", JSON)
            .match_body(Matcher::Exact(body.into())),
        None => mock
            .match_header("content-type", Matcher::Missing)
            .match_body(Matcher::Exact(String::new())),
    }
}

fn schedule_path() -> String {
    format!("/schedules/{SCHEDULE}")
}

fn runs_path() -> String {
    format!("/schedules/{SCHEDULE}/runs")
}

fn run_path(id: &str) -> String {
    format!("/schedules/{SCHEDULE}/runs/{id}")
}

async fn collect(stream: progenitor_client::ByteStream) -> Vec<u8> {
    let chunks: Vec<bytes::Bytes> = futures::TryStreamExt::try_collect(stream.into_inner())
        .await
        .expect("body");
    chunks.concat()
}

// ---------------------------------------------------------------------------------------------
// Schedules

/// Seed 002: `curl -X GET https://platform.adobe.io/data/foundation/query/schedules?limit=1`.
#[tokio::test]
async fn list_schedules_sends_the_seed_request_and_reads_the_seed_answer() {
    let mut server = Server::new_async().await;
    let mock = expect(&mut server, "GET", "/schedules", None)
        .match_query(Matcher::Exact("limit=1".into()))
        .with_status(200)
        .with_header("content-type", JSON)
        .with_body(sample_text("listSchedules.response.seed002.json"))
        .expect(1)
        .create_async()
        .await;
    let list = client(&server)
        .list_schedules(Some(1.try_into().expect("non-zero")), None, None, None)
        .await
        .expect("200")
        .into_inner();
    mock.assert_async().await;
    let [schedule] = list.schedules.as_slice() else {
        panic!("one schedule: {list:?}");
    };
    assert_eq!(schedule.id.as_deref(), Some(SCHEDULE));
    assert_eq!(schedule.state, Some(types::ScheduleState::Enabled));
    assert_eq!(
        schedule.created.as_ref().map(|t| t.as_str()),
        Some("1578523458919")
    );
    assert_eq!(
        list.links,
        Some(types::PageLinks {
            next: None,
            prev: None
        })
    );
    assert_eq!(list.page.and_then(|p| p.count), Some(1));
}

/// The official spec: "a literal `+` must be sent as `%2B`". progenitor's query encoder
/// (serde_urlencoded) sends `orderby=%2Bcreated`, and percent-encodes `>`, `:`, `,` and `=` in
/// the filter; parameters go out in the order limit, orderby, property, start.
#[tokio::test]
async fn list_schedules_sends_orderby_plus_as_2b_and_an_encoded_filter() {
    let mut server = Server::new_async().await;
    let mock = expect(&mut server, "GET", "/schedules", None)
        .match_query(Matcher::Exact(
            "limit=10&orderby=%2Bcreated&property=created%3E2019-04-20T13%3A37%3A00Z%2CuserId%3D%3D6ebd9c2d-494d-425a-aa91-24033f3abeec&start=2022-11-01T00%3A11%3A08.389Z".into(),
        ))
        .with_status(200)
        .with_header("content-type", JSON)
        .with_body(sample_text("listSchedules.response.spec-next-string.json"))
        .expect(1)
        .create_async()
        .await;
    let list = client(&server)
        .list_schedules(
            Some(10.try_into().expect("non-zero")),
            Some("+created"),
            Some("created>2019-04-20T13:37:00Z,userId==6ebd9c2d-494d-425a-aa91-24033f3abeec"),
            Some("2022-11-01T00:11:08.389Z"),
        )
        .await
        .expect("200")
        .into_inner();
    mock.assert_async().await;
    assert!(matches!(
        list.links.and_then(|l| l.next),
        Some(types::NextLink::String(next)) if next.contains("linkType=next")
    ));
}

/// Without parameters nothing is added to the URL (not even `limit=` or a lone `?`).
#[tokio::test]
async fn list_schedules_without_parameters_sends_no_query() {
    let mut server = Server::new_async().await;
    let mock = expect(&mut server, "GET", "/schedules", None)
        .with_status(200)
        .with_header("content-type", JSON)
        .with_body(sample_text(
            "listSchedules.response.research-next-href.json",
        ))
        .expect(1)
        .create_async()
        .await;
    let list = client(&server)
        .list_schedules(None, None, None, None)
        .await
        .expect("200")
        .into_inner();
    mock.assert_async().await;
    assert!(matches!(
        list.links.and_then(|l| l.next),
        Some(types::NextLink::Href(_))
    ));
}

/// Seed 002's create body, built from the sample file; the bytes are the generated type's
/// field order (query before schedule, keys sorted), with no null for absent fields.
#[tokio::test]
async fn create_schedule_sends_the_seed_body_and_reads_the_202_schedule() {
    let mut server = Server::new_async().await;
    let mock = expect(
        &mut server,
        "POST",
        "/schedules",
        Some(
            r#"{"query":{"dbName":"prod:all","description":"A sample of a scheduled query.","name":"Sample Scheduled Query","sql":"SELECT * FROM accounts;"},"schedule":{"schedule":"30 * * * *","startDate":"2020-01-08T12:30:00.000Z"}}"#,
        ),
    )
    .with_status(202)
    .with_header("content-type", JSON)
    .with_body(sample_text("createSchedule.response.seed002.json"))
    .expect(1)
    .create_async()
    .await;
    let body: types::CreateScheduleRequest = sample("createSchedule.request.seed002.json");
    let created = client(&server)
        .create_schedule(&body)
        .await
        .expect("202")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(created.state, Some(types::ScheduleState::Registering));
    assert_eq!(created.id.as_deref(), Some(SCHEDULE));
    assert!(created.created.is_none());
}

#[tokio::test]
async fn create_schedule_sends_end_date_and_max_active_runs() {
    let mut server = Server::new_async().await;
    let mock = expect(
        &mut server,
        "POST",
        "/schedules",
        Some(
            r#"{"query":{"dbName":"prod:all","description":"A sample of a scheduled query.","name":"Sample Scheduled Query","sql":"SELECT * FROM accounts;"},"schedule":{"endDate":"2020-12-31T00:00:00.000Z","maxActiveRuns":1,"schedule":"@daily","startDate":"2020-01-08T00:00:00.000Z"}}"#,
        ),
    )
    .with_status(202)
    .with_header("content-type", JSON)
    .with_body(sample_text("createSchedule.response.seed002.json"))
    .expect(1)
    .create_async()
    .await;
    let body: types::CreateScheduleRequest =
        sample("createSchedule.request.research-end-date.json");
    client(&server).create_schedule(&body).await.expect("202");
    mock.assert_async().await;
}

/// Seed 002: `curl -X GET …/schedules/{SCHEDULE_ID}`.
#[tokio::test]
async fn retrieve_schedule_sends_the_id_in_the_path() {
    let mut server = Server::new_async().await;
    let mock = expect(&mut server, "GET", &schedule_path(), None)
        .with_status(200)
        .with_header("content-type", JSON)
        .with_body(sample_text("retrieveSchedule.response.seed002.json"))
        .expect(1)
        .create_async()
        .await;
    let schedule = client(&server)
        .retrieve_schedule(&schedule_id())
        .await
        .expect("200")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(schedule.version, Some(2));
    assert_eq!(
        schedule.schedule.and_then(|s| s.schedule).as_deref(),
        Some("30 * * * *")
    );
}

/// Seed 002's three PATCH bodies, byte for byte, with the `{"body": [...]}` wrapper, and the
/// 202 answer decoded (the official spec declares none).
#[tokio::test]
async fn update_schedule_sends_the_seed_patch_bodies() {
    let cases = [
        (
            "seed002-disable",
            r#"{"body":[{"op":"replace","path":"/state","value":"disable"}]}"#,
        ),
        (
            "seed002-enable",
            r#"{"body":[{"op":"replace","path":"/state","value":"enable"}]}"#,
        ),
        (
            "seed002-cron",
            r#"{"body":[{"op":"replace","path":"/schedule/schedule","value":"45 * * * *"}]}"#,
        ),
    ];
    for (label, bytes) in cases {
        let mut server = Server::new_async().await;
        let mock = expect(&mut server, "PATCH", &schedule_path(), Some(bytes))
            .with_status(202)
            .with_header("content-type", JSON)
            .with_body(sample_text("updateSchedule.response.seed002.json"))
            .expect(1)
            .create_async()
            .await;
        let body: types::UpdateScheduleRequest =
            sample(&format!("updateSchedule.request.{label}.json"));
        let accepted = client(&server)
            .update_schedule(&schedule_id(), &body)
            .await
            .unwrap_or_else(|e| panic!("{label}: {e:?}"))
            .into_inner();
        mock.assert_async().await;
        assert_eq!(
            accepted.message.as_deref(),
            Some("Request to patch accepted"),
            "{label}"
        );
        assert_eq!(accepted.status_code, Some(types::StatusCode::Int32(202)));
    }
}

/// The same bodies built in code rather than read from the samples.
#[tokio::test]
async fn update_schedule_built_in_code_sends_the_same_bytes() {
    let mut server = Server::new_async().await;
    let mock = expect(
        &mut server,
        "PATCH",
        &schedule_path(),
        Some(r#"{"body":[{"op":"replace","path":"/schedule/schedule","value":"45 * * * *"}]}"#),
    )
    .with_status(202)
    .with_header("content-type", JSON)
    .with_body(sample_text("updateSchedule.response.seed002.json"))
    .expect(1)
    .create_async()
    .await;
    let body = types::UpdateScheduleRequest {
        body: vec![types::SchedulePatchOperation {
            op: types::PatchOp::Replace,
            path: types::SchedulePatchPath::ScheduleSchedule,
            value: "45 * * * *".into(),
        }],
    };
    client(&server)
        .update_schedule(&schedule_id(), &body)
        .await
        .expect("202");
    mock.assert_async().await;
}

/// Seed 002: `curl -X DELETE …/schedules/{SCHEDULE_ID}`, no body; 202 with its message.
#[tokio::test]
async fn delete_schedule_sends_no_body_and_reads_the_202_message() {
    let mut server = Server::new_async().await;
    let mock = expect(&mut server, "DELETE", &schedule_path(), None)
        .with_status(202)
        .with_header("content-type", JSON)
        .with_body(sample_text("deleteSchedule.response.seed002.json"))
        .expect(1)
        .create_async()
        .await;
    let accepted = client(&server)
        .delete_schedule(&schedule_id())
        .await
        .expect("202")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(
        accepted.message.as_deref(),
        Some("Schedule deleted successfully")
    );
}

// ---------------------------------------------------------------------------------------------
// Runs

/// EL-runs: `curl -X GET …/schedules/{SCHEDULE_ID}/runs?limit=4`.
#[tokio::test]
async fn list_schedule_runs_sends_the_docs_request_and_reads_string_booleans() {
    let mut server = Server::new_async().await;
    let mock = expect(&mut server, "GET", &runs_path(), None)
        .match_query(Matcher::Exact("limit=4".into()))
        .with_status(200)
        .with_header("content-type", JSON)
        .with_body(sample_text("listScheduleRuns.response.el-runs.json"))
        .expect(1)
        .create_async()
        .await;
    let list = client(&server)
        .list_schedule_runs(
            &schedule_id(),
            Some(4.try_into().expect("non-zero")),
            None,
            None,
            None,
        )
        .await
        .expect("200")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(list.runs_schedules.len(), 4);
    assert_eq!(
        list.runs_schedules[3].state.as_ref().map(|s| s.kind()),
        Some(types::RunStateKind::InProgress)
    );
    assert_eq!(
        list.runs_schedules[0].external_trigger,
        Some(types::ExternalTrigger::String("false".into()))
    );
}

/// How a trigger's run is found (the trigger answers no id): newest first, triggered runs
/// only. `-` goes out as is, `==` and `,` percent-encoded.
#[tokio::test]
async fn list_schedule_runs_sends_the_find_my_run_filter() {
    let mut server = Server::new_async().await;
    let mock = expect(&mut server, "GET", &runs_path(), None)
        .match_query(Matcher::Exact(
            "limit=1&orderby=-created&property=externalTrigger%3D%3Dtrue%2Cstate%3D%3DIN_PROGRESS"
                .into(),
        ))
        .with_status(200)
        .with_header("content-type", JSON)
        .with_body(sample_text(
            "listScheduleRuns.response.spec-next-string.json",
        ))
        .expect(1)
        .create_async()
        .await;
    let list = client(&server)
        .list_schedule_runs(
            &schedule_id(),
            Some(1.try_into().expect("non-zero")),
            Some("-created"),
            Some("externalTrigger==true,state==IN_PROGRESS"),
            None,
        )
        .await
        .expect("200")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(
        list.runs_schedules[0].external_trigger,
        Some(types::ExternalTrigger::Boolean(false))
    );
}

/// EL-runs: `curl -X POST …/runs` with no body and no content type; 202 with the docs' text
/// and no run id.
#[tokio::test]
async fn trigger_schedule_run_sends_no_body_and_reads_the_202_message() {
    let mut server = Server::new_async().await;
    // Like the docs' `curl -X POST` without `-d`: no body, so no Content-Length either.
    let mock = expect(&mut server, "POST", &runs_path(), None)
        .match_header("content-length", Matcher::Missing)
        .with_status(202)
        .with_header("content-type", JSON)
        .with_body(sample_text("triggerScheduleRun.response.el-runs.json"))
        .expect(1)
        .create_async()
        .await;
    let accepted = client(&server)
        .trigger_schedule_run(&schedule_id())
        .await
        .expect("202")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(
        accepted.message.as_deref(),
        Some("Request to trigger run of a scheduled query accepted.")
    );
    assert_eq!(accepted.status_code, Some(types::StatusCode::Int32(202)));
}

/// EL-runs' run details, with every doc-vs-spec disagreement (research §6 #1–#4).
#[tokio::test]
async fn retrieve_scheduled_query_run_reads_the_docs_run_details() {
    let mut server = Server::new_async().await;
    let mock = expect(&mut server, "GET", &run_path(RUN), None)
        .with_status(200)
        .with_header("content-type", JSON)
        .with_body(sample_text(
            "retrieveScheduledQueryRun.response.el-runs.json",
        ))
        .expect(1)
        .create_async()
        .await;
    let run = client(&server)
        .retrieve_scheduled_query_run(&schedule_id(), &run_id(RUN))
        .await
        .expect("200")
        .into_inner();
    mock.assert_async().await;
    let state = run.state.expect("state");
    assert_eq!(state.as_str(), "success");
    assert_eq!(state.kind(), types::RunStateKind::Success);
    assert!(state.is_terminal());
    assert_eq!(run.schedule_id.as_deref(), Some(SCHEDULE));
    assert_eq!(
        run.created.as_ref().map(|t| t.as_str()),
        Some("2020-01-08T20:45:00")
    );
    let tasks = run.task_status_list.expect("tasks");
    assert_eq!(tasks[0].duration, Some(types::TaskDuration::Int64(303)));
}

/// A run id whose Base64 ends in `==` (a `manual__…` id with microseconds) goes into the path
/// unescaped: progenitor's path encoder leaves `=` alone, as Adobe's own `_links` hrefs do.
#[tokio::test]
async fn a_run_id_with_base64_padding_goes_into_the_path_as_is() {
    const PADDED: &str = "bWFudWFsX18yMDIwLTAxLTA4VDIxOjAyOjQ3LjU1MTIzMCswMDowMA==";
    let mut server = Server::new_async().await;
    let mock = expect(&mut server, "GET", &run_path(PADDED), None)
        .with_status(200)
        .with_header("content-type", JSON)
        .with_body(sample_text(
            "retrieveScheduledQueryRun.response.research-cancelled.json",
        ))
        .expect(1)
        .create_async()
        .await;
    let run = client(&server)
        .retrieve_scheduled_query_run(&schedule_id(), &run_id(PADDED))
        .await
        .expect("200")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(run.id.as_deref(), Some(PADDED));
    assert_eq!(
        run.external_trigger,
        Some(types::ExternalTrigger::String("true".into()))
    );
}

/// EL-runs: `curl -X PATCH …/runs/{RUN_ID} -d '{"op": "cancel"}'`.
#[tokio::test]
async fn cancel_scheduled_query_run_sends_op_cancel() {
    let mut server = Server::new_async().await;
    let mock = expect(
        &mut server,
        "PATCH",
        &run_path(RUN),
        Some(r#"{"op":"cancel"}"#),
    )
    .with_status(202)
    .with_header("content-type", JSON)
    .with_body(sample_text("cancelScheduledQueryRun.response.el-runs.json"))
    .expect(1)
    .create_async()
    .await;
    let body: types::CancelRunRequest = sample("cancelScheduledQueryRun.request.el-runs.json");
    assert_eq!(
        body,
        types::CancelRunRequest {
            op: types::CancelOp::Cancel
        }
    );
    let accepted = client(&server)
        .cancel_scheduled_query_run(&schedule_id(), &run_id(RUN), &body)
        .await
        .expect("202")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(
        accepted.message.as_deref(),
        Some("Request to cancel run of a scheduled query accepted")
    );
}

/// A token renewed in the shared slot goes out on the next call, without a new client.
#[tokio::test]
async fn a_renewed_token_goes_out_on_the_next_call() {
    let mut server = Server::new_async().await;
    let slot = bearer();
    let c = Client::new(&format!("{}{BASE}", server.url()), transport(&slot));
    let first = expect(&mut server, "POST", &runs_path(), None)
        .with_status(202)
        .with_body(sample_text("triggerScheduleRun.response.el-runs.json"))
        .expect(1)
        .create_async()
        .await;
    c.trigger_schedule_run(&schedule_id()).await.expect("202");
    first.assert_async().await;
    first.remove_async().await;

    slot.set(&SecretString::from("Bearer renewed-token"))
        .expect("a valid header value");
    let second = server
        .mock("GET", format!("{BASE}{}", schedule_path()).as_str())
        .match_header("authorization", "Bearer renewed-token")
        .match_header("x-api-key", API_KEY)
        .match_header("x-gw-ims-org-id", ORG)
        .match_header("x-sandbox-name", SANDBOX)
        .with_status(200)
        .with_body(sample_text("retrieveSchedule.response.seed002.json"))
        .expect(1)
        .create_async()
        .await;
    c.retrieve_schedule(&schedule_id()).await.expect("200");
    second.assert_async().await;
}

// ---------------------------------------------------------------------------------------------
// Errors of the Query Service client

/// The nine operations, each called with a valid request so that only the answer differs.
#[derive(Clone, Copy, Debug)]
enum Op {
    ListSchedules,
    CreateSchedule,
    RetrieveSchedule,
    DeleteSchedule,
    UpdateSchedule,
    ListScheduleRuns,
    TriggerScheduleRun,
    RetrieveScheduledQueryRun,
    CancelScheduledQueryRun,
}

impl Op {
    const ALL: [Op; 9] = [
        Op::ListSchedules,
        Op::CreateSchedule,
        Op::RetrieveSchedule,
        Op::DeleteSchedule,
        Op::UpdateSchedule,
        Op::ListScheduleRuns,
        Op::TriggerScheduleRun,
        Op::RetrieveScheduledQueryRun,
        Op::CancelScheduledQueryRun,
    ];

    fn method(self) -> &'static str {
        match self {
            Op::ListSchedules
            | Op::RetrieveSchedule
            | Op::ListScheduleRuns
            | Op::RetrieveScheduledQueryRun => "GET",
            Op::CreateSchedule | Op::TriggerScheduleRun => "POST",
            Op::UpdateSchedule | Op::CancelScheduledQueryRun => "PATCH",
            Op::DeleteSchedule => "DELETE",
        }
    }

    fn path(self) -> String {
        let path = match self {
            Op::ListSchedules | Op::CreateSchedule => "/schedules".to_owned(),
            Op::RetrieveSchedule | Op::DeleteSchedule | Op::UpdateSchedule => schedule_path(),
            Op::ListScheduleRuns | Op::TriggerScheduleRun => runs_path(),
            Op::RetrieveScheduledQueryRun | Op::CancelScheduledQueryRun => run_path(RUN),
        };
        format!("{BASE}{path}")
    }

    /// Calls the operation and returns only its error: a success here is a test failure.
    async fn call_expecting_error(self, c: &Client) -> Error<progenitor_client::ByteStream> {
        let id = schedule_id();
        let run = run_id(RUN);
        let result = match self {
            Op::ListSchedules => c.list_schedules(None, None, None, None).await.map(|_| ()),
            Op::CreateSchedule => {
                let body: types::CreateScheduleRequest =
                    sample("createSchedule.request.seed002.json");
                c.create_schedule(&body).await.map(|_| ())
            }
            Op::RetrieveSchedule => c.retrieve_schedule(&id).await.map(|_| ()),
            Op::DeleteSchedule => c.delete_schedule(&id).await.map(|_| ()),
            Op::UpdateSchedule => {
                let body: types::UpdateScheduleRequest =
                    sample("updateSchedule.request.seed002-disable.json");
                c.update_schedule(&id, &body).await.map(|_| ())
            }
            Op::ListScheduleRuns => c
                .list_schedule_runs(&id, None, None, None, None)
                .await
                .map(|_| ()),
            Op::TriggerScheduleRun => c.trigger_schedule_run(&id).await.map(|_| ()),
            Op::RetrieveScheduledQueryRun => {
                c.retrieve_scheduled_query_run(&id, &run).await.map(|_| ())
            }
            Op::CancelScheduledQueryRun => {
                let body = types::CancelRunRequest {
                    op: types::CancelOp::Cancel,
                };
                c.cancel_scheduled_query_run(&id, &run, &body)
                    .await
                    .map(|_| ())
            }
        };
        result.expect_err(&format!("{self:?}: not a success"))
    }
}

/// Serves `status` with `body` (and `headers`) to `op` and returns the client's error.
async fn error_of(
    op: Op,
    status: usize,
    headers: &[(&str, &str)],
    body: &str,
) -> Error<progenitor_client::ByteStream> {
    let mut server = Server::new_async().await;
    let mut mock = server
        .mock(op.method(), op.path().as_str())
        .with_status(status);
    for (name, value) in headers {
        mock = mock.with_header(*name, value);
    }
    mock.with_body(body).create_async().await;
    op.call_expecting_error(&client(&server)).await
}

/// Every gateway and platform error sample, served to an operation it can come from, arrives
/// as `ErrorResponse` with its status and the body byte for byte, and decodes as `ErrorBody`.
#[tokio::test]
async fn gateway_and_problem_errors_keep_status_and_raw_body() {
    let cases = [
        (
            Op::ListSchedules,
            403,
            "error.403.gateway-403010-token-missing.json",
        ),
        (
            Op::RetrieveSchedule,
            401,
            "error.401.gateway-401013-token-invalid.json",
        ),
        (
            Op::CreateSchedule,
            403,
            "error.403.gateway-403000-api-key-missing.json",
        ),
        (
            Op::UpdateSchedule,
            403,
            "error.403.gateway-403003-api-key-invalid.json",
        ),
        (
            Op::DeleteSchedule,
            400,
            "error.400.gateway-400003-org-missing.json",
        ),
        (
            Op::ListScheduleRuns,
            403,
            "error.403.gateway-403025-profile-invalid.json",
        ),
        (
            Op::RetrieveScheduledQueryRun,
            403,
            "error.403.gateway-403027-user-region-missing.json",
        ),
        (
            Op::TriggerScheduleRun,
            429,
            "error.429.gateway-429050-too-many-requests.json",
        ),
        (
            Op::CancelScheduledQueryRun,
            429,
            "error.429.gateway-429001-service-usage-limit.json",
        ),
        (
            Op::CreateSchedule,
            400,
            "error.400.problem-content-type.json",
        ),
        (
            Op::CancelScheduledQueryRun,
            400,
            "error.400.problem-content-type.json",
        ),
    ];
    for (op, status, file) in cases {
        let body = sample_text(file);
        let err = error_of(op, status, &[("content-type", JSON)], &body).await;
        let Error::ErrorResponse(answer) = err else {
            panic!("{op:?} {file}: expected ErrorResponse, got {err:?}");
        };
        assert_eq!(usize::from(answer.status().as_u16()), status, "{op:?}");
        let raw = collect(answer.into_inner()).await;
        assert_eq!(raw, body.as_bytes(), "{op:?} {file}");
        let decoded: types::ErrorBody = serde_json::from_slice(&raw).expect("an ErrorBody");
        assert!(
            decoded.error_code.is_some() || decoded.detail.is_some(),
            "{file}"
        );
    }
}

/// Every operation hands every declared error status over with its raw body; here the Query
/// Service's own texts, whose body shape is not published (research §8.3).
#[tokio::test]
async fn every_operation_keeps_its_error_statuses_and_raw_bodies() {
    const TEXT: &str = "Schedule is disabled. Immediate run cannot be triggered";
    for op in Op::ALL {
        for status in [400, 401, 403, 404, 429, 500] {
            let err = error_of(op, status, &[("content-type", "text/plain")], TEXT).await;
            // createSchedule declares no 404 (POST /schedules names no resource).
            if matches!(op, Op::CreateSchedule) && status == 404 {
                assert!(
                    matches!(err, Error::UnexpectedResponse(ref r) if r.status().as_u16() == 404),
                    "{err:?}"
                );
                continue;
            }
            let Error::ErrorResponse(answer) = err else {
                panic!("{op:?} {status}: expected ErrorResponse, got {err:?}");
            };
            assert_eq!(usize::from(answer.status().as_u16()), status, "{op:?}");
            assert_eq!(
                collect(answer.into_inner()).await,
                TEXT.as_bytes(),
                "{op:?}"
            );
        }
    }
}

/// A 429 after the gateway migration may have an empty body (research §8.2): the status, an
/// empty body and `Retry-After` reach the caller, for every operation.
#[tokio::test]
async fn an_empty_429_keeps_retry_after() {
    for op in Op::ALL {
        let err = error_of(op, 429, &[("retry-after", "30")], "").await;
        let Error::ErrorResponse(answer) = err else {
            panic!("{op:?}: expected ErrorResponse, got {err:?}");
        };
        assert_eq!(answer.status().as_u16(), 429, "{op:?}");
        assert_eq!(
            answer
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok()),
            Some("30"),
            "{op:?}"
        );
        assert!(collect(answer.into_inner()).await.is_empty(), "{op:?}");
    }
}

/// A status no operation declares (a proxy's HTML 502) is `UnexpectedResponse`, which keeps
/// the response for the facade to classify as transient.
#[tokio::test]
async fn an_html_502_is_an_unexpected_response_with_its_body() {
    const HTML: &str = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    for op in Op::ALL {
        let err = error_of(op, 502, &[("content-type", "text/html")], HTML).await;
        let Error::UnexpectedResponse(response) = err else {
            panic!("{op:?}: expected UnexpectedResponse, got {err:?}");
        };
        assert_eq!(response.status().as_u16(), 502, "{op:?}");
        assert_eq!(response.text().await.expect("body"), HTML, "{op:?}");
    }
}

/// A 2xx whose body is not the documented JSON is `InvalidResponsePayload` with the raw bytes,
/// never a silent success; a 202 without a body cannot decode as `Accepted` either.
#[tokio::test]
async fn a_202_without_the_documented_body_is_an_invalid_payload() {
    for op in [
        Op::UpdateSchedule,
        Op::DeleteSchedule,
        Op::TriggerScheduleRun,
        Op::CancelScheduledQueryRun,
    ] {
        let err = error_of(op, 202, &[], "").await;
        assert!(
            matches!(err, Error::InvalidResponsePayload(ref raw, _) if raw.is_empty()),
            "{op:?}: {err:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// IMS

const CLIENT_ID: &str = API_KEY;
/// A secret with the characters a form must escape.
const CLIENT_SECRET: &str = "p8e-AbC+def/ghi=jk";
const SCOPE: &str = "openid,AdobeID,read_organizations,additional_info.projectedProductContext";

fn ims_client(server: &ServerGuard) -> adobe_ims_api::Client {
    adobe_ims_api::Client::new(&server.url(), Transport::new())
}

fn token_request() -> adobe_ims_api::types::TokenRequest {
    adobe_ims_api::types::TokenRequest {
        grant_type: adobe_ims_api::types::GrantType::ClientCredentials,
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
        scope: SCOPE.into(),
    }
}

/// The form body, in the generated type's field order (which is DC-ims' own curl order:
/// client_id, client_secret, grant_type, scope), `+`, `/`, `=` and `,` percent-encoded.
const FORM: &str = "client_id=5f0c4c2e4d7b4a1f9e8d7c6b5a493827&client_secret=p8e-AbC%2Bdef%2Fghi%3Djk&grant_type=client_credentials&scope=openid%2CAdobeID%2Cread_organizations%2Cadditional_info.projectedProductContext";

/// DC-ims: `POST /ims/token/v3`, form body, no query (the secret stays out of the URL) and
/// none of the Platform headers.
#[tokio::test]
async fn get_access_token_sends_the_credentials_as_a_form() {
    let mut server = Server::new_async().await;
    let mock = server
        .mock("POST", "/ims/token/v3")
        .match_query(Matcher::Missing)
        .match_header("content-type", "application/x-www-form-urlencoded")
        .match_header("accept", JSON)
        .match_header("api-version", Matcher::Missing)
        .match_header("authorization", Matcher::Missing)
        .match_header("x-api-key", Matcher::Missing)
        .match_body(Matcher::Exact(FORM.into()))
        .with_status(200)
        .with_header("content-type", "application/json;charset=UTF-8")
        .with_body(sample_text("getAccessToken.response.dc-ims.json"))
        .expect(1)
        .create_async()
        .await;
    let answer = ims_client(&server)
        .get_access_token(&token_request())
        .await
        .expect("200")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(answer.access_token, "{ACCESS_TOKEN}");
    assert_eq!(answer.expires_in, 86_399);
    assert_eq!(answer.token_type.as_deref(), Some("bearer"));
}

/// OAuth error bodies reach the caller with their status and raw bytes; a 429 may be empty.
#[tokio::test]
async fn token_errors_keep_status_and_raw_body() {
    let cases = [
        (
            400,
            sample_text("error.400.oauth-invalid-client-secret.json"),
        ),
        (400, sample_text("error.400.oauth-invalid-client-id.json")),
        (400, sample_text("error.400.oauth-invalid-scope.json")),
        (
            401,
            r#"{"error":"invalid_client","error_description":"invalid client_secret parameter"}"#
                .to_owned(),
        ),
        (429, String::new()),
    ];
    for (status, body) in cases {
        let mut server = Server::new_async().await;
        server
            .mock("POST", "/ims/token/v3")
            .with_status(status)
            .with_header("content-type", JSON)
            .with_header("retry-after", "5")
            .with_body(&body)
            .create_async()
            .await;
        let err = ims_client(&server)
            .get_access_token(&token_request())
            .await
            .map(|_| ())
            .expect_err("not a success");
        let Error::ErrorResponse(answer) = err else {
            panic!("{status}: expected ErrorResponse, got {err:?}");
        };
        assert_eq!(usize::from(answer.status().as_u16()), status);
        assert_eq!(
            answer
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok()),
            Some("5")
        );
        let raw = collect(answer.into_inner()).await;
        assert_eq!(raw, body.as_bytes(), "{status}");
        if !raw.is_empty() {
            let decoded: adobe_ims_api::types::OAuthError =
                serde_json::from_slice(&raw).expect("an OAuthError");
            assert!(decoded.error.is_some(), "{status}");
        }
    }
}

#[tokio::test]
async fn a_token_html_502_is_an_unexpected_response() {
    let mut server = Server::new_async().await;
    server
        .mock("POST", "/ims/token/v3")
        .with_status(502)
        .with_header("content-type", "text/html")
        .with_body("<html>bad gateway</html>")
        .create_async()
        .await;
    let err = ims_client(&server)
        .get_access_token(&token_request())
        .await
        .map(|_| ())
        .expect_err("not a success");
    let Error::UnexpectedResponse(response) = err else {
        panic!("expected UnexpectedResponse, got {err:?}");
    };
    assert_eq!(response.status().as_u16(), 502);
    assert_eq!(
        response.text().await.expect("body"),
        "<html>bad gateway</html>"
    );
}
