use std::time::Duration;

use jobrun_sim::krewdata::{DEFAULT_USER, ExecutionMethod, Unit};
use serde_json::{Value, json};

use crate::common::{Api, assert_bad_request, key_order, ok_json};

const SCHEMA: &str = "Run request body schema is wrong.";
const TOKEN_MISSING: &str = "accessToken is empty or accessToken cannot be found. Pay attention to the spelling of \"accessToken\".";
const TOKEN_TYPE: &str = "accessToken data type is wrong, should be string type.";
const USER_MISSING: &str =
    "user is empty or user cannot be found. Pay attention to the spelling of \"user\".";
const USER_TYPE: &str = "user data type is wrong, should be string type.";
const APP_MISSING: &str =
    "appId is empty or appId cannot be found. Pay attention to the spelling of \"appId\".";
const APP_TYPE: &str = "appId data type is wrong, should be string type.";
const NOT_CALL_APP: &str = "app (appId) is not call app of task specified.";
const RECORD: &str = "record data type is wrong, should be keep with Kintone record.";
const TOKEN_INVALID: &str = "Specified token is invalid.";
const TOKEN_USED: &str = "Specified token has been used.";
const TOKEN_OLD: &str =
    "Specified token has been created for more than 10 minutes and cannot be used to run unit.";
const UNIT: &str = "Specified unit is invalid.";
const REQUEST_TYPE: &str = "Request type (Webhook/API/RunBykrewSheet) is wrong.";

fn body(token: &str) -> Value {
    json!({"accessToken": token, "user": DEFAULT_USER, "appId": "123"})
}

fn with(token: &str, key: &str, value: Value) -> Value {
    let mut body = body(token);
    body[key] = value;
    body
}

fn without(token: &str, key: &str) -> Value {
    let mut body = body(token);
    body.as_object_mut().unwrap().remove(key);
    body
}

#[tokio::test]
async fn run_answer_has_the_documented_shape() {
    let api = Api::default().await;
    let token = api.token("simunitsucceeds").await;
    let response = api.post("simunitsucceeds", "run", &body(&token)).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert_eq!(key_order(&text), ["code", "status", "taskId"]);
    let answer: Value = serde_json::from_str(&text).unwrap();
    let task = answer["taskId"].as_str().unwrap();
    assert_eq!(task.len(), 20);
    assert!(
        task.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    );
    let (_, second) = api.run("simunitsucceeds").await;
    assert_ne!(second, task);
    assert_eq!(api.sim.task_ids("simunitsucceeds"), [task, second.as_str()]);
}

#[tokio::test]
async fn the_vendor_sample_body_is_accepted() {
    let api = Api::default().await;
    let token = api.token("simunitsucceeds").await;
    // The seed's example, with its appId changed to the unit's calling app.
    let sample = json!({
        "accessToken": token,
        "user": "krewdata@example.com",
        "appId": "123",
        "record": {
            "レコード番号": {"type": "RECORD_NUMBER", "value": "1"},
            "入荷日": {"type": "DATE", "value": "2020-11-01"},
            "明細": {"type": "SUBTABLE", "value": [{"id": "1", "value": {}}]},
            "担当": {"value": null}
        }
    });
    ok_json(api.post("simunitsucceeds", "run", &sample).await).await;
    // appId as a number, and a null record, are accepted too.
    let token = api.token("simunitsucceeds").await;
    let numeric = with(&token, "appId", json!(123));
    let numeric = {
        let mut b = numeric;
        b["record"] = Value::Null;
        b
    };
    ok_json(api.post("simunitsucceeds", "run", &numeric).await).await;
}

#[tokio::test]
async fn schema_missing_and_type_errors() {
    let api = Api::default().await;
    for raw in ["", "[]", "{", "42"] {
        assert_bad_request(api.post_raw("simunitsucceeds", "run", raw).await, SCHEMA).await;
    }
    let t = api.token("simunitsucceeds").await;
    let cases = [
        (without(&t, "accessToken"), TOKEN_MISSING),
        (with(&t, "accessToken", json!("")), TOKEN_MISSING),
        (with(&t, "accessToken", Value::Null), TOKEN_MISSING),
        (with(&t, "accessToken", json!(12345)), TOKEN_TYPE),
        (with(&t, "accessToken", json!([t.clone()])), TOKEN_TYPE),
        (without(&t, "user"), USER_MISSING),
        (with(&t, "user", json!("")), USER_MISSING),
        (with(&t, "user", json!({"code": DEFAULT_USER})), USER_TYPE),
        (with(&t, "user", json!(false)), USER_TYPE),
        (without(&t, "appId"), APP_MISSING),
        (with(&t, "appId", json!("")), APP_MISSING),
        (with(&t, "appId", Value::Null), APP_MISSING),
        (with(&t, "appId", json!(true)), APP_TYPE),
        (with(&t, "appId", json!(["123"])), APP_TYPE),
        (with(&t, "appId", json!({"id": 123})), APP_TYPE),
        // Fields are checked in the documented order: accessToken before user before appId.
        (json!({"user": 1, "appId": true}), TOKEN_MISSING),
        (
            json!({"accessToken": t, "user": 1, "appId": true}),
            USER_TYPE,
        ),
    ];
    for (body, description) in cases {
        let response = api.post("simunitsucceeds", "run", &body).await;
        assert_bad_request(response, description).await;
    }
    // None of that used the token.
    api.run_with("simunitsucceeds", &t).await;
}

#[tokio::test]
async fn record_must_be_a_kintone_record() {
    let api = Api::default().await;
    let t = api.token("simunitsucceeds").await;
    for record in [
        json!("text"),
        json!([{"value": "1"}]),
        json!(7),
        json!({"field": "1"}),
        json!({"field": {"type": "SINGLE_LINE_TEXT"}}),
        json!({"ok": {"value": "1"}, "bad": ["x"]}),
    ] {
        let response = api
            .post("simunitsucceeds", "run", &with(&t, "record", record))
            .await;
        assert_bad_request(response, RECORD).await;
    }
}

#[tokio::test]
async fn app_id_must_be_the_calling_app() {
    let api = Api::default().await;
    let t = api.token("simunitsucceeds").await;
    for app in [
        json!("1234"),
        json!(124),
        json!("abc"),
        json!(123.5),
        json!(-123),
        json!(" 123"),
    ] {
        let response = api
            .post("simunitsucceeds", "run", &with(&t, "appId", app))
            .await;
        assert_bad_request(response, NOT_CALL_APP).await;
    }
    // A refused run leaves the token usable.
    api.run_with("simunitsucceeds", &t).await;

    api.sim.set_unit(
        "calledfrom42",
        Unit::new("app-42")
            .calling_app(42)
            .flow("f", Duration::from_secs(1)),
    );
    let t = api.token("calledfrom42").await;
    let response = api.post("calledfrom42", "run", &body(&t)).await;
    assert_bad_request(response, NOT_CALL_APP).await;
    ok_json(
        api.post("calledfrom42", "run", &with(&t, "appId", json!("42")))
            .await,
    )
    .await;
}

#[tokio::test]
async fn unknown_token_or_another_unit_s_token_is_invalid() {
    let api = Api::default().await;
    let response = api
        .post("simunitsucceeds", "run", &body("abcdefg1234567"))
        .await;
    assert_bad_request(response, TOKEN_INVALID).await;
    let other = api.token("simunitfails").await;
    let response = api.post("simunitsucceeds", "run", &body(&other)).await;
    assert_bad_request(response, TOKEN_INVALID).await;
    // Still good for its own unit.
    api.run_with("simunitfails", &other).await;
}

#[tokio::test]
async fn a_token_runs_once() {
    let api = Api::default().await;
    let (token, _) = api.run("simunitsucceeds").await;
    let response = api.post("simunitsucceeds", "run", &body(&token)).await;
    assert_bad_request(response, TOKEN_USED).await;
    assert_eq!(api.sim.task_ids("simunitsucceeds").len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_token_expires_after_ten_minutes() {
    let api = Api::default().await;
    let first = api.token("simunitsucceeds").await;
    let second = api.token("simunitsucceeds").await;
    let third = api.token("simunitsucceeds").await;
    tokio::time::sleep(Duration::from_secs(600)).await;
    // Exactly ten minutes old is not "more than 10 minutes".
    api.run_with("simunitsucceeds", &first).await;
    tokio::time::sleep(Duration::from_millis(1)).await;
    let response = api.post("simunitsucceeds", "run", &body(&second)).await;
    assert_bad_request(response, TOKEN_OLD).await;
    // Used and expired: "used" answers.
    let response = api.post("simunitsucceeds", "run", &body(&first)).await;
    assert_bad_request(response, TOKEN_USED).await;
    tokio::time::sleep(Duration::from_secs(3600)).await;
    let response = api.post("simunitsucceeds", "run", &body(&third)).await;
    assert_bad_request(response, TOKEN_OLD).await;
}

#[tokio::test(start_paused = true)]
async fn token_lifetime_is_configurable() {
    let config = jobrun_sim::krewdata::KrewdataConfig::new().token_ttl(Duration::from_secs(30));
    let api = Api::start(config).await;
    let token = api.token("simunitsucceeds").await;
    tokio::time::sleep(Duration::from_secs(31)).await;
    let response = api.post("simunitsucceeds", "run", &body(&token)).await;
    // The description keeps the documented wording whatever the lifetime.
    assert_bad_request(response, TOKEN_OLD).await;
}

#[tokio::test]
async fn unit_changed_after_the_token_was_issued() {
    let api = Api::default().await;
    let unit = || Unit::new("changing").flow("f", Duration::from_secs(1));
    api.sim.set_unit("changing", unit());
    let token = api.token("changing").await;
    api.sim.set_unit("changing", unit().enabled(false));
    assert!(api.sim.is_unit_disabled("changing"));
    assert_bad_request(api.post("changing", "run", &body(&token)).await, UNIT).await;
    api.sim
        .set_unit("changing", unit().method(ExecutionMethod::KrewSheet));
    assert!(!api.sim.is_unit_disabled("changing"));
    assert_bad_request(
        api.post("changing", "run", &body(&token)).await,
        REQUEST_TYPE,
    )
    .await;
    api.sim.set_unit("changing", unit());
    api.run_with("changing", &token).await;
}

#[tokio::test]
async fn run_on_units_the_api_cannot_run() {
    let api = Api::default().await;
    for (unit, description) in [
        ("simunitdisabled", UNIT),
        ("simunitnoflows", UNIT),
        ("simunitwebhook", REQUEST_TYPE),
        ("simunitkrewsheet", REQUEST_TYPE),
    ] {
        let response = api.post(unit, "run", &body("abcdefg1234567")).await;
        assert_bad_request(response, description).await;
    }
    let response = api.post("nosuchunit", "run", &body("abcdefg1234567")).await;
    assert_bad_request(response, "Request path is invalid.").await;
}
