// generated from specs/asteria-warp.yaml by `cargo xtask codegen`; do not edit.

#![allow(clippy::all, unused_imports, unused_qualifications, unused_mut)]

#[allow(unused_imports)]
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};
/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    ///A date as YYYYMMDD (例 20121005).
    #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
    #[serde(transparent)]
    pub struct Date(::std::string::String);
    impl ::std::ops::Deref for Date {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<Date> for ::std::string::String {
        fn from(value: Date) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for Date {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            static PATTERN: ::std::sync::LazyLock<::regress::Regex> = ::std::sync::LazyLock::new(||
            { ::regress::Regex::new("^[0-9]{8}$").unwrap() });
            if PATTERN.find(value).is_none() {
                return Err("doesn't match pattern \"^[0-9]{8}$\"".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for Date {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for Date {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for Date {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            ::std::string::String::deserialize(deserializer)?
                .parse()
                .map_err(|e: self::error::ConversionError| {
                    <D::Error as ::serde::de::Error>::custom(e.to_string())
                })
        }
    }
    ///The form of login (research B.6, inferred).
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct LoginForm {
        ///The password. A secret.
        pub password: ::std::string::String,
        ///The user name, e.g. guest.
        #[serde(rename = "userName")]
        pub user_name: ::std::string::String,
    }
    /**リクエストID. The samples are lowercase UUIDs, but seed 004's own rerun sample has 13 hex digits in its last group, so no format is assumed.
*/
    #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
    #[serde(transparent)]
    pub struct RequestId(::std::string::String);
    impl ::std::ops::Deref for RequestId {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<RequestId> for ::std::string::String {
        fn from(value: RequestId) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for RequestId {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if value.chars().count() < 1usize {
                return Err("shorter than 1 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for RequestId {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for RequestId {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for RequestId {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            ::std::string::String::deserialize(deserializer)?
                .parse()
                .map_err(|e: self::error::ConversionError| {
                    <D::Error as ::serde::de::Error>::custom(e.to_string())
                })
        }
    }
    ///The form of rerun.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct RerunForm {
        pub date: Date,
        #[serde(rename = "requestId")]
        pub request_id: RequestId,
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
    /** リクエストの実行ステータス.

 Open enum: a value the spec does not list decodes to `Unknown` with the text as received, and encodes back unchanged.*/
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum RequestStatus {
        /// `running`: 実行中 (running)
        Running,
        /// `success`: 正常終了 (ended normally)
        Success,
        /// `error`: 異常終了 (ended abnormally)
        Error,
        /// A value this client does not know, as received.
        Unknown(::std::string::String),
    }
    impl RequestStatus {
        /// Every value the spec lists, in the spec's order.
        pub const KNOWN: &'static [&'static str] = &["running", "success", "error"];
        /// The value as it goes on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::Running => "running",
                Self::Success => "success",
                Self::Error => "error",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the spec lists this value.
        pub fn is_known(&self) -> bool {
            !matches!(self, Self::Unknown(_))
        }
        /// Whether the spec marks this value terminal (`x-terminal`: success, error).
        pub fn is_terminal(&self) -> bool {
            matches!(self, Self::Success | Self::Error)
        }
    }
    impl ::std::fmt::Display for RequestStatus {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::std::str::FromStr for RequestStatus {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(
                match value {
                    "running" => Self::Running,
                    "success" => Self::Success,
                    "error" => Self::Error,
                    other => Self::Unknown(other.to_owned()),
                },
            )
        }
    }
    impl ::serde::Serialize for RequestStatus {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for RequestStatus {
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
/**Client for ASTERIA Warp Flow Service API (checkpoint)

The checkpoint module of ASTERIA Warp's Flow Service API: checkpoint-flow requests (チェックポイントフローのリクエスト), which a failed run can resume from the checkpoint it last passed. Checkpoints are an Enterprise feature (research B.4). The server listens on the Flow Designer listener port, 21381 in a standard install (research B2); URLs are `http://{Hostname}:{Port}/api/{Module}/{Function}` and answer XML when no `.json` suffix is given (B1, B3).


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
    /**ログイン (log in)

Opens a session; its id goes in `X-Fs-SessionId` on every later call. The parameters are the MC API's (`userName`, `password`, research B.6): this API's own auth page could not be read.


Sends a `POST` request to `/api/auth/login`

*/
    pub async fn login<'a>(
        &'a self,
        body: &'a types::LoginForm,
    ) -> Result<ResponseValue<ByteStream>, Error<ByteStream>> {
        let url = format!("{}/api/auth/login", self.baseurl,);
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .post(url)
            .form_urlencoded(&body)?
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "login",
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
            200u16 => Ok(ResponseValue::stream(response)),
            400u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            500u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**ログアウト (log out)

Closes the session named by `X-Fs-SessionId`.

Sends a `POST` request to `/api/auth/logout`

*/
    pub async fn logout<'a>(
        &'a self,
    ) -> Result<ResponseValue<ByteStream>, Error<ByteStream>> {
        let url = format!("{}/api/auth/logout", self.baseurl,);
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self.client.post(url).headers(header_map).build()?;
        let info = OperationInfo {
            operation_id: "logout",
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
            200u16 => Ok(ResponseValue::stream(response)),
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            500u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**list (チェックポイントフローのリクエストの一覧)

One page of the checkpoint-flow requests that started on `date`, filtered. Change only `page` to move through the same list.


Sends a `GET` request to `/api/checkpoint/list`

Arguments:
- `date`: リクエストの開始日付, YYYYMMDD; the server's today when omitted.
- `domain`: プロジェクトオーナーのドメイン名.
- `flow`: フロー名.
- `page`: 一覧のページ番号, from 1 (default 1).
- `project`: プロジェクト名.
- `size`: 一度に取得するサイズ (requests per page, default 50).
- `status`: リクエストの実行ステータス; any other value is error 2000.
- `user`: プロジェクトオーナーのユーザー名.
*/
    pub async fn list_checkpoints<'a>(
        &'a self,
        date: Option<&'a types::Date>,
        domain: Option<&'a str>,
        flow: Option<&'a str>,
        page: Option<::std::num::NonZeroU32>,
        project: Option<&'a str>,
        size: Option<::std::num::NonZeroU32>,
        status: Option<&'a crate::types::RequestStatus>,
        user: Option<&'a str>,
    ) -> Result<ResponseValue<ByteStream>, Error<ByteStream>> {
        let url = format!("{}/api/checkpoint/list", self.baseurl,);
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .get(url)
            .query(&progenitor_client::QueryParam::new("date", &date))
            .query(&progenitor_client::QueryParam::new("domain", &domain))
            .query(&progenitor_client::QueryParam::new("flow", &flow))
            .query(&progenitor_client::QueryParam::new("page", &page))
            .query(&progenitor_client::QueryParam::new("project", &project))
            .query(&progenitor_client::QueryParam::new("size", &size))
            .query(&progenitor_client::QueryParam::new("status", &status))
            .query(&progenitor_client::QueryParam::new("user", &user))
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "list_checkpoints",
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
            200u16 => Ok(ResponseValue::stream(response)),
            400u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            500u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**rerun (チェックポイントフローのリクエストを再実行)

Re-runs a request that ended in error from the checkpoint just before its failure, and answers at once without waiting for it. Not idempotent. Error 2002 means either that no such request exists or that its status is not `error`.


Sends a `POST` request to `/api/checkpoint/rerun`

*/
    pub async fn rerun_checkpoint<'a>(
        &'a self,
        body: &'a types::RerunForm,
    ) -> Result<ResponseValue<ByteStream>, Error<ByteStream>> {
        let url = format!("{}/api/checkpoint/rerun", self.baseurl,);
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .post(url)
            .form_urlencoded(&body)?
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "rerun_checkpoint",
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
            200u16 => Ok(ResponseValue::stream(response)),
            400u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            404u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            500u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**show (チェックポイントフローのリクエストの情報)

One request, with where it stopped (checkPointStatus) and, once re-run, when and from where it resumed (restartTime, checkPointRestartStatus). Giving `date` makes it faster.


Sends a `GET` request to `/api/checkpoint/show`

Arguments:
- `date`: リクエストの開始日付, YYYYMMDD.
- `request_id`: リクエストID, from list.
*/
    pub async fn show_checkpoint<'a>(
        &'a self,
        date: Option<&'a types::Date>,
        request_id: &'a types::RequestId,
    ) -> Result<ResponseValue<ByteStream>, Error<ByteStream>> {
        let url = format!("{}/api/checkpoint/show", self.baseurl,);
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .get(url)
            .query(&progenitor_client::QueryParam::new("date", &date))
            .query(&progenitor_client::QueryParam::new("requestId", &request_id))
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "show_checkpoint",
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
            200u16 => Ok(ResponseValue::stream(response)),
            400u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            404u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            500u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
}
/// Items consumers will typically use such as the Client.
pub mod prelude {
    #[allow(unused_imports)]
    pub use super::Client;
}
