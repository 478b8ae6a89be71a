//! Emission: the model becomes the files of a client crate.
//!
//! Rust files are built as tokens (`quote`), parsed into a `syn::File` and printed by
//! `prettyplease`; every file starts with a header naming the command and spec that made it.
//! What does not depend on the spec (sending, retries, hooks, errors, parameter encoding) is
//! in the `clientgen-runtime` crate, which generated crates depend on.
//!
//! `src/types.rs` is assembled from `types.rs` (aliases and helpers), `structs.rs` (structs
//! and their builders), `enums.rs`, `unions.rs` and `status.rs` (per-status response enums);
//! `src/client.rs` from `client.rs`; `src/operations.rs` (a constant per operation) from
//! `operations.rs`; `src/lib.rs` from `root.rs`.

mod client;
mod directions;
mod enums;
mod layout;
mod manifest;
mod markdown;
mod operations;
mod print;
mod root;
mod status;
mod structs;
mod types;
mod unions;

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Api, TypeRef};
use crate::Config;

/// A file's path inside the crate, and its contents.
pub(crate) type Files = BTreeMap<String, String>;

/// The files of a crate: the Rust ones as tokens, still to be printed, and the rest as text.
pub(crate) struct Emitted {
    /// The line that heads every file.
    header: String,
    rust: Vec<(&'static str, Chunks)>,
    files: Files,
}

/// A Rust file as runs of whole items, printed one after the other: a large file (a type and
/// its builder per chunk) is never held as one syntax tree, which keeps printing lean.
type Chunks = Vec<Chunk>;

/// A run of whole items, compiled only with some of the crate's features when `cfg` says so
/// (every item of it then carries that attribute).
pub(crate) struct Chunk {
    tokens: TokenStream,
    cfg: Option<TokenStream>,
}

impl Chunk {
    /// Items that are always compiled.
    pub(crate) fn always(tokens: TokenStream) -> Self {
        Self { tokens, cfg: None }
    }

    /// Items compiled only when `cfg` (a `#[cfg]` attribute) holds; always, when it is `None`.
    pub(crate) fn with_cfg(cfg: Option<TokenStream>, tokens: TokenStream) -> Self {
        Self { tokens, cfg }
    }

    /// Items compiled only with one of `features` (indices into `api.features`); always, when
    /// there are none.
    pub(crate) fn gated(api: &Api, features: &[usize], tokens: TokenStream) -> Self {
        Self {
            tokens,
            cfg: cfg(api, features),
        }
    }
}

/// The `#[cfg]` of something any of `features` compiles; `None` when it is always compiled.
pub(crate) fn cfg(api: &Api, features: &[usize]) -> Option<TokenStream> {
    feature_predicate(api, features).map(|predicate| quote!(#[cfg(#predicate)]))
}

/// The `cfg` predicate that holds with any of `features` (indices into `api.features`), as
/// short as clippy wants it; `None` when there are none.
pub(crate) fn feature_predicate<'a>(
    api: &'a Api,
    features: impl IntoIterator<Item = &'a usize>,
) -> Option<TokenStream> {
    match feature_names(api, features).as_slice() {
        [] => None,
        [one] => Some(quote!(feature = #one)),
        many => Some(quote!(any(#(feature = #many),*))),
    }
}

/// The names of `features` (indices into `api.features`).
pub(crate) fn feature_names<'a>(
    api: &'a Api,
    features: impl IntoIterator<Item = &'a usize>,
) -> Vec<&'a str> {
    features
        .into_iter()
        .filter_map(|&index| api.features.get(index))
        .map(|feature| feature.name.as_str())
        .collect()
}

/// Builds every file of the crate for `api`. `sources` names the spec (and overlays) the
/// crate comes from, each in backticks.
pub(crate) fn emit(api: &Api, config: &Config, sources: &str) -> Emitted {
    let header = Header {
        command: &config.generated_by,
        sources,
    };
    let mut files = Files::new();
    files.insert(
        "Cargo.toml".into(),
        header.toml(&manifest::cargo_toml(api, config)),
    );
    files.insert("rustfmt.toml".into(), header.toml(manifest::RUSTFMT_TOML));
    let rust = vec![
        (
            "src/lib.rs",
            vec![Chunk::always(root::lib_rs(api, config, sources))],
        ),
        ("src/types.rs", types::types_rs(api)),
        ("src/client.rs", vec![Chunk::always(client::client_rs(api))]),
        (
            "src/operations.rs",
            vec![Chunk::always(operations::operations_rs(api))],
        ),
    ];
    Emitted {
        header: header.line(),
        rust,
        files,
    }
}

impl Emitted {
    /// Prints the Rust files (parsed by syn, printed by prettyplease, tidied; see
    /// [`print`]) and returns every file.
    pub(crate) fn print(self) -> Result<Files, syn::Error> {
        let Emitted {
            header,
            rust,
            mut files,
        } = self;
        let (paths, chunks): (Vec<_>, Vec<_>) = rust.into_iter().unzip();
        for (path, source) in paths.into_iter().zip(print::print_files(chunks)?) {
            files.insert(path.into(), format!("// {header}\n\n{source}"));
        }
        Ok(files)
    }
}

/// The line at the top of every generated file.
struct Header<'a> {
    command: &'a str,
    sources: &'a str,
}

impl Header<'_> {
    fn line(&self) -> String {
        format!(
            "@generated by `{}` from {}. Do not edit by hand.",
            self.command, self.sources
        )
    }

    fn toml(&self, source: &str) -> String {
        format!("# {}\n\n{source}", self.line())
    }
}

/// An identifier from a name the naming module made (`r#type` becomes a raw identifier).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc]` attributes for Markdown text, one per line, rendered by [`markdown::render`]:
/// rewrapped, and with brackets that are not a link escaped. The generator's own intra-doc
/// links therefore name their target: `[the retry policy](RetryPolicy)`.
/// This is for a field, variant or method: [`item_docs`] is for an item, whose lines are not
/// indented.
pub(crate) fn docs(text: &str) -> TokenStream {
    let lines = doc_lines(text, markdown::MEMBER_WIDTH);
    quote!(#(#[doc = #lines])*)
}

/// `#[doc]` attributes for an item's Markdown text, as [`docs`] makes them.
pub(crate) fn item_docs(text: &str) -> TokenStream {
    let lines = doc_lines(text, markdown::ITEM_WIDTH);
    quote!(#(#[doc = #lines])*)
}

/// How much further than the file's own items prettyplease indents an item of a module in it
/// (a group's module in `types.rs`).
const MODULE_INDENT: usize = 4;

/// `#[doc]` attributes for a field, variant or method of a type in `types.rs`: as [`docs`],
/// but wrapped for one module deeper, where a type sits when features reach it. A type at the
/// top level is wrapped so too, so that its docs do not change with the features that reach
/// it.
pub(crate) fn type_member_docs(text: &str) -> TokenStream {
    let lines = doc_lines(text, markdown::MEMBER_WIDTH - MODULE_INDENT);
    quote!(#(#[doc = #lines])*)
}

/// `#[doc]` attributes for a type of `types.rs` itself, as [`type_member_docs`] wraps them.
pub(crate) fn type_item_docs(text: &str) -> TokenStream {
    let lines = doc_lines(text, markdown::ITEM_WIDTH - MODULE_INDENT);
    quote!(#(#[doc = #lines])*)
}

/// `#![doc]` attributes: documentation of the enclosing crate or module.
pub(crate) fn inner_docs(text: &str) -> TokenStream {
    let lines = doc_lines(text, markdown::ITEM_WIDTH);
    quote!(#(#![doc = #lines])*)
}

/// Each line of `text` rendered at `width`, with the leading space that `///` puts there.
fn doc_lines(text: &str, width: usize) -> Vec<String> {
    markdown::render(text, width)
        .into_iter()
        .map(|line| {
            if line.is_empty() {
                line
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// `#[doc]` attributes for several paragraphs, skipping empty ones.
pub(crate) fn paragraphs<'t>(paragraphs: impl IntoIterator<Item = Option<&'t str>>) -> TokenStream {
    let text: Vec<&str> = paragraphs
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    docs(&text.join("\n\n"))
}

/// The runtime crate, as generated code names it.
pub(crate) fn runtime() -> TokenStream {
    quote!(::clientgen_runtime)
}

/// The Rust type for `ty`; a named type is written after `prefix` (nothing, `types::` or
/// `crate::types::`, as where the type is written requires).
pub(crate) fn rust_type(api: &Api, ty: &TypeRef, prefix: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Secret => quote!(::clientgen_runtime::SecretString),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Bool => quote!(bool),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Nullable(inner) => {
            let inner = rust_type(api, inner, prefix);
            quote!(::std::option::Option<#inner>)
        }
        TypeRef::Bytes => quote!(::std::vec::Vec<u8>),
        TypeRef::File => quote!(::clientgen_runtime::multipart::FilePart),
        TypeRef::Named(id) => {
            let name = ident(api.name_of(*id));
            quote!(#prefix #name)
        }
        TypeRef::Array(item) => {
            let item = rust_type(api, item, prefix);
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(api, value, prefix);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
    }
}

/// How `ty` reads in documentation: the short names a reader knows (`Vec<String>`), where code
/// writes absolute paths.
pub(crate) fn readable_type(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Secret => "SecretString".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::Bytes => "Vec<u8>".to_owned(),
        TypeRef::File => "FilePart".to_owned(),
        TypeRef::Named(id) => crate::naming::unraw(api.name_of(*id)).to_owned(),
        TypeRef::Array(item) => format!("Vec<{}>", readable_type(api, item)),
        TypeRef::Map(value) => format!("BTreeMap<String, {}>", readable_type(api, value)),
        TypeRef::Nullable(inner) => format!("Option<{}>", readable_type(api, inner)),
    }
}
