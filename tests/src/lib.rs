//! Shared helpers for the workspace's integration tests (in `tests/tests/`): loading specs and
//! running the generator on them.
//!
//! The README's code examples are compiled as doctests of [`readme`].

use std::path::{Path, PathBuf};

use clientgen::{Config, Output, Spec};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Parses the spec at `relative` (to the workspace root), labelled by that path.
pub fn load(relative: &str) -> Spec {
    let text = std::fs::read_to_string(workspace_root().join(relative))
        .unwrap_or_else(|error| panic!("cannot read {relative}: {error}"));
    Spec::parse(relative, &text).unwrap_or_else(|error| panic!("{error}"))
}

/// Generates the crate for `spec` with the same settings `cargo xtask codegen` uses.
pub fn generate(spec: &Spec, crate_name: &str) -> Output {
    clientgen::generate(spec, &Config::new(crate_name)).unwrap_or_else(|error| panic!("{error}"))
}

/// Parses an inline spec, labelled `name`, or returns the generator's error.
pub fn generate_text(name: &str, text: &str) -> Result<Output, clientgen::Error> {
    let spec = Spec::parse(name, text)?;
    clientgen::generate(&spec, &Config::new("fixture"))
}

/// The workspace README, whose Rust examples run as this crate's doctests.
#[doc = include_str!("../../README.md")]
pub mod readme {}
