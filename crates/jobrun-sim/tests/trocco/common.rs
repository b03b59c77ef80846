use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use jobrun_sim::trocco::{TroccoConfig, TroccoSim};
use reqwest::{Client, RequestBuilder, Response, StatusCode};
use serde_json::Value;

/// A running simulator and a client that authenticates against it.
pub struct Api {
    pub sim: TroccoSim,
    pub client: Client,
}

impl Api {
    pub async fn start(config: TroccoConfig) -> Self {
        let sim = TroccoSim::start(config).await.unwrap();
        Self {
            sim,
            client: Client::new(),
        }
    }

    pub async fn default() -> Self {
        Self::start(TroccoConfig::new()).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sim.base_url())
    }

    pub fn get(&self, path: &str) -> RequestBuilder {
        self.client
            .get(self.url(path))
            .header("Authorization", format!("Token {}", self.sim.api_key()))
    }

    pub fn post(&self, path: &str) -> RequestBuilder {
        self.client
            .post(self.url(path))
            .header("Authorization", format!("Token {}", self.sim.api_key()))
    }

    /// Triggers transfer definition `definition` with no body and returns the job.
    pub async fn run_job(&self, definition: i64) -> Value {
        let response = self
            .post(&format!("/api/jobs?job_definition_id={definition}"))
            .send()
            .await
            .unwrap();
        ok_json(response).await
    }

    pub async fn run_pipeline_job(&self, definition: i64) -> Value {
        let response = self
            .post(&format!(
                "/api/pipeline_jobs?pipeline_definition_id={definition}"
            ))
            .send()
            .await
            .unwrap();
        ok_json(response).await
    }

    pub async fn job(&self, id: i64) -> Value {
        ok_json(self.get(&format!("/api/jobs/{id}")).send().await.unwrap()).await
    }

    pub async fn pipeline_job(&self, id: i64) -> Value {
        ok_json(
            self.get(&format!("/api/pipeline_jobs/{id}"))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn status_of(&self, path: &str) -> StatusCode {
        self.get(path).send().await.unwrap().status()
    }
}

pub async fn ok_json(response: Response) -> Value {
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "body: {body}");
    serde_json::from_str(&body).unwrap()
}

pub async fn json_with(response: Response, expected: StatusCode) -> Value {
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, expected, "body: {body}");
    serde_json::from_str(&body).unwrap()
}

/// Asserts trocco's exact timestamp form, `2023-05-19T19:15:00.000+09:00`, and parses it.
pub fn timestamp(value: &Value) -> DateTime<FixedOffset> {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"));
    assert_eq!(text.len(), 29, "{text}");
    assert_eq!(&text[10..11], "T", "{text}");
    assert_eq!(&text[19..20], ".", "{text}");
    assert!(text.ends_with("+09:00"), "{text}");
    DateTime::parse_from_rfc3339(text).unwrap()
}

/// The time between two trocco timestamps.
pub fn between(from: &Value, to: &Value) -> Duration {
    (timestamp(to) - timestamp(from)).to_std().unwrap()
}

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

pub fn header(response: &Response, name: &str) -> u64 {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("missing {name}"))
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}
