// generated from specs/trocco.yaml by `cargo xtask codegen`; do not edit.

#![allow(clippy::all, unused_imports, unused_qualifications, unused_mut)]

#[allow(unused_imports)]
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};
/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    ///A custom variable (カスタム変数) and the value to expand it to for this run.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct CustomVariable {
        ///カスタム変数名, wrapped in `$` (例 `$ad_id$`).
        pub name: ::std::string::String,
        ///カスタム変数の値.
        pub value: ::std::string::String,
    }
    /**trocco's error bodies are not uniform (research §1.7): {"error": "..."}, {"message": "..."}, {"message": "...", "errors": [{"attribute", "message"}]}. Read `error`, then `message`, then the raw text.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct ErrorBody {
        ///What went wrong (one of the shapes; Terraform's provider reads it first).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub error: ::std::option::Option<::std::string::String>,
        ///Per-field validation failures; omitted when empty.
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub errors: ::std::vec::Vec<ErrorField>,
        ///What went wrong (the other shapes), e.g. "Not Authorized".
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub message: ::std::option::Option<::std::string::String>,
    }
    ///One failed attribute of a validation error.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct ErrorField {
        ///The request field that failed, e.g. incremental_column.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub attribute: ::std::option::Option<::std::string::String>,
        ///Why it failed, in trocco's words (often Japanese).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub message: ::std::option::Option<::std::string::String>,
    }
    /**A wall-clock time `YYYY-MM-DD HH:MM:SS` (例: 2019-11-18 00:00:00), read in the request's time_zone.
*/
    #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
    #[serde(transparent)]
    pub struct LocalDateTime(::std::string::String);
    impl ::std::ops::Deref for LocalDateTime {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<LocalDateTime> for ::std::string::String {
        fn from(value: LocalDateTime) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for LocalDateTime {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            static PATTERN: ::std::sync::LazyLock<::regress::Regex> = ::std::sync::LazyLock::new(||
            {
                ::regress::Regex::new("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$")
                    .unwrap()
            });
            if PATTERN.find(value).is_none() {
                return Err(
                    "doesn't match pattern \"^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$\""
                        .into(),
                );
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for LocalDateTime {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for LocalDateTime {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for LocalDateTime {
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
    ///A workflow job (ワークフロージョブ).
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct PipelineJob {
        /**ワークフロー定義でカスタム変数 時刻・日付(キューイング時) を利用する場合、展開される日時です。
*/
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub context_time: ::std::option::Option<::jobrun_transport::VendorTime>,
        ///ワークフロージョブの作成日時です。タイムゾーンはJST 日本時間(GMT+9)です。
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub created_at: ::std::option::Option<::jobrun_transport::VendorTime>,
        ///ワークフロージョブが実行完了になった日時です。タイムゾーンはJST 日本時間(GMT+9)です。
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub finished_at: ::std::option::Option<::jobrun_transport::VendorTime>,
        ///ワークフロージョブIDです。
        pub id: i64,
        ///ワークフロー定義名です。
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        ///ワークフロー定義IDです。
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub pipeline_definition_id: ::std::option::Option<i64>,
        ///ワークフロージョブが実行中になった日時です。タイムゾーンはJST 日本時間(GMT+9)です。
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub started_at: ::std::option::Option<::jobrun_transport::VendorTime>,
        pub status: crate::types::JobStatus,
    }
    ///The JSON body of runJob.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct RunJobRequest {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub context_time: ::std::option::Option<LocalDateTime>,
        ///Values for the definition's custom variables.
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub custom_variables: ::std::vec::Vec<CustomVariable>,
        /**Professional plan only: the resource size of this run (research §1.1; the values are not documented).
*/
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub manual_resource_enhancement: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub time_zone: ::std::option::Option<TimeZone>,
    }
    ///The JSON body of runPipelineJob.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct RunPipelineJobRequest {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub context_time: ::std::option::Option<LocalDateTime>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub time_zone: ::std::option::Option<TimeZone>,
    }
    /**An IANA time zone name (タイムゾーン). Default "Asia/Tokyo"; example Etc/UTC (seed 001).
*/
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Eq,
        Hash,
        Ord,
        PartialEq,
        PartialOrd
    )]
    #[serde(transparent)]
    pub struct TimeZone(pub ::std::string::String);
    impl ::std::ops::Deref for TimeZone {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<TimeZone> for ::std::string::String {
        fn from(value: TimeZone) -> Self {
            value.0
        }
    }
    impl ::std::convert::From<::std::string::String> for TimeZone {
        fn from(value: ::std::string::String) -> Self {
            Self(value)
        }
    }
    impl ::std::fmt::Display for TimeZone {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            self.0.fmt(f)
        }
    }
    impl ::std::str::FromStr for TimeZone {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self(value.to_string()))
        }
    }
    ///A transfer job (転送ジョブ).
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct TransferJob {
        ///The time queue-time custom variables expand to (as for workflow jobs).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub context_time: ::std::option::Option<::jobrun_transport::VendorTime>,
        ///転送ジョブの作成日時, e.g. 2023-05-19T19:14:00.000+09:00.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub created_at: ::std::option::Option<::jobrun_transport::VendorTime>,
        /**転送終了日時. Absent (seed 000) or null (research §1.2) until the job finishes.
*/
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub finished_at: ::std::option::Option<::jobrun_transport::VendorTime>,
        ///ジョブのID.
        pub id: i64,
        ///転送設定のID.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub job_definition_id: ::std::option::Option<i64>,
        ///転送設定の名称.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub job_definition_name: ::std::option::Option<::std::string::String>,
        /**転送開始日時. Absent (seed 000) or null (research §1.2) until the transfer starts.
*/
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub started_at: ::std::option::Option<::jobrun_transport::VendorTime>,
        pub status: crate::types::JobStatus,
        ///The time zone the job ran with.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub time_zone: ::std::option::Option<::std::string::String>,
    }
    ///One page of a cursor-paged list (research §1.8).
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct TransferJobPage {
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub items: ::std::vec::Vec<TransferJob>,
        ///Pass as `cursor` for the next page; null on the last page.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub next_cursor: ::std::option::Option<::std::string::String>,
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
    /** The status of a transfer job or a workflow job (ジョブのステータス). retry_waiting is documented for workflow jobs only (seed 001).

 Open enum: a value the spec does not list decodes to `Unknown` with the text as received, and encodes back unchanged.*/
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum JobStatus {
        /// `queued`: 実行待ち状態 (waiting to run)
        Queued,
        /// `setting_up`: 実行準備状態 (preparing)
        SettingUp,
        /// `executing`: 実行中状態 (running)
        Executing,
        /// `interrupting`: 実行中断状態 (being interrupted)
        Interrupting,
        /// `succeeded`: 実行完了(成功)状態 (finished, succeeded)
        Succeeded,
        /// `error`: 実行完了(エラー)状態 (finished, error)
        Error,
        /// `canceled`: 実行完了(キャンセル)状態 (finished, canceled)
        Canceled,
        /// `skipped`: 実行完了(スキップ)状態 (finished, skipped)
        Skipped,
        /// `retry_waiting`: 実行完了(エラー)からリトライ開始するまでの待ち状態 (waiting after an error until an automatic retry starts; only when the workflow has a retry count)
        RetryWaiting,
        /// A value this client does not know, as received.
        Unknown(::std::string::String),
    }
    impl JobStatus {
        /// Every value the spec lists, in the spec's order.
        pub const KNOWN: &'static [&'static str] = &[
            "queued",
            "setting_up",
            "executing",
            "interrupting",
            "succeeded",
            "error",
            "canceled",
            "skipped",
            "retry_waiting",
        ];
        /// The value as it goes on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::Queued => "queued",
                Self::SettingUp => "setting_up",
                Self::Executing => "executing",
                Self::Interrupting => "interrupting",
                Self::Succeeded => "succeeded",
                Self::Error => "error",
                Self::Canceled => "canceled",
                Self::Skipped => "skipped",
                Self::RetryWaiting => "retry_waiting",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the spec lists this value.
        pub fn is_known(&self) -> bool {
            !matches!(self, Self::Unknown(_))
        }
        /// Whether the spec marks this value terminal (`x-terminal`: succeeded, error, canceled, skipped).
        pub fn is_terminal(&self) -> bool {
            matches!(
                self, Self::Succeeded | Self::Error | Self::Canceled | Self::Skipped
            )
        }
    }
    impl ::std::fmt::Display for JobStatus {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::std::str::FromStr for JobStatus {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(
                match value {
                    "queued" => Self::Queued,
                    "setting_up" => Self::SettingUp,
                    "executing" => Self::Executing,
                    "interrupting" => Self::Interrupting,
                    "succeeded" => Self::Succeeded,
                    "error" => Self::Error,
                    "canceled" => Self::Canceled,
                    "skipped" => Self::Skipped,
                    "retry_waiting" => Self::RetryWaiting,
                    other => Self::Unknown(other.to_owned()),
                },
            )
        }
    }
    impl ::serde::Serialize for JobStatus {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for JobStatus {
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
/**Client for trocco job API

Transfer jobs (転送ジョブ) and workflow jobs (ワークフロージョブ) of trocco: start one, read its status, list the transfer jobs of a definition. Rate limit: 3,500 calls per 10 minutes per account (100 on trial and free plans); every answer carries X-Rate-Limit-* headers and an exhausted budget answers 429 (research §3).


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
    /**転送ジョブ一覧取得 (list the transfer jobs of a definition)

One page of the transfer jobs of a definition, filtered by creation time. Follow `next_cursor` until it is null.


Sends a `GET` request to `/api/job_definitions/{job_definition_id}/jobs`

Arguments:
- `job_definition_id`: 転送設定ID (transfer definition id).
- `cursor`: The `next_cursor` of the previous page (opaque).
- `end_time`: Jobs created at or before this time, `YYYY-MM-DD HH:MM:SS` in `time_zone`.
- `limit`: Page size; trocco's documented maximum is 100.
- `start_time`: Jobs created at or after this time, `YYYY-MM-DD HH:MM:SS` in `time_zone`.
- `time_zone`: IANA time zone of start_time and end_time; trocco's default is Asia/Tokyo.
*/
    pub async fn list_jobs<'a>(
        &'a self,
        job_definition_id: ::std::num::NonZeroU64,
        cursor: Option<&'a str>,
        end_time: Option<&'a types::LocalDateTime>,
        limit: Option<::std::num::NonZeroU32>,
        start_time: Option<&'a types::LocalDateTime>,
        time_zone: Option<&'a types::TimeZone>,
    ) -> Result<ResponseValue<types::TransferJobPage>, Error<ByteStream>> {
        let url = format!(
            "{}/api/job_definitions/{}/jobs", self.baseurl, encode_path(&
            job_definition_id.to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .get(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .query(&progenitor_client::QueryParam::new("cursor", &cursor))
            .query(&progenitor_client::QueryParam::new("end_time", &end_time))
            .query(&progenitor_client::QueryParam::new("limit", &limit))
            .query(&progenitor_client::QueryParam::new("start_time", &start_time))
            .query(&progenitor_client::QueryParam::new("time_zone", &time_zone))
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "list_jobs",
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
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            404u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            429u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**ジョブの実行 (run a transfer job)

Starts a transfer job of the given transfer definition (転送設定). Not idempotent: every call starts a new job, and trocco has no idempotency key.


Sends a `POST` request to `/api/jobs`

Arguments:
- `job_definition_id`: 転送設定ID (transfer definition id). 必須パラメータです。
- `body`: Every field is optional; an empty object runs the job with the definition's defaults. Seed 000 (2022) shows the same fields as form fields (`custom_variables[][name]`); the current reference takes a JSON body (research §1.1).

*/
    pub async fn run_job<'a>(
        &'a self,
        job_definition_id: ::std::num::NonZeroU64,
        body: &'a types::RunJobRequest,
    ) -> Result<ResponseValue<types::TransferJob>, Error<ByteStream>> {
        let url = format!("{}/api/jobs", self.baseurl,);
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
            .query(
                &progenitor_client::QueryParam::new(
                    "job_definition_id",
                    &job_definition_id,
                ),
            )
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "run_job",
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
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            404u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            422u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            429u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**ジョブのステータス確認 (get a transfer job)

Sends a `GET` request to `/api/jobs/{job_id}`

Arguments:
- `job_id`: ジョブID (transfer job id).
*/
    pub async fn get_job<'a>(
        &'a self,
        job_id: ::std::num::NonZeroU64,
    ) -> Result<ResponseValue<types::TransferJob>, Error<ByteStream>> {
        let url = format!(
            "{}/api/jobs/{}", self.baseurl, encode_path(& job_id.to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .get(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "get_job",
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
            401u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            404u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            429u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**ワークフロージョブの実行 (run a workflow job)

Starts a workflow job of the given workflow definition (ワークフロー定義). Not idempotent.


Sends a `POST` request to `/api/pipeline_jobs`

Arguments:
- `pipeline_definition_id`: ワークフロー定義ID (workflow definition id).
- `body`: Every field is optional (seed 001 lists context_time and time_zone only).
*/
    pub async fn run_pipeline_job<'a>(
        &'a self,
        pipeline_definition_id: ::std::num::NonZeroU64,
        body: &'a types::RunPipelineJobRequest,
    ) -> Result<ResponseValue<types::PipelineJob>, Error<ByteStream>> {
        let url = format!("{}/api/pipeline_jobs", self.baseurl,);
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
            .query(
                &progenitor_client::QueryParam::new(
                    "pipeline_definition_id",
                    &pipeline_definition_id,
                ),
            )
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "run_pipeline_job",
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
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            404u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            429u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**ワークフロージョブのステータス確認 (get a workflow job)

Sends a `GET` request to `/api/pipeline_jobs/{pipeline_job_id}`

Arguments:
- `pipeline_job_id`: ワークフロージョブID (workflow job id).
*/
    pub async fn get_pipeline_job<'a>(
        &'a self,
        pipeline_job_id: ::std::num::NonZeroU64,
    ) -> Result<ResponseValue<types::PipelineJob>, Error<ByteStream>> {
        let url = format!(
            "{}/api/pipeline_jobs/{}", self.baseurl, encode_path(& pipeline_job_id
            .to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .get(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "get_pipeline_job",
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
            401u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            404u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
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
