//! One simulator of each vendor in the test's process, and `jobrun` commands pointed at them.

use std::time::Duration;

use jobrun_sim::{
    adobe::{AdobeConfig, AdobeSim, RunScript, Schedule},
    asteria::{AsteriaConfig, AsteriaSim, CheckpointRequest, Rerun, Start},
    krewdata::{KrewdataConfig, KrewdataSim, Unit},
    trocco::{Script, TroccoConfig, TroccoSim},
};

use super::ms;

/// Polls of every wait: fast, so that waits react at once.
pub const FAST: [&str; 4] = ["--poll-min", "10ms", "--poll-max", "50ms"];
pub const KEY: &str = "tra_signals-key-5167";
pub const SLOW: &str = "3";
pub const SERIAL: &str = "signal-serial-0000-0000-0000-000001";
pub const APP_URL: &str = "https://signals.cybozu.com/k/9";
pub const ASTERIA_USER: &str = "signal-operator";
pub const ASTERIA_PASSWORD: &str = "signal-pa55-9a1f";
/// Re-runs for as long as the jobs run; a second one ends quickly (for the logout tests).
pub const LONG_RERUN: &str = "cccc0000-0000-4000-8000-000000000001";
pub const QUICK_RERUN: &str = "cccc0000-0000-4000-8000-000000000002";
pub const DATE: &str = "20121005";
pub const ADOBE_CLIENT: &str = "signals-client";
pub const ADOBE_SECRET: &str = "p8e-signals-secret";
pub const ADOBE_ORG: &str = "SIGNALS@AdobeOrg";
pub const SCHEDULE: &str = "signals_sched";

/// One simulator of each vendor, every job of which runs for the same time (but `QUICK_RERUN`).
pub struct Vendors {
    pub trocco: TroccoSim,
    pub krewdata: KrewdataSim,
    pub asteria: AsteriaSim,
    pub adobe: AdobeSim,
    pub state: tempfile::TempDir,
}

impl Vendors {
    /// Simulators whose jobs run for `job`.
    pub async fn start(job: Duration) -> Self {
        let trocco = TroccoConfig::empty()
            .api_key(KEY)
            .transfer_definition(
                3,
                "slow",
                Script::new().step("executing", job).end("succeeded"),
            )
            .pipeline_definition(
                3,
                "slow",
                Script::new().step("executing", job).end("succeeded"),
            );
        let krewdata = KrewdataConfig::empty()
            .serial_number(SERIAL)
            .app_url(APP_URL)
            .run_limit(1000, Duration::from_secs(60))
            .unit(
                "slowunit",
                Unit::new("slow")
                    .calling_app(123)
                    .queue(ms(10))
                    .flow("集計", job),
            );
        let started = chrono::NaiveDate::from_ymd_opt(2012, 10, 5)
            .and_then(|d| d.and_hms_opt(18, 0, 0))
            .expect("a real time");
        let asteria = AsteriaConfig::empty()
            .user(ASTERIA_USER, ASTERIA_PASSWORD)
            .request(
                CheckpointRequest::new(LONG_RERUN, "Project1", "Flow1")
                    .started(Start::At(started))
                    .failed_at("CheckPoint2")
                    .on_rerun(Rerun::new().run_for(job).ends_success()),
            )
            .request(
                CheckpointRequest::new(QUICK_RERUN, "Project1", "Flow2")
                    .started(Start::At(started))
                    .failed_at("CheckPoint1")
                    .on_rerun(Rerun::new().run_for(ms(40)).ends_success()),
            );
        let adobe = AdobeConfig::empty()
            .credentials(ADOBE_CLIENT, ADOBE_SECRET, ADOBE_ORG)
            .schedule(
                Schedule::new("slow", "SELECT 1")
                    .id(SCHEDULE)
                    .max_active_runs(10)
                    .runs(RunScript::new().task("insert_into", job, "SUCCESS")),
            );
        Self {
            trocco: TroccoSim::start(trocco).await.expect("trocco starts"),
            krewdata: KrewdataSim::start(krewdata).await.expect("krewData starts"),
            asteria: AsteriaSim::start(asteria).await.expect("ASTERIA starts"),
            adobe: AdobeSim::start(adobe).await.expect("Adobe starts"),
            state: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// `jobrun ARGS…` pointed at the four simulators, polling fast.
    pub fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_jobrun"));
        command.args(args);
        if args.contains(&"--wait") || args.first() == Some(&"wait") {
            command.args(FAST);
        }
        command
            .env_remove("RUST_LOG")
            .env("TROCCO_BASE_URL", self.trocco.base_url())
            .env("TROCCO_API_KEY", KEY)
            .env("KREWDATA_BASE_URL", self.krewdata.base_url())
            .env("KREWDATA_APP_URL", APP_URL)
            .env("KREWDATA_SERIAL_NUMBER", SERIAL)
            .env("KREWDATA_USER", "cli@example.com")
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

    /// Starts a slow trocco transfer job with the binary and returns its reference.
    pub async fn started_job(&self) -> String {
        let out = self
            .command(&["trocco", "run-job", SLOW])
            .output()
            .await
            .expect("jobrun runs");
        assert_eq!(out.status.code(), Some(0), "{}", super::text(&out));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}
