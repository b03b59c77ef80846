//! Contract tests: every sample in specs/examples/asteria decodes with the XML types that
//! `cargo xtask codegen` generates from specs/asteria-warp.xsd (`asteria_warp_api::xml`),
//! re-encodes without losing an element, keeps status texts, and the error files are exactly the
//! rows of seed 004's three error tables.

use std::{collections::BTreeSet, fs};

use asteria_warp_api::{
    types,
    xml::{self, Answer, RequestStatus, ResultStatus},
};

/// How many XML files specs/examples/asteria holds: 3 seed answers, 4 inferred ones (login,
/// logout, an empty list, a list with unknown elements and status), 4 + 5 + 5 error rows.
/// Asserted exactly so that a deleted (or stray) sample fails.
const SAMPLE_COUNT: usize = 3 + 4 + 14;

/// The operationIds of specs/asteria-warp.yaml.
const OPERATIONS: [&str; 5] = [
    "login",
    "logout",
    "listCheckpoints",
    "showCheckpoint",
    "rerunCheckpoint",
];

/// Seed 004's エラーケース rows, one per case: (operationId, error code, HTTP status, 説明),
/// copied from the seed. Rows with two cases (2001; rerun's 2002) are listed once per case.
const ERROR_ROWS: [(&str, &str, u16, &str); 14] = [
    (
        "listCheckpoints",
        "2000",
        400,
        "statusパラメーターの値に誤りがあった場合",
    ),
    ("listCheckpoints", "2001", 403, "ログインしていなかった場合"),
    (
        "listCheckpoints",
        "2001",
        403,
        "エンタープライズライセンスがなかった場合",
    ),
    (
        "listCheckpoints",
        "9000",
        500,
        "チェックポイント情報の取得に失敗した場合",
    ),
    (
        "showCheckpoint",
        "2000",
        400,
        "requestIdパラメーターが存在しなかった場合",
    ),
    ("showCheckpoint", "2001", 403, "ログインしていなかった場合"),
    (
        "showCheckpoint",
        "2001",
        403,
        "エンタープライズライセンスがなかった場合",
    ),
    (
        "showCheckpoint",
        "2002",
        404,
        "requestIdパラメーターで指定されたリクエストが存在しなかった場合",
    ),
    (
        "showCheckpoint",
        "9000",
        500,
        "チェックポイント情報の取得に失敗した場合",
    ),
    (
        "rerunCheckpoint",
        "2000",
        400,
        "dateまたはrequestIdパラメーターが存在しなかった場合",
    ),
    ("rerunCheckpoint", "2001", 403, "ログインしていなかった場合"),
    (
        "rerunCheckpoint",
        "2001",
        403,
        "エンタープライズライセンスがなかった場合",
    ),
    (
        "rerunCheckpoint",
        "2002",
        404,
        "指定したリクエストが存在しなかった場合",
    ),
    (
        "rerunCheckpoint",
        "2002",
        404,
        "指定したリクエストのステータスが「error」(異常終了)でなかった場合",
    ),
];

/// The documented exception to "no element is lost": elements a sample holds on purpose that
/// the schema does not declare. Decoding skips them, so re-encoding drops them.
const UNKNOWN_ELEMENTS: [(&str, &[&str]); 1] = [(
    "listCheckpoints.response.unknown-element-and-status.xml",
    &["serverName", "paging", "serverId"],
)];

/// The HTTP status of each error code (seed 004's tables, research B.2).
fn http_status_of(code: &str) -> u16 {
    match code {
        "2000" => 400,
        "2001" => 403,
        "2002" => 404,
        "9000" => 500,
        other => panic!("error code {other} is not in seed 004's tables"),
    }
}

/// Every XML file of specs/examples/asteria, as (file name, text), sorted by name.
fn samples() -> Vec<(String, String)> {
    jobrun_tests::sample_files("asteria", "xml")
}

fn sample(name: &str) -> String {
    samples()
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} is missing"))
        .1
}

fn decode(name: &str, text: &str) -> Answer {
    xml::from_xml(text).unwrap_or_else(|e| panic!("{name} does not decode: {e}"))
}

/// An element as the comparison sees it: name, attributes, trimmed text (the decoder trims
/// text, and indentation is not content), child elements in order.
#[derive(Debug, Clone, PartialEq)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    text: String,
    children: Vec<Element>,
}

/// The element tree of an XML text; the XML declaration, comments and whitespace between
/// elements are not part of it.
fn tree(name: &str, text: &str) -> Element {
    fn convert(node: roxmltree::Node) -> Element {
        Element {
            name: node.tag_name().name().to_owned(),
            attributes: node
                .attributes()
                .map(|a| (a.name().to_owned(), a.value().to_owned()))
                .collect(),
            text: node
                .children()
                .filter(|c| c.is_text())
                .filter_map(|c| c.text())
                .collect::<String>()
                .trim()
                .to_owned(),
            children: node
                .children()
                .filter(|c| c.is_element())
                .map(convert)
                .collect(),
        }
    }
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    convert(doc.root_element())
}

/// The tree without the elements named `unknown`, and which of them it held.
fn without(element: &Element, unknown: &[&str], found: &mut BTreeSet<String>) -> Element {
    let mut children = Vec::new();
    for child in &element.children {
        if unknown.contains(&child.name.as_str()) {
            found.insert(child.name.clone());
        } else {
            children.push(without(child, unknown, found));
        }
    }
    Element {
        children,
        ..element.clone()
    }
}

fn child<'a>(element: &'a Element, name: &str) -> &'a Element {
    element
        .children
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("<{}> has no <{name}>: {element:?}", element.name))
}

fn names(element: &Element, out: &mut BTreeSet<String>) {
    out.insert(element.name.clone());
    element.children.iter().for_each(|c| names(c, out));
}

/// Re-encodes `answer`, decodes the result again and compares: the same value, and the element
/// tree of the sample (less its documented unknown elements) exactly.
fn round_trip(name: &str, text: &str, answer: &Answer) {
    let encoded = xml::to_xml(answer).unwrap_or_else(|e| panic!("{name} does not encode: {e}"));
    assert_eq!(
        &decode(&format!("{name}, re-encoded"), &encoded),
        answer,
        "{name}: decoding the re-encoded answer gives another value"
    );
    let unknown = UNKNOWN_ELEMENTS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(&[][..], |(_, u)| *u);
    let mut found = BTreeSet::new();
    let expected = without(&tree(name, text), unknown, &mut found);
    assert_eq!(
        found,
        unknown.iter().map(|u| u.to_string()).collect(),
        "{name}: the sample no longer holds its unknown elements"
    );
    let actual = tree(&format!("{name}, re-encoded"), &encoded);
    assert_eq!(
        actual, expected,
        "{name} lost or changed an element in the round trip:\n{encoded}"
    );
    let mut left = BTreeSet::new();
    names(&actual, &mut left);
    for u in unknown {
        assert!(
            !left.contains(*u),
            "{name}: <{u}> survived; is it declared now?"
        );
    }
}

/// A status keeps the vendor's text, and is a known variant exactly when the schema lists it.
fn check_statuses(name: &str, answer: &Answer) {
    let status = answer.status();
    assert_eq!(status.as_str(), answer.status, "{name}");
    assert_eq!(
        status.is_known(),
        ResultStatus::KNOWN.contains(&answer.status.as_str()),
        "{name}: {status:?}"
    );
    for request in answer.data.iter().flat_map(|d| &d.requests) {
        let status = request.status();
        assert_eq!(status.as_str(), request.status, "{name}");
        assert_eq!(
            status.is_known(),
            RequestStatus::KNOWN.contains(&request.status.as_str()),
            "{name}: {status:?}"
        );
    }
}

#[test]
fn every_sample_decodes_and_round_trips() {
    let samples = samples();
    assert_eq!(
        samples.len(),
        SAMPLE_COUNT,
        "specs/examples/asteria: {:?}",
        samples.iter().map(|s| &s.0).collect::<Vec<_>>()
    );
    for (name, text) in &samples {
        let answer = decode(name, text);
        let parts: Vec<&str> = name.split('.').collect();
        match parts.as_slice() {
            [operation, "response", _, "xml"] if OPERATIONS.contains(operation) => {
                assert_eq!(answer.status(), ResultStatus::Success, "{name}");
                assert_eq!(
                    (&answer.error_code, &answer.error_message),
                    (&None, &None),
                    "{name}"
                );
            }
            ["error", status, label, "xml"] => {
                let operation = label.split('-').next().unwrap_or_default();
                assert!(
                    OPERATIONS.contains(&operation),
                    "{name}: the label does not start with an operationId"
                );
                assert_eq!(answer.status(), ResultStatus::Error, "{name}");
                assert_eq!(answer.data, None, "{name}");
                let code = answer.error_code.as_deref().expect("an error code");
                assert_eq!(
                    status.to_string(),
                    http_status_of(code).to_string(),
                    "{name}"
                );
                assert!(
                    answer.error_message.as_ref().is_some_and(|m| !m.is_empty()),
                    "{name}"
                );
            }
            _ => panic!("{name}: the file name maps to no operation (see README.md)"),
        }
        check_statuses(name, &answer);
        round_trip(name, text, &answer);
    }
}

#[test]
fn the_error_files_are_the_seed_rows() {
    let files: BTreeSet<(String, String, u16, String)> = samples()
        .iter()
        .filter(|(name, _)| name.starts_with("error."))
        .map(|(name, text)| {
            let answer = decode(name, text);
            let status: u16 = name
                .split('.')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .expect(name);
            let operation = name.split('.').nth(2).and_then(|l| l.split('-').next());
            (
                operation.expect(name).to_owned(),
                answer.error_code.clone().expect(name),
                status,
                answer.error_message.clone().expect(name),
            )
        })
        .collect();
    let rows: BTreeSet<(String, String, u16, String)> = ERROR_ROWS
        .iter()
        .map(|(op, code, status, text)| {
            (op.to_string(), code.to_string(), *status, text.to_string())
        })
        .collect();
    assert_eq!(rows.len(), ERROR_ROWS.len(), "a row is listed twice");
    assert_eq!(files, rows);
    for (_, code, status, _) in &rows {
        assert_eq!(http_status_of(code), *status);
    }
}

#[test]
fn the_seed_samples_decode_to_what_they_show() {
    let list = decode("list", &sample("listCheckpoints.response.seed004.xml"));
    let data = list.data.expect("data");
    assert_eq!((data.request_id, data.session_id), (None, None));
    let [first, second] = data.requests.as_slice() else {
        panic!("two requests: {:?}", data.requests);
    };
    assert_eq!(first.request_id, "ec303dfa-c317-40f2-a396-d776918253df");
    assert_eq!(first.status(), RequestStatus::Success);
    assert_eq!(first.project.as_deref(), Some("Project1"));
    assert_eq!(first.flow.as_deref(), Some("Flow1"));
    assert_eq!(first.owner.as_deref(), Some("/guest"));
    assert_eq!(first.start_time.as_deref(), Some("2012-10-05T18:07:04 JST"));
    assert_eq!(first.check_point_status.as_deref(), Some(""));
    assert_eq!(first.end_time.as_deref(), Some("2012-10-05T18:07:04 JST"));
    assert_eq!(
        (
            &first.execute_user,
            &first.restart_time,
            &first.check_point_restart_status
        ),
        (&None, &None, &None)
    );
    assert_eq!(second.request_id, "eedd0d83-ac7a-482d-ae95-aa16c1d87d43");
    assert_eq!(second.status(), RequestStatus::Error);
    assert_eq!(second.check_point_status.as_deref(), Some("CheckPoint2"));
    assert_eq!(second.end_time.as_deref(), Some("2012-10-05T20:47:12 JST"));

    let show = decode("show", &sample("showCheckpoint.response.seed004.xml"));
    let [request] = show.data.expect("data").requests.try_into().expect("one");
    assert_eq!(request.request_id, "ec303dfa-c317-40f2-a396-d776918253df");
    assert_eq!(request.status(), RequestStatus::Error);
    assert_eq!(request.execute_user.as_deref(), Some(""));
    assert_eq!(
        request.start_time.as_deref(),
        Some("2012-10-05T18:06:59 JST")
    );
    assert_eq!(request.check_point_status.as_deref(), Some("CheckPoint2"));
    assert_eq!(request.end_time.as_deref(), Some("2012-10-05T20:47:12 JST"));
    assert_eq!(
        request.restart_time.as_deref(),
        Some("2012-10-05T20:46:44 JST")
    );
    assert_eq!(
        request.check_point_restart_status.as_deref(),
        Some("CheckPoint1")
    );

    let rerun = decode("rerun", &sample("rerunCheckpoint.response.seed004.xml"));
    let data = rerun.data.expect("data");
    assert_eq!(
        data.request_id.as_deref(),
        Some("eedd0d83-ac7a-482d-ae95-aa16c1d87d432")
    );
    assert!(data.requests.is_empty());

    let login = decode("login", &sample("login.response.inferred.xml"));
    assert_eq!(
        login.data.and_then(|d| d.session_id).as_deref(),
        Some("F15B47BC1F004DB489BAF1E4CDD0100D")
    );
    let logout = decode("logout", &sample("logout.response.inferred.xml"));
    assert_eq!(logout.data, None);
    let empty = decode(
        "empty",
        &sample("listCheckpoints.response.inferred-empty.xml"),
    );
    assert_eq!(empty.data, Some(xml::Data::default()));
}

#[test]
fn unknown_statuses_keep_their_text_and_unknown_elements_are_skipped() {
    let name = "listCheckpoints.response.unknown-element-and-status.xml";
    let answer = decode(name, &sample(name));
    let [request] = answer.data.expect("data").requests.try_into().expect("one");
    assert_eq!(
        request.status(),
        RequestStatus::Unknown("suspend".to_owned())
    );
    assert!(!request.status().is_terminal());
    assert_eq!(request.status().to_string(), "suspend");
    assert_eq!(request.check_point_status.as_deref(), Some("CheckPoint1"));
    assert_eq!(request.end_time, None);

    let answer = xml::from_xml("<result><status>partial</status></result>").expect("decodes");
    assert_eq!(answer.status(), ResultStatus::Unknown("partial".to_owned()));
    let encoded = xml::to_xml(&answer).expect("encodes");
    assert!(encoded.contains("<status>partial</status>"), "{encoded}");

    // The enum of the OpenAPI spec, not a second one: it carries the spec's x-terminal.
    let same: types::RequestStatus = RequestStatus::Success;
    assert!(same.is_terminal());
    assert_eq!(ResultStatus::KNOWN, ["success", "error"]);
}

#[test]
fn empty_elements_decode_to_empty_text_and_stay_elements() {
    for text in [
        "<result><status>success</status><data><request><requestId>a</requestId><status>running</status><checkPointStatus></checkPointStatus></request></data></result>",
        "<result><status>success</status><data><request><requestId>a</requestId><status>running</status><checkPointStatus/></request></data></result>",
    ] {
        let answer = xml::from_xml(text).expect("decodes");
        let request = &answer.data.as_ref().expect("data").requests[0];
        assert_eq!(request.check_point_status.as_deref(), Some(""), "{text}");
        assert_eq!(request.end_time, None, "{text}");
        let encoded = xml::to_xml(&answer).expect("encodes");
        let root = tree("re-encoded", &encoded);
        let request = child(child(&root, "data"), "request");
        assert_eq!(child(request, "checkPointStatus").text, "", "{encoded}");
        assert!(
            !encoded.contains("endTime"),
            "an absent element stays absent: {encoded}"
        );
    }
}

#[test]
fn malformed_xml_is_an_error_never_a_panic() {
    for (name, text) in samples() {
        let end = text.rfind("</result>").expect("a closing tag") + "</result>".len();
        for (cut, _) in text.char_indices().filter(|(i, _)| *i < end) {
            assert!(
                xml::from_xml(&text[..cut]).is_err(),
                "{name} cut at byte {cut} decodes"
            );
        }
    }
    for text in [
        "",
        "   ",
        "not xml",
        r#"{"result":{"status":"success"}}"#,
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
        "<other><status>success</status></other>",
        "<result><data/></result>",
        "<result><status>success</status></reslt>",
        "<result><status>success</status><data><request><status>success</status></request></data></result>",
        "<result><status>success</status></result><result/>",
        "<result><status>a &bogus; b</status></result>",
    ] {
        assert!(xml::from_xml(text).is_err(), "{text:?} decodes");
    }
}

#[test]
fn the_readme_names_every_sample() {
    let readme =
        fs::read_to_string(jobrun_tests::workspace_root().join("specs/examples/asteria/README.md"))
            .expect("README.md");
    let named: BTreeSet<&str> = readme
        .split('`')
        .filter(|s| s.ends_with(".xml") && !s.contains(' ') && !s.contains('<'))
        .collect();
    let files: BTreeSet<String> = samples().into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        named,
        files.iter().map(String::as_str).collect::<BTreeSet<_>>()
    );
}
