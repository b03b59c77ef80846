// generated from specs/krewdata.yaml by `cargo xtask codegen`; do not edit.

//! Typed client for the krewData real-time execution API, generated from `specs/krewdata.yaml` by `cargo xtask codegen`.
//!
//! One method per operation; credentials come from the [`jobrun_transport::Transport`] the
//! client is built with. Enums of the spec are open (unknown values decode to `Unknown`).
//! For retries, waiting and friendlier inputs use the `jobrun` facade crate.
//!
//! | method | request | summary |
//! |---|---|---|
//! | [`Client::run_unit`] | `POST /trigger/v1/{unitId}/run` | 実行要求 (run the execution unit) |
//! | [`Client::get_task_status`] | `POST /trigger/v1/{unitId}/status` | 実行状況確認 (read a task's status) |
//! | [`Client::request_token`] | `POST /trigger/v1/{unitId}/token` | アクセストークン要求 (request an access token) |
//!
//! ```no_run
//! let transport = jobrun_transport::Transport::new();
//! let client = krewdata_api::Client::new("https://api.krewdata.grapecity.com", transport);
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
