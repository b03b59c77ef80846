//! ASTERIA Warp's error answers as a type a program can match on.

use asteria_warp_api::xml;

use crate::{Error, error::VendorError, request::ErrorWords};

/// An error answer of the Flow Service API, by its documented code (seed 004, research B.2).
///
/// Reach it through [`crate::Error::asteria`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AsteriaError {
    /// 2000 / 400: a parameter is missing or wrong (a bad `status`, no `requestId`, …).
    InvalidParameter,
    /// 2001 / 403: not logged in (an expired session; refused credentials at login) or no
    /// Enterprise licence.
    NotLoggedIn,
    /// 2002 / 404: no such request.
    NotFound,
    /// 2002 / 404 on rerun for a request that exists but did not end in `error`; jobrun tells
    /// the two meanings of 2002 apart by reading the request.
    NotInError {
        /// The request's status when jobrun looked.
        status: String,
    },
    /// 9000 / 500: the server could not read the checkpoint information.
    Internal,
}

impl AsteriaError {
    fn from_code(code: &str) -> Option<Self> {
        Some(match code.trim() {
            "2000" => Self::InvalidParameter,
            "2001" => Self::NotLoggedIn,
            "2002" => Self::NotFound,
            "9000" => Self::Internal,
            _ => return None,
        })
    }
}

/// The error a documented HTTP status stands for (seed 004: 2000/400, 2001/403, 2002/404,
/// 9000/500), whatever the body's element names turn out to be (they are inferred).
pub(crate) fn status_kind(status: u16) -> Option<VendorError> {
    let kind = match status {
        400 => AsteriaError::InvalidParameter,
        403 => AsteriaError::NotLoggedIn,
        404 => AsteriaError::NotFound,
        500 => AsteriaError::Internal,
        _ => return None,
    };
    Some(VendorError::Asteria(kind))
}

/// Reads an XML error answer `<result><status>error</status><errorCode>…` (the element names
/// are inferred, see specs/asteria-warp.xsd).
pub(crate) fn words(body: &[u8]) -> Option<ErrorWords> {
    let answer = xml::from_xml(std::str::from_utf8(body).ok()?).ok()?;
    error_words(&answer)
}

/// The error an answer carries, if its status is not `success`.
pub(crate) fn error_words(answer: &xml::Answer) -> Option<ErrorWords> {
    if answer.status.trim() == "success" {
        return None;
    }
    let code = answer.error_code.clone().filter(|c| !c.trim().is_empty());
    Some(ErrorWords {
        kind: code
            .as_deref()
            .and_then(AsteriaError::from_code)
            .map(VendorError::Asteria),
        message: answer
            .error_message
            .clone()
            .filter(|m| !m.trim().is_empty())
            .or_else(|| Some(format!("status {}", answer.status))),
        code,
        details: Vec::new(),
    })
}

impl Error {
    /// The ASTERIA Warp error this is, if it is one.
    pub fn asteria(&self) -> Option<&AsteriaError> {
        match self.vendor_error()? {
            VendorError::Asteria(k) => Some(k),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_become_kinds_and_success_is_no_error() {
        let w = words(
            b"<result><status>error</status><errorCode>2001</errorCode><errorMessage>not logged in</errorMessage></result>",
        )
        .expect("an error");
        assert_eq!(
            w.kind,
            Some(VendorError::Asteria(AsteriaError::NotLoggedIn))
        );
        assert_eq!(w.message.as_deref(), Some("not logged in"));
        let unknown = words(b"<result><status>error</status><errorCode>7777</errorCode></result>")
            .expect("an error");
        assert_eq!(
            (unknown.kind, unknown.code.as_deref()),
            (None, Some("7777"))
        );
        assert!(words(b"<result><status>success</status><data/></result>").is_none());
        assert!(words(b"<html>502</html>").is_none());
        assert!(words(b"<result><status>err").is_none());
    }
}
