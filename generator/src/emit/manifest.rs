//! `Cargo.toml` and `rustfmt.toml` of the generated crate.

use crate::model::{Api, Feature};
use crate::{Config, GitReference, RuntimeSource};

/// prettyplease and rustfmt disagree on a few lines; generated code is left as prettyplease
/// wrote it, so `cargo fmt --check` over a workspace does not fail on it.
pub(super) const RUSTFMT_TOML: &str = "disable_all_formatting = true\n";

/// The version of `clientgen-runtime` generated code is written against: any compatible one.
const RUNTIME_VERSION: &str = "0.1";

/// The manifest: the runtime (from where the config says), serde, a feature per tag and the
/// opt-in `full-serde`.
pub(super) fn cargo_toml(api: &Api, config: &Config) -> String {
    let mut manifest = dependencies(api, config);
    manifest.push_str(&features(api));
    manifest
}

/// The `[features]` table: `default` enables every tag's feature, each of which enables
/// nothing else (the types a feature needs are compiled with it, not through another feature);
/// the opt-in `full-serde` is never on by default.
fn features(api: &Api) -> String {
    let mut table = String::from("\n[features]\n");
    if !api.features.is_empty() {
        // Feature names are kebab-case ASCII (`naming::feature_name`), so they are bare keys.
        let quoted: Vec<String> = api.features.iter().map(|f| toml_string(&f.name)).collect();
        table.push_str(&format!("default = [{}]\n", quoted.join(", ")));
        for feature in &api.features {
            table.push_str(&format!("{} = []\n", feature.name));
        }
    }
    table.push_str(FULL_SERDE_COMMENT);
    table.push_str(&format!("{} = []\n", Feature::FULL_SERDE));
    table
}

/// Why the opt-in feature exists, above it in the manifest.
const FULL_SERDE_COMMENT: &str = "\
# Off by default: each type derives only the serde trait of the way it travels (Serialize
# when the client sends it, Deserialize when it receives it), which is most of what this
# crate costs to compile. On: every type has both, to store or replay values, for instance.
";

fn dependencies(api: &Api, config: &Config) -> String {
    let description = toml_string(&format!("Typed client for the {}.", api.title.trim()));
    let runtime = runtime_dependency(&config.runtime);
    format!(
        r#"[package]
name = "{name}"
version = "{version}"
edition = "2021"
rust-version = "1.88"
description = {description}
license = "MIT OR Apache-2.0"

# Generated code has no unit tests, so `cargo test` and `clippy --all-targets` need not compile
# the library a second time as a test harness. Its doc tests still run.
[lib]
test = false

[dependencies]
clientgen-runtime = {runtime}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
"#,
        name = config.crate_name,
        version = config.crate_version,
    )
}

/// The `clientgen-runtime` dependency's value: a version, and where to find it unless that is
/// the registry.
fn runtime_dependency(source: &RuntimeSource) -> String {
    let version = format!("\"{RUNTIME_VERSION}\"");
    let location = match source {
        RuntimeSource::Registry => return version,
        RuntimeSource::Path(path) => format!("path = {}", toml_string(path)),
        RuntimeSource::Git { url, reference } => {
            let url = format!("git = {}", toml_string(url));
            match reference {
                GitReference::DefaultBranch => url,
                GitReference::Branch(name) => format!("{url}, branch = {}", toml_string(name)),
                GitReference::Tag(name) => format!("{url}, tag = {}", toml_string(name)),
                GitReference::Rev(hash) => format!("{url}, rev = {}", toml_string(hash)),
            }
        }
    };
    format!("{{ version = {version}, {location} }}")
}

/// `text` as a TOML basic string, quotes included.
fn toml_string(text: &str) -> String {
    let mut quoted = String::from('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::{runtime_dependency, toml_string};
    use crate::{GitReference, RuntimeSource};

    #[test]
    fn toml_strings_escape_quotes_backslashes_and_control_characters() {
        assert_eq!(toml_string(r#"a "b" \ c"#), r#""a \"b\" \\ c""#);
        assert_eq!(toml_string("line\nbreak"), r#""line\u000Abreak""#);
    }

    #[test]
    fn the_runtime_comes_by_version_from_where_the_config_says() {
        assert_eq!(runtime_dependency(&RuntimeSource::Registry), r#""0.1""#);
        assert_eq!(
            runtime_dependency(&RuntimeSource::Path("../../runtime".into())),
            r#"{ version = "0.1", path = "../../runtime" }"#
        );
        let git = |reference| RuntimeSource::Git {
            url: "https://example.com/clientgen.git".into(),
            reference,
        };
        assert_eq!(
            runtime_dependency(&git(GitReference::DefaultBranch)),
            r#"{ version = "0.1", git = "https://example.com/clientgen.git" }"#
        );
        assert_eq!(
            runtime_dependency(&git(GitReference::Tag("v0.1.0".into()))),
            r#"{ version = "0.1", git = "https://example.com/clientgen.git", tag = "v0.1.0" }"#
        );
        assert_eq!(
            runtime_dependency(&git(GitReference::Branch("main".into()))),
            r#"{ version = "0.1", git = "https://example.com/clientgen.git", branch = "main" }"#
        );
        assert_eq!(
            runtime_dependency(&git(GitReference::Rev("0a1b2c".into()))),
            r#"{ version = "0.1", git = "https://example.com/clientgen.git", rev = "0a1b2c" }"#
        );
    }
}
