//! The `jobrun` command: trigger vendor ETL jobs, wait for them, serve the simulators, run
//! the demo. The binary is a thin `main` around [`run`]; the pieces live here so tests can
//! reach them.
//!
//! ```
//! use clap::Parser;
//! let cli = jobrun_cli::cli::Cli::try_parse_from(["jobrun", "trocco", "run-job", "42", "--wait"]).unwrap();
//! assert!(matches!(cli.command, jobrun_cli::cli::Command::Trocco(_)));
//! ```

mod adobe_cmd;
mod asteria_cmd;
pub mod cli;
pub mod demo;
mod krewdata_cmd;
pub mod output;
mod trocco_cmd;
mod wait_cmd;

use cli::{Cli, Command};
use output::{Exit, say, say_err};

/// Runs one command line and returns its exit code.
pub async fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Trocco(command) => trocco_cmd::run(command).await,
        Command::Krewdata(command) => krewdata_cmd::run(command).await,
        Command::Asteria(command) => asteria_cmd::run(command).await,
        Command::Adobe(command) => adobe_cmd::run(command).await,
        Command::Wait { jobs, wait, json } => wait_cmd::run(jobs, wait, json).await,
        Command::Sim { port } => sim(port).await,
        Command::Demo { time_scale } => demo::run(time_scale).await,
    }
}

/// `jobrun sim`: serves until Ctrl-C, SIGTERM or SIGHUP, then shuts the simulators down and
/// exits 0 (a service manager's SIGTERM is how it is meant to stop). trocco listens on `port`, then krewData, ASTERIA Warp and
/// Adobe (IMS and Platform on one server) on the next three (all on free ports when `port` is 0).
async fn sim(port: u16) -> Exit {
    use jobrun_sim::adobe::{AdobeConfig, AdobeSim};
    use jobrun_sim::asteria::{AsteriaConfig, AsteriaSim};
    use jobrun_sim::krewdata::{KrewdataConfig, KrewdataSim};
    use jobrun_sim::trocco::{TroccoConfig, TroccoSim};
    let after = |n: u16| match port {
        0 => Some(0),
        p => p.checked_add(n),
    };
    let (Some(krewdata_port), Some(asteria_port), Some(adobe_port)) =
        (after(1), after(2), after(3))
    else {
        say_err(&format!(
            "jobrun: --port {port} leaves no room for the next three simulators"
        ));
        return Exit::Usage;
    };
    let trocco_config = TroccoConfig::new().port(port);
    let krewdata_config = KrewdataConfig::new().port(krewdata_port);
    let asteria_config = AsteriaConfig::new().port(asteria_port);
    let adobe_config = AdobeConfig::new().port(adobe_port);
    // Listening before the addresses are printed: whoever read them may stop us at once.
    let mut signals = output::Signals::listen();
    let catalogs = format!("{trocco_config}\n{krewdata_config}\n{asteria_config}\n{adobe_config}");
    let (trocco, krewdata, asteria, adobe) = match tokio::join!(
        TroccoSim::start(trocco_config),
        KrewdataSim::start(krewdata_config),
        AsteriaSim::start(asteria_config),
        AdobeSim::start(adobe_config)
    ) {
        (Ok(t), Ok(k), Ok(a), Ok(d)) => (t, k, a, d),
        (Err(e), _, _, _) | (_, Err(e), _, _) | (_, _, Err(e), _) | (_, _, _, Err(e)) => {
            say_err(&format!(
                "jobrun: cannot listen on 127.0.0.1 (port {port}): {e}"
            ));
            return Exit::Usage;
        }
    };
    let text = format!(
        "jobrun simulators on loopback; Ctrl-C or SIGTERM stops them.\n\n\
         trocco    {trocco_url}\n\
         krewdata  {krewdata_url}\n\
         asteria   {asteria_url}\n\
         adobe     {adobe_url} (IMS and Platform)\n\n\
         export TROCCO_BASE_URL={trocco_url}\n\
         export TROCCO_API_KEY={key}\n\
         export KREWDATA_BASE_URL={krewdata_url}\n\
         export KREWDATA_APP_URL={app_url}\n\
         export KREWDATA_SERIAL_NUMBER={serial}\n\
         export KREWDATA_USER={krewdata_user}\n\
         export ASTERIA_BASE_URL={asteria_url}\n\
         export ASTERIA_USER={asteria_user}\n\
         export ASTERIA_PASSWORD={asteria_password}\n\
         export ADOBE_IMS_URL={adobe_url}\n\
         export ADOBE_PLATFORM_URL={adobe_url}\n\
         export ADOBE_CLIENT_ID={adobe_client}\n\
         export ADOBE_CLIENT_SECRET={adobe_secret}\n\
         export ADOBE_ORG_ID={adobe_org}\n\
         export ADOBE_SCOPES={adobe_scopes}\n\n\
         {catalogs}",
        trocco_url = trocco.base_url(),
        key = trocco.api_key(),
        krewdata_url = krewdata.base_url(),
        app_url = krewdata.app_url(),
        serial = krewdata.serial_number(),
        krewdata_user = jobrun_sim::krewdata::DEFAULT_USER,
        asteria_url = asteria.base_url(),
        asteria_user = asteria.user(),
        asteria_password = asteria.password(),
        adobe_url = adobe.base_url(),
        adobe_client = adobe.client_id(),
        adobe_secret = adobe.client_secret(),
        adobe_org = adobe.org_id(),
        adobe_scopes = adobe.scopes(),
    );
    // Line by line: every line is escaped on its own (the text is the simulators' own).
    for line in text.lines() {
        say(line);
    }
    let stop = signals.next().await;
    trocco.shutdown().await;
    krewdata.shutdown().await;
    asteria.shutdown().await;
    adobe.shutdown().await;
    say_err(&format!("jobrun: {}; the simulators stopped", stop.name()));
    Exit::Success
}
