//! Ids given by users and servers, checked before they go anywhere: an id must never change
//! a request's path (`.` and `..` are path steps, `/` a separator), a query, a form or a job
//! reference's shape, so the shapes every vendor's ids share are refused in one place.

use std::num::NonZeroU64;

use crate::Error;

/// Parses a positive integer id given as text, naming `what` in the error.
pub fn parse_id(what: &'static str, text: &str) -> Result<NonZeroU64, Error> {
    text.trim()
        .parse::<NonZeroU64>()
        .map_err(|_| Error::invalid(what, text, "a positive integer such as 42"))
}

/// Reads `text` as a date or time written exactly as `shape` shows (`9` for a digit, any other
/// character for itself: `9999-99-99 99:99:99`) that `parse` (chrono) reads as a real one.
/// chrono alone accepts single-digit fields and surrounding space; vendors do not.
pub(crate) fn exact_time<T, E>(
    what: &'static str,
    text: &str,
    shape: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
    expected: &str,
) -> Result<T, Error> {
    let shaped = text.is_ascii()
        && text.len() == shape.len()
        && text.chars().zip(shape.chars()).all(|(c, s)| match s {
            '9' => c.is_ascii_digit(),
            s => c == s,
        });
    match parse(text) {
        Ok(t) if shaped => Ok(t),
        _ => Err(Error::invalid(what, text, expected)),
    }
}

/// Checks a textual id: not empty, not `.` or `..`, at most `max_len` bytes, without control
/// characters or whitespace, and without `/` unless `slash` (ids that are Base64, say; they go
/// out percent-encoded). `expected` says what a good one looks like.
pub(crate) fn text_id(
    what: &'static str,
    text: &str,
    max_len: usize,
    slash: bool,
    expected: &str,
) -> Result<String, Error> {
    let bad = text.is_empty()
        || text == "."
        || text == ".."
        || text.len() > max_len
        || text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || (c == '/' && !slash));
    if bad {
        return Err(Error::invalid(what, text, expected));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_steps_separators_and_invisible_characters_are_refused() {
        for bad in ["", ".", "..", "a b", "a\tb", "a\u{1b}b", "a\u{85}b", "a/b"] {
            let err = text_id("run id", bad, 64, false, "an id").expect_err(bad);
            assert!(err.to_string().contains("run id"), "{err}");
        }
        assert_eq!(
            text_id("run id", "bWFu/dWFs+X18=", 64, true, "x").expect("base64 keeps / + ="),
            "bWFu/dWFs+X18="
        );
        assert!(text_id("run id", "...", 64, false, "x").is_ok());
        assert!(text_id("run id", &"a".repeat(65), 64, false, "x").is_err());
    }
}
