//! `cargo xtask codegen`: which specs become which crates, and running the generator on them.

use std::path::{Path, PathBuf};

use clientgen::files::Mode;
use clientgen::jobs::{self, Input, Job, Warnings};
use clientgen::{Config, RuntimeSource};

use crate::Codegen;

/// A spec of this workspace and the crate generated from it.
struct Target {
    spec: &'static str,
    /// Overlays applied to the spec, in order.
    overlays: &'static [&'static str],
    /// Keep only the operations with one of these tags (all of them when empty).
    tags: &'static [&'static str],
    out: &'static str,
    crate_name: &'static str,
}

/// Box's published document, vendored unchanged.
pub(crate) const BOX_SPEC: &str = "spec/box/openapi.json";
/// Our corrections to it.
pub(crate) const BOX_OVERLAY: &str = "spec/box/oauth2.overlay.yaml";
/// Our corrections to it for the client of Box's whole API, applied after [`BOX_OVERLAY`].
pub(crate) const BOX_API_OVERLAY: &str = "spec/box/api.overlay.yaml";
/// Discord's published OpenAPI 3.1 document, vendored unchanged as an example of 3.1.
pub(crate) const DISCORD_SPEC: &str = "spec/discord/openapi.json";
/// Adyen's published OpenAPI 3.1 document of its Checkout API, vendored likewise.
pub(crate) const ADYEN_SPEC: &str = "spec/adyen/CheckoutService-v71.json";

/// Every crate under `generated/` (fixtures are found in [`FIXTURES`]). Paths are relative
/// to the workspace root.
const TARGETS: &[Target] = &[
    Target {
        spec: BOX_SPEC,
        overlays: &[BOX_OVERLAY],
        tags: &["Authorization"],
        out: "generated/box-auth",
        crate_name: "box-auth",
    },
    Target {
        spec: BOX_SPEC,
        overlays: &[BOX_OVERLAY, BOX_API_OVERLAY],
        tags: &[],
        out: "generated/box-api",
        crate_name: "box-api",
    },
    Target {
        spec: "spec/boxc-auth.yaml",
        overlays: &[],
        tags: &[],
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
    let mode = if command.check {
        Mode::Check
    } else {
        Mode::Write
    };
    let warnings = if command.deny_warnings {
        Warnings::Deny
    } else {
        Warnings::Allow
    };
    let report = jobs::run(&jobs, mode, warnings)?;
    // Checking is for CI and hooks: the warnings matter when generating.
    if mode == Mode::Write {
        for warning in &report.warnings {
            eprintln!("{warning}");
        }
    }
    for dir in &report.updated {
        eprintln!("updated {}", dir.display());
    }
    if report.stale.is_empty() {
        return Ok(());
    }
    // The command that would bring the output up to date is the one named in its headers.
    let rerun = match (&command.custom, jobs.first()) {
        (Some(_), Some(job)) => job.config.generated_by.clone(),
        _ => "cargo xtask codegen".to_owned(),
    };
    Err(format!(
        "{}\n\nerror: generated code is stale; run `{rerun}` to update it",
        report.stale.join("\n")
    ))
}

/// `relative` to the workspace root, labelled as written.
fn in_workspace(relative: &str) -> Input {
    Input {
        path: project_root().join(relative),
        label: relative.to_owned(),
    }
}

/// Where fixture specs live; each `NAME.yaml` there becomes crate `fixture-NAME` in
/// `FIXTURES/generated/NAME`, a workspace member that tests can use.
const FIXTURES: &str = "tests/fixtures";

fn workspace_jobs() -> Result<Vec<Job>, String> {
    let root = project_root();
    let mut jobs: Vec<Job> = TARGETS
        .iter()
        .map(|target| {
            let mut config = Config::new(target.crate_name);
            config.selection.tags = target.tags.iter().map(|t| (*t).to_owned()).collect();
            config.runtime = RuntimeSource::Path(runtime_path(&root.join(target.out)));
            Job {
                spec: in_workspace(target.spec),
                overlays: target.overlays.iter().map(|o| in_workspace(o)).collect(),
                out: root.join(target.out),
                config,
            }
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
        let out = root.join(FIXTURES).join("generated").join(&stem);
        let mut config = Config::new(format!("fixture-{stem}"));
        config.runtime = RuntimeSource::Path(runtime_path(&out));
        jobs.push(Job {
            spec: in_workspace(&format!("{FIXTURES}/{stem}.yaml")),
            overlays: Vec::new(),
            out,
            config,
        });
    }
    Ok(jobs)
}

/// A spec named on the command line. Its crate takes `clientgen-runtime` from crates.io, so
/// it builds wherever it is copied.
pub(crate) fn custom_job(custom: &crate::CustomTarget) -> Job {
    let crate_name = custom
        .crate_name
        .clone()
        .unwrap_or_else(|| jobs::default_crate_name(&custom.out));
    let mut config = Config::new(crate_name);
    let mut command = format!(
        "cargo xtask codegen --spec {} --out {}",
        custom.spec.display(),
        custom.out.display()
    );
    for overlay in &custom.overlays {
        command.push_str(&format!(" --overlay {}", overlay.display()));
    }
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
        spec: Input::new(&custom.spec),
        overlays: custom.overlays.iter().map(Input::new).collect(),
        out: custom.out.clone(),
        config,
    }
}

/// Where a crate generated into `out` finds this workspace's `clientgen-runtime`: a path
/// relative to `out` when they share a root, else an absolute one. The workspace's own
/// generated crates depend on it by path (and by version, for when they are published).
pub(crate) fn runtime_path(out: &Path) -> String {
    let runtime = project_root().join("runtime");
    let out = std::env::current_dir()
        .map(|cwd| cwd.join(out))
        .unwrap_or_else(|_| out.to_owned());
    let (out, runtime) = (normalize(&out), normalize(&runtime));
    let shared = out
        .components()
        .zip(runtime.components())
        .take_while(|(a, b)| a == b)
        .count();
    if shared == 0 {
        return runtime.display().to_string();
    }
    let ups = out.components().count() - shared;
    let mut relative: Vec<String> = vec!["..".to_owned(); ups];
    relative.extend(
        runtime
            .components()
            .skip(shared)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    relative.join("/")
}

/// `path` with `.` and `..` taken out, without asking the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
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
            deny_warnings: false,
            custom: None,
        };
        if let Err(message) = run(&command) {
            panic!("{message}");
        }
    }

    #[test]
    fn generated_crates_reach_the_runtime_by_a_relative_path() {
        let root = project_root();
        assert_eq!(
            runtime_path(&root.join("generated/box-auth")),
            "../../runtime"
        );
        assert_eq!(
            runtime_path(&root.join("tests/fixtures/generated/wire")),
            "../../../../runtime"
        );
        assert_eq!(
            runtime_path(&root.join("generated/./x/../box-auth")),
            "../../runtime"
        );
    }

    /// The model each workspace target lowers to: the one stage no checked-in file shows.
    /// Review changes with `cargo insta review`. Box's whole API is left out: its model is
    /// megabytes, and Box's document gives it warnings the others do not.
    #[test]
    fn lowered_models() {
        let jobs = workspace_jobs().unwrap();
        let targets = TARGETS.iter().zip(&jobs);
        for (target, job) in targets.filter(|(target, _)| target.crate_name != "box-api") {
            let spec = job.load().unwrap_or_else(|message| panic!("{message}"));
            let (api, warnings) = clientgen::lower(&spec, &job.config).unwrap();
            assert!(
                warnings.is_empty(),
                "{target:?}: {warnings:?}",
                target = target.spec
            );
            let name = format!("{}__model", target.crate_name.replace('-', "_"));
            insta::assert_debug_snapshot!(name, api);
        }
    }

    /// Box's overlay still applies to the vendored document and each correction takes effect.
    /// When a new copy of Box's document breaks it, this (and the freshness check) fails with
    /// the overlay file and the index of the action that no longer matches.
    #[test]
    fn the_box_overlay_corrects_the_vendored_document() {
        let job = &workspace_jobs().unwrap()[0];
        assert_eq!(job.spec.label, BOX_SPEC);
        let spec = job.load().unwrap_or_else(|message| panic!("{message}"));
        let (api, warnings) = clientgen::lower(&spec, &job.config).unwrap();
        // Without the overlay, `PostOAuth2Revoke` requires a property it lacks: a warning.
        assert!(warnings.is_empty(), "{warnings:?}");
        for operation in &api.operations {
            if let Some(body) = &operation.body {
                assert!(
                    body.required,
                    "{} takes a required body",
                    operation.method_name
                );
            }
        }
        for name in [
            "PostOAuth2Token",
            "PostOAuth2TokenRefreshAccessToken",
            "PostOAuth2Revoke",
        ] {
            let definition = api.types.iter().find(|def| def.name == name).unwrap();
            let clientgen::model::TypeKind::Struct(strukt) = &definition.kind else {
                panic!("{name} is a struct");
            };
            let secret = strukt
                .fields
                .iter()
                .find(|f| f.wire_name == "client_secret");
            assert_eq!(
                secret.unwrap().ty,
                clientgen::model::TypeRef::Secret,
                "{name}.client_secret is a secret"
            );
        }
    }

    /// Two runs of the generator give the same bytes.
    #[test]
    fn generation_is_deterministic() {
        for job in &workspace_jobs().unwrap()[..TARGETS.len()] {
            assert_eq!(job.generate(), job.generate(), "{}", job.spec.label);
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
        let out = previous_output(&dir);
        let spec = dir.join("bad.yaml");
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: array, items: {$ref: 'other.yaml#/B'}}\n";
        std::fs::write(&spec, text).unwrap();

        let message = run(&custom(spec, out.clone())).unwrap_err();
        assert!(message.contains("bad.yaml"), "{message}");
        assert!(
            message.contains("#/components/schemas/A/items"),
            "{message}"
        );
        assert_output_untouched(&out);
    }

    #[test]
    fn an_overlay_that_no_longer_matches_leaves_the_output_as_it_was() {
        let dir = scratch("stale-overlay");
        let out = previous_output(&dir);
        let spec = dir.join("api.yaml");
        std::fs::write(
            &spec,
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
        )
        .unwrap();
        let overlay = dir.join("fix.overlay.yaml");
        let text = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    update: {title: u}\n  - target: $.paths['/gone']\n    remove: true\n";
        std::fs::write(&overlay, text).unwrap();
        let mut command = custom(spec, out.clone());
        if let Some(custom) = &mut command.custom {
            custom.overlays.push(overlay);
        }

        let message = run(&command).unwrap_err();
        assert!(
            message.contains(
                "fix.overlay.yaml: #/actions/1/target: target `$.paths['/gone']` matches nothing"
            ),
            "{message}"
        );
        assert_output_untouched(&out);
    }

    #[test]
    fn deny_warnings_turns_warnings_into_errors_and_writes_nothing() {
        let dir = scratch("strict");
        let out = previous_output(&dir);
        let spec = dir.join("lenient.yaml");
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: object, required: [ghost], properties: {a: {type: string}}}\n";
        std::fs::write(&spec, text).unwrap();
        let mut command = custom(spec, out.clone());
        command.deny_warnings = true;

        let message = run(&command).unwrap_err();
        assert!(
            message.contains("#/components/schemas/A/required"),
            "{message}"
        );
        assert!(
            message.contains("1 warning(s) with `--deny-warnings`"),
            "{message}"
        );
        assert_output_untouched(&out);

        command.deny_warnings = false;
        run(&command).unwrap();
        assert!(
            out.join("src/types.rs").exists(),
            "without it, the warning is printed only"
        );
    }

    /// What is read with a warning, from OpenAPI 3.1 or from a document that breaks
    /// OpenAPI's letter, is refused all the same under `--deny-warnings`.
    #[test]
    fn deny_warnings_refuses_what_3_1_and_tolerance_warn_about() {
        for fixture in [
            "oas31_document",
            "oas31_tuples",
            "oas31_types",
            "tolerant_docs",
            "tolerant_numbers",
            "tolerant_refs",
        ] {
            let dir = scratch(&format!("strict-{fixture}"));
            let out = previous_output(&dir);
            let spec = project_root()
                .join(FIXTURES)
                .join(format!("{fixture}.yaml"));
            let mut command = custom(spec, out.clone());
            command.deny_warnings = true;

            let message = run(&command).unwrap_err();
            assert!(message.contains("with `--deny-warnings`"), "{message}");
            assert_output_untouched(&out);
        }
    }

    /// An output directory holding one file, as a previous run might have left it.
    fn previous_output(dir: &Path) -> PathBuf {
        let out = dir.join("out");
        std::fs::create_dir_all(out.join("src")).unwrap();
        std::fs::write(out.join("src/lib.rs"), "// previous output\n").unwrap();
        out
    }

    fn assert_output_untouched(out: &Path) {
        assert_eq!(
            std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
            "// previous output\n"
        );
        assert_eq!(
            std::fs::read_dir(out).unwrap().count(),
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
        // Outside the workspace, the runtime comes by version, so the crate builds anywhere.
        assert!(
            manifest.contains("clientgen-runtime = \"0.1\"\n"),
            "{manifest}"
        );
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
