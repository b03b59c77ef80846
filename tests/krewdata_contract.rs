//! Contract tests: every sample in specs/examples/krewdata decodes into the generated types of
//! `krewdata-api` and re-encodes without losing a field, and the error row files are exactly
//! the rows of seed 003's three error tables.

use std::collections::BTreeSet;

use krewdata_api::types;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Value, json};

/// How many files specs/examples/krewdata holds: 9 request and answer samples, 3 error
/// examples, 13 + 15 + 8 error rows. Asserted exactly so that a deleted (or stray) sample fails.
const SAMPLE_COUNT: usize = 9 + 3 + 13 + 15 + 8;

/// The operationIds of specs/krewdata.yaml; an error label starts with the one whose table it
/// comes from.
const OPERATIONS: [&str; 3] = ["requestToken", "runUnit", "getTaskStatus"];

/// The serial number of seed 003's token request sample and sample code.
const SEED_SERIAL: &str = "abcdef-jklmno-pqrstu-xyz123-456789";

/// Seed 003, アクセストークン要求 エラーレスポンス: (code, status, description), copied from the seed.
const TOKEN_ROWS: [(i32, &str, &str); 13] = [
    (
        400,
        "Bad Request",
        "krewdataAppUrl data type is wrong, should be string type.",
    ),
    (
        400,
        "Bad Request",
        r#"krewdataAppUrl format is wrong, should be "https://yourdomain/k/appId(/)"."#,
    ),
    (
        400,
        "Bad Request",
        r#"krewdataAppUrl is empty or krewdataAppUrl cannot be found. Pay attention to the spelling of "krewdataAppUrl"."#,
    ),
    (400, "Bad Request", "Request path is invalid."),
    (
        400,
        "Bad Request",
        "Request type (Webhook/API/RunBykrewSheet) is wrong.",
    ),
    (
        400,
        "Bad Request",
        "serialNumber data type is wrong, should be string type.",
    ),
    (
        400,
        "Bad Request",
        r#"serialNumber is empty or serialNumber cannot be found. Pay attention to the spelling of "serialNumber"."#,
    ),
    (
        400,
        "Bad Request",
        "serialNumber is not a valid Base64 encoding value.",
    ),
    (
        400,
        "Bad Request",
        r#"Specified krewdataAppUrl is invalid, should be "https://yourdomain.cybozu.com/k/{appId}"."#,
    ),
    (400, "Bad Request", "Specified unit is invalid."),
    (400, "Bad Request", "Token request body schema is wrong."),
    (401, "Unauthorized", "Illegal License."),
    (
        429,
        "Too Many Requests",
        "The rate limit for API calls has been exceeded. Specified unit has been disabled.",
    ),
];

/// Seed 003, 実行要求 エラーレスポンス. The 409 row's `","taskId":{taskId}` is a sibling field,
/// not part of the description.
const RUN_ROWS: [(i32, &str, &str); 15] = [
    (
        400,
        "Bad Request",
        "accessToken data type is wrong, should be string type.",
    ),
    (
        400,
        "Bad Request",
        r#"accessToken is empty or accessToken cannot be found. Pay attention to the spelling of "accessToken"."#,
    ),
    (
        400,
        "Bad Request",
        "app (appId) is not call app of task specified.",
    ),
    (
        400,
        "Bad Request",
        "appId data type is wrong, should be string type.",
    ),
    (
        400,
        "Bad Request",
        r#"appId is empty or appId cannot be found. Pay attention to the spelling of "appId"."#,
    ),
    (
        400,
        "Bad Request",
        "record data type is wrong, should be keep with Kintone record.",
    ),
    (400, "Bad Request", "Request path is invalid."),
    (
        400,
        "Bad Request",
        "Request type (Webhook/API/RunBykrewSheet) is wrong.",
    ),
    (400, "Bad Request", "Run request body schema is wrong."),
    (
        400,
        "Bad Request",
        "Specified token has been created for more than 10 minutes and cannot be used to run unit.",
    ),
    (400, "Bad Request", "Specified token has been used."),
    (400, "Bad Request", "Specified token is invalid."),
    (
        400,
        "Bad Request",
        "user data type is wrong, should be string type.",
    ),
    (
        400,
        "Bad Request",
        r#"user is empty or user cannot be found. Pay attention to the spelling of "user"."#,
    ),
    (409, "Conflict", "Other User is running the execution unit."),
];

/// Seed 003, 実行状況確認 エラーレスポンス.
const STATUS_ROWS: [(i32, &str, &str); 8] = [
    (
        400,
        "Bad Request",
        "accessToken data type is wrong, should be string type.",
    ),
    (
        400,
        "Bad Request",
        r#"accessToken is empty or accessToken cannot be found. Pay attention to the spelling of "accessToken"."#,
    ),
    (400, "Bad Request", "Request path is invalid."),
    (400, "Bad Request", "Specified accessToken is invalid."),
    (400, "Bad Request", "Specified taskId is invalid."),
    (400, "Bad Request", "Status request body schema is wrong."),
    (
        400,
        "Bad Request",
        "taskId data type is wrong, should be string type.",
    ),
    (
        400,
        "Bad Request",
        r#"taskId is empty or taskId cannot be found. Pay attention to the spelling of "taskId"."#,
    ),
];

fn rows_of(operation: &str) -> &'static [(i32, &'static str, &'static str)] {
    match operation {
        "requestToken" => &TOKEN_ROWS,
        "runUnit" => &RUN_ROWS,
        "getTaskStatus" => &STATUS_ROWS,
        other => panic!("{other} is not an operationId of specs/krewdata.yaml"),
    }
}

fn samples() -> Vec<(String, Value)> {
    jobrun_tests::samples("krewdata")
}

fn sample(name: &str) -> Value {
    samples()
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} is missing"))
        .1
}

/// Decodes `value` as `T`, re-encodes it and compares exactly: a field the type does not know
/// would be dropped by the round trip and fail here.
///
/// Unlike trocco's test this does not normalise with `jobrun_tests::without_empty`: krewData's
/// docs never make null or `[]` mean "absent" (its samples leave absent fields out), and an
/// `endTime` of "" (seed 003's Running sample) means something an absent one does not, so the
/// comparison must see every key as written.
fn round_trip<T: DeserializeOwned + Serialize>(name: &str, value: &Value) -> T {
    let decoded: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{name} does not decode: {e}"));
    let encoded = serde_json::to_value(&decoded).expect("generated types encode");
    assert_eq!(
        &encoded, value,
        "{name} lost or changed a field in the round trip"
    );
    decoded
}

/// A status keeps the vendor's text, and is a known variant exactly when the spec lists it.
fn check_status(name: &str, text: &Value, status: &types::ExecutionStatus) {
    let text = text.as_str().expect("a status is a string");
    assert_eq!(status.as_str(), text, "{name}");
    assert_eq!(
        status.is_known(),
        types::ExecutionStatus::KNOWN.contains(&text),
        "{name}: {status:?}"
    );
}

/// What the seed's sample sends: `window.btoa(serialNumber)`, standard Base64 with padding.
fn btoa(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn every_sample_decodes_and_round_trips() {
    let samples = samples();
    assert_eq!(
        samples.len(),
        SAMPLE_COUNT,
        "specs/examples/krewdata: {:?}",
        samples.iter().map(|s| &s.0).collect::<Vec<_>>()
    );
    for (name, value) in &samples {
        let parts: Vec<&str> = name.split('.').collect();
        match parts.as_slice() {
            ["requestToken", "request", _, "json"] => {
                round_trip::<types::TokenRequest>(name, value);
            }
            ["runUnit", "request", _, "json"] => {
                round_trip::<types::RunRequest>(name, value);
            }
            ["getTaskStatus", "request", _, "json"] => {
                round_trip::<types::StatusRequest>(name, value);
            }
            ["requestToken", "response", _, "json"] => {
                round_trip::<types::TokenAnswer>(name, value);
            }
            ["runUnit", "response", _, "json"] => {
                round_trip::<types::RunAnswer>(name, value);
            }
            ["getTaskStatus", "response", _, "json"] => {
                let answer = round_trip::<types::StatusAnswer>(name, value);
                check_status(name, &value["taskStatus"], &answer.task_status);
                let flows = value["flowInfo"]
                    .as_array()
                    .expect("seed samples list flows");
                assert_eq!(answer.flow_info.len(), flows.len(), "{name}");
                for (flow, sample) in answer.flow_info.iter().zip(flows) {
                    check_status(name, &sample["status"], &flow.status);
                }
            }
            ["error", status, label, "json"] => {
                let status: i32 = status
                    .parse()
                    .unwrap_or_else(|_| panic!("{name}: {status} is not an HTTP status"));
                let body = round_trip::<types::ErrorBody>(name, value);
                // krewData's HTTP status equals the body's code (seed 003's tables).
                assert_eq!(body.code, status, "{name}");
                assert!(body.description.is_some(), "{name}: says what went wrong");
                // Only the 409 row carries the taskId of the run in progress.
                assert_eq!(body.task_id.is_some(), status == 409, "{name}");
                let (operation, kind) = label
                    .split_once('-')
                    .unwrap_or_else(|| panic!("{name}: label is <operationId>-<kind>"));
                assert!(OPERATIONS.contains(&operation), "{name}: {operation}");
                assert!(
                    kind == "example" || kind.starts_with("row-"),
                    "{name}: an error is a table's example or one of its rows"
                );
            }
            _ => panic!(
                "{name}: the name maps to no generated type (see specs/examples/krewdata/README.md)"
            ),
        }
    }
}

#[test]
fn error_row_files_are_exactly_the_rows_of_seed_003() {
    let samples = samples();
    for operation in OPERATIONS {
        let prefix = format!("{operation}-row-");
        let found: Vec<(i32, String, String)> = samples
            .iter()
            .filter(|(name, _)| {
                name.split('.')
                    .nth(2)
                    .is_some_and(|label| label.starts_with(&prefix))
                    && name.starts_with("error.")
            })
            .map(|(name, value)| {
                let body: types::ErrorBody =
                    serde_json::from_value(value.clone()).expect("an error body");
                let description = body
                    .description
                    .unwrap_or_else(|| panic!("{name}: a row has a description"));
                (body.code, body.status, description)
            })
            .collect();
        let descriptions: BTreeSet<&str> = found.iter().map(|r| r.2.as_str()).collect();
        assert_eq!(
            descriptions.len(),
            found.len(),
            "{operation}: two row files share a description"
        );
        let expected: BTreeSet<(i32, String, String)> = rows_of(operation)
            .iter()
            .map(|&(c, s, d)| (c, s.to_owned(), d.to_owned()))
            .collect();
        // The hard-coded table itself has no duplicate rows.
        assert_eq!(expected.len(), rows_of(operation).len(), "{operation}");
        let found: BTreeSet<(i32, String, String)> = found.into_iter().collect();
        assert_eq!(found, expected, "{operation}: rows differ from seed 003");
    }
}

#[test]
fn each_error_example_is_a_row_of_its_table() {
    for operation in OPERATIONS {
        let name = format!("error.400.{operation}-example.json");
        let body: types::ErrorBody = serde_json::from_value(sample(&name)).expect("an error body");
        let description = body.description.expect("the example has a description");
        assert!(
            rows_of(operation)
                .iter()
                .any(|&(c, s, d)| c == body.code && s == body.status && d == description),
            "{name}: {description:?} is not a row of the {operation} table"
        );
    }
}

#[test]
fn the_token_sample_carries_the_serial_as_btoa_makes_it() {
    let request: types::TokenRequest =
        serde_json::from_value(sample("requestToken.request.seed003.json")).expect("decodes");
    assert_eq!(request.serial_number, btoa(SEED_SERIAL.as_bytes()));
    assert_eq!(
        request.serial_number,
        "YWJjZGVmLWprbG1uby1wcXJzdHUteHl6MTIzLTQ1Njc4OQ=="
    );
    assert_eq!(
        request.krewdata_app_url,
        "https://yourdomain.cybozu.com/k/123"
    );
}

#[test]
fn the_seed_status_samples_say_what_the_seed_says() {
    use types::ExecutionStatus::{Cancel, Failure, Queuing, Running, Success};
    let cases = [
        ("seed003-running", Running, [Running, Queuing], None),
        ("seed003-success", Success, [Success, Success], None),
        (
            "seed003-failure-first-flow",
            Failure,
            [Failure, Cancel],
            Some("33"),
        ),
        (
            "seed003-failure-never-ran",
            Failure,
            [Cancel, Cancel],
            Some("134"),
        ),
    ];
    for (label, task, flows, error_code) in cases {
        let answer: types::StatusAnswer =
            serde_json::from_value(sample(&format!("getTaskStatus.response.{label}.json")))
                .expect("decodes");
        assert_eq!(answer.task_status, task, "{label}");
        let statuses: Vec<_> = answer.flow_info.iter().map(|f| f.status.clone()).collect();
        assert_eq!(statuses, flows, "{label}");
        assert_eq!(answer.error_code.as_deref(), error_code, "{label}");
        // A failure says why; other states carry no error fields.
        assert_eq!(
            answer.error_message.is_some(),
            error_code.is_some(),
            "{label}"
        );
        // "never ran": no flow has times, because none started.
        if label.ends_with("never-ran") {
            assert!(
                answer
                    .flow_info
                    .iter()
                    .all(|f| f.start_time.is_none() && f.end_time.is_none())
            );
        }
    }
}

/// Seed 003's Running sample writes `endTime: ""` for the running flow and leaves both times
/// out for the queued one; the two must stay distinguishable after decoding and re-encoding.
#[test]
fn an_empty_end_time_survives_as_empty_and_absent_stays_absent() {
    let value = sample("getTaskStatus.response.seed003-running.json");
    let answer: types::StatusAnswer = serde_json::from_value(value).expect("decodes");
    let running = &answer.flow_info[0];
    assert_eq!(running.end_time.as_ref().map(|t| t.as_str()), Some(""));
    assert_eq!(
        running.start_time.as_ref().map(|t| t.as_str()),
        Some("2020-12-01 09:00:00")
    );
    let queued = &answer.flow_info[1];
    assert!(queued.start_time.is_none() && queued.end_time.is_none());
    let encoded = serde_json::to_value(&answer).expect("encodes");
    assert_eq!(encoded["flowInfo"][0]["endTime"], json!(""));
    let queued = encoded["flowInfo"][1].as_object().expect("an object");
    assert!(!queued.contains_key("endTime") && !queued.contains_key("startTime"));
}

#[test]
fn an_unknown_status_is_kept_not_coerced() {
    let value = json!({
        "code": 200, "status": "OK", "taskStatus": "Suspended",
        "flowInfo": [{ "flowName": "フロー1", "status": "Skipped" }]
    });
    let answer: types::StatusAnswer =
        serde_json::from_value(value.clone()).expect("unknown statuses still decode");
    assert_eq!(
        answer.task_status,
        types::ExecutionStatus::Unknown("Suspended".into())
    );
    assert_eq!(
        answer.flow_info[0].status,
        types::ExecutionStatus::Unknown("Skipped".into())
    );
    // Not terminal: a wait keeps polling rather than inventing an outcome.
    assert!(!answer.task_status.is_terminal());
    assert_eq!(serde_json::to_value(&answer).expect("encodes"), value);
}

#[test]
fn terminal_statuses_are_success_failure_and_cancel() {
    let terminal: Vec<&str> = types::ExecutionStatus::KNOWN
        .iter()
        .copied()
        .filter(|s| {
            s.parse::<types::ExecutionStatus>()
                .is_ok_and(|s| s.is_terminal())
        })
        .collect();
    assert_eq!(terminal, ["Success", "Failure", "Cancel"]);
}

/// appId is 数値又は文字列: the seed's string stays a string and a number stays a number, so
/// the run request sends what the caller gave.
#[test]
fn app_id_keeps_its_json_type() {
    let request: types::RunRequest =
        serde_json::from_value(sample("runUnit.request.seed003.json")).expect("decodes");
    assert_eq!(request.app_id, types::AppId::String("1234".into()));
    let number: types::AppId = serde_json::from_value(json!(1234)).expect("a number");
    assert_eq!(number, types::AppId::Int64(1234));
    assert_eq!(serde_json::to_value(&number).expect("encodes"), json!(1234));
}
