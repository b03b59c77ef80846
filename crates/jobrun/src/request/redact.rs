//! Redaction: every credential a client holds, in every form it sends it, is replaced by
//! [`MARKER`] in every error the core returns, so a server that echoes a credential back
//! (in an error body, a message, a status) cannot get it printed, logged or serialized.

use std::sync::{Arc, PoisonError, RwLock};

use base64::Engine as _;

use crate::{
    Error, VendorError, adobe::AdobeError, asteria::AsteriaError, krewdata::KrewdataError,
};

/// What a credential is replaced by.
pub(crate) const MARKER: &str = "[redacted]";

/// Shorter values are not redacted: they would blank out ordinary words, and no vendor's
/// credential is that short.
const MIN_LEN: usize = 4;

/// How many short-lived credentials (tokens, sessions) are remembered besides the lasting
/// ones: a process that renews tokens for days must not grow without bound, and a token is
/// long expired (and its echo long printed or not) after this many renewals.
const RECENT: usize = 64;

/// The credentials one client holds, in every form it sends them. Clones share the set, so a
/// token or session renewed later is redacted too.
#[derive(Clone, Default)]
pub(crate) struct Secrets(Arc<RwLock<Forms>>);

#[derive(Default)]
struct Forms {
    /// Every form of every credential, longest first.
    all: Vec<String>,
    /// The forms of each short-lived credential, oldest first.
    recent: std::collections::VecDeque<Vec<String>>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secrets({} forms)", self.read().all.len())
    }
}

impl Secrets {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Forms> {
        self.0.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a short-lived credential (a token, a session id); only the latest few are kept.
    pub(crate) fn add_recent(&self, secret: &str) {
        let forms = Self::forms(secret);
        let mut set = self.0.write().unwrap_or_else(PoisonError::into_inner);
        if set.recent.len() == RECENT
            && let Some(old) = set.recent.pop_front()
        {
            set.all.retain(|f| !old.contains(f));
        }
        Self::insert(&mut set, &forms);
        set.recent.push_back(forms);
    }

    /// Adds a lasting credential (a key, a password).
    pub(crate) fn add(&self, secret: &str) {
        let forms = Self::forms(secret);
        let mut set = self.0.write().unwrap_or_else(PoisonError::into_inner);
        Self::insert(&mut set, &forms);
    }

    fn insert(set: &mut Forms, forms: &[String]) {
        for form in forms {
            if !set.all.contains(form) {
                set.all.push(form.clone());
            }
        }
        // Longest first: a form that contains another is replaced whole.
        set.all.sort_by_key(|f| std::cmp::Reverse(f.len()));
    }

    /// `secret` as sent plainly, in Base64 (standard and URL-safe, padded or not), form-
    /// and URL-encoded, and escaped inside a JSON string.
    fn forms(secret: &str) -> Vec<String> {
        if secret.chars().count() < MIN_LEN {
            return Vec::new();
        }
        let engines = [
            base64::engine::general_purpose::STANDARD,
            base64::engine::general_purpose::STANDARD_NO_PAD,
            base64::engine::general_purpose::URL_SAFE,
            base64::engine::general_purpose::URL_SAFE_NO_PAD,
        ];
        let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let json = serde_json::to_string(secret).unwrap_or_default();
        let mut forms = vec![
            secret.to_owned(),
            form.replace('+', "%20"),
            form,
            json.trim_matches('"').to_owned(),
        ];
        forms.extend(engines.iter().map(|e| e.encode(secret)));
        forms.retain(|f| f.len() >= MIN_LEN);
        forms.sort();
        forms.dedup();
        forms
    }

    /// `text` with every held credential replaced by [`MARKER`].
    pub(crate) fn scrub_text(&self, text: &str) -> String {
        let set = self.read();
        let mut out = text.to_owned();
        for form in &set.all {
            if out.contains(form.as_str()) {
                out = out.replace(form.as_str(), MARKER);
            }
        }
        out
    }

    fn scrub_in_place(&self, text: &mut String) {
        let set = self.read();
        if set.all.iter().any(|form| text.contains(form.as_str())) {
            drop(set);
            *text = self.scrub_text(text);
        }
    }

    fn scrub_opt(&self, text: &mut Option<String>) {
        if let Some(text) = text {
            self.scrub_in_place(text);
        }
    }

    /// The vendor's own text inside a recognized error.
    fn scrub_kind(&self, kind: &mut VendorError) {
        match kind {
            VendorError::Adobe(AdobeError::Token { error, description }) => {
                self.scrub_in_place(error);
                self.scrub_opt(description);
            }
            VendorError::Asteria(AsteriaError::NotInError { status }) => {
                self.scrub_in_place(status);
            }
            VendorError::Krewdata(KrewdataError::OtherUserRunning { task_id }) => {
                self.scrub_opt(task_id);
            }
            _ => {}
        }
    }

    /// `err` with every held credential redacted from every text it carries.
    pub(crate) fn scrub(&self, mut err: Error) -> Error {
        match &mut err {
            Error::InvalidInput { value, .. } => self.scrub_in_place(value),
            Error::Config(message) => self.scrub_in_place(message),
            Error::Api(api) => {
                self.scrub_in_place(&mut api.body);
                self.scrub_opt(&mut api.message);
                self.scrub_opt(&mut api.code);
                self.scrub_opt(&mut api.request_id);
                for detail in &mut api.details {
                    self.scrub_in_place(detail);
                }
                // What jobrun recognized keeps the vendor's text too (IMS's
                // `error_description`), and shows in Debug.
                if let Some(kind) = &mut api.kind {
                    self.scrub_kind(kind);
                }
            }
            Error::Transport { message, .. } | Error::Discovery { message, .. } => {
                self.scrub_in_place(message);
            }
            Error::Decode { reason, body, .. } => {
                self.scrub_in_place(reason);
                self.scrub_in_place(body);
            }
            Error::Deadline { last_status, .. } => self.scrub_opt(last_status),
            Error::Unconfirmed { cause, .. } => {
                let inner = std::mem::replace(cause.as_mut(), Error::Config(String::new()));
                **cause = self.scrub(inner);
            }
            Error::RunGuard { .. } => {}
        }
        err
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_a_secret_is_replaced() {
        let secrets = Secrets::default();
        secrets.add("s3cr et/+key");
        let b64 = base64::engine::general_purpose::STANDARD.encode("s3cr et/+key");
        let text = format!(
            "plain s3cr et/+key, form s3cr+et%2F%2Bkey, url s3cr%20et%2F%2Bkey, base64 {b64}"
        );
        let scrubbed = secrets.scrub_text(&text);
        assert!(!scrubbed.contains("s3cr"), "{scrubbed}");
        assert!(!scrubbed.contains(&b64), "{scrubbed}");
        assert_eq!(scrubbed.matches(MARKER).count(), 4, "{scrubbed}");
    }

    #[test]
    fn only_the_latest_short_lived_credentials_are_kept() {
        let secrets = Secrets::default();
        secrets.add("lasting-key");
        for n in 0..200 {
            secrets.add_recent(&format!("token-{n:04}"));
        }
        let text = "token-0000 token-0199 lasting-key";
        assert_eq!(
            secrets.scrub_text(text),
            format!("token-0000 {MARKER} {MARKER}")
        );
        assert!(secrets.read().all.len() < (RECENT + 1) * 10);
    }

    #[test]
    fn short_values_and_unrelated_text_stay() {
        let secrets = Secrets::default();
        secrets.add("pw");
        assert_eq!(secrets.scrub_text("pw is fine"), "pw is fine");
    }

    #[test]
    fn the_vendor_text_of_a_recognized_error_is_redacted() {
        let secrets = Secrets::default();
        secrets.add("p8e-client-secret");
        let err = secrets.scrub(Error::from(crate::ApiError {
            vendor: "adobe",
            operation: "getAccessToken",
            status: 400,
            code: Some("invalid_request".into()),
            message: None,
            details: Vec::new(),
            body: String::new(),
            retry_after: None,
            kind: Some(VendorError::Adobe(AdobeError::Token {
                error: "invalid_request".into(),
                description: Some("client_secret=p8e-client-secret".into()),
            })),
            request_id: None,
            auth_hint: "",
        }));
        assert!(!format!("{err} {err:?}").contains("p8e-client"), "{err:?}");
    }

    #[test]
    fn secrets_added_later_are_redacted_by_every_clone() {
        let secrets = Secrets::default();
        let clone = secrets.clone();
        secrets.add("session-F15B47BC");
        let err = clone.scrub(Error::Decode {
            vendor: "asteria",
            operation: "show",
            reason: "saw session-F15B47BC".into(),
            body: "<id>session-F15B47BC</id>".into(),
        });
        assert!(!format!("{err} {err:?}").contains("F15B47BC"));
    }
}
