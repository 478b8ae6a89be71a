//! Generating a client from a build script (feature `build`): the spec and overlays become one
//! module file in `OUT_DIR`, cargo is told to rerun when they change, and the generator's
//! diagnostics become cargo warnings.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), clientgen::build::Error> {
//!     clientgen::build::Builder::new("pets")
//!         .spec("openapi/pets.yaml")
//!         .overlay("openapi/pets.overlay.yaml")
//!         .generate_into_out_dir()
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs: defines `pub mod pets`, with `pets::Client` and `pets::types`.
//! include!(concat!(env!("OUT_DIR"), "/pets.rs"));
//! ```
//!
//! The crate that includes the module depends on what a generated crate's `Cargo.toml` would
//! list: `clientgen-runtime`, `serde` (with `derive`) and `serde_json`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::jobs::{self, Input};
use crate::{Config, Layout, MethodNames, Selection};

/// Why a build script could not generate its client.
#[derive(thiserror::Error)]
pub enum Error {
    /// No [`Builder::spec`] was given.
    #[error("clientgen::build::Builder: no spec given; call `.spec(path)`")]
    NoSpec,
    /// `OUT_DIR` is not set: not running as a build script.
    #[error("OUT_DIR is not set; `generate_into_out_dir` runs from a build script")]
    NoOutDir,
    /// The spec or an overlay could not be read, or has errors (each located).
    #[error("{0}")]
    Generate(String),
    /// Writing the module or cargo's instructions failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// What was being written.
        path: String,
        /// Why it failed.
        source: std::io::Error,
    },
}

/// As [`Display`](std::fmt::Display), so that a build script's `main` returning this error
/// (or `unwrap` on it) shows the located diagnostics as they are, not escaped.
impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

/// What to generate from a build script: a spec, its overlays and the module's name.
#[derive(Debug, Clone)]
pub struct Builder {
    name: String,
    spec: Option<PathBuf>,
    overlays: Vec<PathBuf>,
    selection: Selection,
    method_names: MethodNames,
}

impl Builder {
    /// Generates module `name` (a Rust identifier, written to `NAME.rs`).
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            spec: None,
            overlays: Vec::new(),
            selection: Selection::default(),
            method_names: MethodNames::Summary,
        }
    }

    /// The OpenAPI document, YAML or JSON; a relative path is from the package's directory.
    pub fn spec(mut self, path: impl Into<PathBuf>) -> Self {
        self.spec = Some(path.into());
        self
    }

    /// An OpenAPI Overlay to apply to the document; several apply in the order given.
    pub fn overlay(mut self, path: impl Into<PathBuf>) -> Self {
        self.overlays.push(path.into());
        self
    }

    /// Keeps only the operations with this tag (and those of the other tags and paths given).
    pub fn include_tag(mut self, tag: impl Into<String>) -> Self {
        self.selection.tags.push(tag.into());
        self
    }

    /// Keeps only the operations at this path, as written in the document.
    pub fn include_path(mut self, path: impl Into<String>) -> Self {
        self.selection.paths.push(path.into());
        self
    }

    /// Where method names come from; by default, summaries.
    pub fn method_names(mut self, method_names: MethodNames) -> Self {
        self.method_names = method_names;
        self
    }

    /// Writes the module to `$OUT_DIR/NAME.rs`, printing cargo's instructions: rerun when the spec or an overlay changes, and each warning of the
    /// generator (and, on failure, each error) as a `cargo:warning`.
    pub fn generate_into_out_dir(self) -> Result<(), Error> {
        let out_dir = std::env::var_os("OUT_DIR").ok_or(Error::NoOutDir)?;
        self.generate_into(Path::new(&out_dir), &mut std::io::stdout().lock())?;
        Ok(())
    }

    /// Writes the module to `dir/NAME.rs` and returns its path, writing cargo's instructions
    /// (as [`generate_into_out_dir`](Self::generate_into_out_dir) prints them) to `cargo`.
    pub fn generate_into(self, dir: &Path, cargo: &mut impl Write) -> Result<PathBuf, Error> {
        let spec = self.spec.as_ref().ok_or(Error::NoSpec)?;
        let instructions = |error| Error::Write {
            path: "cargo's instructions".to_owned(),
            source: error,
        };
        for input in std::iter::once(spec).chain(&self.overlays) {
            writeln!(cargo, "cargo:rerun-if-changed={}", input.display()).map_err(instructions)?;
        }
        let loaded = jobs::load(&Input::new(spec), &self.inputs());
        let generated = loaded.and_then(|spec| {
            crate::generate(&spec, &self.config()).map_err(|errors| errors.to_string())
        });
        let output = match generated {
            Ok(output) => output,
            Err(errors) => {
                warn(cargo, &errors).map_err(instructions)?;
                return Err(Error::Generate(errors));
            }
        };
        for warning in &output.warnings {
            warn(cargo, &warning.to_string()).map_err(instructions)?;
        }
        for (file, contents) in &output.files {
            let path = dir.join(file);
            std::fs::write(&path, contents).map_err(|source| Error::Write {
                path: path.display().to_string(),
                source,
            })?;
        }
        Ok(dir.join(format!("{}.rs", self.name.replace('-', "_"))))
    }

    fn inputs(&self) -> Vec<Input> {
        self.overlays.iter().map(Input::new).collect()
    }

    fn config(&self) -> Config {
        let mut config = Config::new(self.name.clone());
        config.layout = Layout::Module;
        config.generated_by = "clientgen::build::Builder".to_owned();
        config.selection = self.selection.clone();
        config.method_names = self.method_names;
        config
    }
}

/// `text` as cargo warnings, one per line (cargo reads an instruction per line).
fn warn(cargo: &mut impl Write, text: &str) -> std::io::Result<()> {
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        writeln!(cargo, "cargo:warning={line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}\n\
                        components:\n  schemas:\n    Pet: {type: object, required: [ghost], \
                        properties: {name: {type: string}}}\n";
    const OVERLAY: &str = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  \
                           - target: $.info\n    update: {title: Pet store}\n";

    fn scratch() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pets.yaml"), SPEC).unwrap();
        std::fs::write(dir.path().join("fix.overlay.yaml"), OVERLAY).unwrap();
        dir
    }

    #[test]
    fn writes_one_module_and_tells_cargo_what_to_watch() {
        let dir = scratch();
        let (spec, overlay) = (
            dir.path().join("pets.yaml"),
            dir.path().join("fix.overlay.yaml"),
        );
        let mut cargo = Vec::new();
        let written = Builder::new("pets")
            .spec(&spec)
            .overlay(&overlay)
            .generate_into(dir.path(), &mut cargo)
            .unwrap();
        assert_eq!(written, dir.path().join("pets.rs"));
        let module = std::fs::read_to_string(&written).unwrap();
        assert!(module.contains("pub mod pets {"), "{module}");
        assert!(module.contains("A client for the Pet store"), "{module}");
        let cargo = String::from_utf8(cargo).unwrap();
        let mut lines = cargo.lines();
        assert_eq!(
            lines.next(),
            Some(format!("cargo:rerun-if-changed={}", spec.display()).as_str())
        );
        assert_eq!(
            lines.next(),
            Some(format!("cargo:rerun-if-changed={}", overlay.display()).as_str())
        );
        let warning = lines.next().unwrap();
        assert!(warning.starts_with("cargo:warning=warning: "), "{cargo}");
        assert!(
            warning.contains("#/components/schemas/Pet/required"),
            "{cargo}"
        );
        assert_eq!(lines.next(), None);
    }

    #[test]
    fn errors_become_cargo_warnings_and_the_error() {
        let dir = scratch();
        let spec = dir.path().join("broken.yaml");
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      \
                    parameters: [{name: id, in: path, required: true, schema: {type: object}}]\n      \
                    responses: {'204': {description: Done.}}\n";
        std::fs::write(&spec, text).unwrap();
        let mut cargo = Vec::new();
        let error = Builder::new("broken")
            .spec(&spec)
            .generate_into(dir.path(), &mut cargo)
            .unwrap_err();
        let cargo = String::from_utf8(cargo).unwrap();
        assert!(cargo.contains("cargo:warning=error: "), "{cargo}");
        let pointer = "#/paths/~1a~1{id}/get/parameters/0";
        assert!(cargo.contains(pointer), "{cargo}");
        assert!(format!("{error:?}").contains(pointer), "{error:?}");
        assert!(!dir.path().join("broken.rs").exists());
    }

    #[test]
    fn a_builder_without_a_spec_says_so() {
        let error = Builder::new("pets").generate_into(Path::new("."), &mut Vec::new());
        assert!(matches!(error, Err(Error::NoSpec)));
    }
}
