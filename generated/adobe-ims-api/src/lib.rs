// generated from specs/adobe-ims.yaml by `cargo xtask codegen`; do not edit.

//! Typed client for the Adobe IMS OAuth Server-to-Server token API, generated from `specs/adobe-ims.yaml` by `cargo xtask codegen`.
//!
//! One method per operation; credentials come from the [`jobrun_transport::Transport`] the
//! client is built with. Enums of the spec are open (unknown values decode to `Unknown`).
//! For retries, waiting and friendlier inputs use the `jobrun` facade crate.
//!
//! | method | request | summary |
//! |---|---|---|
//! | [`Client::get_access_token`] | `POST /ims/token/v3` | Request an access token (client credentials) |
//!
//! ```no_run
//! let transport = jobrun_transport::Transport::new();
//! let client = adobe_ims_api::Client::new("https://ims-na1.adobelogin.com", transport);
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
