//! krewData's documented error answers as a type a program can match on.

use crate::{Error, error::VendorError, request::ErrorWords};

/// One documented error answer of krewData's real-time execution API (seed 003's error
/// tables), recognized from its exact `description`.
///
/// Reach it through [`crate::Error::krewdata`]. Descriptions the docs do not list stay
/// unrecognized: the error then keeps only the text and the raw body.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KrewdataError {
    /// "krewdataAppUrl data type is wrong, should be string type."
    AppUrlWrongType,
    /// "krewdataAppUrl format is wrong, should be \"https://yourdomain/k/appId(/)\"."
    AppUrlBadFormat,
    /// "krewdataAppUrl is empty or krewdataAppUrl cannot be found. …"
    AppUrlMissing,
    /// "Specified krewdataAppUrl is invalid, …": not the krewData app holding the unit.
    AppUrlInvalid,
    /// "serialNumber data type is wrong, should be string type."
    SerialWrongType,
    /// "serialNumber is empty or serialNumber cannot be found. …"
    SerialMissing,
    /// "serialNumber is not a valid Base64 encoding value."
    SerialNotBase64,
    /// 401 "Illegal License.": the serial number is not valid.
    IllegalLicense,
    /// "Specified unit is invalid.": the unit is disabled or has no valid data-editing flow.
    UnitInvalid,
    /// "Request type (Webhook/API/RunBykrewSheet) is wrong.": the unit runs by Webhook or
    /// from krewSheet, not by API.
    WrongExecutionMethod,
    /// "Token/Run/Status request body schema is wrong."
    BodySchema,
    /// "Request path is invalid.": no such unit (or URL).
    PathInvalid,
    /// "Specified token has been created for more than 10 minutes and cannot be used to run
    /// unit."
    TokenExpired,
    /// "Specified token has been used.": tokens are single use for a run.
    TokenUsed,
    /// "Specified token is invalid." (run) or "Specified accessToken is invalid." (status).
    TokenInvalid,
    /// "accessToken is empty or accessToken cannot be found. …"
    AccessTokenMissing,
    /// "accessToken data type is wrong, should be string type."
    AccessTokenWrongType,
    /// "user is empty or user cannot be found. …"
    UserMissing,
    /// "user data type is wrong, should be string type."
    UserWrongType,
    /// "appId is empty or appId cannot be found. …"
    AppIdMissing,
    /// "appId data type is wrong, should be string type."
    AppIdWrongType,
    /// "app (appId) is not call app of task specified.": not the unit's calling app.
    AppNotCallingApp,
    /// "record data type is wrong, should be keep with Kintone record."
    RecordNotKintone,
    /// "taskId is empty or taskId cannot be found. …"
    TaskIdMissing,
    /// "taskId data type is wrong, should be string type."
    TaskIdWrongType,
    /// "Specified taskId is invalid."
    TaskIdInvalid,
    /// 409 "Other User is running the execution unit.": the unit forbids concurrent runs; the
    /// answer names the run in progress so a caller can wait for it instead.
    OtherUserRunning {
        /// The taskId of the run in progress, when the answer carried one.
        task_id: Option<String>,
    },
    /// 429 "The rate limit for API calls has been exceeded. Specified unit has been disabled."
    UnitDisabledByRateLimit,
}

impl KrewdataError {
    /// Recognizes a documented description (and, for 409, the task it names).
    fn from_description(description: &str, task_id: Option<String>) -> Option<Self> {
        use KrewdataError::*;
        let kind = match description.trim() {
            "krewdataAppUrl data type is wrong, should be string type." => AppUrlWrongType,
            "krewdataAppUrl format is wrong, should be \"https://yourdomain/k/appId(/)\"." => {
                AppUrlBadFormat
            }
            "krewdataAppUrl is empty or krewdataAppUrl cannot be found. Pay attention to the spelling of \"krewdataAppUrl\"." => {
                AppUrlMissing
            }
            "Specified krewdataAppUrl is invalid, should be \"https://yourdomain.cybozu.com/k/{appId}\"." => {
                AppUrlInvalid
            }
            "serialNumber data type is wrong, should be string type." => SerialWrongType,
            "serialNumber is empty or serialNumber cannot be found. Pay attention to the spelling of \"serialNumber\"." => {
                SerialMissing
            }
            "serialNumber is not a valid Base64 encoding value." => SerialNotBase64,
            "Illegal License." => IllegalLicense,
            "Specified unit is invalid." => UnitInvalid,
            "Request type (Webhook/API/RunBykrewSheet) is wrong." => WrongExecutionMethod,
            "Token request body schema is wrong."
            | "Run request body schema is wrong."
            | "Status request body schema is wrong." => BodySchema,
            "Request path is invalid." => PathInvalid,
            "Specified token has been created for more than 10 minutes and cannot be used to run unit." => {
                TokenExpired
            }
            "Specified token has been used." => TokenUsed,
            "Specified token is invalid." | "Specified accessToken is invalid." => TokenInvalid,
            "accessToken is empty or accessToken cannot be found. Pay attention to the spelling of \"accessToken\"." => {
                AccessTokenMissing
            }
            "accessToken data type is wrong, should be string type." => AccessTokenWrongType,
            "user is empty or user cannot be found. Pay attention to the spelling of \"user\"." => {
                UserMissing
            }
            "user data type is wrong, should be string type." => UserWrongType,
            "appId is empty or appId cannot be found. Pay attention to the spelling of \"appId\"." => {
                AppIdMissing
            }
            "appId data type is wrong, should be string type." => AppIdWrongType,
            "app (appId) is not call app of task specified." => AppNotCallingApp,
            "record data type is wrong, should be keep with Kintone record." => RecordNotKintone,
            "taskId is empty or taskId cannot be found. Pay attention to the spelling of \"taskId\"." => {
                TaskIdMissing
            }
            "taskId data type is wrong, should be string type." => TaskIdWrongType,
            "Specified taskId is invalid." => TaskIdInvalid,
            "Other User is running the execution unit." => OtherUserRunning { task_id },
            "The rate limit for API calls has been exceeded. Specified unit has been disabled." => {
                UnitDisabledByRateLimit
            }
            _ => return None,
        };
        Some(kind)
    }

    /// Recognizes a krewData error body (`{code, status, description[, taskId]}`), for callers
    /// that reach the API by other means (the generated `krewdata-api` client, say).
    pub fn from_body(body: &[u8]) -> Option<Self> {
        match words(body)?.kind? {
            VendorError::Krewdata(k) => Some(k),
            _ => None,
        }
    }

    /// A token problem a fresh token cures (status reads renew their token once on these).
    pub fn is_token_problem(&self) -> bool {
        matches!(
            self,
            Self::TokenExpired | Self::TokenUsed | Self::TokenInvalid
        )
    }

    /// The disabled unit's 429 is final: repeating the request cannot help.
    pub(crate) fn may_pass(&self) -> bool {
        !matches!(self, Self::UnitDisabledByRateLimit)
    }
}

/// Reads krewData's error body `{code, status, description[, taskId]}`. The taskId of a 409
/// is read as a string or a number: seed 003 prints it as an unquoted placeholder.
pub(crate) fn words(body: &[u8]) -> Option<ErrorWords> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let code = value.get("code")?;
    let code = code
        .as_i64()
        .map(|c| c.to_string())
        .or_else(|| code.as_str().map(str::to_owned))?;
    if code == "200" {
        return None;
    }
    let description = value
        .get("description")
        .and_then(|d| d.as_str())
        .map(str::to_owned);
    let task_id = value.get("taskId").and_then(|t| match t {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    let kind = description
        .as_deref()
        .and_then(|d| KrewdataError::from_description(d, task_id.clone()))
        .map(VendorError::Krewdata);
    let details = match (&kind, task_id) {
        // The 409's kind carries it already; elsewhere an unexpected taskId is still shown.
        (Some(VendorError::Krewdata(KrewdataError::OtherUserRunning { .. })), _) | (_, None) => {
            Vec::new()
        }
        (_, Some(task)) => vec![format!("taskId {task}")],
    };
    let status = value.get("status").and_then(|s| s.as_str());
    Some(ErrorWords {
        code: Some(code),
        message: description.or_else(|| status.map(str::to_owned)),
        details,
        kind,
    })
}

impl Error {
    /// The documented krewData error this is, if it is one.
    pub fn krewdata(&self) -> Option<&KrewdataError> {
        match self.vendor_error()? {
            VendorError::Krewdata(k) => Some(k),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(body: &str) -> Option<KrewdataError> {
        KrewdataError::from_body(body.as_bytes())
    }

    #[test]
    fn documented_descriptions_are_recognized() {
        assert_eq!(
            kind(
                r#"{"code":400,"status":"Bad Request","description":"Specified token has been used."}"#
            ),
            Some(KrewdataError::TokenUsed)
        );
        assert_eq!(
            kind(
                r#"{"code":409,"status":"Conflict","description":"Other User is running the execution unit.","taskId":"t-1"}"#
            ),
            Some(KrewdataError::OtherUserRunning {
                task_id: Some("t-1".into())
            })
        );
        assert_eq!(
            kind(
                r#"{"code":409,"status":"Conflict","description":"Other User is running the execution unit.","taskId":42}"#
            ),
            Some(KrewdataError::OtherUserRunning {
                task_id: Some("42".into())
            })
        );
        assert!(!KrewdataError::UnitDisabledByRateLimit.may_pass());
        assert!(KrewdataError::TokenInvalid.is_token_problem());
    }

    #[test]
    fn unknown_descriptions_keep_their_text_and_success_bodies_are_not_errors() {
        let w = words(br#"{"code":400,"status":"Bad Request","description":"Something new."}"#)
            .expect("an error body");
        assert_eq!(w.kind, None);
        assert_eq!(w.code.as_deref(), Some("400"));
        assert_eq!(w.message.as_deref(), Some("Something new."));
        assert_eq!(words(br#"{"code":200,"status":"OK","taskId":"x"}"#), None);
        assert_eq!(words(b"<html>502</html>"), None);
        assert_eq!(words(br#"{"message":"no code"}"#), None);
    }
}
