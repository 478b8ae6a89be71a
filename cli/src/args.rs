//! The command line: every option of `clientgen`, and the generator job it describes.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use clientgen::files::Mode;
use clientgen::jobs::{self, Input, Job, Warnings};
use clientgen::{Config, GitReference, MethodNames, RuntimeSource, Selection};

/// What `--help` says beyond the one-line description.
const LONG_ABOUT: &str = "\
Generates a typed Rust client crate from an OpenAPI 3.0 or 3.1 document (YAML or JSON) into
DIR, after applying each overlay (OpenAPI Overlay 1.0.0) to it in order. With --include-tag or
--include-path, only the operations with those tags or at those paths are kept, with the
schemas they use.

The whole crate is generated in memory first: a document with errors is refused with every
problem located (file and JSON pointer), and DIR is left exactly as it was.

The crate depends on clientgen-runtime by version, from crates.io; --runtime-path or
--runtime-git take it from elsewhere.";

/// `clientgen`'s command line.
#[derive(Debug, Parser)]
#[command(name = "clientgen", version, long_about = LONG_ABOUT)]
#[command(about = "Generates a typed Rust client crate from an OpenAPI 3.0 or 3.1 document.")]
pub(crate) struct Args {
    /// The OpenAPI document, YAML or JSON.
    #[arg(long, value_name = "FILE")]
    spec: PathBuf,
    /// The directory of the generated crate; replaced as a whole when anything changed.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The generated package's name [default: DIR's name].
    #[arg(long, value_name = "NAME", value_parser = crate_name)]
    crate_name: Option<String>,
    /// An OpenAPI Overlay applied to the document before anything reads it; repeat it for
    /// several, applied in order.
    #[arg(long = "overlay", value_name = "FILE")]
    overlays: Vec<PathBuf>,
    /// Keep only the operations with this tag (repeatable).
    #[arg(long = "include-tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Keep only the operations at this path, as written in the document (repeatable).
    #[arg(long = "include-path", value_name = "PATH")]
    paths: Vec<String>,
    /// What names the methods of the client.
    #[arg(long, value_name = "FROM", value_enum, default_value_t = MethodNamesArg::Summary)]
    method_names: MethodNamesArg,
    #[command(flatten)]
    runtime: RuntimeArgs,
    /// Change nothing; fail, with a diff, if DIR differs from what would be generated.
    #[arg(long)]
    check: bool,
    /// Fail, writing nothing, if the generator had to work around anything.
    #[arg(long)]
    deny_warnings: bool,
    /// Print errors only: no warnings, no progress.
    #[arg(short, long)]
    quiet: bool,
}

/// Where the generated crate takes `clientgen-runtime` from.
#[derive(Debug, clap::Args)]
struct RuntimeArgs {
    /// Take clientgen-runtime from this directory, relative to DIR (instead of crates.io).
    #[arg(long, value_name = "PATH", conflicts_with = "runtime_git")]
    runtime_path: Option<String>,
    /// Take clientgen-runtime from this git repository (instead of crates.io).
    #[arg(long, value_name = "URL")]
    runtime_git: Option<String>,
    /// With --runtime-git: this commit.
    #[arg(long, value_name = "HASH", requires = "runtime_git")]
    #[arg(conflicts_with_all = ["runtime_branch", "runtime_tag"])]
    runtime_rev: Option<String>,
    /// With --runtime-git: this branch's latest commit.
    #[arg(long, value_name = "BRANCH", requires = "runtime_git")]
    #[arg(conflicts_with = "runtime_tag")]
    runtime_branch: Option<String>,
    /// With --runtime-git: this tag.
    #[arg(long, value_name = "TAG", requires = "runtime_git")]
    runtime_tag: Option<String>,
}

/// `--method-names`, as the command line spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MethodNamesArg {
    /// From each operation's summary ("Request access token" -> request_access_token), else
    /// its operationId.
    Summary,
    /// From each operation's operationId, else its summary.
    OperationId,
}

/// How much `clientgen` says besides errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verbosity {
    /// Warnings and the directories written.
    Normal,
    /// Nothing.
    Quiet,
}

impl Args {
    /// The generator run these arguments describe.
    pub(crate) fn job(&self) -> Job {
        let crate_name = self
            .crate_name
            .clone()
            .unwrap_or_else(|| jobs::default_crate_name(&self.out));
        let mut config = Config::new(crate_name);
        config.generated_by = self.command_line();
        config.selection = Selection {
            tags: self.tags.clone(),
            paths: self.paths.clone(),
        };
        config.method_names = match self.method_names {
            MethodNamesArg::Summary => MethodNames::Summary,
            MethodNamesArg::OperationId => MethodNames::OperationId,
        };
        config.runtime = self.runtime.source();
        Job {
            spec: Input::new(&self.spec),
            overlays: self.overlays.iter().map(Input::new).collect(),
            out: self.out.clone(),
            config,
        }
    }

    /// Whether to write the crate or only compare it.
    pub(crate) fn mode(&self) -> Mode {
        if self.check {
            Mode::Check
        } else {
            Mode::Write
        }
    }

    /// What the generator's warnings do.
    pub(crate) fn warnings(&self) -> Warnings {
        if self.deny_warnings {
            Warnings::Deny
        } else {
            Warnings::Allow
        }
    }

    /// How much to print besides errors.
    pub(crate) fn verbosity(&self) -> Verbosity {
        if self.quiet {
            Verbosity::Quiet
        } else {
            Verbosity::Normal
        }
    }

    /// The command that writes this crate, as its files' headers name it: the options that
    /// shape the output, not those that only say how to run.
    fn command_line(&self) -> String {
        let mut words = vec![
            "clientgen".to_owned(),
            format!("--spec {}", self.spec.display()),
            format!("--out {}", self.out.display()),
        ];
        if let Some(name) = &self.crate_name {
            words.push(format!("--crate-name {name}"));
        }
        let overlays = self.overlays.iter().map(|o| o.display().to_string());
        words.extend(overlays.map(|overlay| format!("--overlay {overlay}")));
        words.extend(self.tags.iter().map(|tag| format!("--include-tag {tag}")));
        words.extend(
            self.paths
                .iter()
                .map(|path| format!("--include-path {path}")),
        );
        if self.method_names == MethodNamesArg::OperationId {
            words.push("--method-names operation-id".to_owned());
        }
        words.extend(self.runtime.command_line());
        words.join(" ")
    }
}

impl RuntimeArgs {
    fn source(&self) -> RuntimeSource {
        if let Some(path) = &self.runtime_path {
            return RuntimeSource::Path(path.clone());
        }
        let Some(url) = &self.runtime_git else {
            return RuntimeSource::Registry;
        };
        let reference = match (&self.runtime_rev, &self.runtime_branch, &self.runtime_tag) {
            (Some(hash), _, _) => GitReference::Rev(hash.clone()),
            (_, Some(branch), _) => GitReference::Branch(branch.clone()),
            (_, _, Some(tag)) => GitReference::Tag(tag.clone()),
            (None, None, None) => GitReference::DefaultBranch,
        };
        RuntimeSource::Git {
            url: url.clone(),
            reference,
        }
    }

    /// These options as they were given.
    fn command_line(&self) -> Vec<String> {
        [
            ("--runtime-path", &self.runtime_path),
            ("--runtime-git", &self.runtime_git),
            ("--runtime-rev", &self.runtime_rev),
            ("--runtime-branch", &self.runtime_branch),
            ("--runtime-tag", &self.runtime_tag),
        ]
        .into_iter()
        .filter_map(|(flag, value)| Some(format!("{flag} {}", value.as_ref()?)))
        .collect()
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

    fn parse(line: &str) -> Result<Args, clap::Error> {
        Args::try_parse_from(line.split_whitespace())
    }

    #[test]
    fn every_option_reaches_the_job() {
        let args = parse(
            "clientgen --spec api.yaml --out out/api --crate-name my-api --overlay a.yaml \
             --overlay b.yaml --include-tag Auth --include-path /x --method-names operation-id",
        )
        .unwrap();
        let job = args.job();
        assert_eq!(job.spec, Input::new("api.yaml"));
        assert_eq!(job.overlays, [Input::new("a.yaml"), Input::new("b.yaml")]);
        assert_eq!(job.out, PathBuf::from("out/api"));
        assert_eq!(job.config.crate_name, "my-api");
        assert_eq!(job.config.selection.tags, ["Auth"]);
        assert_eq!(job.config.selection.paths, ["/x"]);
        assert_eq!(job.config.method_names, MethodNames::OperationId);
        assert_eq!(job.config.runtime, RuntimeSource::Registry);
        assert_eq!(
            job.config.generated_by,
            "clientgen --spec api.yaml --out out/api --crate-name my-api --overlay a.yaml \
             --overlay b.yaml --include-tag Auth --include-path /x --method-names operation-id"
        );
        assert_eq!(
            (args.mode(), args.warnings()),
            (Mode::Write, Warnings::Allow)
        );
    }

    #[test]
    fn the_crate_is_named_after_its_directory_by_default() {
        let job = parse("clientgen --spec api.yaml --out out/pet-store")
            .unwrap()
            .job();
        assert_eq!(job.config.crate_name, "pet-store");
        assert_eq!(job.config.method_names, MethodNames::Summary);
    }

    #[test]
    fn runtime_options_choose_the_runtime_source() {
        let source = |line: &str| parse(line).map(|args| args.job().config.runtime);
        let base = "clientgen --spec a.yaml --out o";
        assert_eq!(
            source(&format!("{base} --runtime-path ../runtime")).unwrap(),
            RuntimeSource::Path("../runtime".into())
        );
        let git = |reference| RuntimeSource::Git {
            url: "https://g.example/r.git".into(),
            reference,
        };
        let url = "--runtime-git https://g.example/r.git";
        assert_eq!(
            source(&format!("{base} {url}")).unwrap(),
            git(GitReference::DefaultBranch)
        );
        assert_eq!(
            source(&format!("{base} {url} --runtime-tag v1")).unwrap(),
            git(GitReference::Tag("v1".into()))
        );
        assert_eq!(
            source(&format!("{base} {url} --runtime-branch dev")).unwrap(),
            git(GitReference::Branch("dev".into()))
        );
        assert_eq!(
            source(&format!("{base} {url} --runtime-rev 0a1b")).unwrap(),
            git(GitReference::Rev("0a1b".into()))
        );
        for refused in [
            "--runtime-tag v1",
            "--runtime-path p --runtime-git u",
            "--runtime-git u --runtime-tag v1 --runtime-rev 0a1b",
        ] {
            assert!(source(&format!("{base} {refused}")).is_err(), "{refused}");
        }
    }

    #[test]
    fn bad_arguments_are_refused() {
        for line in [
            "clientgen --out o",
            "clientgen --spec a.yaml",
            "clientgen --spec a.yaml --out o --crate-name my.client",
            "clientgen --spec a.yaml --out o --method-names nope",
            "clientgen --spec a.yaml --out o --frobnicate",
        ] {
            assert!(parse(line).is_err(), "{line}");
        }
    }

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Args::command().debug_assert();
    }
}
