//! `cargo xtask conformance`: specs/adobe-query.yaml keeps Adobe's operationIds, methods, paths
//! and parameter names, and every way of drifting from them is reported by name.
//!
//! Edits happen on copies in a temporary directory laid out like the real one (`main/specs`
//! beside `shared/reference`), never on the real files.

use std::{
    fs,
    path::{Path, PathBuf},
};

const SPEC: &str = "specs/adobe-query.yaml";
const OFFICIAL: &str = "../shared/reference/adobe-query-service.openapi.yaml";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
}

/// A temporary `<tmp>/main` (the workspace root) holding a copy of our spec, with the official
/// spec copied to `<tmp>/shared/reference`.
struct Scratch {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Scratch {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("main");
        fs::create_dir_all(root.join("specs")).expect("mkdir specs");
        fs::copy(repo().join(SPEC), root.join(SPEC)).expect("copy spec");
        let official = root.join(OFFICIAL);
        fs::create_dir_all(official.parent().expect("parent")).expect("mkdir reference");
        fs::copy(repo().join(OFFICIAL), &official).expect("copy official spec");
        let scratch = Self { _dir: dir, root };
        let report = xtask::conformance(&scratch.root).expect("the copy is readable");
        assert!(report.differences.is_empty(), "{:?}", report.differences);
        scratch
    }

    /// Replaces every occurrence of `from` (which must occur) in our spec's copy.
    fn edit(&self, from: &str, to: &str) {
        self.edit_file(SPEC, from, to);
    }

    fn edit_file(&self, rel: &str, from: &str, to: &str) {
        let path = self.root.join(rel);
        let text = fs::read_to_string(&path).expect("readable");
        assert!(text.contains(from), "{rel} no longer contains {from:?}");
        fs::write(&path, text.replace(from, to)).expect("write");
    }

    /// Every difference, as `cargo xtask conformance` prints it.
    fn differences(&self) -> Vec<String> {
        xtask::conformance(&self.root)
            .expect("compares")
            .differences
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn error(&self) -> String {
        match xtask::conformance(&self.root) {
            Ok(report) => panic!("expected an error, got {report:?}"),
            Err(e) => format!("{e:#}"),
        }
    }
}

fn assert_one_mentions(differences: &[String], needles: &[&str]) {
    assert!(
        differences
            .iter()
            .any(|d| needles.iter().all(|n| d.contains(n))),
        "no difference mentions all of {needles:?}: {differences:#?}"
    );
}

#[test]
fn the_committed_specs_conform() {
    let report = xtask::conformance(repo()).expect("compares");
    assert!(report.differences.is_empty(), "{:#?}", report.differences);
    assert_eq!(
        report.checked,
        [(PathBuf::from(SPEC), PathBuf::from(OFFICIAL), 9)],
        "adobe-query.yaml declares the nine schedule operations and is the only spec with an \
         official one"
    );
}

#[test]
fn a_renamed_query_parameter_fails_naming_it() {
    let scratch = Scratch::new();
    scratch.edit("      name: orderby\n", "      name: order_by\n");
    let differences = scratch.differences();
    // The shared parameter is used by both list operations; each is named, both ways.
    for op in [
        "listSchedules (GET /data/foundation/query/schedules)",
        "listScheduleRuns",
    ] {
        assert_one_mentions(
            &differences,
            &[SPEC, op, "query parameter \"order_by\" is not in"],
        );
        assert_one_mentions(
            &differences,
            &[SPEC, op, "query parameter \"orderby\" is missing"],
        );
    }
    assert_eq!(differences.len(), 4, "{differences:#?}");
}

#[test]
fn a_renamed_path_parameter_fails_naming_it() {
    let scratch = Scratch::new();
    scratch.edit("{schedulesId}", "{scheduleId}");
    scratch.edit("name: schedulesId", "name: scheduleId");
    let differences = scratch.differences();
    for op in [
        "retrieveSchedule",
        "updateSchedule",
        "deleteSchedule",
        "listScheduleRuns",
        "triggerScheduleRun",
        "retrieveScheduledQueryRun",
        "cancelScheduledQueryRun",
    ] {
        assert_one_mentions(
            &differences,
            &[
                op,
                "path parameter 1 ({scheduleId}) is {schedulesId} in the official spec",
            ],
        );
    }
    assert_eq!(differences.len(), 7, "{differences:#?}");

    let scratch = Scratch::new();
    scratch.edit("      name: runId\n", "      name: run_id\n");
    scratch.edit("/runs/{runId}", "/runs/{run_id}");
    let differences = scratch.differences();
    assert_one_mentions(
        &differences,
        &[
            "cancelScheduledQueryRun (PATCH",
            "path parameter 2 ({run_id}) is {runId}",
        ],
    );
    assert_eq!(differences.len(), 2, "{differences:#?}");
}

#[test]
fn a_changed_method_fails_naming_it() {
    let scratch = Scratch::new();
    scratch.edit(
        "    delete:\n      operationId: deleteSchedule\n",
        "    put:\n      operationId: deleteSchedule\n",
    );
    let differences = scratch.differences();
    assert_eq!(
        differences,
        [format!(
            "{SPEC}: deleteSchedule (PUT /data/foundation/query/schedules/{{schedulesId}}): the \
             official spec has no PUT on /data/foundation/query/schedules/{{schedulesId}} (it has \
             GET, DELETE, PATCH); its deleteSchedule is DELETE \
             /data/foundation/query/schedules/{{schedulesId}}"
        )]
    );
}

#[test]
fn an_unknown_path_fails_naming_it() {
    let scratch = Scratch::new();
    scratch.edit(
        "  /schedules/{schedulesId}/runs:\n",
        "  /schedules/{schedulesId}/executions:\n",
    );
    let differences = scratch.differences();
    for op in ["listScheduleRuns (GET", "triggerScheduleRun (POST"] {
        assert_one_mentions(
            &differences,
            &[
                SPEC,
                op,
                "the official spec has no path /data/foundation/query/schedules/{schedulesId}/executions",
            ],
        );
    }
    assert_eq!(differences.len(), 2, "{differences:#?}");
}

#[test]
fn paths_are_compared_below_each_spec_s_server_path() {
    // The same URLs, split differently between the server and the paths: still conform.
    let scratch = Scratch::new();
    scratch.edit(
        "  - url: https://platform.adobe.io/data/foundation/query\n",
        "  - url: https://platform.adobe.io/data/foundation\n",
    );
    scratch.edit("\n  /schedules", "\n  /query/schedules");
    assert_eq!(scratch.differences(), Vec::<String>::new());

    // A server path that moves every URL: every operation differs.
    let scratch = Scratch::new();
    scratch.edit(
        "  - url: https://platform.adobe.io/data/foundation/query\n",
        "  - url: https://platform.adobe.io/data/foundation/queries\n",
    );
    let differences = scratch.differences();
    assert_eq!(differences.len(), 9, "{differences:#?}");
    assert_one_mentions(
        &differences,
        &[
            "listSchedules",
            "no path /data/foundation/queries/schedules",
        ],
    );
}

#[test]
fn a_renamed_operation_fails_naming_both_ids() {
    let scratch = Scratch::new();
    scratch.edit(
        "operationId: triggerScheduleRun\n",
        "operationId: runSchedule\n",
    );
    assert_eq!(
        scratch.differences(),
        [format!(
            "{SPEC}: runSchedule (POST /data/foundation/query/schedules/{{schedulesId}}/runs): \
             operationId runSchedule is triggerScheduleRun in the official spec"
        )]
    );
}

#[test]
fn header_parameters_are_not_compared() {
    // The official spec declares Authorization, x-api-key, … on every operation and ours none;
    // a header of ours that the official spec lacks is no difference either.
    let scratch = Scratch::new();
    scratch.edit(
        "      parameters:\n        - $ref: '#/components/parameters/SchedulesId'\n      responses:\n        '200':\n          description: The schedule (seed 002 応答).\n",
        "      parameters:\n        - $ref: '#/components/parameters/SchedulesId'\n        - name: x-trace\n          in: header\n          schema:\n            type: string\n      responses:\n        '200':\n          description: The schedule (seed 002 応答).\n",
    );
    assert_eq!(scratch.differences(), Vec::<String>::new());
}

#[test]
fn bad_input_is_an_error_naming_the_file_and_operation_never_a_panic() {
    // The official spec is missing.
    let scratch = Scratch::new();
    fs::remove_file(scratch.root.join(OFFICIAL)).expect("remove");
    let error = scratch.error();
    assert!(error.contains(SPEC) && error.contains(OFFICIAL), "{error}");

    // A parameter $ref that points at nothing.
    let scratch = Scratch::new();
    scratch.edit(
        "        - $ref: '#/components/parameters/Start'\n        - name: property\n          in: query\n          required: false\n          description: >\n            Comma-separated filters on `created` (`>`, `<`), `templateId`",
        "        - $ref: '#/components/parameters/Begin'\n        - name: property\n          in: query\n          required: false\n          description: >\n            Comma-separated filters on `created` (`>`, `<`), `templateId`",
    );
    let error = scratch.error();
    for needle in [
        SPEC,
        "listSchedules (GET /schedules)",
        "#/components/parameters/Begin",
    ] {
        assert!(error.contains(needle), "{needle}: {error}");
    }

    // A path template that names a parameter the operation does not declare.
    let scratch = Scratch::new();
    scratch.edit(
        "  /schedules/{schedulesId}/runs:\n",
        "  /schedules/{schedulesId}/runs/{page}:\n",
    );
    let error = scratch.error();
    for needle in [SPEC, "listScheduleRuns", "page"] {
        assert!(error.contains(needle), "{needle}: {error}");
    }

    // YAML that does not parse, and a spec without paths.
    let scratch = Scratch::new();
    scratch.edit("openapi: 3.0.3\n", "openapi: [3.0.3\n");
    assert!(scratch.error().contains(SPEC));
    let scratch = Scratch::new();
    scratch.edit("\npaths:\n", "\nroutes:\n");
    let error = scratch.error();
    assert!(error.contains(SPEC) && error.contains("paths"), "{error}");

    // No spec names an official one: the check would prove nothing.
    let scratch = Scratch::new();
    scratch.edit("  x-official-spec:", "  x-reviewed-against:");
    let error = scratch.error();
    assert!(error.contains("x-official-spec"), "{error}");
}
