use crate::common::{Api, SAMPLE, assert_gateway, assert_message, create_body, json_ok};

const PROBLEM: &str = r#"{"type":"/placeholder/type/uri","status":400,"title":"BadRequestError","detail":"A valid content-type must be specified"}"#;

#[tokio::test]
async fn each_missing_or_wrong_header_has_its_documented_answer() {
    let api = Api::default().await;
    let token = api.token().await;
    let url = api.url("/schedules");
    let client = &api.client;
    let key = api.sim.client_id();
    let org = api.sim.org_id();

    let none = client.get(&url).send().await.unwrap();
    assert_gateway(none, 403, "403010", "Oauth token is missing.").await;
    let empty = client
        .get(&url)
        .header("Authorization", "")
        .send()
        .await
        .unwrap();
    assert_gateway(empty, 403, "403010", "Oauth token is missing.").await;
    for authorization in [
        "Bearer not-a-token".to_owned(),
        format!("Basic {token}"),
        token.clone(),
        "Bearer".to_owned(),
    ] {
        let response = client
            .get(&url)
            .header("Authorization", authorization)
            .header("x-api-key", &key)
            .header("x-gw-ims-org-id", &org)
            .send()
            .await
            .unwrap();
        assert_gateway(response, 401, "401013", "Oauth token is not valid").await;
    }
    let bearer = format!("Bearer {token}");
    let response = client
        .get(&url)
        .header("Authorization", &bearer)
        .header("x-gw-ims-org-id", &org)
        .send()
        .await
        .unwrap();
    assert_gateway(response, 403, "403000", "Api Key is required").await;
    let response = client
        .get(&url)
        .header("Authorization", &bearer)
        .header("x-api-key", "someone-else")
        .header("x-gw-ims-org-id", &org)
        .send()
        .await
        .unwrap();
    assert_gateway(response, 403, "403003", "Api Key is invalid").await;
    let response = client
        .get(&url)
        .header("Authorization", &bearer)
        .header("x-api-key", &key)
        .send()
        .await
        .unwrap();
    assert_gateway(response, 400, "400003", "Missing header").await;
    let response = client
        .get(&url)
        .header("Authorization", &bearer)
        .header("x-api-key", &key)
        .header("x-gw-ims-org-id", "0000@AdobeOrg")
        .send()
        .await
        .unwrap();
    assert_gateway(response, 403, "403025", "Profile is not valid").await;
    // The scheme is case-insensitive, and x-sandbox-name may be left out (prod).
    let response = client
        .get(&url)
        .header("Authorization", format!("bearer {token}"))
        .header("x-api-key", &key)
        .header("x-gw-ims-org-id", &org)
        .send()
        .await
        .unwrap();
    let list = json_ok(response, 200).await;
    assert_eq!(list["schedules"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn checks_run_in_order_token_key_org() {
    let api = Api::default().await;
    let token = api.token().await;
    // Nothing at all: the token is missing first.
    let response = api
        .client
        .post(api.url("/schedules"))
        .body("x")
        .send()
        .await
        .unwrap();
    assert_gateway(response, 403, "403010", "Oauth token is missing.").await;
    // A token but no key and no org: the key.
    let response = api
        .client
        .get(api.url("/schedules"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_gateway(response, 403, "403000", "Api Key is required").await;
    // Unknown paths and methods are behind the gateway too.
    let response = api.client.get(api.url("/nothing")).send().await.unwrap();
    assert_gateway(response, 403, "403010", "Oauth token is missing.").await;
    assert_message(
        api.get("/nothing", &token).await,
        404,
        "No such resource: GET /data/foundation/query/nothing",
    )
    .await;
    let response = api
        .authed(api.client.put(api.url("/schedules")), &token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["allow"], "GET, POST");
    assert_message(
        response,
        405,
        "Method PUT is not allowed on /data/foundation/query/schedules",
    )
    .await;
    let response = api
        .authed(
            api.client.post(api.url(&format!("/schedules/{SAMPLE}"))),
            &token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["allow"], "GET, PATCH, DELETE");
    assert_eq!(response.status(), 405);
}

#[tokio::test]
async fn a_body_needs_content_type_application_json() {
    let api = Api::default().await;
    let token = api.token().await;
    let body = create_body("Typed").to_string();
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut request = api
            .authed(api.client.post(api.url("/schedules")), &token)
            .body(body.clone());
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 400);
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        assert_eq!(response.text().await.unwrap(), PROBLEM);
    }
    // PATCH too.
    let response = api
        .authed(
            api.client.patch(api.url(&format!("/schedules/{SAMPLE}"))),
            &token,
        )
        .body(r#"{"body":[]}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.text().await.unwrap(), PROBLEM);
    assert_eq!(api.sim.schedule_ids().len(), 5);
    // Parameters after the media type are fine.
    let response = api
        .authed(api.client.post(api.url("/schedules")), &token)
        .header("Content-Type", "application/json; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap();
    json_ok(response, 202).await;
    // A trigger has no body, so it needs no Content-Type.
    assert_eq!(api.trigger(&token, SAMPLE).await.status(), 202);
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let api = Api::default().await;
    let token = api.token().await;
    let mut seen = Vec::new();
    let responses = [
        api.client.get(api.url("/schedules")).send().await.unwrap(),
        api.get("/schedules", &token).await,
        api.get("/schedules/unknown", &token).await,
        api.token_request("").await,
        api.trigger(&token, SAMPLE).await,
    ];
    for response in responses {
        let id = response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(id.len(), 32, "{id}");
        assert!(!seen.contains(&id));
        seen.push(id);
    }
    // A client's own id is echoed.
    let response = api
        .authed(api.client.get(api.url("/schedules")), &token)
        .header("x-request-id", "trace-me-123")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "trace-me-123");
    // Even on a fault.
    api.sim.inject(
        jobrun_sim::adobe::Target::ListSchedules,
        jobrun_sim::adobe::too_many_requests(None),
        1,
    );
    let response = api.get("/schedules", &token).await;
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("x-request-id"));
}

#[tokio::test]
async fn schedules_live_in_their_sandbox() {
    let api = Api::default().await;
    let token = api.token().await;
    // Built by hand: `authed` would add a second x-sandbox-name.
    let response = api
        .client
        .post(api.url("/schedules"))
        .bearer_auth(&token)
        .header("x-api-key", api.sim.client_id())
        .header("x-gw-ims-org-id", api.sim.org_id())
        .header("x-sandbox-name", "dev")
        .header("Content-Type", "application/json")
        .body(create_body("Dev only").to_string())
        .send()
        .await
        .unwrap();
    let created = json_ok(response, 202).await;
    let id = created["id"].as_str().unwrap();
    let in_dev = api
        .client
        .get(api.url("/schedules"))
        .bearer_auth(&token)
        .header("x-api-key", api.sim.client_id())
        .header("x-gw-ims-org-id", api.sim.org_id())
        .header("x-sandbox-name", "dev")
        .send()
        .await
        .unwrap();
    let in_dev = json_ok(in_dev, 200).await;
    assert!(
        in_dev["schedules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == id)
    );
    assert!(
        in_dev["schedules"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["id"] != SAMPLE)
    );
    assert_message(
        api.get(&format!("/schedules/{id}"), &token).await,
        404,
        &format!("Schedule not found: {id}"),
    )
    .await;
}
