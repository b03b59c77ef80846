// generated from specs/adobe-query.yaml by `cargo xtask codegen`; do not edit.

//! Typed client for the Adobe Experience Platform Query Service schedules API, generated from `specs/adobe-query.yaml` by `cargo xtask codegen`.
//!
//! One method per operation; credentials come from the [`jobrun_transport::Transport`] the
//! client is built with. Enums of the spec are open (unknown values decode to `Unknown`).
//! For retries, waiting and friendlier inputs use the `jobrun` facade crate.
//!
//! | method | request | summary |
//! |---|---|---|
//! | [`Client::list_schedules`] | `GET /schedules` | スケジュールされたクエリのリストの取得 (list scheduled queries) |
//! | [`Client::create_schedule`] | `POST /schedules` | 新しいスケジュール済みクエリの作成 (create a scheduled query) |
//! | [`Client::retrieve_schedule`] | `GET /schedules/{schedulesId}` | 指定したスケジュール済みクエリの詳細のリクエスト (retrieve a scheduled query) |
//! | [`Client::delete_schedule`] | `DELETE /schedules/{schedulesId}` | 指定したスケジュール済みクエリの削除 (delete a scheduled query) |
//! | [`Client::update_schedule`] | `PATCH /schedules/{schedulesId}` | 指定したスケジュール済みクエリの詳細の更新 (update a scheduled query) |
//! | [`Client::list_schedule_runs`] | `GET /schedules/{schedulesId}/runs` | List all runs for a schedule |
//! | [`Client::trigger_schedule_run`] | `POST /schedules/{schedulesId}/runs` | Trigger an immediate run of a scheduled query |
//! | [`Client::retrieve_scheduled_query_run`] | `GET /schedules/{schedulesId}/runs/{runId}` | Retrieve details of a query schedule run |
//! | [`Client::cancel_scheduled_query_run`] | `PATCH /schedules/{schedulesId}/runs/{runId}` | Cancel a run of a scheduled query |
//!
//! ```no_run
//! let transport = jobrun_transport::Transport::new();
//! let client = adobe_query_api::Client::new("https://platform.adobe.io/data/foundation/query", transport);
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
