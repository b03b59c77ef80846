use std::time::{Duration, SystemTime};

use chrono::{NaiveDateTime, TimeZone};
use jobrun_sim::krewdata::Unit;
use serde_json::Value;
use tokio::time::{Instant, sleep_until};

use crate::common::{Api, key_order, keys};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// Parses `2020-12-01 09:00:00` (JST), asserting that exact form.
fn time(value: &Value) -> chrono::DateTime<chrono_tz::Tz> {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"));
    assert_eq!(text.len(), 19, "{text}");
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap();
    chrono_tz::Asia::Tokyo
        .from_local_datetime(&naive)
        .single()
        .unwrap()
}

fn seconds_between(from: &Value, to: &Value) -> i64 {
    (time(to) - time(from)).num_seconds()
}

fn flow_statuses(status: &Value) -> Vec<&str> {
    status["flowInfo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|flow| flow["status"].as_str().unwrap())
        .collect()
}

const WAITING_KEYS: [&str; 3] = ["flowExecUniqueKey", "flowName", "status"];
const TIMED_KEYS: [&str; 5] = [
    "endTime",
    "flowExecUniqueKey",
    "flowName",
    "startTime",
    "status",
];

#[tokio::test(start_paused = true)]
async fn successful_task_goes_queuing_running_success_with_per_flow_times() {
    let api = Api::default().await;
    let start = Instant::now();
    // simunitsucceeds: queue 1s, import-orders 1s, update-stock 2s.
    let (token, task) = api.run("simunitsucceeds").await;
    let poll = || api.status("simunitsucceeds", &token, &task);

    sleep_until(start + ms(500)).await;
    let queuing = poll().await;
    assert_eq!(keys(&queuing), ["code", "flowInfo", "status", "taskStatus"]);
    assert_eq!(queuing["taskStatus"], "Queuing");
    assert_eq!(flow_statuses(&queuing), ["Queuing", "Queuing"]);
    let flows = queuing["flowInfo"].as_array().unwrap();
    assert_eq!(flows[0]["flowName"], "import-orders");
    assert_eq!(flows[1]["flowName"], "update-stock");
    for flow in flows {
        assert_eq!(keys(flow), WAITING_KEYS);
        let key = flow["flowExecUniqueKey"].as_str().unwrap();
        assert_eq!(key.len(), 8);
        assert!(key.bytes().all(|b| b.is_ascii_digit()), "{key}");
    }
    assert_ne!(flows[0]["flowExecUniqueKey"], flows[1]["flowExecUniqueKey"]);

    sleep_until(start + ms(1500)).await;
    let first_running = poll().await;
    assert_eq!(first_running["taskStatus"], "Running");
    assert_eq!(flow_statuses(&first_running), ["Running", "Queuing"]);
    let running = &first_running["flowInfo"][0];
    assert_eq!(keys(running), TIMED_KEYS);
    assert_eq!(running["endTime"], "");
    time(&running["startTime"]);
    assert_eq!(keys(&first_running["flowInfo"][1]), WAITING_KEYS);

    sleep_until(start + ms(2500)).await;
    let second_running = poll().await;
    assert_eq!(second_running["taskStatus"], "Running");
    assert_eq!(flow_statuses(&second_running), ["Success", "Running"]);
    assert_eq!(second_running["flowInfo"][1]["endTime"], "");

    sleep_until(start + ms(4000)).await;
    let text = api
        .post(
            "simunitsucceeds",
            "status",
            &serde_json::json!({"accessToken": token, "taskId": task}),
        )
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        key_order(&text),
        ["code", "status", "taskStatus", "flowInfo"]
    );
    let done: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(done["taskStatus"], "Success");
    assert_eq!(flow_statuses(&done), ["Success", "Success"]);
    let (a, b) = (&done["flowInfo"][0], &done["flowInfo"][1]);
    assert_eq!(keys(a), TIMED_KEYS);
    assert_eq!(seconds_between(&a["startTime"], &a["endTime"]), 1);
    assert_eq!(a["endTime"], b["startTime"]);
    assert_eq!(seconds_between(&b["startTime"], &b["endTime"]), 2);
    assert_eq!(a["startTime"], running["startTime"]);
    // Keys stay the same from poll to poll.
    assert_eq!(a["flowExecUniqueKey"], flows[0]["flowExecUniqueKey"]);
    // The times are JST wall-clock times of now (the virtual clock ran 4s ahead).
    let end = SystemTime::from(time(&b["endTime"]).with_timezone(&chrono::Utc));
    let gap = match end.duration_since(SystemTime::now()) {
        Ok(ahead) => ahead,
        Err(behind) => behind.duration(),
    };
    assert!(gap < Duration::from_secs(30), "{gap:?}");

    // Success is terminal.
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(poll().await, done);
}

#[tokio::test(start_paused = true)]
async fn failing_flow_fails_the_task_and_cancels_the_rest() {
    let api = Api::default().await;
    let start = Instant::now();
    // simunitfails: queue 1s, import-orders 1.5s then Failure 33, update-stock Cancel.
    let (token, task) = api.run("simunitfails").await;
    sleep_until(start + ms(2000)).await;
    let running = api.status("simunitfails", &token, &task).await;
    assert_eq!(running["taskStatus"], "Running");
    assert!(running.get("errorCode").is_none());
    assert_eq!(flow_statuses(&running), ["Running", "Queuing"]);

    sleep_until(start + ms(2500)).await;
    let text = api
        .post(
            "simunitfails",
            "status",
            &serde_json::json!({"accessToken": token, "taskId": task}),
        )
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        key_order(&text),
        [
            "code",
            "status",
            "taskStatus",
            "errorCode",
            "errorMessage",
            "flowInfo"
        ]
    );
    let failed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(failed["taskStatus"], "Failure");
    assert_eq!(failed["errorCode"], "33");
    assert_eq!(
        failed["errorMessage"],
        "データ編集フローの設定が正しくありません。データ編集フローのエラーを修正してください。"
    );
    assert_eq!(flow_statuses(&failed), ["Failure", "Cancel"]);
    let broken = &failed["flowInfo"][0];
    assert_eq!(keys(broken), TIMED_KEYS);
    time(&broken["startTime"]);
    time(&broken["endTime"]);
    assert_eq!(keys(&failed["flowInfo"][1]), WAITING_KEYS);
}

#[tokio::test(start_paused = true)]
async fn never_ran_task_fails_after_the_queue_with_every_flow_canceled() {
    let api = Api::default().await;
    let start = Instant::now();
    // simunitneverran: queue 2s, then Failure 134 without running a flow.
    let (token, task) = api.run("simunitneverran").await;
    sleep_until(start + ms(1900)).await;
    let queuing = api.status("simunitneverran", &token, &task).await;
    assert_eq!(queuing["taskStatus"], "Queuing");
    assert_eq!(flow_statuses(&queuing), ["Queuing", "Queuing"]);
    sleep_until(start + ms(2000)).await;
    let failed = api.status("simunitneverran", &token, &task).await;
    assert_eq!(failed["taskStatus"], "Failure");
    assert_eq!(failed["errorCode"], "134");
    assert_eq!(
        failed["errorMessage"],
        "他のユーザーが実行単位を実行中です。この実行単位は同時実行が許可されていません。"
    );
    assert_eq!(flow_statuses(&failed), ["Cancel", "Cancel"]);
    for flow in failed["flowInfo"].as_array().unwrap() {
        assert_eq!(keys(flow), WAITING_KEYS);
    }
}

#[tokio::test(start_paused = true)]
async fn scripted_unit_and_replacement_affecting_only_new_tasks() {
    let api = Api::default().await;
    let unit = Unit::new("three")
        .queue(ms(100))
        .flow("a", ms(200))
        .flow("b", ms(300))
        .flow("c", ms(400))
        .fail_at(1, "E1", "flow b broke");
    api.sim.set_unit("threeflows", unit);
    let start = Instant::now();
    let (token, first) = api.run("threeflows").await;
    api.sim
        .set_unit("threeflows", Unit::new("one").flow("only", ms(50)));
    let second = api
        .run_with("threeflows", &api.token("threeflows").await)
        .await;

    sleep_until(start + ms(350)).await;
    let midway = api.status("threeflows", &token, &first).await;
    assert_eq!(flow_statuses(&midway), ["Success", "Running", "Queuing"]);
    sleep_until(start + ms(600)).await;
    let failed = api.status("threeflows", &token, &first).await;
    assert_eq!(failed["taskStatus"], "Failure");
    assert_eq!(failed["errorCode"], "E1");
    assert_eq!(failed["errorMessage"], "flow b broke");
    assert_eq!(flow_statuses(&failed), ["Success", "Failure", "Cancel"]);

    let replaced = api.status("threeflows", &token, &second).await;
    assert_eq!(replaced["taskStatus"], "Success");
    assert_eq!(replaced["flowInfo"][0]["flowName"], "only");
}

#[tokio::test(start_paused = true)]
async fn flow_keys_are_unique_across_tasks() {
    let api = Api::default().await;
    let mut seen = std::collections::HashSet::new();
    for _ in 0..5 {
        let (token, task) = api.run("simunitsucceeds").await;
        let status = api.status("simunitsucceeds", &token, &task).await;
        for flow in status["flowInfo"].as_array().unwrap() {
            assert!(seen.insert(flow["flowExecUniqueKey"].as_str().unwrap().to_owned()));
        }
    }
    assert_eq!(seen.len(), 10);
}
