//! Contract tests: every sample in specs/examples/adobe decodes into the generated types of
//! `adobe-query-api` (Query Service schedules) or `adobe-ims-api` (the IMS token) and
//! re-encodes without losing or changing a field; where the docs and the official spec disagree
//! (research §6) the types keep the vendor's text; states nobody lists decode to `Unknown`.

use std::collections::BTreeSet;

use adobe_ims_api::types as ims;
use adobe_query_api::types;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

/// How many JSON files specs/examples/adobe holds: 9 of seed 002, 5 of the runs page, 5 built
/// from the official spec's examples, 9 research and inferred edges, 4 of IMS (1 token, 3
/// OAuth errors), 10 gateway and platform errors. Asserted exactly so that a deleted (or
/// stray) sample fails.
const SAMPLE_COUNT: usize = 9 + 5 + 5 + 9 + 4 + 10;

/// The operationIds of specs/adobe-query.yaml (the official spec's own).
const QUERY_OPERATIONS: [&str; 9] = [
    "listSchedules",
    "createSchedule",
    "retrieveSchedule",
    "deleteSchedule",
    "updateSchedule",
    "listScheduleRuns",
    "triggerScheduleRun",
    "retrieveScheduledQueryRun",
    "cancelScheduledQueryRun",
];

/// The operationId of specs/adobe-ims.yaml.
const IMS_OPERATIONS: [&str; 1] = ["getAccessToken"];

/// The documented 202 texts (seed 002 for patch and delete, EL-runs for trigger and cancel;
/// research §6 #6), by operation. Note the full stop after the trigger text only.
const ACCEPTED: [(&str, &str); 4] = [
    ("updateSchedule", "Request to patch accepted"),
    ("deleteSchedule", "Schedule deleted successfully"),
    (
        "triggerScheduleRun",
        "Request to trigger run of a scheduled query accepted.",
    ),
    (
        "cancelScheduledQueryRun",
        "Request to cancel run of a scheduled query accepted",
    ),
];

fn samples() -> Vec<(String, Value)> {
    jobrun_tests::samples("adobe")
}

fn sample(name: &str) -> Value {
    samples()
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} is missing"))
        .1
}

fn decode<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_value(sample(name)).unwrap_or_else(|e| panic!("{name} does not decode: {e}"))
}

/// Decodes `value` as `T`, re-encodes it and compares exactly: a field the type does not know
/// would be dropped, and a lenient field that normalised the vendor's text (`"false"` → false,
/// `"success"` → SUCCESS, 303 → "303", an epoch-ms string → ISO) would differ.
///
/// No normalisation at all, unlike trocco's test: Adobe's samples never use null or `[]` for
/// "absent", and `[]` (an empty page) must survive as `[]`.
fn round_trip<T: DeserializeOwned + Serialize>(name: &str, value: &Value) -> T {
    let decoded: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{name} does not decode: {e}"));
    let encoded = serde_json::to_value(&decoded).expect("generated types encode");
    assert_eq!(
        &encoded, value,
        "{name} lost or changed a field in the round trip"
    );
    decoded
}

/// The operationIds a spec file declares, read from its `operationId:` lines (the tests crate
/// has no YAML parser; every spec of this workspace writes one operationId per line).
fn operation_ids(spec: &str) -> BTreeSet<String> {
    let path = jobrun_tests::workspace_root().join("specs").join(spec);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{spec}: {e}"));
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("operationId:"))
        .map(|id| id.trim().trim_matches(['"', '\'']).to_owned())
        .collect()
}

/// How a spec enum matches the vendor's text: exactly, or ignoring ASCII case
/// (`x-case-insensitive`, run and task states: the docs write `"success"`, research §6 #2).
#[derive(Clone, Copy)]
enum Case {
    Exact,
    Ignored,
}

/// One state as the sample writes it and as decoded: the text survives, and the value is a
/// known one exactly when the spec lists that text (in any letter case where the spec says
/// so).
fn check_state(name: &str, text: &Value, as_str: &str, is_known: bool, known: &[&str], case: Case) {
    let text = text
        .as_str()
        .unwrap_or_else(|| panic!("{name}: a state is a string"));
    assert_eq!(as_str, text, "{name}");
    let listed = match case {
        Case::Exact => known.contains(&text),
        Case::Ignored => known.iter().any(|k| k.eq_ignore_ascii_case(text)),
    };
    assert_eq!(is_known, listed, "{name}: {text}");
}

fn check_schedule(name: &str, value: &Value, schedule: &types::Schedule) {
    if let Some(state) = &schedule.state {
        check_state(
            name,
            &value["state"],
            state.as_str(),
            state.is_known(),
            types::ScheduleState::KNOWN,
            Case::Exact,
        );
    }
}

fn check_run_state(name: &str, text: &Value, state: &types::RunState) {
    check_state(
        name,
        text,
        state.as_str(),
        state.is_known(),
        types::RunState::KNOWN,
        Case::Ignored,
    );
    // A known state means the spec's value whatever the case; an unknown one keeps the text.
    let kind = state.kind();
    if kind.is_known() {
        assert!(kind.as_str().eq_ignore_ascii_case(state.as_str()), "{name}");
    } else {
        assert_eq!(
            kind,
            types::RunStateKind::Unknown(state.as_str().to_owned()),
            "{name}"
        );
    }
}

fn check_tasks(name: &str, value: &Value, tasks: &[types::Task]) {
    let written = value["taskStatusList"]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: every run details sample lists tasks"));
    assert_eq!(tasks.len(), written.len(), "{name}");
    for (task, text) in tasks.iter().zip(written) {
        let state = task.state.as_ref().expect("every sample task has a state");
        check_state(
            name,
            &text["state"],
            state.as_str(),
            state.is_known(),
            types::TaskState::KNOWN,
            Case::Ignored,
        );
    }
}

#[test]
fn every_sample_decodes_and_round_trips() {
    let samples = samples();
    assert_eq!(
        samples.len(),
        SAMPLE_COUNT,
        "specs/examples/adobe: {:?}",
        samples.iter().map(|s| &s.0).collect::<Vec<_>>()
    );
    for (name, value) in &samples {
        let parts: Vec<&str> = name.split('.').collect();
        match parts.as_slice() {
            ["listSchedules", "response", _, "json"] => {
                let list = round_trip::<types::ScheduleList>(name, value);
                for (schedule, v) in list
                    .schedules
                    .iter()
                    .zip(value["schedules"].as_array().into_iter().flatten())
                {
                    check_schedule(name, v, schedule);
                }
            }
            ["createSchedule", "request", _, "json"] => {
                round_trip::<types::CreateScheduleRequest>(name, value);
            }
            ["createSchedule" | "retrieveSchedule", "response", _, "json"] => {
                let schedule = round_trip::<types::Schedule>(name, value);
                check_schedule(name, value, &schedule);
            }
            ["updateSchedule", "request", _, "json"] => {
                round_trip::<types::UpdateScheduleRequest>(name, value);
            }
            [
                operation @ ("updateSchedule"
                | "deleteSchedule"
                | "triggerScheduleRun"
                | "cancelScheduledQueryRun"),
                "response",
                _,
                "json",
            ] => {
                let accepted = round_trip::<types::Accepted>(name, value);
                let text = ACCEPTED
                    .iter()
                    .find(|(op, _)| op == operation)
                    .map(|(_, text)| *text);
                assert_eq!(accepted.message.as_deref(), text, "{name}");
                assert_eq!(
                    accepted.status_code,
                    Some(types::StatusCode::Int32(202)),
                    "{name}"
                );
            }
            ["listScheduleRuns", "response", _, "json"] => {
                let list = round_trip::<types::RunList>(name, value);
                let written = value["runsSchedules"].as_array().expect("runsSchedules");
                for (run, v) in list.runs_schedules.iter().zip(written) {
                    let state = run.state.as_ref().expect("every sample run has a state");
                    check_run_state(name, &v["state"], state);
                }
            }
            ["retrieveScheduledQueryRun", "response", _, "json"] => {
                let run = round_trip::<types::RunDetails>(name, value);
                let state = run.state.as_ref().expect("every sample run has a state");
                check_run_state(name, &value["state"], state);
                check_tasks(name, value, run.task_status_list.as_deref().unwrap_or(&[]));
            }
            ["cancelScheduledQueryRun", "request", _, "json"] => {
                let body = round_trip::<types::CancelRunRequest>(name, value);
                assert_eq!(body.op, types::CancelOp::Cancel, "{name}");
            }
            ["getAccessToken", "response", _, "json"] => {
                let answer = round_trip::<ims::TokenAnswer>(name, value);
                assert!(answer.expires_in > 0, "{name}");
            }
            ["error", status, label, "json"] => {
                let status: u16 = status
                    .parse()
                    .unwrap_or_else(|_| panic!("{name}: {status} is not an HTTP status"));
                check_error(name, status, label, value);
            }
            _ => panic!(
                "{name}: the name maps to no generated type (see specs/examples/adobe/README.md)"
            ),
        }
    }
}

/// An error label names the body's shape: `gateway-<error_code>-…`, `problem-…` or `oauth-…`.
fn check_error(name: &str, status: u16, label: &str, value: &Value) {
    if let Some(rest) = label.strip_prefix("gateway-") {
        let body = round_trip::<types::ErrorBody>(name, value);
        let code = body
            .error_code
            .unwrap_or_else(|| panic!("{name}: a gateway body has error_code"));
        assert!(
            rest.starts_with(&format!("{code}-")),
            "{name}: the label names the code {code}"
        );
        // The gateway's codes start with the HTTP status they come with (GW-lua).
        assert!(code.starts_with(&status.to_string()), "{name}: {code}");
        assert!(body.message.is_some_and(|m| !m.is_empty()), "{name}");
        assert!(body.status.is_none() && body.detail.is_none(), "{name}");
    } else if label.starts_with("problem-") {
        let body = round_trip::<types::ErrorBody>(name, value);
        assert_eq!(body.status, Some(i32::from(status)), "{name}");
        assert!(body.title.is_some() && body.detail.is_some(), "{name}");
        assert!(body.error_code.is_none(), "{name}");
    } else if label.starts_with("oauth-") {
        let body = round_trip::<ims::OAuthError>(name, value);
        let error = body
            .error
            .unwrap_or_else(|| panic!("{name}: an OAuth error has `error`"));
        assert!(
            label.contains(&error.replace('_', "-")),
            "{name}: the label names the error {error}"
        );
        assert!(body.error_description.is_some(), "{name}");
    } else {
        panic!("{name}: an error label starts with gateway-, problem- or oauth-");
    }
}

/// Every operation of both specs has an answer sample, every sample names an operation of the
/// specs, and the lists above are the specs' own operationIds.
#[test]
fn samples_cover_exactly_the_operations_of_the_specs() {
    let query = operation_ids("adobe-query.yaml");
    let ims = operation_ids("adobe-ims.yaml");
    assert_eq!(
        query,
        QUERY_OPERATIONS.iter().map(|s| s.to_string()).collect(),
        "specs/adobe-query.yaml"
    );
    assert_eq!(
        ims,
        IMS_OPERATIONS.iter().map(|s| s.to_string()).collect(),
        "specs/adobe-ims.yaml"
    );
    let named: BTreeSet<String> = samples()
        .iter()
        .filter(|(name, _)| !name.starts_with("error."))
        .map(|(name, _)| name.split('.').next().expect("a name").to_owned())
        .collect();
    let all: BTreeSet<String> = query.union(&ims).cloned().collect();
    assert_eq!(named, all);
    for operation in &all {
        assert!(
            samples()
                .iter()
                .any(|(n, _)| n.starts_with(&format!("{operation}.response."))),
            "{operation} has no answer sample"
        );
    }
}

#[test]
fn the_readme_maps_every_sample() {
    let readme = std::fs::read_to_string(
        jobrun_tests::workspace_root().join("specs/examples/adobe/README.md"),
    )
    .expect("specs/examples/adobe/README.md");
    for (name, _) in samples() {
        assert!(
            readme.contains(&format!("`{name}`")),
            "README.md does not map {name}"
        );
    }
}

/// States no source lists decode to `Unknown` with their text, never to an error or to a
/// listed state.
#[test]
fn unknown_states_decode_to_unknown() {
    let schedule: types::Schedule = decode("retrieveSchedule.response.research-unknown-state.json");
    assert_eq!(
        schedule.state,
        Some(types::ScheduleState::Unknown("INACTIVE".into()))
    );

    let list: types::RunList = decode("listScheduleRuns.response.research-unknown-state.json");
    let kinds: Vec<_> = list
        .runs_schedules
        .iter()
        .map(|r| r.state.as_ref().expect("state").kind())
        .collect();
    // "failed" is the docs' lower case of a listed value, not an unknown one.
    assert_eq!(
        kinds,
        [
            types::RunStateKind::Unknown("ERRORED".into()),
            types::RunStateKind::Failed
        ]
    );

    let run: types::RunDetails =
        decode("retrieveScheduledQueryRun.response.research-unknown-state.json");
    let state = run.state.expect("state");
    assert_eq!(state.kind(), types::RunStateKind::Unknown("ERRORED".into()));
    assert!(!state.is_known());
    // Not terminal: a waiter must not call a state it does not know finished.
    assert!(!state.is_terminal());

    // The spec infers CANCELLED for runs but not for tasks.
    let cancelled: types::RunDetails =
        decode("retrieveScheduledQueryRun.response.research-cancelled.json");
    let state = cancelled.state.expect("state");
    assert_eq!(state.kind(), types::RunStateKind::Cancelled);
    assert!(state.is_terminal());
    let tasks = cancelled.task_status_list.expect("tasks");
    let task = tasks[0].state.as_ref().expect("state");
    assert_eq!(
        task.kind(),
        types::TaskStateKind::Unknown("CANCELLED".into())
    );
    assert!(!task.is_terminal());
}

/// The docs' run details (research §6 #1–#4): every disagreement with the official spec
/// decodes and keeps the docs' text.
#[test]
fn doc_style_run_details_keep_the_docs_text() {
    let name = "retrieveScheduledQueryRun.response.el-runs.json";
    let run: types::RunDetails = decode(name);
    assert_eq!(
        run.external_trigger,
        Some(types::ExternalTrigger::String("false".into()))
    );
    assert_eq!(
        run.created.as_ref().map(|t| t.as_str()),
        Some("2020-01-08T20:45:00")
    );
    // Lower case in the docs, SUCCESS in the spec: the same terminal state, the text kept.
    let state = run.state.expect("state");
    assert_eq!(state.as_str(), "success");
    assert_eq!(state.kind(), types::RunStateKind::Success);
    assert!(state.is_terminal());
    let [task] = run
        .task_status_list
        .expect("tasks")
        .try_into()
        .expect("one task");
    assert_eq!(task.duration, Some(types::TaskDuration::Int64(303)));
    assert_eq!(
        task.start_date.as_ref().map(|t| t.as_str()),
        Some("2020-01-08T23:43:58.936269")
    );
    assert_eq!(
        task.end_date.as_ref().map(|t| t.as_str()),
        Some("2020-01-08T23:49:02.346318")
    );
    assert_eq!(
        task.state.map(|s| s.kind()),
        Some(types::TaskStateKind::Success)
    );
    assert_eq!(task.task_id.as_deref(), Some("7Omob151BM"));
    let cancel = run.links.and_then(|l| l.cancel).expect("a cancel link");
    assert_eq!(cancel.method.as_deref(), Some("PATCH"));
    assert_eq!(cancel.body.as_deref(), Some(r#"{ "op": "cancel" }"#));
}

/// The official spec's shapes: boolean `externalTrigger`, string `duration`, upper-case
/// states, no `version`.
#[test]
fn spec_style_run_details_decode_to_the_listed_values() {
    let run: types::RunDetails = decode("retrieveScheduledQueryRun.response.spec-failed.json");
    assert_eq!(
        run.external_trigger,
        Some(types::ExternalTrigger::Boolean(false))
    );
    let state = run.state.expect("state");
    assert_eq!(state.as_str(), "FAILED");
    assert_eq!(state.kind(), types::RunStateKind::Failed);
    assert!(state.is_terminal());
    assert_eq!(run.version, None);
    let tasks = run.task_status_list.expect("tasks");
    assert_eq!(
        tasks[0].duration,
        Some(types::TaskDuration::String("9".into()))
    );
    assert_eq!(
        tasks[0].state.as_ref().map(|s| s.kind()),
        Some(types::TaskStateKind::Failed)
    );

    let run: types::RunDetails = decode("retrieveScheduledQueryRun.response.spec-in-progress.json");
    assert_eq!(
        run.external_trigger,
        Some(types::ExternalTrigger::Boolean(true))
    );
    let state = run.state.expect("state");
    assert_eq!(state.kind(), types::RunStateKind::InProgress);
    assert!(!state.is_terminal());
    let states: Vec<_> = run
        .task_status_list
        .expect("tasks")
        .into_iter()
        .map(|t| t.state.expect("state"))
        .collect();
    use types::TaskStateKind::{InProgress, Queued, QueuedForRetry, Success};
    assert_eq!(
        states.iter().map(|s| s.kind()).collect::<Vec<_>>(),
        [Success, InProgress, QueuedForRetry, Queued]
    );
    assert_eq!(
        states.iter().map(|s| s.is_terminal()).collect::<Vec<_>>(),
        [true, false, false, false]
    );
}

/// Seed 002's schedules: epoch-ms `created`/`updated` kept as the strings they are,
/// `"version": 2`, and no `created`/`updated` in the answer of createSchedule.
#[test]
fn seed_schedules_keep_epoch_ms_times_and_version() {
    let schedule: types::Schedule = decode("retrieveSchedule.response.seed002.json");
    assert_eq!(schedule.state, Some(types::ScheduleState::Enabled));
    assert_eq!(schedule.version, Some(2));
    assert_eq!(
        schedule.created.as_ref().map(|t| t.as_str()),
        Some("1578523458919")
    );
    assert_eq!(
        schedule.updated.as_ref().map(|t| t.as_str()),
        Some("1578523458919")
    );
    let cadence = schedule.schedule.expect("schedule");
    assert_eq!(cadence.schedule.as_deref(), Some("30 * * * *"));
    assert_eq!(cadence.max_active_runs, Some(1));
    let links = schedule.links.expect("_links");
    assert_eq!(
        links.enable.and_then(|l| l.body).as_deref(),
        Some(r#"{ "op": "enable" }"#)
    );
    assert_eq!(
        links.trigger.and_then(|l| l.method).as_deref(),
        Some("POST")
    );

    let created: types::Schedule = decode("createSchedule.response.seed002.json");
    assert_eq!(created.state, Some(types::ScheduleState::Registering));
    assert!(created.created.is_none() && created.updated.is_none());

    let spec: types::Schedule = decode("retrieveSchedule.response.spec-iso-times.json");
    assert_eq!(spec.state, Some(types::ScheduleState::Disabled));
    assert_eq!(spec.version, None);
    assert_eq!(
        spec.created.as_ref().map(|t| t.as_str()),
        Some("2022-01-06T23:42:15.352Z")
    );
}

/// Paging (research §7): `_links.next` as a string, as `{href}`, or absent in `_links: {}` on
/// the last page; an empty page keeps `[]`.
#[test]
fn next_links_come_in_both_shapes_and_the_last_page_has_none() {
    let string: types::ScheduleList = decode("listSchedules.response.spec-next-string.json");
    assert_eq!(
        string.links.and_then(|l| l.next),
        Some(types::NextLink::String(
            "https://platform-va7.adobe.io/data/foundation/query/schedules?start=2022-11-01T00:11:08.389Z&limit=10&linkType=next".into()
        ))
    );
    assert_eq!(
        string.page.and_then(|p| p.next).as_deref(),
        Some("2022-11-01T00:11:08.389Z")
    );

    let href: types::ScheduleList = decode("listSchedules.response.research-next-href.json");
    let Some(types::NextLink::Href(next)) = href.links.and_then(|l| l.next) else {
        panic!("an {{href}} object");
    };
    assert!(next.href.contains("start=2020-01-07T10:02:11.000Z"));

    let runs: types::RunList = decode("listScheduleRuns.response.research-next-href.json");
    assert!(matches!(
        runs.links.and_then(|l| l.next),
        Some(types::NextLink::Href(_))
    ));
    let runs: types::RunList = decode("listScheduleRuns.response.spec-next-string.json");
    assert!(matches!(
        runs.links.and_then(|l| l.next),
        Some(types::NextLink::String(_))
    ));

    for name in [
        "listSchedules.response.seed002.json",
        "listSchedules.response.inferred-empty.json",
    ] {
        let last: types::ScheduleList = decode(name);
        assert_eq!(
            last.links,
            Some(types::PageLinks {
                next: None,
                prev: None
            }),
            "{name}"
        );
        assert!(last.page.is_some_and(|p| p.next.is_none()), "{name}");
    }
    for name in [
        "listScheduleRuns.response.el-runs.json",
        "listScheduleRuns.response.inferred-empty.json",
    ] {
        let last: types::RunList = decode(name);
        assert_eq!(
            last.links,
            Some(types::PageLinks {
                next: None,
                prev: None
            }),
            "{name}"
        );
    }
    let empty: types::RunList = decode("listScheduleRuns.response.inferred-empty.json");
    assert!(empty.runs_schedules.is_empty());
}

/// The docs' runs list: four runs, `"externalTrigger": "false"` as a string, the last one
/// still going.
#[test]
fn the_docs_runs_list_says_what_the_docs_say() {
    let list: types::RunList = decode("listScheduleRuns.response.el-runs.json");
    use types::RunStateKind::{InProgress, Success};
    let states: Vec<_> = list
        .runs_schedules
        .iter()
        .map(|r| r.state.as_ref().expect("state").kind())
        .collect();
    assert_eq!(states, [Success, Success, Success, InProgress]);
    assert!(
        list.runs_schedules
            .iter()
            .all(|r| r.external_trigger == Some(types::ExternalTrigger::String("false".into())))
    );
    assert_eq!(
        list.runs_schedules[0].id.as_deref(),
        Some("c2NoZWR1bGVkX18yMDIwLTAxLTA4VDEyOjMwOjAwKzAwOjAw")
    );
    let page = list.page.expect("_page");
    assert_eq!(page.orderby.as_deref(), Some("+created"));
    assert_eq!(page.count, Some(4));
}

/// Seed 002's PATCH bodies: the `{"body": [...]}` wrapper, `/state` with enable or disable,
/// `/schedule/schedule` with a cron expression (which the official spec cannot express,
/// research §6 #7).
#[test]
fn the_seed_patch_bodies_say_what_the_seed_says() {
    let cases = [
        (
            "seed002-disable",
            types::SchedulePatchPath::State,
            "disable",
        ),
        ("seed002-enable", types::SchedulePatchPath::State, "enable"),
        (
            "seed002-cron",
            types::SchedulePatchPath::ScheduleSchedule,
            "45 * * * *",
        ),
    ];
    for (label, path, value) in cases {
        let request: types::UpdateScheduleRequest =
            decode(&format!("updateSchedule.request.{label}.json"));
        let [operation] = request.body.try_into().expect("one operation");
        assert_eq!(operation.op, types::PatchOp::Replace, "{label}");
        assert_eq!(operation.path, path, "{label}");
        assert_eq!(operation.value, value, "{label}");
    }
    let create: types::CreateScheduleRequest = decode("createSchedule.request.seed002.json");
    assert_eq!(create.query.db_name.as_deref(), Some("prod:all"));
    assert_eq!(create.query.sql.as_deref(), Some("SELECT * FROM accounts;"));
    assert_eq!(create.schedule.schedule, "30 * * * *");
    assert_eq!(
        create.schedule.start_date.as_str(),
        "2020-01-08T12:30:00.000Z"
    );
    assert!(create.schedule.end_date.is_none() && create.schedule.max_active_runs.is_none());
}

/// DC-ims: `expires_in` is seconds (86399, about a day), not the JWT era's milliseconds.
#[test]
fn the_token_answer_is_in_seconds() {
    let answer: ims::TokenAnswer = decode("getAccessToken.response.dc-ims.json");
    assert_eq!(answer.access_token, "{ACCESS_TOKEN}");
    assert_eq!(answer.token_type.as_deref(), Some("bearer"));
    assert_eq!(answer.expires_in, 86_399);
}
