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
    let spec = dir.join("specs/trocco.yaml");
    let text = fs::read_to_string(&spec).expect("spec");
    assert!(text.contains(from), "the spec no longer contains {from:?}");
    fs::write(&spec, text.replacen(from, to, 1)).expect("write");
}

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
