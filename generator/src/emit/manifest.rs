//! `Cargo.toml` and `rustfmt.toml` of the generated crate.

use crate::model::Api;
use crate::Config;

/// prettyplease and rustfmt disagree on a few lines; generated code is left as prettyplease
/// wrote it, so `cargo fmt --check` over a workspace does not fail on it.
pub(super) const RUSTFMT_TOML: &str = "disable_all_formatting = true\n";

/// The version of `clientgen-runtime` generated code is written against: any compatible one.
const RUNTIME_VERSION: &str = "0.1";

/// The manifest: the runtime (by path when the config gives one, so it builds from this
/// repository) and serde.
pub(super) fn cargo_toml(api: &Api, config: &Config) -> String {
    let description = toml_string(&format!("Typed client for the {}.", api.title.trim()));
    let runtime = match &config.runtime_path {
        Some(path) => format!(
            "{{ version = \"{RUNTIME_VERSION}\", path = {} }}",
            toml_string(path)
        ),
        None => format!("\"{RUNTIME_VERSION}\""),
    };
    format!(
        r#"[package]
name = "{name}"
version = "{version}"
edition = "2021"
rust-version = "1.88"
description = {description}
license = "MIT OR Apache-2.0"

[dependencies]
clientgen-runtime = {runtime}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
"#,
        name = config.crate_name,
        version = config.crate_version,
    )
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
    use super::toml_string;

    #[test]
    fn toml_strings_escape_quotes_backslashes_and_control_characters() {
        assert_eq!(toml_string(r#"a "b" \ c"#), r#""a \"b\" \\ c""#);
        assert_eq!(toml_string("line\nbreak"), r#""line\u000Abreak""#);
    }
}
