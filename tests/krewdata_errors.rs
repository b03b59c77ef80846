//! Every row of seed 003's three error tables (アクセストークン要求 13, 実行要求 15, 実行状況確認 8)
//! provoked from the krewData simulator with a raw request, and read back as the facade's typed
//! error: the HTTP status, the seed's exact `description`, and `KrewdataError::from_body`.
//!
//! Requests go out as the vendor's sample code sends them: `POST` with
//! `Content-Type: application/json;charset=UTF-8`. The tests run on tokio's paused clock, so a
//! token ages past its 10 minutes with `tokio::time::advance` and no real time.

use std::{collections::BTreeSet, fs, time::Duration};

use jobrun::krewdata::KrewdataError;
use jobrun_sim::{
    Fault,
    krewdata::{
        DEFAULT_APP_URL, DEFAULT_SERIAL_NUMBER, DEFAULT_USER, KrewdataConfig, KrewdataSim, Target,
        Unit,
    },
};
use jobrun_tests::workspace_root;
use serde_json::{Value, json};

/// The content type of the vendor's sample code.
const CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// The calling app (呼び出し元アプリ) of every unit of the simulator's catalog.
const CALLING_APP: &str = "123";

/// An API unit that runs to success (demo catalog).
const API_UNIT: &str = "simunitsucceeds";
/// An API unit that forbids concurrent runs (demo catalog; busy for 11 s after a run).
const EXCLUSIVE_UNIT: &str = "simunitexclusive";
/// A unit of its own for the rate limit, so that disabling it spoils no other row.
const RATE_UNIT: &str = "ratelimited";
/// A unit id the simulator does not know.
const UNKNOWN_UNIT: &str = "nosuchunit0000";

/// How long a token can be used to run: "10 minutes" (seed 003).
const TOKEN_LIFETIME: Duration = Duration::from_secs(10 * 60);
/// Token requests per unit per minute before the unit is disabled (research A3: 5 a minute).
const RATE_LIMIT: usize = 5;

// Seed 003's descriptions, copied from its three error tables.
const APP_URL_TYPE: &str = "krewdataAppUrl data type is wrong, should be string type.";
const APP_URL_FORMAT: &str =
    r#"krewdataAppUrl format is wrong, should be "https://yourdomain/k/appId(/)"."#;
const APP_URL_MISSING: &str = r#"krewdataAppUrl is empty or krewdataAppUrl cannot be found. Pay attention to the spelling of "krewdataAppUrl"."#;
const PATH_INVALID: &str = "Request path is invalid.";
const REQUEST_TYPE: &str = "Request type (Webhook/API/RunBykrewSheet) is wrong.";
const SERIAL_TYPE: &str = "serialNumber data type is wrong, should be string type.";
const SERIAL_MISSING: &str = r#"serialNumber is empty or serialNumber cannot be found. Pay attention to the spelling of "serialNumber"."#;
const SERIAL_NOT_BASE64: &str = "serialNumber is not a valid Base64 encoding value.";
const APP_URL_INVALID: &str =
    r#"Specified krewdataAppUrl is invalid, should be "https://yourdomain.cybozu.com/k/{appId}"."#;
const UNIT_INVALID: &str = "Specified unit is invalid.";
const TOKEN_SCHEMA: &str = "Token request body schema is wrong.";
const ILLEGAL_LICENSE: &str = "Illegal License.";
const RATE_LIMITED: &str =
    "The rate limit for API calls has been exceeded. Specified unit has been disabled.";
const ACCESS_TOKEN_TYPE: &str = "accessToken data type is wrong, should be string type.";
const ACCESS_TOKEN_MISSING: &str = r#"accessToken is empty or accessToken cannot be found. Pay attention to the spelling of "accessToken"."#;
const NOT_CALLING_APP: &str = "app (appId) is not call app of task specified.";
const APP_ID_TYPE: &str = "appId data type is wrong, should be string type.";
const APP_ID_MISSING: &str =
    r#"appId is empty or appId cannot be found. Pay attention to the spelling of "appId"."#;
const RECORD_TYPE: &str = "record data type is wrong, should be keep with Kintone record.";
const RUN_SCHEMA: &str = "Run request body schema is wrong.";
const TOKEN_EXPIRED: &str =
    "Specified token has been created for more than 10 minutes and cannot be used to run unit.";
const TOKEN_USED: &str = "Specified token has been used.";
const TOKEN_INVALID: &str = "Specified token is invalid.";
const USER_TYPE: &str = "user data type is wrong, should be string type.";
const USER_MISSING: &str =
    r#"user is empty or user cannot be found. Pay attention to the spelling of "user"."#;
/// The seed prints this row as `Other User is running the execution unit.","taskId":{taskId}`:
/// the description, then a sibling `taskId`.
const OTHER_USER_RUNNING: &str = "Other User is running the execution unit.";
const ACCESS_TOKEN_INVALID: &str = "Specified accessToken is invalid.";
const TASK_ID_INVALID: &str = "Specified taskId is invalid.";
const STATUS_SCHEMA: &str = "Status request body schema is wrong.";
const TASK_ID_TYPE: &str = "taskId data type is wrong, should be string type.";
const TASK_ID_MISSING: &str =
    r#"taskId is empty or taskId cannot be found. Pay attention to the spelling of "taskId"."#;

/// Rows per table in seed 003: token 13, run 15, status 8.
const DOCUMENTED_ROWS: usize = 13 + 15 + 8;

/// The three operations of seed 003.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Op {
    Token,
    Run,
    Status,
}

impl Op {
    /// The last segment of the path.
    fn segment(self) -> &'static str {
        match self {
            Op::Token => "token",
            Op::Run => "run",
            Op::Status => "status",
        }
    }

    /// The operationId that names the table in specs/examples/krewdata.
    fn operation_id(self) -> &'static str {
        match self {
            Op::Token => "requestToken",
            Op::Run => "runUnit",
            Op::Status => "getTaskStatus",
        }
    }

    fn from_operation_id(id: &str) -> Option<Self> {
        [Op::Token, Op::Run, Op::Status]
            .into_iter()
            .find(|op| op.operation_id() == id)
    }
}

/// What a request carries.
#[derive(Debug)]
enum Body {
    Json(Value),
    /// Bytes as they are, for bodies that are not a JSON object.
    Raw(&'static str),
}

impl Body {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Body::Json(value) => serde_json::to_vec(value).expect("JSON encodes"),
            Body::Raw(text) => text.as_bytes().to_vec(),
        }
    }
}

/// One crafted request and the documented answer it must get.
#[derive(Debug)]
struct Case {
    /// What is wrong with the request.
    what: &'static str,
    op: Op,
    /// Goes between `/trigger/v1/` and `/{op}`.
    unit: String,
    body: Body,
    code: u16,
    status: &'static str,
    description: &'static str,
    kind: KrewdataError,
}

#[allow(clippy::too_many_arguments)]
fn case(
    what: &'static str,
    op: Op,
    unit: &str,
    body: Body,
    code: u16,
    status: &'static str,
    description: &'static str,
    kind: KrewdataError,
) -> Case {
    Case {
        what,
        op,
        unit: unit.to_owned(),
        body,
        code,
        status,
        description,
        kind,
    }
}

/// A 400 `Bad Request` row.
fn bad(
    what: &'static str,
    op: Op,
    unit: &str,
    body: Body,
    description: &'static str,
    kind: KrewdataError,
) -> Case {
    case(what, op, unit, body, 400, "Bad Request", description, kind)
}

/// Standard Base64 with padding, as the sample code's `window.btoa`.
fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Sends raw requests to one simulator: bodies no typed client would build.
struct Raw {
    client: reqwest::Client,
    base: String,
}

/// One answer: HTTP status and body bytes.
struct Answer {
    http: u16,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Raw {
    fn new(sim: &KrewdataSim) -> Self {
        Self {
            client: reqwest::Client::new(),
            base: sim.base_url(),
        }
    }

    async fn post(&self, unit: &str, op: Op, body: &Body) -> Answer {
        let url = format!("{}/trigger/v1/{unit}/{}", self.base, op.segment());
        let response = self
            .client
            .post(&url)
            .header("content-type", CONTENT_TYPE)
            .body(body.bytes())
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {url}: {e}"));
        let http = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .unwrap_or_else(|e| panic!("POST {url}: body: {e}"))
            .to_vec();
        Answer { http, body }
    }

    /// A token of `unit`, asked for with the simulator's app URL and serial number.
    async fn token(&self, unit: &str) -> String {
        let answer = self.post(unit, Op::Token, &token_body()).await;
        assert_eq!(answer.http, 200, "token of {unit}: {}", answer.text());
        answer.json()["accessToken"]
            .as_str()
            .unwrap_or_else(|| panic!("token of {unit}: {}", answer.text()))
            .to_owned()
    }

    /// Runs `unit` with `token`; the new task's id.
    async fn run(&self, unit: &str, token: &str) -> String {
        let answer = self.post(unit, Op::Run, &run_body(token)).await;
        assert_eq!(answer.http, 200, "run of {unit}: {}", answer.text());
        answer.json()["taskId"]
            .as_str()
            .unwrap_or_else(|| panic!("run of {unit}: {}", answer.text()))
            .to_owned()
    }
}

fn serial() -> String {
    base64(DEFAULT_SERIAL_NUMBER.as_bytes())
}

/// A token body the simulator accepts.
fn token_body() -> Body {
    Body::Json(json!({"krewdataAppUrl": DEFAULT_APP_URL, "serialNumber": serial()}))
}

/// A run body the simulator accepts, given a live token.
fn run_body(token: &str) -> Body {
    Body::Json(json!({"accessToken": token, "user": DEFAULT_USER, "appId": CALLING_APP}))
}

/// The demo catalog (API, exclusive, Webhook, krewSheet, disabled and flowless units), its
/// serial number and app URL, plus a unit of its own for the rate limit.
fn sim_config() -> KrewdataConfig {
    KrewdataConfig::new().unit(
        RATE_UNIT,
        Unit::new("rate-limited")
            .queue(Duration::from_secs(1))
            .flow("import-orders", Duration::from_secs(1)),
    )
}

/// Sends `case` and lists every way its answer differs from the seed's row.
async fn check(raw: &Raw, case: &Case, task_id: Option<&str>) -> Vec<String> {
    let answer = raw.post(&case.unit, case.op, &case.body).await;
    let body = answer.json();
    let mut wrong = Vec::new();
    let mut expect = |what: &str, got: String, want: String| {
        if got != want {
            wrong.push(format!("{what}: got {got}, want {want}"));
        }
    };
    expect(
        "HTTP status",
        answer.http.to_string(),
        case.code.to_string(),
    );
    expect("code", body["code"].to_string(), case.code.to_string());
    expect(
        "status",
        body["status"].to_string(),
        json!(case.status).to_string(),
    );
    expect(
        "description",
        body["description"].to_string(),
        json!(case.description).to_string(),
    );
    expect(
        "taskId",
        body["taskId"].to_string(),
        task_id.map_or(Value::Null, |t| json!(t)).to_string(),
    );
    expect(
        "from_body",
        format!("{:?}", KrewdataError::from_body(&answer.body)),
        format!("{:?}", Some(&case.kind)),
    );
    wrong
        .into_iter()
        .map(|w| {
            format!(
                "{} {} ({}): {w}; body {}",
                case.op.operation_id(),
                json!(case.description),
                case.what,
                answer.text()
            )
        })
        .collect()
}

/// (operation, code, description) of every error row file in specs/examples/krewdata, the
/// seed's rows as the contract test pins them.
fn spec_rows() -> BTreeSet<(Op, u16, String)> {
    let dir = workspace_root().join("specs/examples/krewdata");
    let mut rows = BTreeSet::new();
    for entry in fs::read_dir(&dir).expect("specs/examples/krewdata") {
        let name = entry.expect("dir entry").file_name();
        let name = name.to_string_lossy();
        let Some(rest) = name.strip_prefix("error.") else {
            continue;
        };
        let Some((code, label)) = rest.split_once('.') else {
            continue;
        };
        let Some((operation, _slug)) = label.split_once("-row-") else {
            continue;
        };
        let op = Op::from_operation_id(operation)
            .unwrap_or_else(|| panic!("{name}: unknown operation {operation}"));
        let text = fs::read_to_string(dir.join(name.as_ref())).expect("row file");
        let value: Value = serde_json::from_str(&text).expect("row file is JSON");
        let description = value["description"]
            .as_str()
            .expect("description")
            .to_owned();
        rows.insert((op, code.parse().expect("code"), description));
    }
    rows
}

#[tokio::test(start_paused = true)]
async fn every_error_row_of_seed_003_is_answered_and_typed() {
    use KrewdataError as K;
    use Op::{Run, Status, Token};

    let sim = KrewdataSim::start(sim_config())
        .await
        .expect("simulator starts");
    let raw = Raw::new(&sim);

    // State some rows need, made before any row is sent.
    // A token that outlives its 10 minutes.
    let expired = raw.token(API_UNIT).await;
    tokio::time::advance(TOKEN_LIFETIME + Duration::from_secs(1)).await;
    // A token a run has used.
    let used = raw.token(API_UNIT).await;
    let used_task = raw.run(API_UNIT, &used).await;
    // A live, unused token.
    let live = raw.token(API_UNIT).await;
    // An exclusive unit busy with a task, and a live token to try a second run with.
    let first = raw.token(EXCLUSIVE_UNIT).await;
    let running = raw.run(EXCLUSIVE_UNIT, &first).await;
    let second = raw.token(EXCLUSIVE_UNIT).await;
    // The rate limit's whole allowance spent within the minute.
    for _ in 0..RATE_LIMIT {
        raw.token(RATE_UNIT).await;
    }

    let app = DEFAULT_APP_URL;
    let serial = serial();
    let json = Body::Json;
    let cases = vec![
        // アクセストークン要求 (13 rows)
        bad(
            "krewdataAppUrl is a number",
            Token,
            API_UNIT,
            json(json!({"krewdataAppUrl": 123, "serialNumber": serial})),
            APP_URL_TYPE,
            K::AppUrlWrongType,
        ),
        bad(
            "krewdataAppUrl is an object",
            Token,
            API_UNIT,
            json(json!({"krewdataAppUrl": {"url": app}, "serialNumber": serial})),
            APP_URL_TYPE,
            K::AppUrlWrongType,
        ),
        bad(
            "krewdataAppUrl is not https://host/k/<digits>",
            Token,
            API_UNIT,
            json(
                json!({"krewdataAppUrl": "https://jobrun-sim.cybozu.com/app/123", "serialNumber": serial}),
            ),
            APP_URL_FORMAT,
            K::AppUrlBadFormat,
        ),
        bad(
            "krewdataAppUrl is http, not https",
            Token,
            API_UNIT,
            json(
                json!({"krewdataAppUrl": "http://jobrun-sim.cybozu.com/k/123", "serialNumber": serial}),
            ),
            APP_URL_FORMAT,
            K::AppUrlBadFormat,
        ),
        bad(
            "krewdataAppUrl is absent",
            Token,
            API_UNIT,
            json(json!({"serialNumber": serial})),
            APP_URL_MISSING,
            K::AppUrlMissing,
        ),
        bad(
            "krewdataAppUrl is empty",
            Token,
            API_UNIT,
            json(json!({"krewdataAppUrl": "", "serialNumber": serial})),
            APP_URL_MISSING,
            K::AppUrlMissing,
        ),
        bad(
            "krewdataAppUrl is misspelled",
            Token,
            API_UNIT,
            json(json!({"krewDataAppUrl": app, "serialNumber": serial})),
            APP_URL_MISSING,
            K::AppUrlMissing,
        ),
        bad(
            "unknown unit",
            Token,
            UNKNOWN_UNIT,
            token_body(),
            PATH_INVALID,
            K::PathInvalid,
        ),
        bad(
            "unknown path below a known unit",
            Token,
            &format!("{API_UNIT}/extra"),
            token_body(),
            PATH_INVALID,
            K::PathInvalid,
        ),
        bad(
            "Webhook unit",
            Token,
            "simunitwebhook",
            token_body(),
            REQUEST_TYPE,
            K::WrongExecutionMethod,
        ),
        bad(
            "serialNumber is a number",
            Token,
            API_UNIT,
            json(json!({"krewdataAppUrl": app, "serialNumber": 12345})),
            SERIAL_TYPE,
            K::SerialWrongType,
        ),
        bad(
            "serialNumber is absent",
            Token,
            API_UNIT,
            json(json!({"krewdataAppUrl": app})),
            SERIAL_MISSING,
            K::SerialMissing,
        ),
        bad(
            "serialNumber is empty",
            Token,
            API_UNIT,
            json(json!({"krewdataAppUrl": app, "serialNumber": ""})),
            SERIAL_MISSING,
            K::SerialMissing,
        ),
        bad(
            "serialNumber is plain, not Base64",
            Token,
            API_UNIT,
            json(json!({"krewdataAppUrl": app, "serialNumber": "not base64!"})),
            SERIAL_NOT_BASE64,
            K::SerialNotBase64,
        ),
        bad(
            "krewdataAppUrl names another domain",
            Token,
            API_UNIT,
            json(
                json!({"krewdataAppUrl": "https://someone-else.cybozu.com/k/123", "serialNumber": serial}),
            ),
            APP_URL_INVALID,
            K::AppUrlInvalid,
        ),
        bad(
            "krewdataAppUrl names another app",
            Token,
            API_UNIT,
            json(
                json!({"krewdataAppUrl": "https://jobrun-sim.cybozu.com/k/124", "serialNumber": serial}),
            ),
            APP_URL_INVALID,
            K::AppUrlInvalid,
        ),
        bad(
            "disabled unit",
            Token,
            "simunitdisabled",
            token_body(),
            UNIT_INVALID,
            K::UnitInvalid,
        ),
        bad(
            "unit without flows",
            Token,
            "simunitnoflows",
            token_body(),
            UNIT_INVALID,
            K::UnitInvalid,
        ),
        bad(
            "body is a JSON array",
            Token,
            API_UNIT,
            Body::Raw("[]"),
            TOKEN_SCHEMA,
            K::BodySchema,
        ),
        bad(
            "body is not JSON",
            Token,
            API_UNIT,
            Body::Raw("krewdataAppUrl=x"),
            TOKEN_SCHEMA,
            K::BodySchema,
        ),
        case(
            "wrong serial number",
            Token,
            API_UNIT,
            json(
                json!({"krewdataAppUrl": app, "serialNumber": base64(b"abcdef-jklmno-pqrstu-xyz123-456789")}),
            ),
            401,
            "Unauthorized",
            ILLEGAL_LICENSE,
            K::IllegalLicense,
        ),
        case(
            "a sixth token request within the minute",
            Token,
            RATE_UNIT,
            token_body(),
            429,
            "Too Many Requests",
            RATE_LIMITED,
            K::UnitDisabledByRateLimit,
        ),
        // 実行要求 (15 rows)
        bad(
            "accessToken is a number",
            Run,
            API_UNIT,
            json(json!({"accessToken": 1234, "user": DEFAULT_USER, "appId": CALLING_APP})),
            ACCESS_TOKEN_TYPE,
            K::AccessTokenWrongType,
        ),
        bad(
            "accessToken is absent",
            Run,
            API_UNIT,
            json(json!({"user": DEFAULT_USER, "appId": CALLING_APP})),
            ACCESS_TOKEN_MISSING,
            K::AccessTokenMissing,
        ),
        bad(
            "accessToken is empty",
            Run,
            API_UNIT,
            json(json!({"accessToken": "", "user": DEFAULT_USER, "appId": CALLING_APP})),
            ACCESS_TOKEN_MISSING,
            K::AccessTokenMissing,
        ),
        bad(
            "appId is not the unit's calling app",
            Run,
            API_UNIT,
            json(json!({"accessToken": live, "user": DEFAULT_USER, "appId": "999"})),
            NOT_CALLING_APP,
            K::AppNotCallingApp,
        ),
        bad(
            "appId is a boolean",
            Run,
            API_UNIT,
            json(json!({"accessToken": live, "user": DEFAULT_USER, "appId": true})),
            APP_ID_TYPE,
            K::AppIdWrongType,
        ),
        bad(
            "appId is absent",
            Run,
            API_UNIT,
            json(json!({"accessToken": live, "user": DEFAULT_USER})),
            APP_ID_MISSING,
            K::AppIdMissing,
        ),
        bad(
            "appId is empty",
            Run,
            API_UNIT,
            json(json!({"accessToken": live, "user": DEFAULT_USER, "appId": ""})),
            APP_ID_MISSING,
            K::AppIdMissing,
        ),
        bad(
            "record is an array",
            Run,
            API_UNIT,
            json(
                json!({"accessToken": live, "user": DEFAULT_USER, "appId": CALLING_APP, "record": []}),
            ),
            RECORD_TYPE,
            K::RecordNotKintone,
        ),
        bad(
            "record fields are not {type, value} objects",
            Run,
            API_UNIT,
            json(
                json!({"accessToken": live, "user": DEFAULT_USER, "appId": CALLING_APP, "record": {"入荷日": "2020-11-01"}}),
            ),
            RECORD_TYPE,
            K::RecordNotKintone,
        ),
        bad(
            "unknown unit",
            Run,
            UNKNOWN_UNIT,
            run_body(&live),
            PATH_INVALID,
            K::PathInvalid,
        ),
        bad(
            "krewSheet unit",
            Run,
            "simunitkrewsheet",
            run_body(&live),
            REQUEST_TYPE,
            K::WrongExecutionMethod,
        ),
        bad(
            "body is a JSON string",
            Run,
            API_UNIT,
            Body::Raw(r#""accessToken""#),
            RUN_SCHEMA,
            K::BodySchema,
        ),
        bad(
            "token older than 10 minutes",
            Run,
            API_UNIT,
            run_body(&expired),
            TOKEN_EXPIRED,
            K::TokenExpired,
        ),
        bad(
            "token a run has used",
            Run,
            API_UNIT,
            run_body(&used),
            TOKEN_USED,
            K::TokenUsed,
        ),
        bad(
            "token never issued",
            Run,
            API_UNIT,
            run_body("abcdefg1234567"),
            TOKEN_INVALID,
            K::TokenInvalid,
        ),
        bad(
            "token of another unit",
            Run,
            API_UNIT,
            run_body(&second),
            TOKEN_INVALID,
            K::TokenInvalid,
        ),
        bad(
            "user is a number",
            Run,
            API_UNIT,
            json(json!({"accessToken": live, "user": 42, "appId": CALLING_APP})),
            USER_TYPE,
            K::UserWrongType,
        ),
        bad(
            "user is absent",
            Run,
            API_UNIT,
            json(json!({"accessToken": live, "appId": CALLING_APP})),
            USER_MISSING,
            K::UserMissing,
        ),
        bad(
            "user is null",
            Run,
            API_UNIT,
            json(json!({"accessToken": live, "user": null, "appId": CALLING_APP})),
            USER_MISSING,
            K::UserMissing,
        ),
        case(
            "exclusive unit already running",
            Run,
            EXCLUSIVE_UNIT,
            run_body(&second),
            409,
            "Conflict",
            OTHER_USER_RUNNING,
            K::OtherUserRunning {
                task_id: Some(running.clone()),
            },
        ),
        // 実行状況確認 (8 rows)
        bad(
            "accessToken is an array",
            Status,
            API_UNIT,
            json(json!({"accessToken": [live], "taskId": used_task})),
            ACCESS_TOKEN_TYPE,
            K::AccessTokenWrongType,
        ),
        bad(
            "accessToken is absent",
            Status,
            API_UNIT,
            json(json!({"taskId": used_task})),
            ACCESS_TOKEN_MISSING,
            K::AccessTokenMissing,
        ),
        bad(
            "unknown unit",
            Status,
            UNKNOWN_UNIT,
            json(json!({"accessToken": live, "taskId": used_task})),
            PATH_INVALID,
            K::PathInvalid,
        ),
        bad(
            "token never issued",
            Status,
            API_UNIT,
            json(json!({"accessToken": "abcdefg1234567", "taskId": used_task})),
            ACCESS_TOKEN_INVALID,
            K::TokenInvalid,
        ),
        bad(
            "token older than 10 minutes",
            Status,
            API_UNIT,
            json(json!({"accessToken": expired, "taskId": used_task})),
            ACCESS_TOKEN_INVALID,
            K::TokenInvalid,
        ),
        bad(
            "task never created",
            Status,
            API_UNIT,
            json(json!({"accessToken": live, "taskId": "hijklmn8901234"})),
            TASK_ID_INVALID,
            K::TaskIdInvalid,
        ),
        bad(
            "task of another unit",
            Status,
            API_UNIT,
            json(json!({"accessToken": live, "taskId": running})),
            TASK_ID_INVALID,
            K::TaskIdInvalid,
        ),
        bad(
            "body is not JSON",
            Status,
            API_UNIT,
            Body::Raw("{\"accessToken\":"),
            STATUS_SCHEMA,
            K::BodySchema,
        ),
        bad(
            "body is null",
            Status,
            API_UNIT,
            Body::Raw("null"),
            STATUS_SCHEMA,
            K::BodySchema,
        ),
        bad(
            "taskId is a number",
            Status,
            API_UNIT,
            json(json!({"accessToken": live, "taskId": 8901234})),
            TASK_ID_TYPE,
            K::TaskIdWrongType,
        ),
        bad(
            "taskId is absent",
            Status,
            API_UNIT,
            json(json!({"accessToken": live})),
            TASK_ID_MISSING,
            K::TaskIdMissing,
        ),
        bad(
            "taskId is empty",
            Status,
            API_UNIT,
            json(json!({"accessToken": live, "taskId": ""})),
            TASK_ID_MISSING,
            K::TaskIdMissing,
        ),
    ];

    let mut wrong = Vec::new();
    for case in &cases {
        let task_id = (case.code == 409).then_some(running.as_str());
        wrong.extend(check(&raw, case, task_id).await);
    }
    assert!(
        wrong.is_empty(),
        "{} mismatches with seed 003:\n{}",
        wrong.len(),
        wrong.join("\n")
    );

    // The refused requests changed nothing they should not have: the 409 queued no second
    // task, and the rate limit disabled its unit.
    assert_eq!(sim.task_ids(EXCLUSIVE_UNIT), vec![running.clone()]);
    assert!(sim.is_unit_disabled(RATE_UNIT));
    assert!(!sim.is_unit_disabled(API_UNIT));

    // Every row of the three tables is covered: a row dropped from the table fails here.
    let covered: BTreeSet<(Op, &str)> = cases.iter().map(|c| (c.op, c.description)).collect();
    assert_eq!(covered.len(), DOCUMENTED_ROWS, "rows covered: {covered:#?}");
    for (op, rows) in [(Token, 13), (Run, 15), (Status, 8)] {
        assert_eq!(
            covered.iter().filter(|(o, _)| *o == op).count(),
            rows,
            "{} rows",
            op.operation_id()
        );
    }
    // ... and they are the rows the spec's examples pin as seed 003's.
    let table: BTreeSet<(Op, u16, String)> = cases
        .iter()
        .map(|c| (c.op, c.code, c.description.to_owned()))
        .collect();
    assert_eq!(table, spec_rows());

    sim.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn undocumented_descriptions_stay_unrecognized_and_documented_ones_classify_under_200() {
    let sim = KrewdataSim::start(sim_config())
        .await
        .expect("simulator starts");
    let raw = Raw::new(&sim);
    let fault = |status: u16, body: Value| Fault::Status {
        status,
        content_type: CONTENT_TYPE.to_owned(),
        body: body.to_string(),
    };

    // A description seed 003 does not list: an error body, but no known kind.
    let new_words = "Specified unit is under maintenance.";
    sim.inject(
        Target::Run,
        fault(
            400,
            json!({"code": 400, "status": "Bad Request", "description": new_words}),
        ),
        1,
    );
    let answer = raw
        .post(API_UNIT, Op::Run, &run_body("abcdefg1234567"))
        .await;
    assert_eq!(answer.http, 400);
    assert_eq!(answer.json()["description"], new_words);
    assert_eq!(KrewdataError::from_body(&answer.body), None);

    // A documented description inside an HTTP 200 whose `code` says otherwise.
    sim.inject(
        Target::Status,
        fault(
            200,
            json!({"code": 400, "status": "Bad Request", "description": TASK_ID_INVALID}),
        ),
        1,
    );
    let answer = raw
        .post(
            API_UNIT,
            Op::Status,
            &Body::Json(json!({"accessToken": "abcdefg1234567", "taskId": "hijklmn8901234"})),
        )
        .await;
    assert_eq!(answer.http, 200);
    assert_eq!(
        KrewdataError::from_body(&answer.body),
        Some(KrewdataError::TaskIdInvalid)
    );

    // The 409 under a 200 keeps its task, sent unquoted as the seed prints `{taskId}`.
    sim.inject(
        Target::Run,
        fault(
            200,
            json!({"code": 409, "status": "Conflict", "description": OTHER_USER_RUNNING, "taskId": 8901234}),
        ),
        1,
    );
    let answer = raw
        .post(API_UNIT, Op::Run, &run_body("abcdefg1234567"))
        .await;
    assert_eq!(answer.http, 200);
    assert_eq!(
        KrewdataError::from_body(&answer.body),
        Some(KrewdataError::OtherUserRunning {
            task_id: Some("8901234".to_owned())
        })
    );

    // A real success is no error, and neither is a body that is not krewData's.
    let token = raw.post(API_UNIT, Op::Token, &token_body()).await;
    assert_eq!(token.http, 200);
    assert_eq!(KrewdataError::from_body(&token.body), None);
    sim.inject(
        Target::Token,
        Fault::Status {
            status: 502,
            content_type: "text/html".to_owned(),
            body: "<html>502 Bad Gateway</html>".to_owned(),
        },
        1,
    );
    let gateway = raw.post(API_UNIT, Op::Token, &token_body()).await;
    assert_eq!(gateway.http, 502);
    assert_eq!(KrewdataError::from_body(&gateway.body), None);

    sim.shutdown().await;
}
