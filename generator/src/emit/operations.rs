//! `src/operations.rs`: one constant per operation the client sends, so that code naming an
//! operation (`RetryPolicy::safe_to_retry`, a hook's `HookContext::is`) names a value the
//! compiler checks, never an `operationId` string a typo would silently disable.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, item_docs, runtime};
use crate::model::{Api, HttpMethod, Operation, OperationKind};

/// `src/operations.rs` of `api`'s crate: a constant per operation the client sends.
pub(super) fn operations_rs(api: &Api) -> TokenStream {
    let constants: Vec<TokenStream> = api
        .operations
        .iter()
        .filter(|op| op.kind == OperationKind::Request)
        .map(|op| {
            let cfg = super::cfg(api, &op.features);
            let constant = constant(op);
            quote!(#cfg #constant)
        })
        .collect();
    quote! {
        //! The operations of the API, one constant each, as the runtime knows them: to mark
        //! one [safe to retry](clientgen_runtime::RetryPolicy::safe_to_retry), or to tell in
        //! a [hook](crate::hook) which one is being sent.

        #(#constants)*
    }
}

/// The constant of `op`, documented with its request line and the method that sends it.
fn constant(op: &Operation) -> TokenStream {
    let name = ident(&op.constant);
    let method_name = &op.method_name;
    let text = format!(
        "[`Client::{method}`](crate::Client::{method}): `{} {}` (`{}`).",
        op.http_method,
        op.path,
        op.operation_id,
        method = method_name.strip_prefix("r#").unwrap_or(method_name),
    );
    let docs = item_docs(&text);
    let id = &op.operation_id;
    let method = method_constant(op.http_method);
    let rt = runtime();
    quote! {
        #docs
        pub const #name: #rt::Operation = #rt::Operation::new(#id, #rt::reqwest::Method::#method);
    }
}

/// The name of `method`'s constant on `reqwest::Method`.
fn method_constant(method: HttpMethod) -> TokenStream {
    match method {
        HttpMethod::Get => quote!(GET),
        HttpMethod::Put => quote!(PUT),
        HttpMethod::Post => quote!(POST),
        HttpMethod::Delete => quote!(DELETE),
        HttpMethod::Options => quote!(OPTIONS),
        HttpMethod::Head => quote!(HEAD),
        HttpMethod::Patch => quote!(PATCH),
        HttpMethod::Trace => quote!(TRACE),
    }
}
