//! `src/client.rs`: the `BaseUrls` of the API's servers and one `Client` method per operation.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{ident, paragraphs, rust_type};
use crate::model::{
    Api, BodyEncoding, Field, Operation, OperationKind, Outcome, Parameter, PathSegment, Presence,
    ResponseBody, Server, Style, TemplatePart, TypeKind, TypeRef,
};

pub(super) fn client_rs(api: &Api) -> TokenStream {
    let types = format_ident!("types");
    let uses_types = api.operations.iter().any(mentions_named_type);
    let import_types = uses_types.then(|| {
        quote!(
            use crate::types;
        )
    });
    let has_requests = api
        .operations
        .iter()
        .any(|op| op.kind == OperationKind::Request);
    let import_error = has_requests.then(|| {
        quote!(
            use crate::Error;
        )
    });
    let import_multipart = uses_multipart(api).then(|| {
        quote!(
            use crate::multipart;
        )
    });
    // An API without servers has nothing to send and no URL to build.
    let import_http = (!api.servers.is_empty()).then(|| {
        quote!(
            use crate::http;
        )
    });
    let base_urls = base_urls(&api.servers);
    let methods = api.operations.iter().map(|op| operation(api, op, &types));
    quote! {
        //! The API's operations, as methods of [`Client`], and the servers they are sent to.

        use url::Url;

        #import_error
        #import_http
        #import_multipart
        use crate::Client;
        #import_types

        #base_urls

        impl Client {
            #(#methods)*
        }
    }
}

/// Whether any operation sends a `multipart/form-data` body.
pub(super) fn uses_multipart(api: &Api) -> bool {
    api.operations.iter().any(|op| {
        op.body
            .as_ref()
            .is_some_and(|body| body.encoding == BodyEncoding::Multipart)
    })
}

fn mentions_named_type(op: &Operation) -> bool {
    let named = |ty: &TypeRef| contains_named(ty);
    op.params_type.is_some()
        || op.path_params.iter().any(|p| named(&p.ty))
        || op.body.as_ref().is_some_and(|body| named(&body.ty))
        || (op.kind == OperationKind::Request
            && [&op.success, &op.error]
                .into_iter()
                .any(|outcome| match outcome {
                    Outcome::Single(ResponseBody::Json(ty)) => named(ty),
                    Outcome::PerStatus(_) => true,
                    Outcome::Single(_) => false,
                }))
}

fn contains_named(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            contains_named(inner)
        }
        _ => false,
    }
}

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
    let defaults = servers.iter().map(|server| {
        let name = ident(&server.field);
        let url = &server.url;
        quote!(#name: http::spec_url(#url))
    });
    let unused_url = servers.is_empty().then(|| quote!(let _ = url;));
    let (derive_default, default_impl) = if servers.is_empty() {
        (Some(quote!(Default,)), None)
    } else {
        (
            None,
            Some(quote! {
                impl Default for BaseUrls {
                    fn default() -> Self {
                        Self { #(#defaults),* }
                    }
                }
            }),
        )
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

fn operation(api: &Api, op: &Operation, types: &Ident) -> TokenStream {
    let name = ident(&op.method_name);
    let server = ident(&api.servers[op.server].field);
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

    let path_args = op.path_params.iter().map(|param| {
        let arg = ident(&param.name);
        let ty = path_arg_type(param, types);
        quote!(#arg: #ty)
    });
    let params_arg = op.params_type.as_ref().map(|params| {
        let params = ident(params);
        quote!(params: &#types::#params,)
    });
    let body_arg = op.body.as_ref().map(|body| {
        let ty = match body.encoding {
            BodyEncoding::Bytes => quote!([u8]),
            _ => rust_type(&body.ty, Some(types)),
        };
        if body.required {
            quote!(body: &#ty,)
        } else {
            quote!(body: Option<&#ty>,)
        }
    });

    let segments = op.segments.iter().map(|segment| match segment {
        PathSegment::Literal(text) => quote!(#text),
        PathSegment::Template(parts) => {
            let mut template = String::new();
            let mut arguments = Vec::new();
            for part in parts {
                match part {
                    TemplatePart::Literal(text) => template.push_str(text),
                    TemplatePart::Parameter(param) => {
                        template.push_str("{}");
                        arguments.push(ident(param));
                    }
                }
            }
            quote!(format!(#template, #(#arguments),*).as_str())
        }
        PathSegment::Parameter(param) => {
            let param_ident = ident(param);
            let is_str = op
                .path_params
                .iter()
                .any(|p| &p.name == param && p.ty == TypeRef::String);
            if is_str {
                quote!(#param_ident)
            } else {
                quote!(#param_ident.to_string().as_str())
            }
        }
    });
    let query_pairs = param_pairs(&op.query_params);
    let endpoint = quote!(http::endpoint(&self.base_urls.#server, &[#(#segments),*]));
    let (query, url) = if op.query_params.is_empty() {
        (None, endpoint)
    } else {
        (
            Some(quote!(let query = [#(#query_pairs)*];)),
            quote!(http::with_query(#endpoint, query.into_iter().flatten())),
        )
    };

    let args = quote!(&self, #(#path_args,)* #params_arg #body_arg);
    if op.kind == OperationKind::BrowserUrl {
        return quote! {
            #docs
            pub fn #name(#args) -> Url {
                #query
                #url
            }
        };
    }

    let method = format_ident!("{}", op.http_method);
    let headers = op.header_params.iter().map(|param| {
        let field = ident(&param.name);
        let wire = &param.wire_name;
        let style = style_tokens(param.style);
        quote!(let request = http::header(request, #wire, &params.#field, #style);)
    });
    let cookies = (!op.cookie_params.is_empty()).then(|| {
        let pairs = param_pairs(&op.cookie_params);
        quote!(let request = http::cookies(request, [#(#pairs)*].into_iter().flatten());)
    });
    let body = op.body.as_ref().map(|body| {
        let attach = match (body.encoding, struct_fields(api, &body.ty)) {
            // `json` sets `application/json` only when no content type is set yet.
            (BodyEncoding::Json, _) if body.content_type == "application/json" => {
                quote!(request.json(body))
            }
            (BodyEncoding::Json, _) => {
                let content_type = &body.content_type;
                quote!(request.header(reqwest::header::CONTENT_TYPE, #content_type).json(body))
            }
            (BodyEncoding::Form, Some(fields)) => {
                let pairs = fields.iter().map(|field| {
                    let name = ident(&field.name);
                    let wire = &field.wire_name;
                    let style = body
                        .field_styles
                        .iter()
                        .find(|(property, _)| property == wire)
                        .map_or(Style::Form { explode: true }, |(_, style)| *style);
                    let style = style_tokens(style);
                    quote!(http::pairs(#wire, &body.#name, #style),)
                });
                quote!(http::form_body(request, [#(#pairs)*].into_iter().flatten()))
            }
            (BodyEncoding::Form, None) => quote!(request.form(body)),
            (BodyEncoding::Multipart, fields) => {
                let parts = fields.unwrap_or_default().iter().map(|field| {
                    let name = ident(&field.name);
                    let wire = &field.wire_name;
                    match (&field.ty, field.presence) {
                        (_, Presence::Flattened) => {
                            quote!(let form = multipart::members(form, &body.#name);)
                        }
                        (_, Presence::Additional) => quote! {
                            let form = body
                                .#name
                                .iter()
                                .fold(form, |form, (name, value)| multipart::field(form, name, value));
                        },
                        (TypeRef::Bytes, Presence::Required) => {
                            quote!(let form = multipart::bytes(form, #wire, Some(&body.#name));)
                        }
                        (TypeRef::Bytes, _) => {
                            quote!(let form = multipart::bytes(form, #wire, body.#name.as_deref());)
                        }
                        _ => quote!(let form = multipart::field(form, #wire, &body.#name);),
                    }
                });
                quote!({
                    let form = reqwest::multipart::Form::new();
                    #(#parts)*
                    request.multipart(form)
                })
            }
            (BodyEncoding::Bytes, _) => {
                let content_type = &body.content_type;
                quote!(request.header(reqwest::header::CONTENT_TYPE, #content_type).body(body.to_vec()))
            }
        };
        if body.required {
            quote!(let request = #attach;)
        } else {
            quote! {
                let request = match body {
                    Some(body) => #attach,
                    None => request,
                };
            }
        }
    });
    let segment_checks = op
        .path_params
        .iter()
        // A parameter that is a whole segment must not vanish from the path; inside a
        // template (`{name}.json`) any value keeps the segment.
        .filter(|param| {
            param.ty == TypeRef::String
                && op
                    .segments
                    .iter()
                    .any(|segment| *segment == PathSegment::Parameter(param.name.clone()))
        })
        .map(|param| {
            let arg = ident(&param.name);
            let wire = &param.wire_name;
            quote!(http::path_segment(OPERATION, #wire, #arg)?;)
        });
    // Error bodies: one JSON type, a per-status enum, or (undocumented) any JSON.
    let (error, parse_error) = match &op.error {
        Outcome::Single(ResponseBody::Json(ty)) => {
            (rust_type(ty, Some(types)), quote!(http::json_error))
        }
        Outcome::PerStatus(name) => {
            let name = ident(name);
            (
                quote!(#types::#name),
                quote!(|status, body| #types::#name::decode(status.as_u16(), body).ok()),
            )
        }
        Outcome::Single(_) => (quote!(serde_json::Value), quote!(http::json_error)),
    };
    let operation_id = &op.operation_id;
    let (output, decode) = match &op.success {
        Outcome::Single(ResponseBody::Empty) => (
            quote!(()),
            quote!(http::empty(OPERATION, response, #parse_error)),
        ),
        Outcome::Single(ResponseBody::Text) => (
            quote!(String),
            quote!(http::text(OPERATION, response, #parse_error)),
        ),
        Outcome::Single(ResponseBody::Bytes) => (
            quote!(Vec<u8>),
            quote!(http::bytes(OPERATION, response, #parse_error)),
        ),
        Outcome::Single(ResponseBody::Json(ty)) => (
            rust_type(ty, Some(types)),
            quote!(http::json(OPERATION, response, #parse_error)),
        ),
        Outcome::PerStatus(name) => {
            let name = ident(name);
            (
                quote!(#types::#name),
                quote!(http::per_status(OPERATION, response, #parse_error, #types::#name::decode)),
            )
        }
    };
    quote! {
        #docs
        pub async fn #name(#args) -> Result<#output, Error<#error>> {
            const OPERATION: &str = #operation_id;
            #(#segment_checks)*
            #query
            let url = #url;
            let request = self.http.request(reqwest::Method::#method, url);
            #(#headers)*
            #cookies
            #body
            let response = self.send(OPERATION, request).await?;
            #decode.await
        }
    }
}

fn path_arg_type(param: &Parameter, types: &Ident) -> TokenStream {
    match &param.ty {
        TypeRef::String => quote!(&str),
        TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 | TypeRef::Bool => {
            rust_type(&param.ty, None)
        }
        other => {
            let ty = rust_type(other, Some(types));
            quote!(&#ty)
        }
    }
}

/// `http::pairs(..)` calls writing each of `params` (fields of the `params` argument) in
/// its style, as array elements.
fn param_pairs(params: &[Parameter]) -> impl Iterator<Item = TokenStream> + '_ {
    params.iter().map(|param| {
        let field = ident(&param.name);
        let wire = &param.wire_name;
        let style = style_tokens(param.style);
        quote!(http::pairs(#wire, &params.#field, #style),)
    })
}

/// The fields of `ty` when it names a struct.
fn struct_fields<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a [Field]> {
    let TypeRef::Named(name) = ty else {
        return None;
    };
    match api.kind_of(name)? {
        TypeKind::Struct(strukt) => Some(&strukt.fields),
        _ => None,
    }
}

/// The runtime's `http::Style` value for `style`.
fn style_tokens(style: Style) -> TokenStream {
    match style {
        Style::Form { explode } => quote!(http::Style::Form { explode: #explode }),
        Style::Simple { explode } => quote!(http::Style::Simple { explode: #explode }),
        Style::SpaceDelimited => quote!(http::Style::SpaceDelimited),
        Style::PipeDelimited => quote!(http::Style::PipeDelimited),
        Style::DeepObject => quote!(http::Style::DeepObject),
        Style::Json => quote!(http::Style::Json),
    }
}
