//! What the command prints: human text, NDJSON, the live progress line, and exit codes.
//!
//! Every byte goes through [`say`], [`say_err`] or [`emit`], which ignore write errors: a
//! closed pipe (`| head -1`) or a hung-up terminal must neither panic nor change the exit
//! code, which belongs to the job. Every human line, and every text on a live progress line,
//! goes through [`printable`] on its way, so that vendor text cannot steer the terminal.
//!
//! The progress lines come from indicatif, which draws on stderr and discards its own write
//! errors in every call made here (indicatif 0.18: `set_message`, `set_prefix`, ticks,
//! `finish_and_clear`, `MultiProgress::add` and `clear`); the calls that would unwrap them
//! (`ProgressBar::set_tab_width`, `MultiProgress::suspend`) are not used.

use std::{
    borrow::Cow,
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
    /// Stopped by SIGHUP while waiting (the shell's convention, 128 + SIGHUP's 1): the
    /// terminal went away; the job goes on.
    HungUp = 129,
    /// Stopped by Ctrl-C while waiting (the shell's convention, 128 + SIGINT); the job goes on.
    Interrupted = 130,
    /// Stopped by SIGTERM while waiting (the shell's convention, 128 + SIGTERM's 15): a
    /// service manager or orchestrator stopping the process; the job goes on.
    Terminated = 143,
}

impl Exit {
    /// True for the codes of a wait a signal stopped (129, 130, 143).
    pub fn is_signal(self) -> bool {
        matches!(self, Self::HungUp | Self::Interrupted | Self::Terminated)
    }
}

/// A signal that stops a wait. The job goes on at its vendor; the command says how to resume.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// SIGINT: Ctrl-C.
    Interrupt,
    /// SIGTERM: `kill`, a service manager, an orchestrator shutting a worker down.
    Terminate,
    /// SIGHUP: the terminal or SSH session went away.
    Hangup,
}

impl Stop {
    /// The signal's name, as `kill -l` spells it with the SIG prefix; NDJSON's `signal`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Interrupt => "SIGINT",
            Self::Terminate => "SIGTERM",
            Self::Hangup => "SIGHUP",
        }
    }

    /// The exit code: 128 plus the signal's number, as shells report a process it killed.
    pub fn exit(self) -> Exit {
        match self {
            Self::Interrupt => Exit::Interrupted,
            Self::Terminate => Exit::Terminated,
            Self::Hangup => Exit::HungUp,
        }
    }
}

/// Runs `work` until it ends (`Ok`), or until SIGINT, SIGTERM or SIGHUP arrives (`Err`); the
/// work is then dropped, which stops its requests (the job goes on at the vendor).
///
/// The handlers are installed here, before `work` is first polled, and only for the commands
/// that wait: a signal before then ends the process the default way, which is right while
/// nothing is waited for yet. Once installed they stay for the life of the process.
pub async fn until_signal<T>(work: impl Future<Output = T>) -> Result<T, Stop> {
    let mut signals = Signals::listen();
    tokio::select! {
        result = work => Ok(result),
        stop = signals.next() => Err(stop),
    }
}

/// SIGINT, SIGTERM and SIGHUP, listened for from [`Signals::listen`] on (inside the runtime): a
/// signal that arrives between `listen` and [`Signals::next`] is not lost.
pub struct Signals {
    #[cfg(unix)]
    listeners: Vec<(Stop, tokio::signal::unix::Signal)>,
}

impl Signals {
    /// Starts listening. From here on the three signals no longer end the process by
    /// themselves: whoever holds this must act on [`Signals::next`].
    #[cfg(unix)]
    pub fn listen() -> Self {
        use tokio::signal::unix::{SignalKind, signal};
        let listeners = [
            (Stop::Interrupt, SignalKind::interrupt()),
            (Stop::Terminate, SignalKind::terminate()),
            (Stop::Hangup, SignalKind::hangup()),
        ]
        .into_iter()
        // Installing fails only when the runtime has no signal driver or the OS refuses; that
        // signal then keeps its default action (the process ends), which still ends the wait.
        .filter_map(|(stop, kind)| signal(kind).ok().map(|listener| (stop, listener)))
        .collect();
        Self { listeners }
    }

    /// Starts listening (to Ctrl-C, when it is waited for).
    #[cfg(not(unix))]
    pub fn listen() -> Self {
        Self {}
    }

    /// The next stopping signal; pends forever if none can be listened for.
    #[cfg(unix)]
    pub async fn next(&mut self) -> Stop {
        // select_all refuses an empty list.
        if self.listeners.is_empty() {
            return std::future::pending().await;
        }
        let received =
            futures::future::select_all(self.listeners.iter_mut().map(|(stop, listener)| {
                let stop = *stop;
                Box::pin(async move {
                    match listener.recv().await {
                        Some(()) => stop,
                        // A closed listener never fires again; it must not end the wait.
                        None => std::future::pending().await,
                    }
                })
            }));
        received.await.0
    }

    /// Only Ctrl-C exists off Unix.
    #[cfg(not(unix))]
    pub async fn next(&mut self) -> Stop {
        match tokio::signal::ctrl_c().await {
            Ok(()) => Stop::Interrupt,
            Err(_) => std::future::pending().await,
        }
    }
}

/// How long closing a session (ASTERIA's logout) may hold the exit back after the command did
/// its work: the server lets an abandoned session expire anyway.
pub const CLOSE_WITHIN: Duration = Duration::from_secs(2);

/// How long it may after a signal or a passed `--timeout`: the exit must follow either within
/// a second.
pub const CLOSE_AFTER_STOP: Duration = Duration::from_millis(500);

/// Runs `close` (ASTERIA's logout) for at most [`CLOSE_WITHIN`], or [`CLOSE_AFTER_STOP`]
/// when `exit` says a signal stopped the command or its deadline passed, and gives up at once
/// on a signal that arrives meanwhile. Call it after the outcome was printed: nothing waits on
/// it, and the exit code stays `exit`.
pub async fn close_within(close: impl Future<Output = ()>, exit: Exit) -> Exit {
    let budget = if exit.is_signal() || exit == Exit::Deadline {
        CLOSE_AFTER_STOP
    } else {
        CLOSE_WITHIN
    };
    match until_signal(tokio::time::timeout(budget, close)).await {
        Ok(Ok(())) => {}
        Ok(Err(_)) => tracing::warn!(?budget, "closing the session took too long; it expires"),
        Err(stop) => tracing::warn!(signal = stop.name(), "closing the session was cut short"),
    }
    exit
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
    let _ = writeln!(out, "{}", json_for_terminal(line));
    let _ = out.flush();
}

/// `line` (one JSON text) with the characters JSON leaves raw but [`printable`] escapes (DEL,
/// C1, the bidirectional controls, U+2028/U+2029) written as `\uXXXX`: NDJSON may well be
/// read on a terminal too. The value is unchanged, since outside strings JSON holds only ASCII
/// punctuation, digits, letters and spaces; serde_json has escaped C0 already.
fn json_for_terminal(line: String) -> String {
    if !line.chars().any(unsafe_on_a_terminal) {
        return line;
    }
    let mut shown = String::with_capacity(line.len() + 16);
    for c in line.chars() {
        if unsafe_on_a_terminal(c) {
            // Every such character is in the Basic Multilingual Plane: four digits suffice.
            shown.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            shown.push(c);
        }
    }
    shown
}

/// Writes one line of human text to stdout, escaped by [`printable`] (a line break inside it
/// included: a line is one line), ignoring a closed pipe.
pub fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", printable(line));
    let _ = out.flush();
}

/// Writes one line of human text to stderr, like [`say`]: escaped, and a closed stderr
/// (`2>&1 | head -1`, a hung-up terminal) is ignored rather than a panic that would replace
/// the job's exit code with 101.
pub fn say_err(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}", printable(line));
    let _ = err.flush();
}

/// `text` safe to show on a terminal: every control character (C0, line breaks and tabs
/// included, DEL and C1), the bidirectional overrides and isolates, and the Unicode line and
/// paragraph separators are written as visible escapes (`\u{1b}`, `\n`, `\u{202e}`), so a
/// vendor's status, step name or error body can neither clear the screen, retitle the
/// window, reorder what is shown nor print a line of its own. Everything else, non-ASCII text
/// included, is left as it is. NDJSON does not come here: JSON strings escape controls
/// already.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_on_a_terminal) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c.is_control() {
            // `\n`, `\t`, `\r`, `\0`, and `\u{…}` for the rest.
            shown.extend(c.escape_debug());
        } else if unsafe_on_a_terminal(c) {
            shown.extend(c.escape_unicode());
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

/// Characters [`printable`] escapes: controls (`Cc`: C0, DEL, C1), the bidirectional
/// embeddings, overrides, isolates and marks, and U+2028/U+2029.
fn unsafe_on_a_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Reports a job a trigger started, when no wait follows: its JSON with `--json`, else only its
/// reference on stdout (so `ref=$(jobrun … )` works) and `started` plus how to wait on stderr.
pub fn report_started(job: &JobRef, json: bool, answer: &impl Serialize, started: &str) {
    if json {
        emit(answer);
    } else {
        say(&job.to_string());
        say_err(&format!("{started}; wait for it with: jobrun wait {job}"));
    }
}

/// Reports an error on stderr (and as the final NDJSON object with `--json`) and picks the
/// exit code.
pub fn fail(err: &Error, json: bool) -> Exit {
    say_err(&format!("jobrun: {}", message(err)));
    if json {
        emit(&error_object(err));
    }
    error_exit(err)
}

/// An error's message, with what only the command can add: the library speaks of jobs and
/// values, the command of its flags and of the command that resumes a wait.
pub fn message(err: &Error) -> String {
    match err {
        Error::Deadline { job, .. } => format!("{err}; resume with `jobrun wait {job}`"),
        Error::RunGuard {
            from_wait: false, ..
        } => format!("{err} (--no-run-guard skips this check)"),
        _ => err.to_string(),
    }
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
    let mut object = json!({ "event": "error", "kind": kind, "message": message(err) });
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
                    set_prefix(bar, &format!("{job} {}", self.label));
                    set_message(bar, &format!("{status}{note}"));
                } else {
                    say_err(&format!("{job} {status}{note} ({})", short(*elapsed)));
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
                    Some(bar) if self.live => set_message(
                        bar,
                        &format!(
                            "{} [{}]",
                            self.history.last().map(String::as_str).unwrap_or("waiting"),
                            self.steps
                                .iter()
                                .map(|(name, status)| format!("{name}: {status}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ),
                    _ => say_err(&format!(
                        "{job}   {}: {} ({})",
                        step.name,
                        step.status,
                        short(*elapsed)
                    )),
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
                    Some(bar) if self.live => set_message(
                        bar,
                        &format!(
                            "{} ({text})",
                            self.history.last().map(String::as_str).unwrap_or("waiting")
                        ),
                    ),
                    _ => say_err(&format!("{job} {text}")),
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

    /// Reports a wait [`until_signal`] ran: its end, or the signal that stopped it and how to
    /// resume.
    pub fn conclude(&mut self, job: &JobRef, result: Result<Result<Outcome, Error>, Stop>) -> Exit {
        self.clear();
        let result = match result {
            Ok(result) => result,
            Err(stop) => {
                say_err(&format!(
                    "jobrun: interrupted by {}; {job} goes on at {} (resume with `jobrun wait \
                     {job}`)",
                    stop.name(),
                    job.vendor()
                ));
                if self.json {
                    emit(&interrupted_object(job, self.history.last(), stop));
                }
                return stop.exit();
            }
        };
        match &result {
            Ok(outcome) => {
                if self.json {
                    emit(&outcome_object(outcome));
                } else {
                    for line in describe(outcome) {
                        say(&line);
                    }
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

/// The NDJSON object of a job whose wait a signal stopped: `kind: interrupted`, the job, its
/// last status seen and the `signal`.
pub fn interrupted_object(
    job: &JobRef,
    last_status: Option<&String>,
    stop: Stop,
) -> serde_json::Value {
    json!({
        "event": "error",
        "kind": "interrupted",
        "job": job,
        "last_status": last_status,
        "signal": stop.name(),
    })
}

/// How a job ended: a headline, then one indented line per vendor error, detail and step.
/// The lines are printed one by one, so that a line break inside vendor text stays escaped.
pub fn describe(o: &Outcome) -> Vec<String> {
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
    let mut lines = vec![line];
    if let Some(error) = vendor_error(o.error_code.as_deref(), o.error_message.as_deref()) {
        lines.push(format!("  {error}"));
    }
    for (name, value) in &o.details {
        lines.push(format!("  {}: {value}", name.replace('_', " ")));
    }
    for step in &o.steps {
        let mut line = step_line(
            &step.name,
            &step.status,
            [&step.started_at, &step.finished_at],
        );
        if let Some(message) = &step.message {
            line.push_str(&format!(": {message}"));
        }
        lines.push(line);
    }
    lines
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

/// `  name: status, started …, finished …` for one step of a job (a krewData flow); empty
/// times (a running flow's end) are left out.
pub fn step_line(
    name: &str,
    status: &str,
    [started, finished]: [&Option<VendorTime>; 2],
) -> String {
    let mut line = format!("  {name}: {status}");
    for (word, t) in [("started", started), ("finished", finished)] {
        if let Some(t) = t.as_ref().filter(|t| !t.as_str().is_empty()) {
            line.push_str(&format!(", {word} {t}"));
        }
    }
    line
}

/// Sets a live line's message, escaped by [`printable`] like every other human text.
pub fn set_message(bar: &ProgressBar, text: &str) {
    bar.set_message(printable(text).into_owned());
}

/// Sets a live line's prefix, escaped by [`printable`].
pub fn set_prefix(bar: &ProgressBar, text: &str) {
    bar.set_prefix(printable(text).into_owned());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_escapes_every_control_and_keeps_the_rest() {
        assert!(matches!(
            printable("受注データ集計: Success"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            printable("exec\u{1b}[2J\u{7}uting\nfake line\r\t\0"),
            r"exec\u{1b}[2J\u{7}uting\nfake line\r\t\0"
        );
        // DEL, a C1 CSI and OSC, a right-to-left override and a line separator.
        assert_eq!(
            printable("a\u{7f}b\u{9b}31m\u{9d}c\u{202e}d\u{2028}e"),
            r"a\u{7f}b\u{9b}31m\u{9d}c\u{202e}d\u{2028}e"
        );
        // Escaping is idempotent: what it wrote holds no control any more.
        let once = printable("\u{1b}]0;title\u{7}").into_owned();
        assert_eq!(printable(&once), once);
    }

    #[test]
    fn json_lines_escape_what_json_leaves_raw_and_keep_the_value() {
        let value = json!({ "status": "a\u{1b}b\u{7f}c\u{9b}d\u{202e}e受注" });
        let line = json_for_terminal(value.to_string());
        assert_eq!(line, r#"{"status":"a\u001bb\u007fc\u009bd\u202ee受注"}"#);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&line).expect("JSON"),
            value
        );
    }

    #[test]
    fn each_signal_exits_128_plus_its_number() {
        assert_eq!(Stop::Hangup.exit() as u8, 128 + 1);
        assert_eq!(Stop::Interrupt.exit() as u8, 128 + 2);
        assert_eq!(Stop::Terminate.exit() as u8, 128 + 15);
        for stop in [Stop::Hangup, Stop::Interrupt, Stop::Terminate] {
            assert!(stop.exit().is_signal(), "{stop:?}");
        }
        assert!(!Exit::Failure.is_signal());
    }
}
