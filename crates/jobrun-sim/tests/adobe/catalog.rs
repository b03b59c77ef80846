use std::time::Duration;

use jobrun_sim::adobe::{
    AdobeConfig, DEFAULT_TECHNICAL_ACCOUNT_ID, FAILING_SCHEDULE_ID, NIGHTLY_SCHEDULE_ID,
    RETIRED_SCHEDULE_ID, RunScript, SAMPLE_SCHEDULE_ID, SLOW_SCHEDULE_ID, Schedule,
};
use serde_json::Value;

use crate::common::{Api, FAILING, NIGHTLY, RETIRED, SAMPLE, SLOW, decode_run_id, ids, json_ok};

fn run_states(list: &Value) -> Vec<&str> {
    list["runsSchedules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|run| run["state"].as_str().unwrap())
        .collect()
}

#[test]
fn published_ids_are_the_catalog_ones() {
    assert_eq!(SAMPLE_SCHEDULE_ID, SAMPLE);
    assert_eq!(NIGHTLY_SCHEDULE_ID, NIGHTLY);
    assert_eq!(FAILING_SCHEDULE_ID, FAILING);
    assert_eq!(RETIRED_SCHEDULE_ID, RETIRED);
    assert_eq!(SLOW_SCHEDULE_ID, SLOW);
}

#[tokio::test]
async fn default_catalog() {
    let api = Api::default().await;
    let token = api.token().await;
    let list = json_ok(api.get("/schedules", &token).await, 200).await;
    assert_eq!(
        ids(&list, "schedules"),
        [FAILING, SAMPLE, SLOW, NIGHTLY, RETIRED]
    );
    let by_id = |id: &str| {
        list["schedules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(by_id(RETIRED)["state"], "DISABLED");
    for id in [FAILING, SAMPLE, SLOW, NIGHTLY] {
        assert_eq!(by_id(id)["state"], "ENABLED");
    }
    assert_eq!(by_id(SAMPLE)["query"]["name"], "Sample Scheduled Query");
    assert_eq!(by_id(SAMPLE)["userId"], DEFAULT_TECHNICAL_ACCOUNT_ID);
    assert_eq!(by_id(FAILING)["userId"], "2B4D6F8A1C3E5A7C9E1B3D5F@AdobeID");
    assert_eq!(by_id(NIGHTLY)["schedule"]["schedule"], "@daily");

    let sample = api.runs(&token, SAMPLE, "").await;
    assert_eq!(run_states(&sample), ["SUCCESS"; 4]);
    let decoded: Vec<String> = ids(&sample, "runsSchedules")
        .iter()
        .map(|id| decode_run_id(id))
        .collect();
    assert!(decoded[0].starts_with("manual__"), "{decoded:?}");
    for scheduled in &decoded[1..] {
        assert!(scheduled.starts_with("scheduled__"), "{decoded:?}");
    }
    assert_eq!(
        run_states(&api.runs(&token, NIGHTLY, "").await),
        ["SUCCESS", "SUCCESS", "FAILED", "SUCCESS", "SUCCESS"]
    );
    assert_eq!(
        run_states(&api.runs(&token, FAILING, "").await),
        ["FAILED", "FAILED"]
    );
    assert_eq!(
        run_states(&api.runs(&token, SLOW, "").await),
        ["IN_PROGRESS"]
    );
    assert_eq!(
        run_states(&api.runs(&token, RETIRED, "").await),
        ["SUCCESS"]
    );
    // The nightly failure is its second task's.
    let failed = api
        .runs(&token, NIGHTLY, "property=state%3D%3DFAILED")
        .await;
    let id = failed["runsSchedules"][0]["id"].as_str().unwrap();
    let details = api.run(&token, NIGHTLY, id).await;
    assert_eq!(details["taskStatusList"][0]["state"], "SUCCESS");
    assert_eq!(details["taskStatusList"][1]["taskId"], "insert_into");
    assert_eq!(details["taskStatusList"][1]["state"], "FAILED");
    assert_eq!(details["taskStatusList"][1]["message"], "Processing Failed");
}

#[test]
fn display_lists_credentials_and_schedules() {
    let text = AdobeConfig::new().to_string();
    assert!(text.contains("POST /ims/token/v3"), "{text}");
    assert!(
        text.contains(jobrun_sim::adobe::DEFAULT_CLIENT_SECRET),
        "{text}"
    );
    assert!(text.contains("x-gw-ims-org-id: E95186D65A28ABF00A495D82@AdobeOrg"));
    assert!(text.contains("REGISTERING for 2s"), "{text}");
    for id in [FAILING, SAMPLE, SLOW, NIGHTLY, RETIRED] {
        assert!(text.contains(id), "{text}");
    }
    assert!(
        text.contains("\"Broken export\", ENABLED, 0 * * * *, runs: 2s → FAILED"),
        "{text}"
    );
    assert!(text.contains("\"Retired report\", DISABLED"), "{text}");
    let empty = AdobeConfig::empty().to_string();
    assert!(empty.ends_with("  (none)\n"), "{empty}");
}

#[tokio::test(start_paused = true)]
async fn preloaded_schedules_with_past_runs_and_generated_ids() {
    let api = Api::start(
        AdobeConfig::empty()
            .default_run(RunScript::new().lasts(Duration::from_secs(1)))
            .schedule(
                Schedule::new("Mine, too!", "SELECT 2;")
                    .max_active_runs(2)
                    .created_ago(Duration::from_secs(3600))
                    .past_run(Duration::from_secs(120), RunScript::new())
                    .past_run(
                        Duration::from_secs(1),
                        RunScript::new().lasts(Duration::from_secs(5)),
                    ),
            )
            .schedule(Schedule::new("Elsewhere", "SELECT 3;").sandbox("dev")),
    )
    .await;
    let token = api.token().await;
    let all = api.sim.schedule_ids();
    assert_eq!(all.len(), 2);
    assert!(all[0].contains("_mine_too"), "{all:?}");
    // Only the prod one is visible from prod.
    let list = json_ok(api.get("/schedules", &token).await, 200).await;
    assert_eq!(ids(&list, "schedules"), [all[0].clone()]);
    let schedule = &list["schedules"][0];
    assert_eq!(schedule["schedule"]["maxActiveRuns"], 2);
    let runs = api.runs(&token, &all[0], "").await;
    assert_eq!(run_states(&runs), ["IN_PROGRESS", "SUCCESS"]);
    // One slot left: one trigger fits, the next does not.
    assert_eq!(api.trigger(&token, &all[0]).await.status(), 202);
    assert_eq!(api.trigger(&token, &all[0]).await.status(), 400);
    tokio::time::sleep(Duration::from_secs(4)).await;
    let runs = api.runs(&token, &all[0], "").await;
    assert_eq!(run_states(&runs), ["SUCCESS", "SUCCESS", "SUCCESS"]);
}
