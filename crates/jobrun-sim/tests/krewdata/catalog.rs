use std::time::Duration;

use jobrun_sim::krewdata::{
    DEFAULT_APP_URL, DEFAULT_SERIAL_NUMBER, DEFAULT_USER, ExecutionMethod, KrewdataConfig, Unit,
};

use crate::common::{Api, base64};

#[test]
fn defaults_are_shaped_like_the_seed() {
    let groups: Vec<&str> = DEFAULT_SERIAL_NUMBER.split('-').collect();
    assert_eq!(groups.len(), 5);
    for group in groups {
        assert_eq!(group.len(), 6);
        assert!(
            group
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        );
    }
    assert!(DEFAULT_APP_URL.starts_with("https://"));
    assert!(DEFAULT_APP_URL.contains("/k/"));
    assert!(DEFAULT_USER.contains('@'));
}

#[test]
fn catalog_table_lists_every_unit() {
    let table = KrewdataConfig::new().to_string();
    for needle in [
        DEFAULT_APP_URL,
        DEFAULT_SERIAL_NUMBER,
        &base64(DEFAULT_SERIAL_NUMBER),
        "simunitsucceeds",
        "simunitfails",
        "simunitneverran",
        "simunitexclusive",
        "simunitwebhook",
        "simunitkrewsheet",
        "simunitdisabled",
        "simunitnoflows",
        "API, exclusive",
        "API, disabled",
        "Webhook",
        "krewSheet",
        "queue 1s -> import-orders 1s -> update-stock 2s -> Success (done after 4s)",
        "Failure (errorCode 33 in import-orders)",
        "Failure (errorCode 134, no flow runs)",
        "tokens last 10m",
        "5 token requests per unit per 1m",
    ] {
        assert!(table.contains(needle), "{needle} missing in\n{table}");
    }
    // Units appear in the order they were added.
    let succeeds = table.find("simunitsucceeds").unwrap();
    assert!(succeeds < table.find("simunitfails").unwrap());

    let custom = KrewdataConfig::empty()
        .unit(
            "b",
            Unit::new("second").flow("f", Duration::from_millis(1500)),
        )
        .unit("a", Unit::new("first").method(ExecutionMethod::Webhook))
        .unit(
            "b",
            Unit::new("replaced")
                .calling_app(9)
                .flow("g", Duration::from_secs(1)),
        )
        .to_string();
    assert!(custom.contains("replaced"), "{custom}");
    assert!(!custom.contains("second"), "{custom}");
    assert!(custom.find("replaced").unwrap() < custom.find("first").unwrap());
    assert!(KrewdataConfig::empty().to_string().contains("(none)"));
}

#[tokio::test(start_paused = true)]
async fn every_api_unit_of_the_default_catalog_ends_as_listed() {
    let api = Api::default().await;
    let expected = [
        ("simunitsucceeds", "Success", None),
        ("simunitfails", "Failure", Some("33")),
        ("simunitneverran", "Failure", Some("134")),
        ("simunitexclusive", "Success", None),
    ];
    let mut runs = Vec::new();
    for (unit, _, _) in expected {
        runs.push(api.run(unit).await);
    }
    // Every one is over within seconds.
    tokio::time::sleep(Duration::from_secs(11)).await;
    for ((unit, outcome, code), (token, task)) in expected.into_iter().zip(&runs) {
        let status = api.status(unit, token, task).await;
        assert_eq!(status["taskStatus"], outcome, "{unit}");
        assert_eq!(status["errorCode"].as_str(), code, "{unit}");
    }
}

#[tokio::test]
async fn listens_where_told() {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    let api = Api::start(KrewdataConfig::new().port(port)).await;
    assert_eq!(api.sim.addr().port(), port);
    assert_eq!(api.sim.base_url(), format!("http://127.0.0.1:{port}"));
    api.run("simunitsucceeds").await;
    api.sim.shutdown().await;
}
