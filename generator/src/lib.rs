//! `clientgen` turns an OpenAPI 3.0 document into the source files of a typed Rust client
//! crate. Its core does no I/O: text goes in, file contents come out. The `files` feature
//! adds reading specs from files and writing crates into directories safely (`jobs`,
//! `files`), as the `clientgen` command does; the `build` feature adds generating a client
//! from a build script into `OUT_DIR` (`build::Builder`, with an example).
//!
//! The pipeline, one module per stage:
//!
//! 1. [`load`]: YAML or JSON text -> a parsed document ([`Spec`]), with located parse errors,
//!    after any [`Overlay`]s have corrected it.
//! 2. `lower`: the document -> [`model::Api`], an owned model with `$ref`s resolved and every
//!    Rust name chosen (through `naming`); `validate` then checks the model's invariants.
//! 3. `emit`: the model -> Rust tokens -> `syn::File` -> `prettyplease` -> file contents.
//!
//! ```
//! let text = "openapi: 3.0.3\ninfo: {title: Demo, version: '1'}\npaths: {}\n";
//! let spec = clientgen::Spec::parse("demo.yaml", text)?;
//! let output = clientgen::generate(&spec, &clientgen::Config::new("demo-client"))?;
//! assert!(output.files.contains_key("src/lib.rs"));
//! # Ok::<(), clientgen::Errors>(())
//! ```
#![deny(missing_docs)]

#[cfg(feature = "build")]
pub mod build;
pub mod diagnostics;
#[cfg(feature = "files")]
pub mod files;
#[cfg(feature = "files")]
pub mod jobs;
pub mod load;
pub mod model;

mod emit;
mod lower;
mod module;
mod naming;
mod overlay;
mod validate;

use std::collections::BTreeMap;

pub use diagnostics::{Error, Errors, Location, Warning};
pub use load::Spec;
pub use overlay::Overlay;

/// What to generate, besides the spec itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The generated package's name, such as `box-auth`.
    pub crate_name: String,
    /// The generated package's version.
    pub crate_version: String,
    /// Where method names come from.
    pub method_names: MethodNames,
    /// The command named in every generated file's header.
    pub generated_by: String,
    /// Which operations to generate; the default keeps all of them.
    pub selection: Selection,
    /// Where the generated crate finds `clientgen-runtime`; by default, crates.io.
    pub runtime: RuntimeSource,
    /// A crate of its own, or a module for a build script to `include!`.
    pub layout: Layout,
}

/// The shape of the generated code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// A crate: `Cargo.toml`, `src/lib.rs` and the modules beside it.
    #[default]
    Crate,
    /// One file, `NAME.rs` (the crate name with `_` for `-`), holding `pub mod NAME { .. }`
    /// with everything the crate's `src/` would hold, for a build script to write into
    /// `OUT_DIR` and a crate to `include!`. Nothing in it names the crate it ends up in, so it
    /// can sit in any module; that crate depends on what the generated `Cargo.toml` would
    /// list (`clientgen-runtime`, `serde`, `serde_json`).
    Module,
}

/// Where a generated crate takes `clientgen-runtime` from. Whichever it is, the manifest also
/// names a compatible version, which is all that remains of the dependency once the crate is
/// published.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum RuntimeSource {
    /// The registry (crates.io), by version alone: a crate that builds wherever it is copied.
    #[default]
    Registry,
    /// A directory, as a path relative to the generated crate (`../../runtime`).
    Path(String),
    /// A git repository holding the runtime.
    Git {
        /// The repository's URL.
        url: String,
        /// Which commit of it.
        reference: GitReference,
    },
}

/// Which commit of a git repository cargo takes, as `Cargo.toml` names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum GitReference {
    /// The default branch's latest commit.
    #[default]
    DefaultBranch,
    /// A branch's latest commit.
    Branch(String),
    /// A tag.
    Tag(String),
    /// A commit, by (a prefix of) its hash.
    Rev(String),
}

/// Part of a spec to generate: the operations that carry one of `tags` or sit at one of
/// `paths`, and only the schemas they reach. With both lists empty, everything is kept,
/// every component schema included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Keep operations with any of these tags.
    pub tags: Vec<String>,
    /// Keep operations under any of these path keys (as written in the spec, such as
    /// `/oauth2/token`; a key with a `#fragment` also matches without it).
    pub paths: Vec<String>,
}

impl Selection {
    /// Whether nothing is selected, meaning everything is kept.
    pub fn is_everything(&self) -> bool {
        self.tags.is_empty() && self.paths.is_empty()
    }
}

impl Config {
    /// Defaults for a crate called `crate_name`: version 0.1.0, methods named from summaries.
    pub fn new(crate_name: impl Into<String>) -> Self {
        Self {
            crate_name: crate_name.into(),
            crate_version: "0.1.0".to_owned(),
            method_names: MethodNames::Summary,
            generated_by: "cargo xtask codegen".to_owned(),
            selection: Selection::default(),
            runtime: RuntimeSource::Registry,
            layout: Layout::Crate,
        }
    }
}

/// Why `name` cannot be the package name of a generated crate, or `None` when it can.
pub fn crate_name_problem(name: &str) -> Option<String> {
    naming::crate_name_problem(name)
}

/// Which part of an operation names its Rust method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodNames {
    /// The `summary` ("Request access token" -> `request_access_token`), as Box's SDKs name
    /// their methods; the `operationId` when there is no summary.
    Summary,
    /// The `operationId`; the `summary` when there is none.
    OperationId,
}

/// The generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// File contents by path inside the crate (`Cargo.toml`, `src/lib.rs`, ...), sorted.
    pub files: BTreeMap<String, String>,
    /// What the generator worked around.
    pub warnings: Vec<Warning>,
}

/// Lowers `spec` into the model that code is emitted from, with any warnings, and checks the
/// model's invariants. Every problem found is reported.
pub fn lower(spec: &Spec, config: &Config) -> Result<(model::Api, Vec<Warning>), Errors> {
    let (api, warnings) = lower::lower(spec, config)?;
    validate::validate(&api, spec.file())?;
    Ok((api, warnings))
}

/// The files of a crate as [`emit`] builds them: Rust code as tokens, not yet printed.
pub struct Emitted {
    file: String,
    emitted: emit::Emitted,
}

/// Builds the files of the crate for `api`, the model [`lower`] made of `spec`. The two last
/// stages of [`generate`], apart so that each can be measured.
///
/// # Panics
/// When `api` breaks an invariant [`lower`] checks (a [`model::TypeId`], or an index into an
/// operation's parameters or a body's fields, that names nothing): a model built or changed by
/// hand must hold them too.
pub fn emit(api: &model::Api, spec: &Spec, config: &Config) -> Emitted {
    Emitted {
        file: spec.file().to_owned(),
        emitted: emit::emit(api, config, &sources(spec)),
    }
}

impl Emitted {
    /// Prints the Rust files and returns every file, by path inside the crate.
    pub fn print(self) -> Result<BTreeMap<String, String>, Errors> {
        let file = self.file;
        self.emitted
            .print()
            .map_err(|error| internal_error(file, &error))
    }
}

/// Generated code that syn cannot read back: a slip of the generator, located at the spec.
fn internal_error(file: String, error: &syn::Error) -> Errors {
    Errors::from(Error {
        location: Location {
            file,
            pointer: "#".to_owned(),
            line_column: None,
        },
        message: format!(
            "internal error: the generated code does not parse ({error}); please report this"
        ),
    })
}

/// Generates the client crate for `spec`: [`lower`], [`emit`], then [`Emitted::print`].
pub fn generate(spec: &Spec, config: &Config) -> Result<Output, Errors> {
    if let Some(problem) = crate_name_problem(&config.crate_name) {
        return Err(Errors::from(Error {
            location: Location {
                file: spec.file().to_owned(),
                pointer: "#".to_owned(),
                line_column: None,
            },
            message: problem,
        }));
    }
    let (api, warnings) = lower(spec, config)?;
    let files = emit(&api, spec, config).print()?;
    let files = match config.layout {
        Layout::Crate => files,
        Layout::Module => module::assemble(&config.crate_name.replace('-', "_"), &files)
            .map_err(|error| internal_error(spec.file().to_owned(), &error))?,
    };
    Ok(Output { files, warnings })
}

/// The files a crate is generated from, as its headers name them: "`api.json`", or
/// "`api.json` with `fix.overlay.yaml`".
fn sources(spec: &Spec) -> String {
    let mut sources = format!("`{}`", spec.file());
    for (index, overlay) in spec.overlays().iter().enumerate() {
        sources.push_str(if index == 0 { " with `" } else { " and `" });
        sources.push_str(overlay);
        sources.push('`');
    }
    sources
}
