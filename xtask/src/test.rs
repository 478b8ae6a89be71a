//! `cargo xtask test`: everything CI proves, in one command: generated code is fresh,
//! formatted, warning-free and clippy-clean, the tests pass, and a crate generated outside
//! the workspace builds on its own without warnings.

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
    step(
        "generated crates build outside the workspace, fixtures included",
        || standalone_build(&root),
    )?;
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

/// Generates box-auth into a temporary workspace outside this one and runs clippy on it
/// with warnings denied, proving the crate depends on nothing but crates.io. It reuses this
/// workspace's lock file and a target directory under `target/`, so it rebuilds little.
/// (Fixture crates are workspace members, so the clippy step already checks them.)
fn standalone_build(root: &Path) -> Result<(), String> {
    let out = std::env::temp_dir().join(format!("clientgen-standalone-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let specs = [("box-auth".to_owned(), root.join("spec/box-auth.yaml"))];
    for (crate_name, spec) in &specs {
        crate::codegen::run(&Codegen {
            check: false,
            custom: Some(crate::CustomTarget {
                spec: spec.clone(),
                out: out.join(crate_name),
                crate_name: Some(crate_name.clone()),
                selection: clientgen::Selection::default(),
            }),
        })?;
    }
    let members: Vec<String> = specs.iter().map(|(name, _)| format!("{name:?}")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    let written = std::fs::write(out.join("Cargo.toml"), manifest)
        .and_then(|()| std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).map(drop));
    written.map_err(|error| format!("error: cannot set up {}: {error}", out.display()))?;
    let target = root.join("target").join("standalone");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(&cargo)
        .args(["clippy", "--quiet", "--workspace", "--", "-D", "warnings"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .map_err(|error| format!("error: cannot run `{cargo}`: {error}"))?;
    let _ = std::fs::remove_dir_all(&out);
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "error: the standalone crates did not pass clippy ({status})"
        ))
    }
}
