//! `cargo xtask codegen`: which specs become which crates, and running the generator on them.

use std::path::{Path, PathBuf};

use clientgen::{Config, Spec};

use crate::files::{self, Mode};
use crate::Codegen;

/// A spec of this workspace and the crate generated from it.
struct Target {
    spec: &'static str,
    out: &'static str,
    crate_name: &'static str,
}

/// Every crate under `generated/` (fixtures are found in [`FIXTURES`]). Paths are relative
/// to the workspace root.
const TARGETS: &[Target] = &[
    Target {
        spec: "spec/box-auth.yaml",
        out: "generated/box-auth",
        crate_name: "box-auth",
    },
    Target {
        spec: "spec/boxc-auth.yaml",
        out: "generated/boxc-auth",
        crate_name: "boxc-auth",
    },
];

/// Generates every requested crate in memory first, so that a failing spec leaves all output
/// untouched, then writes (or, with `--check`, compares) them.
pub(crate) fn run(command: &Codegen) -> Result<(), String> {
    let jobs = match &command.custom {
        None => workspace_jobs()?,
        Some(custom) => vec![custom_job(custom)],
    };
    let mut outputs = Vec::with_capacity(jobs.len());
    for job in &jobs {
        let text = std::fs::read_to_string(&job.spec_path)
            .map_err(|error| format!("error: {}: cannot read the spec: {error}", job.spec_label))?;
        let spec = Spec::parse(&job.spec_label, &text).map_err(|error| error.to_string())?;
        let output = clientgen::generate(&spec, &job.config).map_err(|error| error.to_string())?;
        for warning in &output.warnings {
            eprintln!("{warning}");
        }
        outputs.push(output.files);
    }
    let mode = if command.check {
        Mode::Check
    } else {
        Mode::Write
    };
    let mut stale = Vec::new();
    for (job, files) in jobs.iter().zip(&outputs) {
        stale.extend(files::sync_dir(&job.out, files, mode)?);
    }
    if stale.is_empty() {
        return Ok(());
    }
    // The command that would bring the output up to date is the one named in its headers.
    let rerun = match (&command.custom, jobs.first()) {
        (Some(_), Some(job)) => job.config.generated_by.clone(),
        _ => "cargo xtask codegen".to_owned(),
    };
    Err(format!(
        "{}\n\nerror: generated code is stale; run `{rerun}` to update it",
        stale.join("\n")
    ))
}

/// One generator run: where the spec is, how it is named in output, where the crate goes.
struct Job {
    spec_path: PathBuf,
    spec_label: String,
    out: PathBuf,
    config: Config,
}

/// Where fixture specs live; each `NAME.yaml` there becomes crate `fixture-NAME` in
/// `FIXTURES/generated/NAME`, a workspace member that tests can use.
const FIXTURES: &str = "tests/fixtures";

fn workspace_jobs() -> Result<Vec<Job>, String> {
    let root = project_root();
    let mut jobs: Vec<Job> = TARGETS
        .iter()
        .map(|target| Job {
            spec_path: root.join(target.spec),
            spec_label: target.spec.to_owned(),
            out: root.join(target.out),
            config: Config::new(target.crate_name),
        })
        .collect();
    let entries = std::fs::read_dir(root.join(FIXTURES))
        .map_err(|error| format!("error: {FIXTURES}: {error}"))?;
    let mut stems: Vec<String> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .filter_map(|path| Some(path.file_stem()?.to_string_lossy().into_owned()))
        .collect();
    stems.sort();
    for stem in stems {
        let spec_label = format!("{FIXTURES}/{stem}.yaml");
        jobs.push(Job {
            spec_path: root.join(&spec_label),
            spec_label,
            out: root.join(FIXTURES).join("generated").join(&stem),
            config: Config::new(format!("fixture-{stem}")),
        });
    }
    Ok(jobs)
}

fn custom_job(custom: &crate::CustomTarget) -> Job {
    let crate_name = custom.crate_name.clone().unwrap_or_else(|| {
        let stem = custom.out.file_name().unwrap_or(custom.out.as_os_str());
        stem.to_string_lossy().into_owned()
    });
    let mut config = Config::new(crate_name);
    let mut command = format!(
        "cargo xtask codegen --spec {} --out {}",
        custom.spec.display(),
        custom.out.display()
    );
    for tag in &custom.selection.tags {
        command.push_str(&format!(" --include-tag {tag}"));
    }
    for path in &custom.selection.paths {
        command.push_str(&format!(" --include-path {path}"));
    }
    if custom.method_names == clientgen::MethodNames::OperationId {
        command.push_str(" --method-names operation-id");
    }
    config.generated_by = command;
    config.selection = custom.selection.clone();
    config.method_names = custom.method_names;
    Job {
        spec_path: custom.spec.clone(),
        spec_label: custom.spec.display().to_string(),
        out: custom.out.clone(),
        config,
    }
}

/// The workspace root: the parent of this crate's directory.
pub(crate) fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain `cargo test` fails when someone changed the generator or a spec and did not
    /// regenerate, or edited generated code by hand.
    #[test]
    fn generated_crates_are_fresh() {
        let command = Codegen {
            check: true,
            custom: None,
        };
        if let Err(message) = run(&command) {
            panic!("{message}");
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-codegen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn custom(spec: PathBuf, out: PathBuf) -> Codegen {
        Codegen::one_spec(spec, out, "demo-client")
    }

    #[test]
    fn a_failing_spec_leaves_the_output_as_it_was() {
        let dir = scratch("failing");
        let out = dir.join("out");
        std::fs::create_dir_all(out.join("src")).unwrap();
        std::fs::write(out.join("src/lib.rs"), "// previous output\n").unwrap();
        let spec = dir.join("bad.yaml");
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: array, items: {$ref: '#/components/schemas/B'}}\n";
        std::fs::write(&spec, text).unwrap();

        let message = run(&custom(spec, out.clone())).unwrap_err();
        assert!(message.contains("bad.yaml"), "{message}");
        assert!(
            message.contains("#/components/schemas/A/items"),
            "{message}"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
            "// previous output\n"
        );
        assert_eq!(
            std::fs::read_dir(&out).unwrap().count(),
            1,
            "nothing was added"
        );
    }

    #[test]
    fn a_custom_spec_generates_a_crate_then_checks_fresh() {
        let dir = scratch("custom");
        let out = dir.join("demo-client");
        let spec = dir.join("demo.json");
        let text = r#"{"openapi": "3.0.0", "info": {"title": "Demo", "version": "1"},
            "servers": [{"url": "https://demo.example"}],
            "paths": {"/ping": {"get": {"operationId": "ping",
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"ok": {"type": "boolean"}}}}}}}}}}}"#;
        std::fs::write(&spec, text).unwrap();

        run(&custom(spec.clone(), out.clone())).unwrap();
        let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
        assert!(manifest.contains("name = \"demo-client\""), "{manifest}");
        assert!(out.join("src/client.rs").exists());

        let mut check = custom(spec, out.clone());
        check.check = true;
        run(&check).unwrap();
        std::fs::write(out.join("src/client.rs"), "// edited by hand\n").unwrap();
        let message = run(&check).unwrap_err();
        assert!(message.contains("stale: "), "{message}");
        assert!(
            message.contains("run `cargo xtask codegen --spec"),
            "{message}"
        );
    }
}
