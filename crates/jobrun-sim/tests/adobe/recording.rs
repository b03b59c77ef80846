use std::time::Duration;

use jobrun_sim::adobe::{Target, too_many_requests};

use crate::common::{Api, SAMPLE, create_body};

#[tokio::test(start_paused = true)]
async fn every_request_is_recorded_with_what_was_sent() {
    let api = Api::default().await;
    let token = api.token().await;
    tokio::time::sleep(Duration::from_secs(10)).await;
    api.post_json("/schedules", &token, &create_body("Recorded"))
        .await;
    api.sim.inject(Target::ListRuns, too_many_requests(None), 1);
    api.get(
        &format!("/schedules/{SAMPLE}/runs?limit=2&orderby=%2Bcreated"),
        &token,
    )
    .await;

    let recorded = api.sim.requests();
    assert_eq!(recorded.len(), 3);
    let ims = &recorded[0];
    assert_eq!(ims.method, "POST");
    assert_eq!(ims.path, "/ims/token/v3");
    assert_eq!(ims.body, api.token_form().as_bytes());
    assert_eq!(
        ims.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(ims.fault, None);

    let create = &recorded[1];
    assert_eq!(create.path, "/data/foundation/query/schedules");
    assert_eq!(create.query, None);
    assert_eq!(
        create.header("Authorization"),
        Some(format!("Bearer {token}").as_str())
    );
    assert_eq!(
        create.header("x-api-key"),
        Some(api.sim.client_id().as_str())
    );
    assert_eq!(
        create.header("x-gw-ims-org-id"),
        Some(api.sim.org_id().as_str())
    );
    assert_eq!(create.header("x-sandbox-name"), Some("prod"));
    let sent: serde_json::Value = serde_json::from_slice(&create.body).unwrap();
    assert_eq!(sent, create_body("Recorded"));
    let waited = create.received_at.duration_since(ims.received_at).unwrap();
    assert!(waited >= Duration::from_secs(10) && waited < Duration::from_secs(11));

    let list = &recorded[2];
    assert_eq!(list.method, "GET");
    assert_eq!(list.query.as_deref(), Some("limit=2&orderby=%2Bcreated"));
    assert_eq!(list.fault.as_deref(), Some("status 429"));
    assert!(list.body.is_empty());
}

#[tokio::test]
async fn count_proves_a_trigger_was_sent_exactly_once() {
    let api = Api::default().await;
    let token = api.token().await;
    let runs = format!("/data/foundation/query/schedules/{SAMPLE}/runs");
    api.trigger(&token, SAMPLE).await;
    api.get(&format!("/schedules/{SAMPLE}/runs"), &token).await;
    api.get(&format!("/schedules/{SAMPLE}/runs"), &token).await;
    assert_eq!(api.sim.count("POST", &runs), 1);
    assert_eq!(api.sim.count("get", &runs), 2);
    assert_eq!(api.sim.count("DELETE", &runs), 0);
    assert_eq!(api.sim.token_requests(), 1);
}
