//! Helpers shared by the workspace-level tests in this folder.
//!
//! ```
//! let root = jobrun_tests::workspace_root();
//! assert!(root.join("specs").is_dir());
//! ```

use std::{fs, path::PathBuf};

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

/// Every JSON sample of `specs/examples/<vendor>/`, as (file name, value), sorted by name.
///
/// Panics naming the file when one is not JSON: a broken sample must fail the contract test.
pub fn samples(vendor: &str) -> Vec<(String, Value)> {
    sample_files(vendor, "json")
        .into_iter()
        .map(|(name, text)| {
            let value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
            (name, value)
        })
        .collect()
}

/// Every `*.<extension>` file of `specs/examples/<vendor>/`, as (file name, text), sorted by
/// name.
pub fn sample_files(vendor: &str, extension: &str) -> Vec<(String, String)> {
    let dir = workspace_root().join("specs/examples").join(vendor);
    let entries = fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut out: Vec<(String, String)> = entries
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .map(|p| {
            let name = p
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            let text = fs::read_to_string(&p).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, text)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}
