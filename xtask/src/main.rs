//! `cargo xtask`: maintainer tasks for this workspace. A thin shell of argument parsing and
//! file I/O around the `clientgen` library.
//!
//! ```text
//! cargo xtask codegen [--check] [--deny-warnings]
//! cargo xtask codegen --spec FILE --out DIR [--crate-name NAME] [--check] [--deny-warnings]
//! cargo xtask test
//! cargo xtask bench
//! ```

mod bench;
mod codegen;
mod test;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "\
usage:
  cargo xtask codegen [--check] [--deny-warnings]
      Regenerates every crate under generated/ from its spec under spec/.
  cargo xtask codegen --spec FILE --out DIR [--crate-name NAME] [--check]
                      [--overlay FILE]... [--include-tag TAG]... [--include-path PATH]...
                      [--method-names summary|operation-id]
      Generates a client crate for any OpenAPI 3.0 document (YAML or JSON) into DIR,
      after applying each overlay (OpenAPI Overlay 1.0.0) to it in order, keeping only
      the operations with those tags or paths (and the schemas they use) when either
      option is given. Methods are named from summaries (as Box's SDKs name them)
      unless `--method-names operation-id` says otherwise.

  --check          change nothing; fail, naming the stale files, if the output differs
  --deny-warnings  fail, writing nothing, if the generator worked around anything
  cargo xtask test
      Everything CI checks: freshness, formatting, clippy, a standalone build, the tests.
  cargo xtask bench
      Generation time and peak memory for Box's whole document, box-auth and a large
      synthetic spec.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse(&args) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match &command {
        Task::Codegen(codegen) => codegen::run(codegen),
        Task::Test => test::run(),
        Task::Bench => bench::run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the cargo that runs xtask (`$CARGO`) in `dir` with `args` and extra `env`, failing
/// with the command line when it fails.
pub(crate) fn cargo(dir: &Path, args: &[&str], env: &[(&str, &OsStr)]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(&cargo)
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .status()
        .map_err(|error| format!("error: cannot run `{cargo}`: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "error: `cargo {}` failed ({status})",
            args.join(" ")
        ))
    }
}

/// A task and its options.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Task {
    Codegen(Codegen),
    Test,
    Bench,
}

/// What `cargo xtask codegen` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Codegen {
    /// Compare instead of writing.
    pub(crate) check: bool,
    /// Treat warnings as errors: nothing is written when the generator worked around anything.
    pub(crate) deny_warnings: bool,
    /// One spec given on the command line, instead of the workspace's targets.
    pub(crate) custom: Option<CustomTarget>,
}

/// A spec and output directory named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CustomTarget {
    pub(crate) spec: PathBuf,
    pub(crate) out: PathBuf,
    pub(crate) crate_name: Option<String>,
    /// `--overlay`, in order.
    pub(crate) overlays: Vec<PathBuf>,
    /// `--include-tag` and `--include-path`.
    pub(crate) selection: clientgen::Selection,
    /// `--method-names`.
    pub(crate) method_names: clientgen::MethodNames,
}

impl Codegen {
    /// Writing the crate for `spec` into `out` as `crate_name`, with default options.
    pub(crate) fn one_spec(spec: PathBuf, out: PathBuf, crate_name: &str) -> Self {
        Self {
            check: false,
            deny_warnings: false,
            custom: Some(CustomTarget {
                spec,
                out,
                crate_name: Some(crate_name.to_owned()),
                overlays: Vec::new(),
                selection: clientgen::Selection::default(),
                method_names: clientgen::MethodNames::Summary,
            }),
        }
    }
}

fn parse(args: &[String]) -> Result<Task, String> {
    let mut args = args.iter();
    match args.next().map(String::as_str) {
        Some("codegen") => {}
        Some(task @ ("test" | "bench")) => {
            return match args.next() {
                None if task == "test" => Ok(Task::Test),
                None => Ok(Task::Bench),
                Some(other) => Err(format!("unknown argument `{other}`")),
            }
        }
        Some("-h" | "--help") | None => return Err("no task given".to_owned()),
        Some(other) => return Err(format!("unknown task `{other}`")),
    }
    let (mut check, mut deny_warnings) = (false, false);
    let (mut spec, mut out, mut crate_name) = (None, None, None);
    let mut overlays = Vec::new();
    let mut selection = clientgen::Selection::default();
    let mut method_names = None;
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("`{flag}` needs a value"))
        };
        match arg.as_str() {
            "--check" => check = true,
            "--deny-warnings" => deny_warnings = true,
            "--spec" => spec = Some(PathBuf::from(value("--spec")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--crate-name" => {
                let name = value("--crate-name")?;
                if let Some(problem) = clientgen::crate_name_problem(&name) {
                    return Err(problem);
                }
                crate_name = Some(name);
            }
            "--overlay" => overlays.push(PathBuf::from(value("--overlay")?)),
            "--include-tag" => selection.tags.push(value("--include-tag")?),
            "--include-path" => selection.paths.push(value("--include-path")?),
            "--method-names" => {
                method_names = Some(match value("--method-names")?.as_str() {
                    "summary" => clientgen::MethodNames::Summary,
                    "operation-id" => clientgen::MethodNames::OperationId,
                    other => {
                        return Err(format!(
                            "`--method-names` is `summary` or `operation-id`, not `{other}`"
                        ))
                    }
                })
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let custom = match (spec, out) {
        (Some(spec), Some(out)) => Some(CustomTarget {
            spec,
            out,
            crate_name,
            overlays,
            selection,
            method_names: method_names.unwrap_or(clientgen::MethodNames::Summary),
        }),
        (None, None)
            if crate_name.is_none()
                && overlays.is_empty()
                && selection.is_everything()
                && method_names.is_none() =>
        {
            None
        }
        _ => {
            let message = "`--spec` and `--out` go together, and the other options need them";
            return Err(message.to_owned());
        }
    };
    Ok(Task::Codegen(Codegen {
        check,
        deny_warnings,
        custom,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn arguments() {
        assert_eq!(
            parse(&args("codegen --check")),
            Ok(Task::Codegen(Codegen {
                check: true,
                deny_warnings: false,
                custom: None
            }))
        );
        assert_eq!(
            parse(&args(
                "codegen --spec a.yaml --out out --crate-name a-client"
            )),
            Ok(Task::Codegen(Codegen {
                check: false,
                deny_warnings: false,
                custom: Some(CustomTarget {
                    spec: "a.yaml".into(),
                    out: "out".into(),
                    crate_name: Some("a-client".into()),
                    overlays: Vec::new(),
                    selection: clientgen::Selection::default(),
                    method_names: clientgen::MethodNames::Summary,
                }),
            }))
        );
        let Ok(Task::Codegen(Codegen {
            custom: Some(custom),
            ..
        })) = parse(&args(
            "codegen --spec a.yaml --out o --include-tag Auth --include-path /x --include-tag B",
        ))
        else {
            panic!("selection flags should parse");
        };
        assert_eq!(custom.selection.tags, ["Auth", "B"]);
        assert_eq!(custom.selection.paths, ["/x"]);
        assert!(parse(&args("codegen --include-tag Auth")).is_err());
        let Ok(Task::Codegen(Codegen {
            custom: Some(custom),
            ..
        })) = parse(&args(
            "codegen --spec a.yaml --out o --method-names operation-id",
        ))
        else {
            panic!("--method-names should parse");
        };
        assert_eq!(custom.method_names, clientgen::MethodNames::OperationId);
        let Ok(Task::Codegen(Codegen {
            custom: Some(custom),
            ..
        })) = parse(&args(
            "codegen --spec a.json --out o --overlay one.yaml --overlay two.yaml",
        ))
        else {
            panic!("--overlay should parse");
        };
        assert_eq!(
            custom.overlays,
            [PathBuf::from("one.yaml"), PathBuf::from("two.yaml")]
        );
        assert!(parse(&args("codegen --overlay one.yaml")).is_err());
        assert!(parse(&args("codegen --spec a --out o --method-names nope")).is_err());
        assert_eq!(parse(&args("bench")), Ok(Task::Bench));
        assert!(parse(&args("codegen --spec a.yaml")).is_err());
        let refused = parse(&args(
            "codegen --spec a.yaml --out o --crate-name my.client",
        ));
        assert!(refused.unwrap_err().contains("`.`"));
        assert!(parse(&args("codegen --out")).is_err());
        assert!(parse(&args("codegen --frobnicate")).is_err());
        assert_eq!(parse(&args("test")), Ok(Task::Test));
        assert!(parse(&args("test --fast")).is_err());
        assert!(parse(&args("build")).is_err());
    }
}
