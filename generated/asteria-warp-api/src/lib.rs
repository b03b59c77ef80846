// generated from specs/asteria-warp.yaml by `cargo xtask codegen`; do not edit.

//! Typed client for the ASTERIA Warp Flow Service API (checkpoint), generated from `specs/asteria-warp.yaml` by `cargo xtask codegen`.
//!
//! One method per operation; credentials come from the [`jobrun_transport::Transport`] the
//! client is built with. Enums of the spec are open (unknown values decode to `Unknown`).
//! For retries, waiting and friendlier inputs use the `jobrun` facade crate.
//!
//! | method | request | summary |
//! |---|---|---|
//! | [`Client::login`] | `POST /api/auth/login` | ログイン (log in) |
//! | [`Client::logout`] | `POST /api/auth/logout` | ログアウト (log out) |
//! | [`Client::list_checkpoints`] | `GET /api/checkpoint/list` | list (チェックポイントフローのリクエストの一覧) |
//! | [`Client::rerun_checkpoint`] | `POST /api/checkpoint/rerun` | rerun (チェックポイントフローのリクエストを再実行) |
//! | [`Client::show_checkpoint`] | `GET /api/checkpoint/show` | show (チェックポイントフローのリクエストの情報) |
//!
//! XML answers come back as bytes: decode them with [`xml::from_xml`], whose types are
//! generated from `specs/asteria-warp.xsd`.
//!
//! ```no_run
//! let transport = jobrun_transport::Transport::new();
//! let client = asteria_warp_api::Client::new("http://localhost:21381", transport);
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

#[rustfmt::skip]
pub mod xml;
