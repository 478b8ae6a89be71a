//! Shared helpers for the workspace's integration tests (in `tests/tests/`): finding files and
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

/// Parses an inline spec, labelled `name`, or returns the generator's error.
pub fn generate_text(name: &str, text: &str) -> Result<Output, clientgen::Errors> {
    let spec = Spec::parse(name, text)?;
    clientgen::generate(&spec, &Config::new("fixture"))
}

/// The workspace README, whose Rust examples run as this crate's doctests.
#[doc = include_str!("../../README.md")]
pub mod readme {}
