//! What compiling Box's whole API costs its users: `cargo check` of `box-api` alone
//! (dependencies built, the crate touched so that cargo checks it and only it, not
//! incremental) with its default features (every tag, each type deriving serde one way) and with `files` alone, against issue 14's baseline
//! (`box-api-before`, see [`super::baseline`]), runs of each interleaved so that the machine's
//! noise hits them all alike.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::baseline;
use super::measure::{self, median, mib, Sample};

/// Timed checks of each crate; the report gives their medians.
const RUNS: usize = 3;
/// Issue 14's targets: the whole crate's check time at most this share of the baseline's, and
/// the Files tag alone at most this share of the whole crate's.
const WHOLE_TARGET: f64 = 0.70;
const FILES_TARGET: f64 = 0.10;

/// `cargo check` of one package of one workspace, with some features.
pub(crate) struct Check {
    /// What the report calls it.
    pub(crate) label: &'static str,
    /// The workspace the package belongs to.
    pub(crate) workspace: PathBuf,
    /// The package's directory, relative to the workspace.
    pub(crate) dir: &'static str,
    /// The package's name.
    pub(crate) package: &'static str,
    /// Feature arguments for cargo.
    pub(crate) features: &'static [&'static str],
    /// The target directory, when it is not the workspace's own.
    pub(crate) target_dir: Option<PathBuf>,
}

impl Check {
    /// Builds what the package depends on, so that the timed runs check the package alone.
    pub(crate) fn warm(&self) -> Result<(), String> {
        crate::cargo(&self.workspace, &self.args(), &self.env())
    }

    /// Touches the package's `lib.rs` and times one check of it.
    pub(crate) fn time(&self) -> Result<Sample, String> {
        let lib = self.workspace.join(self.dir).join("src/lib.rs");
        let text = std::fs::read(&lib).map_err(|e| format!("error: {}: {e}", lib.display()))?;
        std::fs::write(&lib, text).map_err(|e| format!("error: {}: {e}", lib.display()))?;
        measure::timed(
            &self.workspace,
            &crate::cargo_program(),
            &self.args(),
            &self.env(),
        )
    }

    fn args(&self) -> Vec<&str> {
        let mut args = vec!["check", "--quiet", "--package", self.package];
        args.extend(self.features);
        args
    }

    /// Not incremental, and the target directory, if any.
    fn env(&self) -> Vec<(&str, &OsStr)> {
        let mut env = vec![("CARGO_INCREMENTAL", OsStr::new("0"))];
        if let Some(target_dir) = &self.target_dir {
            env.push(("CARGO_TARGET_DIR", target_dir.as_os_str()));
        }
        env
    }
}

/// Reports box-api's size and its check times and peak memory, with the targets' ratios.
pub(crate) fn run(root: &Path) -> Result<(), String> {
    println!("generated/box-api: {} lines of Rust", box_api_lines(root));
    let box_api = |label, features| Check {
        label,
        workspace: root.to_owned(),
        dir: "generated/box-api",
        package: "box-api",
        features,
        target_dir: None,
    };
    let files = box_api(
        "files alone",
        &["--no-default-features", "--features", "files"],
    );
    let whole = box_api("every tag", &[]);
    let before = baseline::prepare(root)?;
    println!(
        "cargo check, median of {RUNS} interleaved runs (load average now {}):",
        measure::load_average()
    );
    let checks: Vec<&Check> = [Some(&files), Some(&whole), before.as_ref()]
        .into_iter()
        .flatten()
        .collect();
    let samples = interleaved(&checks)?;
    let medians: Vec<Sample> = samples.iter().map(|samples| median(samples)).collect();
    for ((check, sample), samples) in checks.iter().zip(&medians).zip(&samples) {
        print_check(check, sample, samples);
    }
    print_ratio(
        "files alone / every tag",
        &medians[0],
        &medians[1],
        FILES_TARGET,
    );
    if let Some(before) = medians.get(2) {
        print_ratio("every tag / before", &medians[1], before, WHOLE_TARGET);
    }
    Ok(())
}

/// The lines of box-api's Rust files, as issue 14 counts them.
fn box_api_lines(root: &Path) -> usize {
    let dir = root.join("generated/box-api/src");
    ["types.rs", "client.rs", "operations.rs", "lib.rs"]
        .iter()
        .filter_map(|file| std::fs::read_to_string(dir.join(file)).ok())
        .map(|text| text.lines().count())
        .sum()
}

/// The samples of each check, after warming them all up, timed in turns.
fn interleaved(checks: &[&Check]) -> Result<Vec<Vec<Sample>>, String> {
    for check in checks {
        check.warm()?;
    }
    let mut samples = vec![Vec::with_capacity(RUNS); checks.len()];
    for _ in 0..RUNS {
        for (check, samples) in checks.iter().zip(&mut samples) {
            samples.push(check.time()?);
        }
    }
    Ok(samples)
}

/// A check's median, with the spread of its runs, which says how far to trust it.
fn print_check(check: &Check, median: &Sample, samples: &[Sample]) {
    let seconds = samples.iter().map(|sample| sample.seconds);
    let fastest = seconds.clone().fold(f64::INFINITY, f64::min);
    let slowest = seconds.fold(0.0, f64::max);
    println!(
        "  cargo check -p {:<14} {:<13}: {:>5.1} s ({fastest:.1}-{slowest:.1} s), peak {}",
        check.package,
        check.label,
        median.seconds,
        mib(median.peak_kib),
    );
}

fn print_ratio(label: &str, part: &Sample, whole: &Sample, target: f64) {
    let ratio = part.seconds / whole.seconds;
    let verdict = if ratio <= target { "met" } else { "not met" };
    println!(
        "  {label}: {:.0} % (target at most {:.0} %: {verdict})",
        ratio * 100.0,
        target * 100.0
    );
}
