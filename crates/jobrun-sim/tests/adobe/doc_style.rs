use std::time::Duration;

use jobrun_sim::adobe::AdobeConfig;
use serde_json::{Value, json};

use crate::common::{Api, FAILING, NIGHTLY, SAMPLE, json_ok, key_order};

#[tokio::test]
async fn schedules_look_like_the_docs_sample() {
    let api = Api::start(AdobeConfig::new().doc_style_payloads(true)).await;
    let token = api.token().await;
    let text = api
        .get(&format!("/schedules/{SAMPLE}"), &token)
        .await
        .text()
        .await
        .unwrap();
    // The docs' sample, key for key.
    assert_eq!(
        key_order(&text),
        [
            "state",
            "query",
            "updatedUserId",
            "version",
            "id",
            "updated",
            "schedule",
            "userId",
            "created",
            "_links"
        ]
    );
    let schedule: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(schedule["version"], 2);
    // Epoch milliseconds, as strings: "1578523458919".
    let created = schedule["created"].as_str().unwrap();
    assert_eq!(created.len(), 13);
    assert!(created.parse::<u64>().is_ok());
    assert_eq!(schedule["updated"], created);
    assert_eq!(
        schedule["query"],
        json!({
            "dbName": "prod:all",
            "sql": "SELECT * FROM accounts;",
            "name": "Sample Scheduled Query",
            "description": "A sample of a scheduled query."
        })
    );
    assert_eq!(
        schedule["schedule"],
        json!({"schedule": "30 * * * *", "startDate": "2020-01-08T12:30:00.000Z", "maxActiveRuns": 1})
    );
    // An epoch-ms `created` is accepted back in filters.
    let list = json_ok(
        api.get(&format!("/schedules?property=created%3E{created}"), &token)
            .await,
        200,
    )
    .await;
    assert_eq!(list["schedules"][0]["id"], FAILING);
    assert_eq!(list["_page"]["count"], 1);
    // Paging metadata stays ISO, so next links work the same.
    assert!(list["_page"]["start"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test(start_paused = true)]
async fn runs_have_string_flags_lowercase_states_and_numeric_durations() {
    let api = Api::start(AdobeConfig::new().doc_style_payloads(true)).await;
    let token = api.token().await;
    let list = api.runs(&token, NIGHTLY, "limit=1").await;
    let summary = &list["runsSchedules"][0];
    assert_eq!(summary["externalTrigger"], "false");
    // The list keeps upper case, as the docs' list does.
    assert_eq!(summary["state"], "SUCCESS");
    // To the second, with Z.
    assert_eq!(summary["created"].as_str().unwrap().len(), 20);
    assert_eq!(
        summary["_links"]["cancel"]["body"],
        "{ \"op\": \"cancel\" }"
    );
    let id = summary["id"].as_str().unwrap();
    let details = api.run(&token, NIGHTLY, id).await;
    assert_eq!(details["state"], "success");
    assert_eq!(details["externalTrigger"], "false");
    let created = details["created"].as_str().unwrap();
    assert_eq!(created.len(), 19, "no zone: {created}");
    let task = &details["taskStatusList"][1];
    assert_eq!(task["duration"], 2);
    assert_eq!(task["state"], "SUCCESS");
    let end = task["endDate"].as_str().unwrap();
    assert_eq!(end.len(), 26, "microseconds, no zone: {end}");

    // A triggered one: "true", then "in_progress" and "failed" in details.
    api.trigger(&token, FAILING).await;
    let newest = api.newest_run(&token, FAILING).await;
    assert_eq!(newest["externalTrigger"], "true");
    let id = newest["id"].as_str().unwrap().to_owned();
    assert_eq!(api.run(&token, FAILING, &id).await["state"], "in_progress");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let failed = api.run(&token, FAILING, &id).await;
    assert_eq!(failed["state"], "failed");
    assert_eq!(failed["taskStatusList"][0]["duration"], 2);
    // Filters compare states whatever their case.
    let filtered = api
        .runs(&token, FAILING, "property=state%3D%3Dfailed")
        .await;
    assert_eq!(filtered["_page"]["count"], 3);
}

#[tokio::test]
async fn spec_style_is_the_default() {
    let api = Api::default().await;
    let token = api.token().await;
    let schedule = api.schedule(&token, SAMPLE).await;
    assert!(schedule.get("version").is_none());
    assert!(schedule["created"].as_str().unwrap().ends_with('Z'));
    let summary = api.newest_run(&token, SAMPLE).await;
    assert_eq!(summary["externalTrigger"], true);
    assert!(summary["_links"]["cancel"].get("body").is_none());
    let details = api
        .run(&token, SAMPLE, summary["id"].as_str().unwrap())
        .await;
    assert_eq!(details["state"], "SUCCESS");
    assert_eq!(details["taskStatusList"][0]["duration"], "120");
}
