//! Lowering: an `openapiv3` document becomes a [`model::Api`](crate::model::Api).
//!
//! [`Lowerer`] carries what lowering needs across schemas and operations: the names already
//! handed out, the named types defined so far, the warnings and the errors. Schemas are
//! lowered in `schemas.rs` (objects in `objects.rs`, unions in `unions.rs`, after
//! `simplify.rs` has put them in the shape they mean), operations in `operations.rs` (their
//! parameters in `parameters.rs`, request bodies in `bodies.rs`, responses in
//! `responses.rs`); this file resolves `$ref`s. Named types are kept by id in `table.rs`,
//! which numbers them in name order once lowering is done.
//!
//! An error does not stop lowering: it is recorded where it stands, the part it spoils (a
//! field, a component, an operation) is left out or stands in as any JSON, and lowering goes
//! on, so that one run reports every problem of a document.

mod aliases;
mod all_of;
mod bodies;
mod enums;
mod facts;
mod features;
mod multipart;
mod objects;
mod operations;
mod parameters;
mod reach;
mod recursion;
mod responses;
mod schemas;
mod shapes;
mod simplify;
mod table;
mod unions;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use indexmap::IndexMap;
use openapiv3::{Components, ReferenceOr, Schema};
use typed_arena::Arena;

use crate::diagnostics::{Error, Errors, Location, Pointer, Warning};
use crate::load::Spec;
use crate::model::Api;
use crate::naming::{self, UniqueNames};
use crate::{Config, Layout};

/// Lowers `spec` into the model code is emitted from, or returns every error found.
pub(crate) fn lower(spec: &Spec, config: &Config) -> Result<(Api, Vec<Warning>), Errors> {
    let arena = Arena::new();
    let mut lowerer = Lowerer::new(spec, &arena);
    let (servers, mut operations) = lowerer.operations(config);
    // A selection keeps only the schemas its operations reach, which lowering them defined.
    if config.selection.is_everything() {
        lowerer.all_components();
    }
    if let Some(errors) = Errors::from_vec(std::mem::take(&mut lowerer.errors)) {
        return Err(errors);
    }
    let mut types = std::mem::take(&mut lowerer.types).finish(&mut operations);
    for (origin, cycle) in aliases::break_cycles(&mut types) {
        let message = format!(
            "this schema is defined only through itself ({}); its values are any JSON",
            cycle.join(" -> ")
        );
        lowerer.warn(&Pointer::verbatim(&origin), message);
    }
    recursion::box_cycles(&mut types);
    facts::settle(&mut types);
    let info = &spec.document().info;
    let mut api = Api {
        title: info.title.clone(),
        version: info.version.clone(),
        description: simplify::text(&info.description),
        servers,
        types,
        operations,
        features: Vec::new(),
    };
    // A module included into another crate has no cargo feature of its own to opt into the
    // other serde trait with, so there every type keeps both (`Direction::Both`, as defined).
    if config.layout == Layout::Crate {
        facts::set_directions(&mut api);
    }
    let api = features::assign(api);
    let mut warnings = lowerer.warnings;
    warnings.sort_by(|a, b| a.location.pointer.cmp(&b.location.pointer));
    warnings.dedup();
    Ok((api, warnings))
}

/// Longest chain of `$ref`s followed before it is reported as a cycle.
const MAX_REF_CHAIN: usize = 64;

/// State shared by every step of lowering one spec.
pub(crate) struct Lowerer<'a> {
    spec: &'a Spec,
    /// Schemas lowering makes itself (merged `allOf`s), living as long as the document.
    arena: &'a Arena<Schema>,
    /// Schemas put in the shape they mean (or found to have it already), by pointer.
    simplified: HashMap<(usize, Pointer), Option<simplify::Simplified<'a>>>,
    /// Every type name handed out so far, including the reserved ones.
    type_names: UniqueNames,
    /// Component schema names on the wire -> their Rust type names.
    components: BTreeMap<String, String>,
    /// Component schemas whose definition has been (or is being) lowered.
    lowered: BTreeSet<String>,
    /// Inline schemas that became named types, by the pointer they were found at.
    inline_names: HashMap<Pointer, String>,
    /// The named inline object and union types, by their shape (`shapes.rs`).
    shapes: HashMap<String, String>,
    /// Component object and union schemas by their shape (the first of each shape), whose
    /// inline copies are those components.
    component_shapes: HashMap<String, String>,
    /// Named types defined so far, by id.
    types: table::TypeTable,
    warnings: Vec<Warning>,
    /// Every problem found so far.
    errors: Vec<Error>,
}

impl<'a> Lowerer<'a> {
    fn new(spec: &'a Spec, arena: &'a Arena<Schema>) -> Self {
        let mut type_names = UniqueNames::default();
        // Component schemas claim their names before any inline schema can take one, so a
        // derived name that collides with a component's gets the suffix, never the component.
        let components = spec
            .document()
            .components
            .iter()
            .flat_map(|components| components.schemas.keys())
            .map(|wire| (wire.clone(), type_names.claim(naming::type_name(wire))))
            .collect();
        Self {
            spec,
            arena,
            simplified: HashMap::new(),
            type_names,
            components,
            lowered: BTreeSet::new(),
            inline_names: HashMap::new(),
            shapes: HashMap::new(),
            component_shapes: schemas::component_shapes(spec),
            types: table::TypeTable::default(),
            warnings: spec.warnings().to_vec(),
            errors: Vec::new(),
        }
    }

    pub(crate) fn error(&self, at: &Pointer, message: impl Into<String>) -> Error {
        Error {
            location: self.location(at),
            message: message.into(),
        }
    }

    /// The error for a `$ref` at `at` whose target does not exist.
    pub(crate) fn dangling(&self, reference: &str, at: &Pointer) -> Error {
        self.error(
            at,
            format!("`$ref: {reference}` points at nothing: no such component"),
        )
    }

    /// The value of `result`, or `fallback` with the error recorded: how lowering goes on
    /// past a problem to find the next one.
    pub(crate) fn recover<T>(&mut self, result: Result<T, Error>, fallback: T) -> T {
        result.unwrap_or_else(|error| {
            self.errors.push(error);
            fallback
        })
    }

    pub(crate) fn warn(&mut self, at: &Pointer, message: impl Into<String>) {
        let warning = Warning {
            location: self.location(at),
            message: message.into(),
        };
        self.warnings.push(warning);
    }

    fn location(&self, at: &Pointer) -> Location {
        self.spec.location(at)
    }

    /// Follows `$ref`s into `components/<section>` until it reaches an item; returns the item
    /// and the pointer it lives at. Errors point at `at`, the place that holds the reference.
    pub(crate) fn resolve<'d, T>(
        &self,
        item: &'d ReferenceOr<T>,
        at: &Pointer,
        section: &str,
        table: impl Fn(&'d Components) -> &'d IndexMap<String, ReferenceOr<T>>,
    ) -> Result<(&'d T, Pointer), Error>
    where
        'a: 'd,
    {
        let mut current = item;
        let mut here = at.clone();
        for _ in 0..MAX_REF_CHAIN {
            match current {
                ReferenceOr::Item(item) => return Ok((item, here)),
                ReferenceOr::Reference { reference } => {
                    let name = self.component_name(reference, section, &here)?;
                    let target = self
                        .spec
                        .document()
                        .components
                        .as_ref()
                        .and_then(|components| table(components).get(name))
                        .ok_or_else(|| self.dangling(reference, &here))?;
                    here = Pointer::root().join("components").join(section).join(name);
                    current = target;
                }
            }
        }
        Err(self.error(
            at,
            format!("`$ref` chain is longer than {MAX_REF_CHAIN} links or loops"),
        ))
    }

    /// The `Name` of a `#/components/<section>/Name` reference.
    pub(crate) fn component_name<'r>(
        &self,
        reference: &'r str,
        section: &str,
        at: &Pointer,
    ) -> Result<&'r str, Error> {
        let prefix = format!("#/components/{section}/");
        match reference.strip_prefix(&prefix) {
            Some(name) if !name.contains('/') => Ok(name),
            _ if Pointer::from_ref(reference).is_none() => Err(self.error(
                at,
                format!("`$ref: {reference}` points outside this document, which is not supported"),
            )),
            _ => Err(self.error(
                at,
                format!("`$ref: {reference}` must point at an entry of `#/components/{section}`"),
            )),
        }
    }
}
