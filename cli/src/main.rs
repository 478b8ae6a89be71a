//! `clientgen`: generates a typed Rust client crate from an OpenAPI document. A thin shell of
//! argument parsing and printing around the `clientgen` library's `jobs`, which generate the
//! whole crate in memory before swapping it into place.

mod args;

use std::process::ExitCode;

use clap::Parser;
use clientgen::jobs;

use crate::args::{Args, Verbosity};

/// Generating a large document allocates and frees millions of small token trees and strings,
/// which mimalloc serves faster than the system allocator, on every printing thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Generates the crate the arguments describe, then writes or checks it.
fn run(args: &Args) -> Result<(), String> {
    let job = args.job();
    let report = jobs::run(std::slice::from_ref(&job), args.mode(), args.warnings())?;
    if args.verbosity() == Verbosity::Normal {
        for warning in &report.warnings {
            eprintln!("{warning}");
        }
        for dir in &report.updated {
            eprintln!("updated {}", dir.display());
        }
    }
    if report.stale.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{}\n\nerror: generated code is stale; run `{}` to update it",
        report.stale.join("\n"),
        job.config.generated_by
    ))
}
