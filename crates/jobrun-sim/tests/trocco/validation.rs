use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Api, json_with, ok_json};

const BAD_REQUEST: &str = "Bad request. Please check your request payload";

async fn assert_nothing_created(api: &Api) {
    assert_eq!(api.status_of("/api/jobs/1").await, StatusCode::NOT_FOUND);
    assert_eq!(
        api.status_of("/api/pipeline_jobs/1").await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn invalid_trigger_values_are_400_with_attribute_errors() {
    let api = Api::default().await;
    let cases: [(&str, Value, &[&str]); 7] = [
        (
            "/api/jobs?job_definition_id=1",
            json!({"context_time": "2023/05/19 00:00"}),
            &["context_time"],
        ),
        (
            "/api/jobs?job_definition_id=1",
            json!({"context_time": "2023-05-19 00:00:00", "time_zone": "JST"}),
            &["time_zone"],
        ),
        (
            "/api/jobs?job_definition_id=1",
            json!({"custom_variables": [{"name": "ad_id", "value": "A0000"}]}),
            &["custom_variables"],
        ),
        (
            "/api/jobs?job_definition_id=1",
            json!({"custom_variables": [{"name": "$ad_id$", "value": 7}, "x"]}),
            &["custom_variables", "custom_variables"],
        ),
        (
            "/api/jobs?job_definition_id=1",
            json!({"custom_variables": {"$ad_id$": "A0000"}, "context_time": 20230519}),
            &["context_time", "custom_variables"],
        ),
        (
            "/api/pipeline_jobs?pipeline_definition_id=1",
            json!({"context_time": "2023-05-19"}),
            &["context_time"],
        ),
        (
            "/api/pipeline_jobs?pipeline_definition_id=1",
            json!({"time_zone": "Asia/Tokio"}),
            &["time_zone"],
        ),
    ];
    for (path, body, attributes) in cases {
        let response = api.post(path).json(&body).send().await.unwrap();
        let answer = json_with(response, StatusCode::BAD_REQUEST).await;
        assert_eq!(answer["message"], BAD_REQUEST, "{answer}");
        let got: Vec<&str> = answer["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|error| error["attribute"].as_str().unwrap())
            .collect();
        assert_eq!(got, attributes, "{body} -> {answer}");
    }
    assert_nothing_created(&api).await;
}

#[tokio::test]
async fn missing_or_malformed_definition_ids_are_400() {
    let api = Api::default().await;
    let cases = [
        ("/api/jobs", "job_definition_id"),
        ("/api/jobs?job_definition_id=", "job_definition_id"),
        ("/api/jobs?job_definition_id=one", "job_definition_id"),
        (
            "/api/pipeline_jobs?job_definition_id=1",
            "pipeline_definition_id",
        ),
        (
            "/api/pipeline_jobs?pipeline_definition_id=1.5",
            "pipeline_definition_id",
        ),
    ];
    for (path, attribute) in cases {
        let response = api.post(path).send().await.unwrap();
        let answer = json_with(response, StatusCode::BAD_REQUEST).await;
        assert_eq!(answer["errors"][0]["attribute"], attribute, "{path}");
    }
    assert_nothing_created(&api).await;
}

#[tokio::test]
async fn unreadable_bodies_are_400_with_an_error_string() {
    let api = Api::default().await;
    let cases = [
        ("application/json", "{\"context_time\": "),
        ("application/json", "[1, 2]"),
        ("text/plain", "context_time=2023-05-19 00:00:00"),
    ];
    for (content_type, body) in cases {
        let response = api
            .post("/api/jobs?job_definition_id=1")
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        let answer = json_with(response, StatusCode::BAD_REQUEST).await;
        assert!(answer["error"].is_string(), "{answer}");
        assert_eq!(answer.as_object().unwrap().len(), 1);
    }
    assert_nothing_created(&api).await;
}

#[tokio::test]
async fn valid_json_and_legacy_form_triggers_are_accepted() {
    let api = Api::default().await;
    let json_trigger = api
        .post("/api/jobs?job_definition_id=1")
        .json(&json!({
            "context_time": "2019-11-18 00:00:00",
            "time_zone": "Etc/UTC",
            "custom_variables": [{"name": "$ad_id$", "value": "A0000"}],
            "manual_resource_enhancement": null,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(ok_json(json_trigger).await["id"], 1);

    // The 2022 docs' curl example: `-d "context_time=…" -d "custom_variables[][name]=…"`.
    let form_trigger = api
        .post("/api/jobs?job_definition_id=1")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("context_time=2019-11-18+00%3A00%3A00&custom_variables[][name]=%24ad_id%24&custom_variables[][value]=A0000")
        .send()
        .await
        .unwrap();
    assert_eq!(ok_json(form_trigger).await["id"], 2);

    let bad_form = api
        .post("/api/jobs?job_definition_id=1")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("custom_variables[][name]=ad_id&custom_variables[][value]=A0000")
        .send()
        .await
        .unwrap();
    let answer = json_with(bad_form, StatusCode::BAD_REQUEST).await;
    assert_eq!(answer["errors"][0]["attribute"], "custom_variables");

    let workflow = api
        .post("/api/pipeline_jobs?pipeline_definition_id=1")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("context_time=2019-11-18+00%3A00%3A00")
        .send()
        .await
        .unwrap();
    let workflow = ok_json(workflow).await;
    assert_eq!(workflow["context_time"], "2019-11-18T00:00:00.000+09:00");
}
