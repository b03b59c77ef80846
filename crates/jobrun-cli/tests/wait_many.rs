//! `jobrun wait` with many references (as arguments or on stdin), end to end against
//! simulators in this process: every outcome reported, the set's exit code, mixed vendors,
//! bad input refused before anything is sent, NDJSON tagged by job with a summary last, and
//! Ctrl-C. Jobs last at most a second and the binary polls every 10 to 100 ms.

mod common;

use std::{collections::BTreeSet, num::NonZeroU64, process::Output, time::Duration};

use common::{lines, ms, text};
use jobrun::{
    RateLimit, SecretString,
    trocco::{RunJob, TroccoClient, TroccoConfig as ClientConfig},
};
use jobrun_sim::{
    adobe::{AdobeConfig, AdobeSim, RunScript, Schedule},
    asteria::{AsteriaConfig, AsteriaSim, CheckpointRequest, Rerun, Start},
    krewdata::{KrewdataConfig, KrewdataSim, Unit},
    trocco::{Script, TroccoConfig, TroccoSim},
};
use serde_json::Value;
use tokio::io::AsyncWriteExt;

const KEY: &str = "tra_wait-many-key-0b5e55";
const FAST: [&str; 4] = ["--poll-min", "10ms", "--poll-max", "100ms"];
/// Transfer definitions of the trocco simulator.
const OK: i64 = 1;
const FAILS: i64 = 2;
const SLOW: i64 = 3;

async fn trocco() -> TroccoSim {
    let config = TroccoConfig::empty()
        .api_key(KEY)
        // Hundreds of jobs polled every few tens of milliseconds: far above trocco's 3,500
        // calls per 10 minutes, which is not what these tests are about.
        .rate_limit(1_000_000, Duration::from_secs(600))
        .transfer_definition(
            OK,
            "ok",
            Script::new()
                .step("queued", ms(100))
                .step("executing", ms(400))
                .end("succeeded"),
        )
        .transfer_definition(
            FAILS,
            "fails",
            Script::new()
                .step("queued", ms(30))
                .step("executing", ms(60))
                .end("error"),
        )
        .transfer_definition(
            SLOW,
            "slow",
            Script::new()
                .step("executing", Duration::from_secs(3600))
                .end("succeeded"),
        );
    TroccoSim::start(config).await.expect("simulator starts")
}

/// Starts one transfer job per entry of `definitions` through the facade, all at once, and
/// returns their references in the same order.
async fn start_jobs(sim: &TroccoSim, definitions: &[i64]) -> Vec<String> {
    let config = ClientConfig::new(SecretString::from(KEY.to_owned()))
        .and_then(|c| c.base_url(&sim.base_url(), true))
        .expect("config")
        .rate_limit(RateLimit::Unlimited);
    let client = TroccoClient::new(config).expect("client");
    let runs = definitions.iter().map(|d| {
        let run = RunJob::new(
            u64::try_from(*d)
                .ok()
                .and_then(NonZeroU64::new)
                .expect("a positive id"),
        );
        let client = &client;
        async move { client.start_job(&run).await.expect("trigger") }
    });
    futures::future::join_all(runs)
        .await
        .iter()
        .map(|job| format!("trocco:job:{}", job.id))
        .collect()
}

fn command(sim: &TroccoSim, args: &[&str]) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_jobrun"));
    command.args(args);
    if args.first() == Some(&"wait") {
        command.args(FAST);
    }
    command
        .env("TROCCO_BASE_URL", sim.base_url())
        .env("TROCCO_API_KEY", KEY)
        .env("TROCCO_RATE_LIMIT", "unlimited")
        .env_remove("RUST_LOG");
    command
}

/// Runs `command` with `stdin` as its standard input.
async fn with_stdin(mut command: tokio::process::Command, stdin: String) -> Output {
    let mut child = command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("jobrun starts");
    let mut pipe = child.stdin.take().expect("piped");
    // Written on its own task so that a child writing before it reads cannot deadlock us.
    let writer = tokio::spawn(async move {
        pipe.write_all(stdin.as_bytes()).await.expect("writes");
    });
    let out = child.wait_with_output().await.expect("jobrun runs");
    writer.await.expect("writer");
    out
}

async fn wait(sim: &TroccoSim, args: &[&str]) -> Output {
    command(sim, &[&["wait"][..], args].concat())
        .output()
        .await
        .expect("jobrun runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The last NDJSON line, which must be the summary, and the lines before it.
fn summary(out: &Output) -> (Value, Vec<Value>) {
    let mut objects = lines(out);
    let last = objects
        .pop()
        .unwrap_or_else(|| panic!("no output: {}", text(out)));
    assert_eq!(last["event"], "summary", "{}", text(out));
    (last, objects)
}

#[tokio::test(flavor = "multi_thread")]
async fn five_hundred_references_on_stdin_each_report_their_outcome() {
    let sim = trocco().await;
    // Every tenth job fails.
    let definitions: Vec<i64> = (0..500)
        .map(|i| if i % 10 == 3 { FAILS } else { OK })
        .collect();
    let refs = start_jobs(&sim, &definitions).await;
    let stdin = format!("# tonight's jobs\n{}\n", refs.join("\n"));

    let out = with_stdin(command(&sim, &["wait", "-", "--json"]), stdin.clone()).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let (summary, objects) = summary(&out);
    let outcomes: Vec<&Value> = objects.iter().filter(|o| o["event"] == "outcome").collect();
    assert_eq!(outcomes.len(), 500, "{}", text(&out));
    let ended: BTreeSet<&str> = outcomes.iter().filter_map(|o| o["job"].as_str()).collect();
    let given: BTreeSet<&str> = refs.iter().map(String::as_str).collect();
    assert_eq!(ended, given, "every job's outcome, once each");
    for (job, definition) in refs.iter().zip(&definitions) {
        let outcome = outcomes
            .iter()
            .find(|o| o["job"] == job.as_str())
            .expect("reported");
        let expected = if *definition == FAILS {
            "failed"
        } else {
            "succeeded"
        };
        assert_eq!(outcome["state"], expected, "{job}: {outcome}");
    }
    assert_eq!(
        (
            &summary["jobs"],
            &summary["succeeded"],
            &summary["failed"],
            &summary["errors"],
            &summary["exit_code"]
        ),
        (
            &Value::from(500),
            &Value::from(450),
            &Value::from(50),
            &Value::from(0),
            &Value::from(1)
        ),
        "{summary}"
    );

    // Again in text mode, now that every job has ended: one line per job in input order.
    let out = with_stdin(command(&sim, &["wait", "-"]), stdin).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let printed = stdout(&out);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 501, "{}", text(&out));
    for ((line, job), definition) in lines.iter().zip(&refs).zip(&definitions) {
        let expected = if *definition == FAILS {
            format!("{job} failed (status error)")
        } else {
            format!("{job} succeeded (status succeeded)")
        };
        assert!(line.starts_with(&expected), "{line:?} vs {expected:?}");
    }
    assert_eq!(
        lines[500],
        "500 jobs: 450 succeeded, 50 failed, 0 canceled, 0 skipped, 0 errors, 0 deadline passed"
    );
    // Off a terminal: one plain line on stderr per ended job.
    assert_eq!(
        stderr(&out).matches(" failed (status error)").count(),
        50,
        "{}",
        text(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_exit_code_is_that_of_the_worst_end() {
    let sim = trocco().await;
    let jobs = start_jobs(&sim, &[OK, OK, FAILS, SLOW]).await;
    let [ok1, ok2, fails, slow] = [&jobs[0], &jobs[1], &jobs[2], &jobs[3]].map(String::as_str);

    // All succeed (one named twice, waited for once): 0.
    let out = wait(&sim, &[ok1, ok2, ok1]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let printed = stdout(&out);
    assert!(
        printed.ends_with(
            "2 jobs: 2 succeeded, 0 failed, 0 canceled, 0 skipped, 0 errors, 0 deadline passed \
             (1 duplicate reference waited for once)\n"
        ),
        "{}",
        text(&out)
    );
    assert_eq!(printed.matches(ok1).count(), 1, "{}", text(&out));

    // One failure: 1.
    let out = wait(&sim, &[ok1, fails]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        stdout(&out).contains(&format!("{fails} failed (status error)")),
        "{}",
        text(&out)
    );

    // A passed deadline and a failure: 3, and how to resume the job that goes on.
    let out = wait(&sim, &[slow, fails, "--timeout", "1s"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let printed = stdout(&out);
    let line = printed
        .lines()
        .next()
        .unwrap_or_else(|| panic!("{}", text(&out)));
    assert!(
        line.starts_with(&format!("{slow} deadline passed after "))
            && line.ends_with(" (last status executing)"),
        "{}",
        text(&out)
    );
    assert!(
        stderr(&out).contains(&format!("jobrun wait {slow}\n")),
        "{}",
        text(&out)
    );

    // An unknown job (404), a passed deadline and a failure: 4.
    let out = wait(&sim, &["trocco:job:99999", slow, fails, "--timeout", "1s"]).await;
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    let printed = stdout(&out);
    let first = printed.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("trocco:job:99999 error: trocco getJob answered HTTP 404"),
        "{}",
        text(&out)
    );
    assert!(
        printed.contains("1 failed, 0 canceled, 0 skipped, 1 error, 1 deadline passed"),
        "{}",
        text(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ndjson_names_the_job_on_every_line_and_ends_with_the_summary() {
    let sim = trocco().await;
    let jobs = start_jobs(&sim, &[OK, FAILS, SLOW]).await;
    let mut args: Vec<&str> = jobs.iter().map(String::as_str).collect();
    args.extend(["trocco:job:99999", "--json", "--timeout", "1s"]);
    let out = wait(&sim, &args).await;
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    let (summary, objects) = summary(&out);
    assert_eq!(
        summary,
        serde_json::json!({
            "event": "summary", "jobs": 4, "succeeded": 1, "failed": 1, "canceled": 0,
            "skipped": 0, "errors": 1, "deadline": 1, "exit_code": 4
        })
    );
    for object in &objects {
        assert!(object["job"].is_string(), "no job: {object}");
        assert!(object["event"].is_string(), "no event: {object}");
    }
    let end = |job: &str| {
        let ends: Vec<&Value> = objects
            .iter()
            .filter(|o| o["job"] == job && matches!(o["event"].as_str(), Some("outcome" | "error")))
            .collect();
        assert_eq!(ends.len(), 1, "{job}: {ends:?}");
        ends[0].clone()
    };
    assert_eq!(end(&jobs[0])["state"], "succeeded");
    assert_eq!(end(&jobs[1])["vendor_status"], "error");
    let deadline = end(&jobs[2]);
    assert_eq!(
        (deadline["kind"].as_str(), deadline["last_status"].as_str()),
        (Some("deadline"), Some("executing"))
    );
    let unknown = end("trocco:job:99999");
    assert_eq!(
        (
            unknown["event"].as_str(),
            unknown["kind"].as_str(),
            unknown["status"].as_u64()
        ),
        (Some("error"), Some("api"), Some(404)),
        "{unknown}"
    );
    assert!(
        unknown["message"]
            .as_str()
            .is_some_and(|m| m.contains("404")),
        "{unknown}"
    );
    assert!(
        objects
            .iter()
            .any(|o| o["event"] == "status" && o["job"] == jobs[0].as_str()),
        "status changes are tagged with their job"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_references_exit_2_naming_each_and_nothing_is_sent() {
    let sim = trocco().await;
    let stdin = "trocco:job:1\nnot-a-ref\n\n  # a comment\ntrocco:job:0\n".to_owned();
    let out = with_stdin(command(&sim, &["wait", "-"]), stdin.clone()).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let said = stderr(&out);
    for expected in [
        r#"stdin line 2: "not-a-ref" is not a job reference"#,
        r#"stdin line 5: "trocco:job:0" is not a job reference"#,
        "nothing was sent",
    ] {
        assert!(said.contains(expected), "{expected}: {}", text(&out));
    }
    assert!(
        !said.contains("line 1:") && !said.contains("line 4"),
        "{said}"
    );

    let out = with_stdin(command(&sim, &["wait", "-", "--json"]), stdin).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let named: Vec<(u64, String)> = lines(&out)
        .iter()
        .map(|o| {
            assert_eq!(o["kind"], "usage", "{o}");
            (
                o["line"].as_u64().expect("a line number"),
                o["value"].as_str().expect("the value").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        named,
        [(2, "not-a-ref".to_owned()), (5, "trocco:job:0".to_owned())]
    );

    let out = wait(&sim, &["trocco:job:1", "bogus", "trocco:job:2"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        stderr(&out).contains(r#"argument 2: "bogus" is not a job reference"#),
        "{}",
        text(&out)
    );
    for (args, stdin, says) in [
        (
            &["wait", "-"][..],
            "\n# nothing tonight\n",
            "no job reference",
        ),
        (&["wait", "-", "-"][..], "trocco:job:1\n", "twice"),
    ] {
        let out = with_stdin(command(&sim, args), stdin.to_owned()).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", text(&out));
    }
    let none = wait(&sim, &[]).await;
    assert_eq!(none.status.code(), Some(2), "{}", text(&none));
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

const SERIAL: &str = "wm0000-serial-krewda-ta0000-c0ffee";
const APP_URL: &str = "https://wait-many.cybozu.com/k/55";
const ASTERIA_USER: &str = "wait-many-operator";
const ASTERIA_PASSWORD: &str = "wait-many-pa55word";
const REQUEST: &str = "bbbb0000-0000-4000-8000-000000000001";
const ADOBE_CLIENT: &str = "wait-many-client";
const ADOBE_SECRET: &str = "p8e-wait-many-secret";
const ADOBE_ORG: &str = "WAITMANY@AdobeOrg";
const SCHEDULE: &str = "wait_many_sched";

/// One simulator of each vendor, and a command line pointed at all four.
struct Vendors {
    trocco: TroccoSim,
    krewdata: KrewdataSim,
    asteria: AsteriaSim,
    adobe: AdobeSim,
    state: tempfile::TempDir,
}

impl Vendors {
    async fn start() -> Self {
        let krewdata = KrewdataConfig::empty()
            .serial_number(SERIAL)
            .app_url(APP_URL)
            .unit(
                "succeeds",
                Unit::new("two flows")
                    .calling_app(123)
                    .queue(ms(20))
                    .flow("集計", ms(60))
                    .flow("出力", ms(60)),
            );
        let started = chrono::NaiveDate::from_ymd_opt(2012, 10, 5)
            .and_then(|d| d.and_hms_opt(18, 0, 0))
            .expect("a real time");
        let asteria = AsteriaConfig::empty()
            .user(ASTERIA_USER, ASTERIA_PASSWORD)
            .request(
                CheckpointRequest::new(REQUEST, "Project1", "Flow1")
                    .started(Start::At(started))
                    .failed_at("CheckPoint2")
                    .on_rerun(Rerun::new().lag(ms(20)).run_for(ms(60)).ends_success()),
            );
        let adobe = AdobeConfig::empty()
            .credentials(ADOBE_CLIENT, ADOBE_SECRET, ADOBE_ORG)
            .default_run(RunScript::new().lasts(ms(60)))
            .schedule(
                Schedule::new("ok", "SELECT 1")
                    .id(SCHEDULE)
                    .runs(RunScript::new().task("insert_into", ms(60), "SUCCESS")),
            );
        Self {
            trocco: trocco().await,
            krewdata: KrewdataSim::start(krewdata).await.expect("krewData starts"),
            asteria: AsteriaSim::start(asteria).await.expect("ASTERIA starts"),
            adobe: AdobeSim::start(adobe).await.expect("Adobe starts"),
            state: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut command = command(&self.trocco, args);
        command
            .env("KREWDATA_BASE_URL", self.krewdata.base_url())
            .env("KREWDATA_APP_URL", APP_URL)
            .env("KREWDATA_SERIAL_NUMBER", SERIAL)
            .env("KREWDATA_USER", "cli@example.com")
            .env("KREWDATA_RATE_LIMIT", "1000/1s")
            .env("XDG_STATE_HOME", self.state.path())
            .env("ASTERIA_BASE_URL", self.asteria.base_url())
            .env("ASTERIA_USER", ASTERIA_USER)
            .env("ASTERIA_PASSWORD", ASTERIA_PASSWORD)
            .env("ADOBE_IMS_URL", self.adobe.base_url())
            .env("ADOBE_PLATFORM_URL", self.adobe.base_url())
            .env("ADOBE_CLIENT_ID", ADOBE_CLIENT)
            .env("ADOBE_CLIENT_SECRET", ADOBE_SECRET)
            .env("ADOBE_ORG_ID", ADOBE_ORG)
            .env("ADOBE_SCOPES", "openid,AdobeID")
            .env_remove("ADOBE_SANDBOX");
        command
    }

    /// Starts a job with a `jobrun` trigger command and returns the reference it printed.
    async fn start_job(&self, args: &[&str]) -> String {
        let out = self.command(args).output().await.expect("jobrun runs");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
        stdout(&out).trim().to_owned()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn one_wait_follows_jobs_of_every_vendor() {
    let vendors = Vendors::start().await;
    let started = [
        &["trocco", "run-job", "1"][..],
        &["trocco", "run-job", "2"],
        &["krewdata", "run", "succeeds", "--app-id", "123"],
        &[
            "asteria",
            "checkpoints",
            "rerun",
            REQUEST,
            "--date",
            "20121005",
        ],
        &["adobe", "runs", "trigger", SCHEDULE],
    ];
    let mut refs = Vec::new();
    for args in started {
        refs.push(vendors.start_job(args).await);
    }
    // Stdout is the reference only, so the outputs pipe into `jobrun wait -` as they are.
    let stdin = refs.join("\n");
    let out = with_stdin(vendors.command(&["wait", "-", "--json"]), stdin.clone()).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let (summary, objects) = summary(&out);
    assert_eq!(
        (&summary["jobs"], &summary["succeeded"], &summary["failed"]),
        (&Value::from(5), &Value::from(4), &Value::from(1)),
        "{summary}"
    );
    let expected = ["succeeded", "failed", "succeeded", "succeeded", "succeeded"];
    for (job, state) in refs.iter().zip(expected) {
        let outcome = objects
            .iter()
            .find(|o| o["event"] == "outcome" && o["job"] == job.as_str())
            .unwrap_or_else(|| panic!("no outcome for {job}: {}", text(&out)));
        assert_eq!(outcome["state"], state, "{outcome}");
    }
    assert!(
        objects
            .iter()
            .any(|o| o["event"] == "step" && o["job"] == refs[2].as_str()),
        "krewData's flows are reported, tagged with their job: {}",
        text(&out)
    );

    // Text mode: one line per job in input order, each with its vendor's final status.
    let out = with_stdin(vendors.command(&["wait", "-"]), stdin).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let printed = stdout(&out);
    let heads: Vec<&str> = printed
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.starts_with("5 jobs"))
        .collect();
    let statuses = [
        "succeeded (status succeeded)",
        "failed (status error)",
        "succeeded (status Success)",
        "succeeded (status success)",
        "succeeded (status SUCCESS)",
    ];
    assert_eq!(heads.len(), 5, "{}", text(&out));
    for ((line, job), status) in heads.iter().zip(&refs).zip(statuses) {
        assert!(
            line.starts_with(&format!("{job} {status}")),
            "{line:?}: {}",
            text(&out)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_exits_130_and_says_how_to_resume_the_jobs_still_running() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let sim = trocco().await;
    let jobs = start_jobs(&sim, &[SLOW, SLOW, FAILS]).await;
    let mut child = command(&sim, &["wait", &jobs[0], &jobs[1], &jobs[2], "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
    // Waits for the failure's end, so that only the two slow jobs are left running.
    let mut seen = String::new();
    while !seen.contains(r#""event":"outcome""#) {
        seen.clear();
        tokio::time::timeout(Duration::from_secs(30), stdout.read_line(&mut seen))
            .await
            .expect("an outcome in time")
            .expect("reads");
        assert!(!seen.is_empty(), "stdout ended early");
    }
    let (code, rest, said) = common::interrupt(&mut child, &mut stdout).await;
    assert_eq!(code, Some(130), "{rest}\n{said}");
    let objects: Vec<Value> = rest
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let interrupted: BTreeSet<&str> = objects
        .iter()
        .filter(|o| o["kind"] == "interrupted")
        .filter_map(|o| o["job"].as_str())
        .collect();
    assert_eq!(
        interrupted,
        BTreeSet::from([jobs[0].as_str(), jobs[1].as_str()])
    );
    let summary = objects.last().expect("a summary");
    assert_eq!(
        (
            &summary["event"],
            &summary["running"],
            &summary["failed"],
            &summary["exit_code"]
        ),
        (
            &Value::from("summary"),
            &Value::from(2),
            &Value::from(1),
            &Value::from(130)
        ),
        "{summary}"
    );
    assert!(
        said.contains(&format!("jobrun wait {} {}", jobs[0], jobs[1])),
        "{said}"
    );
}
