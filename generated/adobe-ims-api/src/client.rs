// generated from specs/adobe-ims.yaml by `cargo xtask codegen`; do not edit.

#![allow(clippy::all, unused_imports, unused_qualifications, unused_mut)]

#[allow(unused_imports)]
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};
/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    /**An OAuth 2.0 error answer (RFC 6749 §5.2), e.g. `{"error": "invalid_client", "error_description": "invalid client_secret parameter"}`. Research §11 found these bodies in Adobe's own code and the JWT-era docs; v3 is assumed to answer the same shape.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct OAuthError {
        /**The OAuth error code: invalid_client, invalid_scope, invalid_request, bad_request, invalid_token… (kept as text: Adobe publishes no closed list).
*/
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub error: ::std::option::Option<::std::string::String>,
        ///What went wrong, in English, e.g. "invalid client_id parameter".
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub error_description: ::std::option::Option<::std::string::String>,
    }
    ///The answer of getAccessToken.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct TokenAnswer {
        /**The access token, sent as `Authorization: Bearer {access_token}` on Platform calls. A secret.
*/
        pub access_token: ::std::string::String,
        /**The token's lifetime in SECONDS from the time of the answer (86399 in the docs, about 24 hours). Not milliseconds: only the retired JWT exchange answered milliseconds.
*/
        pub expires_in: i64,
        ///"bearer".
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub token_type: ::std::option::Option<::std::string::String>,
    }
    /**The form body of getAccessToken (all four fields are mandatory, DC-ims). The client id and secret come from the credential's page in Adobe Developer Console.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct TokenRequest {
        /**The credential's client id (API key). Platform calls send the same value as `x-api-key`.
*/
        pub client_id: ::std::string::String,
        ///The credential's client secret. A secret.
        pub client_secret: ::std::string::String,
        pub grant_type: crate::types::GrantType,
        /**The comma-separated scopes Developer Console shows for the credential, e.g. `openid,AdobeID,read_organizations,additional_info.projectedProductContext,session`.
*/
        pub scope: ::std::string::String,
    }
    /// Error types.
    pub mod error {
        /// Error from a `TryFrom` or `FromStr` implementation.
        pub struct ConversionError(::std::borrow::Cow<'static, str>);
        impl ::std::error::Error for ConversionError {}
        impl ::std::fmt::Display for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }
        impl ::std::fmt::Debug for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }
        impl From<&'static str> for ConversionError {
            fn from(value: &'static str) -> Self {
                Self(value.into())
            }
        }
        impl From<String> for ConversionError {
            fn from(value: String) -> Self {
                Self(value.into())
            }
        }
    }
    /** The OAuth 2.0 grant; OAuth Server-to-Server credentials use client_credentials.

 Open enum: a value the spec does not list decodes to `Unknown` with the text as received, and encodes back unchanged.*/
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum GrantType {
        /// `client_credentials`: the only grant of an OAuth Server-to-Server credential (DC-ims)
        ClientCredentials,
        /// A value this client does not know, as received.
        Unknown(::std::string::String),
    }
    impl GrantType {
        /// Every value the spec lists, in the spec's order.
        pub const KNOWN: &'static [&'static str] = &["client_credentials"];
        /// The value as it goes on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::ClientCredentials => "client_credentials",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the spec lists this value.
        pub fn is_known(&self) -> bool {
            !matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::fmt::Display for GrantType {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::std::str::FromStr for GrantType {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(
                match value {
                    "client_credentials" => Self::ClientCredentials,
                    other => Self::Unknown(other.to_owned()),
                },
            )
        }
    }
    impl ::serde::Serialize for GrantType {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for GrantType {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            let text = <::std::string::String as ::serde::Deserialize>::deserialize(
                deserializer,
            )?;
            Ok(
                match text.parse() {
                    Ok(value) => value,
                    Err(never) => match never {}
                },
            )
        }
    }
}
#[derive(Clone, Debug)]
/**Client for Adobe IMS OAuth Server-to-Server token API

One operation: `POST /ims/token/v3` with the client credentials of an OAuth Server-to-Server credential (Adobe Developer Console) answers an access token. Access tokens usually expire in 24 hours; there is no refresh token ("You can always request a new access token"), and Adobe may throttle an integration that asks for too many, so cache a token until shortly before it expires (DC-impl, research §11). The token goes in `Authorization: Bearer …` on Experience Platform calls, with the credential's client id as `x-api-key` (specs/adobe-query.yaml).


Version: 2026-11*/
pub struct Client {
    pub(crate) baseurl: String,
    pub(crate) client: reqwest::Client,
    pub(crate) inner: ::jobrun_transport::Transport,
}
impl Client {
    /// Create a new client.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new(baseurl: &str, inner: ::jobrun_transport::Transport) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        let client = {
            let dur = ::std::time::Duration::from_secs(15u64);
            reqwest::ClientBuilder::new().connect_timeout(dur).timeout(dur)
        };
        #[cfg(target_arch = "wasm32")]
        let client = reqwest::ClientBuilder::new();
        Self::new_with_client(baseurl, client.build().unwrap(), inner)
    }
    /// Construct a new client with an existing `reqwest::Client`,
    /// allowing more control over its configuration.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new_with_client(
        baseurl: &str,
        client: reqwest::Client,
        inner: ::jobrun_transport::Transport,
    ) -> Self {
        Self {
            baseurl: baseurl.to_string(),
            client,
            inner,
        }
    }
}
impl ClientInfo<::jobrun_transport::Transport> for Client {
    fn api_version() -> &'static str {
        "2026-11"
    }
    fn baseurl(&self) -> &str {
        self.baseurl.as_str()
    }
    fn client(&self) -> &reqwest::Client {
        &self.client
    }
    fn inner(&self) -> &::jobrun_transport::Transport {
        &self.inner
    }
}
const _: () = {
    #[allow(dead_code)]
    fn assert_client_hooks()
    where
        Client: ClientHooks<::jobrun_transport::Transport>,
    {}
};
#[allow(clippy::all)]
impl Client {
    /**Request an access token (client credentials)

Exchanges the credential's client id, client secret and scopes for an access token. The parameters go in a form body (`application/x-www-form-urlencoded`); DC-ims also accepts them as query parameters but recommends the body, which keeps the secret out of URLs and logs. Safe to repeat: every call answers a new token, nothing else changes.


Sends a `POST` request to `/ims/token/v3`

*/
    pub async fn get_access_token<'a>(
        &'a self,
        body: &'a types::TokenRequest,
    ) -> Result<ResponseValue<types::TokenAnswer>, Error<ByteStream>> {
        let url = format!("{}/ims/token/v3", self.baseurl,);
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .post(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .form_urlencoded(&body)?
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "get_access_token",
        };
        match (::jobrun_transport::prepare)(&self.inner, &mut request).await {
            Ok(_) => {}
            Err(e) => return Err(Error::Custom(e.to_string())),
        }
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200u16 => ResponseValue::from_response(response).await,
            400u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            401u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            429u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
}
/// Items consumers will typically use such as the Client.
pub mod prelude {
    #[allow(unused_imports)]
    pub use super::Client;
}
