//! Lowering an operation's parameters into [`Parameter`]s, each built once with its location
//! and final Rust name; splitting its path into [`PathSegment`]s that point at them; and the
//! struct of its query, header and cookie parameters.

use openapiv3::{
    MediaType, Parameter as SpecParameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr,
    Schema,
};

use super::operations::{is_json, OperationContext};
use super::simplify::text;
use super::Lowerer;
use crate::diagnostics::{Error, Pointer};
use crate::model::{
    Field, ParamLocation, Parameter, PathSegment, Presence, Purpose, Struct, Style, TemplatePart,
    TypeDef, TypeId, TypeKind, TypeRef,
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
    /// Path parameters in path order, then query, header and cookie ones in spec order.
    pub(super) parameters: Vec<Parameter>,
    /// The path, its parameters as indices into `parameters`.
    pub(super) segments: Vec<PathSegment>,
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
        let mut parameters: Vec<Parameter> = resolved
            .iter()
            .zip(names)
            .map(|(resolved, name)| {
                let lowered = self.parameter(resolved, name.clone(), method_name);
                self.recover(lowered, stand_in(resolved, name))
            })
            .collect();
        // Stable: each location keeps the spec's order.
        parameters.sort_by_key(|parameter| parameter.location);
        let segments = self.segments(path, &mut parameters, &context.at)?;
        Ok(LoweredParameters {
            parameters,
            segments,
        })
    }

    /// One parameter of an operation, named `name`.
    fn parameter(
        &mut self,
        resolved: &ResolvedParameter<'a>,
        name: String,
        method_name: &str,
    ) -> Result<Parameter, Error> {
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
        let location = location_of(parameter);
        let kind_of = |id| self.types.kind(id);
        if location == ParamLocation::Path && (!ty.is_scalar(&kind_of) || style == Style::Json) {
            let message = "a path parameter must be a string, number, boolean or enum, or a \
                           union of those; an array or object cannot be one path segment";
            return Err(self.error(&schema_at, message));
        }
        Ok(Parameter {
            location,
            name,
            wire_name: data.name.clone(),
            docs,
            ty,
            required: data.required || location == ParamLocation::Path,
            style,
        })
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
            let key = |p: &SpecParameter| (p.parameter_data_ref().name.clone(), location_of(p));
            resolved.retain(|existing| key(existing.parameter) != key(parameter));
            resolved.push(ResolvedParameter { parameter, at });
        }
        Ok(resolved)
    }

    /// Splits the path template, checking that every `{name}` has a path parameter, and puts
    /// the path parameters (first in `parameters`) in the order the path uses them.
    fn segments(
        &self,
        path: &str,
        parameters: &mut Vec<Parameter>,
        at: &Pointer,
    ) -> Result<Vec<PathSegment>, Error> {
        let declared = parameters
            .iter()
            .take_while(|parameter| parameter.location == ParamLocation::Path)
            .count();
        let mut order = PathOrder {
            wire_names: parameters[..declared]
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
        let mut path_params: Vec<(usize, Parameter)> =
            parameters.drain(..declared).enumerate().collect();
        path_params.sort_by_key(|(index, _)| used.iter().position(|used| used == index));
        parameters.splice(
            0..0,
            path_params.into_iter().map(|(_, parameter)| parameter),
        );
        Ok(segments)
    }

    /// Defines the struct that holds an operation's query, header and cookie parameters (those
    /// of `parameters` that are not in the path), one field each, in order.
    pub(super) fn params_struct(
        &mut self,
        method_name: &str,
        parameters: &[Parameter],
        at: &Pointer,
    ) -> Option<TypeId> {
        let fielded: Vec<&Parameter> = parameters
            .iter()
            .filter(|parameter| parameter.location != ParamLocation::Path)
            .collect();
        if fielded.is_empty() {
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
        let strukt = Struct {
            fields: fielded
                .iter()
                .map(|parameter| field_of(parameter))
                .collect(),
            purpose: Purpose::Parameters {
                locations: fielded.iter().map(|parameter| parameter.location).collect(),
            },
            builder: self.builder_name(&name),
        };
        let definition = TypeDef {
            name: name.clone(),
            origin: at.join("parameters").as_str().to_owned(),
            docs: Some(docs),
            features: Vec::new(),
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
    for location in [
        ParamLocation::Path,
        ParamLocation::Query,
        ParamLocation::Header,
        ParamLocation::Cookie,
    ] {
        let claimed = match location {
            ParamLocation::Path => &mut arguments,
            _ => &mut fields,
        };
        let located = resolved
            .iter()
            .enumerate()
            .filter(|(_, resolved)| location_of(resolved.parameter) == location);
        for (index, resolved) in located {
            names[index] = claimed.claim(naming::value_name(resolved.wire_name()));
        }
    }
    names
}

/// What stands in for a parameter that failed to lower.
fn stand_in(resolved: &ResolvedParameter<'_>, name: String) -> Parameter {
    Parameter {
        location: location_of(resolved.parameter),
        name,
        wire_name: resolved.wire_name().to_owned(),
        docs: None,
        ty: TypeRef::Json,
        required: false,
        style: Style::Json,
    }
}

/// The field of the parameters struct that holds `parameter`.
fn field_of(parameter: &Parameter) -> Field {
    Field {
        name: parameter.name.clone(),
        wire_name: parameter.wire_name.clone(),
        docs: parameter.docs.clone(),
        ty: parameter.ty.clone(),
        presence: if parameter.required {
            Presence::Required
        } else {
            Presence::Optional
        },
        boxed: false,
        fixed: None,
        keeps_null: false,
    }
}

/// Where a parameter of the spec is sent.
fn location_of(parameter: &SpecParameter) -> ParamLocation {
    match parameter {
        SpecParameter::Path { .. } => ParamLocation::Path,
        SpecParameter::Query { .. } => ParamLocation::Query,
        SpecParameter::Header { .. } => ParamLocation::Header,
        SpecParameter::Cookie { .. } => ParamLocation::Cookie,
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
    use crate::model::{Api, Operation};
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

    /// The only operation of [`lowered`]'s document.
    fn operation(path: &str, operation: &str) -> Operation {
        let api = lowered(path, operation);
        api.operations.into_iter().next().expect("one operation")
    }

    /// Each parameter's location, Rust name and wire name, in model order.
    fn placed(operation: &Operation) -> Vec<(ParamLocation, &str, &str)> {
        operation
            .parameters
            .iter()
            .map(|p| (p.location, p.name.as_str(), p.wire_name.as_str()))
            .collect()
    }

    #[test]
    fn each_parameter_has_its_location_and_final_name() {
        let op = operation(
            "/files/{file-id}",
            "      parameters:
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: fields, in: query, schema: {type: string}}
        - {name: file-id, in: path, required: true, schema: {type: string}}
        - {name: session, in: cookie, schema: {type: string}}
        - {name: Fields, in: header, schema: {type: string}}
",
        );
        assert_eq!(
            placed(&op),
            [
                (ParamLocation::Path, "file_id", "file-id"),
                (ParamLocation::Query, "fields", "fields"),
                (ParamLocation::Header, "x_trace", "X-Trace"),
                // A header sharing its field name with a query parameter is named after it.
                (ParamLocation::Header, "fields2", "Fields"),
                (ParamLocation::Cookie, "session", "session"),
            ]
        );
        assert!(op.parameters[0].required, "a path parameter is required");
    }

    #[test]
    fn a_path_argument_never_takes_a_fixed_argument_name() {
        let op = operation(
            "/{body}",
            "      parameters:
        - {name: body, in: path, required: true, schema: {type: string}}
",
        );
        assert_eq!(placed(&op), [(ParamLocation::Path, "body2", "body")]);
    }

    #[test]
    fn path_segments_point_at_their_parameters_in_path_order() {
        let op = operation(
            "/users/{user}/avatar.{format}",
            "      parameters:
        - {name: format, in: path, required: true, schema: {type: string}}
        - {name: user, in: path, required: true, schema: {type: integer}}
",
        );
        assert_eq!(
            placed(&op),
            [
                (ParamLocation::Path, "user", "user"),
                (ParamLocation::Path, "format", "format"),
            ]
        );
        assert_eq!(
            op.segments,
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
