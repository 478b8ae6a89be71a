//! `cargo xtask test`: everything CI proves, in one command: generated code is fresh,
//! formatted, warning-free and clippy-clean, its docs build without broken links, the tests
//! pass, and a client for Box's whole API, generated outside the workspace, builds on its own
//! without warnings.

use std::ffi::OsStr;
use std::path::Path;

use crate::codegen::{project_root, BOX_OVERLAY, BOX_SPEC};
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
    step(
        "Box's whole API builds, outside the workspace, clippy-clean",
        || whole_box_api(&root),
    )?;
    step("tests", || {
        cargo(&root, &["test", "--workspace"], &deny_doc_warnings)
    })
}

fn step(name: &str, action: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    eprintln!("==> {name}");
    action().map_err(|message| format!("{message}\nerror: step failed: {name}"))
}

/// Generates a client for Box's whole API (every path of its document, with the overlay
/// box-auth uses) into a temporary directory outside this workspace and runs clippy on it
/// with warnings denied. That proves two things at once: the generator copes with a large
/// real document, and a generated crate depends on nothing but crates.io. It reuses this
/// workspace's lock file and a target directory under `target/`, so a rerun rebuilds only the
/// generated crate.
fn whole_box_api(root: &Path) -> Result<(), String> {
    let out = std::env::temp_dir().join(format!("box-api-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let mut codegen = Codegen::one_spec(root.join(BOX_SPEC), out.clone(), "box-api");
    if let Some(custom) = &mut codegen.custom {
        custom.overlays = vec![root.join(BOX_OVERLAY)];
    }
    crate::codegen::run(&codegen)?;
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
