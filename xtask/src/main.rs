//! `cargo xtask`: maintainer tasks for this workspace. A thin shell of argument parsing (clap)
//! and printing around the `clientgen` library.
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

use clap::{Parser, Subcommand, ValueEnum};

/// `cargo xtask`'s command line.
#[derive(Debug, Parser)]
#[command(name = "xtask", bin_name = "cargo xtask")]
#[command(about = "Maintainer tasks for this workspace.")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

/// A task and its options.
#[derive(Debug, Subcommand)]
enum Task {
    /// Regenerates the workspace's crates, or one crate from --spec into --out.
    ///
    /// Without --spec, every crate under generated/ (and tests/fixtures/generated/) from its
    /// spec under spec/ (or tests/fixtures/). With --spec and --out, one crate for any
    /// OpenAPI 3.0 document (YAML or JSON), which then takes clientgen-runtime from crates.io.
    Codegen(CodegenArgs),
    /// Everything CI checks: freshness, formatting, clippy, standalone builds, the tests.
    Test,
    /// Generation time and peak memory for Box's whole document, box-auth and a large spec.
    Bench,
}

/// `cargo xtask codegen`'s options.
#[derive(Debug, clap::Args)]
struct CodegenArgs {
    /// Change nothing; fail, naming the stale files, if the output differs.
    #[arg(long)]
    check: bool,
    /// Fail, writing nothing, if the generator worked around anything.
    #[arg(long)]
    deny_warnings: bool,
    /// The OpenAPI document to generate a crate for, instead of the workspace's.
    #[arg(long, value_name = "FILE", requires = "out")]
    spec: Option<PathBuf>,
    /// The directory of the crate generated from --spec.
    #[arg(long, value_name = "DIR", requires = "spec")]
    out: Option<PathBuf>,
    /// The generated package's name [default: DIR's name].
    #[arg(long, value_name = "NAME", requires = "spec", value_parser = crate_name)]
    crate_name: Option<String>,
    /// An OpenAPI Overlay applied to the document, in order (repeatable).
    #[arg(long = "overlay", value_name = "FILE", requires = "spec")]
    overlays: Vec<PathBuf>,
    /// Keep only the operations with this tag (repeatable).
    #[arg(long = "include-tag", value_name = "TAG", requires = "spec")]
    tags: Vec<String>,
    /// Keep only the operations at this path (repeatable).
    #[arg(long = "include-path", value_name = "PATH", requires = "spec")]
    paths: Vec<String>,
    /// What names the methods [default: summary].
    #[arg(long, value_name = "FROM", value_enum, requires = "spec")]
    method_names: Option<MethodNamesArg>,
}

/// `--method-names`, as the command line spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MethodNamesArg {
    /// From each operation's summary, else its operationId.
    Summary,
    /// From each operation's operationId, else its summary.
    OperationId,
}

fn main() -> ExitCode {
    let result = match Cli::parse().task {
        Task::Codegen(args) => codegen::run(&args.into()),
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
    let cargo = cargo_program();
    let status = Command::new(&cargo)
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .status()
        .map_err(|error| format!("error: cannot run `{}`: {error}", cargo.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "error: `cargo {}` failed ({status})",
            args.join(" ")
        ))
    }
}

/// The cargo that runs xtask (`$CARGO`), or the one on the path.
pub(crate) fn cargo_program() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
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

impl From<CodegenArgs> for Codegen {
    fn from(args: CodegenArgs) -> Self {
        let custom = args.spec.zip(args.out).map(|(spec, out)| CustomTarget {
            spec,
            out,
            crate_name: args.crate_name,
            overlays: args.overlays,
            selection: clientgen::Selection {
                tags: args.tags,
                paths: args.paths,
            },
            method_names: match args.method_names {
                Some(MethodNamesArg::OperationId) => clientgen::MethodNames::OperationId,
                Some(MethodNamesArg::Summary) | None => clientgen::MethodNames::Summary,
            },
        });
        Self {
            check: args.check,
            deny_warnings: args.deny_warnings,
            custom,
        }
    }
}

/// A `--crate-name` cargo accepts.
fn crate_name(name: &str) -> Result<String, String> {
    match clientgen::crate_name_problem(name) {
        Some(problem) => Err(problem),
        None => Ok(name.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Task, clap::Error> {
        let words = std::iter::once("xtask").chain(line.split_whitespace());
        Cli::try_parse_from(words).map(|cli| cli.task)
    }

    fn codegen(line: &str) -> Codegen {
        match parse(line) {
            Ok(Task::Codegen(args)) => args.into(),
            other => panic!("`{line}` is a codegen task: {other:?}"),
        }
    }

    #[test]
    fn arguments() {
        assert_eq!(
            codegen("codegen --check"),
            Codegen {
                check: true,
                deny_warnings: false,
                custom: None
            }
        );
        assert_eq!(
            codegen("codegen --spec a.yaml --out out --crate-name a-client"),
            Codegen {
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
            }
        );
        let line =
            "codegen --spec a.yaml --out o --include-tag Auth --include-path /x --include-tag B";
        let custom = codegen(line).custom.unwrap();
        assert_eq!(custom.selection.tags, ["Auth", "B"]);
        assert_eq!(custom.selection.paths, ["/x"]);
        assert!(parse("codegen --include-tag Auth").is_err());
        let custom = codegen("codegen --spec a.yaml --out o --method-names operation-id").custom;
        assert_eq!(
            custom.unwrap().method_names,
            clientgen::MethodNames::OperationId
        );
        let custom = codegen("codegen --spec a.json --out o --overlay one.yaml --overlay two.yaml");
        assert_eq!(
            custom.custom.unwrap().overlays,
            [PathBuf::from("one.yaml"), PathBuf::from("two.yaml")]
        );
        assert!(parse("codegen --overlay one.yaml").is_err());
        assert!(parse("codegen --spec a --out o --method-names nope").is_err());
        assert!(matches!(parse("bench"), Ok(Task::Bench)));
        assert!(parse("codegen --spec a.yaml").is_err());
        let refused = parse("codegen --spec a.yaml --out o --crate-name my.client");
        assert!(refused.unwrap_err().to_string().contains("`.`"));
        assert!(parse("codegen --out").is_err());
        assert!(parse("codegen --frobnicate").is_err());
        assert!(matches!(parse("test"), Ok(Task::Test)));
        assert!(parse("test --fast").is_err());
        assert!(parse("build").is_err());
    }

    #[test]
    fn help_is_not_an_error() {
        for line in ["--help", "codegen --help"] {
            let help = parse(line).unwrap_err();
            assert_eq!(help.kind(), clap::error::ErrorKind::DisplayHelp, "{line}");
        }
    }

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
