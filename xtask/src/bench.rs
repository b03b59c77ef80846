//! `cargo xtask bench [--quick]`: builds `jobrun-bench` and runs it, streaming its output.
//!
//! The full run builds with `--release`; `--quick` uses the dev profile, so a CI smoke run
//! reuses the debug build of the test step. The binary is found where cargo puts it,
//! `<target dir>/<profile dir>/jobrun-bench`, with `CARGO_TARGET_DIR` honoured. Nothing here
//! depends on the jobrun crates, so the xtask builds even when `generated/` does not.

use std::{
    ffi::OsString,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, Result, bail};

/// What `cargo xtask bench …` will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bench {
    /// A smoke run (dev profile, small sizes).
    pub quick: bool,
    /// Arguments of `cargo` that build the binary.
    pub build: Vec<String>,
    /// The binary that build leaves behind.
    pub binary: PathBuf,
    /// Arguments of the binary.
    pub args: Vec<String>,
}

/// Reads the arguments after `bench`. `target_dir` is `CARGO_TARGET_DIR` as set (relative
/// paths count from `cwd`, as cargo reads them); without it, `root/target`.
pub fn plan(args: &[&str], root: &Path, target_dir: Option<OsString>, cwd: &Path) -> Result<Bench> {
    let quick = match args {
        [] => false,
        ["--quick"] => true,
        other => bail!("unexpected arguments {other:?}: expected `cargo xtask bench [--quick]`"),
    };
    let target = match target_dir.filter(|dir| !dir.is_empty()) {
        Some(dir) => cwd.join(dir),
        None => root.join("target"),
    };
    let mut build: Vec<String> = [
        "build",
        "--manifest-path",
        &root.join("Cargo.toml").to_string_lossy(),
        "-p",
        "jobrun-bench",
        "--bin",
        "jobrun-bench",
    ]
    .map(str::to_owned)
    .to_vec();
    if !quick {
        build.push("--release".to_owned());
    }
    let profile_dir = if quick { "debug" } else { "release" };
    Ok(Bench {
        quick,
        build,
        binary: target
            .join(profile_dir)
            .join(format!("jobrun-bench{}", std::env::consts::EXE_SUFFIX)),
        args: if quick {
            vec!["--quick".to_owned()]
        } else {
            Vec::new()
        },
    })
}

/// Builds, then runs the bench from `root` (it names the checked-out commit). `Ok(false)`
/// when the bench itself reports failure.
pub fn run(bench: &Bench, root: &Path) -> Result<bool> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let built = Command::new(&cargo)
        .args(&bench.build)
        .status()
        .with_context(|| format!("cannot run {}", Path::new(&cargo).display()))?;
    if !built.success() {
        bail!("building jobrun-bench failed ({built})");
    }
    let status = Command::new(&bench.binary)
        .args(&bench.args)
        .current_dir(root)
        .status()
        .with_context(|| format!("cannot run {}", bench.binary.display()))?;
    Ok(status.success())
}
