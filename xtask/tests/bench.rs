//! `cargo xtask bench` builds the right profile and finds the binary where cargo puts it.

use std::path::Path;

use xtask::bench::plan;

#[test]
fn the_full_run_builds_release_and_the_quick_one_reuses_the_debug_build() {
    let root = Path::new("/repo");
    let full = plan(&[], root, None, Path::new("/elsewhere")).expect("full");
    assert!(!full.quick);
    assert!(full.build.contains(&"--release".to_owned()));
    assert_eq!(full.binary, root.join("target/release/jobrun-bench"));
    assert!(full.args.is_empty());

    let quick = plan(&["--quick"], root, None, Path::new("/elsewhere")).expect("quick");
    assert!(!quick.build.contains(&"--release".to_owned()));
    assert_eq!(quick.binary, root.join("target/debug/jobrun-bench"));
    assert_eq!(quick.args, ["--quick"]);
    assert!(quick.build.windows(2).any(|w| w == ["-p", "jobrun-bench"]));
}

#[test]
fn cargo_target_dir_is_honoured_relative_to_where_cargo_runs() {
    let root = Path::new("/repo");
    let cwd = Path::new("/work");
    let absolute = plan(&["--quick"], root, Some("/tmp/t".into()), cwd).expect("absolute");
    assert_eq!(absolute.binary, Path::new("/tmp/t/debug/jobrun-bench"));
    let relative = plan(&[], root, Some("out".into()), cwd).expect("relative");
    assert_eq!(relative.binary, Path::new("/work/out/release/jobrun-bench"));
    let empty = plan(&[], root, Some("".into()), cwd).expect("empty means unset");
    assert_eq!(empty.binary, root.join("target/release/jobrun-bench"));
}

#[test]
fn anything_else_is_refused_with_the_usage() {
    let err = plan(&["--fast"], Path::new("/repo"), None, Path::new("/"))
        .expect_err("unknown flag")
        .to_string();
    assert!(err.contains("cargo xtask bench [--quick]"), "{err}");
}
