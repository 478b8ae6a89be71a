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

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "openapi: 3.0.3\ninfo: {title: Good, version: '1'}\npaths: {}\n";
    const LENIENT: &str = "openapi: 3.0.3\ninfo: {title: Lenient, version: '1'}\npaths: {}\n\
                           components: {schemas: {A: {type: object, required: [ghost], \
                           properties: {a: {type: string}}}}}\n";
    const BAD: &str = "openapi: 3.0.3\ninfo: {title: Bad, version: '1'}\npaths:\n  /a/{id}:\n    \
                       get: {responses: {'204': {description: Done.}}}\n";

    /// A job for `text`, written to `dir/NAME.yaml`, generating into `dir/NAME`.
    fn job(dir: &Path, name: &str, text: &str) -> Job {
        let spec = dir.join(format!("{name}.yaml"));
        std::fs::write(&spec, text).unwrap();
        Job {
            spec: Input::new(spec),
            overlays: Vec::new(),
            out: dir.join(name),
            config: Config::new(name),
        }
    }

    #[test]
    fn one_failing_job_leaves_every_output_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let jobs = [job(dir.path(), "good", GOOD), job(dir.path(), "bad", BAD)];
        let message = run(&jobs, Mode::Write, Warnings::Allow).unwrap_err();
        assert!(
            message.contains("bad.yaml: #/paths/~1a~1{id}/get"),
            "{message}"
        );
        assert!(!dir.path().join("good").exists(), "nothing is written");
    }

    #[test]
    fn warnings_are_reported_or_denied() {
        let dir = tempfile::tempdir().unwrap();
        let jobs = [job(dir.path(), "lenient", LENIENT)];
        let message = run(&jobs, Mode::Write, Warnings::Deny).unwrap_err();
        assert!(
            message.contains("1 warning(s) with `--deny-warnings`"),
            "{message}"
        );
        assert!(!dir.path().join("lenient").exists());

        let report = run(&jobs, Mode::Write, Warnings::Allow).unwrap();
        assert_eq!(report.warnings.len(), 1, "{report:?}");
        assert_eq!(report.updated, [dir.path().join("lenient")]);
        let again = run(&jobs, Mode::Check, Warnings::Allow).unwrap();
        assert!(
            again.updated.is_empty() && again.stale.is_empty(),
            "{again:?}"
        );
    }

    #[test]
    fn an_unreadable_spec_is_named() {
        let missing = Job {
            spec: Input::new("no/such/api.yaml"),
            overlays: Vec::new(),
            out: PathBuf::from("unused"),
            config: Config::new("missing"),
        };
        let message = missing.generate().unwrap_err();
        assert!(
            message.starts_with("error: no/such/api.yaml: cannot read it"),
            "{message}"
        );
    }

    #[test]
    fn the_default_crate_name_is_the_directory_s() {
        assert_eq!(default_crate_name(Path::new("out/pet-store")), "pet-store");
    }
}
