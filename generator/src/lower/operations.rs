//! Lowering paths and operations into [`Operation`]s, and their servers into [`Server`]s.

use openapiv3::{
    MediaType, Operation as SpecOperation, Parameter as SpecParameter, ParameterSchemaOrContent,
    PathItem, QueryStyle, ReferenceOr,
};

use super::simplify::text;
use super::Lowerer;
use crate::diagnostics::{Error, Pointer};
use crate::model::{
    BodyEncoding, Field, Operation, OperationKind, Outcome, Parameter, PathSegment, Presence,
    Purpose, RequestBody, ResponseBody, Server, Struct, Style, TemplatePart, TypeDef, TypeId,
    TypeKind, TypeRef,
};
use crate::naming::{self, UniqueNames};
use crate::{Config, MethodNames, Selection};

/// Where a server used by operations is declared, for placeholders a spec leaves out.
const FALLBACK_SERVER: &str = "http://localhost";

/// The distinct servers of an API, each with a unique field name.
#[derive(Default)]
struct Servers {
    list: Vec<Server>,
    names: UniqueNames,
}

impl Servers {
    fn index_of(&mut self, url: String, description: Option<String>) -> usize {
        if let Some(index) = self.list.iter().position(|server| server.url == url) {
            return index;
        }
        let without_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        let field = self.names.claim(naming::value_name(without_scheme));
        self.list.push(Server {
            field,
            url,
            description,
        });
        self.list.len() - 1
    }
}

/// A parameter after `$ref`s are resolved, with where it was found.
struct ResolvedParameter<'d> {
    parameter: &'d SpecParameter,
    at: Pointer,
}

impl<'a> Lowerer<'a> {
    /// Lowers every operation, in document order, and the servers they use. An operation
    /// with a problem is recorded as an error and left out; the others are still lowered.
    pub(super) fn operations(&mut self, config: &Config) -> (Vec<Server>, Vec<Operation>) {
        let spec: &'a crate::load::Spec = self.spec;
        let mut servers = Servers::default();
        let mut names = OperationNames {
            methods: UniqueNames::with_reserved(naming::CLIENT_METHODS),
            constants: UniqueNames::default(),
        };
        let mut operations = Vec::new();
        let mut selected_any = false;
        for (path_key, item) in &spec.document().paths.paths {
            let path_at = Pointer::root().join("paths").join(path_key);
            let ReferenceOr::Item(item) = item else {
                let error = self.error(&path_at, "a `$ref` to a path item is not supported");
                self.errors.push(error);
                continue;
            };
            for (method, operation) in item.iter() {
                if !selected(&config.selection, path_key, operation) {
                    continue;
                }
                selected_any = true;
                let context = OperationContext {
                    path_key,
                    item,
                    method,
                    operation,
                    at: path_at.join(method),
                };
                let errors_before = self.errors.len();
                let lowered = self.operation(&context, config, &mut servers, &mut names);
                let lowered = self.recover(lowered.map(Some), None);
                if let Some(lowered) = lowered.filter(|_| self.errors.len() == errors_before) {
                    operations.push(lowered);
                }
            }
        }
        if !selected_any && !config.selection.is_everything() {
            let Selection { tags, paths } = &config.selection;
            let message =
                format!("no operation has one of the tags {tags:?} or one of the paths {paths:?}");
            let error = self.error(&Pointer::root().join("paths"), message);
            self.errors.push(error);
        }
        (servers.list, operations)
    }

    fn operation(
        &mut self,
        context: &OperationContext<'a>,
        config: &Config,
        servers: &mut Servers,
        names: &mut OperationNames,
    ) -> Result<Operation, Error> {
        let OperationContext {
            path_key,
            method,
            operation,
            at,
            ..
        } = context;
        // A `#fragment` only tells apart operations that share a URL; it is never sent.
        let path = path_key.split('#').next().unwrap_or_default().to_owned();
        let operation_id = operation
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{} {path}", method.to_uppercase()));
        let by_summary = operation
            .summary
            .as_deref()
            .filter(|s| !s.trim().is_empty());
        let by_id = operation.operation_id.as_deref();
        let fallback = format!("{method} {path}");
        let base_name = match config.method_names {
            MethodNames::Summary => by_summary.or(by_id),
            MethodNames::OperationId => by_id.or(by_summary),
        }
        .unwrap_or(&fallback);
        let method_name = names.methods.claim(naming::value_name(base_name));
        let constant = names.constants.claim(naming::constant_name(&method_name));

        let server = self.server(context, servers);
        let parameters = self.parameters(context)?;
        let mut arguments = UniqueNames::with_reserved(naming::FIXED_ARGUMENTS);
        let mut path_params = Vec::new();
        let mut query_params = Vec::new();
        let mut header_params = Vec::new();
        let mut cookie_params = Vec::new();
        for resolved in parameters {
            let lowered = self.parameter(&resolved, &method_name);
            // A parameter that failed is recorded and stands in as any JSON (the operation is
            // then left out), so the path template does not also report it as undeclared.
            let stand_in = Parameter {
                name: String::new(),
                wire_name: resolved.parameter.parameter_data_ref().name.clone(),
                docs: None,
                ty: TypeRef::Json,
                required: false,
                style: Style::Json,
            };
            let mut lowered = self.recover(lowered, stand_in);
            match resolved.parameter {
                SpecParameter::Path { .. } => {
                    lowered.name = arguments.claim(naming::value_name(&lowered.wire_name));
                    lowered.required = true;
                    path_params.push(lowered);
                }
                SpecParameter::Query { .. } => query_params.push(lowered),
                SpecParameter::Header { .. } => header_params.push(lowered),
                SpecParameter::Cookie { .. } => cookie_params.push(lowered),
            }
        }
        let segments = self.segments(&path, &mut path_params, at)?;
        let params_type = self.params_struct(
            &method_name,
            [&mut query_params, &mut header_params, &mut cookie_params],
            at,
        );
        let body = self.request_body(operation, at, &method_name);
        let body = self.recover(body, None);
        let success = self.success(operation, at, &method_name);
        let (success, browser) =
            self.recover(success, (Outcome::Single(ResponseBody::Empty), false));
        let error = self.errors(operation, at, &method_name);
        let error = self.recover(error, Outcome::Single(ResponseBody::Empty));
        // A page for a browser has only a URL to build; one with path parameters is fetched
        // instead, so that a value a URL cannot carry is reported as an error.
        let kind = if browser && *method == "get" && body.is_none() && path_params.is_empty() {
            OperationKind::BrowserUrl
        } else {
            OperationKind::Request
        };
        Ok(Operation {
            method_name,
            constant,
            origin: at.as_str().to_owned(),
            operation_id,
            tags: operation.tags.clone(),
            features: Vec::new(),
            http_method: method.to_uppercase(),
            path,
            segments,
            server,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            path_params,
            query_params,
            header_params,
            cookie_params,
            params_type,
            body,
            success,
            error,
            kind,
            accept: self.accepted(operation),
        })
    }

    /// The first server of the operation, else of its path, else of the document. A URL the
    /// client cannot use as it is gets the nearest one it can, with a warning: the caller
    /// sets the real one in `BaseUrls`.
    fn server(&mut self, context: &OperationContext<'a>, servers: &mut Servers) -> usize {
        let document = &self.spec.document().servers;
        let (declared, at) = if !context.operation.servers.is_empty() {
            (&context.operation.servers, context.at.join("servers"))
        } else if !context.item.servers.is_empty() {
            let path_at = Pointer::root().join("paths").join(context.path_key);
            (&context.item.servers, path_at.join("servers"))
        } else {
            (document, Pointer::root().join("servers"))
        };
        let Some(server) = declared.first() else {
            // Only the document's list can be empty here, so the warning is said once, there.
            let message =
                format!("no `servers` are declared; the client defaults to `{FALLBACK_SERVER}`");
            self.warn(&at, message);
            return servers.index_of(FALLBACK_SERVER.to_owned(), None);
        };
        let at = at.join(0).join("url");
        let mut url = server.url.clone();
        for (name, variable) in server.variables.iter().flatten() {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
        // What the URL lacks, in order, and the URL the client starts with instead.
        let mut lacks = Vec::new();
        if url.contains('{') || url.contains('}') {
            lacks.push("still holds a placeholder once its variables are filled in".to_owned());
            url = url.replace(['{', '}'], "");
        }
        if url.starts_with('/') || url.is_empty() {
            lacks.push("is relative".to_owned());
            url = format!("{FALLBACK_SERVER}{url}");
        }
        let usable = url::Url::parse(&url)
            .map_err(|error| error.to_string())
            .and_then(|parsed| match parsed.scheme() {
                "http" | "https" if parsed.has_host() => Ok(()),
                _ => Err("it is not an http or https URL with a host".to_owned()),
            });
        if let Err(reason) = usable {
            lacks.push(format!("cannot be used ({reason})"));
            url = FALLBACK_SERVER.to_owned();
        }
        if !lacks.is_empty() {
            let message = format!(
                "server URL `{}` {}; the client defaults to `{url}` until `BaseUrls` says \
                 otherwise",
                server.url,
                lacks.join(" and ")
            );
            self.warn(&at, message);
        }
        servers.index_of(url, server.description.clone())
    }

    /// One parameter of an operation.
    fn parameter(
        &mut self,
        resolved: &ResolvedParameter<'a>,
        method_name: &str,
    ) -> Result<Parameter, Error> {
        let ResolvedParameter { parameter, at } = resolved;
        let data = parameter.parameter_data_ref();
        // A parameter described by `content` is written as that media type: JSON text.
        let (schema, schema_at, style) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                (schema, at.join("schema"), parameter_style(parameter))
            }
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
                let schema_at = at.join("content").join(media).join("schema");
                (schema, schema_at, Style::Json)
            }
        };
        let hint = format!("{method_name} {}", data.name);
        let ty = self.schema_type(schema.into(), &schema_at, &hint)?;
        let facts = self.facts(schema.into(), &schema_at)?;
        let docs = text(&data.description).or(facts.docs);
        self.adopt_docs(&ty, docs.as_deref());
        let is_path = matches!(parameter, SpecParameter::Path { .. });
        let kind_of = |id| self.types.kind(id);
        if is_path && (!ty.is_scalar(&kind_of) || style == Style::Json) {
            let message = "a path parameter must be a string, number, boolean or enum, or a \
                           union of those; an array or object cannot be one path segment";
            return Err(self.error(&schema_at, message));
        }
        Ok(Parameter {
            name: String::new(),
            wire_name: data.name.clone(),
            docs,
            ty,
            required: data.required,
            style,
        })
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
            let key = |p: &SpecParameter| {
                (
                    p.parameter_data_ref().name.clone(),
                    std::mem::discriminant(p),
                )
            };
            resolved.retain(|existing| key(existing.parameter) != key(parameter));
            resolved.push(ResolvedParameter { parameter, at });
        }
        Ok(resolved)
    }

    /// Splits the path template, checking that every `{name}` has a path parameter; returns
    /// the path parameters in the order the path uses them.
    fn segments(
        &self,
        path: &str,
        path_params: &mut Vec<Parameter>,
        at: &Pointer,
    ) -> Result<Vec<PathSegment>, Error> {
        let mut ordered = Vec::with_capacity(path_params.len());
        let mut segments = Vec::new();
        let mut take = |name: &str| {
            let Some(index) = path_params.iter().position(|p| p.wire_name == name) else {
                let message = format!(
                    "the path uses `{{{name}}}` but no path parameter `{name}` is declared"
                );
                return Err(self.error(at, message));
            };
            let parameter = path_params.remove(index);
            let rust_name = parameter.name.clone();
            ordered.push(parameter);
            Ok(rust_name)
        };
        for piece in path.split('/').filter(|piece| !piece.is_empty()) {
            let parts = template_parts(piece).ok_or_else(|| {
                self.error(at, format!("path segment `{piece}` has unbalanced braces"))
            })?;
            let segment = match parts.as_slice() {
                [TemplatePart::Literal(text)] => PathSegment::Literal(text.clone()),
                [TemplatePart::Parameter(name)] => PathSegment::Parameter(take(name)?),
                _ => PathSegment::Template(
                    parts
                        .into_iter()
                        .map(|part| match part {
                            TemplatePart::Parameter(name) => {
                                take(&name).map(TemplatePart::Parameter)
                            }
                            literal => Ok(literal),
                        })
                        .collect::<Result<_, _>>()?,
                ),
            };
            segments.push(segment);
        }
        if let Some(unused) = path_params.first() {
            let message = format!(
                "path parameter `{}` does not appear in the path",
                unused.wire_name
            );
            return Err(self.error(at, message));
        }
        *path_params = ordered;
        Ok(segments)
    }

    /// Whether `ty` names a struct.
    fn is_struct(&self, ty: &TypeRef) -> bool {
        matches!(ty, TypeRef::Named(id) if matches!(self.types.kind(*id), Some(TypeKind::Struct(_))))
    }

    /// Defines the struct that holds an operation's query, header and cookie parameters,
    /// naming each parameter after its field.
    fn params_struct(
        &mut self,
        method_name: &str,
        groups: [&mut Vec<Parameter>; 3],
        at: &Pointer,
    ) -> Option<TypeId> {
        if groups.iter().all(|group| group.is_empty()) {
            return None;
        }
        let name = self.type_names.claim(naming::type_name(&format!(
            "{} params",
            naming::unraw(method_name)
        )));
        let mut field_names = UniqueNames::default();
        let mut fields = Vec::new();
        let mut query = Vec::new();
        let [query_params, header_params, cookie_params] = groups;
        for parameter in query_params.iter_mut() {
            parameter.name = field_names.claim(naming::value_name(&parameter.wire_name));
            query.push(parameter.name.clone());
        }
        for parameter in header_params.iter_mut().chain(cookie_params.iter_mut()) {
            parameter.name = field_names.claim(naming::value_name(&parameter.wire_name));
        }
        let all = query_params
            .iter()
            .chain(&*header_params)
            .chain(&*cookie_params);
        for parameter in all {
            fields.push(Field {
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
            });
        }
        let definition = TypeDef {
            name: name.clone(),
            origin: at.join("parameters").as_str().to_owned(),
            docs: Some(format!("Query, header and cookie parameters of [`Client::{method_name}`](crate::Client::{method_name}).")),
            features: Vec::new(),
            kind: TypeKind::Struct(Struct {
                fields,
                purpose: Purpose::Parameters { query },
                builder: self.builder_name(&name),
            }),
        };
        Some(self.types.insert(definition))
    }

    fn request_body(
        &mut self,
        operation: &'a SpecOperation,
        at: &Pointer,
        method_name: &str,
    ) -> Result<Option<RequestBody>, Error> {
        let Some(body) = &operation.request_body else {
            return Ok(None);
        };
        let (resolved, body_at) =
            self.resolve(body, &at.join("requestBody"), "requestBodies", |c| {
                &c.request_bodies
            })?;
        // A body of `components/requestBodies` is shared, so an inline schema in it is named
        // after it rather than after the first operation that sends it.
        let hint = match body {
            ReferenceOr::Reference { .. } => body_at.last_token(),
            ReferenceOr::Item(_) => format!("{method_name} body"),
        };
        let body = resolved;
        // With several content types, the first JSON one wins, then a form, then multipart,
        // then whatever comes first (sent as bytes).
        let rank = |content_type: &str| match encoding_of(content_type) {
            BodyEncoding::Json => 0,
            BodyEncoding::Form => 1,
            BodyEncoding::Multipart => 2,
            BodyEncoding::Bytes => 3,
        };
        let chosen = body
            .content
            .iter()
            .enumerate()
            .min_by_key(|(index, (content_type, _))| (rank(content_type), *index))
            .map(|(_, entry)| entry);
        let Some((content_type, media)) = chosen else {
            self.warn(
                &body_at.join("content"),
                "a request body without content is not sent",
            );
            return Ok(None);
        };
        let encoding = encoding_of(content_type);
        let schema_at = body_at.join("content").join(content_type).join("schema");
        let ty = match (&media.schema, encoding) {
            (_, BodyEncoding::Bytes) => TypeRef::Bytes,
            (Some(schema), _) => {
                let ty = self.schema_type(schema.into(), &schema_at, &hint)?;
                // An undocumented inline body says what it is through its request body.
                if let ReferenceOr::Item(_) = schema {
                    self.adopt_docs(&ty, text(&body.description).as_deref());
                }
                ty
            }
            (None, _) => TypeRef::Json,
        };
        if encoding == BodyEncoding::Multipart && !self.is_struct(&ty) {
            let message = "a `multipart/form-data` body must be an object with properties";
            return Err(self.error(&schema_at, message));
        }
        let field_styles = media
            .encoding
            .iter()
            .filter_map(|(property, encoding)| {
                // openapiv3 reads an absent `explode` as false, so only an explicit
                // `style: form` can turn exploding off; without a style it stays on.
                let style = match encoding.style {
                    None => return None,
                    Some(QueryStyle::Form) if encoding.explode => return None,
                    Some(QueryStyle::Form) => Style::Form { explode: false },
                    Some(QueryStyle::SpaceDelimited) => Style::SpaceDelimited,
                    Some(QueryStyle::PipeDelimited) => Style::PipeDelimited,
                    Some(QueryStyle::DeepObject) => Style::DeepObject,
                };
                Some((property.clone(), style))
            })
            .collect();
        let parts = match (&ty, encoding) {
            (TypeRef::Named(id), BodyEncoding::Multipart) => {
                let media_at = body_at.join("content").join(content_type);
                self.multipart_parts(*id, media, &media_at)
            }
            _ => Vec::new(),
        };
        Ok(Some(RequestBody {
            ty,
            encoding,
            content_type: content_type.clone(),
            required: body.required,
            docs: body.description.clone(),
            field_styles,
            parts,
        }))
    }
}

/// The names operations have claimed so far: their methods and their constants.
struct OperationNames {
    methods: UniqueNames,
    constants: UniqueNames,
}

/// Borrowed pieces of one operation of the document.
struct OperationContext<'d> {
    path_key: &'d str,
    item: &'d PathItem,
    method: &'d str,
    operation: &'d SpecOperation,
    at: Pointer,
}

/// `avatar.{format}` -> literal `avatar.` and parameter `format`; `None` when braces do not
/// pair up.
fn template_parts(piece: &str) -> Option<Vec<TemplatePart>> {
    let mut parts = Vec::new();
    let mut rest = piece;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(TemplatePart::Literal(rest[..open].to_owned()));
        }
        let close = rest[open..].find('}')? + open;
        let name = &rest[open + 1..close];
        if name.is_empty() || name.contains('{') {
            return None;
        }
        parts.push(TemplatePart::Parameter(name.to_owned()));
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        return None;
    }
    if !rest.is_empty() {
        parts.push(TemplatePart::Literal(rest.to_owned()));
    }
    Some(parts)
}

/// Whether the selection keeps an operation.
fn selected(selection: &Selection, path_key: &str, operation: &SpecOperation) -> bool {
    if selection.is_everything() {
        return true;
    }
    let path = path_key.split('#').next().unwrap_or_default();
    selection
        .paths
        .iter()
        .any(|wanted| wanted == path_key || wanted == path)
        || operation
            .tags
            .iter()
            .any(|tag| selection.tags.contains(tag))
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

/// How a body of `content_type` is put on the wire.
fn encoding_of(content_type: &str) -> BodyEncoding {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if is_json(essence) {
        BodyEncoding::Json
    } else if essence == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if essence == "multipart/form-data" {
        BodyEncoding::Multipart
    } else {
        BodyEncoding::Bytes
    }
}

/// `application/json` and vendor types such as `application/problem+json`.
pub(super) fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}
