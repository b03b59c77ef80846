// generated from specs/trocco.yaml by `cargo xtask codegen`; do not edit.

//! Typed client for the trocco job API, generated from `specs/trocco.yaml` by `cargo xtask codegen`.
//!
//! One method per operation; credentials come from the [`jobrun_transport::Transport`] the
//! client is built with. Enums of the spec are open (unknown values decode to `Unknown`).
//! For retries, waiting and friendlier inputs use the `jobrun` facade crate.
//!
//! | method | request | summary |
//! |---|---|---|
//! | [`Client::list_jobs`] | `GET /api/job_definitions/{job_definition_id}/jobs` | 転送ジョブ一覧取得 (list the transfer jobs of a definition) |
//! | [`Client::run_job`] | `POST /api/jobs` | ジョブの実行 (run a transfer job) |
//! | [`Client::get_job`] | `GET /api/jobs/{job_id}` | ジョブのステータス確認 (get a transfer job) |
//! | [`Client::run_pipeline_job`] | `POST /api/pipeline_jobs` | ワークフロージョブの実行 (run a workflow job) |
//! | [`Client::get_pipeline_job`] | `GET /api/pipeline_jobs/{pipeline_job_id}` | ワークフロージョブのステータス確認 (get a workflow job) |
//!
//! ```no_run
//! let transport = jobrun_transport::Transport::new();
//! let client = trocco_api::Client::new("https://trocco.io", transport);
//! # drop(client);
//! ```

#[rustfmt::skip]
mod client;

pub use client::*;

/// Every request goes out through [`jobrun_transport::execute`], which bounds the answer's size.
impl progenitor_client::ClientHooks<::jobrun_transport::Transport> for Client {
    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &progenitor_client::OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        use progenitor_client::ClientInfo as _;
        ::jobrun_transport::execute(self.client(), self.inner(), request).await
    }
}
