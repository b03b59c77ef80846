use std::collections::HashSet;

use jobrun_sim::asteria::{AsteriaConfig, DEFAULT_PASSWORD, DEFAULT_USER, SESSION_HEADER};

use crate::common::{Api, FAILS_AGAIN, assert_error, field, ok};

const NOT_LOGGED_IN: &str = "Not logged in: no X-Fs-SessionId header.";
const BAD_SESSION: &str = "Not logged in: the session is unknown or has expired.";
const LOGIN_FAILED: &str = "Login failed: wrong userName or password.";

#[tokio::test]
async fn login_answers_a_32_hex_session_id() {
    let api = Api::default().await;
    let body = ok(api
        .post(
            "/api/auth/login",
            None,
            &format!("userName={DEFAULT_USER}&password={DEFAULT_PASSWORD}"),
        )
        .await)
    .await;
    let session = field(&body, "sessionId").unwrap();
    assert_eq!(
        body,
        format!(
            "<result>\n\t<status>success</status>\n\t<data>\n\t\t<sessionId>{session}</sessionId>\n\t</data>\n</result>\n"
        )
    );
    assert_eq!(session.len(), 32);
    assert!(
        session
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)),
        "{session}"
    );
    assert_eq!(api.sim.session_count(), 1);
}

#[tokio::test]
async fn sessions_are_distinct_and_the_root_domain_slash_is_optional() {
    let api = Api::default().await;
    let mut seen = HashSet::new();
    for _ in 0..20 {
        assert!(seen.insert(api.login().await));
    }
    // The MC API's sample logs in as `/guest`.
    let body = ok(api
        .post("/api/auth/login", None, "userName=%2Fguest&password=guest")
        .await)
    .await;
    assert!(seen.insert(field(&body, "sessionId").unwrap()));
    assert_eq!(api.sim.session_count(), 21);
}

#[tokio::test]
async fn bad_credentials_are_2001_and_missing_ones_2000() {
    let api = Api::default().await;
    let login = |form: &'static str| api.post("/api/auth/login", None, form);
    assert_error(
        login("userName=guest&password=wrong").await,
        403,
        2001,
        LOGIN_FAILED,
    )
    .await;
    assert_error(
        login("userName=nobody&password=guest").await,
        403,
        2001,
        LOGIN_FAILED,
    )
    .await;
    assert_error(
        login("userName=GUEST&password=guest").await,
        403,
        2001,
        LOGIN_FAILED,
    )
    .await;
    assert_error(
        login("password=guest").await,
        400,
        2000,
        "Required parameter is missing: userName.",
    )
    .await;
    assert_error(
        login("userName=guest&password=").await,
        400,
        2000,
        "Required parameter is missing: password.",
    )
    .await;
    // Parameters in the query string of a POST are not read.
    let response = api
        .client
        .post(api.url("/api/auth/login?userName=guest&password=guest"))
        .send()
        .await
        .unwrap();
    assert_error(
        response,
        400,
        2000,
        "Required parameter is missing: userName.",
    )
    .await;
    let response = api
        .get("/api/auth/login?userName=guest&password=guest", None)
        .await;
    assert_error(response, 400, 2000, "/api/auth/login takes POST.").await;
    assert_eq!(api.sim.session_count(), 0);
}

#[tokio::test]
async fn configured_users_replace_the_default_one() {
    let api = Api::start(
        AsteriaConfig::new()
            .user("alice", "secret")
            .user("/sales/bob", "pw")
            .user("alice", "changed"),
    )
    .await;
    assert_eq!(
        (api.sim.user(), api.sim.password()),
        ("alice".into(), "changed".into())
    );
    let login = |form: &'static str| api.post("/api/auth/login", None, form);
    ok(login("userName=alice&password=changed").await).await;
    ok(login("userName=%2Fsales%2Fbob&password=pw").await).await;
    assert_error(
        login("userName=alice&password=secret").await,
        403,
        2001,
        LOGIN_FAILED,
    )
    .await;
    assert_error(
        login("userName=guest&password=guest").await,
        403,
        2001,
        LOGIN_FAILED,
    )
    .await;
}

#[tokio::test]
async fn logout_ends_the_session() {
    let api = Api::default().await;
    let session = api.login().await;
    let other = api.login().await;
    let body = ok(api.post("/api/auth/logout", Some(&session), "").await).await;
    assert_eq!(
        body,
        "<result>\n\t<status>success</status>\n\t<data/>\n</result>\n"
    );
    assert_eq!(api.sim.session_count(), 1);
    let list = api.get("/api/checkpoint/list", Some(&session)).await;
    assert_error(list, 403, 2001, BAD_SESSION).await;
    let again = api.post("/api/auth/logout", Some(&session), "").await;
    assert_error(again, 403, 2001, BAD_SESSION).await;
    // Other sessions live on.
    api.list(&other, "").await;
}

#[tokio::test]
async fn every_function_but_login_answers_2001_without_a_live_session() {
    let api = Api::default().await;
    let date = {
        let session = api.login().await;
        api.date_of(&session, FAILS_AGAIN).await
    };
    let rerun_form = format!("date={date}&requestId={FAILS_AGAIN}");
    for (session, message) in [
        (None, NOT_LOGGED_IN),
        (Some("F15B47BC1F004DB489BAF1E4CDD0100D"), BAD_SESSION),
        (Some(""), BAD_SESSION),
    ] {
        let calls = [
            api.post("/api/auth/logout", session, "").await,
            api.get("/api/checkpoint/list", session).await,
            api.get("/api/checkpoint/list?status=nonsense", session)
                .await,
            api.get(
                &format!("/api/checkpoint/show?requestId={FAILS_AGAIN}"),
                session,
            )
            .await,
            api.get("/api/checkpoint/show", session).await,
            api.post("/api/checkpoint/rerun", session, &rerun_form)
                .await,
            api.post("/api/checkpoint/rerun", session, "").await,
        ];
        for response in calls {
            assert_error(response, 403, 2001, message).await;
        }
    }
    // A lowercase copy of a live session id is another id.
    let session = api.login().await;
    let lower = session.to_ascii_lowercase();
    let response = api.get("/api/checkpoint/list", Some(&lower)).await;
    assert_error(response, 403, 2001, BAD_SESSION).await;
    // The header name is case-insensitive, as every HTTP header name.
    let response = api
        .client
        .get(api.url("/api/checkpoint/list"))
        .header(SESSION_HEADER.to_ascii_lowercase(), &session)
        .send()
        .await
        .unwrap();
    ok(response).await;
    // Nothing was re-run.
    assert_eq!(api.sim.rerun_count(FAILS_AGAIN), 0);
}

#[tokio::test]
async fn without_a_license_checkpoint_calls_answer_2001() {
    let api = Api::start(AsteriaConfig::new().enterprise_license(false)).await;
    let session = api.login().await;
    let message = "Checkpoints need an enterprise license.";
    assert_error(
        api.get("/api/checkpoint/list", Some(&session)).await,
        403,
        2001,
        message,
    )
    .await;
    assert_error(
        api.get(
            &format!("/api/checkpoint/show?requestId={FAILS_AGAIN}"),
            Some(&session),
        )
        .await,
        403,
        2001,
        message,
    )
    .await;
    assert_error(
        api.post(
            "/api/checkpoint/rerun",
            Some(&session),
            "date=20121005&requestId=x",
        )
        .await,
        403,
        2001,
        message,
    )
    .await;
    ok(api.post("/api/auth/logout", Some(&session), "").await).await;
    assert!(
        AsteriaConfig::new()
            .enterprise_license(false)
            .to_string()
            .contains("no enterprise license")
    );
}
