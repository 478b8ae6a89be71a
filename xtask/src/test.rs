//! `cargo xtask test`: everything CI proves, in one command: generated code is fresh,
//! formatted, warning-free and clippy-clean, its docs build without broken links, the tests
//! pass, clients for the whole APIs of Box (OpenAPI 3.0), Discord and Adyen (3.1), generated
//! outside the workspace, build on their own without warnings, and so do the crates generated
//! from a sample of fuzzed documents.

use std::ffi::OsStr;
use std::path::Path;

use crate::codegen::{project_root, ADYEN_SPEC, BOX_OVERLAY, BOX_SPEC, DISCORD_SPEC};
use crate::{cargo, Codegen};

/// Runs each step in order and stops at the first that fails.
pub(crate) fn run() -> Result<(), String> {
    let root = project_root();
    step("generated code is fresh", || {
        crate::codegen::run(&Codegen {
            check: true,
            deny_warnings: false,
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
    for api in WHOLE_APIS {
        let name = format!(
            "{}'s whole API builds, outside the workspace, clippy-clean",
            api.vendor
        );
        step(&name, || whole_api(&root, api))?;
    }
    step("tests", || {
        // The fixture crates have no tests of their own; `tests` depends on them, so they are
        // still built, without an empty test and doc-test harness each.
        let args = ["test", "--workspace", "--exclude", "fixture-*"];
        cargo(&root, &args, &deny_doc_warnings)
    })?;
    step(
        "a sample of fuzzed documents compiles, clippy-clean",
        || fuzz_samples(&root),
    )
}

fn step(name: &str, action: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    eprintln!("==> {name}");
    action().map_err(|message| format!("{message}\nerror: step failed: {name}"))
}

/// A real document whose whole API `cargo xtask test` generates and builds.
struct WholeApi {
    /// Whose API it is, for the step's name.
    vendor: &'static str,
    spec: &'static str,
    overlays: &'static [&'static str],
    crate_name: &'static str,
}

/// Box's (OpenAPI 3.0, with the overlay box-auth uses), Discord's and Adyen's Checkout
/// (OpenAPI 3.1, as published).
const WHOLE_APIS: &[WholeApi] = &[
    WholeApi {
        vendor: "Box",
        spec: BOX_SPEC,
        overlays: &[BOX_OVERLAY],
        crate_name: "box-api",
    },
    WholeApi {
        vendor: "Discord",
        spec: DISCORD_SPEC,
        overlays: &[],
        crate_name: "discord-api",
    },
    WholeApi {
        vendor: "Adyen Checkout",
        spec: ADYEN_SPEC,
        overlays: &[],
        crate_name: "adyen-checkout-api",
    },
];

/// Generates a client for every path of `api`'s document into a directory outside this
/// workspace and runs clippy on it with warnings denied. That proves two things at once: the
/// generator copes with a large real document, and a generated crate depends on nothing but
/// crates.io. It reuses this workspace's lock file and target directory (whose dependencies
/// it mostly shares, which halves a cold run of this step). The directory is the same on
/// every run from this checkout, and the generator leaves unchanged files alone, so a rerun
/// with the same output checks nothing again.
fn whole_api(root: &Path, api: &WholeApi) -> Result<(), String> {
    let out = std::env::temp_dir().join(format!(
        "clientgen-{}-{:016x}",
        api.crate_name,
        checkout_id(root)
    ));
    let mut codegen = Codegen::one_spec(root.join(api.spec), out.clone(), api.crate_name);
    if let Some(custom) = &mut codegen.custom {
        custom.overlays = api.overlays.iter().map(|o| root.join(o)).collect();
    }
    crate::codegen::run(&codegen)?;
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|error| format!("error: cannot copy Cargo.lock: {error}"))?;
    let target = root.join("target");
    cargo(
        &out,
        &["clippy", "--quiet", "--", "-D", "warnings"],
        &[("CARGO_TARGET_DIR", target.as_os_str())],
    )
}

/// A number that tells this checkout's directory from another's, so that two checkouts
/// testing at once do not share a directory.
fn checkout_id(root: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    root.hash(&mut hasher);
    hasher.finish()
}

/// Builds, with clippy and warnings denied, the crates the fuzz test generated from a fixed
/// sample of documents into `target/fuzz-samples/` (it runs in the step before), so that for
/// them "generates" is checked to mean "compiles".
fn fuzz_samples(root: &Path) -> Result<(), String> {
    let samples = root.join("target").join("fuzz-samples");
    if !samples.join("Cargo.toml").exists() {
        return Err(format!(
            "error: {} holds no samples; the fuzz test writes them",
            samples.display()
        ));
    }
    std::fs::copy(root.join("Cargo.lock"), samples.join("Cargo.lock"))
        .map_err(|error| format!("error: cannot copy Cargo.lock: {error}"))?;
    let target = root.join("target");
    cargo(
        &samples,
        &["clippy", "--quiet", "--workspace", "--", "-D", "warnings"],
        &[("CARGO_TARGET_DIR", target.as_os_str())],
    )
}
