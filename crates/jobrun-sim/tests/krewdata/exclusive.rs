use std::time::Duration;

use jobrun_sim::krewdata::{DEFAULT_USER, Unit};
use serde_json::json;
use tokio::time::{Instant, sleep_until};

use crate::common::{Api, error_body};

fn conflict(task: &str) -> String {
    let mut body = error_body(409, "Conflict", "Other User is running the execution unit.");
    body.pop();
    format!("{body},\"taskId\":\"{task}\"}}")
}

#[tokio::test(start_paused = true)]
async fn a_second_run_of_an_exclusive_unit_is_409_with_the_running_task() {
    let api = Api::default().await;
    let start = Instant::now();
    // simunitexclusive: queue 1s, two flows of 5s.
    let (_, running) = api.run("simunitexclusive").await;
    let waiting = api.token("simunitexclusive").await;
    let run = json!({"accessToken": waiting, "user": "someone@example.com", "appId": 123});

    for at in [0, 500, 6000, 10_900] {
        sleep_until(start + Duration::from_millis(at)).await;
        let response = api.post("simunitexclusive", "run", &run).await;
        assert_eq!(response.status(), 409, "at {at}ms");
        assert_eq!(response.headers()["content-type"], "application/json");
        assert_eq!(response.text().await.unwrap(), conflict(&running));
    }
    assert_eq!(api.sim.task_ids("simunitexclusive"), [running.as_str()]);

    // Once the task has ended, the same token runs: a 409 did not use it up.
    sleep_until(start + Duration::from_secs(11)).await;
    let next = api.run_with("simunitexclusive", &waiting).await;
    let third = api.token("simunitexclusive").await;
    let response = api
        .post(
            "simunitexclusive",
            "run",
            &json!({"accessToken": third, "user": DEFAULT_USER, "appId": "123"}),
        )
        .await;
    assert_eq!(response.text().await.unwrap(), conflict(&next));
}

#[tokio::test(start_paused = true)]
async fn a_failed_task_frees_an_exclusive_unit() {
    let api = Api::default().await;
    api.sim.set_unit(
        "exclusivefails",
        Unit::new("x")
            .exclusive(true)
            .flow("a", Duration::from_secs(2))
            .flow("b", Duration::from_secs(2))
            .fail_at(0, "33", "broken"),
    );
    let (token, first) = api.run("exclusivefails").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        api.status("exclusivefails", &token, &first).await["taskStatus"],
        "Failure"
    );
    api.run("exclusivefails").await;
}

#[tokio::test(start_paused = true)]
async fn units_that_are_not_exclusive_run_concurrently() {
    let api = Api::default().await;
    let (token, first) = api.run("simunitsucceeds").await;
    let (_, second) = api.run("simunitsucceeds").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    for task in [&first, &second] {
        let status = api.status("simunitsucceeds", &token, task).await;
        assert_eq!(status["taskStatus"], "Running");
    }
}
