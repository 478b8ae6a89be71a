//! Timing one command: its wall time, and its CPU time and peak memory from GNU `time`, where
//! there is one; and the medians of several such samples.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// What one run of a command cost.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sample {
    /// Wall time, in seconds.
    pub(crate) seconds: f64,
    /// User and system CPU time, in seconds.
    pub(crate) cpu: Option<f64>,
    /// Peak resident memory, in KiB.
    pub(crate) peak_kib: Option<u64>,
}

/// Runs `program` with `args` in `dir` (with `env`), through GNU `time` when it is there, and
/// fails with its error output when it fails.
pub(crate) fn timed(
    dir: &Path,
    program: &Path,
    args: &[&str],
    env: &[(&str, &OsStr)],
) -> Result<Sample, String> {
    let gnu_time = Path::new("/usr/bin/time");
    let mut command = if gnu_time.exists() {
        let mut command = Command::new(gnu_time);
        command.args(["-f", "measured: %M %U %S"]).arg(program);
        command
    } else {
        Command::new(program)
    };
    command
        .current_dir(dir)
        .args(args)
        .envs(env.iter().copied());
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|error| format!("error: cannot run {}: {error}", program.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "error: `{} {}` failed:\n{stderr}",
            program.display(),
            args.join(" ")
        ));
    }
    let measured: Vec<&str> = stderr
        .lines()
        .find_map(|line| line.strip_prefix("measured: "))
        .map(|line| line.split_whitespace().collect())
        .unwrap_or_default();
    let number = |index: usize| measured.get(index)?.parse::<f64>().ok();
    Ok(Sample {
        seconds,
        cpu: number(1).zip(number(2)).map(|(user, system)| user + system),
        peak_kib: measured.first().and_then(|kib| kib.parse().ok()),
    })
}

/// The median of each measure of `samples` (the upper one of an even count).
pub(crate) fn median(samples: &[Sample]) -> Sample {
    Sample {
        seconds: middle(samples.iter().map(|sample| sample.seconds)).unwrap_or(f64::NAN),
        cpu: middle(samples.iter().filter_map(|sample| sample.cpu)),
        peak_kib: middle(
            samples
                .iter()
                .filter_map(|sample| sample.peak_kib.map(|k| k as f64)),
        )
        .map(|kib| kib as u64),
    }
}

fn middle(values: impl Iterator<Item = f64>) -> Option<f64> {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied()
}

/// A peak as a reader takes it in: MiB, or `n/a`.
pub(crate) fn mib(peak_kib: Option<u64>) -> String {
    peak_kib.map_or("n/a".to_owned(), |kib| {
        format!("{:.0} MiB", kib as f64 / 1024.0)
    })
}

/// The machine's load average over the last minute, which says how far to trust wall times.
pub(crate) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "n/a".to_owned())
}
