//! `cargo xtask test`: everything CI proves, in one command: generated code is fresh,
//! formatted, warning-free and clippy-clean, the tests pass, and a crate generated outside
//! the workspace builds on its own.

use std::path::Path;
use std::process::Command;

use crate::codegen::project_root;
use crate::Codegen;

/// Runs each step in order and stops at the first that fails.
pub(crate) fn run() -> Result<(), String> {
    let root = project_root();
    step("generated code is fresh", || {
        crate::codegen::run(&Codegen {
            check: true,
            custom: None,
        })
    })?;
    step("formatting", || cargo(&root, &["fmt", "--all", "--check"]))?;
    step("clippy, warnings denied", || {
        cargo(
            &root,
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        )
    })?;
    step("a generated crate builds outside the workspace", || {
        standalone_build(&root)
    })?;
    step("tests", || cargo(&root, &["test", "--workspace"]))
}

fn step(name: &str, action: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    eprintln!("==> {name}");
    action().map_err(|message| format!("{message}\nerror: step failed: {name}"))
}

fn cargo(dir: &Path, args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(&cargo)
        .args(args)
        .current_dir(dir)
        .env("RUSTDOCFLAGS", "-D warnings")
        .status()
        .map_err(|error| format!("error: cannot run `{cargo}`: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "error: `cargo {}` failed ({status})",
            args.join(" ")
        ))
    }
}

/// Generates box-auth into a directory outside the workspace and builds it there with
/// `-D warnings`, proving the crate depends on nothing but crates.io. It reuses the
/// workspace's lock file and a target directory under `target/`, so it rebuilds little.
fn standalone_build(root: &Path) -> Result<(), String> {
    let out = std::env::temp_dir().join(format!("box-auth-standalone-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    crate::codegen::run(&Codegen {
        check: false,
        custom: Some(crate::CustomTarget {
            spec: root.join("spec/box-auth.yaml"),
            out: out.clone(),
            crate_name: Some("box-auth".to_owned()),
        }),
    })?;
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|error| format!("error: cannot copy Cargo.lock: {error}"))?;
    let target = root.join("target").join("standalone");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(&cargo)
        .args(["build", "--quiet"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .status()
        .map_err(|error| format!("error: cannot run `{cargo}`: {error}"))?;
    let _ = std::fs::remove_dir_all(&out);
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "error: the standalone crate did not build ({status})"
        ))
    }
}
