use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use jobrun_sim::adobe::{AdobeConfig, AdobeSim};
use reqwest::{Client, RequestBuilder, Response};
use serde_json::{Value, json};

/// The default catalog's ids, copied here rather than taken from the simulator.
pub const SAMPLE: &str = "e95186d65a28abf00a495d82_28e74200-e3de-11e9-8f5d-7f27416c5f0d_sample_scheduled_query7omob151bm_birvwm";
pub const NIGHTLY: &str = "e95186d65a28abf00a495d82_3c1f5a20-5b7e-11ee-9d2a-0242ac120002_nightly_accounts_rollupk2v9q4x7sd_p3mz8c";
pub const FAILING: &str =
    "e95186d65a28abf00a495d82_51a7c3e0-5b7e-11ee-9d2a-0242ac120002_broken_exportw8r2n5t1yb_f6kq0v";
pub const RETIRED: &str =
    "e95186d65a28abf00a495d82_6e9d2b40-5b7e-11ee-9d2a-0242ac120002_retired_reporth4c7j1m9xa_s2lw5e";
pub const SLOW: &str = "e95186d65a28abf00a495d82_7b3e8f60-5b7e-11ee-9d2a-0242ac120002_weekly_aggregatez5g1p8d3vn_u7ty4r";

pub const PREFIX: &str = "/data/foundation/query";

/// A running simulator and a client for it.
pub struct Api {
    pub sim: AdobeSim,
    pub client: Client,
}

impl Api {
    pub async fn start(config: AdobeConfig) -> Self {
        let sim = AdobeSim::start(config).await.unwrap();
        Self {
            sim,
            client: Client::new(),
        }
    }

    pub async fn default() -> Self {
        Self::start(AdobeConfig::new()).await
    }

    /// `{base}/data/foundation/query{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{PREFIX}{path}", self.sim.base_url())
    }

    /// The token form the simulator accepts.
    pub fn token_form(&self) -> String {
        format!(
            "grant_type=client_credentials&client_id={}&client_secret={}&scope={}",
            self.sim.client_id(),
            self.sim.client_secret(),
            self.sim.scopes()
        )
    }

    /// POSTs `form` to the token endpoint, form-encoded.
    pub async fn token_request(&self, form: &str) -> Response {
        self.client
            .post(self.sim.token_url())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form.to_owned())
            .send()
            .await
            .unwrap()
    }

    /// A fresh access token.
    pub async fn token(&self) -> String {
        let answer = json_ok(self.token_request(&self.token_form()).await, 200).await;
        answer["access_token"].as_str().unwrap().to_owned()
    }

    /// The four headers every platform call needs.
    pub fn authed(&self, request: RequestBuilder, token: &str) -> RequestBuilder {
        request
            .header("Authorization", format!("Bearer {token}"))
            .header("x-api-key", self.sim.client_id())
            .header("x-gw-ims-org-id", self.sim.org_id())
            .header("x-sandbox-name", "prod")
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.authed(self.client.get(self.url(path)), token)
            .send()
            .await
            .unwrap()
    }

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        self.authed(self.client.delete(self.url(path)), token)
            .send()
            .await
            .unwrap()
    }

    /// POST with no body at all, as a trigger is sent.
    pub async fn post_empty(&self, path: &str, token: &str) -> Response {
        self.authed(self.client.post(self.url(path)), token)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_json(&self, path: &str, token: &str, body: &Value) -> Response {
        self.authed(self.client.post(self.url(path)), token)
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap()
    }

    pub async fn patch_json(&self, path: &str, token: &str, body: &Value) -> Response {
        self.authed(self.client.patch(self.url(path)), token)
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap()
    }

    /// Creates a schedule like the docs' sample (with `name`) and returns the 202 body.
    pub async fn create(&self, token: &str, name: &str) -> Value {
        let response = self
            .post_json("/schedules", token, &create_body(name))
            .await;
        json_ok(response, 202).await
    }

    pub async fn schedule(&self, token: &str, id: &str) -> Value {
        json_ok(self.get(&format!("/schedules/{id}"), token).await, 200).await
    }

    pub async fn trigger(&self, token: &str, id: &str) -> Response {
        self.post_empty(&format!("/schedules/{id}/runs"), token)
            .await
    }

    /// `GET /schedules/{id}/runs?{query}`.
    pub async fn runs(&self, token: &str, id: &str, query: &str) -> Value {
        json_ok(
            self.get(&format!("/schedules/{id}/runs?{query}"), token)
                .await,
            200,
        )
        .await
    }

    pub async fn run(&self, token: &str, id: &str, run_id: &str) -> Value {
        json_ok(
            self.get(&format!("/schedules/{id}/runs/{run_id}"), token)
                .await,
            200,
        )
        .await
    }

    /// The newest run of a schedule (what a client finds after a trigger).
    pub async fn newest_run(&self, token: &str, id: &str) -> Value {
        let list = self.runs(token, id, "limit=1").await;
        list["runsSchedules"][0].clone()
    }

    pub async fn set_state(&self, token: &str, id: &str, value: &str) -> Response {
        self.patch_json(&format!("/schedules/{id}"), token, &state_patch(value))
            .await
    }
}

/// The docs' create body, with `name`.
pub fn create_body(name: &str) -> Value {
    json!({
        "query": {
            "dbName": "prod:all",
            "sql": "SELECT * FROM accounts;",
            "name": name,
            "description": "A sample of a scheduled query."
        },
        "schedule": {
            "schedule": "30 * * * *",
            "startDate": "2020-01-08T12:30:00.000Z"
        }
    })
}

/// `{"body":[{"op":"replace","path":"/state","value":…}]}`.
pub fn state_patch(value: &str) -> Value {
    json!({"body": [{"op": "replace", "path": "/state", "value": value}]})
}

/// Asserts the status and a JSON content type, and returns the body.
pub async fn json_ok(response: Response, status: u16) -> Value {
    let got = response.status().as_u16();
    let content_type = response.headers()["content-type"].clone();
    let text = response.text().await.unwrap();
    assert_eq!(got, status, "{text}");
    assert_eq!(content_type, "application/json");
    serde_json::from_str(&text).unwrap()
}

/// Asserts the service's `{"message","statusCode"}` answer byte for byte.
pub async fn assert_message(response: Response, status: u16, message: &str) {
    let got = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert_eq!(got, status, "{text}");
    let message = serde_json::to_string(message).unwrap();
    assert_eq!(
        text,
        format!(r#"{{"message":{message},"statusCode":{status}}}"#)
    );
}

/// Asserts the gateway's `{"error_code","message"}` answer byte for byte.
pub async fn assert_gateway(response: Response, status: u16, code: &str, message: &str) {
    assert_eq!(response.status().as_u16(), status);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(
        response.text().await.unwrap(),
        format!(r#"{{"error_code":"{code}","message":"{message}"}}"#)
    );
}

/// Asserts IMS's `{"error","error_description"}` answer byte for byte.
pub async fn assert_oauth(response: Response, status: u16, error: &str, description: &str) {
    assert_eq!(response.status().as_u16(), status);
    assert_eq!(
        response.text().await.unwrap(),
        format!(r#"{{"error":"{error}","error_description":"{description}"}}"#)
    );
}

/// Top-level keys of a JSON object text in the order they appear (serde_json's map sorts
/// them). Scans the text, so keys of nested objects never count.
pub fn key_order(text: &str) -> Vec<String> {
    serde_json::from_str::<Value>(text).unwrap();
    let mut keys = Vec::new();
    let mut depth = 0;
    let mut chars = text.char_indices().peekable();
    // At depth 1, a string right after `{` or `,` is a key.
    let mut expect_key = false;
    while let Some((at, c)) = chars.next() {
        match c {
            '{' | '[' => {
                depth += 1;
                expect_key = c == '{' && depth == 1;
            }
            '}' | ']' => depth -= 1,
            ',' => expect_key = depth == 1,
            '"' => {
                let mut end = at + 1;
                let mut escaped = false;
                for (index, c) in chars.by_ref() {
                    end = index;
                    match c {
                        '\\' if !escaped => escaped = true,
                        '"' if !escaped => break,
                        _ => escaped = false,
                    }
                }
                if expect_key {
                    keys.push(text[at + 1..end].to_owned());
                    expect_key = false;
                }
            }
            _ => {}
        }
    }
    keys
}

/// The keys of an object, sorted.
pub fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

/// The Base64-decoded run id.
pub fn decode_run_id(id: &str) -> String {
    String::from_utf8(BASE64.decode(id).unwrap()).unwrap()
}

/// The ids of a list's items, in order.
pub fn ids(list: &Value, key: &str) -> Vec<String> {
    list[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}
