//! Generator runs on files: reading a spec and its overlays, generating every crate in memory,
//! then writing (or checking) them all, so that a failure anywhere leaves all output untouched.
//! The `clientgen` command and `cargo xtask codegen` are thin shells over [`run`].

use std::path::{Path, PathBuf};

use crate::files::{self, Mode, Synced};
use crate::{Config, Output, Overlay, Spec};

/// A file the generator reads, and the name diagnostics and headers give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Where the file is.
    pub path: PathBuf,
    /// How errors, warnings and the generated files' headers name it.
    pub label: String,
}

impl Input {
    /// A file named by its own path, as given on a command line.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let label = path.display().to_string();
        Self { path, label }
    }

    /// Reads the file as text.
    pub fn read(&self) -> Result<String, String> {
        std::fs::read_to_string(&self.path)
            .map_err(|error| format!("error: {}: cannot read it: {error}", self.label))
    }
}

/// One crate to generate: the spec and its overlays, where the crate goes and how it is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The OpenAPI document.
    pub spec: Input,
    /// Overlays applied to it, in order.
    pub overlays: Vec<Input>,
    /// The crate's directory.
    pub out: PathBuf,
    /// What to generate.
    pub config: Config,
}

impl Job {
    /// Reads the overlays and the spec, and generates the crate in memory. Every problem of
    /// every file is reported together.
    pub fn generate(&self) -> Result<Output, String> {
        let spec = self.load()?;
        crate::generate(&spec, &self.config).map_err(|errors| errors.to_string())
    }

    /// Reads and parses the overlays and the spec, with the overlays applied.
    pub fn load(&self) -> Result<Spec, String> {
        load(&self.spec, &self.overlays)
    }
}

/// Reads and parses `overlays` and `spec`, with the overlays applied to it. Every problem of
/// every file is reported together.
pub fn load(spec: &Input, overlays: &[Input]) -> Result<Spec, String> {
    let mut parsed = Vec::with_capacity(overlays.len());
    let mut problems = Vec::new();
    for input in overlays {
        match Overlay::parse(&input.label, &input.read()?) {
            Ok(overlay) => parsed.push(overlay),
            Err(errors) => problems.push(errors.to_string()),
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    Spec::parse_with_overlays(&spec.label, &spec.read()?, &parsed)
        .map_err(|errors| errors.to_string())
}

/// What a run makes of the generator's warnings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Warnings {
    /// Report them and write the output.
    #[default]
    Allow,
    /// Treat them as errors: nothing is written when the generator worked around anything.
    Deny,
}

/// What a successful [`run`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Every warning, as the text to show.
    pub warnings: Vec<String>,
    /// The directories that were replaced ([`Mode::Write`]).
    pub updated: Vec<PathBuf>,
    /// Every stale, missing or extra file, with a diff ([`Mode::Check`]).
    pub stale: Vec<String>,
}

/// Generates every job's crate in memory first, so that a failing spec leaves all output
/// untouched, then writes (or, in [`Mode::Check`], compares) them. Fails with every located
/// problem of the failing job, or with the warnings under [`Warnings::Deny`].
pub fn run(jobs: &[Job], mode: Mode, warnings: Warnings) -> Result<Report, String> {
    let mut outputs = Vec::with_capacity(jobs.len());
    let mut report = Report::default();
    for job in jobs {
        let output = job.generate()?;
        report
            .warnings
            .extend(output.warnings.iter().map(ToString::to_string));
        outputs.push(output.files);
    }
    if warnings == Warnings::Deny && !report.warnings.is_empty() {
        let count = report.warnings.len();
        return Err(format!(
            "{}\n\nerror: {count} warning(s) with `--deny-warnings`; nothing was written",
            report.warnings.join("\n")
        ));
    }
    for (job, files) in jobs.iter().zip(&outputs) {
        match files::sync_dir(&job.out, files, mode)? {
            Synced::Unchanged => {}
            Synced::Updated => report.updated.push(job.out.clone()),
            Synced::Stale(differences) => report.stale.extend(differences),
        }
    }
    Ok(report)
}

/// The name a crate generated into `out` takes when none is given: the directory's.
pub fn default_crate_name(out: &Path) -> String {
    out.file_name()
        .unwrap_or(out.as_os_str())
        .to_string_lossy()
        .into_owned()
}
