use jobrun_sim::adobe::AdobeConfig;
use serde_json::{Value, json};

use crate::common::{
    Api, FAILING, NIGHTLY, RETIRED, SAMPLE, SLOW, assert_message, ids, json_ok, key_order,
};

/// Asserts that `keys` appear in `text` in this order (for nested objects, whose order
/// `key_order` cannot see).
fn in_order(text: &str, keys: &[&str]) {
    let positions: Vec<usize> = keys
        .iter()
        .map(|key| {
            text.find(&format!("\"{key}\":"))
                .unwrap_or_else(|| panic!("{key} missing in {text}"))
        })
        .collect();
    assert!(positions.is_sorted(), "{keys:?} out of order in {text}");
}

/// GETs an absolute URL (a next link) with the platform headers.
async fn follow(api: &Api, token: &str, href: &str) -> Value {
    json_ok(
        api.authed(api.client.get(href), token)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await
}

#[tokio::test]
async fn schedules_page_by_next_href_until_links_are_empty() {
    let api = Api::default().await;
    let token = api.token().await;
    let response = api.get("/schedules?limit=2", &token).await;
    let text = response.text().await.unwrap();
    assert_eq!(
        key_order(&text),
        ["schedules", "_page", "_links", "version"]
    );
    in_order(&text, &["orderby", "start", "next", "count"]);
    let first: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(first["version"], 2);
    assert_eq!(ids(&first, "schedules"), [FAILING, SAMPLE]);
    let page = &first["_page"];
    assert_eq!(page["orderby"], "-created");
    assert_eq!(page["count"], 2);
    assert_eq!(page["start"], first["schedules"][0]["created"]);
    let next = page["next"].as_str().unwrap();
    let href = first["_links"]["next"]["href"].as_str().unwrap();
    assert_eq!(
        href,
        format!(
            "{}/data/foundation/query/schedules?orderby=-created&start={next}&limit=2",
            api.sim.base_url()
        )
    );

    let second = follow(&api, &token, href).await;
    assert_eq!(ids(&second, "schedules"), [SLOW, NIGHTLY]);
    assert_eq!(second["_page"]["start"], next);
    let third = follow(
        &api,
        &token,
        second["_links"]["next"]["href"].as_str().unwrap(),
    )
    .await;
    assert_eq!(ids(&third, "schedules"), [RETIRED]);
    assert_eq!(third["_links"], json!({}));
    assert!(third["_page"].get("next").is_none());
    assert_eq!(third["_page"]["count"], 1);

    // Without limit: 20 a page, so everything and no next link.
    let all = json_ok(api.get("/schedules", &token).await, 200).await;
    assert_eq!(all["_links"], json!({}));
    assert_eq!(all["_page"]["count"], 5);
}

#[tokio::test]
async fn next_links_can_be_plain_strings() {
    let api = Api::start(AdobeConfig::new().page_links_as_strings(true)).await;
    let token = api.token().await;
    let mut href = api.url("/schedules?limit=2");
    let mut seen = Vec::new();
    for _ in 0..3 {
        let page = follow(&api, &token, &href).await;
        seen.extend(ids(&page, "schedules"));
        match &page["_links"]["next"] {
            Value::String(next) => href = next.clone(),
            Value::Null => {
                assert_eq!(page["_links"], json!({}));
                break;
            }
            other => panic!("next is not a string: {other}"),
        }
    }
    assert_eq!(seen, [FAILING, SAMPLE, SLOW, NIGHTLY, RETIRED]);
}

#[tokio::test]
async fn runs_page_too_with_filters_kept_in_the_link() {
    let api = Api::default().await;
    let token = api.token().await;
    let text = api
        .get(&format!("/schedules/{NIGHTLY}/runs?limit=2"), &token)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        key_order(&text),
        ["runsSchedules", "_page", "_links", "version"]
    );
    in_order(
        &text,
        &["id", "created", "state", "externalTrigger", "_links"],
    );
    let first: Value = serde_json::from_str(&text).unwrap();
    let mut runs = ids(&first, "runsSchedules");
    let mut href = first["_links"]["next"]["href"].as_str().unwrap().to_owned();
    loop {
        let page = follow(&api, &token, &href).await;
        runs.extend(ids(&page, "runsSchedules"));
        match page["_links"]["next"]["href"].as_str() {
            Some(next) => href = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(runs.len(), 5);
    // Newest first: the scheduled runs of 1..5 days ago.
    let all = api.runs(&token, NIGHTLY, "").await;
    assert_eq!(ids(&all, "runsSchedules"), runs);

    let failed = api
        .runs(&token, NIGHTLY, "property=state%3D%3DFAILED")
        .await;
    assert_eq!(failed["_page"]["property"], "state==FAILED");
    assert_eq!(failed["_page"]["count"], 1);
    assert_eq!(failed["runsSchedules"][0]["id"], runs[2].as_str());
    assert_eq!(failed["runsSchedules"][0]["externalTrigger"], false);
    let others = api
        .runs(&token, NIGHTLY, "property=state!%3DFAILED&limit=3")
        .await;
    assert_eq!(others["_page"]["count"], 3);
    let href = others["_links"]["next"]["href"].as_str().unwrap();
    assert!(
        href.ends_with("&limit=3&property=state%21%3DFAILED"),
        "{href}"
    );
    let rest = follow(&api, &token, href).await;
    assert_eq!(rest["_page"]["count"], 1);
    assert_eq!(rest["_page"]["property"], "state!=FAILED");
    let external = api
        .runs(&token, NIGHTLY, "property=externalTrigger%3D%3Dtrue")
        .await;
    assert_eq!(external["_page"]["count"], 0);
    assert!(external["_page"].get("start").is_none());
    assert_eq!(external["runsSchedules"], json!([]));
    // The docs' example, both filters at once.
    let both = api
        .runs(
            &token,
            SAMPLE,
            "property=externalTrigger%3D%3Dtrue,state%3D%3DSUCCESS",
        )
        .await;
    assert_eq!(both["_page"]["count"], 1);
}

#[tokio::test]
async fn orderby_and_start() {
    let api = Api::default().await;
    let token = api.token().await;
    let ascending = json_ok(api.get("/schedules?orderby=%2Bcreated", &token).await, 200).await;
    assert_eq!(ascending["_page"]["orderby"], "+created");
    assert_eq!(
        ids(&ascending, "schedules"),
        [RETIRED, NIGHTLY, SLOW, SAMPLE, FAILING]
    );
    // No sign is ascending too; an unescaped `+` arrives as a space and still works.
    for orderby in ["created", "+created"] {
        let list = json_ok(
            api.get(&format!("/schedules?orderby={orderby}"), &token)
                .await,
            200,
        )
        .await;
        assert_eq!(ids(&list, "schedules")[0], RETIRED);
    }
    // Timestamp start: from that value on, in the list's order.
    let slow_created = ascending["schedules"][2]["created"].as_str().unwrap();
    let from = json_ok(
        api.get(
            &format!("/schedules?orderby=%2Bcreated&start={slow_created}"),
            &token,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(ids(&from, "schedules"), [SLOW, SAMPLE, FAILING]);
    // The older docs' offset reading.
    let offset = json_ok(api.get("/schedules?start=2&limit=2", &token).await, 200).await;
    assert_eq!(ids(&offset, "schedules"), [SLOW, NIGHTLY]);
    assert_eq!(offset["_page"]["next"], "4");
    assert!(
        offset["_links"]["next"]["href"]
            .as_str()
            .unwrap()
            .contains("start=4&limit=2")
    );
    // -updated follows the latest patch.
    let patch =
        json!({"body": [{"op": "replace", "path": "/schedule/schedule", "value": "0 1 * * *"}]});
    json_ok(
        api.patch_json(&format!("/schedules/{NIGHTLY}"), &token, &patch)
            .await,
        202,
    )
    .await;
    let updated = json_ok(api.get("/schedules?orderby=-updated", &token).await, 200).await;
    assert_eq!(ids(&updated, "schedules")[0], NIGHTLY);
    assert_eq!(
        updated["_page"]["start"],
        updated["schedules"][0]["updated"]
    );
}

#[tokio::test]
async fn schedule_filters() {
    let api = Api::default().await;
    let token = api.token().await;
    let query = |property: &str| format!("/schedules?property={property}");
    let person = json_ok(
        api.get(
            &query("userId%3D%3D2B4D6F8A1C3E5A7C9E1B3D5F@AdobeID"),
            &token,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(ids(&person, "schedules"), [FAILING]);
    let template = json_ok(
        api.get(
            &query("templateId%3D%3D0c4f2e1d-8a7b-4c6d-9e5f-1a2b3c4d5e6f"),
            &token,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(ids(&template, "schedules"), [SLOW]);
    let all = json_ok(api.get("/schedules", &token).await, 200).await;
    let sample_created = all["schedules"][1]["created"].as_str().unwrap();
    let newer = json_ok(
        api.get(&query(&format!("created%3E{sample_created}")), &token)
            .await,
        200,
    )
    .await;
    assert_eq!(ids(&newer, "schedules"), [FAILING]);
    let older = json_ok(
        api.get(
            &query(&format!(
                "created%3C{sample_created},userId%3D%3D{}",
                api.sim.technical_account_id()
            )),
            &token,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(ids(&older, "schedules"), [SLOW, NIGHTLY, RETIRED]);
}

#[tokio::test]
async fn bad_list_parameters_are_400() {
    let api = Api::default().await;
    let token = api.token().await;
    let cases = [
        (
            "/schedules?limit=0",
            "Invalid limit: \"0\" (a whole number from 1)",
        ),
        (
            "/schedules?limit=ten",
            "Invalid limit: \"ten\" (a whole number from 1)",
        ),
        (
            "/schedules?orderby=name",
            "Invalid orderby: \"name\" (created or updated, with + or -)",
        ),
        (
            "/schedules?start=yesterday",
            "Invalid start: \"yesterday\" (an ISO 8601 timestamp)",
        ),
        (
            "/schedules?property=state%3D%3DENABLED",
            "Unsupported property filter: \"state==ENABLED\"",
        ),
        (
            "/schedules?property=userId!%3Dx",
            "Unsupported property filter: \"userId!=x\"",
        ),
        (
            "/schedules?property=created%3Esoon",
            "Invalid timestamp in property filter: \"created>soon\"",
        ),
        (
            "/schedules?property=nothing",
            "Invalid property filter: \"nothing\"",
        ),
    ];
    for (path, message) in cases {
        assert_message(api.get(path, &token).await, 400, message).await;
    }
    let runs = format!("/schedules/{SAMPLE}/runs?property=");
    assert_message(
        api.get(&format!("{runs}templateId%3D%3Dx"), &token).await,
        400,
        "Unsupported property filter: \"templateId==x\"",
    )
    .await;
    assert_message(
        api.get(&format!("{runs}externalTrigger%3D%3Dmaybe"), &token)
            .await,
        400,
        "Invalid property filter: \"externalTrigger==maybe\"",
    )
    .await;
}
