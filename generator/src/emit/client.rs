//! `src/client.rs`: the `Client`, the `BaseUrls` of the API's servers, and one method per
//! operation. Each method says what is particular to its operation (its path, parameters, body
//! and responses); `clientgen-runtime` does the sending.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{ident, paragraphs, runtime, rust_type};
use crate::model::{
    Api, BodyEncoding, Field, MultipartPart, Operation, OperationKind, Outcome, ParamLocation,
    PathParameter, PathSegment, Presence, RequestBody, ResponseBody, Server, Style, TemplatePart,
    TypeKind, TypeRef,
};

/// `src/client.rs` of `api`'s crate.
pub(super) fn client_rs(api: &Api) -> TokenStream {
    let imports = imports(api);
    let base_urls = base_urls(&api.servers);
    let client = client_struct(api);
    let methods = api.operations.iter().map(|op| {
        let cfg = super::cfg(api, &op.features);
        let method = operation(api, op);
        quote!(#cfg #method)
    });
    quote! {
        //! The API's client: [`Client`], with one method per operation, and the servers it
        //! sends to.

        #imports

        #base_urls

        #client

        impl Client {
            #(#methods)*
        }
    }
}

/// The `use` items of `client.rs`: those every client needs, and those only some operations
/// do.
fn imports(api: &Api) -> TokenStream {
    let requests = api
        .operations
        .iter()
        .any(|op| op.kind == OperationKind::Request);
    // With features, an import may serve only operations that are compiled out.
    let allow = (!api.features.is_empty()).then(
        || quote!(#[allow(unused_imports, reason = "only the operations of some features use it")]),
    );
    let import_requests = requests.then(|| {
        quote!(
            #allow
            use clientgen_runtime::Call;

            #allow
            use crate::operations;
        )
    });
    // An operation at the server's root (`/`) has no segments to write.
    let import_segment = api
        .operations
        .iter()
        .any(|op| op.kind == OperationKind::Request && !op.segments.is_empty())
        .then(|| quote!(#allow use clientgen_runtime::encode::Segment;));
    let import_style = api
        .operations
        .iter()
        .any(|op| writes_style(api, op))
        .then(|| quote!(#allow use clientgen_runtime::encode::Style;));
    let import_types = api
        .operations
        .iter()
        .any(mentions_named_type)
        .then(|| quote!(#allow use crate::types;));
    quote! {
        use clientgen_runtime::reqwest::header::HeaderMap;
        use clientgen_runtime::{ApiClient, ClientBuilder, Transport, Url};
        #import_requests
        #import_segment
        #import_style
        #import_types
    }
}

/// Whether the method of `op` writes a [`Style`] (see [`style_tokens`]): for a header or
/// cookie, a query parameter not written the default way, or a form field.
fn writes_style(api: &Api, op: &Operation) -> bool {
    let parameter = api.parameter_fields(op).any(|(_, slot)| {
        slot.location != ParamLocation::Query || slot.style != DEFAULT_QUERY_STYLE
    });
    let form_field = op
        .body
        .as_ref()
        .is_some_and(|body| body.encoding == BodyEncoding::Form && !body.field_styles.is_empty());
    parameter || form_field
}

/// Whether the method of `op` names a type of `types.rs`: in its arguments, or in what a request
/// returns.
fn mentions_named_type(op: &Operation) -> bool {
    !op.sent_types().is_empty()
        || (op.kind == OperationKind::Request && !op.received_types().is_empty())
}

/// The `BaseUrls` struct: one field per server.
fn base_urls(servers: &[Server]) -> TokenStream {
    let fields = servers.iter().map(|server| {
        let name = ident(&server.field);
        let doc = match &server.description {
            Some(description) => format!(" `{}`: {}", server.url, description.trim()),
            None => format!(" `{}`.", server.url),
        };
        quote! {
            #[doc = #doc]
            pub #name: Url,
        }
    });
    let all = servers.iter().enumerate().map(|(index, server)| {
        let name = ident(&server.field);
        if index + 1 == servers.len() {
            quote!(#name: url)
        } else {
            quote!(#name: url.clone())
        }
    });
    let unused_url = servers.is_empty().then(|| quote!(let _ = url;));
    let (derive_default, default_impl) = match base_urls_default(servers) {
        Some(default_impl) => (None, Some(default_impl)),
        None => (Some(quote!(Default,)), None),
    };
    quote! {
        /// Where each of the API's servers is reached.
        ///
        /// [`BaseUrls::default`] holds the URLs of the spec; override them to reach a proxy or a
        /// test server. Each must be an absolute `http` or `https` URL; an operation's path is
        /// appended to it.
        #[derive(Debug, Clone, PartialEq, Eq, #derive_default)]
        pub struct BaseUrls {
            #(#fields)*
        }

        impl BaseUrls {
            /// Every server at the same `url`, as for a local test server.
            pub fn all(url: Url) -> Self {
                #unused_url
                Self { #(#all),* }
            }
        }

        #default_impl
    }
}

/// `impl Default for BaseUrls`, with the spec's URLs; `None` when there are no servers, and
/// the empty struct derives it.
fn base_urls_default(servers: &[Server]) -> Option<TokenStream> {
    if servers.is_empty() {
        return None;
    }
    let defaults = servers.iter().map(|server| {
        let name = ident(&server.field);
        let url = &server.url;
        quote!(#name: Url::parse(#url).expect("the generator checked the spec's server URLs"))
    });
    Some(quote! {
        impl Default for BaseUrls {
            fn default() -> Self {
                Self { #(#defaults),* }
            }
        }
    })
}

/// The `Client` struct, how the runtime's builder makes one, and its own methods.
fn client_struct(api: &Api) -> TokenStream {
    let docs = format!(
        " A client for the {}; each operation is a method.",
        api.title.trim()
    );
    let own_methods = client_own_methods();
    quote! {
        #[doc = #docs]
        ///
        /// Cloning is cheap: clones share the connection pool, hooks and settings.
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: Transport,
            base_urls: BaseUrls,
        }

        impl ApiClient for Client {
            type BaseUrls = BaseUrls;

            fn from_parts(transport: Transport, base_urls: BaseUrls) -> Self {
                Self { transport, base_urls }
            }
        }

        impl Default for Client {
            fn default() -> Self {
                Self::new()
            }
        }

        #own_methods
    }
}

/// The `Client`'s methods that are not operations: making one, and its settings.
fn client_own_methods() -> TokenStream {
    quote! {
        impl Client {
            /// A client for the spec's servers, with the default timeouts and retries.
            ///
            /// # Panics
            ///
            /// When the TLS backend cannot be initialised, as `reqwest::Client::new` does.
            pub fn new() -> Self {
                Self::builder().build()
            }

            /// A builder to set the base URLs, the HTTP client, timeouts, retries, hooks and
            /// default headers.
            pub fn builder() -> ClientBuilder<Self> {
                ClientBuilder::new()
            }

            /// Where each server is reached.
            pub fn base_urls(&self) -> &BaseUrls {
                &self.base_urls
            }

            /// A copy of this client that also sends `headers` with every request: use it for
            /// one call (`client.with_extra_headers(h).operation(..)`) or keep it. A header
            /// named here replaces all values of that name set before.
            pub fn with_extra_headers(&self, headers: HeaderMap) -> Self {
                Self {
                    transport: self.transport.with_headers(headers),
                    base_urls: self.base_urls.clone(),
                }
            }
        }
    }
}

/// What every operation's method has, whatever it does.
struct Signature {
    docs: TokenStream,
    name: Ident,
    /// Its arguments, `&self` first.
    args: TokenStream,
    /// The base URL of its server.
    base: TokenStream,
}

/// The method of one operation: it sends the request, or builds a browser's URL.
fn operation(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let request_line = format!("`{} {}` (`{}`).", op.http_method, op.path, op.operation_id);
    let kind_note = match op.kind {
        OperationKind::BrowserUrl => {
            Some("Returns the URL to open in the user's browser; this method sends no request.")
        }
        OperationKind::Request => None,
    };
    let docs = paragraphs([
        op.summary.as_deref(),
        op.description.as_deref(),
        kind_note,
        Some(request_line.as_str()),
    ]);
    let types = quote!(types::);
    let path_args = op.path_parameters.iter().map(|param| {
        let arg = ident(&param.name);
        let ty = path_arg_type(api, param, &types);
        quote!(#arg: #ty)
    });
    let params_arg = op.params_type.map(|params| {
        let params = ident(api.name_of(params));
        quote!(params: &types::#params,)
    });
    let rt = runtime();
    let body_arg = op.body.as_ref().map(|body| {
        let ty = rust_type(api, &body.ty, &types);
        match (body.encoding, body.required) {
            (BodyEncoding::Bytes, true) => quote!(body: impl Into<#rt::Payload>,),
            (BodyEncoding::Bytes, false) => quote!(body: Option<#rt::Payload>,),
            (_, true) => quote!(body: &#ty,),
            (_, false) => quote!(body: Option<&#ty>,),
        }
    });
    let args = quote!(&self, #(#path_args,)* #params_arg #body_arg);
    let server = ident(&api.servers[op.server].field);
    let signature = Signature {
        docs,
        name,
        args,
        base: quote!(&self.base_urls.#server),
    };
    match op.kind {
        OperationKind::BrowserUrl => page(api, op, &signature),
        OperationKind::Request => request(api, op, &signature),
    }
}

/// The method of an operation that is a page for a browser: it builds the URL.
fn page(api: &Api, op: &Operation, signature: &Signature) -> TokenStream {
    let Signature {
        docs,
        name,
        args,
        base,
    } = signature;
    let rt = runtime();
    let path = op.segments.iter().filter_map(|segment| match segment {
        PathSegment::Literal(text) => Some(quote!(#text)),
        // Lowering makes a page only of a path without parameters.
        PathSegment::Parameter(_) | PathSegment::Template(_) => None,
    });
    let query = match op.params_type {
        Some(_) => quote!(params),
        None => quote!(&()),
    };
    let styles = styles(sent_in(api, op, ParamLocation::Query));
    quote! {
        #docs
        pub fn #name(#args) -> Url {
            #rt::encode::page_url(#base, &[#(#path),*], #query, &[#(#styles),*])
        }
    }
}

/// The method of an operation the client sends: it assembles the request, and returns the
/// runtime's `Call` that sends it.
fn request(api: &Api, op: &Operation, signature: &Signature) -> TokenStream {
    let Signature {
        docs,
        name,
        args,
        base,
    } = signature;
    let constant = ident(&op.constant);
    let segments = op.segments.iter().map(|segment| path_segment(op, segment));
    let start = quote! {
        self.transport.request(&operations::#constant, #base, &[#(#segments),*])
    };
    let (error, parse_error) = error_body(api, op);
    let (output, returning) = success_body(api, op, &parse_error);
    let body = assemble(api, op, &start, &returning);
    quote! {
        #docs
        pub fn #name(#args) -> Call<#output, #error> {
            #body
        }
    }
}

/// The body of an operation's method: the request assembled from `start` (the runtime's
/// request builder) with the `Accept` header, the parameters and the body, then ended by
/// `returning`.
fn assemble(
    api: &Api,
    op: &Operation,
    start: &TokenStream,
    returning: &TokenStream,
) -> TokenStream {
    let accept = op.accept.as_ref().map(|types| quote!(.accept(#types)));
    let has_query = sent_in(api, op, ParamLocation::Query).next().is_some();
    let query = has_query.then(|| {
        let styles = styles(sent_in(api, op, ParamLocation::Query));
        quote!(.query(params, &[#(#styles),*]))
    });
    let headers = sent_in(api, op, ParamLocation::Header)
        .map(|(field, style)| one_by_one(field, style, &quote!(header)));
    let cookies = sent_in(api, op, ParamLocation::Cookie)
        .map(|(field, style)| one_by_one(field, style, &quote!(cookie)));
    let assemble = quote!(#start #accept #query #(#headers)* #(#cookies)*);
    let Some(body) = &op.body else {
        return quote!(#assemble.#returning);
    };
    let attach = attach_body(api, body);
    if body.required {
        quote!(#assemble #attach.#returning)
    } else {
        quote! {
            let request = #assemble;
            let request = match body {
                Some(body) => request #attach,
                None => request,
            };
            request.#returning
        }
    }
}

/// The fields of `op`'s parameters struct sent in `location`, each with how it is written,
/// in field order.
fn sent_in<'a>(
    api: &'a Api,
    op: &Operation,
    location: ParamLocation,
) -> impl Iterator<Item = (&'a Field, Style)> {
    api.parameter_fields(op)
        .filter(move |(_, slot)| slot.location == location)
        .map(|(field, slot)| (field, slot.style))
}

/// The call (`.header(..)` or `.cookie(..)`) that adds a parameter written on its own: the
/// field of the parameters struct that holds it, in its style.
fn one_by_one(field: &Field, style: Style, call: &TokenStream) -> TokenStream {
    let name = ident(&field.name);
    let wire = &field.wire_name;
    let style = style_tokens(style);
    quote!(.#call(#wire, &params.#name, #style))
}

/// The runtime's `Segment` for one piece of the path.
fn path_segment(op: &Operation, segment: &PathSegment) -> TokenStream {
    match segment {
        PathSegment::Literal(text) => quote!(Segment::Literal(#text)),
        PathSegment::Parameter(index) => {
            let param = &op.path_parameters[*index];
            let wire = &param.wire_name;
            let arg = path_value(param);
            quote!(Segment::parameter(#wire, #arg))
        }
        PathSegment::Template(parts) => {
            let mut template = String::new();
            let mut arguments = Vec::new();
            for part in parts {
                match part {
                    TemplatePart::Literal(text) => {
                        template.push_str(&text.replace('{', "{{").replace('}', "}}"));
                    }
                    TemplatePart::Parameter(index) => {
                        template.push_str("{}");
                        arguments.push(path_value(&op.path_parameters[*index]));
                    }
                }
            }
            quote!(Segment::Template(format!(#template, #(#arguments),*)))
        }
    }
}

/// The body, as the request builder attaches it.
fn attach_body(api: &Api, body: &RequestBody) -> TokenStream {
    let rt = runtime();
    match body.encoding {
        BodyEncoding::Json => {
            let content_type = &body.content_type;
            quote!(.json(body, #content_type))
        }
        BodyEncoding::Form => {
            let styles = body.field_styles.iter().map(|styled| {
                let wire = &body_field(api, body, styled.field).wire_name;
                let style = style_tokens(styled.style);
                quote!((#wire, #style))
            });
            quote!(.form(body, &[#(#styles),*]))
        }
        BodyEncoding::Multipart => {
            let parts = body
                .parts
                .iter()
                .map(|part| multipart_part(body_field(api, body, part.field), part));
            quote!(.multipart(#rt::multipart::Parts::new() #(#parts)*))
        }
        BodyEncoding::Bytes if body.required => {
            let content_type = &body.content_type;
            quote!(.payload(body.into(), #content_type))
        }
        BodyEncoding::Bytes => {
            let content_type = &body.content_type;
            quote!(.payload(body, #content_type))
        }
    }
}

/// Adds one field of a multipart body as the part `part` describes (bytes as file parts, the
/// members of a flattened value each as their own).
fn multipart_part(field: &Field, part: &MultipartPart) -> TokenStream {
    let rt = runtime();
    let name = ident(&field.name);
    if field.presence.is_flattened() {
        return quote!(.members(&body.#name));
    }
    let wire = &field.wire_name;
    let mut spec = quote!(#rt::multipart::PartSpec::new(#wire));
    if let Some(content_type) = &part.content_type {
        spec = quote!(#spec.content_type(#content_type));
    }
    if !part.headers.is_empty() {
        let headers = part
            .headers
            .iter()
            .map(|(name, value)| quote!((#name, #value)));
        spec = quote!(#spec.headers(&[#(#headers),*]));
    }
    let files = matches!(&field.ty, TypeRef::Array(item) if **item == TypeRef::File);
    match (&field.ty, field.presence) {
        (TypeRef::File, Presence::Required) => quote!(.file(#spec, Some(&body.#name))),
        (TypeRef::File, Presence::OptionalNullable) => quote!(.file(#spec, body.#name.value())),
        (TypeRef::File, _) => quote!(.file(#spec, body.#name.as_ref())),
        (_, Presence::Required) if files => quote!(.files(#spec, &body.#name)),
        (_, Presence::OptionalNullable) if files => {
            quote!(.files(#spec, body.#name.value().map(Vec::as_slice).unwrap_or_default()))
        }
        _ if files => quote!(.files(#spec, body.#name.as_deref().unwrap_or_default())),
        _ => quote!(.value(#spec, &body.#name)),
    }
}

/// The documented error type of an operation, and how a body of it is parsed.
fn error_body(api: &Api, op: &Operation) -> (TokenStream, TokenStream) {
    let rt = runtime();
    match &op.error {
        Outcome::Single(ResponseBody::Json(ty)) => (
            rust_type(api, ty, &quote!(types::)),
            quote!(#rt::json_error),
        ),
        Outcome::PerStatus(id) => {
            let name = ident(api.name_of(*id));
            (
                quote!(types::#name),
                quote!(|status, body| types::#name::decode(status.as_u16(), body).ok()),
            )
        }
        Outcome::Single(_) => (quote!(serde_json::Value), quote!(#rt::json_error)),
    }
}

/// The success type of an operation, and the runtime's `returning_*` call that ends its
/// request: how the success body is read.
fn success_body(
    api: &Api,
    op: &Operation,
    parse_error: &TokenStream,
) -> (TokenStream, TokenStream) {
    let rt = runtime();
    match &op.success {
        Outcome::Single(ResponseBody::Empty) => {
            (quote!(()), quote!(returning_nothing(#parse_error)))
        }
        Outcome::Single(ResponseBody::Text) => {
            (quote!(String), quote!(returning_text(#parse_error)))
        }
        Outcome::Single(ResponseBody::Bytes) => (
            quote!(#rt::ByteStream),
            quote!(returning_stream(#parse_error)),
        ),
        Outcome::Single(ResponseBody::Json(ty)) => (
            rust_type(api, ty, &quote!(types::)),
            quote!(returning_json(#parse_error)),
        ),
        Outcome::PerStatus(id) => {
            let streams = matches!(
                api.kind_of(*id),
                Some(TypeKind::StatusEnum(variants))
                    if variants.iter().any(|variant| variant.body == ResponseBody::Bytes)
            );
            let name = ident(api.name_of(*id));
            let returning = if streams {
                quote!(returning_streamed_per_status(#parse_error, #rt::PerStatus {
                    streamed: types::#name::streamed,
                    decode: types::#name::decode,
                }))
            } else {
                quote!(returning_per_status(#parse_error, types::#name::decode))
            };
            (quote!(types::#name), returning)
        }
    }
}

/// The value a path parameter's argument gives its segment: a secret's text (a secret has no
/// `Display`, so that it is never written anywhere by accident), else the argument itself.
fn path_value(param: &PathParameter) -> TokenStream {
    let arg = ident(&param.name);
    match param.ty {
        TypeRef::Secret => quote!(#arg.expose()),
        _ => quote!(#arg),
    }
}

/// The type a path parameter is taken as: `&str` for text, a number or `bool` by value, any
/// other by reference.
fn path_arg_type(api: &Api, param: &PathParameter, types: &TokenStream) -> TokenStream {
    match &param.ty {
        TypeRef::String => quote!(&str),
        TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 | TypeRef::Bool => {
            rust_type(api, &param.ty, &quote!())
        }
        other => {
            let ty = rust_type(api, other, types);
            quote!(&#ty)
        }
    }
}

/// The style of each parameter that is not written the default way, by wire name (the
/// runtime's query encoder finds it so).
fn styles<'p>(
    params: impl Iterator<Item = (&'p Field, Style)> + 'p,
) -> impl Iterator<Item = TokenStream> + 'p {
    params
        .filter(|(_, style)| *style != DEFAULT_QUERY_STYLE)
        .map(|(field, style)| {
            let wire = &field.wire_name;
            let style = style_tokens(style);
            quote!((#wire, #style))
        })
}

/// The field at `index` of the struct a form or multipart body is, which its field styles
/// and parts point at. Lowering gives a body styles or parts only when it is a struct, and
/// `validate` checks that each index names one of its fields.
fn body_field<'a>(api: &'a Api, body: &RequestBody, index: usize) -> &'a Field {
    let strukt = body.ty.named().and_then(|id| api.struct_of(id));
    strukt
        .and_then(|strukt| strukt.fields.get(index))
        .expect("validate checks that each field style and part of a body names a field")
}

/// How the runtime's query encoder writes a parameter it is given no style for.
const DEFAULT_QUERY_STYLE: Style = Style::Form { explode: true };

/// The runtime's `Style` value for `style`, as `client.rs` (which imports it when a method
/// writes one, see [`writes_style`]) names it.
fn style_tokens(style: Style) -> TokenStream {
    match style {
        Style::Form { explode } => quote!(Style::form(#explode)),
        Style::Simple { explode } => quote!(Style::simple(#explode)),
        Style::SpaceDelimited => quote!(Style::SpaceDelimited),
        Style::PipeDelimited => quote!(Style::PipeDelimited),
        Style::DeepObject => quote!(Style::DeepObject),
        Style::Json => quote!(Style::Json),
    }
}
