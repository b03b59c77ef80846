use std::time::Duration;

use chrono::DateTime;
use jobrun_sim::adobe::{AdobeConfig, RunScript, Schedule};
use serde_json::{Value, json};
use tokio::time::{Instant, sleep_until};

use crate::common::{
    Api, FAILING, NIGHTLY, SAMPLE, SLOW, assert_message, decode_run_id, json_ok, key_order, keys,
};

const TRIGGERED: &str = "Request to trigger run of a scheduled query accepted.";
const CANCELLED: &str = "Request to cancel run of a scheduled query accepted";

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

fn states(run: &Value) -> Vec<&str> {
    run["taskStatusList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|task| task["state"].as_str().unwrap())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn a_triggered_run_goes_in_progress_then_success_with_its_tasks() {
    let api = Api::default().await;
    let token = api.token().await;
    let start = Instant::now();
    // The nightly rollup: prepare 1 s, insert_into 2 s.
    let response = api.trigger(&token, NIGHTLY).await;
    assert_eq!(response.status(), 202);
    assert_eq!(response.headers()["content-type"], "application/json");
    // The exact documented body, and no run id anywhere.
    assert_eq!(
        response.text().await.unwrap(),
        format!(r#"{{"message":"{TRIGGERED}","statusCode":202}}"#)
    );
    assert_eq!(api.sim.run_count(NIGHTLY), 6);

    // The client finds its run: newest first, externalTrigger true.
    let newest = api.newest_run(&token, NIGHTLY).await;
    assert_eq!(
        keys(&newest),
        ["_links", "created", "externalTrigger", "id", "state"]
    );
    assert_eq!(newest["externalTrigger"], true);
    assert_eq!(newest["state"], "IN_PROGRESS");
    let id = newest["id"].as_str().unwrap().to_owned();
    let decoded = decode_run_id(&id);
    // manual__ + the trigger time, to the microsecond, in UTC.
    let stamp = decoded.strip_prefix("manual__").unwrap();
    assert_eq!(stamp.len(), 32, "{decoded}");
    let triggered = DateTime::parse_from_rfc3339(stamp).unwrap();
    let created = DateTime::parse_from_rfc3339(newest["created"].as_str().unwrap()).unwrap();
    assert_eq!(triggered, created);
    let run_url = api.url(&format!("/schedules/{NIGHTLY}/runs/{id}"));
    assert_eq!(
        newest["_links"],
        json!({"self": {"href": run_url, "method": "GET"}, "cancel": {"href": run_url, "method": "PATCH"}})
    );

    sleep_until(start + ms(500)).await;
    let text = api
        .get(&format!("/schedules/{NIGHTLY}/runs/{id}"), &token)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        key_order(&text),
        [
            "created",
            "state",
            "taskStatusList",
            "id",
            "scheduleId",
            "externalTrigger",
            "_links"
        ]
    );
    let running: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(running["state"], "IN_PROGRESS");
    assert_eq!(running["scheduleId"], NIGHTLY);
    assert_eq!(running["id"], id.as_str());
    assert_eq!(running["externalTrigger"], true);
    assert_eq!(states(&running), ["IN_PROGRESS", "QUEUED"]);
    let first = &running["taskStatusList"][0];
    assert_eq!(keys(first), ["startDate", "state", "taskId"]);
    assert_eq!(first["taskId"], "prepare");
    let second = &running["taskStatusList"][1];
    assert_eq!(keys(second), ["state", "taskId"]);

    sleep_until(start + ms(1500)).await;
    let running = api.run(&token, NIGHTLY, &id).await;
    assert_eq!(states(&running), ["SUCCESS", "IN_PROGRESS"]);
    let first = &running["taskStatusList"][0];
    assert_eq!(first["message"], "Finished execution.");
    assert_eq!(first["duration"], "1");

    sleep_until(start + ms(3000)).await;
    let done = api.run(&token, NIGHTLY, &id).await;
    assert_eq!(done["state"], "SUCCESS");
    assert_eq!(states(&done), ["SUCCESS", "SUCCESS"]);
    let last = &done["taskStatusList"][1];
    assert_eq!(
        keys(last).len(),
        6,
        "taskId, state, message, startDate, endDate, duration: {last}"
    );
    assert_eq!(last["duration"], "2");
    // Task dates: microseconds and Z, one after the other.
    let date = |value: &Value| DateTime::parse_from_rfc3339(value.as_str().unwrap()).unwrap();
    assert_eq!(last["endDate"].as_str().unwrap().len(), 27);
    assert_eq!(
        date(&last["startDate"]),
        date(&done["taskStatusList"][0]["endDate"])
    );
    assert_eq!(
        (date(&last["endDate"]) - date(&last["startDate"])).num_milliseconds(),
        2000
    );
    assert_eq!(api.newest_run(&token, NIGHTLY).await["state"], "SUCCESS");
}

#[tokio::test(start_paused = true)]
async fn the_failing_schedule_fails_with_its_message() {
    let api = Api::default().await;
    let token = api.token().await;
    assert_eq!(api.trigger(&token, FAILING).await.status(), 202);
    let id = api.newest_run(&token, FAILING).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    tokio::time::sleep(ms(1999)).await;
    assert_eq!(api.run(&token, FAILING, &id).await["state"], "IN_PROGRESS");
    tokio::time::sleep(ms(1)).await;
    let failed = api.run(&token, FAILING, &id).await;
    assert_eq!(failed["state"], "FAILED");
    let task = &failed["taskStatusList"][0];
    assert_eq!(task["state"], "FAILED");
    assert_eq!(
        task["message"],
        "Processing Failed: relation \"missing_table\" does not exist"
    );
    // The implicit task's id: 10 letters and digits, like the spec's `0tx2JTP56S`.
    let task_id = task["taskId"].as_str().unwrap();
    assert_eq!(task_id.len(), 10);
    assert!(task_id.chars().all(|c| c.is_ascii_alphanumeric()));
}

#[tokio::test(start_paused = true)]
async fn max_active_runs_refuses_an_extra_trigger() {
    let api = Api::default().await;
    let token = api.token().await;
    // The slow schedule's 10-minute run started a minute before the simulator.
    assert_message(
        api.trigger(&token, SLOW).await,
        400,
        "Schedule has reached its maximum number of active runs (1). Immediate run cannot be triggered",
    )
    .await;
    assert_eq!(api.sim.run_count(SLOW), 1);
    tokio::time::sleep(Duration::from_secs(9 * 60)).await;
    assert_eq!(api.trigger(&token, SLOW).await.status(), 202);
    assert_eq!(api.sim.run_count(SLOW), 2);

    // With maxActiveRuns 2, two at once; the third waits.
    let created = json_ok(
        api.post_json(
            "/schedules",
            &token,
            &json!({
                "query": {"dbName": "prod:all", "sql": "SELECT 1;"},
                "schedule": {"schedule": "@hourly", "startDate": "2024-01-01", "maxActiveRuns": 2}
            }),
        )
        .await,
        202,
    )
    .await;
    let id = created["id"].as_str().unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(api.trigger(&token, id).await.status(), 202);
    assert_eq!(api.trigger(&token, id).await.status(), 202);
    assert_eq!(api.trigger(&token, id).await.status(), 400);
    // Same instant, yet distinct ids.
    let runs = api.runs(&token, id, "").await;
    let ids = crate::common::ids(&runs, "runsSchedules");
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(api.trigger(&token, id).await.status(), 202);
}

#[tokio::test(start_paused = true)]
async fn cancel_stops_a_run_in_the_configured_state() {
    let api = Api::default().await;
    let token = api.token().await;
    let runs = api
        .runs(&token, SLOW, "property=state%3D%3DIN_PROGRESS")
        .await;
    let id = runs["runsSchedules"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/schedules/{SLOW}/runs/{id}");
    let response = api
        .patch_json(&path, &token, &json!({"op": "cancel"}))
        .await;
    assert_message(response, 202, CANCELLED).await;
    let cancelled = api.run(&token, SLOW, &id).await;
    assert_eq!(cancelled["state"], "CANCELLED");
    let task = &cancelled["taskStatusList"][0];
    assert_eq!(task["state"], "CANCELLED");
    assert_eq!(task["message"], "Run cancelled by request.");
    assert!(task["endDate"].is_string());
    // It no longer counts as active: a new trigger is accepted, the old one cannot be
    // cancelled again.
    assert_message(
        api.patch_json(&path, &token, &json!({"op": "cancel"}))
            .await,
        400,
        "Run is not in progress (CANCELLED). Only a run in progress can be cancelled",
    )
    .await;
    assert_eq!(api.trigger(&token, SLOW).await.status(), 202);
    // A run that ended cannot be cancelled either.
    let ended = api.runs(&token, SAMPLE, "limit=1").await["runsSchedules"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_message(
        api.patch_json(
            &format!("/schedules/{SAMPLE}/runs/{ended}"),
            &token,
            &json!({"op": "cancel"}),
        )
        .await,
        400,
        "Run is not in progress (SUCCESS). Only a run in progress can be cancelled",
    )
    .await;
    // Bad bodies and unknown runs.
    for (body, message) in [
        (json!({"op": "stop"}), "Unsupported op: \"stop\" (cancel)"),
        (json!({}), "op is required: {\"op\":\"cancel\"}"),
    ] {
        assert_message(api.patch_json(&path, &token, &body).await, 400, message).await;
    }
    assert_message(
        api.patch_json(
            &format!("/schedules/{SLOW}/runs/bm9wZQ=="),
            &token,
            &json!({"op": "cancel"}),
        )
        .await,
        404,
        "Run not found: bm9wZQ==",
    )
    .await;
    assert_message(
        api.get(&format!("/schedules/{SLOW}/runs/bm9wZQ%3D%3D"), &token)
            .await,
        404,
        "Run not found: bm9wZQ==",
    )
    .await;
}

#[tokio::test(start_paused = true)]
async fn cancel_state_is_configurable_and_freezes_tasks() {
    let script = RunScript::new()
        .task("first", Duration::from_secs(1), "SUCCESS")
        .task("second", Duration::from_secs(5), "SUCCESS")
        .task("third", Duration::from_secs(1), "SUCCESS");
    let api = Api::start(
        AdobeConfig::empty()
            .cancel_state("KILLED")
            .schedule(Schedule::new("three", "SELECT 3;").id("three").runs(script)),
    )
    .await;
    let token = api.token().await;
    api.trigger(&token, "three").await;
    let id = api.newest_run(&token, "three").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let path = format!("/schedules/three/runs/{id}");
    api.patch_json(&path, &token, &json!({"op": "cancel"}))
        .await;
    tokio::time::sleep(Duration::from_secs(10)).await;
    let run = api.run(&token, "three", &id).await;
    assert_eq!(run["state"], "KILLED");
    assert_eq!(states(&run), ["SUCCESS", "KILLED", "KILLED"]);
    assert!(run["taskStatusList"][2].get("startDate").is_none());
    assert_eq!(run["taskStatusList"][1]["duration"], "1");
    let listed = api
        .runs(&token, "three", "property=state%3D%3DKILLED")
        .await;
    assert_eq!(listed["runsSchedules"][0]["state"], "KILLED");
}

#[tokio::test(start_paused = true)]
async fn scheduled_runs_added_by_a_test_are_told_apart_from_triggered_ones() {
    let api = Api::default().await;
    let token = api.token().await;
    assert_eq!(api.trigger(&token, SAMPLE).await.status(), 202);
    tokio::time::sleep(Duration::from_millis(10)).await;
    // The scheduler fires right after the trigger: the newest run is not ours.
    let scheduled = api
        .sim
        .add_run(SAMPLE, RunScript::new().lasts(Duration::from_secs(60)))
        .unwrap();
    let decoded = decode_run_id(&scheduled);
    assert!(decoded.starts_with("scheduled__"), "{decoded}");
    assert!(decoded.ends_with(":00+00:00"), "{decoded}");
    let newest = api.newest_run(&token, SAMPLE).await;
    assert_eq!(newest["id"], scheduled.as_str());
    assert_eq!(newest["externalTrigger"], false);
    let ours = api
        .runs(&token, SAMPLE, "property=externalTrigger%3D%3Dtrue&limit=1")
        .await;
    let ours = &ours["runsSchedules"][0];
    assert!(decode_run_id(ours["id"].as_str().unwrap()).starts_with("manual__"));
    assert_eq!(ours["state"], "IN_PROGRESS");
    // Two scheduled runs in one minute still get distinct ids.
    let again = api.sim.add_run(SAMPLE, RunScript::new()).unwrap();
    assert_ne!(again, scheduled);
    assert_eq!(api.sim.add_run("nope", RunScript::new()), None);
    assert_eq!(api.sim.run_count(SAMPLE), 7);
}

#[tokio::test(start_paused = true)]
async fn run_scripts_can_change_while_running() {
    let api = Api::default().await;
    let token = api.token().await;
    assert!(api.sim.set_run_script(
        SAMPLE,
        RunScript::new().lasts(Duration::from_secs(1)).fails("boom")
    ));
    assert!(!api.sim.set_run_script("nope", RunScript::new()));
    api.trigger(&token, SAMPLE).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let newest = api.newest_run(&token, SAMPLE).await;
    assert_eq!(newest["state"], "FAILED");
}

#[tokio::test]
async fn unknown_schedules_and_runs_are_404() {
    let api = Api::default().await;
    let token = api.token().await;
    assert_message(
        api.trigger(&token, "nope").await,
        404,
        "Schedule not found: nope",
    )
    .await;
    assert_message(
        api.get("/schedules/nope/runs", &token).await,
        404,
        "Schedule not found: nope",
    )
    .await;
    assert_message(
        api.get(&format!("/schedules/{SAMPLE}/runs/abc"), &token)
            .await,
        404,
        "Run not found: abc",
    )
    .await;
}

#[tokio::test(start_paused = true)]
async fn the_default_run_of_new_schedules_succeeds_in_three_seconds() {
    let api = Api::start(AdobeConfig::empty()).await;
    let token = api.token().await;
    let created = api.create(&token, "Mine").await;
    let id = created["id"].as_str().unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(api.trigger(&token, id).await.status(), 202);
    let run_id = api.newest_run(&token, id).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    tokio::time::sleep(Duration::from_millis(2999)).await;
    assert_eq!(api.run(&token, id, &run_id).await["state"], "IN_PROGRESS");
    tokio::time::sleep(Duration::from_millis(1)).await;
    let done = api.run(&token, id, &run_id).await;
    assert_eq!(done["state"], "SUCCESS");
    assert_eq!(done["taskStatusList"][0]["duration"], "3");
}
