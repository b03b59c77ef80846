//! `POST /ims/token/v3`: Adobe IMS's OAuth server-to-server token endpoint.

use axum::http::header::{ALLOW, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::answer::{self, object};
use super::{Shared, State, Token};

/// The grant type server-to-server credentials use.
const GRANT_TYPE: &str = "client_credentials";

/// The request's parameters: from an `application/x-www-form-urlencoded` body (or a body
/// with no `Content-Type`, as curl's `-d` sends it) first, then the query string ("Parameters
/// can be sent in the body or as query parameters"). Empty values count as absent.
fn param(parts: &Parts, form: &[(String, String)], name: &str) -> Option<String> {
    let query = parts.uri.query().unwrap_or_default();
    form.iter()
        .cloned()
        .chain(form_urlencoded::parse(query.as_bytes()).into_owned())
        .find(|(key, value)| key == name && !value.trim().is_empty())
        .map(|(_, value)| value.trim().to_owned())
}

fn form(parts: &Parts, body: &[u8]) -> Vec<(String, String)> {
    let content_type = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.to_ascii_lowercase());
    let readable = content_type
        .as_deref()
        .is_none_or(|value| value.starts_with("application/x-www-form-urlencoded"));
    if readable {
        form_urlencoded::parse(body).into_owned().collect()
    } else {
        Vec::new()
    }
}

fn missing(name: &str) -> Response {
    answer::oauth(
        StatusCode::BAD_REQUEST,
        "bad_request",
        &format!("missing {name} parameter"),
    )
}

/// Scopes are "comma separated"; spaces (OAuth's own separator) are accepted too.
fn scopes(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ' '])
        .map(str::trim)
        .filter(|scope| !scope.is_empty())
}

pub(super) fn token(
    sim: &Shared,
    state: &mut State,
    parts: &Parts,
    body: &[u8],
    now_ms: i64,
) -> Response {
    if parts.method != Method::POST {
        let mut response = answer::oauth(
            StatusCode::METHOD_NOT_ALLOWED,
            "bad_request",
            &format!("method {} is not allowed; use POST", parts.method),
        );
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    let form = form(parts, body);
    let field = |name: &str| param(parts, &form, name);

    let Some(grant_type) = field("grant_type") else {
        return missing("grant_type");
    };
    if grant_type != GRANT_TYPE {
        return answer::oauth(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            &format!("unsupported grant_type parameter: {grant_type}"),
        );
    }
    let Some(client_id) = field("client_id") else {
        return missing("client_id");
    };
    if client_id != sim.client_id {
        return answer::oauth(
            StatusCode::BAD_REQUEST,
            "invalid_client",
            "invalid client_id parameter",
        );
    }
    let Some(client_secret) = field("client_secret") else {
        return missing("client_secret");
    };
    if client_secret != sim.client_secret {
        return answer::oauth(
            StatusCode::BAD_REQUEST,
            "invalid_client",
            "invalid client_secret parameter",
        );
    }
    let Some(scope) = field("scope") else {
        return missing("scope");
    };
    let granted: Vec<&str> = scopes(&sim.scopes).collect();
    let asked: Vec<&str> = scopes(&scope).collect();
    if asked.is_empty() || asked.iter().any(|scope| !granted.contains(scope)) {
        return answer::oauth(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            "invalid scope parameter",
        );
    }

    let ttl_ms = super::script::millis(sim.token_ttl);
    let access_token = jwt_like(sim, state, &asked.join(","), now_ms, ttl_ms);
    state.tokens.insert(
        access_token.clone(),
        Token {
            expires_ms: now_ms.saturating_add(ttl_ms),
        },
    );
    answer::send(
        StatusCode::OK,
        answer::JSON,
        &object([
            ("access_token", access_token.into()),
            ("token_type", "bearer".into()),
            // Seconds, as v3 documents (the legacy JWT exchange answered milliseconds).
            ("expires_in", sim.token_ttl.as_secs().into()),
        ]),
    )
}

/// A token shaped like IMS's: a JWT whose claims carry `created_at` and `expires_in` in
/// milliseconds, as strings (what aio-lib-ims reads), with a random id and signature. The
/// simulator only ever looks the whole string up; nothing verifies the signature.
fn jwt_like(sim: &Shared, state: &mut State, scope: &str, now_ms: i64, ttl_ms: i64) -> String {
    let header =
        r#"{"alg":"RS256","x5u":"ims_na1-key-at-1.cer","kid":"ims_na1-key-at-1","itt":"at"}"#;
    let claims = serde_json::to_string(&object([
        ("id", state.ids.draw(24, super::ALPHANUMERIC).into()),
        ("type", "access_token".into()),
        ("client_id", sim.client_id.as_str().into()),
        ("user_id", sim.technical_account.as_str().into()),
        ("as", "ims-na1".into()),
        ("org", sim.org_id.as_str().into()),
        ("scope", scope.into()),
        ("created_at", now_ms.to_string().into()),
        ("expires_in", ttl_ms.to_string().into()),
    ]))
    .unwrap_or_default();
    let signature = state.ids.draw(64, super::ALPHANUMERIC);
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims),
        URL_SAFE_NO_PAD.encode(signature)
    )
}
