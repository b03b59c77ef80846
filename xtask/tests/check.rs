//! `cargo xtask codegen --check` catches every spec edit that changes the generated code.

use std::{fs, path::Path};

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("readable") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copy");
        }
    }
}

/// A scratch workspace holding a copy of the real specs, freshly generated.
fn scratch() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&repo.join("specs"), &dir.path().join("specs"));
    xtask::write(dir.path()).expect("generates");
    assert_eq!(
        xtask::check(dir.path()).expect("checks"),
        Vec::<std::path::PathBuf>::new()
    );
    dir
}

fn edit(dir: &Path, from: &str, to: &str) {
    edit_file(dir, "specs/trocco.yaml", from, to);
}

fn edit_file(dir: &Path, rel: &str, from: &str, to: &str) {
    let spec = dir.join(rel);
    let text = fs::read_to_string(&spec).expect("spec");
    assert!(text.contains(from), "{rel} no longer contains {from:?}");
    fs::write(&spec, text.replacen(from, to, 1)).expect("write");
}

const XSD: &str = "specs/asteria-warp.xsd";
const XML_RS: &str = "generated/asteria-warp-api/src/xml.rs";

#[test]
fn the_committed_generated_tree_is_current() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    assert_eq!(
        xtask::check(repo).expect("checks"),
        Vec::<std::path::PathBuf>::new()
    );
}

#[test]
fn a_new_status_value_makes_check_fail() {
    let dir = scratch();
    edit(
        dir.path(),
        "        - retry_waiting\n",
        "        - retry_waiting\n        - paused\n",
    );
    let stale = xtask::check(dir.path()).expect("checks");
    assert_eq!(stale, [Path::new("generated/trocco-api/src/client.rs")]);
}

#[test]
fn a_renamed_operation_makes_check_fail() {
    let dir = scratch();
    edit(
        dir.path(),
        "operationId: getJob\n",
        "operationId: getTransferJob\n",
    );
    let stale = xtask::check(dir.path()).expect("checks");
    assert!(stale.contains(&Path::new("generated/trocco-api/src/client.rs").to_path_buf()));
    assert!(stale.contains(&Path::new("generated/trocco-api/src/lib.rs").to_path_buf()));
}

#[test]
fn a_hand_edit_or_a_stray_file_makes_check_fail() {
    let dir = scratch();
    let client = dir.path().join("generated/trocco-api/src/client.rs");
    let text = fs::read_to_string(&client).expect("generated");
    fs::write(
        &client,
        text.replace("pub enum JobStatus", "pub enum JobState"),
    )
    .expect("write");
    fs::write(
        dir.path().join("generated/trocco-api/src/extra.rs"),
        "// hand-written\n",
    )
    .expect("write");
    let stale = xtask::check(dir.path()).expect("checks");
    assert_eq!(
        stale,
        [
            Path::new("generated/trocco-api/src/client.rs"),
            Path::new("generated/trocco-api/src/extra.rs")
        ]
    );
    xtask::write(dir.path()).expect("regenerates");
    assert!(xtask::check(dir.path()).expect("checks").is_empty());
}

#[test]
fn a_comment_only_edit_changes_nothing() {
    let dir = scratch();
    edit(
        dir.path(),
        "openapi: 3.0.3\n",
        "# reviewed 2026-11\nopenapi: 3.0.3\n",
    );
    assert!(xtask::check(dir.path()).expect("checks").is_empty());
}

#[test]
fn rendering_twice_is_identical() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    assert_eq!(
        xtask::render(repo).expect("first"),
        xtask::render(repo).expect("second")
    );
}

#[test]
fn the_generated_xml_module_is_current_and_declared() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let rendered = xtask::render(repo).expect("renders");
    let xml = rendered
        .get(Path::new(XML_RS))
        .expect("the XSD renders xml.rs");
    assert_eq!(
        Some(xml),
        fs::read_to_string(repo.join(XML_RS)).ok().as_ref(),
        "{XML_RS} is not what {XSD} produces; run cargo xtask codegen"
    );
    assert!(xml.starts_with(
        "// generated from specs/asteria-warp.xsd by `cargo xtask codegen`; do not edit.\n"
    ));
    let lib = &rendered[Path::new("generated/asteria-warp-api/src/lib.rs")];
    assert!(lib.contains("\n#[rustfmt::skip]\npub mod xml;\n"), "{lib}");
    let manifest = &rendered[Path::new("generated/asteria-warp-api/Cargo.toml")];
    assert!(
        manifest.contains("\nyaserde.workspace = true\n"),
        "{manifest}"
    );
    // Vendors without an XSD get no xml module.
    let trocco = &rendered[Path::new("generated/trocco-api/src/lib.rs")];
    assert!(!trocco.contains("mod xml"));
    assert!(!rendered.contains_key(Path::new("generated/trocco-api/src/xml.rs")));
}

#[test]
fn a_new_xsd_element_makes_check_fail() {
    let dir = scratch();
    edit_file(
        dir.path(),
        XSD,
        "      <xs:element name=\"restartTime\"",
        "      <xs:element name=\"serverId\" type=\"xs:string\" minOccurs=\"0\"/>\n      \
         <xs:element name=\"restartTime\"",
    );
    let stale = xtask::check(dir.path()).expect("checks");
    assert_eq!(stale, [Path::new(XML_RS)]);
    let rendered = xtask::render(dir.path()).expect("renders");
    assert!(rendered[Path::new(XML_RS)].contains("pub server_id: Option<String>,"));
    xtask::write(dir.path()).expect("regenerates");
    assert!(xtask::check(dir.path()).expect("checks").is_empty());
}

#[test]
fn a_new_xsd_enumeration_value_makes_check_fail() {
    let dir = scratch();
    edit_file(
        dir.path(),
        XSD,
        "      <xs:enumeration value=\"success\">",
        "      <xs:enumeration value=\"partial\"/>\n      <xs:enumeration value=\"success\">",
    );
    let stale = xtask::check(dir.path()).expect("checks");
    assert_eq!(stale, [Path::new(XML_RS)]);
    let rendered = xtask::render(dir.path()).expect("renders");
    assert!(rendered[Path::new(XML_RS)].contains("&[\"partial\", \"success\", \"error\"]"));
}

#[test]
fn an_xsd_enum_that_disagrees_with_the_openapi_one_is_an_error() {
    let dir = scratch();
    edit_file(
        dir.path(),
        XSD,
        "      <xs:enumeration value=\"running\">",
        "      <xs:enumeration value=\"suspend\"/>\n      <xs:enumeration value=\"running\">",
    );
    let Err(error) = xtask::check(dir.path()) else {
        panic!("the XSD's RequestStatus disagrees with the spec's and is refused");
    };
    let error = format!("{error:#}");
    assert!(error.contains("simpleType RequestStatus"), "{error}");
    assert!(error.contains("suspend"), "{error}");
}

#[test]
fn a_bad_xsd_is_an_error_naming_the_element_never_a_panic() {
    let cases: [(&str, &str, &str); 6] = [
        (
            "<xs:element name=\"owner\" type=\"xs:string\" minOccurs=\"0\">",
            "<xs:element name=\"owner\" type=\"xs:dateTime\" minOccurs=\"0\">",
            "name=\"owner\"",
        ),
        (
            "<xs:element name=\"flow\" type=\"xs:string\" minOccurs=\"0\">",
            "<xs:element name=\"flow\" type=\"Flow\" minOccurs=\"0\">",
            "type Flow is not defined",
        ),
        (
            "<xs:element name=\"project\" type=\"xs:string\" minOccurs=\"0\">",
            "<xs:element name=\"project\" type=\"xs:string\" minOccurs=\"zero\">",
            "name=\"project\"",
        ),
        (
            "<xs:element name=\"endTime\" type=\"xs:string\" minOccurs=\"0\">",
            "<xs:element name=\"endTime\" type=\"xs:string\" minOccurs=\"0\" default=\"x\">",
            "name=\"endTime\"",
        ),
        (
            "<xs:element name=\"data\" type=\"Data\" minOccurs=\"0\">",
            "<xs:element name=\"data\" type=\"Answer\" minOccurs=\"0\">",
            "contains itself",
        ),
        ("</xs:schema>", "", "not well-formed"),
    ];
    for (from, to, expected) in cases {
        let dir = scratch();
        edit_file(dir.path(), XSD, from, to);
        let Err(error) = xtask::render(dir.path()) else {
            panic!("a bad XSD is refused: {to}");
        };
        let error = format!("{error:#}");
        assert!(error.contains(XSD), "{error}");
        assert!(error.contains(expected), "{to}: {error}");
    }
}

#[test]
fn an_xsd_without_an_openapi_spec_is_an_error() {
    let dir = scratch();
    fs::copy(dir.path().join(XSD), dir.path().join("specs/orphan.xsd")).expect("copy");
    let Err(error) = xtask::render(dir.path()) else {
        panic!("an XSD without a spec is refused");
    };
    let error = format!("{error:#}");
    assert!(error.contains("orphan.xsd"), "{error}");
}

#[test]
fn removing_the_xsd_removes_the_xml_module() {
    let dir = scratch();
    fs::remove_file(dir.path().join(XSD)).expect("remove");
    let stale = xtask::check(dir.path()).expect("checks");
    assert_eq!(
        stale,
        [
            Path::new("generated/asteria-warp-api/Cargo.toml"),
            Path::new("generated/asteria-warp-api/src/lib.rs"),
            Path::new(XML_RS),
        ]
    );
    xtask::write(dir.path()).expect("regenerates");
    assert!(!dir.path().join(XML_RS).exists());
}

const ADOBE: &str = "specs/adobe-query.yaml";
const ADOBE_RS: &str = "generated/adobe-query-api/src/client.rs";

#[test]
fn a_case_insensitive_enum_becomes_a_text_newtype_with_a_kind() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let rendered = xtask::render(repo).expect("renders");
    let client = &rendered[Path::new(ADOBE_RS)];
    for needle in [
        "#[serde(transparent)]\n    pub struct RunState(::std::string::String);",
        "pub fn kind(&self) -> RunStateKind {",
        "pub enum RunStateKind {",
        "if value.eq_ignore_ascii_case(\"IN_PROGRESS\") {",
        "pub struct TaskState(::std::string::String);",
        "pub enum TaskStateKind {",
        // Inferred values are documented as such.
        "/// `KILLED`: the run was stopped (a query state of /queries) (inferred: no vendor page \
         lists this value here)",
        // The doc example runs as a doctest of the generated crate.
        "let state: RunState = serde_json::from_str(\"\\\"success\\\"\").unwrap();",
    ] {
        assert!(client.contains(needle), "{ADOBE_RS} lacks {needle:?}");
    }
    // A plain enum stays a plain open enum.
    assert!(client.contains("pub enum ScheduleState {"));
    assert!(!client.contains("ScheduleStateKind"));
    // Turning the note off gives the exact-match open enum back.
    let dir = scratch();
    edit_file(
        dir.path(),
        ADOBE,
        "      x-case-insensitive: true\n      enum:\n        - SUCCESS\n        - IN_PROGRESS\n        - FAILED\n        - KILLED",
        "      enum:\n        - SUCCESS\n        - IN_PROGRESS\n        - FAILED\n        - KILLED",
    );
    let stale = xtask::check(dir.path()).expect("checks");
    assert_eq!(stale, [Path::new(ADOBE_RS)]);
    let client = &xtask::render(dir.path()).expect("renders")[Path::new(ADOBE_RS)];
    assert!(client.contains("pub enum RunState {"));
    assert!(!client.contains("RunStateKind"));
    assert!(client.contains("pub struct TaskState(::std::string::String);"));
}

#[test]
fn bad_enum_notes_are_errors_naming_the_schema_never_a_panic() {
    let cases: [(&str, &str, &[&str]); 6] = [
        (
            "        - CANCELLED\n        - CANCELED\n        - TIMEOUT\n      x-inferred-values:",
            "        - CANCELLED\n        - CANCELED\n        - TIMEOUT\n        - success\n      \
             x-inferred-values:",
            &["RunState", "\"SUCCESS\"", "\"success\"", "letter case"],
        ),
        (
            "      x-case-insensitive: true\n      enum:\n        - SUCCESS\n        - IN_PROGRESS\n        - FAILED\n        - KILLED",
            "      x-case-insensitive: yes please\n      enum:\n        - SUCCESS\n        - IN_PROGRESS\n        - FAILED\n        - KILLED",
            &["x-case-insensitive of RunState", "not true or false"],
        ),
        (
            "      x-inferred-values:\n        - KILLED\n",
            "      x-inferred-values:\n        - PAUSED\n",
            &["x-inferred-values of RunState", "PAUSED"],
        ),
        (
            "      x-inferred-values:\n        - KILLED\n",
            "      x-inferred-values: KILLED\n      x-unused:\n        - KILLED\n",
            &["x-inferred-values of RunState", "not a list"],
        ),
        (
            "  schemas:\n    ScheduleId:\n",
            "  schemas:\n    RunStateKind:\n      type: object\n    ScheduleId:\n",
            &["RunStateKind", "RunState"],
        ),
        (
            "    Href:\n      type: object\n",
            "    Href:\n      type: object\n      x-case-insensitive: true\n",
            &["schema Href", "x-case-insensitive", "string enum"],
        ),
    ];
    for (from, to, expected) in cases {
        let dir = scratch();
        edit_file(dir.path(), ADOBE, from, to);
        let Err(error) = xtask::render(dir.path()) else {
            panic!("refused: {to}");
        };
        let error = format!("{error:#}");
        assert!(error.contains(ADOBE), "{error}");
        for needle in expected {
            assert!(error.contains(needle), "{to}: {needle:?} not in {error}");
        }
    }
}

/// `codegen --check` shows what a spec change did: a unified diff per stale file, from the
/// file as committed (`a/`) to what the specs produce (`b/`), cut at the bound it is given
/// with the count of lines left out; a stray file's diff removes it.
#[test]
fn check_diffs_show_the_change_bounded() {
    let dir = scratch();
    edit(
        dir.path(),
        "        - retry_waiting\n",
        "        - retry_waiting\n        - paused\n",
    );
    fs::write(
        dir.path().join("generated/trocco-api/src/extra.rs"),
        "// hand-written\n",
    )
    .expect("write");
    let stale = xtask::check_diffs(dir.path(), usize::MAX).expect("checks");
    let client = stale
        .iter()
        .find(|s| s.path == Path::new("generated/trocco-api/src/client.rs"))
        .expect("client.rs is stale");
    assert!(
        client.diff.starts_with(
            "--- a/generated/trocco-api/src/client.rs\n+++ b/generated/trocco-api/src/client.rs\n"
        ),
        "{}",
        client.diff
    );
    assert!(
        client
            .diff
            .lines()
            .any(|l| l.starts_with('+') && l.contains("Paused")),
        "{}",
        client.diff
    );
    assert_eq!(client.left_out, 0);
    let extra = stale
        .iter()
        .find(|s| s.path == Path::new("generated/trocco-api/src/extra.rs"))
        .expect("the stray file is stale");
    assert!(
        extra.diff.contains("\n-// hand-written\n"),
        "{}",
        extra.diff
    );

    let bounded = xtask::check_diffs(dir.path(), 5).expect("checks");
    let client = bounded
        .iter()
        .find(|s| s.path == Path::new("generated/trocco-api/src/client.rs"))
        .expect("client.rs is stale");
    assert_eq!(client.diff.lines().count(), 5, "{}", client.diff);
    assert!(client.left_out > 0);
}
