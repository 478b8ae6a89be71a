//! Lowering an operation's parameters, each once with its final Rust name: the path ones into
//! [`PathParameter`]s, which the [`PathSegment`]s its path splits into point at; the query,
//! header and cookie ones into the fields of its parameters struct, with their [`ParamSlot`]s.

use openapiv3::{
    MediaType, Parameter as SpecParameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr,
    Schema,
};

use super::operations::{is_json, OperationContext};
use super::simplify::text;
use super::Lowerer;
use crate::diagnostics::{Error, Pointer};
use crate::model::{
    Direction, Docs, Field, ParamLocation, ParamSlot, PathParameter, PathSegment, Presence,
    Purpose, Struct, Style, TemplatePart, TypeDef, TypeId, TypeKind, TypeRef,
};
use crate::naming::{self, UniqueNames};

/// A parameter after `$ref`s are resolved, with where it was found.
struct ResolvedParameter<'d> {
    parameter: &'d SpecParameter,
    at: Pointer,
}

impl ResolvedParameter<'_> {
    fn wire_name(&self) -> &str {
        &self.parameter.parameter_data_ref().name
    }
}

/// The schema of a parameter, where it is, and how its value is written.
struct ParameterSchema<'d> {
    schema: &'d ReferenceOr<Schema>,
    at: Pointer,
    style: Style,
}

/// An operation's parameters and the path that uses some of them.
pub(super) struct LoweredParameters {
    /// The path parameters, in the order the path uses them.
    pub(super) path: Vec<PathParameter>,
    /// The query, header and cookie parameters, in that order and each in spec order: the
    /// fields of the parameters struct, with where and how each is sent.
    pub(super) fields: Vec<(Field, ParamSlot)>,
    /// The path, its parameters as indices into `path`.
    pub(super) segments: Vec<PathSegment>,
}

/// Where a parameter of the spec goes: a method argument, or a field of the parameters struct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// In the path: a method argument.
    Path,
    /// A field of the parameters struct, sent in this location.
    Field(ParamLocation),
}

/// One parameter, lowered into what it becomes.
enum Lowered {
    /// A method argument.
    Argument(PathParameter),
    /// A field of the parameters struct, and where and how it is sent.
    Field(Field, ParamSlot),
}

impl Lowered {
    /// What a parameter going to `place` becomes, from the field that would hold it and the
    /// style it is written in (which a path parameter, always a scalar, does not need).
    fn new(place: Place, field: Field, style: Style) -> Self {
        match place {
            Place::Path => Lowered::Argument(PathParameter {
                name: field.name,
                wire_name: field.wire_name,
                docs: field.docs,
                ty: field.ty,
            }),
            Place::Field(location) => Lowered::Field(field, ParamSlot { location, style }),
        }
    }
}

/// A piece of a path segment while lowering: text, or a parameter by wire name.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'p> {
    Literal(&'p str),
    Parameter(&'p str),
}

impl<'a> Lowerer<'a> {
    /// Every parameter of an operation with its final name, and its path split into segments
    /// pointing at them. A parameter that fails is recorded and stands in as any JSON (the
    /// operation is then left out), so that the path does not also report it as undeclared.
    pub(super) fn operation_parameters(
        &mut self,
        context: &OperationContext<'a>,
        path: &str,
        method_name: &str,
    ) -> Result<LoweredParameters, Error> {
        let resolved = self.parameters(context)?;
        let names = parameter_names(&resolved);
        let mut arguments = Vec::new();
        let mut fields = Vec::new();
        for (resolved, name) in resolved.iter().zip(names) {
            let lowered = self.parameter(resolved, name.clone(), method_name);
            match self.recover(lowered, stand_in(resolved, name)) {
                Lowered::Argument(argument) => arguments.push(argument),
                Lowered::Field(field, slot) => fields.push((field, slot)),
            }
        }
        // Stable: each location keeps the spec's order.
        fields.sort_by_key(|(_, slot)| slot.location);
        let segments = self.segments(path, &mut arguments, &context.at)?;
        Ok(LoweredParameters {
            path: arguments,
            fields,
            segments,
        })
    }

    /// One parameter of an operation, named `name`.
    fn parameter(
        &mut self,
        resolved: &ResolvedParameter<'a>,
        name: String,
        method_name: &str,
    ) -> Result<Lowered, Error> {
        let parameter = resolved.parameter;
        let data = parameter.parameter_data_ref();
        let ParameterSchema {
            schema,
            at: schema_at,
            style,
        } = self.parameter_schema(resolved)?;
        let hint = format!("{method_name} {}", data.name);
        let ty = self.schema_type(schema.into(), &schema_at, &hint)?;
        let facts = self.facts(schema.into(), &schema_at)?;
        let docs = text(&data.description).or(facts.docs);
        self.adopt_docs(&ty, docs.as_deref());
        let place = place_of(parameter);
        let kind_of = |id| self.types.kind(id);
        if place == Place::Path && (!ty.is_scalar(&kind_of) || style == Style::Json) {
            let message = "a path parameter must be a string, number, boolean or enum, or a \
                           union of those; an array or object cannot be one path segment";
            return Err(self.error(&schema_at, message));
        }
        let field = field(name, data.name.clone(), docs, ty, data.required);
        Ok(Lowered::new(place, field, style))
    }

    /// A parameter's schema, where it is, and the style it is written in. One described by
    /// `content` is written as that media type: JSON text.
    fn parameter_schema(
        &self,
        resolved: &ResolvedParameter<'a>,
    ) -> Result<ParameterSchema<'a>, Error> {
        let ResolvedParameter { parameter, at } = resolved;
        match &parameter.parameter_data_ref().format {
            ParameterSchemaOrContent::Schema(schema) => Ok(ParameterSchema {
                schema,
                at: at.join("schema"),
                style: parameter_style(parameter),
            }),
            ParameterSchemaOrContent::Content(content) => {
                let json = content.iter().find(|(media, _)| is_json(media));
                let Some((
                    media,
                    MediaType {
                        schema: Some(schema),
                        ..
                    },
                )) = json
                else {
                    let message = "a parameter's `content` must be a JSON media type with a schema";
                    return Err(self.error(&at.join("content"), message));
                };
                Ok(ParameterSchema {
                    schema,
                    at: at.join("content").join(media).join("schema"),
                    style: Style::Json,
                })
            }
        }
    }

    /// Path-level and operation-level parameters, the operation's replacing the path's of the
    /// same name and location.
    fn parameters(
        &self,
        context: &OperationContext<'a>,
    ) -> Result<Vec<ResolvedParameter<'a>>, Error> {
        let path_at = Pointer::root()
            .join("paths")
            .join(context.path_key)
            .join("parameters");
        let operation_at = context.at.join("parameters");
        let declared = context
            .item
            .parameters
            .iter()
            .enumerate()
            .map(|(index, parameter)| (parameter, path_at.join(index)))
            .chain(
                context
                    .operation
                    .parameters
                    .iter()
                    .enumerate()
                    .map(|(index, parameter)| (parameter, operation_at.join(index))),
            );
        let mut resolved: Vec<ResolvedParameter<'a>> = Vec::new();
        for (parameter, at) in declared {
            let (parameter, _) = self.resolve(parameter, &at, "parameters", |c| &c.parameters)?;
            let key = |p: &SpecParameter| (p.parameter_data_ref().name.clone(), place_of(p));
            resolved.retain(|existing| key(existing.parameter) != key(parameter));
            resolved.push(ResolvedParameter { parameter, at });
        }
        Ok(resolved)
    }

    /// Splits the path template, checking that every `{name}` has a path parameter, and puts
    /// the path parameters in the order the path uses them.
    fn segments(
        &self,
        path: &str,
        parameters: &mut Vec<PathParameter>,
        at: &Pointer,
    ) -> Result<Vec<PathSegment>, Error> {
        let declared = parameters.len();
        let mut order = PathOrder {
            wire_names: parameters
                .iter()
                .map(|parameter| parameter.wire_name.as_str())
                .collect(),
            used: Vec::with_capacity(declared),
        };
        let mut segments = Vec::new();
        for piece in path.split('/').filter(|piece| !piece.is_empty()) {
            let pieces = template_pieces(piece).ok_or_else(|| {
                self.error(at, format!("path segment `{piece}` has unbalanced braces"))
            })?;
            let segment = order.segment(&pieces).map_err(|name| {
                let message = format!(
                    "the path uses `{{{name}}}` but no path parameter `{name}` is declared"
                );
                self.error(at, message)
            })?;
            segments.push(segment);
        }
        if let Some(unused) = order.unused() {
            let message = format!("path parameter `{unused}` does not appear in the path");
            return Err(self.error(at, message));
        }
        let used = order.used;
        let mut in_spec_order: Vec<(usize, PathParameter)> =
            parameters.drain(..).enumerate().collect();
        in_spec_order.sort_by_key(|(index, _)| used.iter().position(|used| used == index));
        parameters.extend(in_spec_order.into_iter().map(|(_, parameter)| parameter));
        Ok(segments)
    }

    /// Defines the struct that holds an operation's query, header and cookie parameters, one
    /// field each, in order.
    pub(super) fn params_struct(
        &mut self,
        method_name: &str,
        parameters: Vec<(Field, ParamSlot)>,
        at: &Pointer,
    ) -> Option<TypeId> {
        if parameters.is_empty() {
            return None;
        }
        let name = self.type_names.claim(naming::type_name(&format!(
            "{} params",
            naming::unraw(method_name)
        )));
        let docs = format!(
            "Query, header and cookie parameters of \
             [`Client::{method_name}`](crate::Client::{method_name})."
        );
        let (fields, slots) = parameters.into_iter().unzip();
        let strukt = Struct {
            fields,
            purpose: Purpose::Parameters { slots },
            builder: self.builder_name(&name),
        };
        let definition = TypeDef {
            name: name.clone(),
            origin: at.join("parameters").as_str().to_owned(),
            docs: Some(docs),
            features: Vec::new(),
            direction: Direction::Both,
            kind: TypeKind::Struct(strukt),
        };
        Some(self.types.insert(definition))
    }
}

/// The path parameters of an operation, taken as its path uses them.
struct PathOrder<'p> {
    /// The declared path parameters' wire names, in spec order.
    wire_names: Vec<&'p str>,
    /// Indices into `wire_names`, in the order the path uses them.
    used: Vec<usize>,
}

impl PathOrder<'_> {
    /// The segment `pieces` make; `Err` with the name of a parameter that is not declared (or
    /// used twice).
    fn segment<'n>(&mut self, pieces: &[Piece<'n>]) -> Result<PathSegment, &'n str> {
        Ok(match pieces {
            [Piece::Literal(text)] => PathSegment::Literal((*text).to_owned()),
            [Piece::Parameter(name)] => PathSegment::Parameter(self.take(name)?),
            _ => PathSegment::Template(
                pieces
                    .iter()
                    .map(|piece| match piece {
                        Piece::Literal(text) => Ok(TemplatePart::Literal((*text).to_owned())),
                        Piece::Parameter(name) => self.take(name).map(TemplatePart::Parameter),
                    })
                    .collect::<Result<_, _>>()?,
            ),
        })
    }

    /// The index, in path order, of the parameter `name`, which the path now uses.
    fn take<'n>(&mut self, name: &'n str) -> Result<usize, &'n str> {
        let index = (0..self.wire_names.len())
            .find(|index| self.wire_names[*index] == name && !self.used.contains(index))
            .ok_or(name)?;
        self.used.push(index);
        Ok(self.used.len() - 1)
    }

    /// A declared path parameter the path does not use.
    fn unused(&self) -> Option<&str> {
        (0..self.wire_names.len())
            .find(|index| !self.used.contains(index))
            .map(|index| self.wire_names[index])
    }
}

/// The final Rust name of each parameter, in the order given: path parameters are method
/// arguments, the others fields of one struct (query ones named first, then headers, then
/// cookies), each set of names unique.
fn parameter_names(resolved: &[ResolvedParameter<'_>]) -> Vec<String> {
    let mut arguments = UniqueNames::with_reserved(naming::FIXED_ARGUMENTS);
    let mut fields = UniqueNames::default();
    let mut names = vec![String::new(); resolved.len()];
    for place in [
        Place::Path,
        Place::Field(ParamLocation::Query),
        Place::Field(ParamLocation::Header),
        Place::Field(ParamLocation::Cookie),
    ] {
        let claimed = match place {
            Place::Path => &mut arguments,
            Place::Field(_) => &mut fields,
        };
        let located = resolved
            .iter()
            .enumerate()
            .filter(|(_, resolved)| place_of(resolved.parameter) == place);
        for (index, resolved) in located {
            names[index] = claimed.claim(naming::value_name(resolved.wire_name()));
        }
    }
    names
}

/// What stands in for a parameter that failed to lower.
fn stand_in(resolved: &ResolvedParameter<'_>, name: String) -> Lowered {
    let wire_name = resolved.wire_name().to_owned();
    let field = field(name, wire_name, None, TypeRef::Json, false);
    Lowered::new(place_of(resolved.parameter), field, Style::Json)
}

/// The field of a parameters struct that holds a parameter with these facts.
fn field(name: String, wire_name: String, docs: Docs, ty: TypeRef, required: bool) -> Field {
    Field {
        name,
        wire_name,
        docs,
        ty,
        presence: if required {
            Presence::Required
        } else {
            Presence::Optional
        },
        boxed: false,
        fixed: None,
        keeps_null: false,
    }
}

/// Where a parameter of the spec goes.
fn place_of(parameter: &SpecParameter) -> Place {
    match parameter {
        SpecParameter::Path { .. } => Place::Path,
        SpecParameter::Query { .. } => Place::Field(ParamLocation::Query),
        SpecParameter::Header { .. } => Place::Field(ParamLocation::Header),
        SpecParameter::Cookie { .. } => Place::Field(ParamLocation::Cookie),
    }
}

/// `avatar.{format}` -> literal `avatar.` and parameter `format`; `None` when braces do not
/// pair up.
fn template_pieces(piece: &str) -> Option<Vec<Piece<'_>>> {
    let mut pieces = Vec::new();
    let mut rest = piece;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            pieces.push(Piece::Literal(&rest[..open]));
        }
        let close = rest[open..].find('}')? + open;
        let name = &rest[open + 1..close];
        if name.is_empty() || name.contains('{') {
            return None;
        }
        pieces.push(Piece::Parameter(name));
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        return None;
    }
    if !rest.is_empty() {
        pieces.push(Piece::Literal(rest));
    }
    Some(pieces)
}

/// The style a parameter is written in; `explode` defaults to true for `form` only, as
/// OpenAPI says.
fn parameter_style(parameter: &SpecParameter) -> Style {
    let explode = parameter.parameter_data_ref().explode;
    match parameter {
        SpecParameter::Query { style, .. } => match style {
            QueryStyle::Form => Style::Form {
                explode: explode.unwrap_or(true),
            },
            QueryStyle::SpaceDelimited => Style::SpaceDelimited,
            QueryStyle::PipeDelimited => Style::PipeDelimited,
            QueryStyle::DeepObject => Style::DeepObject,
        },
        SpecParameter::Cookie { .. } => Style::Form {
            explode: explode.unwrap_or(true),
        },
        SpecParameter::Header { .. } | SpecParameter::Path { .. } => Style::Simple {
            explode: explode.unwrap_or(false),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Api;
    use crate::{Config, Spec};

    /// The model of a document whose one path item is `path` with the GET operation
    /// `operation` (YAML, indented for it).
    fn lowered(path: &str, operation: &str) -> Api {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: \"1\"}}\npaths:\n  \"{path}\":\n    \
             get:\n      summary: Search\n{operation}      responses:\n        \
             \"204\": {{description: ok}}\n"
        );
        let spec = Spec::parse("api.yaml", &text).expect("a valid document");
        crate::lower(&spec, &Config::new("demo")).expect("lowers").0
    }

    /// Where each parameter of the only operation of `api` goes, with its Rust and wire
    /// names: the path parameters in model order, then the fields of the parameters struct.
    fn placed(api: &Api) -> Vec<(Place, &str, &str)> {
        let op = &api.operations[0];
        let arguments = op
            .path_parameters
            .iter()
            .map(|p| (Place::Path, p.name.as_str(), p.wire_name.as_str()));
        let fields = api.parameter_fields(op).map(|(field, slot)| {
            let place = Place::Field(slot.location);
            (place, field.name.as_str(), field.wire_name.as_str())
        });
        arguments.chain(fields).collect()
    }

    #[test]
    fn each_parameter_has_its_location_and_final_name() {
        let api = lowered(
            "/files/{file-id}",
            "      parameters:
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: fields, in: query, schema: {type: string}}
        - {name: file-id, in: path, required: true, schema: {type: string}}
        - {name: session, in: cookie, schema: {type: string}}
        - {name: Fields, in: header, schema: {type: string}}
",
        );
        let field = Place::Field;
        assert_eq!(
            placed(&api),
            [
                (Place::Path, "file_id", "file-id"),
                (field(ParamLocation::Query), "fields", "fields"),
                (field(ParamLocation::Header), "x_trace", "X-Trace"),
                // A header sharing its field name with a query parameter is named after it.
                (field(ParamLocation::Header), "fields2", "Fields"),
                (field(ParamLocation::Cookie), "session", "session"),
            ]
        );
    }

    #[test]
    fn each_field_parameter_is_sent_where_and_as_its_slot_says() {
        let api = lowered(
            "/search",
            "      parameters:
        - {name: X-Ids, in: header, explode: true, schema: {type: array, items: {type: string}}}
        - {name: tags, in: query, style: pipeDelimited, schema: {type: array, items: {type: string}}}
        - {name: filter, in: query, content: {application/json: {schema: {type: object}}}}
        - {name: session, in: cookie, schema: {type: string}}
",
        );
        let slots: Vec<(&str, ParamSlot)> = api
            .parameter_fields(&api.operations[0])
            .map(|(field, slot)| (field.wire_name.as_str(), *slot))
            .collect();
        let slot = |location, style| ParamSlot { location, style };
        assert_eq!(
            slots,
            [
                ("tags", slot(ParamLocation::Query, Style::PipeDelimited)),
                ("filter", slot(ParamLocation::Query, Style::Json)),
                (
                    "X-Ids",
                    slot(ParamLocation::Header, Style::Simple { explode: true })
                ),
                (
                    "session",
                    slot(ParamLocation::Cookie, Style::Form { explode: true })
                ),
            ]
        );
    }

    #[test]
    fn a_path_argument_never_takes_a_fixed_argument_name() {
        let api = lowered(
            "/{body}",
            "      parameters:
        - {name: body, in: path, required: true, schema: {type: string}}
",
        );
        assert_eq!(placed(&api), [(Place::Path, "body2", "body")]);
        assert_eq!(api.operations[0].params_type, None, "nothing else to hold");
    }

    #[test]
    fn path_segments_point_at_their_parameters_in_path_order() {
        let api = lowered(
            "/users/{user}/avatar.{format}",
            "      parameters:
        - {name: format, in: path, required: true, schema: {type: string}}
        - {name: user, in: path, required: true, schema: {type: integer}}
",
        );
        assert_eq!(
            placed(&api),
            [
                (Place::Path, "user", "user"),
                (Place::Path, "format", "format"),
            ]
        );
        assert_eq!(
            api.operations[0].segments,
            [
                PathSegment::Literal("users".to_owned()),
                PathSegment::Parameter(0),
                PathSegment::Template(vec![
                    TemplatePart::Literal("avatar.".to_owned()),
                    TemplatePart::Parameter(1),
                ]),
            ]
        );
    }

    #[test]
    fn the_parameters_struct_serialises_only_its_query_fields() {
        let api = lowered(
            "/search",
            "      parameters:
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: q, in: query, required: true, schema: {type: string}}
",
        );
        let params = api.operations[0].params_type.expect("a parameters struct");
        assert_eq!(api.name_of(params), "SearchParams");
        let Some(TypeKind::Struct(strukt)) = api.kind_of(params) else {
            panic!("the parameters are a struct");
        };
        let fields: Vec<(&str, Presence)> = strukt
            .fields
            .iter()
            .map(|field| (field.name.as_str(), field.presence))
            .collect();
        assert_eq!(
            fields,
            [("q", Presence::Required), ("x_trace", Presence::Optional)]
        );
        assert!(strukt.purpose.serialises(0), "the query parameter");
        assert!(!strukt.purpose.serialises(1), "the header");
    }

    #[test]
    fn template_pieces_split_text_from_parameters() {
        assert_eq!(
            template_pieces("v{major}.{minor}"),
            Some(vec![
                Piece::Literal("v"),
                Piece::Parameter("major"),
                Piece::Literal("."),
                Piece::Parameter("minor"),
            ])
        );
        assert_eq!(template_pieces("a{b"), None);
        assert_eq!(template_pieces("a}b"), None);
        assert_eq!(template_pieces("{}"), None);
    }
}
