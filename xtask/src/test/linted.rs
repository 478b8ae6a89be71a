//! The build that serves both clippy and the tests. `cargo clippy` and `cargo test` would each
//! compile the whole workspace, one to check it and one to build it; here clippy's driver,
//! given to cargo as its workspace wrapper, lints the workspace's code as it compiles it for
//! the tests. Dependencies are compiled by plain rustc, as under `cargo clippy`.

use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use serde::Deserialize;

use super::DENY_DOC_WARNINGS;

/// Every target of the workspace except Box's whole API, which has no tests and is built
/// with every feature by the features step; the tests use it with the few features the
/// README's examples call, which is all they compile of it. The generator's `build` feature
/// (and `files`, which it enables) is on, so its I/O modules are linted and tested too. The
/// generated crates keep their default features: they are built as their users get them,
/// each type deriving serde only the way it travels, except where the tests ask for
/// `full-serde` to round-trip values (which proves that feature too).
const SELECTION: [&str; 6] = [
    "--workspace",
    "--features",
    "clientgen/build",
    "--exclude",
    "box-api",
    "--quiet",
];

/// A `cargo test` whose workspace crates clippy's driver compiles.
pub(crate) struct LintedBuild {
    env: Vec<(&'static str, OsString)>,
}

impl LintedBuild {
    /// Finds clippy's driver in the toolchain that runs xtask.
    pub(crate) fn new() -> Result<Self, String> {
        let driver = clippy_driver()?;
        let (key, value) = DENY_DOC_WARNINGS;
        Ok(Self {
            env: vec![("RUSTC_WORKSPACE_WRAPPER", driver), (key, value.into())],
        })
    }

    /// Builds every target (benches and examples included, as `cargo clippy --all-targets`
    /// checks them), failing on any warning rustc or clippy gives.
    pub(crate) fn build(&self, root: &Path) -> Result<(), String> {
        let mut args = vec!["test", "--no-run", "--all-targets"];
        args.extend(SELECTION);
        args.push("--message-format=json");
        let warnings = self.run_counting_warnings(root, &args)?;
        match warnings {
            0 => Ok(()),
            n => Err(format!(
                "error: {n} warning(s) from rustc or clippy; none are allowed"
            )),
        }
    }

    /// Runs the tests and doc tests the build made (the fixture crates have none: `tests`
    /// tests them), with the same wrapper, so nothing is compiled again.
    pub(crate) fn test(&self, root: &Path) -> Result<(), String> {
        let mut args = vec!["test"];
        args.extend(SELECTION);
        args.extend(["--exclude", "fixture-*"]);
        crate::cargo(root, &args, &self.env())
    }

    fn env(&self) -> Vec<(&str, &OsStr)> {
        self.env
            .iter()
            .map(|(key, value)| (*key, value.as_os_str()))
            .collect()
    }

    /// Runs cargo with JSON messages, prints each compiler message as cargo would have, and
    /// returns how many were warnings or errors (cargo replays those of crates it did not
    /// compile again, so a rerun counts them too).
    fn run_counting_warnings(&self, root: &Path, args: &[&str]) -> Result<usize, String> {
        let program = crate::cargo_program();
        let cargo = program.display();
        let mut child = Command::new(&program)
            .args(args)
            .current_dir(root)
            .envs(self.env())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|error| format!("error: cannot run `{cargo}`: {error}"))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut warnings = 0;
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|error| format!("error: reading cargo's output: {error}"))?;
            let Some(diagnostic) = compiler_message(&line) else {
                continue;
            };
            if let Some(rendered) = &diagnostic.rendered {
                eprint!("{rendered}");
            }
            warnings += usize::from(diagnostic.is_warning_or_error());
        }
        let status = child
            .wait()
            .map_err(|error| format!("error: waiting for `{cargo}`: {error}"))?;
        if !status.success() {
            return Err(format!(
                "error: `cargo {}` failed ({status})",
                args.join(" ")
            ));
        }
        Ok(warnings)
    }
}

/// One line of cargo's JSON output, as far as this module reads it.
#[derive(Deserialize)]
struct CargoMessage {
    reason: String,
    message: Option<Diagnostic>,
}

/// A compiler's diagnostic.
#[derive(Deserialize)]
struct Diagnostic {
    level: String,
    rendered: Option<String>,
}

impl Diagnostic {
    fn is_warning_or_error(&self) -> bool {
        self.level == "warning" || self.level.starts_with("error")
    }
}

/// The diagnostic a line of cargo's JSON output carries, if it is a compiler message.
fn compiler_message(line: &str) -> Option<Diagnostic> {
    let message: CargoMessage = serde_json::from_str(line).ok()?;
    (message.reason == "compiler-message")
        .then_some(message.message)
        .flatten()
}

/// The `clippy-driver` of the toolchain whose `rustc` is in use (`$RUSTC`, or the one on the
/// path): the one `cargo clippy` itself runs.
fn clippy_driver() -> Result<OsString, String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .map_err(|error| format!("error: cannot run rustc: {error}"))?;
    let sysroot = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let name = format!("clippy-driver{}", std::env::consts::EXE_SUFFIX);
    let driver = Path::new(&sysroot).join("bin").join(&name);
    if driver.is_file() {
        Ok(driver.into_os_string())
    } else {
        Err(format!(
            "error: {} is missing: add clippy to the toolchain (`rustup component add clippy`)",
            driver.display()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::compiler_message;

    #[test]
    fn warnings_and_errors_are_counted_and_other_messages_are_not() {
        let message = |level: &str| {
            format!(
                r#"{{"reason":"compiler-message","package_id":"x","message":{{"level":"{level}","rendered":"{level}: text\n","code":null}}}}"#
            )
        };
        for level in ["warning", "error", "error: internal compiler error"] {
            let diagnostic = compiler_message(&message(level)).expect(level);
            assert!(diagnostic.is_warning_or_error(), "{level}");
        }
        for level in ["note", "help", "failure-note"] {
            let diagnostic = compiler_message(&message(level)).expect(level);
            assert!(!diagnostic.is_warning_or_error(), "{level}");
        }
        let artifact = r#"{"reason":"compiler-artifact","package_id":"x"}"#;
        assert!(compiler_message(artifact).is_none());
        assert!(compiler_message("not json").is_none());
    }
}
