//! How trocco's error bodies read (they come in several shapes).

use trocco_api::types;

use crate::request::ErrorWords;

pub(super) fn trocco_words(body: &[u8]) -> Option<ErrorWords> {
    let body: types::ErrorBody = serde_json::from_slice(body).ok()?;
    let mut details: Vec<String> = body
        .errors
        .iter()
        .map(|e| match (&e.attribute, &e.message) {
            (Some(a), Some(m)) => format!("{a}: {m}"),
            (a, m) => a.clone().or_else(|| m.clone()).unwrap_or_default(),
        })
        .filter(|d| !d.is_empty())
        .collect();
    // Terraform's provider reads `error` before `message` (research §1.7); keep both.
    let message = match (body.error, body.message) {
        (Some(e), Some(m)) if e != m => {
            details.insert(0, m);
            Some(e)
        }
        (e, m) => e.or(m),
    };
    (message.is_some() || !details.is_empty()).then_some(ErrorWords {
        code: None,
        message,
        details,
        kind: None,
    })
}
