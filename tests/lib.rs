//! Helpers shared by the workspace-level tests in this folder.
//!
//! ```
//! let root = jobrun_tests::workspace_root();
//! assert!(root.join("specs").is_dir());
//! ```

use std::path::PathBuf;

use serde_json::Value;

/// The workspace root (the folder holding `specs/` and `generated/`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// Drops keys whose value is `null` or `[]`, recursively.
///
/// trocco documents both as "not there": started_at and finished_at are absent (seed 000) or
/// null (seed 001) until set, and keys holding empty arrays are omitted (research §1.8). The
/// generated types keep that meaning but write the absent form, so samples are compared in
/// this normal form.
pub fn without_empty(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                .map(|(k, v)| (k.clone(), without_empty(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_empty).collect()),
        other => other.clone(),
    }
}
