//! `cargo xtask codegen [--check]`, `cargo xtask conformance` and `cargo xtask bench [--quick]`:
//! see the library docs.

use std::{path::PathBuf, process::ExitCode};

/// Lines of each stale file's diff `codegen --check` prints.
const DIFF_LINES: usize = 120;
/// Stale files whose diff `codegen --check` prints.
const DIFF_FILES: usize = 8;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["codegen"] => xtask::write(&root).map(|written| {
            for path in &written {
                println!("wrote {}", path.display());
            }
            if written.is_empty() {
                println!("generated/ is up to date");
            }
            true
        }),
        ["codegen", "--check"] => xtask::check_diffs(&root, DIFF_LINES).map(|stale| {
            let mut shown = 0;
            for file in &stale {
                eprintln!("stale: {}", file.path.display());
                // The first files' diffs, up to a screenful or two each: enough to see what a
                // spec change did, not a CI log of megabytes.
                if shown < DIFF_FILES {
                    shown += 1;
                    eprint!("{}", file.diff);
                    if file.left_out > 0 {
                        eprintln!("… {} more line(s) of this diff left out", file.left_out);
                    }
                }
            }
            if stale.len() > shown {
                eprintln!(
                    "… the diffs of {} more stale file(s) left out",
                    stale.len() - shown
                );
            }
            if !stale.is_empty() {
                eprintln!(
                    "generated/ differs from what specs/ produce in {} file(s); run `cargo xtask codegen`",
                    stale.len()
                );
            }
            stale.is_empty()
        }),
        ["conformance"] => xtask::conformance(&root).map(|report| {
            for (spec, official, operations) in &report.checked {
                println!(
                    "{}: {operations} operation(s) compared with {}",
                    spec.display(),
                    official.display()
                );
            }
            for difference in &report.differences {
                eprintln!("differs: {difference}");
            }
            if !report.differences.is_empty() {
                eprintln!(
                    "{} difference(s) from the official spec(s)",
                    report.differences.len()
                );
            }
            report.differences.is_empty()
        }),
        ["bench", rest @ ..] => std::env::current_dir()
            .map_err(anyhow::Error::from)
            .and_then(|cwd| {
                xtask::bench::plan(rest, &root, std::env::var_os("CARGO_TARGET_DIR"), &cwd)
            })
            .and_then(|bench| xtask::bench::run(&bench, &root)),
        _ => {
            eprintln!(
                "usage: cargo xtask codegen [--check] | cargo xtask conformance | cargo xtask bench [--quick]"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
