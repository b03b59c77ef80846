//! What the command prints: human text, NDJSON, the live progress line, and exit codes.

use std::{
    io::{IsTerminal, Write},
    process::ExitCode,
    time::Duration,
};

use indicatif::{ProgressBar, ProgressStyle};
use jobrun::{Error, JobRef, Outcome, VendorTime, WaitEvent};
use serde::Serialize;
use serde_json::json;

/// The exit codes scripts rely on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// The job succeeded, or the command did its work.
    Success = 0,
    /// The job ended unsuccessfully: error, canceled or skipped.
    Unsuccessful = 1,
    /// Bad usage; nothing was sent.
    Usage = 2,
    /// The wait's deadline passed; the job goes on remotely.
    Deadline = 3,
    /// An API, auth or transport error.
    Failure = 4,
    /// Stopped by Ctrl-C while waiting (the shell's convention, 128 + SIGINT); the job goes on.
    Interrupted = 130,
}

/// Runs `wait` until it ends, or returns `None` on Ctrl-C (the job goes on at the vendor).
pub async fn until_ctrl_c<T>(wait: impl Future<Output = T>) -> Option<T> {
    tokio::select! {
        result = wait => Some(result),
        _ = tokio::signal::ctrl_c() => None,
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

/// Writes one line of JSON to stdout. A closed pipe (`| head`) is not an error worth a panic.
pub fn emit(value: &impl Serialize) {
    let line = serde_json::to_string(value).unwrap_or_else(|e| {
        json!({ "event": "error", "kind": "output", "message": e.to_string() }).to_string()
    });
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Writes one line of text to stdout, ignoring a closed pipe.
pub fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

/// Reports a job a trigger started, when no wait follows: its JSON with `--json`, else only its
/// reference on stdout (so `ref=$(jobrun … )` works) and `started` plus how to wait on stderr.
pub fn report_started(job: &JobRef, json: bool, answer: &impl Serialize, started: &str) {
    if json {
        emit(answer);
    } else {
        say(&job.to_string());
        eprintln!("{started}; wait for it with: jobrun wait {job}");
    }
}

/// Reports an error on stderr (and as the final NDJSON object with `--json`) and picks the
/// exit code.
pub fn fail(err: &Error, json: bool) -> Exit {
    eprintln!("jobrun: {err}");
    if json {
        emit(&error_object(err));
    }
    error_exit(err)
}

/// The exit code an error calls for, and its `kind` in NDJSON (`usage`, `deadline`, `api`,
/// `transport`, `run_guard`, `discovery`, `unconfirmed`, `decode`).
pub fn error_kind(err: &Error) -> (Exit, &'static str) {
    match err {
        e if e.is_usage() => (Exit::Usage, "usage"),
        Error::Deadline { .. } => (Exit::Deadline, "deadline"),
        Error::Api(_) => (Exit::Failure, "api"),
        Error::Transport { .. } => (Exit::Failure, "transport"),
        Error::RunGuard { .. } => (Exit::Failure, "run_guard"),
        Error::Discovery { .. } => (Exit::Failure, "discovery"),
        Error::Unconfirmed { .. } => (Exit::Failure, "unconfirmed"),
        _ => (Exit::Failure, "decode"),
    }
}

/// The exit code an error calls for.
pub fn error_exit(err: &Error) -> Exit {
    error_kind(err).0
}

/// An error as one NDJSON object: `event: error`, its `kind`, `message`, and what the error
/// carries (the vendor's status, code and body; a deadline's job and last status; …).
pub fn error_object(err: &Error) -> serde_json::Value {
    let kind = error_kind(err).1;
    let mut object = json!({ "event": "error", "kind": kind, "message": err.to_string() });
    match err {
        Error::Deadline {
            job,
            last_status,
            waited,
        } => {
            object["job"] = json!(job);
            object["last_status"] = json!(last_status);
            object["waited_ms"] = json!(u64::try_from(waited.as_millis()).unwrap_or(u64::MAX));
        }
        Error::Discovery { candidates, .. } => {
            object["candidates"] = json!(candidates);
        }
        Error::RunGuard {
            next_allowed_in, ..
        } => {
            object["retry_in_ms"] =
                json!(u64::try_from(next_allowed_in.as_millis()).unwrap_or(u64::MAX));
        }
        Error::Api(api) => {
            object["status"] = json!(api.status);
            object["vendor_code"] = json!(api.code);
            object["vendor_message"] = json!(api.message);
            object["request_id"] = json!(api.request_id);
            object["body"] = json!(api.body);
        }
        _ => {}
    }
    object
}

/// Prints a wait's progress: NDJSON status objects, a live line on a terminal, or plain lines.
pub struct Watch {
    json: bool,
    live: bool,
    label: String,
    bar: Option<ProgressBar>,
    /// Every status seen, in order.
    pub history: Vec<String>,
    /// The latest status of each step (a krewData flow), in the order first seen.
    steps: Vec<(String, String)>,
}

impl Watch {
    /// A watcher for one job; `label` names it on the progress line (e.g. the definition).
    pub fn new(json: bool, label: impl Into<String>) -> Self {
        Self {
            json,
            live: !json && std::io::stderr().is_terminal(),
            label: label.into(),
            bar: None,
            history: Vec::new(),
            steps: Vec::new(),
        }
    }

    /// A watcher drawing its live line inside `multi` (the demo shows two jobs at once).
    pub fn in_multi(multi: &indicatif::MultiProgress, label: impl Into<String>) -> Self {
        let mut watch = Self::new(false, label);
        if watch.live {
            // Added before it ticks: a bar that draws on its own first leaves a stray line.
            let bar = multi.add(ProgressBar::new_spinner());
            animate(&bar);
            watch.bar = Some(bar);
        }
        watch
    }

    /// Handles one event of the wait.
    pub fn on_event(&mut self, event: &WaitEvent) {
        match event {
            WaitEvent::Status {
                job,
                status,
                known,
                elapsed,
                ..
            } => {
                self.history.push(status.clone());
                if self.json {
                    emit(event);
                    return;
                }
                let note = if *known {
                    ""
                } else {
                    " (not in the vendor's docs; still waiting)"
                };
                if self.live {
                    let bar = self.bar.get_or_insert_with(|| {
                        let bar = ProgressBar::new_spinner();
                        animate(&bar);
                        bar
                    });
                    bar.set_prefix(format!("{job} {}", self.label));
                    bar.set_message(format!("{status}{note}"));
                } else {
                    eprintln!("{job} {status}{note} ({})", short(*elapsed));
                }
            }
            WaitEvent::Step {
                job, step, elapsed, ..
            } => {
                if self.json {
                    emit(event);
                    return;
                }
                match self.steps.iter_mut().find(|(name, _)| *name == step.name) {
                    Some((_, status)) => status.clone_from(&step.status),
                    None => self.steps.push((step.name.clone(), step.status.clone())),
                }
                match &self.bar {
                    Some(bar) if self.live => bar.set_message(format!(
                        "{} [{}]",
                        self.history.last().map(String::as_str).unwrap_or("waiting"),
                        self.steps
                            .iter()
                            .map(|(name, status)| format!("{name}: {status}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                    _ => eprintln!(
                        "{job}   {}: {} ({})",
                        step.name,
                        step.status,
                        short(*elapsed)
                    ),
                }
            }
            WaitEvent::Retrying {
                job,
                attempt,
                delay,
                reason,
            } => {
                let text = format!("retry {attempt} in {}: {reason}", short(*delay));
                match &self.bar {
                    Some(bar) if self.live => bar.set_message(format!(
                        "{} ({text})",
                        self.history.last().map(String::as_str).unwrap_or("waiting")
                    )),
                    _ => eprintln!("{job} {text}"),
                }
            }
            // Events a newer facade adds are shown in full with --json and skipped otherwise.
            other => {
                if self.json {
                    emit(other);
                }
            }
        }
    }

    /// Removes the live line, if one is drawn.
    pub fn clear(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }

    /// Reports a wait [`until_ctrl_c`] ran: its end, or the interruption and how to resume.
    pub fn conclude(&mut self, job: &JobRef, result: Option<Result<Outcome, Error>>) -> Exit {
        self.clear();
        let Some(result) = result else {
            eprintln!(
                "jobrun: interrupted; {job} goes on at {} (resume with `jobrun wait {job}`)",
                job.vendor()
            );
            if self.json {
                emit(&json!({
                    "event": "error",
                    "kind": "interrupted",
                    "job": job,
                    "last_status": self.history.last(),
                }));
            }
            return Exit::Interrupted;
        };
        match &result {
            Ok(outcome) => {
                if self.json {
                    emit(&outcome_object(outcome));
                } else {
                    say(&describe(outcome));
                }
                if outcome.state.is_success() {
                    Exit::Success
                } else {
                    Exit::Unsuccessful
                }
            }
            Err(err) => fail(err, self.json),
        }
    }
}

/// An outcome as one NDJSON object: its fields and `event: outcome`.
pub fn outcome_object(outcome: &Outcome) -> serde_json::Value {
    let mut object = serde_json::to_value(outcome).unwrap_or_default();
    object["event"] = json!("outcome");
    object
}

/// One line saying how a job ended.
pub fn describe(o: &Outcome) -> String {
    let mut line = format!(
        "{} {} (status {}) after {}",
        o.job,
        o.state,
        o.vendor_status,
        short(o.waited)
    );
    if let Some(t) = &o.started_at {
        line.push_str(&format!(", started {t}"));
    }
    if let Some(t) = &o.finished_at {
        line.push_str(&format!(", finished {t}"));
    }
    if let Some(error) = vendor_error(o.error_code.as_deref(), o.error_message.as_deref()) {
        line.push_str(&format!("\n  {error}"));
    }
    for (name, value) in &o.details {
        line.push_str(&format!("\n  {}: {value}", name.replace('_', " ")));
    }
    for step in &o.steps {
        line.push_str(&step_line(
            &step.name,
            &step.status,
            [&step.started_at, &step.finished_at],
        ));
        if let Some(message) = &step.message {
            line.push_str(&format!(": {message}"));
        }
    }
    line
}

/// `error 33: message`, from whichever of the two a vendor gave.
pub fn vendor_error(code: Option<&str>, message: Option<&str>) -> Option<String> {
    match (code, message) {
        (Some(code), Some(message)) => Some(format!("error {code}: {message}")),
        (Some(code), None) => Some(format!("error {code}")),
        (None, Some(message)) => Some(format!("error: {message}")),
        (None, None) => None,
    }
}

/// `\n  name: status, started …, finished …` for one step of a job (a krewData flow); empty
/// times (a running flow's end) are left out.
pub fn step_line(
    name: &str,
    status: &str,
    [started, finished]: [&Option<VendorTime>; 2],
) -> String {
    let mut line = format!("\n  {name}: {status}");
    for (word, t) in [("started", started), ("finished", finished)] {
        if let Some(t) = t.as_ref().filter(|t| !t.as_str().is_empty()) {
            line.push_str(&format!(", {word} {t}"));
        }
    }
    line
}

fn animate(bar: &ProgressBar) {
    bar.set_style(
        ProgressStyle::with_template("{spinner} {prefix} {msg:.bold} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
}

/// A duration rounded for people: `1m 2s`, `350ms`.
pub fn short(d: Duration) -> String {
    let rounded = if d >= Duration::from_secs(10) {
        Duration::from_secs(d.as_secs())
    } else {
        Duration::from_millis(d.as_millis() as u64 / 100 * 100)
    };
    humantime::format_duration(rounded).to_string()
}
