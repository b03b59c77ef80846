//! The `jobrun` command: trigger vendor ETL jobs, wait for them, serve the simulators, run
//! the demo. The binary is a thin `main` around [`run`]; the pieces live here so tests can
//! reach them.
//!
//! ```
//! use clap::Parser;
//! let cli = jobrun_cli::cli::Cli::try_parse_from(["jobrun", "trocco", "run-job", "42", "--wait"]).unwrap();
//! assert!(matches!(cli.command, jobrun_cli::cli::Command::Trocco(_)));
//! ```

mod asteria_cmd;
pub mod cli;
pub mod demo;
mod krewdata_cmd;
pub mod output;
mod trocco_cmd;

use cli::{Cli, Command};
use jobrun::{JobRef, asteria::AsteriaClient, krewdata::KrewdataClient, trocco::TroccoClient};
use output::{Exit, Watch, fail, until_ctrl_c};

/// Runs one command line and returns its exit code.
pub async fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Trocco(command) => trocco_cmd::run(command).await,
        Command::Krewdata(command) => krewdata_cmd::run(command).await,
        Command::Asteria(command) => asteria_cmd::run(command).await,
        Command::Wait { job, wait, json } => {
            let options = match wait.options() {
                Ok(o) => o,
                Err(e) => return fail(&e, json),
            };
            let mut watch = Watch::new(json, "");
            let mut on_event = |e: &jobrun::WaitEvent| watch.on_event(e);
            let result = match &job {
                JobRef::KrewdataTask { .. } => match KrewdataClient::from_env() {
                    Ok(c) => until_ctrl_c(c.wait(&job, &options, &mut on_event)).await,
                    Err(e) => return fail(&e, json),
                },
                JobRef::AsteriaRequest { .. } => match AsteriaClient::from_env() {
                    Ok(c) => {
                        let result = until_ctrl_c(c.wait(&job, &options, &mut on_event)).await;
                        c.logout().await;
                        result
                    }
                    Err(e) => return fail(&e, json),
                },
                _ => match TroccoClient::from_env() {
                    Ok(c) => until_ctrl_c(c.wait(&job, &options, &mut on_event)).await,
                    Err(e) => return fail(&e, json),
                },
            };
            watch.conclude(&job, result)
        }
        Command::Sim { port } => sim(port).await,
        Command::Demo { time_scale } => demo::run(time_scale).await,
    }
}

/// `jobrun sim`: serves until Ctrl-C. trocco listens on `port`, krewData on the next one and
/// ASTERIA Warp on the one after (all on free ports when `port` is 0).
async fn sim(port: u16) -> Exit {
    use jobrun_sim::asteria::{AsteriaConfig, AsteriaSim};
    use jobrun_sim::krewdata::{KrewdataConfig, KrewdataSim};
    use jobrun_sim::trocco::{TroccoConfig, TroccoSim};
    let after = |n: u16| match port {
        0 => Some(0),
        p => p.checked_add(n),
    };
    let (Some(krewdata_port), Some(asteria_port)) = (after(1), after(2)) else {
        eprintln!("jobrun: --port {port} leaves no room for the next two simulators");
        return Exit::Usage;
    };
    let trocco_config = TroccoConfig::new().port(port);
    let krewdata_config = KrewdataConfig::new().port(krewdata_port);
    let asteria_config = AsteriaConfig::new().port(asteria_port);
    let catalogs = format!("{trocco_config}\n{krewdata_config}\n{asteria_config}");
    let (trocco, krewdata, asteria) = match tokio::join!(
        TroccoSim::start(trocco_config),
        KrewdataSim::start(krewdata_config),
        AsteriaSim::start(asteria_config)
    ) {
        (Ok(t), Ok(k), Ok(a)) => (t, k, a),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            eprintln!("jobrun: cannot listen on 127.0.0.1 (port {port}): {e}");
            return Exit::Usage;
        }
    };
    output::say(&format!(
        "jobrun simulators on loopback; Ctrl-C stops them.\n\n\
         trocco    {trocco_url}\n\
         krewdata  {krewdata_url}\n\
         asteria   {asteria_url}\n\n\
         export TROCCO_BASE_URL={trocco_url}\n\
         export TROCCO_API_KEY={key}\n\
         export KREWDATA_BASE_URL={krewdata_url}\n\
         export KREWDATA_APP_URL={app_url}\n\
         export KREWDATA_SERIAL_NUMBER={serial}\n\
         export KREWDATA_USER={krewdata_user}\n\
         export ASTERIA_BASE_URL={asteria_url}\n\
         export ASTERIA_USER={asteria_user}\n\
         export ASTERIA_PASSWORD={asteria_password}\n\n\
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
    ));
    match tokio::signal::ctrl_c().await {
        Ok(()) => {
            trocco.shutdown().await;
            krewdata.shutdown().await;
            asteria.shutdown().await;
            Exit::Success
        }
        Err(e) => {
            eprintln!("jobrun: cannot wait for Ctrl-C: {e}");
            Exit::Failure
        }
    }
}
