//! Adobe's error answers (gateway, RFC 7807-like, OAuth) as a type a program can match on.

use crate::{Error, error::VendorError, request::ErrorWords};

/// An Adobe error answer jobrun recognizes (research §8, §11).
///
/// Reach it through [`crate::Error::adobe`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AdobeError {
    /// IMS refused the credentials: the OAuth `error` (`invalid_client`, `invalid_scope`, …)
    /// and its `error_description`.
    Token {
        /// The OAuth error code.
        error: String,
        /// What IMS said about it.
        description: Option<String>,
    },
    /// 401013 "Oauth token is not valid": expired or revoked; jobrun renews it once.
    InvalidToken,
    /// 403010 "Oauth token is missing."
    MissingToken,
    /// 403000 "Api Key is required"
    MissingApiKey,
    /// 403003 "Api Key is invalid"
    InvalidApiKey,
    /// 400003 "Missing header" (the org header).
    MissingHeader,
    /// 403025 / 403023 "Profile is not valid": the credential is not entitled for the org.
    ProfileNotValid,
    /// 403027 "User region is missing": a malformed org id or no Platform product profile.
    RegionMissing,
    /// The 400 "A valid content-type must be specified".
    ContentType,
    /// 429001 / 429002 / 429050: a usage limit was reached.
    RateLimited,
}

impl AdobeError {
    fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "401013" => Self::InvalidToken,
            "403010" => Self::MissingToken,
            "403000" => Self::MissingApiKey,
            "403003" => Self::InvalidApiKey,
            "400003" => Self::MissingHeader,
            "403023" | "403025" => Self::ProfileNotValid,
            "403027" => Self::RegionMissing,
            "429001" | "429002" | "429050" => Self::RateLimited,
            _ => return None,
        })
    }
}

fn text(value: &serde_json::Value, key: &str) -> Option<String> {
    match value.get(key)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads the gateway's `{error_code, message}`, the RFC 7807-like `{type, status, title,
/// detail}`, the OAuth `{error, error_description}` and a bare `{message}`. An empty or
/// non-JSON body gives `None`: the raw body is kept either way.
pub(crate) fn words(body: &[u8]) -> Option<ErrorWords> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    if let Some(code) = text(&value, "error_code") {
        return Some(ErrorWords {
            kind: AdobeError::from_code(&code).map(VendorError::Adobe),
            code: Some(code),
            message: text(&value, "message"),
            details: Vec::new(),
        });
    }
    if let Some(error) = text(&value, "error") {
        let description = text(&value, "error_description");
        return Some(ErrorWords {
            kind: Some(VendorError::Adobe(AdobeError::Token {
                error: error.clone(),
                description: description.clone(),
            })),
            code: Some(error),
            message: description,
            details: Vec::new(),
        });
    }
    if let Some(detail) = text(&value, "detail") {
        let kind = detail
            .to_ascii_lowercase()
            .contains("content-type")
            .then_some(VendorError::Adobe(AdobeError::ContentType));
        return Some(ErrorWords {
            kind,
            code: text(&value, "title"),
            message: Some(detail),
            details: Vec::new(),
        });
    }
    text(&value, "message").map(|message| ErrorWords {
        message: Some(message),
        ..ErrorWords::default()
    })
}

impl Error {
    /// The Adobe error this is, if it is one.
    pub fn adobe(&self) -> Option<&AdobeError> {
        match self.vendor_error()? {
            VendorError::Adobe(k) => Some(k),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(body: &str) -> Option<AdobeError> {
        match words(body.as_bytes())?.kind? {
            VendorError::Adobe(k) => Some(k),
            _ => None,
        }
    }

    #[test]
    fn every_documented_shape_is_read() {
        assert_eq!(
            kind(r#"{"error_code":"401013","message":"Oauth token is not valid"}"#),
            Some(AdobeError::InvalidToken)
        );
        assert_eq!(
            kind(
                r#"{"error":"invalid_client","error_description":"invalid client_secret parameter"}"#
            ),
            Some(AdobeError::Token {
                error: "invalid_client".into(),
                description: Some("invalid client_secret parameter".into())
            })
        );
        assert_eq!(
            kind(
                r#"{"type":"/placeholder/type/uri","status":400,"title":"BadRequestError","detail":"A valid content-type must be specified"}"#
            ),
            Some(AdobeError::ContentType)
        );
        assert_eq!(
            kind(r#"{"error_code":"429050","message":"Too many requests"}"#),
            Some(AdobeError::RateLimited)
        );
        let service =
            words(br#"{"message":"Schedule is disabled. Immediate run cannot be triggered"}"#)
                .expect("a message");
        assert_eq!(service.kind, None);
        assert!(words(b"").is_none() && words(b"<html/>").is_none());
    }
}
