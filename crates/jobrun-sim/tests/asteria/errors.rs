//! Every row of seed 004's error tables, and the simulator's own rows around them.

use jobrun_sim::asteria::{Target, error_fault};

use crate::common::{Api, FAILS_AGAIN, RECOVERS, RUNNING, SUCCEEDED, assert_error, ok};

#[tokio::test]
async fn list_status_must_be_one_of_the_three_values() {
    let api = Api::default().await;
    let session = api.login().await;
    for (sent, echoed) in [
        ("finished", "finished"),
        ("Error", "Error"),
        ("running%20", "running "),
        ("suspend", "suspend"),
    ] {
        let response = api
            .get(
                &format!("/api/checkpoint/list?status={sent}"),
                Some(&session),
            )
            .await;
        let message = format!("Invalid status: \"{echoed}\" (running, success or error).");
        assert_error(response, 400, 2000, &message).await;
    }
    for good in ["running", "success", "error"] {
        api.list(&session, &format!("status={good}")).await;
    }
}

#[tokio::test]
async fn malformed_dates_are_2000_everywhere() {
    let api = Api::default().await;
    let session = api.login().await;
    for (sent, echoed) in [
        ("2012-10-05", "2012-10-05"),
        ("2012105", "2012105"),
        ("20121305", "20121305"),
        ("20230229", "20230229"),
        ("today", "today"),
    ] {
        let message = format!("Invalid date: \"{echoed}\" (YYYYMMDD).");
        let list = api
            .get(&format!("/api/checkpoint/list?date={sent}"), Some(&session))
            .await;
        assert_error(list, 400, 2000, &message).await;
        let show = api
            .get(
                &format!("/api/checkpoint/show?requestId={SUCCEEDED}&date={sent}"),
                Some(&session),
            )
            .await;
        assert_error(show, 400, 2000, &message).await;
        let rerun = api.rerun(&session, sent, FAILS_AGAIN).await;
        assert_error(rerun, 400, 2000, &message).await;
    }
    assert_eq!(api.sim.rerun_count(FAILS_AGAIN), 0);
}

#[tokio::test]
async fn page_and_size_must_be_whole_numbers_from_one() {
    let api = Api::default().await;
    let session = api.login().await;
    for (query, message) in [
        ("page=0", "Invalid page: \"0\" (a whole number from 1)."),
        ("page=-1", "Invalid page: \"-1\" (a whole number from 1)."),
        ("page=two", "Invalid page: \"two\" (a whole number from 1)."),
        ("size=0", "Invalid size: \"0\" (a whole number from 1)."),
        ("size=1.5", "Invalid size: \"1.5\" (a whole number from 1)."),
        (
            "page=0&size=0",
            "Invalid page: \"0\" (a whole number from 1).",
        ),
    ] {
        let response = api
            .get(&format!("/api/checkpoint/list?{query}"), Some(&session))
            .await;
        assert_error(response, 400, 2000, message).await;
    }
}

#[tokio::test]
async fn show_needs_a_request_id_that_exists() {
    let api = Api::default().await;
    let session = api.login().await;
    let missing = "Required parameter is missing: requestId.";
    for path in [
        "/api/checkpoint/show",
        "/api/checkpoint/show?requestId=",
        "/api/checkpoint/show?requestid=x",
        "/api/checkpoint/show?date=20121005",
    ] {
        assert_error(api.get(path, Some(&session)).await, 400, 2000, missing).await;
    }
    let unknown = "00000000-0000-0000-0000-000000000000";
    let response = api
        .get(
            &format!("/api/checkpoint/show?requestId={unknown}"),
            Some(&session),
        )
        .await;
    assert_error(
        response,
        404,
        2002,
        &format!("Request not found: {unknown}."),
    )
    .await;
    // Ids match exactly: the seed's two sample ids differ only by a last digit.
    let prefix = &RECOVERS[..RECOVERS.len() - 2];
    let response = api
        .get(
            &format!("/api/checkpoint/show?requestId={prefix}"),
            Some(&session),
        )
        .await;
    assert_error(
        response,
        404,
        2002,
        &format!("Request not found: {prefix}."),
    )
    .await;
    // With a date, only requests started that day are found.
    let response = api
        .get(
            &format!("/api/checkpoint/show?requestId={SUCCEEDED}&date=20121005"),
            Some(&session),
        )
        .await;
    assert_error(
        response,
        404,
        2002,
        &format!("Request not found: {SUCCEEDED}."),
    )
    .await;
}

#[tokio::test]
async fn rerun_needs_date_and_request_id() {
    let api = Api::default().await;
    let session = api.login().await;
    let date = api.date_of(&session, FAILS_AGAIN).await;
    for (form, missing) in [
        (format!("requestId={FAILS_AGAIN}"), "date"),
        (format!("date=&requestId={FAILS_AGAIN}"), "date"),
        (format!("date={date}"), "requestId"),
        (format!("date={date}&requestId="), "requestId"),
        (String::new(), "date"),
    ] {
        let response = api
            .post("/api/checkpoint/rerun", Some(&session), &form)
            .await;
        let message = format!("Required parameter is missing: {missing}.");
        assert_error(response, 400, 2000, &message).await;
    }
    // GET parameters do not count for a POST function.
    let response = api
        .client
        .post(api.url(&format!(
            "/api/checkpoint/rerun?date={date}&requestId={FAILS_AGAIN}"
        )))
        .header(jobrun_sim::asteria::SESSION_HEADER, &session)
        .send()
        .await
        .unwrap();
    assert_error(response, 400, 2000, "Required parameter is missing: date.").await;
    assert_eq!(api.sim.rerun_count(FAILS_AGAIN), 0);
}

#[tokio::test]
async fn rerun_of_an_unknown_request_or_one_not_in_error_is_2002() {
    let api = Api::default().await;
    let session = api.login().await;
    let date = api.date_of(&session, FAILS_AGAIN).await;
    let unknown = "ffffffff-ffff-4fff-bfff-ffffffffffff";
    assert_error(
        api.rerun(&session, &date, unknown).await,
        404,
        2002,
        &format!("Request not found: {unknown}."),
    )
    .await;
    // A request exists only under its own start date.
    assert_error(
        api.rerun(&session, "20121005", FAILS_AGAIN).await,
        404,
        2002,
        &format!("Request not found: {FAILS_AGAIN}."),
    )
    .await;
    assert_error(
        api.rerun(&session, &date, SUCCEEDED).await,
        404,
        2002,
        &format!("Request is not in error: {SUCCEEDED} is success."),
    )
    .await;
    let running_date = api.date_of(&session, RUNNING).await;
    assert_error(
        api.rerun(&session, &running_date, RUNNING).await,
        404,
        2002,
        &format!("Request is not in error: {RUNNING} is running."),
    )
    .await;
    assert_eq!(api.sim.rerun_count(SUCCEEDED), 0);
    assert_eq!(api.sim.rerun_count(RUNNING), 0);
}

#[tokio::test]
async fn error_9000_comes_from_a_fault_shaped_like_the_api() {
    let api = Api::default().await;
    let session = api.login().await;
    let message = "Failed to read the checkpoint information.";
    api.sim
        .inject(Target::List, error_fault(500, 9000, message), 1);
    api.sim
        .inject(Target::Show, error_fault(500, 9000, message), 1);
    let list = api.get("/api/checkpoint/list", Some(&session)).await;
    assert_error(list, 500, 9000, message).await;
    let show = api
        .get(
            &format!("/api/checkpoint/show?requestId={SUCCEEDED}"),
            Some(&session),
        )
        .await;
    assert_error(show, 500, 9000, message).await;
    api.list(&session, "").await;
}

#[tokio::test]
async fn unknown_paths_and_wrong_methods() {
    let api = Api::default().await;
    let session = api.login().await;
    for path in [
        "/api/checkpoint/delete",
        "/api/checkpoint/list.json",
        "/api/checkpoint/list/",
        "/api/flow/list",
        "/",
    ] {
        let response = api.get(path, Some(&session)).await;
        assert_error(response, 404, 2002, &format!("No such API: {path}.")).await;
    }
    // Unknown paths are unknown before anyone logs in, too.
    let response = api.get("/api/nothing", None).await;
    assert_error(response, 404, 2002, "No such API: /api/nothing.").await;

    let response = api.post("/api/checkpoint/list", Some(&session), "").await;
    assert_error(response, 400, 2000, "/api/checkpoint/list takes GET.").await;
    let response = api
        .get(
            &format!("/api/checkpoint/rerun?date=20121005&requestId={FAILS_AGAIN}"),
            Some(&session),
        )
        .await;
    assert_error(response, 400, 2000, "/api/checkpoint/rerun takes POST.").await;
    let response = api.get("/api/auth/logout", Some(&session)).await;
    assert_error(response, 400, 2000, "/api/auth/logout takes POST.").await;
    // The default format may be written out.
    ok(api.get("/api/checkpoint/list.xml", Some(&session)).await).await;
}

#[tokio::test]
async fn messages_escape_what_they_echo() {
    let api = Api::default().await;
    let session = api.login().await;
    let response = api
        .get(
            "/api/checkpoint/show?requestId=%3Cx%3E%26%22",
            Some(&session),
        )
        .await;
    assert_error(response, 404, 2002, "Request not found: &lt;x&gt;&amp;\".").await;
}
