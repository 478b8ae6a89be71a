//! `Cargo.toml` and `rustfmt.toml` of the generated crate.

use crate::model::Api;
use crate::Config;

/// prettyplease and rustfmt disagree on a few lines; generated code is left as prettyplease
/// wrote it, so `cargo fmt --check` over a workspace does not fail on it.
pub(super) const RUSTFMT_TOML: &str = "disable_all_formatting = true\n";

/// The manifest: crates.io dependencies only, so the crate builds wherever it is written.
pub(super) fn cargo_toml(api: &Api, config: &Config, multipart: bool) -> String {
    let reqwest_features = if multipart {
        r#"["rustls-tls", "json", "multipart"]"#
    } else {
        r#"["rustls-tls", "json"]"#
    };
    let description = toml_string(&format!("Typed client for the {}.", api.title.trim()));
    format!(
        r#"[package]
name = "{name}"
version = "{version}"
edition = "2021"
rust-version = "1.81"
description = {description}
license = "MIT OR Apache-2.0"

[dependencies]
reqwest = {{ version = "0.12", default-features = false, features = {reqwest_features} }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = {{ version = "1", features = ["preserve_order"] }}
thiserror = "2"
url = "2"
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
