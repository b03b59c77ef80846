//! ASTERIA Warp's error answers as a type a program can match on.

use asteria_warp_api::xml;

use crate::{error::VendorError, request::ErrorWords};

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

/// The deepest element nesting an answer may have. The documented answers nest four deep;
/// the XML reader's cost grows with depth, so a deeper answer is refused before it is read.
pub(crate) const MAX_DEPTH: usize = 32;

/// Decodes an answer after checking, in one linear pass, that it nests no deeper than
/// [`MAX_DEPTH`].
pub(crate) fn decode(text: &str) -> Result<xml::Answer, String> {
    if too_deep(text.as_bytes(), MAX_DEPTH) {
        return Err(format!("elements nest deeper than {MAX_DEPTH} levels"));
    }
    xml::from_xml(text)
}

/// Whether elements open more than `limit` deep. One pass: the scan jumps from each tag's `<`
/// to its `>`, so no byte is looked at twice; comments and CDATA are counted loosely, which
/// can only make a document look deeper, never shallower.
fn too_deep(bytes: &[u8], limit: usize) -> bool {
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'<') {
        let tag = &bytes[i + offset + 1..];
        let Some(end) = tag.iter().position(|&b| b == b'>') else {
            return false;
        };
        match tag.first() {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(b'?' | b'!') => {}
            _ if end > 0 && tag[end - 1] == b'/' => {}
            _ => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
        }
        i += offset + 1 + end + 1;
    }
    false
}

/// Reads an XML error answer `<result><status>error</status><errorCode>…` (the element names
/// are inferred, see specs/asteria-warp.xsd).
pub(crate) fn words(body: &[u8]) -> Option<ErrorWords> {
    let answer = decode(std::str::from_utf8(body).ok()?).ok()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_is_counted_in_one_pass() {
        assert!(!too_deep(
            b"<result><data><request><a/></request></data></result>",
            3
        ));
        assert!(too_deep(
            b"<result><data><request><a></a></request></data></result>",
            3
        ));
        assert!(!too_deep(
            b"<?xml version='1.0'?><!-- c --><a></a><b></b>",
            1
        ));
        let deep = "<a>".repeat(1_000_000);
        assert!(too_deep(deep.as_bytes(), MAX_DEPTH));
        let err = decode(&deep).expect_err("refused");
        assert!(err.contains("deeper"), "{err}");
        // Unclosed tags cost one pass too.
        assert!(!too_deep("<".repeat(1_000_000).as_bytes(), MAX_DEPTH));
        assert!(!too_deep("<a".repeat(1_000_000).as_bytes(), MAX_DEPTH));
    }

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
