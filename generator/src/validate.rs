//! Checking the model before code is emitted from it. Lowering is meant to produce only models
//! that hold these invariants; this step proves it on every run, so a slip in lowering is a
//! located error rather than code that does not compile:
//!
//! - every named type is defined once, under a name Rust accepts and generated code does not
//!   use already;
//! - every reference to a named type resolves, and no alias is defined through itself;
//! - within a type, field and variant names are distinct (and enum values too);
//! - a type travels (is sent, received) at least every way the types holding it do;
//! - a parameters struct says where and how each of its fields is sent;
//! - operation methods are distinct and do not take the `Client`'s own names, and what an
//!   operation refers to (parameter struct, per-status enums, server, the path parameters its
//!   path uses, the body fields its form styles and multipart parts use) exists;
//! - documentation, where there is any, is not blank.

use std::collections::BTreeSet;

use crate::diagnostics::{Error, Errors, Location};
use crate::model::{
    alias_cycle, Api, Enum, Operation, Outcome, PathSegment, Purpose, RequestBody, ResponseBody,
    Struct, TemplatePart, TypeDef, TypeId, TypeKind, TypeRef,
};
use crate::naming::{self, unraw};

/// Checks `api`, lowered from `file`; every broken invariant is an error at the place in the
/// spec the broken part came from.
pub(crate) fn validate(api: &Api, file: &str) -> Result<(), Errors> {
    let mut check = Check {
        file,
        api,
        errors: Vec::new(),
    };
    check.type_names(api);
    for definition in &api.types {
        check.definition(definition);
    }
    if let Some(cycle) = alias_cycle(&api.types) {
        let names: Vec<&str> = cycle.iter().map(|&id| api.name_of(id)).collect();
        let origin = api.get(cycle[0]).map_or("#", |d| d.origin.as_str());
        check.fail(
            origin,
            format!("aliases defined through themselves: {}", names.join(" -> ")),
        );
    }
    let mut methods = BTreeSet::new();
    for operation in &api.operations {
        check.operation(api, operation, &mut methods);
    }
    match Errors::from_vec(check.errors) {
        Some(errors) => Err(errors),
        None => Ok(()),
    }
}

struct Check<'a> {
    file: &'a str,
    api: &'a Api,
    errors: Vec<Error>,
}

impl<'a> Check<'a> {
    fn fail(&mut self, pointer: &str, problem: String) {
        let pointer = if pointer.is_empty() { "#" } else { pointer };
        self.errors.push(Error {
            location: Location {
                file: self.file.to_owned(),
                pointer: pointer.to_owned(),
                line_column: None,
            },
            message: format!(
                "internal error: {problem}; the generator made a model it cannot emit (please \
                 report this)"
            ),
        });
    }

    fn type_names(&mut self, api: &'a Api) {
        let mut seen = BTreeSet::new();
        let builders = api
            .types
            .iter()
            .filter_map(|definition| match &definition.kind {
                TypeKind::Struct(strukt) => Some((strukt.builder.as_str(), definition)),
                _ => None,
            });
        for (builder, definition) in builders {
            if !seen.insert(unraw(builder)) || !is_identifier(builder) {
                self.fail(
                    &definition.origin,
                    format!("builder name `{builder}` is taken"),
                );
            }
        }
        for definition in &api.types {
            let name = unraw(&definition.name);
            if !seen.insert(name) {
                self.fail(&definition.origin, format!("two types are named `{name}`"));
            }
            if !is_identifier(&definition.name) {
                self.fail(&definition.origin, format!("`{name}` cannot name a type"));
            }
        }
    }

    fn definition(&mut self, definition: &'a TypeDef) {
        let origin = definition.origin.as_str();
        self.docs(origin, &definition.docs);
        match &definition.kind {
            TypeKind::Struct(strukt) => {
                let names = strukt.fields.iter().map(|f| f.name.as_str());
                self.distinct(origin, "field", names);
                for field in &strukt.fields {
                    self.docs(origin, &field.docs);
                }
                self.slots(origin, strukt);
            }
            TypeKind::Enum(enumeration) => self.enumeration(origin, enumeration),
            TypeKind::Union(union) => {
                let names = union.variants.iter().map(|v| v.name.as_str());
                self.distinct(origin, "variant", names);
            }
            TypeKind::Alias(_) => {}
            TypeKind::StatusEnum(variants) => {
                self.distinct(origin, "variant", variants.iter().map(|v| v.name.as_str()));
                for variant in variants {
                    self.docs(origin, &variant.docs);
                }
            }
        }
        for ty in definition.kind.type_refs() {
            self.resolves(origin, ty);
            self.travels_with(definition, ty);
        }
    }

    /// Checks that the named types in `ty` travel every way `holder`, which holds them, does:
    /// each then has the serde traits its holder's call.
    fn travels_with(&mut self, holder: &TypeDef, ty: &TypeRef) {
        for id in ty.named_types() {
            let Some(held) = self.api.get(id) else {
                continue;
            };
            if !held.direction.covers(holder.direction) {
                let problem = format!(
                    "`{}` travels {:?} but holds `{}`, which travels {:?}",
                    holder.name, holder.direction, held.name, held.direction
                );
                self.fail(&holder.origin, problem);
            }
        }
    }

    /// Checks that an enum's variant names and values are distinct.
    fn enumeration(&mut self, origin: &str, enumeration: &Enum) {
        self.distinct(origin, "variant", enumeration.variant_names().into_iter());
        match enumeration {
            Enum::String(variants) => {
                self.distinct_values(origin, variants.iter().map(|v| &v.value));
            }
            Enum::Integer(variants) => {
                self.distinct_values(origin, variants.iter().map(|v| &v.value));
            }
        }
    }

    fn operation(&mut self, api: &Api, operation: &'a Operation, methods: &mut BTreeSet<&'a str>) {
        let origin = operation.origin.as_str();
        let method = unraw(&operation.method_name);
        if !methods.insert(method) || naming::CLIENT_METHODS.contains(&method) {
            self.fail(origin, format!("method name `{method}` is taken"));
        }
        if operation.server >= api.servers.len() {
            self.fail(origin, "the operation's server is missing".to_owned());
        }
        for parameter in &operation.path_parameters {
            self.docs(origin, &parameter.docs);
            self.resolves(origin, &parameter.ty);
        }
        let arguments = operation.path_parameters.iter().map(|p| p.name.as_str());
        self.distinct(origin, "argument", arguments);
        if let Some(params) = &operation.params_type {
            self.kind(origin, *params, "a struct", |kind| {
                matches!(kind, TypeKind::Struct(_))
            });
        }
        self.path_parameters(origin, operation);
        if let Some(body) = &operation.body {
            self.resolves(origin, &body.ty);
            self.body_fields(origin, body);
        }
        for outcome in [&operation.success, &operation.error] {
            match outcome {
                Outcome::Single(ResponseBody::Json(ty)) => self.resolves(origin, ty),
                Outcome::Single(_) => {}
                Outcome::PerStatus(id) => self.kind(origin, *id, "a per-status enum", |kind| {
                    matches!(kind, TypeKind::StatusEnum(_))
                }),
            }
        }
    }

    /// Checks that each parameter the path uses is a path parameter of the operation.
    fn path_parameters(&mut self, origin: &str, operation: &Operation) {
        let used = operation.segments.iter().flat_map(|segment| match segment {
            PathSegment::Literal(_) => Vec::new(),
            PathSegment::Parameter(index) => vec![*index],
            PathSegment::Template(parts) => parts
                .iter()
                .filter_map(|part| match part {
                    TemplatePart::Parameter(index) => Some(*index),
                    TemplatePart::Literal(_) => None,
                })
                .collect(),
        });
        for index in used.collect::<Vec<_>>() {
            if index >= operation.path_parameters.len() {
                let problem =
                    format!("the path uses parameter {index}, which is no path parameter");
                self.fail(origin, problem);
            }
        }
    }

    /// Checks that a parameters struct says where and how each of its fields is sent.
    fn slots(&mut self, origin: &str, strukt: &Struct) {
        if let Purpose::Parameters { slots } = &strukt.purpose {
            if slots.len() != strukt.fields.len() {
                let problem = format!(
                    "a parameters struct has {} fields but {} slots",
                    strukt.fields.len(),
                    slots.len()
                );
                self.fail(origin, problem);
            }
        }
    }

    /// Checks that the fields a form body's styles and a multipart body's parts point at are
    /// fields of the body's struct.
    fn body_fields(&mut self, origin: &str, body: &RequestBody) {
        let styled = body.field_styles.iter().map(|styled| styled.field);
        let indices: Vec<usize> = styled
            .chain(body.parts.iter().map(|part| part.field))
            .collect();
        let Some(&last) = indices.iter().max() else {
            return;
        };
        let strukt = body.ty.named().and_then(|id| self.api.struct_of(id));
        let fields = strukt.map_or(0, |strukt| strukt.fields.len());
        if last >= fields {
            let problem = format!("the body's field {last} is not a field of its struct");
            self.fail(origin, problem);
        }
    }

    /// Checks that `id` is defined and of the kind `expected` describes.
    fn kind(&mut self, origin: &str, id: TypeId, expected: &str, is: fn(&TypeKind) -> bool) {
        match self.api.get(id) {
            Some(definition) if is(&definition.kind) => {}
            Some(definition) => {
                let name = &definition.name;
                self.fail(origin, format!("`{name}` should be {expected}"));
            }
            None => self.fail(origin, format!("type {} should be {expected}", id.0)),
        }
    }

    fn resolves(&mut self, origin: &str, ty: &TypeRef) {
        for id in ty.named_types() {
            if self.api.get(id).is_none() {
                self.fail(origin, format!("type {} is used but never defined", id.0));
            }
        }
    }

    fn distinct<'n>(&mut self, origin: &str, what: &str, names: impl Iterator<Item = &'n str>) {
        let mut seen = BTreeSet::new();
        for name in names {
            if !seen.insert(unraw(name)) {
                self.fail(origin, format!("two of its {what}s are `{name}`"));
            }
        }
    }

    fn distinct_values<V: Ord + std::fmt::Display>(
        &mut self,
        origin: &str,
        values: impl Iterator<Item = V>,
    ) {
        let mut seen = BTreeSet::new();
        for value in values {
            if let Some(value) = seen.replace(value) {
                self.fail(origin, format!("two of its values are `{value}`"));
            }
        }
    }

    fn docs(&mut self, origin: &str, docs: &Option<String>) {
        if docs.as_deref().is_some_and(|text| text.trim().is_empty()) {
            self.fail(origin, "blank documentation".to_owned());
        }
    }
}

/// Whether `name` (perhaps raw, `r#type`) is an identifier Rust accepts.
fn is_identifier(name: &str) -> bool {
    syn::parse_str::<syn::Ident>(name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Direction, Field, ParamLocation, ParamSlot, Presence, Style};

    fn api(types: Vec<TypeDef>) -> Api {
        Api {
            title: "t".into(),
            version: "1".into(),
            description: None,
            servers: Vec::new(),
            types,
            operations: Vec::new(),
            features: Vec::new(),
        }
    }

    fn definition(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: format!("#/components/schemas/{name}"),
            docs: None,
            features: Vec::new(),
            direction: Direction::Both,
            kind,
        }
    }

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            name: name.into(),
            wire_name: name.into(),
            docs: Some(" ".into()),
            ty,
            presence: Presence::Optional,
            boxed: false,
            fixed: None,
            keeps_null: false,
        }
    }

    fn messages(api: &Api) -> Vec<String> {
        match validate(api, "x.yaml") {
            Ok(()) => Vec::new(),
            Err(errors) => errors
                .iter()
                .map(|e| format!("{}: {}", e.location.pointer, e.message))
                .collect(),
        }
    }

    #[test]
    fn a_sound_model_passes() {
        let types = vec![
            definition("Id", TypeKind::Alias(TypeRef::String)),
            definition(
                "Ids",
                TypeKind::Alias(TypeRef::Array(Box::new(TypeRef::Named(TypeId(0))))),
            ),
        ];
        assert_eq!(messages(&api(types)), Vec::<String>::new());
    }

    #[test]
    fn a_type_travels_every_way_its_holders_do() {
        let travelling = |name: &str, target: usize, direction: Direction| TypeDef {
            direction,
            ..definition(name, TypeKind::Alias(TypeRef::Named(TypeId(target))))
        };
        let types = vec![
            travelling("Both", 3, Direction::Both),
            travelling("Received", 3, Direction::Received),
            travelling("Sent", 1, Direction::Sent),
            definition("Text", TypeKind::Alias(TypeRef::String)),
        ];
        let expected = [
            "#/components/schemas/Sent: internal error: `Sent` travels Sent but holds `Received`, \
             which travels Received; the generator made a model it cannot emit (please report \
             this)",
        ];
        assert_eq!(messages(&api(types)), expected);
    }

    #[test]
    fn each_broken_invariant_is_a_located_error() {
        let strukt = Struct {
            purpose: Purpose::Schema,
            builder: "SBuilder".to_owned(),
            fields: vec![
                field("a", TypeRef::Named(TypeId(9))),
                field("a", TypeRef::String),
            ],
        };
        let types = vec![
            definition("A", TypeKind::Alias(TypeRef::Named(TypeId(1)))),
            definition("B", TypeKind::Alias(TypeRef::Named(TypeId(0)))),
            definition("Not-A-Name", TypeKind::Alias(TypeRef::String)),
            definition("S", TypeKind::Struct(strukt)),
        ];
        let found = messages(&api(types));
        let expected = [
            "#/components/schemas/A: internal error: aliases defined through themselves: A -> B -> A",
            "#/components/schemas/Not-A-Name: internal error: `Not-A-Name` cannot name a type",
            "#/components/schemas/S: internal error: blank documentation",
            "#/components/schemas/S: internal error: two of its fields are `a`",
            "#/components/schemas/S: internal error: type 9 is used but never defined",
        ];
        assert_eq!(found.len(), expected.len(), "{found:#?}");
        for (found, expected) in found.iter().zip(expected) {
            assert!(found.starts_with(expected), "{found}");
        }
    }

    #[test]
    fn a_parameters_struct_has_a_slot_for_each_field() {
        let query = ParamSlot {
            location: ParamLocation::Query,
            style: Style::Form { explode: true },
        };
        let mut fields = vec![field("a", TypeRef::String), field("b", TypeRef::String)];
        for field in &mut fields {
            field.docs = None;
        }
        let strukt = Struct {
            purpose: Purpose::Parameters { slots: vec![query] },
            builder: "PBuilder".to_owned(),
            fields,
        };
        let mut params = definition("P", TypeKind::Struct(strukt));
        params.docs = Some("Parameters.".to_owned());
        let found = messages(&api(vec![params]));
        let expected = "#/components/schemas/P: internal error: a parameters struct has 2 \
                        fields but 1 slots";
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with(expected), "{}", found[0]);
    }

    /// A document with a path parameter and a multipart body, lowered.
    fn lowered_operation() -> Api {
        let text = "openapi: 3.0.3\ninfo: {title: T, version: \"1\"}\n\
                    servers: [{url: \"https://x.test\"}]\npaths:\n  /files/{id}:\n    put:\n      \
                    parameters:\n        \
                    - {name: id, in: path, required: true, schema: {type: string}}\n      \
                    requestBody:\n        content:\n          multipart/form-data:\n            \
                    schema: {type: object, properties: {name: {type: string}}}\n      \
                    responses: {\"204\": {description: ok}}\n";
        let spec = crate::Spec::parse("api.yaml", text).expect("a valid document");
        crate::lower(&spec, &crate::Config::new("demo"))
            .expect("lowers")
            .0
    }

    #[test]
    fn indices_into_an_operation_point_at_what_exists() {
        let mut api = lowered_operation();
        assert_eq!(messages(&api), Vec::<String>::new());
        let operation = &mut api.operations[0];
        operation.segments[1] = PathSegment::Parameter(1);
        operation.body.as_mut().expect("a body").parts[0].field = 1;
        let found = messages(&api);
        let expected = [
            "#/paths/~1files~1{id}/put: internal error: the body's field 1 is not a field of its",
            "#/paths/~1files~1{id}/put: internal error: the path uses parameter 1, which is no",
        ];
        assert_eq!(found.len(), expected.len(), "{found:?}");
        for (found, expected) in found.iter().zip(expected) {
            assert!(found.starts_with(expected), "{found}");
        }
    }
}
