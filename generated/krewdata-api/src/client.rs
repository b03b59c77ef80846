// generated from specs/krewdata.yaml by `cargo xtask codegen`; do not edit.

#![allow(clippy::all, unused_imports, unused_qualifications, unused_mut)]

#[allow(unused_imports)]
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};
/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    /**The calling app's id (呼び出し元アプリのアプリID): a number or a string (数値又は文字列). The seed's sample sends it as a string (`event.appId.toString()`).
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    #[serde(untagged)]
    pub enum AppId {
        String(::std::string::String),
        Int64(i64),
    }
    impl ::std::fmt::Display for AppId {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match self {
                Self::String(x) => x.fmt(f),
                Self::Int64(x) => x.fmt(f),
            }
        }
    }
    impl ::std::convert::From<i64> for AppId {
        fn from(value: i64) -> Self {
            Self::Int64(value)
        }
    }
    /**Every error answer: `{code, status, description}` with the exact English description of seed 003's error tables; 409 adds the taskId of the run in progress.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct ErrorBody {
        ///The error's code, equal to the HTTP status (400, 401, 409, 429).
        pub code: i32,
        ///エラーメッセージ, e.g. "Specified token is invalid.".
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub description: ::std::option::Option<::std::string::String>,
        ///The HTTP reason phrase, e.g. "Bad Request", "Conflict".
        pub status: ::std::string::String,
        /**409 only: the taskId of the run in progress. Seed 003 prints it as `","taskId":{taskId}`, a sibling of description.
*/
        #[serde(
            rename = "taskId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub task_id: ::std::option::Option<::std::string::String>,
    }
    ///How one data-editing flow (データ編集フロー) of the task stands.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct FlowInfo {
        /**データ編集フローの実行終了日時, same format; "" while the flow runs (seed 003's Running sample), absent while it is queued or canceled. Kept as written.
*/
        #[serde(
            rename = "endTime",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub end_time: ::std::option::Option<::jobrun_transport::VendorTime>,
        ///実行したデータ編集フローを一意に識別するキー値.
        #[serde(
            rename = "flowExecUniqueKey",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub flow_exec_unique_key: ::std::option::Option<::std::string::String>,
        ///データ編集フロー名.
        #[serde(rename = "flowName")]
        pub flow_name: ::std::string::String,
        /**データ編集フローの実行開始日時, as krewData writes it: `YYYY-MM-DD HH:MM:SS` without a zone (例 2020-12-01 09:00:00; presumably JST). Absent while the flow is queued or canceled. Kept as written.
*/
        #[serde(
            rename = "startTime",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub start_time: ::std::option::Option<::jobrun_transport::VendorTime>,
        pub status: crate::types::ExecutionStatus,
    }
    /**One field of a kintone record, as the kintone REST API writes it: `{"type": …, "value": …}`. The value's JSON type depends on the field type (text, arrays for check boxes, objects for users, subtables…), so it is kept as any JSON.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct KintoneField {
        ///The kintone field type, e.g. SINGLE_LINE_TEXT, NUMBER, DATE, RECORD_NUMBER.
        #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
        pub type_: ::std::option::Option<::std::string::String>,
        ///The field's value.
        pub value: ::serde_json::Value,
    }
    /**A kintone record: field code → field. A flow reads these values as its parameters, written `%FieldCode%` (research A6).
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    #[serde(transparent)]
    pub struct KintoneRecord(
        pub ::std::collections::BTreeMap<::std::string::String, KintoneField>,
    );
    impl ::std::ops::Deref for KintoneRecord {
        type Target = ::std::collections::BTreeMap<::std::string::String, KintoneField>;
        fn deref(
            &self,
        ) -> &::std::collections::BTreeMap<::std::string::String, KintoneField> {
            &self.0
        }
    }
    impl ::std::convert::From<KintoneRecord>
    for ::std::collections::BTreeMap<::std::string::String, KintoneField> {
        fn from(value: KintoneRecord) -> Self {
            value.0
        }
    }
    impl ::std::convert::From<
        ::std::collections::BTreeMap<::std::string::String, KintoneField>,
    > for KintoneRecord {
        fn from(
            value: ::std::collections::BTreeMap<::std::string::String, KintoneField>,
        ) -> Self {
            Self(value)
        }
    }
    ///The answer of runUnit.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct RunAnswer {
        ///レスポンスコード; 200 on success.
        pub code: i32,
        ///レスポンスステータス; "OK" on success.
        pub status: ::std::string::String,
        ///タスクID, for getTaskStatus.
        #[serde(rename = "taskId")]
        pub task_id: ::std::string::String,
    }
    ///The body of runUnit.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct RunRequest {
        ///An unused access token younger than 10 minutes. A secret.
        #[serde(rename = "accessToken")]
        pub access_token: ::std::string::String,
        #[serde(rename = "appId")]
        pub app_id: AppId,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub record: ::std::option::Option<KintoneRecord>,
        /**実行単位の実行を要求するユーザーのkintoneログイン名, recorded as the run's 実行ユーザー.
*/
        pub user: ::std::string::String,
    }
    ///The answer of getTaskStatus.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct StatusAnswer {
        ///レスポンスコード; 200 on success.
        pub code: i32,
        /**taskStatusがFailureだった場合のエラーコード (例 "33": the flow's settings are wrong; "134": another user was running the unit). The full list is on a page not read (research A.4).
*/
        #[serde(
            rename = "errorCode",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub error_code: ::std::option::Option<::std::string::String>,
        ///taskStatusがFailureだった場合のエラーメッセージ.
        #[serde(
            rename = "errorMessage",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub error_message: ::std::option::Option<::std::string::String>,
        ///実行単位に含まれるデータ編集フローの実行情報, in run order.
        #[serde(
            rename = "flowInfo",
            default,
            skip_serializing_if = "::std::vec::Vec::is_empty"
        )]
        pub flow_info: ::std::vec::Vec<FlowInfo>,
        ///レスポンスステータス; "OK" on success.
        pub status: ::std::string::String,
        #[serde(rename = "taskStatus")]
        pub task_status: crate::types::ExecutionStatus,
    }
    ///The body of getTaskStatus.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct StatusRequest {
        /**A valid access token. The seed's sample reuses the token its run spent; a token older than 10 minutes is answered "Specified accessToken is invalid.". A secret.
*/
        #[serde(rename = "accessToken")]
        pub access_token: ::std::string::String,
        ///The taskId runUnit answered.
        #[serde(rename = "taskId")]
        pub task_id: ::std::string::String,
    }
    ///The answer of requestToken.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct TokenAnswer {
        ///アクセストークン, for one runUnit and for getTaskStatus. A secret.
        #[serde(rename = "accessToken")]
        pub access_token: ::std::string::String,
        ///レスポンスコード; 200 on success.
        pub code: i32,
        ///レスポンスステータス; "OK" on success.
        pub status: ::std::string::String,
    }
    ///The body of requestToken.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct TokenRequest {
        /**実行を要求する実行単位が登録されているkrewData専用アプリのURL, shaped `https://yourdomain.cybozu.com/k/{appId}` (a trailing slash is allowed).
*/
        #[serde(rename = "krewdataAppUrl")]
        pub krewdata_app_url: ::std::string::String,
        /**Base64エンコードしたリアルタイム実行のシリアルナンバー: the standard Base64 (with padding) of the serial's text, as the sample's `window.btoa(serialNumber)` makes it. A secret.
*/
        #[serde(rename = "serialNumber")]
        pub serial_number: ::std::string::String,
    }
    ///実行単位ID (例 abcdefghijklmn).
    #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
    #[serde(transparent)]
    pub struct UnitId(::std::string::String);
    impl ::std::ops::Deref for UnitId {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<UnitId> for ::std::string::String {
        fn from(value: UnitId) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for UnitId {
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
    impl ::std::convert::TryFrom<&str> for UnitId {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for UnitId {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for UnitId {
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
    /** 実行状況 of a task (taskStatus) or of one data-editing flow (flowInfo.status). Cancel is documented for flows only; a task is not expected to report it, but would be ended by it.

 Open enum: a value the spec does not list decodes to `Unknown` with the text as received, and encodes back unchanged.*/
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum ExecutionStatus {
        /// `Queuing`: 実行待機中 (waiting to run)
        Queuing,
        /// `Running`: 実行中 (running)
        Running,
        /// `Success`: 実行完了(成功) (ended, succeeded)
        Success,
        /// `Failure`: 実行完了(失敗) (ended, failed)
        Failure,
        /// `Cancel`: 実行中止 (not run or stopped, e.g. a flow after a failed one)
        Cancel,
        /// A value this client does not know, as received.
        Unknown(::std::string::String),
    }
    impl ExecutionStatus {
        /// Every value the spec lists, in the spec's order.
        pub const KNOWN: &'static [&'static str] = &[
            "Queuing",
            "Running",
            "Success",
            "Failure",
            "Cancel",
        ];
        /// The value as it goes on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::Queuing => "Queuing",
                Self::Running => "Running",
                Self::Success => "Success",
                Self::Failure => "Failure",
                Self::Cancel => "Cancel",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the spec lists this value.
        pub fn is_known(&self) -> bool {
            !matches!(self, Self::Unknown(_))
        }
        /// Whether the spec marks this value terminal (`x-terminal`: Success, Failure, Cancel).
        pub fn is_terminal(&self) -> bool {
            matches!(self, Self::Success | Self::Failure | Self::Cancel)
        }
    }
    impl ::std::fmt::Display for ExecutionStatus {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::std::str::FromStr for ExecutionStatus {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(
                match value {
                    "Queuing" => Self::Queuing,
                    "Running" => Self::Running,
                    "Success" => Self::Success,
                    "Failure" => Self::Failure,
                    "Cancel" => Self::Cancel,
                    other => Self::Unknown(other.to_owned()),
                },
            )
        }
    }
    impl ::serde::Serialize for ExecutionStatus {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for ExecutionStatus {
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
/**Client for krewData real-time execution API

Run a krewData execution unit (実行単位: one or more data-editing flows that run in order, research A1) from outside kintone, and read its progress. An access token from requestToken is single use for runUnit and expires 10 minutes after it was issued; getTaskStatus takes a token too. krewData allows the same real-time execution 5 times a minute; exceeding it disables the unit and notifies the administrator (research A3).


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
    /**実行要求 (run the execution unit)

実行単位の実行を要求します。Not idempotent: every accepted call starts a task, and the token it spends is gone. A unit that forbids concurrent runs answers 409 with the taskId of the run in progress.


Sends a `POST` request to `/trigger/v1/{unitId}/run`

Arguments:
- `unit_id`: 実行単位ID, the last segment of the real-time execution URL the krewData plugin shows (例 abcdefghijklmn). Regenerating that URL changes it (research A3).

- `body`
*/
    pub async fn run_unit<'a>(
        &'a self,
        unit_id: &'a types::UnitId,
        body: &'a types::RunRequest,
    ) -> Result<ResponseValue<types::RunAnswer>, Error<ByteStream>> {
        let url = format!(
            "{}/trigger/v1/{}/run", self.baseurl, encode_path(& unit_id.to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .post(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .json(&body)
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "run_unit",
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
            409u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**実行状況確認 (read a task's status)

実行単位の実行状況を確認します。Read-only and safe to repeat. The seed's sample polls it every 5 seconds until taskStatus is Success or Failure.


Sends a `POST` request to `/trigger/v1/{unitId}/status`

Arguments:
- `unit_id`: 実行単位ID, the last segment of the real-time execution URL the krewData plugin shows (例 abcdefghijklmn). Regenerating that URL changes it (research A3).

- `body`
*/
    pub async fn get_task_status<'a>(
        &'a self,
        unit_id: &'a types::UnitId,
        body: &'a types::StatusRequest,
    ) -> Result<ResponseValue<types::StatusAnswer>, Error<ByteStream>> {
        let url = format!(
            "{}/trigger/v1/{}/status", self.baseurl, encode_path(& unit_id.to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .post(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .json(&body)
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "get_task_status",
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
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**アクセストークン要求 (request an access token)

実行単位の実行を要求するためのアクセストークンを要求します。The token is single use for runUnit and expires 10 minutes after it was issued. Each call counts toward the unit's 5 real-time executions a minute (research A3: whether tokens or runs are counted is not documented, so jobrun counts token requests, the stricter reading).


Sends a `POST` request to `/trigger/v1/{unitId}/token`

Arguments:
- `unit_id`: 実行単位ID, the last segment of the real-time execution URL the krewData plugin shows (例 abcdefghijklmn). Regenerating that URL changes it (research A3).

- `body`
*/
    pub async fn request_token<'a>(
        &'a self,
        unit_id: &'a types::UnitId,
        body: &'a types::TokenRequest,
    ) -> Result<ResponseValue<types::TokenAnswer>, Error<ByteStream>> {
        let url = format!(
            "{}/trigger/v1/{}/token", self.baseurl, encode_path(& unit_id.to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .post(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .json(&body)
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "request_token",
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
