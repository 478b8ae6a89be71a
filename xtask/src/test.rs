//! `cargo xtask test`: everything CI proves, in one command: generated code is fresh,
//! formatted, warning-free and clippy-clean, its docs build without broken links, the tests
//! pass, clients for the whole APIs of Discord and Adyen (OpenAPI 3.1), generated outside the
//! workspace with the runtime by version, build on their own offline without warnings, and so
//! do the crates generated from a sample of fuzzed documents. Box's whole API is a workspace
//! crate, checked with the others.

use std::ffi::OsStr;
use std::path::Path;

use crate::codegen::{project_root, ADYEN_SPEC, DISCORD_SPEC};
use crate::{cargo, Codegen};

mod linted;

use linted::LintedBuild;

/// Doc comments must build without warnings: broken intra-doc links, bad HTML, bare URLs.
const DENY_DOC_WARNINGS: (&str, &str) = ("RUSTDOCFLAGS", "-D warnings");

/// Runs each step in order and stops at the first that fails.
pub(crate) fn run() -> Result<(), String> {
    let root = project_root();
    step("generated code is fresh", || {
        crate::codegen::run(&Codegen {
            check: true,
            deny_warnings: false,
            custom: None,
        })
    })?;
    step("formatting", || {
        cargo(&root, &["fmt", "--all", "--check"], &[])
    })?;
    // One build serves clippy and the tests: clippy's driver lints the workspace's code as it
    // compiles it for the tests (see `LintedBuild`).
    let linted = LintedBuild::new()?;
    step("clippy, warnings denied, as the tests build", || {
        linted.build(&root)
    })?;
    step("tests", || linted.test(&root))?;
    step("docs build without warnings (no broken links)", || {
        let args = [
            "doc",
            "--workspace",
            "--all-features",
            "--no-deps",
            "--quiet",
            // Box's whole API would double the step's time; its doc comments come from the
            // same emitter as the other generated crates', which prove it.
            "--exclude",
            "box-api",
            // Binaries and test crates publish no docs; documenting them would only check
            // their dependencies (clap, toml) once more.
            "--exclude",
            "xtask",
            "--exclude",
            "clientgen-cli",
            "--exclude",
            "tests",
            "--exclude",
            "build-script",
        ];
        let (key, value) = DENY_DOC_WARNINGS;
        cargo(&root, &args, &[(key, OsStr::new(value))])
    })?;
    let vendors: Vec<&str> = WHOLE_APIS.iter().map(|api| api.vendor).collect();
    let name = format!(
        "the whole APIs of {} build, outside the workspace, clippy-clean",
        vendors.join(" and ")
    );
    step(&name, || whole_apis(&root))?;
    // After the whole APIs: a generated crate built alone resolves its dependencies' features
    // as those do, so this step finds them checked already.
    step(
        "each feature of a generated crate builds alone, clippy-clean",
        || features_alone(&root),
    )?;
    step(
        "a sample of fuzzed documents compiles, clippy-clean",
        || fuzz_samples(&root),
    )
}

/// Crates with too many features to build each alone in CI, and the ones built alone instead;
/// they are built with their default features (every tag) here too, as the clippy step leaves
/// them out. The
/// analysis that gives each feature its types is the same for all; the `features` fixture
/// proves it for every feature.
const FEATURE_SAMPLES: &[(&str, &[&str])] = &[("box-api", &["files", "users", "folders"])];

/// Runs clippy on every generated crate of the workspace that has features with each feature
/// alone and with none: the types a feature needs must come with it, whatever else is off.
fn features_alone(root: &Path) -> Result<(), String> {
    let dirs = ["generated", "tests/fixtures/generated"];
    for dir in dirs.map(|dir| root.join(dir)) {
        let entries = std::fs::read_dir(&dir)
            .map_err(|error| format!("error: cannot read {}: {error}", dir.display()))?;
        for entry in entries.flatten() {
            let text = std::fs::read_to_string(entry.path().join("Cargo.toml")).unwrap_or_default();
            let Some(manifest) = Manifest::parse(&text) else {
                continue;
            };
            for features in feature_sets(&manifest) {
                let mut args = vec!["clippy", "--quiet", "--package", &manifest.package];
                args.extend(features);
                args.extend(["--", "-D", "warnings"]);
                cargo(root, &args, &[])?;
            }
        }
    }
    Ok(())
}

/// The feature arguments of each build of a crate in [`features_alone`]: with the default
/// features then a sample alone for the crates of [`FEATURE_SAMPLES`], with none and each
/// alone for the others.
fn feature_sets(manifest: &Manifest) -> Vec<Vec<&str>> {
    let alone = |feature| vec!["--no-default-features", "--features", feature];
    match FEATURE_SAMPLES
        .iter()
        .find(|(name, _)| *name == manifest.package)
    {
        Some((_, sample)) => std::iter::once(Vec::new())
            .chain(sample.iter().copied().map(alone))
            .collect(),
        None => manifest
            .operation_features()
            .into_iter()
            .map(alone)
            .collect(),
    }
}

/// What the features step reads of a generated crate's manifest.
struct Manifest {
    package: String,
    /// The features that select operations: those `default` enables (the generator leaves
    /// its opt-in features, such as `full-serde`, out of it; the clippy step builds them
    /// where the tests ask for them).
    features: Vec<String>,
}

impl Manifest {
    /// The package and features `text` declares; `None` when it declares no package.
    fn parse(text: &str) -> Option<Manifest> {
        let table: toml::Table = text.parse().ok()?;
        let package = table.get("package")?.get("name")?.as_str()?.to_owned();
        let features = table
            .get("features")
            .and_then(|features| features.get("default"))
            .and_then(toml::Value::as_array)
            .map(|default| {
                default
                    .iter()
                    .filter_map(toml::Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        Some(Manifest { package, features })
    }

    /// The features that select operations, after the empty set; nothing when there are
    /// none.
    fn operation_features(&self) -> Vec<&str> {
        if self.features.is_empty() {
            return Vec::new();
        }
        std::iter::once("")
            .chain(self.features.iter().map(String::as_str))
            .collect()
    }
}

/// Runs one step, saying what it is and, once it passed, how long it took (CI must stay fast
/// on a cold cache; the times show where it goes).
fn step(name: &str, action: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    eprintln!("==> {name}");
    let started = std::time::Instant::now();
    action().map_err(|message| format!("{message}\nerror: step failed: {name}"))?;
    eprintln!("    ({:.1} s)", started.elapsed().as_secs_f64());
    Ok(())
}

/// A real document whose whole API `cargo xtask test` generates and builds.
struct WholeApi {
    /// Whose API it is, for the step's name.
    vendor: &'static str,
    spec: &'static str,
    overlays: &'static [&'static str],
    crate_name: &'static str,
}

/// Discord's and Adyen's Checkout (OpenAPI 3.1, as published). Box's whole API is a crate of
/// this workspace (`generated/box-api`), checked by the steps before.
const WHOLE_APIS: &[WholeApi] = &[
    WholeApi {
        vendor: "Discord",
        spec: DISCORD_SPEC,
        overlays: &[],
        crate_name: "discord-api",
    },
    WholeApi {
        vendor: "Adyen Checkout",
        spec: ADYEN_SPEC,
        overlays: &[],
        crate_name: "adyen-checkout-api",
    },
];

/// Generates a client for every path of each of [`WHOLE_APIS`]' documents, each into its own
/// directory outside this workspace, and builds them as [`clippy_standalone`] does. That
/// proves the generator copes with large real documents and that a generated crate builds
/// wherever it is copied. The crates' directories sit in one directory whose manifest lists
/// them, so that one cargo checks them side by side (each crate's check is one process, so
/// building them one after the other left a core idle). The directory is the same on every
/// run from this checkout, and the generator leaves unchanged files alone, so a rerun with the
/// same output checks nothing again.
fn whole_apis(root: &Path) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("clientgen-whole-apis-{:016x}", checkout_id(root)));
    for api in WHOLE_APIS {
        let out = dir.join(api.crate_name);
        let mut codegen = Codegen::one_spec(root.join(api.spec), out, api.crate_name);
        if let Some(custom) = &mut codegen.custom {
            custom.overlays = api.overlays.iter().map(|o| root.join(o)).collect();
        }
        crate::codegen::run(&codegen)?;
    }
    let members: Vec<String> = WHOLE_APIS
        .iter()
        .map(|api| format!("{:?}", api.crate_name))
        .collect();
    let manifest = format!(
        "# Written by `cargo xtask test`: the crates it generated here, each as generated.\n\
         [workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)
        .map_err(|error| format!("error: cannot write {}: {error}", dir.display()))?;
    clippy_standalone(root, &dir)
}

/// Runs clippy, warnings denied and offline, on the crates generated into `out`, a directory
/// outside this workspace. Each asks for `clientgen-runtime` by version, as once published;
/// only a `[patch.crates-io]` (given on cargo's command line, so each crate's manifest is
/// exactly as generated) points that at this workspace's `runtime/`. It reuses
/// this workspace's lock file and target directory (whose dependencies it mostly shares,
/// which halves a cold run).
fn clippy_standalone(root: &Path, out: &Path) -> Result<(), String> {
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|error| format!("error: cannot copy Cargo.lock: {error}"))?;
    let patch = format!(
        "patch.crates-io.clientgen-runtime.path = {:?}",
        root.join("runtime").display().to_string()
    );
    let target = root.join("target");
    let profile = workspace_dev_profile(root)?;
    let mut args = vec!["clippy", "--quiet", "--offline", "--config", &patch];
    args.extend(profile.iter().map(String::as_str));
    args.extend(["--", "-D", "warnings"]);
    cargo(out, &args, &[("CARGO_TARGET_DIR", target.as_os_str())])
}

/// This workspace's `[profile.dev]` tables (nested ones such as `package."*"` included), read
/// from `Cargo.toml` and given to cargo as `--config` arguments, for builds of crates outside
/// the workspace: with the same profile (and the same dependency features), a dependency one
/// step built is found built by the next, instead of built again under another hash.
fn workspace_dev_profile(root: &Path) -> Result<Vec<String>, String> {
    let path = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|error| format!("error: cannot read {}: {error}", path.display()))?;
    dev_profile_config(&text).map_err(|error| format!("error: {}: {error}", path.display()))
}

/// The `--config` arguments that set what `manifest`'s `[profile.dev]` sets.
fn dev_profile_config(manifest: &str) -> Result<Vec<String>, toml::de::Error> {
    let manifest: toml::Table = manifest.parse()?;
    let mut args = Vec::new();
    if let Some(profile) = manifest
        .get("profile")
        .and_then(|profile| profile.get("dev"))
    {
        push_config("profile.dev", profile, &mut args);
    }
    Ok(args)
}

/// Pushes `--config KEY=VALUE` for each value under `key`, nested tables as dotted keys.
fn push_config(key: &str, value: &toml::Value, args: &mut Vec<String>) {
    match value {
        toml::Value::Table(table) => {
            for (name, value) in table {
                push_config(&format!("{key}.{}", toml_key(name)), value, args);
            }
        }
        value => args.extend(["--config".to_owned(), format!("{key}={value}")]),
    }
}

/// `name` as one segment of a dotted TOML key: bare when it may be, quoted otherwise (`"*"`).
fn toml_key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        name.to_owned()
    } else {
        toml::Value::String(name.to_owned()).to_string()
    }
}

/// A number that tells this checkout's directory from another's, so that two checkouts
/// testing at once do not share a directory.
fn checkout_id(root: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    root.hash(&mut hasher);
    hasher.finish()
}

/// Builds, with clippy and warnings denied, the crates the fuzz test generated from a fixed
/// sample of documents into `target/fuzz-samples/` (it runs in the step before), so that for
/// them "generates" is checked to mean "compiles".
fn fuzz_samples(root: &Path) -> Result<(), String> {
    let samples = root.join("target").join("fuzz-samples");
    if !samples.join("Cargo.toml").exists() {
        return Err(format!(
            "error: {} holds no samples; the fuzz test writes them",
            samples.display()
        ));
    }
    std::fs::copy(root.join("Cargo.lock"), samples.join("Cargo.lock"))
        .map_err(|error| format!("error: cannot copy Cargo.lock: {error}"))?;
    let target = root.join("target");
    let profile = workspace_dev_profile(root)?;
    let mut args = vec!["clippy", "--quiet", "--workspace"];
    args.extend(profile.iter().map(String::as_str));
    args.extend(["--", "-D", "warnings"]);
    cargo(&samples, &args, &[("CARGO_TARGET_DIR", target.as_os_str())])
}

#[cfg(test)]
mod tests {
    use super::{dev_profile_config, feature_sets, workspace_dev_profile, Manifest};

    #[test]
    fn outside_builds_are_given_every_dev_profile_setting() {
        let manifest = "[package]\nname = \"x\"\n\n[profile.dev]\ndebug = \"line-tables-only\"\n\n\
                        [profile.dev.package.\"*\"]\ndebug = false\n\n\
                        [profile.dev.package.unsafe-libyaml]\nopt-level = 1\n\n\
                        [profile.release]\nlto = true\n";
        let args = dev_profile_config(manifest).unwrap();
        assert_eq!(
            args,
            [
                "--config",
                "profile.dev.debug=\"line-tables-only\"",
                "--config",
                "profile.dev.package.\"*\".debug=false",
                "--config",
                "profile.dev.package.unsafe-libyaml.opt-level=1",
            ]
        );
        assert!(dev_profile_config("[package]\nname = \"x\"\n")
            .unwrap()
            .is_empty());
        assert!(dev_profile_config("[profile.dev\n").is_err());
    }

    #[test]
    fn this_workspace_has_a_dev_profile_to_give() {
        let args = workspace_dev_profile(&crate::codegen::project_root()).unwrap();
        assert!(
            args.iter().any(|arg| arg.starts_with("profile.dev.")),
            "{args:?}"
        );
    }

    #[test]
    fn the_checked_in_manifests_are_read() {
        let root = crate::codegen::project_root();
        let text = std::fs::read_to_string(root.join("generated/box-api/Cargo.toml")).unwrap();
        let manifest = Manifest::parse(&text).expect("box-api's manifest");
        assert_eq!(manifest.package, "box-api");
        assert!(manifest.operation_features().contains(&"files"));
    }

    #[test]
    fn a_generated_manifest_names_its_package_and_features() {
        let text = "[package]\nname = \"fixture-features\"\n\n[dependencies]\nserde = \"1\"\n\n\
                    [features]\ndefault = [\"files\", \"users\"]\nfiles = []\nusers = []\n\
                    full-serde = []\n";
        let manifest = Manifest::parse(text).unwrap();
        assert_eq!(manifest.package, "fixture-features");
        assert_eq!(manifest.operation_features(), ["", "files", "users"]);
        let no_features = Manifest::parse("[package]\nname = \"x\"\n").unwrap();
        assert!(no_features.operation_features().is_empty());
        let opt_in_only = "[package]\nname = \"x\"\n\n[features]\nfull-serde = []\n";
        assert!(Manifest::parse(opt_in_only)
            .unwrap()
            .operation_features()
            .is_empty());
        assert!(Manifest::parse("[workspace]\nmembers = []\n").is_none());
        let alone = |feature| vec!["--no-default-features", "--features", feature];
        assert_eq!(
            feature_sets(&manifest),
            [alone(""), alone("files"), alone("users")]
        );
        let box_api = Manifest {
            package: "box-api".to_owned(),
            ..manifest
        };
        assert_eq!(
            feature_sets(&box_api),
            [vec![], alone("files"), alone("users"), alone("folders")]
        );
    }
}
