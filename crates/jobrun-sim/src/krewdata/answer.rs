//! The bodies krewData answers with, success and error, each serialized from a struct so that
//! keys come out in the order of the vendor's samples whatever serde_json's features are.

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Which API a request was for; it names the body in `… request body schema is wrong.`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    Token,
    Run,
    Status,
}

/// Every documented error answer. The descriptions are seed 003's English text, verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// `Token|Run|Status request body schema is wrong.`
    BodySchema(Api),
    /// `X is empty or X cannot be found. Pay attention to the spelling of "X".`
    Missing(&'static str),
    /// `X data type is wrong, should be string type.`
    WrongType(&'static str),
    AppUrlFormat,
    AppUrlInvalid,
    SerialNotBase64,
    IllegalLicense,
    PathInvalid,
    UnitInvalid,
    RequestType,
    RateLimited,
    TokenInvalid,
    TokenUsed,
    TokenExpired,
    NotCallingApp,
    RecordType,
    /// 409, with the id of the task that holds the unit.
    Conflict(String),
    AccessTokenInvalid,
    TaskIdInvalid,
}

impl Refusal {
    fn status(&self) -> StatusCode {
        match self {
            Refusal::IllegalLicense => StatusCode::UNAUTHORIZED,
            Refusal::Conflict(_) => StatusCode::CONFLICT,
            Refusal::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    /// The `description` field.
    pub(crate) fn description(&self) -> String {
        let text = match self {
            Refusal::BodySchema(api) => {
                let name = match api {
                    Api::Token => "Token",
                    Api::Run => "Run",
                    Api::Status => "Status",
                };
                return format!("{name} request body schema is wrong.");
            }
            Refusal::Missing(field) => {
                return format!(
                    "{field} is empty or {field} cannot be found. Pay attention to the spelling of \"{field}\"."
                );
            }
            Refusal::WrongType(field) => {
                return format!("{field} data type is wrong, should be string type.");
            }
            Refusal::AppUrlFormat => {
                "krewdataAppUrl format is wrong, should be \"https://yourdomain/k/appId(/)\"."
            }
            Refusal::AppUrlInvalid => {
                "Specified krewdataAppUrl is invalid, should be \"https://yourdomain.cybozu.com/k/{appId}\"."
            }
            Refusal::SerialNotBase64 => "serialNumber is not a valid Base64 encoding value.",
            Refusal::IllegalLicense => "Illegal License.",
            Refusal::PathInvalid => "Request path is invalid.",
            Refusal::UnitInvalid => "Specified unit is invalid.",
            Refusal::RequestType => "Request type (Webhook/API/RunBykrewSheet) is wrong.",
            Refusal::RateLimited => {
                "The rate limit for API calls has been exceeded. Specified unit has been disabled."
            }
            Refusal::TokenInvalid => "Specified token is invalid.",
            Refusal::TokenUsed => "Specified token has been used.",
            Refusal::TokenExpired => {
                "Specified token has been created for more than 10 minutes and cannot be used to run unit."
            }
            Refusal::NotCallingApp => "app (appId) is not call app of task specified.",
            Refusal::RecordType => "record data type is wrong, should be keep with Kintone record.",
            Refusal::Conflict(_) => "Other User is running the execution unit.",
            Refusal::AccessTokenInvalid => "Specified accessToken is invalid.",
            Refusal::TaskIdInvalid => "Specified taskId is invalid.",
        };
        text.to_owned()
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: u16,
    status: &'a str,
    description: &'a str,
    #[serde(rename = "taskId", skip_serializing_if = "Option::is_none")]
    task_id: Option<&'a str>,
}

impl IntoResponse for Refusal {
    /// `{"code":400,"status":"Bad Request","description":"…"}` with the HTTP status equal to
    /// `code`; a 409 adds `"taskId"`.
    fn into_response(self) -> Response {
        let status = self.status();
        let description = self.description();
        let task_id = match &self {
            Refusal::Conflict(task_id) => Some(task_id.as_str()),
            _ => None,
        };
        json(
            status,
            &ErrorBody {
                code: status.as_u16(),
                status: status.canonical_reason().unwrap_or_default(),
                description: &description,
                task_id,
            },
        )
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenIssued<'a> {
    code: u16,
    status: &'a str,
    access_token: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunAccepted<'a> {
    code: u16,
    status: &'a str,
    task_id: &'a str,
}

/// The answer of `status`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TaskState {
    code: u16,
    status: &'static str,
    /// A documented value, unless the configuration renamed it.
    pub(crate) task_status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) error_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) error_message: Option<String>,
    pub(crate) flow_info: Vec<FlowInfo>,
}

impl TaskState {
    pub(crate) fn new(task_status: &'static str) -> Self {
        Self {
            code: 200,
            status: "OK",
            task_status: task_status.to_owned(),
            error_code: None,
            error_message: None,
            flow_info: Vec::new(),
        }
    }
}

/// One element of `flowInfo`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FlowInfo {
    pub(crate) flow_exec_unique_key: String,
    pub(crate) flow_name: String,
    pub(crate) status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) start_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) end_time: Option<String>,
}

pub(crate) fn token_issued(access_token: &str) -> Response {
    json(
        StatusCode::OK,
        &TokenIssued {
            code: 200,
            status: "OK",
            access_token,
        },
    )
}

pub(crate) fn run_accepted(task_id: &str) -> Response {
    json(
        StatusCode::OK,
        &RunAccepted {
            code: 200,
            status: "OK",
            task_id,
        },
    )
}

pub(crate) fn task_state(state: &TaskState) -> Response {
    json(StatusCode::OK, state)
}

fn json(status: StatusCode, body: &impl Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => {
            let mut response = (status, bytes).into_response();
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        // Unreachable: these structs hold only strings and numbers.
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(response: Response) -> (u16, String) {
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, String::from_utf8(bytes.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn error_bodies_keep_the_documented_key_order() {
        assert_eq!(
            body(Refusal::PathInvalid.into_response()).await,
            (
                400,
                r#"{"code":400,"status":"Bad Request","description":"Request path is invalid."}"#
                    .to_owned()
            )
        );
        assert_eq!(
            body(Refusal::Conflict("t1".into()).into_response()).await,
            (
                409,
                r#"{"code":409,"status":"Conflict","description":"Other User is running the execution unit.","taskId":"t1"}"#
                    .to_owned()
            )
        );
        assert_eq!(
            body(Refusal::Missing("user").into_response()).await.1,
            r#"{"code":400,"status":"Bad Request","description":"user is empty or user cannot be found. Pay attention to the spelling of \"user\"."}"#
        );
        assert_eq!(body(Refusal::RateLimited.into_response()).await.0, 429);
        assert_eq!(body(Refusal::IllegalLicense.into_response()).await.0, 401);
    }

    #[tokio::test]
    async fn success_bodies() {
        assert_eq!(
            body(token_issued("abc")).await.1,
            r#"{"code":200,"status":"OK","accessToken":"abc"}"#
        );
        assert_eq!(
            body(run_accepted("t")).await.1,
            r#"{"code":200,"status":"OK","taskId":"t"}"#
        );
    }
}
