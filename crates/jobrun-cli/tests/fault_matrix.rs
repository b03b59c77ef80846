//! The fault matrix through the `jobrun` command: every vendor's trigger command, with and
//! without `--wait`, against its simulator's fault injection, one cell per (fault, vendor).
//! It prints one markdown table of what each cell observed (`cargo test -p jobrun-cli --test
//! fault_matrix -- --nocapture`), then fails naming every cell that broke a promise of the
//! README: the exit code a script relies on (2 only when nothing was sent, 3 for a passed
//! deadline, 4 once a trigger may have reached the vendor, with how to check), `--timeout`
//! held within a second whatever the server does, the resume command, no credential in any
//! output line, no redirect followed to another origin, and no trigger sent twice. The
//! library's own matrix (tests/fault_matrix.rs at the workspace root) covers every fault
//! in depth; this one proves what reaches a shell.
//!
//! Time is real here (the simulators run in this process, `jobrun` in a child): jobs run for
//! a second and deadlines are two seconds, and the vendors' cells of one row run at once.

mod common;

use std::{
    process::Stdio,
    time::{Duration, Instant},
};

use base64::Engine as _;
use common::vendors::{
    ADOBE_SECRET, ASTERIA_PASSWORD, DATE, KEY, LONG_RERUN, SCHEDULE, SERIAL, SLOW, Vendors,
};
use futures::future::join_all;
use jobrun_sim::{Elsewhere, Fault, RecordedRequest};

/// The `--timeout` of every wait that a fault keeps from ending.
const TIMEOUT: Duration = Duration::from_secs(2);
/// The promise: a wait ends within a second of its deadline. The child's start (a debug
/// build, with three other cells starting at once) gets half a second more.
const WITHIN: Duration = Duration::from_millis(1500);
/// Faults queued "for good": more requests than any cell makes.
const ALWAYS: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Vendor {
    Trocco,
    Krewdata,
    Asteria,
    Adobe,
}

const VENDORS: [Vendor; 4] = [
    Vendor::Trocco,
    Vendor::Krewdata,
    Vendor::Asteria,
    Vendor::Adobe,
];

impl Vendor {
    fn name(self) -> &'static str {
        match self {
            Self::Trocco => "trocco",
            Self::Krewdata => "krewData",
            Self::Asteria => "ASTERIA",
            Self::Adobe => "Adobe",
        }
    }

    /// The trigger command of the vendor's slow job.
    fn trigger(self) -> Vec<&'static str> {
        match self {
            Self::Trocco => vec!["trocco", "run-job", SLOW],
            Self::Krewdata => vec![
                "krewdata",
                "run",
                "slowunit",
                "--app-id",
                "123",
                "--no-run-guard",
            ],
            Self::Asteria => vec![
                "asteria",
                "checkpoints",
                "rerun",
                LONG_RERUN,
                "--date",
                DATE,
            ],
            Self::Adobe => vec!["adobe", "runs", "trigger", SCHEDULE],
        }
    }

    /// Whether `r` is one of the vendor's triggers.
    fn is_trigger(self, r: &RecordedRequest) -> bool {
        match self {
            Self::Trocco => r.method == "POST" && r.path == "/api/jobs",
            Self::Krewdata => r.path.ends_with("/run"),
            Self::Asteria => r.path == "/api/checkpoint/rerun",
            Self::Adobe => r.method == "POST" && r.path.ends_with("/runs"),
        }
    }
}

/// Where a fault is aimed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Point {
    Status,
    Trigger,
}

/// What a cell expects of the command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// The job ends and the command says so: exit 0.
    Succeeds,
    /// The deadline passes: exit 3 within [`WITHIN`] of it, with the resume command.
    Deadline,
    /// The trigger may have reached the vendor: exit 4, saying the job may have started.
    MayHaveStarted,
    /// The vendor refused: exit 4.
    Refused,
}

struct Row {
    label: &'static str,
    point: Point,
    /// The fault at `Vendor`'s simulator (`None`: the vendor has no such answer).
    fault: fn(Vendor, &Elsewhere) -> Option<Fault>,
    times: usize,
    json: bool,
    expect: Expect,
}

/// A trigger's answer as the vendor writes it, but with an id that is not one (a space, a
/// negative number). Adobe's trigger answer holds no id (its run is found by listing).
fn unusable_id(vendor: Vendor) -> Option<Fault> {
    let (content_type, body) = match vendor {
        Vendor::Trocco => (
            "application/json",
            r#"{"id":-5,"job_definition_id":3,"status":"queued"}"#,
        ),
        Vendor::Krewdata => (
            "application/json",
            r#"{"code":200,"status":"OK","taskId":"task 42"}"#,
        ),
        Vendor::Asteria => (
            "text/xml; charset=UTF-8",
            "<result><status>success</status><data><requestId>eedd0d83 ac7a</requestId></data></result>",
        ),
        Vendor::Adobe => return None,
    };
    Some(Fault::Reply {
        status: 200,
        headers: Vec::new(),
        content_type: Some(content_type.to_owned()),
        body: body.to_owned(),
    })
}

fn rows() -> Vec<Row> {
    vec![
        Row {
            label: "status: hang",
            point: Point::Status,
            fault: |_, _| Some(Fault::Hang),
            times: ALWAYS,
            json: false,
            expect: Expect::Deadline,
        },
        Row {
            label: "status: drip 1 B/s",
            point: Point::Status,
            fault: |_, _| {
                Some(Fault::Drip {
                    chunk: 1,
                    every: Duration::from_secs(1),
                })
            },
            times: ALWAYS,
            json: false,
            expect: Expect::Deadline,
        },
        Row {
            label: "status: 429 Retry-After: 3600",
            point: Point::Status,
            fault: |_, _| Some(Fault::retry_after("3600")),
            times: ALWAYS,
            json: true,
            expect: Expect::Deadline,
        },
        Row {
            label: "status: 503 storm",
            point: Point::Status,
            fault: |_, _| Some(Fault::html(503)),
            times: ALWAYS,
            json: false,
            expect: Expect::Deadline,
        },
        Row {
            label: "status: garbage, then the job",
            point: Point::Status,
            fault: |_, _| Some(Fault::Garbage),
            times: 2,
            json: true,
            expect: Expect::Succeeds,
        },
        Row {
            label: "status: echo 500 (--json)",
            point: Point::Status,
            fault: |_, _| Some(Fault::Echo { status: 500 }),
            times: ALWAYS,
            json: true,
            expect: Expect::Deadline,
        },
        Row {
            label: "status: 302 to another origin",
            point: Point::Status,
            fault: |_, other| {
                Some(Fault::Redirect {
                    status: 302,
                    location: format!("{}/landing", other.base_url()),
                })
            },
            times: ALWAYS,
            json: false,
            expect: Expect::Refused,
        },
        Row {
            label: "trigger: 200 HTML",
            point: Point::Trigger,
            fault: |_, _| Some(Fault::html(200)),
            times: 1,
            json: false,
            expect: Expect::MayHaveStarted,
        },
        Row {
            label: "trigger: 200 HTML (--json)",
            point: Point::Trigger,
            fault: |_, _| Some(Fault::html(200)),
            times: 1,
            json: true,
            expect: Expect::MayHaveStarted,
        },
        Row {
            label: "trigger: answered id is not an id",
            point: Point::Trigger,
            fault: |vendor, _| unusable_id(vendor),
            times: 1,
            json: false,
            expect: Expect::MayHaveStarted,
        },
        Row {
            label: "trigger: drop after processing",
            point: Point::Trigger,
            fault: |_, _| Some(Fault::Drop),
            times: 1,
            json: false,
            expect: Expect::MayHaveStarted,
        },
        // A redirect is the server declining to carry the request out here: nothing started.
        Row {
            label: "trigger: 307 to another origin",
            point: Point::Trigger,
            fault: |_, other| {
                Some(Fault::Redirect {
                    status: 307,
                    location: format!("{}/landing", other.base_url()),
                })
            },
            times: 1,
            json: false,
            expect: Expect::Refused,
        },
        Row {
            label: "trigger: echo 400",
            point: Point::Trigger,
            fault: |_, _| Some(Fault::Echo { status: 400 }),
            times: 1,
            json: false,
            expect: Expect::Refused,
        },
        Row {
            label: "trigger: echo 500 (--json)",
            point: Point::Trigger,
            fault: |_, _| Some(Fault::Echo { status: 500 }),
            times: 1,
            json: true,
            expect: Expect::MayHaveStarted,
        },
    ]
}

/// Queues `fault` at `point` of `vendor`'s simulator.
fn inject(vendors: &Vendors, vendor: Vendor, point: Point, fault: Fault, times: usize) {
    match (vendor, point) {
        (Vendor::Trocco, Point::Status) => {
            use jobrun_sim::trocco::Target;
            vendors.trocco.inject(Target::GetJob, fault, times);
        }
        (Vendor::Trocco, Point::Trigger) => {
            use jobrun_sim::trocco::Target;
            vendors.trocco.inject(Target::RunJob, fault, times);
        }
        (Vendor::Krewdata, point) => {
            use jobrun_sim::krewdata::Target;
            let target = match point {
                Point::Status => Target::Status,
                Point::Trigger => Target::Run,
            };
            vendors.krewdata.inject(target, fault, times);
        }
        (Vendor::Asteria, point) => {
            use jobrun_sim::asteria::Target;
            let target = match point {
                Point::Status => Target::Show,
                Point::Trigger => Target::Rerun,
            };
            vendors.asteria.inject(target, fault, times);
        }
        (Vendor::Adobe, point) => {
            use jobrun_sim::adobe::Target;
            let target = match point {
                Point::Status => Target::GetRun,
                Point::Trigger => Target::TriggerRun,
            };
            vendors.adobe.inject(target, fault, times);
        }
    }
}

fn records(vendors: &Vendors, vendor: Vendor) -> Vec<RecordedRequest> {
    match vendor {
        Vendor::Trocco => vendors.trocco.requests(),
        Vendor::Krewdata => vendors.krewdata.requests(),
        Vendor::Asteria => vendors.asteria.requests(),
        Vendor::Adobe => vendors.adobe.requests(),
    }
}

/// Every credential `jobrun` held: the configured ones, and the tokens and sessions the
/// simulator's records show it sent, each with its Base64 forms.
fn credentials(vendor: Vendor, records: &[RecordedRequest]) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    let mut add = |what: &str, value: &str| {
        if !value.is_empty() && !found.iter().any(|(_, v)| v == value) {
            found.push((what.to_owned(), value.to_owned()));
        }
    };
    match vendor {
        Vendor::Trocco => add("API key", KEY),
        Vendor::Krewdata => {
            add("serial number", SERIAL);
            for r in records {
                let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
                if let Some(token) = body["accessToken"].as_str() {
                    add("access token", token);
                }
            }
        }
        Vendor::Asteria => {
            add("password", ASTERIA_PASSWORD);
            for r in records {
                if let Some(id) = r.header("x-fs-sessionid") {
                    add("session id", id);
                }
            }
        }
        Vendor::Adobe => {
            add("client secret", ADOBE_SECRET);
            for r in records {
                if let Some(token) = r
                    .header("authorization")
                    .and_then(|t| t.strip_prefix("Bearer "))
                {
                    add("bearer token", token);
                }
            }
        }
    }
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    found
        .into_iter()
        .flat_map(|(what, value)| {
            [
                (what.clone(), STANDARD.encode(&value)),
                (what.clone(), STANDARD_NO_PAD.encode(&value)),
                (what.clone(), URL_SAFE_NO_PAD.encode(&value)),
                (what, value),
            ]
        })
        .collect()
}

/// What one cell saw, and the promises it found broken.
struct Obs {
    text: String,
    broken: Vec<String>,
}

impl Obs {
    fn check(&mut self, kept: bool, why: impl FnOnce() -> String) {
        if !kept {
            self.broken.push(why());
        }
    }
}

async fn cell(vendor: Vendor, row: &Row) -> Obs {
    let vendors = Vendors::start(Duration::from_secs(1)).await;
    let elsewhere = Elsewhere::start().await.expect("other origin starts");
    let Some(fault) = (row.fault)(vendor, &elsewhere) else {
        elsewhere.shutdown().await;
        return Obs {
            text: "n/a".to_owned(),
            broken: Vec::new(),
        };
    };
    let location = match &fault {
        Fault::Redirect { location, .. } => Some(location.clone()),
        _ => None,
    };
    let timeout = format!("{}s", TIMEOUT.as_secs());
    // A trigger's fault is met by `--wait`; a status read's by `jobrun wait REF`, once the
    // trigger (which reads the status itself at some vendors) is done.
    let mut args: Vec<String> = match row.point {
        Point::Trigger => {
            inject(&vendors, vendor, row.point, fault, row.times);
            let mut args: Vec<String> = vendor.trigger().into_iter().map(String::from).collect();
            args.push("--wait".into());
            args
        }
        Point::Status => {
            let started = vendors
                .command(&vendor.trigger())
                .output()
                .await
                .expect("jobrun runs");
            assert_eq!(started.status.code(), Some(0), "{}", common::text(&started));
            let job = String::from_utf8_lossy(&started.stdout).trim().to_owned();
            inject(&vendors, vendor, row.point, fault, row.times);
            vec!["wait".into(), job]
        }
    };
    args.extend(["--timeout".into(), timeout.clone()]);
    if row.json {
        args.push("--json".into());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let began = Instant::now();
    let out = vendors
        .command(&args)
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(30), out)
        .await
        .expect("jobrun ends within 30 s")
        .expect("jobrun runs");
    let took = began.elapsed();
    let code = out.status.code();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let records = records(&vendors, vendor);
    let triggers = records.iter().filter(|r| vendor.is_trigger(r)).count();
    let seen_elsewhere = elsewhere.requests().len();
    elsewhere.shutdown().await;

    let mut obs = Obs {
        text: format!(
            "exit {}, {:.1}s, {triggers} trigger{}",
            code.map_or("signal".to_owned(), |c| c.to_string()),
            took.as_secs_f64(),
            if triggers == 1 { "" } else { "s" }
        ),
        broken: Vec::new(),
    };
    let all = format!("{stdout}\n{stderr}");
    let context = || format!("\nstdout:\n{stdout}\nstderr:\n{stderr}");
    obs.check(triggers == 1, || {
        format!("{triggers} triggers reached the simulator, not one")
    });
    obs.check(seen_elsewhere == 0, || {
        format!("{seen_elsewhere} requests reached the other origin")
    });
    let mut shown: Vec<String> = credentials(vendor, &records)
        .into_iter()
        .filter(|(_, form)| all.contains(form.as_str()))
        .map(|(what, _)| what)
        .collect();
    shown.dedup();
    obs.check(shown.is_empty(), || {
        format!("the output shows: {}{}", shown.join(", "), context())
    });
    if row.json {
        let not_json: Vec<&str> = stdout
            .lines()
            .filter(|l| serde_json::from_str::<serde_json::Value>(l).is_err())
            .collect();
        obs.check(not_json.is_empty(), || {
            format!("stdout lines that are not JSON: {not_json:?}")
        });
    }
    match row.expect {
        Expect::Succeeds => obs.check(code == Some(0), || format!("expected exit 0{}", context())),
        Expect::Deadline => {
            obs.check(code == Some(3), || format!("expected exit 3{}", context()));
            obs.check(took <= TIMEOUT + WITHIN, || {
                format!("took {took:?} with --timeout {timeout}")
            });
            obs.check(stderr.contains("jobrun wait "), || {
                format!("no resume command{}", context())
            });
        }
        Expect::MayHaveStarted => {
            obs.check(code == Some(4), || format!("expected exit 4{}", context()));
            obs.check(all.contains("may have started"), || {
                format!("does not say the job may have started{}", context())
            });
        }
        Expect::Refused => {
            obs.check(code == Some(4), || format!("expected exit 4{}", context()));
        }
    }
    if let Some(location) = location {
        obs.check(all.contains(&location), || {
            format!(
                "the error does not name the Location {location}{}",
                context()
            )
        });
    }
    obs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_cell_keeps_its_promise_through_the_command() {
    let rows = rows();
    let mut table = String::from("| fault | trocco | krewData | ASTERIA | Adobe |\n");
    table.push_str("|---|---|---|---|---|\n");
    let mut broken = Vec::new();
    for row in &rows {
        let cells = join_all(VENDORS.iter().map(|v| cell(*v, row))).await;
        table.push_str(&format!("| {} |", row.label));
        for (vendor, obs) in VENDORS.iter().zip(cells) {
            let mark = if obs.broken.is_empty() { "" } else { " ✗" };
            table.push_str(&format!(" {}{mark} |", obs.text));
            for why in obs.broken {
                broken.push(format!("{} × {}: {why}", row.label, vendor.name()));
            }
        }
        table.push('\n');
    }
    println!("{table}");
    assert!(
        broken.is_empty(),
        "{} cells broke a promise:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

/// Ids are ids: for every vendor and every place an id goes (path segment, query, form, job
/// reference), an empty one, `.`, `..`, one with a `/`, whitespace or a control character is
/// refused with exit 2, naming the value, before anything is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_ids_are_refused_before_anything_is_sent() {
    let vendors = Vendors::start(Duration::from_secs(1)).await;
    let bad = ["", ".", "..", "a/b", "a b", "a\u{7}b"];
    let mut commands: Vec<Vec<String>> = Vec::new();
    let owned = |args: &[&str]| args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    for id in bad {
        let reference = |kind: &str| format!("{kind}{id}");
        for args in [
            owned(&["trocco", "run-job", id]),
            owned(&["trocco", "job", id]),
            owned(&["trocco", "pipeline-job", id]),
            owned(&["trocco", "jobs", id]),
            owned(&["krewdata", "run", id, "--app-id", "123", "--no-run-guard"]),
            owned(&["krewdata", "status", id, "abc"]),
            owned(&["krewdata", "status", "slowunit", id]),
            owned(&["asteria", "checkpoints", "show", id]),
            owned(&["asteria", "checkpoints", "rerun", id, "--date", DATE]),
            owned(&["adobe", "schedules", "get", id]),
            owned(&["adobe", "schedules", "delete", id]),
            owned(&["adobe", "runs", "trigger", id]),
            owned(&["adobe", "runs", "list", id]),
            owned(&["adobe", "runs", "get", SCHEDULE, id]),
            owned(&["adobe", "runs", "cancel", SCHEDULE, id]),
            owned(&["adobe", "runs", "cancel", id, "run1"]),
            vec!["wait".into(), reference("trocco:job:")],
            vec!["wait".into(), reference("krewdata:task:slowunit:")],
            vec!["wait".into(), reference("asteria:request:")],
            vec!["wait".into(), format!("adobe:run:{SCHEDULE}:{id}")],
            vec!["wait".into(), format!("adobe:run:{id}:run1")],
        ] {
            // Adobe's run ids are Base64 and may hold a `/` (sent percent-encoded).
            let run_of_schedule = format!("adobe:run:{SCHEDULE}:");
            let adobe_run_id = args
                .iter()
                .any(|a| a == SCHEDULE || a.starts_with(&run_of_schedule));
            if !(id == "a/b" && adobe_run_id) {
                commands.push(args);
            }
        }
    }
    let mut broken = Vec::new();
    for args in &commands {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = vendors
            .command(&args)
            .stdin(Stdio::null())
            .output()
            .await
            .expect("jobrun runs");
        if out.status.code() != Some(2) {
            broken.push(format!("{args:?}: {}", common::text(&out)));
        }
    }
    let sent: usize = VENDORS.iter().map(|v| records(&vendors, *v).len()).sum();
    assert!(
        broken.is_empty(),
        "{} of {} commands did not exit 2:\n{}",
        broken.len(),
        commands.len(),
        broken.join("\n")
    );
    assert_eq!(sent, 0, "requests reached the simulators");
}
