//! `jobrun wait`: one job exactly as it always was, or many at once (any mix of vendors) with
//! a count of states and the latest changes while they run, one line per job at the end, and
//! one exit code for the whole set.

use std::{
    collections::{HashMap, VecDeque},
    fmt,
    io::{IsTerminal, Read},
    time::Duration,
};

use futures::StreamExt;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use jobrun::{
    Error, JobRef, Outcome, OutcomeState, WaitEvent, WaitOptions,
    fleet::{Clients, FleetEvent},
};
use serde::Serialize;
use serde_json::json;

use crate::{
    cli::WaitArgs,
    output::{
        Exit, Stop, Watch, close_within, describe, emit, error_object, fail, interrupted_object,
        outcome_object, say, say_err, set_message, short, until_signal,
    },
};

/// The argument that stands for "the references on stdin".
const STDIN: &str = "-";

/// How many of the latest changes the terminal display keeps.
const RECENT: usize = 5;

/// What is said of a job whose wait stopped without an outcome or an error.
const LOST: &str = "its wait stopped without saying how the job ended; wait for it again";

/// A resume command longer than this is printed as a here-document rather than one line.
const ONE_LINE_RESUME: usize = 160;

/// `jobrun wait JOB_REF…`: a single reference keeps the one-job output; several, or `-`, wait
/// for every job at once.
pub async fn run(args: Vec<String>, wait: WaitArgs, json: bool) -> Exit {
    let options = match wait.options() {
        Ok(o) => o,
        Err(e) => return fail(&e, json),
    };
    match args.as_slice() {
        [one] if one != STDIN => match one.parse::<JobRef>() {
            Ok(job) => single(job, options, json).await,
            Err(e) => fail(&e, json),
        },
        _ => many(&args, options, json).await,
    }
}

/// One job: progress like `--wait` on a trigger, the outcome, and that job's exit code.
async fn single(job: JobRef, options: WaitOptions, json: bool) -> Exit {
    let mut watch = Watch::new(json, "");
    let mut on_event = |e: &WaitEvent| watch.on_event(e);
    let clients = match Clients::from_env_for([&job]) {
        Ok(c) => c,
        Err(e) => return fail(&e, json),
    };
    let result = until_signal(clients.wait(&job, &options, &mut on_event)).await;
    let exit = watch.conclude(&job, result);
    // ASTERIA's logout, bounded: it must not hold back an exit already reported.
    close_within(clients.close(), exit).await
}

/// Many jobs: every reference is read and checked, the clients their vendors need are
/// configured, and only then does any request go out.
async fn many(args: &[String], options: WaitOptions, json: bool) -> Exit {
    let stdin = if args.iter().any(|a| a == STDIN) {
        match read_stdin().await {
            Ok(bytes) => Some(bytes),
            Err(e) => return bad_input(&BadInput::Unreadable(e), json),
        }
    } else {
        None
    };
    let given = match references(args, stdin.as_deref()) {
        Ok(refs) => refs,
        Err(bad) => return bad_input(&bad, json),
    };
    let clients = match Clients::from_env_for(&given) {
        Ok(c) => c,
        Err(e) => return fail(&e, json),
    };
    let mut board = Board::new(&given, json);
    let mut events = clients.wait_all(given, options);
    let finished = until_signal(async {
        while let Some(event) = events.next().await {
            board.on_event(event);
        }
    })
    .await;
    // Stops the waits still going (after a signal) before ASTERIA's session is closed.
    drop(events);
    let exit = board.conclude(finished.err());
    // ASTERIA's logout, bounded: it must not hold back an exit already reported.
    close_within(clients.close(), exit).await
}

/// Reads stdin to its end: every reference must be checked before the first request.
async fn read_stdin() -> Result<Vec<u8>, String> {
    if std::io::stdin().is_terminal() {
        say_err("jobrun: reading job references from stdin, one per line; end with Ctrl-D");
    }
    // Reading blocks; on its own thread it keeps the runtime (and its signal handling) free.
    let read = tokio::task::spawn_blocking(|| {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map(|_| bytes)
    });
    match read.await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => Err(e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// Where a bad reference was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// The n-th JOB_REF argument, from 1.
    Argument(usize),
    /// Line n of stdin, from 1.
    Line(usize),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Argument(n) => write!(f, "argument {n}"),
            Self::Line(n) => write!(f, "stdin line {n}"),
        }
    }
}

/// A reference that cannot be waited for.
#[derive(Debug, PartialEq, Eq)]
struct BadRef {
    place: Place,
    /// The text as given (trimmed; lossily decoded when it is not UTF-8).
    text: String,
    /// False when the line is not UTF-8 text at all.
    utf8: bool,
}

impl fmt::Display for BadRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.utf8 {
            write!(f, "{}: {:?} is not a job reference", self.place, self.text)
        } else {
            write!(f, "{}: not UTF-8 text ({:?})", self.place, self.text)
        }
    }
}

/// Why the given references cannot be waited for. Nothing is sent.
#[derive(Debug, PartialEq, Eq)]
enum BadInput {
    /// Some references are malformed; `expected` says what a reference looks like.
    Refs { bad: Vec<BadRef>, expected: String },
    /// `-` was given more than once.
    StdinTwice,
    /// No reference at all: stdin held only blank and comment lines (clap requires at least
    /// one argument, so only `-` can come up empty).
    Empty,
    /// stdin could not be read.
    Unreadable(String),
}

/// Every reference in argument order, `-` replaced by stdin's (one per line; blank lines,
/// surrounding whitespace and lines starting with `#` are skipped). Duplicates are kept: the
/// fleet waits for each job once, and the board counts them.
fn references(args: &[String], stdin: Option<&[u8]>) -> Result<Vec<JobRef>, BadInput> {
    if args.iter().filter(|a| *a == STDIN).count() > 1 {
        return Err(BadInput::StdinTwice);
    }
    // Where each reference came from, and its text (`Err`: a line that is not UTF-8).
    let mut given: Vec<(Place, Result<&str, String>)> = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        if arg != STDIN {
            given.push((Place::Argument(i + 1), Ok(arg)));
            continue;
        }
        for (n, line) in stdin.unwrap_or_default().split(|b| *b == b'\n').enumerate() {
            let place = Place::Line(n + 1);
            match std::str::from_utf8(line) {
                Ok(text) => {
                    let text = text.trim();
                    if !text.is_empty() && !text.starts_with('#') {
                        given.push((place, Ok(text)));
                    }
                }
                Err(_) => given.push((place, Err(String::from_utf8_lossy(line).into_owned()))),
            }
        }
    }
    let mut refs = Vec::with_capacity(given.len());
    let mut bad = Vec::new();
    let mut expected = None;
    for (place, text) in given {
        match text.map(|t| (t, t.parse::<JobRef>())) {
            Ok((_, Ok(job))) => refs.push(job),
            Ok((text, Err(e))) => {
                expected.get_or_insert_with(|| match e {
                    Error::InvalidInput { expected, .. } => expected,
                    other => other.to_string(),
                });
                bad.push(BadRef {
                    place,
                    text: text.trim().to_owned(),
                    utf8: true,
                });
            }
            Err(lossy) => bad.push(BadRef {
                place,
                text: lossy.trim().to_owned(),
                utf8: false,
            }),
        }
    }
    if !bad.is_empty() {
        return Err(BadInput::Refs {
            bad,
            expected: expected.unwrap_or_else(|| "UTF-8 text".to_owned()),
        });
    }
    if refs.is_empty() {
        return Err(BadInput::Empty);
    }
    Ok(refs)
}

/// Says what is wrong with the input (every bad reference, one line each) and exits 2.
fn bad_input(bad: &BadInput, json: bool) -> Exit {
    // One line on stderr per problem and, with --json, one usage error object each.
    let report = |message: String, fields: &[(&str, serde_json::Value)]| {
        say_err(&format!("jobrun: {message}"));
        if json {
            let mut object = json!({ "event": "error", "kind": "usage", "message": message });
            for (name, value) in fields {
                object[*name] = value.clone();
            }
            emit(&object);
        }
    };
    match bad {
        BadInput::Refs { bad, expected } => {
            for r in bad {
                let place = match r.place {
                    Place::Argument(n) => ("argument", json!(n)),
                    Place::Line(n) => ("line", json!(n)),
                };
                report(r.to_string(), &[place, ("value", json!(r.text))]);
            }
            say_err(&format!(
                "jobrun: expected one job reference per argument or stdin line: {expected} \
                 (blank lines and lines starting with # are ignored); nothing was sent"
            ));
        }
        BadInput::StdinTwice => report(
            format!("{STDIN:?} is given twice, but stdin can be read only once"),
            &[],
        ),
        BadInput::Empty => report(
            "no job reference given: stdin held none (only blank or # lines)".to_owned(),
            &[],
        ),
        BadInput::Unreadable(e) => report(format!("cannot read stdin: {e}"), &[]),
    }
    Exit::Usage
}

/// How many jobs ended, and how.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts {
    ended: usize,
    succeeded: usize,
    failed: usize,
    canceled: usize,
    skipped: usize,
    /// Waits that ended in an error other than a passed deadline.
    errors: usize,
    deadline: usize,
}

impl Counts {
    fn add(&mut self, result: &Result<Outcome, Error>) {
        self.ended += 1;
        match result {
            Ok(o) => match o.state {
                OutcomeState::Succeeded => self.succeeded += 1,
                OutcomeState::Failed => self.failed += 1,
                OutcomeState::Canceled => self.canceled += 1,
                OutcomeState::Skipped => self.skipped += 1,
            },
            Err(Error::Deadline { .. }) => self.deadline += 1,
            Err(_) => self.errors += 1,
        }
    }

    /// The exit code of the whole set: the worst of error, deadline, unsuccessful, success.
    fn exit(&self) -> Exit {
        if self.errors > 0 {
            Exit::Failure
        } else if self.deadline > 0 {
            Exit::Deadline
        } else if self.failed + self.canceled + self.skipped > 0 {
            Exit::Unsuccessful
        } else {
            Exit::Success
        }
    }

    /// `412/500 ended · running 88` and `succeeded 400 · failed 10 · …`: the terminal
    /// display's first two lines (one would not fit 80 columns).
    fn progress_lines(&self, jobs: usize) -> [String; 2] {
        [
            format!(
                "{}/{jobs} ended · running {}",
                self.ended,
                jobs.saturating_sub(self.ended)
            ),
            format!(
                "succeeded {} · failed {} · canceled {} · skipped {} · errors {} · deadline {}",
                self.succeeded,
                self.failed,
                self.canceled,
                self.skipped,
                self.errors,
                self.deadline
            ),
        ]
    }
}

/// The last NDJSON object: the counts and the exit code (fields in this order, `event` first
/// like every other object).
#[derive(Serialize)]
struct Summary {
    event: &'static str,
    jobs: usize,
    succeeded: usize,
    failed: usize,
    canceled: usize,
    skipped: usize,
    /// Waits that ended in an error other than a passed deadline.
    errors: usize,
    deadline: usize,
    exit_code: u8,
    /// After Ctrl-C: the jobs still running.
    #[serde(skip_serializing_if = "Option::is_none")]
    running: Option<usize>,
}

/// One distinct job and what is known of it.
struct Tracked {
    job: JobRef,
    last_status: Option<String>,
    /// Set once its wait ended.
    end: Option<Result<Outcome, Error>>,
    /// Its wait stopped without an end (see [`Board::count_lost`]).
    lost: bool,
}

/// Follows the waits: prints their progress as it comes, and everything at the end.
struct Board {
    json: bool,
    /// Distinct jobs, in the order first given.
    jobs: Vec<Tracked>,
    index: HashMap<JobRef, usize>,
    /// References given more than once (each job is waited for once).
    duplicates: usize,
    counts: Counts,
    /// The redrawn display, when stderr is a terminal and the output is not NDJSON.
    live: Option<Live>,
}

impl Board {
    fn new(given: &[JobRef], json: bool) -> Self {
        let mut jobs = Vec::new();
        let mut index = HashMap::new();
        for job in given {
            index.entry(job.clone()).or_insert_with(|| {
                jobs.push(Tracked {
                    job: job.clone(),
                    last_status: None,
                    end: None,
                    lost: false,
                });
                jobs.len() - 1
            });
        }
        let live = (!json && std::io::stderr().is_terminal()).then(|| Live::new(jobs.len()));
        Self {
            json,
            duplicates: given.len() - jobs.len(),
            jobs,
            index,
            counts: Counts::default(),
            live,
        }
    }

    /// The entry of `job`; a job the fleet reports without being asked gets one too, so that
    /// nothing it says is lost.
    fn tracked(&mut self, job: &JobRef) -> &mut Tracked {
        let at = match self.index.get(job) {
            Some(at) => *at,
            None => {
                self.jobs.push(Tracked {
                    job: job.clone(),
                    last_status: None,
                    end: None,
                    lost: false,
                });
                self.index.insert(job.clone(), self.jobs.len() - 1);
                self.jobs.len() - 1
            }
        };
        &mut self.jobs[at]
    }

    fn on_event(&mut self, event: FleetEvent) {
        match event {
            FleetEvent::Progress(change) => self.on_progress(&change),
            FleetEvent::Ended { job, result } => self.on_end(job, result),
        }
    }

    fn on_progress(&mut self, change: &WaitEvent) {
        if let WaitEvent::Status { job, status, .. } = change {
            self.tracked(job).last_status = Some(status.clone());
        }
        if self.json {
            // Every event names its job already.
            emit(change);
            return;
        }
        // A plain line per change off a terminal; on one, the same change as `before → now`.
        let (plain, recent) = match change {
            WaitEvent::Status {
                job,
                status,
                previous,
                known,
                ..
            } => {
                let note = if *known {
                    ""
                } else {
                    " (not in the vendor's docs; still waiting)"
                };
                let recent = match previous {
                    Some(previous) => format!("{job} {previous} → {status}{note}"),
                    None => format!("{job} {status}{note}"),
                };
                (format!("{job} {status}{note}"), recent)
            }
            WaitEvent::Step {
                job,
                step,
                previous,
                ..
            } => {
                let recent = match previous {
                    Some(previous) => format!("{job} {}: {previous} → {}", step.name, step.status),
                    None => format!("{job} {}: {}", step.name, step.status),
                };
                (format!("{job}   {}: {}", step.name, step.status), recent)
            }
            WaitEvent::Retrying {
                job,
                attempt,
                delay,
                reason,
            } => {
                let line = format!("{job} retry {attempt} in {}: {reason}", short(*delay));
                (line.clone(), line)
            }
            // Events a newer facade adds are shown in full with --json and skipped otherwise.
            _ => return,
        };
        match &mut self.live {
            Some(live) => live.push(recent),
            None => say_err(&plain),
        }
    }

    fn on_end(&mut self, job: JobRef, result: Result<Outcome, Error>) {
        self.counts.add(&result);
        if self.json {
            match &result {
                Ok(outcome) => emit(&outcome_object(outcome)),
                Err(e) => emit(&job_error_object(&job, e)),
            }
        } else {
            let line = headline(&job, result.as_ref());
            match &mut self.live {
                Some(live) => {
                    live.counts(&self.counts, self.jobs.len());
                    // An outcome's last status change is already among the recent lines.
                    if result.is_err() {
                        live.push(line);
                    }
                }
                None => say_err(&line),
            }
        }
        self.tracked(&job).end = Some(result);
    }

    /// Prints the end of every job and the totals, says how to resume what goes on, and picks
    /// the exit code: the signal's when one stopped the waits.
    fn conclude(mut self, stopped: Option<Stop>) -> Exit {
        let interrupted = stopped.is_some();
        if let Some(live) = self.live.take() {
            live.clear();
        }
        if !interrupted {
            self.count_lost();
        }
        let running: Vec<&Tracked> = self
            .jobs
            .iter()
            .filter(|t| t.end.is_none() && !t.lost)
            .collect();
        let exit = match stopped {
            Some(stop) => stop.exit(),
            None => self.counts.exit(),
        };
        let c = self.counts;
        if self.json {
            if let Some(stop) = stopped {
                for t in &running {
                    emit(&interrupted_object(&t.job, t.last_status.as_ref(), stop));
                }
            }
            let summary = Summary {
                event: "summary",
                jobs: self.jobs.len(),
                succeeded: c.succeeded,
                failed: c.failed,
                canceled: c.canceled,
                skipped: c.skipped,
                errors: c.errors,
                deadline: c.deadline,
                exit_code: exit as u8,
                running: interrupted.then_some(running.len()),
            };
            emit(&summary);
        } else {
            for t in &self.jobs {
                let lines = match &t.end {
                    Some(Ok(outcome)) => describe(outcome),
                    Some(Err(e)) => vec![headline(&t.job, Err(e))],
                    None if t.lost => vec![format!("{} error: {LOST}", t.job)],
                    None => vec![format!(
                        "{} still running (last status {})",
                        t.job,
                        t.last_status.as_deref().unwrap_or("none seen")
                    )],
                };
                for line in lines {
                    say(&line);
                }
            }
            say(&self.totals(running.len()));
        }
        if let Some(stop) = stopped {
            say_err(&format!(
                "jobrun: interrupted by {}; {} of {} jobs go on at their vendors; resume with:",
                stop.name(),
                running.len(),
                self.jobs.len(),
            ));
            for line in resume_command(running.iter().map(|t| &t.job)) {
                say_err(&line);
            }
        } else if c.deadline > 0 {
            let passed = self.jobs.iter().filter_map(|t| match &t.end {
                Some(Err(Error::Deadline { job, .. })) => Some(job),
                _ => None,
            });
            say_err(&format!(
                "jobrun: the deadline passed for {} of {} jobs; they go on at their vendors; \
                 resume with:",
                c.deadline,
                self.jobs.len(),
            ));
            for line in resume_command(passed) {
                say_err(&line);
            }
        }
        exit
    }

    /// The fleet ends every wait with an outcome or an error; should a wait vanish all the
    /// same (its task panicked), its job counts as an error rather than passing unnoticed.
    fn count_lost(&mut self) {
        for t in self.jobs.iter_mut().filter(|t| t.end.is_none()) {
            t.lost = true;
            self.counts.ended += 1;
            self.counts.errors += 1;
            if self.json {
                emit(&json!({
                    "event": "error",
                    "kind": "internal",
                    "job": t.job,
                    "message": LOST,
                    "last_status": t.last_status,
                }));
            } else {
                say_err(&format!("{} error: {LOST}", t.job));
            }
        }
    }

    /// `500 jobs: 400 succeeded, 10 failed, …`.
    fn totals(&self, running: usize) -> String {
        let c = self.counts;
        let jobs = self.jobs.len();
        let mut line = format!(
            "{jobs} job{}: {} succeeded, {} failed, {} canceled, {} skipped, {} error{}, {} deadline \
             passed",
            if jobs == 1 { "" } else { "s" },
            c.succeeded,
            c.failed,
            c.canceled,
            c.skipped,
            c.errors,
            if c.errors == 1 { "" } else { "s" },
            c.deadline
        );
        if running > 0 {
            line.push_str(&format!(", {running} still running"));
        }
        if self.duplicates > 0 {
            line.push_str(&format!(
                " ({} duplicate reference{} waited for once)",
                self.duplicates,
                if self.duplicates == 1 { "" } else { "s" }
            ));
        }
        line
    }
}

/// One line for a job's end: `<job> failed (status error)`, `<job> deadline passed after 1s
/// (last status executing)` or `<job> error: <message>`.
fn headline(job: &JobRef, result: Result<&Outcome, &Error>) -> String {
    match result {
        Ok(o) => format!("{} {} (status {})", o.job, o.state, o.vendor_status),
        Err(Error::Deadline {
            last_status,
            waited,
            ..
        }) => format!(
            "{job} deadline passed after {} (last status {})",
            short(*waited),
            last_status.as_deref().unwrap_or("none seen")
        ),
        Err(e) => format!("{job} error: {e}"),
    }
}

/// A job's error as one NDJSON object: the one-job error object, always naming its `job`, and
/// `auth: true` when the vendor refused the credentials.
fn job_error_object(job: &JobRef, err: &Error) -> serde_json::Value {
    let mut object = error_object(err);
    object["job"] = json!(job);
    if let Error::Api(api) = err
        && api.is_auth()
    {
        object["auth"] = json!(true);
    }
    object
}

/// A command that waits for `jobs` again, as the lines to print: one when short, else a
/// here-document for `jobrun wait -` (copied as is into a shell).
fn resume_command<'a>(jobs: impl Iterator<Item = &'a JobRef>) -> Vec<String> {
    let refs: Vec<String> = jobs.map(ToString::to_string).collect();
    let words: Vec<String> = refs.iter().map(|r| shell_word(r)).collect();
    let line = format!("jobrun wait {}", words.join(" "));
    if line.len() <= ONE_LINE_RESUME {
        vec![line]
    } else {
        // A quoted delimiter keeps the shell off `$` and quotes; no reference is `EOF`.
        let mut lines = vec!["jobrun wait - <<'EOF'".to_owned()];
        lines.extend(refs);
        lines.push("EOF".to_owned());
        lines
    }
}

/// `word` as the shell reads it back: task and run ids may hold characters it would expand.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || ":_-.+/=@%,".contains(c);
    if word.chars().all(plain) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The terminal display: two lines of counts and the latest changes, redrawn in place.
struct Live {
    multi: MultiProgress,
    /// Ended and running, with a spinner and the time waited.
    head: ProgressBar,
    /// How the ended jobs ended.
    tally: ProgressBar,
    recent: VecDeque<String>,
    lines: Vec<ProgressBar>,
}

impl Live {
    fn new(jobs: usize) -> Self {
        let multi = MultiProgress::new();
        let head = multi.add(ProgressBar::new_spinner());
        head.set_style(style("{spinner} {elapsed:>4} {wide_msg}"));
        let tally = multi.add(ProgressBar::new_spinner());
        tally.set_style(style("  {wide_msg}"));
        let live = Self {
            multi,
            head,
            tally,
            recent: VecDeque::with_capacity(RECENT),
            lines: Vec::with_capacity(RECENT),
        };
        live.counts(&Counts::default(), jobs);
        live.head.enable_steady_tick(Duration::from_millis(120));
        live
    }

    fn counts(&self, counts: &Counts, jobs: usize) {
        let [head, tally] = counts.progress_lines(jobs);
        set_message(&self.head, &head);
        set_message(&self.tally, &tally);
    }

    /// Adds a change at the bottom, dropping the oldest beyond [`RECENT`].
    fn push(&mut self, line: String) {
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(line);
        while self.lines.len() < self.recent.len() {
            let bar = self.multi.add(ProgressBar::new_spinner());
            bar.set_style(style("  {wide_msg}"));
            self.lines.push(bar);
        }
        for (bar, text) in self.lines.iter().zip(&self.recent) {
            set_message(bar, text);
        }
    }

    fn clear(self) {
        for bar in self.lines {
            bar.finish_and_clear();
        }
        self.tally.finish_and_clear();
        self.head.finish_and_clear();
        let _ = self.multi.clear();
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn stdin_skips_blanks_whitespace_and_comments_and_keeps_the_order() {
        let stdin = b"trocco:job:2\n\n  # started by cron\n\t trocco:pipeline-job:7 \r\n";
        let refs = references(&args(&["trocco:job:1", "-", "trocco:job:3"]), Some(stdin))
            .expect("all valid");
        let shown: Vec<String> = refs.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "trocco:job:1",
                "trocco:job:2",
                "trocco:pipeline-job:7",
                "trocco:job:3"
            ]
        );
    }

    #[test]
    fn every_bad_reference_is_named_by_its_place() {
        let stdin = b"trocco:job:1\nbogus\n# fine\ntrocco:job:0\n\xff\xfe\n";
        let Err(BadInput::Refs { bad, expected }) =
            references(&args(&["trocco:job:x", "-"]), Some(stdin))
        else {
            panic!("bad input expected");
        };
        let places: Vec<Place> = bad.iter().map(|b| b.place).collect();
        assert_eq!(
            places,
            [
                Place::Argument(1),
                Place::Line(2),
                Place::Line(4),
                Place::Line(5)
            ]
        );
        assert_eq!(
            bad[1].to_string(),
            r#"stdin line 2: "bogus" is not a job reference"#
        );
        assert!(bad[3].to_string().contains("not UTF-8"), "{}", bad[3]);
        assert!(expected.contains("trocco:job:<id>"), "{expected}");
    }

    #[test]
    fn nothing_to_wait_for_and_stdin_twice_are_usage_errors() {
        assert_eq!(
            references(&args(&["-"]), Some(b"\n# nothing\n  \n")),
            Err(BadInput::Empty)
        );
        assert_eq!(
            references(&args(&["-", "-"]), Some(b"trocco:job:1\n")),
            Err(BadInput::StdinTwice)
        );
    }

    #[test]
    fn the_exit_code_is_the_worst_end() {
        let counts = |failed, errors, deadline| Counts {
            failed,
            errors,
            deadline,
            ..Counts::default()
        };
        assert_eq!(counts(0, 0, 0).exit(), Exit::Success);
        assert_eq!(counts(1, 0, 0).exit(), Exit::Unsuccessful);
        assert_eq!(counts(1, 0, 1).exit(), Exit::Deadline);
        assert_eq!(counts(1, 1, 1).exit(), Exit::Failure);
    }

    #[test]
    fn resume_commands_survive_the_shell() {
        let short: Vec<JobRef> = ["trocco:job:1", "krewdata:task:unit1:it's$x"]
            .iter()
            .map(|r| r.parse().expect("valid"))
            .collect();
        assert_eq!(
            resume_command(short.iter()),
            [r"jobrun wait trocco:job:1 'krewdata:task:unit1:it'\''s$x'"]
        );
        let long: Vec<JobRef> = (1..=40)
            .map(|n| format!("trocco:job:{n}").parse().expect("valid"))
            .collect();
        let heredoc = resume_command(long.iter()).join("\n");
        assert!(heredoc.starts_with("jobrun wait - <<'EOF'\ntrocco:job:1\n"));
        assert!(heredoc.ends_with("trocco:job:40\nEOF"));
    }
}
