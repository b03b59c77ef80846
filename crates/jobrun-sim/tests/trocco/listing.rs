use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, FixedOffset, SubsecRound};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Api, json_with, ok_json, timestamp};

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|job| job["id"].as_i64().unwrap())
                .collect()
        })
        .unwrap_or_default()
}

async fn list(api: &Api, query: &[(&str, &str)]) -> Value {
    let response = api
        .get("/api/job_definitions/1/jobs")
        .query(query)
        .send()
        .await
        .unwrap();
    ok_json(response).await
}

#[tokio::test]
async fn pages_newest_first_with_trocco_cursors() {
    let api = Api::default().await;
    for definition in [1, 1, 1, 1, 1, 2, 1, 1] {
        api.run_job(definition).await;
    }
    let first = list(&api, &[("limit", "3")]).await;
    assert_eq!(ids(&first), [8, 7, 5]);
    let cursor = first["next_cursor"].as_str().unwrap();
    assert_eq!(STANDARD.decode(cursor).unwrap(), br#"{"id":5}"#);
    // Items are the same objects GET /api/jobs/{id} answers with.
    assert_eq!(first["items"][0], api.job(8).await);

    let second = list(&api, &[("limit", "3"), ("cursor", cursor)]).await;
    assert_eq!(ids(&second), [4, 3, 2]);
    let cursor = second["next_cursor"].as_str().unwrap();
    let last = list(&api, &[("limit", "3"), ("cursor", cursor)]).await;
    assert_eq!(ids(&last), [1]);
    assert_eq!(last["next_cursor"], Value::Null);

    // Exactly one page's worth leaves no cursor behind.
    let all = list(&api, &[("limit", "7")]).await;
    assert_eq!(ids(&all), [8, 7, 5, 4, 3, 2, 1]);
    assert_eq!(all["next_cursor"], Value::Null);
}

#[tokio::test]
async fn limit_defaults_to_50_and_is_clamped_to_1_through_100() {
    let api = Api::default().await;
    for _ in 0..105 {
        api.run_job(1).await;
    }
    let default = list(&api, &[]).await;
    assert_eq!(ids(&default).len(), 50);
    assert_eq!(ids(&default)[0], 105);
    let huge = list(&api, &[("limit", "1000")]).await;
    assert_eq!(ids(&huge).len(), 100);
    assert!(huge["next_cursor"].is_string());
    let zero = list(&api, &[("limit", "0")]).await;
    assert_eq!(ids(&zero), [105]);
    let empty_params = list(&api, &[("limit", ""), ("cursor", "")]).await;
    assert_eq!(ids(&empty_params).len(), 50);
}

/// `YYYY-MM-DD HH:MM:SS` of `at` in `offset`, truncated to the second.
fn local(at: DateTime<FixedOffset>, offset: FixedOffset) -> String {
    at.with_timezone(&offset)
        .trunc_subsecs(0)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

#[tokio::test(start_paused = true)]
async fn filters_on_created_at_in_the_given_time_zone() {
    let api = Api::default().await;
    let mut created = Vec::new();
    for _ in 0..3 {
        created.push(timestamp(&api.run_job(1).await["created_at"]));
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
    let jst = FixedOffset::east_opt(9 * 3600).unwrap();
    let utc = FixedOffset::east_opt(0).unwrap();
    let second = created[1];
    let window = |offset| {
        (
            local(second, offset),
            local(second + chrono::Duration::seconds(1), offset),
        )
    };

    let (start, end) = window(jst);
    let page = list(&api, &[("start_time", &start), ("end_time", &end)]).await;
    assert_eq!(ids(&page), [2]);

    let (start, end) = window(utc);
    let page = list(
        &api,
        &[
            ("start_time", &start),
            ("end_time", &end),
            ("time_zone", "Etc/UTC"),
        ],
    )
    .await;
    assert_eq!(ids(&page), [2]);
    // The same UTC wall times read as Tokyo times are nine hours off: nothing matches.
    let page = list(&api, &[("start_time", &start), ("end_time", &end)]).await;
    assert_eq!(ids(&page), Vec::<i64>::new());

    let page = list(&api, &[("start_time", &local(second, jst))]).await;
    assert_eq!(ids(&page), [3, 2]);
    let page = list(&api, &[("end_time", &window(jst).1)]).await;
    assert_eq!(ids(&page), [2, 1]);
}

#[tokio::test]
async fn an_empty_list_leaves_items_out() {
    let api = Api::default().await;
    let page = list(&api, &[]).await;
    assert_eq!(page, json!({"next_cursor": null}));
}

#[tokio::test]
async fn bad_list_parameters_are_400_per_attribute() {
    let api = Api::default().await;
    let cases = [
        ("start_time", "yesterday"),
        ("end_time", "2024-01-01T00:00:00"),
        ("time_zone", "Moon/Base"),
        ("limit", "ten"),
        ("cursor", "!!!"),
    ];
    for (attribute, value) in cases {
        let response = api
            .get("/api/job_definitions/1/jobs")
            .query(&[(attribute, value)])
            .send()
            .await
            .unwrap();
        let body = json_with(response, StatusCode::BAD_REQUEST).await;
        assert_eq!(
            body["message"],
            "Bad request. Please check your request payload"
        );
        assert_eq!(body["errors"][0]["attribute"], attribute, "{body}");
        assert!(body["errors"][0]["message"].is_string());
    }
}
