//! Generating a document as a user does: the release `clientgen` command, as a whole process
//! (start, reading, parsing, generating, writing the crate, exit), into a fresh directory
//! under `target/bench/cli/` each run.

use std::path::Path;

use super::measure::{self, median, mib};
use crate::codegen::{ADYEN_SPEC, BOX_OVERLAY, BOX_SPEC, DISCORD_SPEC};

/// Runs of each document; the report gives their median.
const RUNS: usize = 10;

/// A document to generate, with the arguments a user gives `clientgen` for it.
struct Document {
    label: &'static str,
    spec: &'static str,
    overlays: &'static [&'static str],
    /// The output directory, relative to the workspace; the crate is named after it.
    out: &'static str,
}

const DOCUMENTS: [Document; 3] = [
    Document {
        label: "Box's whole document",
        spec: BOX_SPEC,
        overlays: &[BOX_OVERLAY],
        out: "target/bench/cli/box-api",
    },
    Document {
        label: "Discord's whole document (3.1)",
        spec: DISCORD_SPEC,
        overlays: &[],
        out: "target/bench/cli/discord-api",
    },
    Document {
        label: "Adyen's Checkout document (3.1)",
        spec: ADYEN_SPEC,
        overlays: &[],
        out: "target/bench/cli/adyen-checkout-api",
    },
];

/// Builds `clientgen` in release mode and reports, per document, the median wall time, CPU
/// time and peak memory of generating it.
pub(crate) fn run(root: &Path) -> Result<(), String> {
    let build = [
        "build",
        "--release",
        "--quiet",
        "--package",
        "clientgen-cli",
    ];
    crate::cargo(root, &build, &[])?;
    let program = root
        .join("target/release")
        .join(format!("clientgen{}", std::env::consts::EXE_SUFFIX));
    println!(
        "whole-process generation by `clientgen` (release), median of {RUNS} runs \
         (load average {}):",
        measure::load_average()
    );
    for document in &DOCUMENTS {
        let samples = (0..RUNS)
            .map(|_| generate(root, &program, document))
            .collect::<Result<Vec<_>, _>>()?;
        let sample = median(&samples);
        let cpu = sample
            .cpu
            .map_or("n/a".to_owned(), |cpu| format!("{:.0} ms", cpu * 1000.0));
        // The fastest run is the one the rest of the machine disturbed least.
        let fastest = samples
            .iter()
            .map(|sample| sample.seconds)
            .fold(f64::INFINITY, f64::min);
        println!(
            "  {:<38} {:>5.0} ms wall (fastest {:.0}), {cpu} CPU, peak {}",
            document.label,
            sample.seconds * 1000.0,
            fastest * 1000.0,
            mib(sample.peak_kib)
        );
    }
    Ok(())
}

/// One run of `clientgen` on `document`, into a directory it creates.
fn generate(root: &Path, program: &Path, document: &Document) -> Result<measure::Sample, String> {
    let out = root.join(document.out);
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("error: {}: {e}", out.display()))?;
    }
    let mut args = vec!["--spec", document.spec, "--out", document.out, "--quiet"];
    for overlay in document.overlays {
        args.extend(["--overlay", overlay]);
    }
    measure::timed(root, program, &args, &[])
}
