//! `cargo xtask test`: everything CI proves, in one command: generated code is fresh,
//! formatted, warning-free and clippy-clean, its docs build without broken links, the tests
//! pass, and a crate generated outside the workspace builds on its own without warnings.

use std::ffi::OsStr;
use std::path::Path;

use crate::codegen::project_root;
use crate::{cargo, Codegen};

/// Runs each step in order and stops at the first that fails.
pub(crate) fn run() -> Result<(), String> {
    let root = project_root();
    step("generated code is fresh", || {
        crate::codegen::run(&Codegen {
            check: true,
            custom: None,
        })
    })?;
    let deny_doc_warnings = [("RUSTDOCFLAGS", OsStr::new("-D warnings"))];
    step("formatting", || {
        cargo(&root, &["fmt", "--all", "--check"], &[])
    })?;
    step("clippy, warnings denied", || {
        let args = [
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ];
        cargo(&root, &args, &[])
    })?;
    step("docs build without warnings (no broken links)", || {
        let args = ["doc", "--workspace", "--no-deps", "--quiet"];
        cargo(&root, &args, &deny_doc_warnings)
    })?;
    step("a generated crate builds outside the workspace", || {
        standalone_build(&root)
    })?;
    step("tests", || {
        cargo(&root, &["test", "--workspace"], &deny_doc_warnings)
    })
}

fn step(name: &str, action: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    eprintln!("==> {name}");
    action().map_err(|message| format!("{message}\nerror: step failed: {name}"))
}

/// Generates box-auth into a temporary workspace outside this one and runs clippy on it
/// with warnings denied, proving the crate depends on nothing but crates.io. It reuses this
/// workspace's lock file and a target directory under `target/`, so it rebuilds little.
/// (Fixture crates are workspace members, so the clippy step already checks them.)
fn standalone_build(root: &Path) -> Result<(), String> {
    let out = std::env::temp_dir().join(format!("box-auth-standalone-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let spec = root.join("spec/box-auth.yaml");
    crate::codegen::run(&Codegen::one_spec(spec, out.clone(), "box-auth"))?;
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|error| format!("error: cannot copy Cargo.lock: {error}"))?;
    let target = root.join("target").join("standalone");
    let checked = cargo(
        &out,
        &["clippy", "--quiet", "--", "-D", "warnings"],
        &[("CARGO_TARGET_DIR", target.as_os_str())],
    );
    let _ = std::fs::remove_dir_all(&out);
    checked
}
