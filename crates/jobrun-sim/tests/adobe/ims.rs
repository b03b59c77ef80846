use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jobrun_sim::adobe::{
    AdobeConfig, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_ORG_ID, DEFAULT_SCOPES,
};
use serde_json::Value;

use crate::common::{Api, SAMPLE, assert_gateway, assert_oauth, json_ok, key_order};

#[tokio::test]
async fn token_answer_has_the_documented_shape() {
    let api = Api::default().await;
    let response = api.token_request(&api.token_form()).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-request-id"));
    let text = response.text().await.unwrap();
    assert_eq!(
        key_order(&text),
        ["access_token", "token_type", "expires_in"]
    );
    let answer: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(answer["token_type"], "bearer");
    assert_eq!(answer["expires_in"], 86399);
    // A JWT like IMS's, whose claims carry milliseconds as strings.
    let token = answer["access_token"].as_str().unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(claims["type"], "access_token");
    assert_eq!(claims["client_id"], DEFAULT_CLIENT_ID);
    assert_eq!(claims["expires_in"], "86399000");
    assert!(
        claims["created_at"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .is_ok()
    );
    // Every token is new.
    assert_ne!(api.token().await, token);
}

#[tokio::test]
async fn defaults_are_the_published_constants() {
    let api = Api::default().await;
    assert_eq!(api.sim.client_id(), DEFAULT_CLIENT_ID);
    assert_eq!(api.sim.client_secret(), DEFAULT_CLIENT_SECRET);
    assert_eq!(api.sim.org_id(), DEFAULT_ORG_ID);
    assert_eq!(api.sim.scopes(), DEFAULT_SCOPES);
    assert_eq!(api.sim.sandbox(), "prod");
    assert_eq!(
        api.sim.token_url(),
        format!("{}/ims/token/v3", api.sim.base_url())
    );
    assert_eq!(
        api.sim.platform_url(),
        format!("{}/data/foundation/query", api.sim.base_url())
    );
    assert!(api.sim.base_url().starts_with("http://127.0.0.1:"));
}

#[tokio::test]
async fn parameters_may_come_in_the_query_string_and_scopes_may_be_a_subset() {
    let api = Api::default().await;
    // Adobe's Postman collection sends everything as query parameters, with no body.
    let response = api
        .client
        .post(format!("{}?{}", api.sim.token_url(), api.token_form()))
        .send()
        .await
        .unwrap();
    let token = json_ok(response, 200).await;
    assert!(token["access_token"].as_str().unwrap().starts_with("ey"));
    // A body with no Content-Type (curl -d sends one, other tools may not) is read as a form.
    let response = api
        .client
        .post(api.sim.token_url())
        .body(format!(
            "grant_type=client_credentials&client_id={DEFAULT_CLIENT_ID}&client_secret={DEFAULT_CLIENT_SECRET}&scope=openid,%20AdobeID"
        ))
        .send()
        .await
        .unwrap();
    json_ok(response, 200).await;
}

#[tokio::test]
async fn oauth_errors_name_the_first_bad_field() {
    let api = Api::default().await;
    let id = DEFAULT_CLIENT_ID;
    let secret = DEFAULT_CLIENT_SECRET;
    let cases: [(String, &str, &str); 9] = [
        (String::new(), "bad_request", "missing grant_type parameter"),
        (
            format!("grant_type=password&client_id={id}"),
            "unsupported_grant_type",
            "unsupported grant_type parameter: password",
        ),
        (
            "grant_type=client_credentials".into(),
            "bad_request",
            "missing client_id parameter",
        ),
        (
            "grant_type=client_credentials&client_id=nobody&client_secret=x&scope=openid".into(),
            "invalid_client",
            "invalid client_id parameter",
        ),
        (
            format!("grant_type=client_credentials&client_id={id}&scope=openid"),
            "bad_request",
            "missing client_secret parameter",
        ),
        (
            format!(
                "grant_type=client_credentials&client_id={id}&client_secret=wrong&scope=openid"
            ),
            "invalid_client",
            "invalid client_secret parameter",
        ),
        (
            format!("grant_type=client_credentials&client_id={id}&client_secret={secret}"),
            "bad_request",
            "missing scope parameter",
        ),
        (
            format!(
                "grant_type=client_credentials&client_id={id}&client_secret={secret}&scope=openid,admin"
            ),
            "invalid_scope",
            "invalid scope parameter",
        ),
        (
            format!("grant_type=client_credentials&client_id={id}&client_secret={secret}&scope="),
            "bad_request",
            "missing scope parameter",
        ),
    ];
    for (form, error, description) in cases {
        let response = api.token_request(&form).await;
        assert_eq!(response.headers()["content-type"], "application/json");
        assert_oauth(response, 400, error, description).await;
    }
    let response = api.client.get(api.sim.token_url()).send().await.unwrap();
    assert_eq!(response.headers()["allow"], "POST");
    assert_oauth(
        response,
        405,
        "bad_request",
        "method GET is not allowed; use POST",
    )
    .await;
    // Only v3 exists.
    let response = api
        .client
        .post(format!("{}/ims/token/v2", api.sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    // A JSON body is not a form: its fields are not read.
    let response = api
        .client
        .post(api.sim.token_url())
        .header("Content-Type", "application/json")
        .body(r#"{"grant_type":"client_credentials"}"#)
        .send()
        .await
        .unwrap();
    assert_oauth(response, 400, "bad_request", "missing grant_type parameter").await;
}

#[tokio::test]
async fn configured_credentials_replace_the_defaults() {
    let api = Api::start(
        AdobeConfig::new()
            .credentials("my-client", "my-secret", "ABC@AdobeOrg")
            .scopes("openid,AdobeID"),
    )
    .await;
    assert_eq!(api.sim.client_id(), "my-client");
    let token = api.token().await;
    let default_form = format!(
        "grant_type=client_credentials&client_id={DEFAULT_CLIENT_ID}&client_secret={DEFAULT_CLIENT_SECRET}&scope=openid"
    );
    assert_oauth(
        api.token_request(&default_form).await,
        400,
        "invalid_client",
        "invalid client_id parameter",
    )
    .await;
    // The platform now wants the configured org.
    json_ok(api.get("/schedules", &token).await, 200).await;
}

#[tokio::test(start_paused = true)]
async fn tokens_expire_on_tokio_time() {
    let api = Api::start(AdobeConfig::new().token_ttl(Duration::from_millis(1500))).await;
    let answer = json_ok(api.token_request(&api.token_form()).await, 200).await;
    // Whole seconds of the lifetime.
    assert_eq!(answer["expires_in"], 1);
    let token = answer["access_token"].as_str().unwrap().to_owned();
    json_ok(api.get("/schedules?limit=1", &token).await, 200).await;
    tokio::time::sleep(Duration::from_millis(1400)).await;
    json_ok(api.get(&format!("/schedules/{SAMPLE}"), &token).await, 200).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_gateway(
        api.get("/schedules?limit=1", &token).await,
        401,
        "401013",
        "Oauth token is not valid",
    )
    .await;
    // A new token works again.
    let fresh = api.token().await;
    json_ok(api.get("/schedules?limit=1", &fresh).await, 200).await;
    assert_eq!(api.sim.token_requests(), 2);
}

#[tokio::test]
async fn expire_tokens_invalidates_every_token_issued() {
    let api = Api::default().await;
    let first = api.token().await;
    let second = api.token().await;
    json_ok(api.get("/schedules", &first).await, 200).await;
    api.sim.expire_tokens();
    for token in [&first, &second] {
        assert_gateway(
            api.get("/schedules", token).await,
            401,
            "401013",
            "Oauth token is not valid",
        )
        .await;
    }
    let third = api.token().await;
    json_ok(api.get("/schedules", &third).await, 200).await;
    assert_eq!(api.sim.token_requests(), 3);
}

#[tokio::test]
async fn token_requests_count_refused_ones_too() {
    let api = Api::default().await;
    api.token_request("grant_type=client_credentials").await;
    api.client.get(api.sim.token_url()).send().await.unwrap();
    api.token().await;
    assert_eq!(api.sim.token_requests(), 3);
    assert_eq!(api.sim.count("POST", "/ims/token/v3"), 2);
}
