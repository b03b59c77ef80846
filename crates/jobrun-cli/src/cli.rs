//! The command line, as clap reads it.

use std::{num::NonZeroU32, num::NonZeroU64, path::PathBuf, time::Duration};

use clap::{Args, Parser, Subcommand};
use jobrun::{
    WaitOptions,
    adobe::{Cron, Filter, IsoDate, OrderBy, RunId, ScheduleId},
    asteria::{CheckpointDate, RequestId, RequestStatus},
    krewdata::{TaskId, UnitId},
    trocco::{ContextTime, CustomVariable, TimeZoneName},
};

/// Trigger ETL jobs on data-integration products, wait until they end, and know how they ended.
///
/// Exit codes: 0 the job succeeded (or the command did its work), 1 the job ended
/// unsuccessfully (error, canceled, skipped), 2 bad usage (nothing was sent), 3 the wait's
/// deadline passed (the job goes on remotely), 4 an API, auth or transport error; while
/// waiting, 130 on Ctrl-C (SIGINT), 143 on SIGTERM and 129 on SIGHUP (128 + the signal's
/// number: the job goes on, and the command that resumes the wait is printed). Waiting for
/// several jobs exits with the worst of 4, 3, 1 and 0 among them.
///
/// Environment: TROCCO_API_KEY, TROCCO_BASE_URL (default https://trocco.io); KREWDATA_APP_URL,
/// KREWDATA_SERIAL_NUMBER, KREWDATA_USER, KREWDATA_BASE_URL (default
/// https://api.krewdata.grapecity.com); JOBRUN_ALLOW_HTTP=1 (plain http:// to a non-loopback
/// host), RUST_LOG (log level on stderr, default error); ASTERIA_BASE_URL, ASTERIA_USER,
/// ASTERIA_PASSWORD; ADOBE_CLIENT_ID, ADOBE_CLIENT_SECRET, ADOBE_ORG_ID, ADOBE_SCOPES,
/// ADOBE_SANDBOX (default prod), ADOBE_IMS_URL, ADOBE_PLATFORM_URL.
#[derive(Debug, Parser)]
#[command(name = "jobrun", version, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// trocco transfer and workflow jobs (needs TROCCO_API_KEY; TROCCO_BASE_URL optional).
    #[command(subcommand)]
    Trocco(TroccoCommand),
    /// krewData execution units (needs KREWDATA_APP_URL, KREWDATA_SERIAL_NUMBER; KREWDATA_USER
    /// and KREWDATA_BASE_URL optional).
    #[command(subcommand)]
    Krewdata(KrewdataCommand),
    /// Adobe Experience Platform Query Service scheduled queries (needs ADOBE_CLIENT_ID,
    /// ADOBE_CLIENT_SECRET, ADOBE_ORG_ID, ADOBE_SCOPES).
    #[command(subcommand)]
    Adobe(AdobeCommand),
    /// ASTERIA Warp checkpoint flows (needs ASTERIA_BASE_URL, ASTERIA_USER, ASTERIA_PASSWORD).
    #[command(subcommand)]
    Asteria(AsteriaCommand),
    /// Wait for jobs started earlier, by their references (e.g. trocco:job:42,
    /// krewdata:task:<unit>:<task>, asteria:request:<id>:<YYYYMMDD>, adobe:run:<schedule>:<run>).
    ///
    /// One reference: progress on stderr, the outcome on stdout, and the exit code of that job.
    ///
    /// Several references, or `-`: every job is waited for at once, any mix of vendors; a job
    /// named twice is waited for once. The waiting flags apply to each job (the --timeout
    /// deadline counts per job, from when waiting starts).
    ///
    /// `-` reads references from stdin, one per line, so that the outputs of
    /// `jobrun trocco run-job 1` and the like can be piped in. Blank lines, surrounding
    /// whitespace and lines starting with `#` are ignored; `-` may sit among references given
    /// as arguments (stdin's take its place, in order). stdin is read to its end and every
    /// reference checked before the first request: a bad one exits 2 naming its argument or
    /// stdin line, and nothing is sent.
    ///
    /// Progress goes to stderr: on a terminal, the count of jobs by state and the latest
    /// changes, redrawn in place; otherwise one line per status change and per ended job. At
    /// the end stdout lists every job in input order, then the totals. With --json stdout is
    /// NDJSON: each status change (with its `job`), one `outcome` or `error` object per job,
    /// and last a `summary` object.
    ///
    /// Exit code: 4 if any job's wait ended in an API, auth or transport error, else 3 if any
    /// deadline passed, else 1 if any job ended unsuccessfully (failed, canceled, skipped),
    /// else 0. Ctrl-C exits 130, SIGTERM 143 and SIGHUP 129, printing the command that resumes
    /// the jobs still running.
    Wait {
        /// Job references as printed when the jobs were started; `-` reads them from stdin,
        /// one per line.
        #[arg(value_name = "JOB_REF", required = true, num_args = 1..)]
        jobs: Vec<String>,
        /// How to wait (for each job).
        #[command(flatten)]
        wait: WaitArgs,
        /// Print NDJSON on stdout: one object per status change, then one with the outcome
        /// (with several jobs: every object names its `job`, and a `summary` comes last).
        #[arg(long)]
        json: bool,
    },
    /// Serve the vendor simulators on loopback until stopped (Ctrl-C, SIGTERM or SIGHUP; exits 0).
    Sim {
        /// Port for trocco; krewData listens on the next one (0 picks free ports).
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// Start embedded simulators and watch a trocco transfer job, a trocco workflow job and a
    /// krewData unit run to their end.
    Demo {
        /// Speed factor for the demo's clock (0.05 runs it twenty times faster).
        #[arg(long, default_value_t = 1.0, hide = true, value_parser = parse_scale)]
        time_scale: f64,
    },
}

/// `jobrun trocco …`
#[derive(Debug, Subcommand)]
pub enum TroccoCommand {
    /// Run a transfer job of a transfer definition (転送設定).
    RunJob {
        /// The transfer definition id.
        #[arg(value_name = "DEFINITION_ID", value_parser = parse_definition_id)]
        definition: NonZeroU64,
        /// When custom variables expand.
        #[command(flatten)]
        time: TimeArgs,
        /// A custom variable for this run: '$name$=value' (single quotes keep the shell off
        /// the $) or name=value. Repeatable.
        #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_variable)]
        vars: Vec<CustomVariable>,
        /// Waiting and output.
        #[command(flatten)]
        run: RunArgs,
    },
    /// Run a workflow job of a workflow definition (ワークフロー定義).
    RunPipeline {
        /// The workflow definition id.
        #[arg(value_name = "DEFINITION_ID", value_parser = parse_definition_id)]
        definition: NonZeroU64,
        /// When custom variables expand.
        #[command(flatten)]
        time: TimeArgs,
        /// Waiting and output.
        #[command(flatten)]
        run: RunArgs,
    },
    /// Show a transfer job.
    Job {
        /// The transfer job id.
        #[arg(value_name = "JOB_ID", value_parser = parse_job_id)]
        id: NonZeroU64,
        /// Print trocco's answer as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show a workflow job.
    PipelineJob {
        /// The workflow job id.
        #[arg(value_name = "JOB_ID", value_parser = parse_job_id)]
        id: NonZeroU64,
        /// Print trocco's answer as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the transfer jobs of a transfer definition (all pages).
    Jobs {
        /// The transfer definition id.
        #[arg(value_name = "DEFINITION_ID", value_parser = parse_definition_id)]
        definition: NonZeroU64,
        /// Only jobs created at or after this time (YYYY-MM-DD HH:MM:SS).
        #[arg(long, value_name = "TIME")]
        start_time: Option<ContextTime>,
        /// Only jobs created at or before this time (YYYY-MM-DD HH:MM:SS).
        #[arg(long, value_name = "TIME")]
        end_time: Option<ContextTime>,
        /// IANA time zone of --start-time and --end-time (trocco's default: Asia/Tokyo).
        #[arg(long, value_name = "ZONE")]
        time_zone: Option<TimeZoneName>,
        /// Jobs per request, 1 to 100.
        #[arg(long, value_name = "N", value_parser = parse_page_size)]
        page_size: Option<NonZeroU32>,
        /// Print NDJSON: one job per line.
        #[arg(long)]
        json: bool,
    },
}

/// `jobrun krewdata …`
#[derive(Debug, Subcommand)]
pub enum KrewdataCommand {
    /// Run an execution unit (実行単位) through the real-time execution API.
    ///
    /// A fresh access token is requested for the run. krewData disables a unit run more than
    /// 5 times a minute, so jobrun refuses a sixth token request for the same unit within 60
    /// seconds, counted across every jobrun process of the user.
    Run {
        /// The execution unit id: the last part of the unit's real-time execution URL.
        #[arg(value_name = "UNIT_ID", value_parser = parse_unit_id)]
        unit: UnitId,
        /// The id of the unit's calling kintone app (呼び出し元アプリ).
        #[arg(long, value_name = "ID", value_parser = parse_app_id)]
        app_id: NonZeroU64,
        /// The kintone login name recorded as the run's user [default: $KREWDATA_USER].
        #[arg(long, value_name = "LOGIN")]
        user: Option<String>,
        /// A kintone record (JSON: field code → {"type", "value"}, or kintone's {"record": …})
        /// the flows read as parameters.
        #[arg(long, value_name = "FILE.json", conflicts_with = "fields")]
        record: Option<PathBuf>,
        /// One record field, CODE=TYPE:VALUE (e.g. 入荷日=DATE:2020-11-01). Repeatable.
        #[arg(long = "field", value_name = "CODE=TYPE:VALUE")]
        fields: Vec<String>,
        /// Skip the 5-a-minute run guard (krewData disables a unit run more often).
        #[arg(long)]
        no_run_guard: bool,
        /// Waiting and output.
        #[command(flatten)]
        run: RunArgs,
    },
    /// Show how a task and each of its data-editing flows stand (requests a token).
    Status {
        /// The execution unit id.
        #[arg(value_name = "UNIT_ID", value_parser = parse_unit_id)]
        unit: UnitId,
        /// The task id a run answered.
        #[arg(value_name = "TASK_ID", value_parser = parse_task_id)]
        task: TaskId,
        /// Skip the 5-a-minute guard on token requests.
        #[arg(long)]
        no_run_guard: bool,
        /// Print krewData's answer as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `jobrun adobe …`
#[derive(Debug, Subcommand)]
pub enum AdobeCommand {
    /// Scheduled queries.
    #[command(subcommand)]
    Schedules(SchedulesCommand),
    /// Runs of a scheduled query.
    #[command(subcommand)]
    Runs(RunsCommand),
}

/// List flags shared by schedules and runs.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Items per request, 1 to 1000 (Adobe's default: 20); every page is read.
    #[arg(long, value_name = "N", value_parser = parse_limit)]
    pub limit: Option<NonZeroU32>,
    /// Order: created or updated with + or - (Adobe's default: -created).
    #[arg(long, value_name = "ORDER", value_parser = parse_orderby, allow_hyphen_values = true)]
    pub orderby: Option<OrderBy>,
    /// A filter such as created>2024-01-01T00:00:00Z, userId==…, state==SUCCESS,
    /// externalTrigger==true. Repeatable.
    #[arg(long = "property", value_name = "FILTER", value_parser = parse_filter)]
    pub filters: Vec<Filter>,
    /// Print NDJSON: one item per line.
    #[arg(long)]
    pub json: bool,
}

/// `jobrun adobe schedules …`
#[derive(Debug, Subcommand)]
pub enum SchedulesCommand {
    /// List scheduled queries (all pages).
    List {
        /// Paging, order, filters, output.
        #[command(flatten)]
        list: ListArgs,
    },
    /// Show a scheduled query.
    Get {
        /// The schedule id.
        #[arg(value_name = "SCHEDULE_ID", value_parser = parse_schedule_id)]
        schedule: ScheduleId,
        /// Print Adobe's answer as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Create a scheduled query; prints its id.
    Create {
        /// Its name.
        #[arg(long)]
        name: String,
        /// The SQL to run.
        #[arg(long)]
        sql: String,
        /// The database, {SANDBOX}:{DATABASE}.{SCHEMA}.
        #[arg(long, value_name = "DB")]
        db_name: String,
        /// Five cron fields or @once/@hourly/@daily/@weekly/@monthly/@yearly.
        #[arg(long, value_name = "EXPR", value_parser = parse_cron)]
        cron: Cron,
        /// When it starts, ISO 8601.
        #[arg(long, value_name = "ISO8601", value_parser = parse_iso)]
        start: IsoDate,
        /// When it ends, ISO 8601.
        #[arg(long, value_name = "ISO8601", value_parser = parse_iso)]
        end: Option<IsoDate>,
        /// A description.
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
        /// How many runs may be active at once (Adobe's default: 1).
        #[arg(long, value_name = "N", value_parser = parse_positive)]
        max_active_runs: Option<NonZeroU32>,
        /// Print Adobe's answer as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Enable a scheduled query.
    Enable {
        /// The schedule id.
        #[arg(value_name = "SCHEDULE_ID", value_parser = parse_schedule_id)]
        schedule: ScheduleId,
        /// Print Adobe's answer as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Disable a scheduled query.
    Disable {
        /// The schedule id.
        #[arg(value_name = "SCHEDULE_ID", value_parser = parse_schedule_id)]
        schedule: ScheduleId,
        /// Print Adobe's answer as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Delete a scheduled query (it must be disabled, with no active run).
    Delete {
        /// The schedule id.
        #[arg(value_name = "SCHEDULE_ID", value_parser = parse_schedule_id)]
        schedule: ScheduleId,
        /// Print Adobe's answer as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change a scheduled query's cadence.
    SetCron {
        /// The schedule id.
        #[arg(value_name = "SCHEDULE_ID", value_parser = parse_schedule_id)]
        schedule: ScheduleId,
        /// Five cron fields or @once/@hourly/@daily/@weekly/@monthly/@yearly.
        #[arg(value_name = "EXPR", value_parser = parse_cron)]
        cron: Cron,
        /// Print Adobe's answer as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `jobrun adobe runs …`
#[derive(Debug, Subcommand)]
pub enum RunsCommand {
    /// List a scheduled query's runs (all pages).
    List {
        /// The schedule id.
        #[arg(value_name = "SCHEDULE_ID", value_parser = parse_schedule_id)]
        schedule: ScheduleId,
        /// Paging, order, filters, output.
        #[command(flatten)]
        list: ListArgs,
    },
    /// Show a run and its tasks.
    Get {
        /// The schedule id.
        #[arg(value_name = "SCHEDULE_ID", value_parser = parse_schedule_id)]
        schedule: ScheduleId,
        /// The run id.
        #[arg(value_name = "RUN_ID", value_parser = parse_run_id)]
        run: RunId,
        /// Print Adobe's answer as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Trigger a run now; prints the run's reference once found.
    Trigger {
        /// The schedule id.
        #[arg(value_name = "SCHEDULE_ID", value_parser = parse_schedule_id)]
        schedule: ScheduleId,
        /// Waiting and output.
        #[command(flatten)]
        run: RunArgs,
    },
    /// Cancel a run.
    Cancel {
        /// The schedule id.
        #[arg(value_name = "SCHEDULE_ID", value_parser = parse_schedule_id)]
        schedule: ScheduleId,
        /// The run id.
        #[arg(value_name = "RUN_ID", value_parser = parse_run_id)]
        run: RunId,
        /// Print Adobe's answer as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `jobrun asteria …`
#[derive(Debug, Subcommand)]
pub enum AsteriaCommand {
    /// Checkpoint-flow requests (チェックポイントフローのリクエスト).
    #[command(subcommand)]
    Checkpoints(CheckpointsCommand),
}

/// `jobrun asteria checkpoints …`
#[derive(Debug, Subcommand)]
pub enum CheckpointsCommand {
    /// List the requests that started on a date, every page unless --page is given.
    List {
        /// Start date, YYYYMMDD (the server's today when omitted).
        #[arg(long, value_name = "YYYYMMDD", value_parser = parse_date)]
        date: Option<CheckpointDate>,
        /// Only requests in this status: running, success or error.
        #[arg(long, value_parser = parse_request_status)]
        status: Option<RequestStatus>,
        /// Only this project.
        #[arg(long)]
        project: Option<String>,
        /// Only this flow.
        #[arg(long)]
        flow: Option<String>,
        /// Only projects owned in this domain.
        #[arg(long)]
        domain: Option<String>,
        /// Only projects owned by this user.
        #[arg(long)]
        user: Option<String>,
        /// Only this page (from 1); all pages when omitted.
        #[arg(long, value_name = "N", value_parser = parse_positive)]
        page: Option<NonZeroU32>,
        /// Requests per page (the server's default: 50).
        #[arg(long, value_name = "N", value_parser = parse_positive)]
        size: Option<NonZeroU32>,
        /// Print NDJSON: one request per line.
        #[arg(long)]
        json: bool,
    },
    /// Show one request: its status, where it stopped and where it resumed.
    Show {
        /// The request id (from list).
        #[arg(value_name = "REQUEST_ID", value_parser = parse_request_id)]
        request: RequestId,
        /// Its start date, YYYYMMDD (makes the server faster).
        #[arg(long, value_name = "YYYYMMDD", value_parser = parse_date)]
        date: Option<CheckpointDate>,
        /// Print the request as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Re-run a request that ended in error from the checkpoint before its failure.
    Rerun {
        /// The request id (from list).
        #[arg(value_name = "REQUEST_ID", value_parser = parse_request_id)]
        request: RequestId,
        /// Its start date, YYYYMMDD.
        #[arg(long, value_name = "YYYYMMDD", value_parser = parse_date)]
        date: CheckpointDate,
        /// Waiting and output.
        #[command(flatten)]
        run: RunArgs,
    },
}

/// `--context-time` and `--time-zone`.
#[derive(Debug, Args)]
pub struct TimeArgs {
    /// The time queue-time custom variables expand to, YYYY-MM-DD HH:MM:SS (default: now).
    #[arg(long, value_name = "TIME")]
    pub context_time: Option<ContextTime>,
    /// IANA time zone of --context-time (default: Asia/Tokyo).
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<TimeZoneName>,
}

/// Flags of the run commands.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Wait until the job ends; the exit code tells how it ended (130, 143 or 129 when Ctrl-C,
    /// SIGTERM or SIGHUP stops the wait: the job goes on, and how to resume is printed).
    #[arg(long)]
    pub wait: bool,
    /// How to wait (with --wait).
    #[command(flatten)]
    pub wait_args: WaitArgs,
    /// Print JSON on stdout (with --wait: NDJSON, one object per status change, then the outcome).
    #[arg(long)]
    pub json: bool,
}

/// How to wait. Unset values take [`WaitOptions::default`].
#[derive(Debug, Args)]
pub struct WaitArgs {
    /// Give up waiting after this long (exit 3; the job goes on). Like 90s, 30m, 6h [default: 24h]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,
    /// Shortest pause between status reads [default: 5s]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub poll_min: Option<Duration>,
    /// Longest pause between status reads; the pause doubles while nothing changes [default: 60s]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub poll_max: Option<Duration>,
    /// How long a workflow's `error` must last before it counts: trocco moves an errored
    /// workflow with retries left to retry_waiting [default: 10s]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub confirm_after: Option<Duration>,
}

impl WaitArgs {
    /// The facade's options; bounds are checked before anything is sent.
    pub fn options(&self) -> Result<WaitOptions, jobrun::Error> {
        let defaults = WaitOptions::default();
        let options = WaitOptions {
            timeout: self.timeout.unwrap_or(defaults.timeout),
            poll_min: self.poll_min.unwrap_or(defaults.poll_min),
            poll_max: self
                .poll_max
                .unwrap_or(defaults.poll_max.max(self.poll_min.unwrap_or_default())),
            confirm_after: self.confirm_after.unwrap_or(defaults.confirm_after),
        };
        options.validate()?;
        Ok(options)
    }

    fn any(&self) -> bool {
        self.timeout.is_some()
            || self.poll_min.is_some()
            || self.poll_max.is_some()
            || self.confirm_after.is_some()
    }
}

impl RunArgs {
    /// The wait options when `--wait` is given; waiting flags without it are a usage error
    /// rather than silently ignored.
    pub fn wait_options(&self) -> Result<Option<WaitOptions>, jobrun::Error> {
        match (self.wait, self.wait_args.any()) {
            (true, _) => self.wait_args.options().map(Some),
            (false, false) => Ok(None),
            (false, true) => Err(jobrun::Error::InvalidInput {
                what: "flags",
                value: "--timeout/--poll-min/--poll-max/--confirm-after".into(),
                expected: "--wait as well: they only apply while waiting".into(),
            }),
        }
    }
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text)
        .map_err(|_| format!("expected a duration like 250ms, 30s, 5m or 1h, got {text:?}"))
}

fn parse_definition_id(text: &str) -> Result<NonZeroU64, jobrun::Error> {
    jobrun::parse_id("definition id", text)
}

fn parse_job_id(text: &str) -> Result<NonZeroU64, jobrun::Error> {
    jobrun::parse_id("job id", text)
}

fn parse_unit_id(text: &str) -> Result<UnitId, jobrun::Error> {
    text.parse()
}

fn parse_task_id(text: &str) -> Result<TaskId, jobrun::Error> {
    text.parse()
}

fn parse_app_id(text: &str) -> Result<NonZeroU64, jobrun::Error> {
    jobrun::parse_id("kintone app id", text)
}

fn parse_schedule_id(text: &str) -> Result<ScheduleId, jobrun::Error> {
    text.parse()
}

fn parse_run_id(text: &str) -> Result<RunId, jobrun::Error> {
    text.parse()
}

fn parse_cron(text: &str) -> Result<Cron, jobrun::Error> {
    text.parse()
}

fn parse_iso(text: &str) -> Result<IsoDate, jobrun::Error> {
    text.parse()
}

fn parse_orderby(text: &str) -> Result<OrderBy, jobrun::Error> {
    text.parse()
}

fn parse_filter(text: &str) -> Result<Filter, jobrun::Error> {
    text.parse()
}

fn parse_limit(text: &str) -> Result<NonZeroU32, jobrun::Error> {
    jobrun::adobe::parse_limit(text)
}

fn parse_date(text: &str) -> Result<CheckpointDate, jobrun::Error> {
    text.parse()
}

fn parse_request_id(text: &str) -> Result<RequestId, jobrun::Error> {
    text.parse()
}

fn parse_request_status(text: &str) -> Result<RequestStatus, String> {
    match text.parse::<RequestStatus>() {
        Ok(status) if status.is_known() => Ok(status),
        _ => Err(format!("expected running, success or error, got {text:?}")),
    }
}

fn parse_positive(text: &str) -> Result<NonZeroU32, String> {
    text.parse::<NonZeroU32>()
        .map_err(|_| format!("expected a whole number from 1, got {text:?}"))
}

fn parse_variable(text: &str) -> Result<CustomVariable, jobrun::Error> {
    CustomVariable::parse_assignment(text)
}

fn parse_page_size(text: &str) -> Result<NonZeroU32, String> {
    text.parse::<NonZeroU32>()
        .ok()
        .filter(|n| n.get() <= jobrun::trocco::MAX_PAGE_SIZE)
        .ok_or_else(|| format!("expected a page size from 1 to 100, got {text:?}"))
}

fn parse_scale(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() && (0.001..=100.0).contains(&f) => Ok(f),
        _ => Err(format!("expected a factor from 0.001 to 100, got {text:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn help_lists_the_exit_codes_of_every_signal() {
        use clap::CommandFactory;
        let mut cli = Cli::command();
        let help = cli.render_long_help().to_string();
        for code in ["130 on Ctrl-C", "143 on SIGTERM", "129 on SIGHUP"] {
            assert!(help.contains(code), "{code}: {help}");
        }
        let wait = cli
            .find_subcommand_mut("wait")
            .expect("wait")
            .render_long_help()
            .to_string();
        assert!(wait.contains("SIGTERM 143 and SIGHUP 129"), "{wait}");
    }

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert!(parse_duration("5").expect_err("no unit").contains("250ms"));
    }
}
