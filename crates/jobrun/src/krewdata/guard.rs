//! The guard that keeps jobrun from tripping krewData's penalty: a unit run more than 5 times a
//! minute is disabled and its administrator notified (research A3).
//!
//! Every token request (a run needs one, a long wait renews one every few minutes) is checked
//! against, and recorded in, one small JSON file per user, under an exclusive file lock, so the
//! count holds across every jobrun process on the machine: a cron job and a shell loop share
//! it.

use std::{
    collections::BTreeMap,
    fs::{File, OpenOptions},
    io::{Read, Seek, Write},
    path::{Path, PathBuf},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use super::UnitId;
use crate::{Error, config::env_var};

/// Token requests allowed per unit and [`RUN_WINDOW`]: krewData's documented 5 a minute.
pub const RUN_LIMIT: u32 = 5;
/// The window of [`RUN_LIMIT`].
pub const RUN_WINDOW: Duration = Duration::from_secs(60);
/// The file name under the state directory.
pub const STATE_FILE: &str = "krewdata-token-requests.json";

/// Where the guard keeps its count, or that it is off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunGuard {
    place: Place,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Place {
    File(PathBuf),
    Off,
    /// No state directory could be found; said when a token is first needed, so that a
    /// client can still be built (and given a guard of its own).
    Nowhere,
}

impl RunGuard {
    /// The guard recording in `dir/krewdata-token-requests.json` (the directory is created on
    /// first use).
    pub fn in_dir(dir: impl Into<PathBuf>) -> Self {
        Self {
            place: Place::File(dir.into().join(STATE_FILE)),
        }
    }

    /// The user's guard: `$XDG_STATE_HOME/jobrun`, else `~/.local/state/jobrun`. With neither
    /// variable set, every token request is refused with a configuration error saying so.
    pub fn for_user() -> Self {
        match (env_var("XDG_STATE_HOME"), env_var("HOME")) {
            (Some(state), _) => Self::in_dir(PathBuf::from(state).join("jobrun")),
            (None, Some(home)) => Self::in_dir(PathBuf::from(home).join(".local/state/jobrun")),
            (None, None) => Self {
                place: Place::Nowhere,
            },
        }
    }

    /// No guard at all: for accounts whose units krewData allows more, or tests. Running a unit
    /// more than 5 times a minute without it disables the unit.
    pub fn disabled() -> Self {
        Self { place: Place::Off }
    }

    /// The state file, if the guard has one.
    pub fn file(&self) -> Option<&Path> {
        match &self.place {
            Place::File(path) => Some(path),
            Place::Off | Place::Nowhere => None,
        }
    }

    /// Records one token request for `unit` at `now`, or refuses it when [`RUN_LIMIT`] were
    /// recorded within the [`RUN_WINDOW`] before `now`. `from_wait` tells a caller whether a wait met it (and waits) or a command did (which stops).
    pub(crate) fn admit(
        &self,
        unit: &UnitId,
        now: SystemTime,
        from_wait: bool,
    ) -> Result<(), Error> {
        let path = match &self.place {
            Place::File(path) => path,
            Place::Off => return Ok(()),
            Place::Nowhere => {
                return Err(Error::Config(
                    "neither XDG_STATE_HOME nor HOME is set, so jobrun has nowhere to count \
                     krewData token requests across processes; set one of them (or pass \
                     --no-run-guard, at the risk of krewData disabling the unit)"
                        .into(),
                ));
            }
        };
        let unusable = |e: std::io::Error| {
            Error::Config(format!(
                "cannot use the krewData run-guard file {}: {e} (--no-run-guard skips the check, \
                 at the risk of krewData disabling the unit)",
                path.display()
            ))
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(unusable)?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(unusable)?;
        // Held until `file` is dropped: the read, the decision and the write are one step for
        // every process of the user.
        file.lock().map_err(unusable)?;
        let mut counts = read_counts(&mut file, path);
        let now_ms = epoch_ms(now);
        let window_ms = u64::try_from(RUN_WINDOW.as_millis()).unwrap_or(u64::MAX);
        for times in counts.values_mut() {
            times.retain(|&t| t.saturating_add(window_ms) > now_ms);
        }
        counts.retain(|_, times| !times.is_empty());
        let times = counts.entry(unit.to_string()).or_default();
        if times.len() >= RUN_LIMIT as usize {
            let oldest = times.iter().copied().min().unwrap_or(now_ms);
            let wait_ms = oldest.saturating_add(window_ms).saturating_sub(now_ms);
            return Err(Error::RunGuard {
                unit: unit.to_string(),
                limit: RUN_LIMIT,
                window: RUN_WINDOW,
                next_allowed_in: Duration::from_millis(wait_ms),
                state_file: path.clone(),
                from_wait,
            });
        }
        times.push(now_ms);
        let text = serde_json::to_string(&counts).map_err(|e| unusable(e.into()))?;
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(text.as_bytes()))
            .and_then(|()| file.flush())
            .map_err(unusable)
    }
}

/// The recorded requests: unit id → epoch milliseconds. An unreadable file (a crash mid-write,
/// a hand edit) starts the count afresh, loudly: refusing every run forever would be worse.
fn read_counts(file: &mut File, path: &Path) -> BTreeMap<String, Vec<u64>> {
    let mut text = String::new();
    if let Err(e) = file.read_to_string(&mut text) {
        tracing::warn!(file = %path.display(), error = %e, "run-guard file unreadable; starting afresh");
        return BTreeMap::new();
    }
    if text.trim().is_empty() {
        return BTreeMap::new();
    }
    serde_json::from_str(&text).unwrap_or_else(|e| {
        tracing::warn!(file = %path.display(), error = %e, "run-guard file is not what jobrun wrote; starting afresh");
        BTreeMap::new()
    })
}

fn epoch_ms(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(s: &str) -> UnitId {
        s.parse().expect("valid unit id")
    }

    #[test]
    fn the_sixth_request_within_a_minute_is_refused_and_says_when() {
        let dir = tempfile::tempdir().expect("temp dir");
        let guard = RunGuard::in_dir(dir.path().join("nested"));
        let start = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        for i in 0..5 {
            guard
                .admit(&unit("u1"), start + Duration::from_secs(i), false)
                .expect("within the limit");
        }
        let at = start + Duration::from_secs(10);
        let err = guard.admit(&unit("u1"), at, false).expect_err("sixth");
        match &err {
            Error::RunGuard {
                next_allowed_in, ..
            } => assert_eq!(*next_allowed_in, Duration::from_secs(50)),
            other => panic!("{other:?}"),
        }
        let text = err.to_string();
        assert!(text.contains("u1") && text.contains("50s"), "{text}");
        // The library speaks no command-line words; the command adds its flag.
        assert!(!text.contains("--"), "{text}");
        // Other units have their own count; the first slot frees a minute after it was taken.
        guard.admit(&unit("u2"), at, false).expect("other unit");
        guard
            .admit(&unit("u1"), start + Duration::from_secs(60), false)
            .expect("a minute later");
        // A refused request is not recorded.
        assert!(
            guard
                .admit(&unit("u1"), start + Duration::from_secs(60), false)
                .is_err()
        );
    }

    #[test]
    fn a_damaged_file_starts_afresh_and_disabled_admits_everything() {
        let dir = tempfile::tempdir().expect("temp dir");
        let guard = RunGuard::in_dir(dir.path());
        std::fs::write(dir.path().join(STATE_FILE), "{not json").expect("write");
        guard
            .admit(&unit("u1"), UNIX_EPOCH + Duration::from_secs(5), false)
            .expect("fresh count");
        let off = RunGuard::disabled();
        for _ in 0..20 {
            off.admit(&unit("u1"), UNIX_EPOCH, false).expect("off");
        }
        assert_eq!(off.file(), None);
    }
}
