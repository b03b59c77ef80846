use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{Api, assert_bad_request};

const SCHEMA: &str = "Status request body schema is wrong.";
const TOKEN_MISSING: &str = "accessToken is empty or accessToken cannot be found. Pay attention to the spelling of \"accessToken\".";
const TOKEN_TYPE: &str = "accessToken data type is wrong, should be string type.";
const TASK_MISSING: &str =
    "taskId is empty or taskId cannot be found. Pay attention to the spelling of \"taskId\".";
const TASK_TYPE: &str = "taskId data type is wrong, should be string type.";
const TOKEN_INVALID: &str = "Specified accessToken is invalid.";
const TASK_INVALID: &str = "Specified taskId is invalid.";

fn body(token: &str, task: &str) -> Value {
    json!({"accessToken": token, "taskId": task})
}

#[tokio::test]
async fn schema_missing_and_type_errors() {
    let api = Api::default().await;
    for raw in ["", "[]", "{\"accessToken\"", "true"] {
        assert_bad_request(api.post_raw("simunitsucceeds", "status", raw).await, SCHEMA).await;
    }
    let (t, task) = api.run("simunitsucceeds").await;
    let cases = [
        (json!({"taskId": task}), TOKEN_MISSING),
        (json!({"accessToken": "", "taskId": task}), TOKEN_MISSING),
        (json!({"accesstoken": t, "taskId": task}), TOKEN_MISSING),
        (json!({"accessToken": 1, "taskId": task}), TOKEN_TYPE),
        (json!({"accessToken": t}), TASK_MISSING),
        (json!({"accessToken": t, "taskId": null}), TASK_MISSING),
        (json!({"accessToken": t, "taskId": ""}), TASK_MISSING),
        (json!({"accessToken": t, "taskID": task}), TASK_MISSING),
        (json!({"accessToken": t, "taskId": 7}), TASK_TYPE),
        (json!({"accessToken": t, "taskId": [task]}), TASK_TYPE),
        (json!({"accessToken": [], "taskId": 7}), TOKEN_TYPE),
    ];
    for (body, description) in cases {
        let response = api.post("simunitsucceeds", "status", &body).await;
        assert_bad_request(response, description).await;
    }
    let response = api.post("nosuchunit", "status", &body(&t, &task)).await;
    assert_bad_request(response, "Request path is invalid.").await;
}

#[tokio::test]
async fn unknown_or_foreign_tokens_and_tasks() {
    let api = Api::default().await;
    let (token, task) = api.run("simunitsucceeds").await;
    let (other_token, other_task) = api.run("simunitfails").await;
    let cases = [
        (body("abcdefg1234567", &task), TOKEN_INVALID),
        (body(&other_token, &task), TOKEN_INVALID),
        (body(&token, "hijklmn8901234"), TASK_INVALID),
        (body(&token, &other_task), TASK_INVALID),
    ];
    for (body, description) in cases {
        let response = api.post("simunitsucceeds", "status", &body).await;
        assert_bad_request(response, description).await;
    }
    api.status("simunitfails", &other_token, &other_task).await;
}

#[tokio::test]
async fn any_live_token_of_the_unit_reads_any_of_its_tasks() {
    let api = Api::default().await;
    let (used, task) = api.run("simunitsucceeds").await;
    let fresh = api.token("simunitsucceeds").await;
    let by_used = api.status("simunitsucceeds", &used, &task).await;
    let by_fresh = api.status("simunitsucceeds", &fresh, &task).await;
    assert_eq!(by_used, by_fresh);
    // The fresh token was not spent by reading status.
    api.run_with("simunitsucceeds", &fresh).await;
}

#[tokio::test(start_paused = true)]
async fn a_token_reads_status_until_it_is_ten_minutes_old() {
    let api = Api::default().await;
    let (token, task) = api.run("simunitsucceeds").await;
    tokio::time::sleep(Duration::from_secs(600)).await;
    assert_eq!(
        api.status("simunitsucceeds", &token, &task).await["taskStatus"],
        "Success"
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    let response = api
        .post("simunitsucceeds", "status", &body(&token, &task))
        .await;
    assert_bad_request(response, TOKEN_INVALID).await;
    // A new token reads the same task.
    let fresh = api.token("simunitsucceeds").await;
    assert_eq!(
        api.status("simunitsucceeds", &fresh, &task).await["taskStatus"],
        "Success"
    );
}
