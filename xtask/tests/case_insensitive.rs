//! What `x-case-insensitive` promises, checked on the crate the generator made from
//! specs/adobe-query.yaml: run and task states decode in any letter case, mean the spec's
//! value, and encode back exactly as received; anything else is `Unknown` with its text.

use adobe_query_api::types::{
    RunDetails, RunState, RunStateKind, ScheduleState, TaskState, TaskStateKind,
};

#[test]
fn any_letter_case_means_the_spec_value_and_the_text_survives() {
    for (text, kind) in [
        ("SUCCESS", RunStateKind::Success),
        ("success", RunStateKind::Success),
        ("Success", RunStateKind::Success),
        ("in_progress", RunStateKind::InProgress),
        ("FAILED", RunStateKind::Failed),
        ("Cancelled", RunStateKind::Cancelled),
        ("canceled", RunStateKind::Canceled),
        ("KILLED", RunStateKind::Killed),
        ("timeout", RunStateKind::Timeout),
    ] {
        let json = format!("\"{text}\"");
        let state: RunState = serde_json::from_str(&json).expect("decodes");
        assert_eq!(state.kind(), kind, "{text}");
        assert!(state.is_known(), "{text}");
        assert_eq!(state.as_str(), text);
        assert_eq!(state.to_string(), text);
        assert_eq!(serde_json::to_string(&state).expect("encodes"), json);
        assert_eq!(text.parse::<RunStateKind>(), Ok(kind));
    }
}

#[test]
fn an_unknown_state_keeps_its_text_and_is_not_terminal() {
    for text in ["ERRORED", "in progress", "SUCCESS ", ""] {
        let state: RunState = serde_json::from_str(&format!("\"{text}\"")).expect("decodes");
        assert_eq!(
            state.kind(),
            RunStateKind::Unknown(text.to_owned()),
            "{text:?}"
        );
        assert!(!state.is_known() && !state.is_terminal(), "{text:?}");
        assert_eq!(state.as_str(), text);
    }
    // A state that is not a string is a decoding error, not a guess.
    assert!(serde_json::from_str::<RunState>("1").is_err());
}

#[test]
fn terminal_states_follow_x_terminal_in_any_case() {
    let terminal: Vec<&str> = RunState::KNOWN
        .iter()
        .copied()
        .filter(|v| RunState::from(v.to_ascii_lowercase()).is_terminal())
        .collect();
    assert_eq!(
        terminal,
        [
            "SUCCESS",
            "FAILED",
            "KILLED",
            "CANCELLED",
            "CANCELED",
            "TIMEOUT"
        ]
    );
    assert!(!RunState::from("In_Progress").is_terminal());
    assert_eq!(
        TaskStateKind::KNOWN,
        [
            "SUCCESS",
            "IN_PROGRESS",
            "FAILED",
            "QUEUED_FOR_RETRY",
            "QUEUED"
        ]
    );
    for (text, terminal) in [
        ("success", true),
        ("failed", true),
        ("queued_for_retry", false),
        ("Queued", false),
        ("in_progress", false),
        ("SKIPPED", false),
    ] {
        assert_eq!(TaskState::from(text).is_terminal(), terminal, "{text}");
    }
}

#[test]
fn a_kind_converts_to_the_spec_spelling() {
    assert_eq!(
        RunState::from(RunStateKind::InProgress).as_str(),
        "IN_PROGRESS"
    );
    assert_eq!(
        RunState::from(RunStateKind::Unknown("Paused".to_owned())).as_str(),
        "Paused"
    );
    assert_eq!(RunStateKind::Success.as_str(), "SUCCESS");
    assert_eq!(
        RunStateKind::Unknown("Paused".to_owned()).to_string(),
        "Paused"
    );
}

#[test]
fn the_docs_run_details_decode_and_encode_back_byte_for_byte() {
    // EL-runs (research §6): lowercase state, string externalTrigger, numeric duration,
    // zone-less and microsecond timestamps.
    let json = r#"{"state":"success","taskStatusList":[{"duration":303,"endDate":"2020-01-08T23:49:02.346318","state":"SUCCESS","message":"Processed Successfully","startDate":"2020-01-08T23:43:58.936269","taskId":"7Omob151BM"}],"version":1,"id":"c2NoZWR1bGVkX18yMDIwLTAxLTA4VDIwOjQ1OjAwKzAwOjAw","externalTrigger":"false","created":"2020-01-08T20:45:00"}"#;
    let run: RunDetails = serde_json::from_str(json).expect("decodes");
    let state = run.state.as_ref().expect("state");
    assert_eq!(state.kind(), RunStateKind::Success);
    assert!(state.is_terminal());
    let tasks = run.task_status_list.as_ref().expect("tasks");
    assert_eq!(
        tasks[0].state.as_ref().map(TaskState::kind),
        Some(TaskStateKind::Success)
    );
    let back: serde_json::Value = serde_json::to_value(&run).expect("encodes");
    let sent: serde_json::Value = serde_json::from_str(json).expect("json");
    assert_eq!(back, sent);
    assert!(
        serde_json::to_string(&run)
            .expect("encodes")
            .contains("\"state\":\"success\"")
    );
}

#[test]
fn a_plain_open_enum_still_matches_exactly() {
    let state: ScheduleState = serde_json::from_str("\"ENABLED\"").expect("decodes");
    assert_eq!(state, ScheduleState::Enabled);
    let lower: ScheduleState = serde_json::from_str("\"enabled\"").expect("decodes");
    assert_eq!(lower, ScheduleState::Unknown("enabled".to_owned()));
}
