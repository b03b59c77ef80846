//! `jobrun-bench`: how much CPU, memory, sockets and vendor budget jobrun's trocco client
//! spends, measured against the trocco simulator running in its own process, each figure
//! beside a baseline measured in the same run. Run it with `cargo xtask bench [--quick]`.
//!
//! It prints a header (date, machine, build profile, git commit) and one markdown table:
//!
//! 1. client CPU per status read: `TroccoClient::job` against bare reqwest + serde on one
//!    kept-alive loopback connection, interleaved rounds in a child process;
//! 2. fleets of concurrent trigger-and-waits (1,000 / 10,000 / 100,000; `--quick`: 200 /
//!    1,000 / 2,000), each in a fresh child process: peak RSS against the same child with no
//!    waits, CPU, requests per job against fixed polling, detection lag, open sockets;
//! 3. a tight rate budget (trocco's 3,500 calls per 10 minutes, scaled down in time): 429s
//!    at the simulator and at the client;
//! 4. the simulator's own ceiling in status reads per second;
//! 5. decoding a status document into the generated type against `serde_json::Value`.
//!
//! Parent and children talk over stdin/stdout, one JSON object per line. The hidden
//! subcommands (`serve`, `fleet`, `cpu`) are those children. Linux only: it reads `/proc` and
//! `getrusage`.

mod clients;
mod cpu;
mod fleet;
mod measure;
mod report;
mod run;
mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Benchmarks jobrun's trocco client against the trocco simulator; prints one markdown table.
#[derive(Parser, Debug)]
#[command(name = "jobrun-bench", version)]
struct Cli {
    /// A smoke run: small fleets and short rounds (about a minute); no targets enforced.
    #[arg(long)]
    quick: bool,
    #[command(subcommand)]
    child: Option<Child>,
}

/// The child processes the top-level run starts; not meant to be run by hand.
#[derive(Subcommand, Debug)]
enum Child {
    /// Serves the trocco simulator; prints its base URL, answers `stats` on stdin.
    #[command(hide = true)]
    Serve(serve::Args),
    /// Runs one fleet of trigger-and-waits; prints one JSON result line.
    #[command(hide = true)]
    Fleet(fleet::Args),
    /// Compares client CPU per status read, facade against bare reqwest + serde.
    #[command(hide = true)]
    Cpu(cpu::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.child {
        None => run::run(cli.quick),
        Some(Child::Serve(args)) => serve::serve(&args).map(|()| true),
        Some(Child::Fleet(args)) => fleet::fleet(&args).map(|()| true),
        Some(Child::Cpu(args)) => cpu::cpu(&args).map(|()| true),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("jobrun-bench: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
