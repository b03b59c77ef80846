//! The `jobrun` binary; see the `jobrun_cli` library for the commands.

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    // Usage errors exit 2 (clap's convention), before anything is sent.
    let cli = jobrun_cli::cli::Cli::parse();
    // Logs go to stderr so stdout stays clean for job references and NDJSON; RUST_LOG picks
    // the level (e.g. RUST_LOG=jobrun=debug).
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("error"))
                // yaserde logs every XML text it reads at debug level, ASTERIA session ids
                // included; nothing it says is worth a secret.
                .add_directive(yaserde_off()),
        )
        .with_writer(std::io::stderr)
        // On a failed write (a closed stderr) tracing would say so with eprintln!, which
        // panics there too; a log line that cannot be written is simply lost.
        .log_internal_errors(false)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            jobrun_cli::output::say_err(&format!("jobrun: cannot start the async runtime: {e}"));
            return jobrun_cli::output::Exit::Failure.into();
        }
    };
    runtime.block_on(jobrun_cli::run(cli)).into()
}

fn yaserde_off() -> tracing_subscriber::filter::Directive {
    match "yaserde=off".parse() {
        Ok(directive) => directive,
        // A constant that parses; should it ever not, keep every log off rather than risk one.
        Err(_) => tracing_subscriber::filter::LevelFilter::OFF.into(),
    }
}
