//! Lowering paths and operations into [`Operation`]s, and their servers into [`Server`]s.

use openapiv3::{Operation as SpecOperation, PathItem, ReferenceOr};

use super::Lowerer;
use crate::diagnostics::{Error, Pointer};
use crate::model::{
    BodyEncoding, HttpMethod, Operation, OperationKind, Outcome, PathParameter, RequestBody,
    ResponseBody, Server,
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
        let http_method = HttpMethod::from_path_item_key(method)
            .ok_or_else(|| self.error(at, format!("`{method}` is not an HTTP method")))?;
        // A `#fragment` only tells apart operations that share a URL; it is never sent.
        let path = path_key.split('#').next().unwrap_or_default().to_owned();
        let (method_name, constant) = names.claim(context, &path, config.method_names);
        let server = self.server(context, servers);
        let lowered = self.operation_parameters(context, &path, &method_name)?;
        let params_type = self.params_struct(&method_name, lowered.fields, at);
        let body = self.request_body(operation, at, &method_name);
        let body = self.recover(body, None);
        let outcomes = self.outcomes(operation, at, &method_name);
        let kind = operation_kind(&outcomes, http_method, &lowered.path, body.as_ref());
        Ok(Operation {
            method_name,
            constant,
            origin: at.as_str().to_owned(),
            operation_id: operation
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{http_method} {path}")),
            tags: operation.tags.clone(),
            features: Vec::new(),
            http_method,
            path,
            segments: lowered.segments,
            server,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            path_parameters: lowered.path,
            params_type,
            body,
            success: outcomes.success,
            error: outcomes.error,
            kind,
            accept: self.accepted(operation),
        })
    }

    /// What the successes and the errors of an operation hold. A failure is recorded, and
    /// stands in as an empty body.
    fn outcomes(
        &mut self,
        operation: &'a SpecOperation,
        at: &Pointer,
        method_name: &str,
    ) -> Outcomes {
        let success = self.success(operation, at, method_name);
        let (success, pages_only) =
            self.recover(success, (Outcome::Single(ResponseBody::Empty), false));
        let error = self.errors(operation, at, method_name);
        let error = self.recover(error, Outcome::Single(ResponseBody::Empty));
        Outcomes {
            success,
            error,
            pages_only,
        }
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
}

/// The names operations have claimed so far: their methods and their constants.
struct OperationNames {
    methods: UniqueNames,
    constants: UniqueNames,
}

impl OperationNames {
    /// The method name and the constant name of the operation of `context`, at `path`: after
    /// its summary or its `operationId`, as `from` prefers, else its method and path.
    fn claim(
        &mut self,
        context: &OperationContext<'_>,
        path: &str,
        from: MethodNames,
    ) -> (String, String) {
        let operation = context.operation;
        let by_summary = operation
            .summary
            .as_deref()
            .filter(|s| !s.trim().is_empty());
        let by_id = operation.operation_id.as_deref();
        let fallback = format!("{} {path}", context.method);
        let base_name = match from {
            MethodNames::Summary => by_summary.or(by_id),
            MethodNames::OperationId => by_id.or(by_summary),
        }
        .unwrap_or(&fallback);
        let method = self.methods.claim(naming::value_name(base_name));
        let constant = self.constants.claim(naming::constant_name(&method));
        (method, constant)
    }
}

/// Borrowed pieces of one operation of the document.
pub(super) struct OperationContext<'d> {
    pub(super) path_key: &'d str,
    pub(super) item: &'d PathItem,
    pub(super) method: &'d str,
    pub(super) operation: &'d SpecOperation,
    pub(super) at: Pointer,
}

/// What an operation's responses hold.
struct Outcomes {
    success: Outcome,
    error: Outcome,
    /// Every success is an HTML page.
    pages_only: bool,
}

/// How an operation is used: a page for a browser (every success is HTML) has only a URL
/// to build when nothing but a query goes with it; one with path parameters is fetched
/// instead, so that a value a URL cannot carry is reported as an error.
fn operation_kind(
    outcomes: &Outcomes,
    method: HttpMethod,
    path_parameters: &[PathParameter],
    body: Option<&RequestBody>,
) -> OperationKind {
    if outcomes.pages_only
        && method == HttpMethod::Get
        && body.is_none()
        && path_parameters.is_empty()
    {
        OperationKind::BrowserUrl
    } else {
        OperationKind::Request
    }
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

/// How a body of `content_type` is put on the wire.
pub(super) fn encoding_of(content_type: &str) -> BodyEncoding {
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
