use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use jobrun_sim::krewdata::{DEFAULT_USER, KrewdataConfig, KrewdataSim};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};

/// A running simulator and a client for it.
pub struct Api {
    pub sim: KrewdataSim,
    pub client: Client,
}

impl Api {
    pub async fn start(config: KrewdataConfig) -> Self {
        let sim = KrewdataSim::start(config).await.unwrap();
        Self {
            sim,
            client: Client::new(),
        }
    }

    pub async fn default() -> Self {
        Self::start(KrewdataConfig::new()).await
    }

    /// `{base}/trigger/v1/{unit}/{api}`.
    pub fn url(&self, unit: &str, api: &str) -> String {
        format!("{}/trigger/v1/{unit}/{api}", self.sim.base_url())
    }

    /// POSTs `body` as JSON, the way the vendor's sample does.
    pub async fn post(&self, unit: &str, api: &str, body: &Value) -> Response {
        self.client
            .post(self.url(unit, api))
            .header("Content-Type", "application/json;charset=UTF-8")
            .body(body.to_string())
            .send()
            .await
            .unwrap()
    }

    /// POSTs raw bytes.
    pub async fn post_raw(&self, unit: &str, api: &str, body: &'static str) -> Response {
        self.client
            .post(self.url(unit, api))
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// The token body the simulator accepts.
    pub fn token_body(&self) -> Value {
        json!({
            "krewdataAppUrl": self.sim.app_url(),
            "serialNumber": BASE64.encode(self.sim.serial_number()),
        })
    }

    /// Gets a token for `unit`.
    pub async fn token(&self, unit: &str) -> String {
        let answer = ok_json(self.post(unit, "token", &self.token_body()).await).await;
        answer["accessToken"].as_str().unwrap().to_owned()
    }

    /// Runs `unit` (calling app 123) with `token` and returns the task id.
    pub async fn run_with(&self, unit: &str, token: &str) -> String {
        let body = json!({"accessToken": token, "user": DEFAULT_USER, "appId": "123"});
        let answer = ok_json(self.post(unit, "run", &body).await).await;
        answer["taskId"].as_str().unwrap().to_owned()
    }

    /// Gets a token and runs `unit`: `(token, task id)`.
    pub async fn run(&self, unit: &str) -> (String, String) {
        let token = self.token(unit).await;
        let task = self.run_with(unit, &token).await;
        (token, task)
    }

    pub async fn status(&self, unit: &str, token: &str, task: &str) -> Value {
        let body = json!({"accessToken": token, "taskId": task});
        ok_json(self.post(unit, "status", &body).await).await
    }
}

pub fn base64(text: &str) -> String {
    BASE64.encode(text)
}

pub async fn ok_json(response: Response) -> Value {
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "body: {body}");
    let value: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(value["code"], 200, "{body}");
    assert_eq!(value["status"], "OK", "{body}");
    value
}

/// The exact bytes of a krewData error answer.
pub fn error_body(code: u16, status: &str, description: &str) -> String {
    let description = serde_json::to_string(description).unwrap();
    format!(r#"{{"code":{code},"status":"{status}","description":{description}}}"#)
}

/// Asserts a 400 answer with exactly this description.
pub async fn assert_bad_request(response: Response, description: &str) {
    assert_refusal(response, 400, "Bad Request", description).await;
}

/// Asserts an error answer byte for byte: HTTP status = `code`, JSON content type.
pub async fn assert_refusal(response: Response, code: u16, status: &str, description: &str) {
    assert_eq!(response.status().as_u16(), code);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body = response.text().await.unwrap();
    assert_eq!(body, error_body(code, status, description));
}

/// The keys of a JSON object, sorted.
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

/// Top-level keys of a JSON text in the order they appear (serde_json's map may sort them).
pub fn key_order(text: &str) -> Vec<String> {
    let value: Value = serde_json::from_str(text).unwrap();
    let mut keys: Vec<(usize, String)> = value
        .as_object()
        .unwrap()
        .keys()
        .map(|key| (text.find(&format!("\"{key}\":")).unwrap(), key.clone()))
        .collect();
    keys.sort();
    keys.into_iter().map(|(_, key)| key).collect()
}
