use std::time::Duration;

use jobrun_sim::krewdata::{DEFAULT_APP_URL, KrewdataConfig};
use serde_json::json;

use crate::common::{Api, assert_bad_request, assert_refusal, base64};

const LIMITED: &str =
    "The rate limit for API calls has been exceeded. Specified unit has been disabled.";
const UNIT: &str = "Specified unit is invalid.";

#[tokio::test(start_paused = true)]
async fn the_sixth_token_request_in_a_minute_disables_the_unit() {
    let api = Api::default().await;
    let (token, task) = api.run("simunitsucceeds").await;
    let mut spare = Vec::new();
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_secs(10)).await;
        spare.push(api.token("simunitsucceeds").await);
    }
    assert!(!api.sim.is_unit_disabled("simunitsucceeds"));
    tokio::time::sleep(Duration::from_secs(10)).await;
    let response = api
        .post("simunitsucceeds", "token", &api.token_body())
        .await;
    assert_refusal(response, 429, "Too Many Requests", LIMITED).await;
    assert!(api.sim.is_unit_disabled("simunitsucceeds"));

    // Disabled: no tokens, no runs, even with a token issued before; status still answers.
    let response = api
        .post("simunitsucceeds", "token", &api.token_body())
        .await;
    assert_bad_request(response, UNIT).await;
    let run = json!({"accessToken": spare[0], "user": "u", "appId": "123"});
    assert_bad_request(api.post("simunitsucceeds", "run", &run).await, UNIT).await;
    assert_eq!(
        api.status("simunitsucceeds", &token, &task).await["taskStatus"],
        "Success"
    );
    assert_eq!(
        api.status("simunitsucceeds", &spare[3], &task).await["taskStatus"],
        "Success"
    );
    // Other units are not affected.
    api.run("simunitfails").await;

    // It stays disabled after the window has passed...
    tokio::time::sleep(Duration::from_secs(300)).await;
    let response = api
        .post("simunitsucceeds", "token", &api.token_body())
        .await;
    assert_bad_request(response, UNIT).await;
    // ...until an administrator enables it again, with a fresh budget.
    api.sim.enable_unit("simunitsucceeds");
    assert!(!api.sim.is_unit_disabled("simunitsucceeds"));
    for _ in 0..5 {
        api.token("simunitsucceeds").await;
    }
    let response = api
        .post("simunitsucceeds", "token", &api.token_body())
        .await;
    assert_eq!(response.status(), 429);
}

#[tokio::test(start_paused = true)]
async fn the_window_slides() {
    let api = Api::start(KrewdataConfig::new().run_limit(2, Duration::from_secs(60))).await;
    api.token("simunitsucceeds").await;
    tokio::time::sleep(Duration::from_secs(30)).await;
    api.token("simunitsucceeds").await;
    // At 60s the first request has left the window, the second has not.
    tokio::time::sleep(Duration::from_secs(30)).await;
    api.token("simunitsucceeds").await;
    tokio::time::sleep(Duration::from_secs(29)).await;
    let response = api
        .post("simunitsucceeds", "token", &api.token_body())
        .await;
    assert_eq!(response.status(), 429);
    assert!(api.sim.is_unit_disabled("simunitsucceeds"));
}

#[tokio::test]
async fn refused_token_requests_do_not_count() {
    let api = Api::start(KrewdataConfig::new().run_limit(2, Duration::from_secs(60))).await;
    let stranger = json!({"krewdataAppUrl": DEFAULT_APP_URL, "serialNumber": base64("guess")});
    for _ in 0..10 {
        let response = api.post("simunitsucceeds", "token", &stranger).await;
        assert_eq!(response.status(), 401);
    }
    for _ in 0..5 {
        assert_eq!(
            api.post_raw("simunitsucceeds", "token", "{}")
                .await
                .status(),
            400
        );
    }
    api.token("simunitsucceeds").await;
    api.token("simunitsucceeds").await;
    assert!(!api.sim.is_unit_disabled("simunitsucceeds"));
}

#[tokio::test]
async fn runs_and_status_calls_do_not_count() {
    let api = Api::start(KrewdataConfig::new().run_limit(1, Duration::from_secs(60))).await;
    let (token, task) = api.run("simunitsucceeds").await;
    for _ in 0..20 {
        api.status("simunitsucceeds", &token, &task).await;
    }
    assert!(!api.sim.is_unit_disabled("simunitsucceeds"));
}

#[tokio::test]
async fn enabling_works_for_configured_disabled_units_and_ignores_unknown_ones() {
    let api = Api::default().await;
    assert!(api.sim.is_unit_disabled("simunitdisabled"));
    assert!(!api.sim.is_unit_disabled("nosuchunit"));
    api.sim.enable_unit("nosuchunit");
    api.sim.enable_unit("simunitdisabled");
    api.run("simunitdisabled").await;
}
