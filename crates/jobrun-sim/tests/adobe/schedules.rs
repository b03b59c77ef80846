use std::time::Duration;

use chrono::DateTime;
use jobrun_sim::adobe::{AdobeConfig, DEFAULT_TECHNICAL_ACCOUNT_ID};
use serde_json::{Value, json};

use crate::common::{
    Api, RETIRED, SAMPLE, SLOW, assert_message, create_body, json_ok, key_order, keys,
};

const INACTIVE: &str = "Schedule is in Inactive state. Please try after sometime.";
const ALREADY: &str = "Schedule already in the state request";
const PATCHED: &str = "Request to patch accepted";
const DISABLE_FIRST: &str = "Please disable the schedule before requesting delete operation";
const ACTIVE_RUNS: &str = "There are active run(s) for this schedule, please wait for completion before requesting delete operation";
const TRIGGER_DISABLED: &str = "Schedule is disabled. Immediate run cannot be triggered";

fn iso_ms(value: &Value) -> i64 {
    let text = value.as_str().unwrap();
    assert_eq!(text.len(), 24, "{text}");
    assert!(text.ends_with('Z'), "{text}");
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .timestamp_millis()
}

#[tokio::test(start_paused = true)]
async fn create_answers_202_registering_then_enabled() {
    let api = Api::default().await;
    let token = api.token().await;
    let response = api
        .post_json("/schedules", &token, &create_body("Sample Scheduled Query"))
        .await;
    assert_eq!(response.status(), 202);
    let text = response.text().await.unwrap();
    // The docs' order; no created/updated in the answer to POST (the spec says so).
    assert_eq!(
        key_order(&text),
        [
            "state",
            "query",
            "updatedUserId",
            "id",
            "schedule",
            "userId",
            "_links"
        ]
    );
    let created: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(created["state"], "REGISTERING");
    assert_eq!(
        created["query"],
        json!({
            "dbName": "prod:all",
            "sql": "SELECT * FROM accounts;",
            "name": "Sample Scheduled Query",
            "description": "A sample of a scheduled query."
        })
    );
    assert_eq!(
        created["schedule"],
        json!({"schedule": "30 * * * *", "startDate": "2020-01-08T12:30:00.000Z", "maxActiveRuns": 1})
    );
    assert_eq!(created["userId"], DEFAULT_TECHNICAL_ACCOUNT_ID);
    assert_eq!(created["updatedUserId"], DEFAULT_TECHNICAL_ACCOUNT_ID);
    // Shaped like the docs' id: org, uuid, name, random parts.
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("e95186d65a28abf00a495d82_"), "{id}");
    let parts: Vec<&str> = id.splitn(3, '_').collect();
    assert_eq!(parts[1].len(), 36, "{id}");
    assert!(parts[2].starts_with("sample_scheduled_query"), "{id}");
    let url = api.url(&format!("/schedules/{id}"));
    assert_eq!(
        created["_links"],
        json!({
            "enable": {"href": url, "method": "PATCH", "body": "{ \"op\": \"enable\" }"},
            "runs": {"href": format!("{url}/runs"), "method": "GET"},
            "self": {"href": url, "method": "GET"},
            "delete": {"href": url, "method": "DELETE"},
            "disable": {"href": url, "method": "PATCH", "body": "{ \"op\": \"disable\" }"},
            "trigger": {"href": format!("{url}/runs"), "method": "POST"}
        })
    );
    assert_eq!(
        keys(&created["_links"]),
        ["delete", "disable", "enable", "runs", "self", "trigger"]
    );

    // GET shows created/updated; still REGISTERING for 2 s.
    tokio::time::sleep(Duration::from_millis(1900)).await;
    let registering = api.schedule(&token, id).await;
    assert_eq!(registering["state"], "REGISTERING");
    assert_eq!(keys(&registering).len(), 9, "{registering}");
    let created_at = iso_ms(&registering["created"]);
    assert_eq!(iso_ms(&registering["updated"]), created_at);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let enabled = api.schedule(&token, id).await;
    assert_eq!(enabled["state"], "ENABLED");
    // Listed first: newest created.
    let list = json_ok(api.get("/schedules?limit=1", &token).await, 200).await;
    assert_eq!(list["schedules"][0]["id"], id);
}

#[tokio::test]
async fn create_keeps_the_documented_query_fields_and_schedule_options() {
    let api = Api::default().await;
    let token = api.token().await;
    let body = json!({
        "query": {
            "dbName": "prod:all",
            "templateId": "t-123",
            "name": "From a template",
            "queryParameters": {"key": "value"},
            "ctasParameters": {"datasetName": "out", "description": "d"},
            "unknown": "dropped"
        },
        "schedule": {
            "schedule": "@daily",
            "startDate": "2024-01-01T00:00:00Z",
            "endDate": "2025-01-01T00:00:00Z",
            "maxActiveRuns": 3
        }
    });
    let created = json_ok(api.post_json("/schedules", &token, &body).await, 202).await;
    assert_eq!(
        created["query"],
        json!({
            "dbName": "prod:all",
            "name": "From a template",
            "templateId": "t-123",
            "queryParameters": {"key": "value"},
            "ctasParameters": {"datasetName": "out", "description": "d"}
        })
    );
    assert_eq!(
        created["schedule"],
        json!({"schedule": "@daily", "startDate": "2024-01-01T00:00:00Z", "endDate": "2025-01-01T00:00:00Z", "maxActiveRuns": 3})
    );
}

#[tokio::test]
async fn malformed_create_bodies_are_refused() {
    let api = Api::default().await;
    let token = api.token().await;
    let valid = create_body("x");
    let with = |pointer: &str, value: Value| {
        let mut body = valid.clone();
        *body.pointer_mut(pointer).unwrap() = value;
        body
    };
    let without = |object: &str, key: &str| {
        let mut body = valid.clone();
        body[object].as_object_mut().unwrap().remove(key);
        body
    };
    let cases = [
        (json!([1]), "the body must be a JSON object"),
        (json!({"schedule": valid["schedule"]}), "query is required"),
        (json!({"query": valid["query"]}), "schedule is required"),
        (with("/query", json!("SELECT 1")), "query must be an object"),
        (without("query", "dbName"), "query.dbName is required"),
        (
            without("query", "sql"),
            "query.sql or query.templateId is required",
        ),
        (with("/query/sql", json!(42)), "query.sql must be a string"),
        (
            without("schedule", "schedule"),
            "schedule.schedule is required",
        ),
        (
            with("/schedule/schedule", json!("every hour")),
            "schedule.schedule is not a cron expression: \"every hour\"",
        ),
        (
            without("schedule", "startDate"),
            "schedule.startDate is required",
        ),
        (
            with("/schedule/startDate", json!("tomorrow")),
            "schedule.startDate is not a timestamp: \"tomorrow\"",
        ),
        (
            {
                let mut body = valid.clone();
                body["schedule"]["maxActiveRuns"] = json!(0);
                body
            },
            "schedule.maxActiveRuns must be a whole number from 1",
        ),
    ];
    for (body, detail) in cases {
        assert_message(
            api.post_json("/schedules", &token, &body).await,
            400,
            &format!("The payload is malformed: {detail}"),
        )
        .await;
    }
    let response = api
        .authed(api.client.post(api.url("/schedules")), &token)
        .header("Content-Type", "application/json")
        .body("{\"query\":")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("The payload is malformed: the body is not JSON")
    );
    assert_eq!(api.sim.schedule_ids().len(), 5);
}

#[tokio::test(start_paused = true)]
async fn patch_state_rules() {
    let api = Api::default().await;
    let token = api.token().await;
    let created = api.create(&token, "Toggle me").await;
    let id = created["id"].as_str().unwrap().to_owned();
    // While REGISTERING every patch is refused, as is a trigger.
    assert_message(api.set_state(&token, &id, "disable").await, 400, INACTIVE).await;
    let cron =
        json!({"body": [{"op": "replace", "path": "/schedule/schedule", "value": "45 * * * *"}]});
    assert_message(
        api.patch_json(&format!("/schedules/{id}"), &token, &cron)
            .await,
        400,
        INACTIVE,
    )
    .await;
    assert_message(api.trigger(&token, &id).await, 400, INACTIVE).await;
    tokio::time::sleep(Duration::from_secs(2)).await;

    assert_message(api.set_state(&token, &id, "enable").await, 400, ALREADY).await;
    let before = api.schedule(&token, &id).await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_message(api.set_state(&token, &id, "disable").await, 202, PATCHED).await;
    let disabled = api.schedule(&token, &id).await;
    assert_eq!(disabled["state"], "DISABLED");
    assert_eq!(disabled["created"], before["created"]);
    assert!(iso_ms(&disabled["updated"]) >= iso_ms(&before["updated"]) + 5000);
    assert_message(api.set_state(&token, &id, "disable").await, 400, ALREADY).await;
    assert_message(api.trigger(&token, &id).await, 400, TRIGGER_DISABLED).await;
    assert_message(api.set_state(&token, &id, "enable").await, 202, PATCHED).await;
    assert_eq!(api.schedule(&token, &id).await["state"], "ENABLED");

    // The cron expression.
    assert_message(
        api.patch_json(&format!("/schedules/{id}"), &token, &cron)
            .await,
        202,
        PATCHED,
    )
    .await;
    assert_eq!(
        api.schedule(&token, &id).await["schedule"]["schedule"],
        "45 * * * *"
    );
    // Several operations: all checked first, so a bad second one changes nothing.
    let mixed = json!({"body": [
        {"op": "replace", "path": "/schedule/schedule", "value": "@hourly"},
        {"op": "replace", "path": "/state", "value": "enable"}
    ]});
    assert_message(
        api.patch_json(&format!("/schedules/{id}"), &token, &mixed)
            .await,
        400,
        ALREADY,
    )
    .await;
    assert_eq!(
        api.schedule(&token, &id).await["schedule"]["schedule"],
        "45 * * * *"
    );
}

#[tokio::test]
async fn malformed_patches_are_refused() {
    let api = Api::default().await;
    let token = api.token().await;
    let path = format!("/schedules/{SAMPLE}");
    let cases = [
        (
            json!([{"op": "replace", "path": "/state", "value": "disable"}]),
            "the body must be a JSON object",
        ),
        (json!({"body": []}), "body must hold at least one operation"),
        (
            json!({"op": "disable"}),
            "body is required: {\"body\":[{\"op\":\"replace\",…}]}",
        ),
        (
            json!({"body": [{"op": "add", "path": "/state", "value": "disable"}]}),
            "Unsupported op: \"add\" (replace)",
        ),
        (
            json!({"body": [{"op": "replace", "path": "/query/sql", "value": "x"}]}),
            "Unsupported path: \"/query/sql\" (/state or /schedule/schedule)",
        ),
        (
            json!({"body": [{"op": "replace", "path": "/state", "value": "DISABLED"}]}),
            "Invalid value for /state: \"DISABLED\" (enable or disable)",
        ),
        (
            json!({"body": [{"op": "replace", "path": "/schedule/schedule", "value": "hourly"}]}),
            "Invalid value for /schedule/schedule: \"hourly\" (a cron expression)",
        ),
    ];
    for (body, message) in cases {
        assert_message(api.patch_json(&path, &token, &body).await, 400, message).await;
    }
    assert_message(
        api.set_state(&token, "nope", "disable").await,
        404,
        "Schedule not found: nope",
    )
    .await;
    assert_eq!(api.schedule(&token, SAMPLE).await["state"], "ENABLED");
}

#[tokio::test(start_paused = true)]
async fn delete_needs_disabled_and_no_active_run() {
    let api = Api::default().await;
    let token = api.token().await;
    let path = format!("/schedules/{SLOW}");
    // ENABLED: refused.
    assert_message(api.delete(&path, &token).await, 400, DISABLE_FIRST).await;
    // DISABLED but its 10-minute run is still going.
    assert_message(api.set_state(&token, SLOW, "disable").await, 202, PATCHED).await;
    assert_message(api.delete(&path, &token).await, 400, ACTIVE_RUNS).await;
    tokio::time::sleep(Duration::from_secs(9 * 60)).await;
    assert_message(
        api.delete(&path, &token).await,
        202,
        "Schedule deleted successfully",
    )
    .await;
    assert_message(
        api.get(&path, &token).await,
        404,
        &format!("Schedule not found: {SLOW}"),
    )
    .await;
    assert_message(
        api.get(&format!("{path}/runs"), &token).await,
        404,
        &format!("Schedule not found: {SLOW}"),
    )
    .await;
    assert_message(
        api.delete(&path, &token).await,
        404,
        &format!("Schedule not found: {SLOW}"),
    )
    .await;
    assert_eq!(api.sim.schedule_ids().len(), 4);
    // A schedule still REGISTERING is not DISABLED either.
    let created = api.create(&token, "Too new").await;
    let new_path = format!("/schedules/{}", created["id"].as_str().unwrap());
    assert_message(api.delete(&new_path, &token).await, 400, DISABLE_FIRST).await;
    // The catalog's disabled schedule goes at once.
    assert_message(
        api.delete(&format!("/schedules/{RETIRED}"), &token).await,
        202,
        "Schedule deleted successfully",
    )
    .await;
}

#[tokio::test(start_paused = true)]
async fn registering_delay_is_configurable() {
    let api = Api::start(AdobeConfig::empty().registering_for(Duration::ZERO)).await;
    let token = api.token().await;
    let created = api.create(&token, "Instant").await;
    assert_eq!(created["state"], "ENABLED");
    let api = Api::start(AdobeConfig::empty().registering_for(Duration::from_secs(30))).await;
    let token = api.token().await;
    let created = api.create(&token, "Slow").await;
    let id = created["id"].as_str().unwrap();
    tokio::time::sleep(Duration::from_secs(29)).await;
    assert_eq!(api.schedule(&token, id).await["state"], "REGISTERING");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(api.schedule(&token, id).await["state"], "ENABLED");
}
