//! `src/lib.rs`: the crate's documentation, its modules and what it exports.

use proc_macro2::TokenStream;
use quote::quote;

use super::inner_docs;
use crate::model::{Api, Feature, FeatureGroup, OperationKind};
use crate::{Config, Layout};

/// `src/lib.rs` of `api`'s crate: its documentation, modules and re-exports.
pub(super) fn lib_rs(api: &Api, config: &Config, sources: &str) -> TokenStream {
    let crate_docs = inner_docs(&crate_docs(api, config, sources));
    quote! {
        #crate_docs
        #![deny(missing_docs)]

        mod client;
        pub mod operations;
        pub mod types;

        pub use client::{BaseUrls, Client};
        pub use clientgen_runtime::{
            hook, ApiError, ApiErrorBody, ByteStream, Call, ClientBuilder, DecodeError,
            DecodeFailure, DecodeFailureKind, Error, Hook, Nullable, Payload, RequestProblem,
            Response, RetryPolicy, SecretString, Unknown,
        };
        pub use clientgen_runtime::multipart::FilePart;
        /// The HTTP client crate the client is built on, re-exported so callers can name its
        /// types (`reqwest::Client`, `reqwest::header::HeaderMap`) at the same version.
        pub use clientgen_runtime::reqwest;
        pub use clientgen_runtime::Url;
    }
}

/// The section on the crate's features: one per tag, each with the operations it brings.
fn features_docs(api: &Api) -> String {
    if api.features.is_empty() {
        return String::new();
    }
    let mut text = String::from(
        "# Features\n\nEach tag's operations, and the types they use, are compiled only with \
         the tag's cargo feature; `default` enables them all. Depend with \
         `default-features = false` and the features you call to compile less.\n\n\
         | Feature | Tag | Operations |\n| --- | --- | --- |\n",
    );
    for (index, feature) in api.features.iter().enumerate() {
        let operations: Vec<String> = api
            .operations
            .iter()
            .filter(|op| op.features.contains(&index))
            .map(|op| format!("`{}`", op.method_name.trim_start_matches("r#")))
            .collect();
        let tag = match &feature.group {
            FeatureGroup::Tag(tag) => tag.replace('|', "\\|"),
            FeatureGroup::Untagged => "(operations without a tag)".to_owned(),
            FeatureGroup::Unused => "(schemas no operation uses)".to_owned(),
        };
        text.push_str(&format!(
            "| `{}` | {tag} | {} |\n",
            feature.name,
            operations.join(", ")
        ));
    }
    text.push('\n');
    text
}

/// The section on the serde traits each type has, and the opt-in feature that gives every
/// type both. A module built into another crate has no features: its types have both.
fn serde_docs(layout: Layout) -> String {
    if layout == Layout::Module {
        return String::new();
    }
    format!(
        "# Serde\n\nA type has the serde trait of the way it travels: `Serialize` when the \
         client sends it (a request body, parameters), `Deserialize` when it receives it (a \
         response body); one that travels both ways, or that no operation uses, has both, and \
         so does every enum. Serde's derives are most of what this crate costs to compile, so \
         the other trait comes only with the opt-in feature `{}`, which gives every type both \
         (to store a response or replay a request, say).\n\n",
        Feature::FULL_SERDE
    )
}

/// The section listing the operations: each method, the request it sends and its summary.
fn operations_docs(api: &Api) -> String {
    let mut text = String::from("# Operations\n\n");
    if api
        .operations
        .iter()
        .any(|op| op.kind == OperationKind::Request)
    {
        text.push_str(
            "A method that sends a request returns a [call](Call): a future that owns the request, \
             written when the method is called, and sends it when awaited. It borrows none of \
             the arguments and is `Send`, so it can be spawned.\n\n",
        );
    }
    text.push_str("| Method | Request | Summary |\n| --- | --- | --- |\n");
    for op in &api.operations {
        let call = match op.kind {
            OperationKind::BrowserUrl => "builds a browser URL for",
            OperationKind::Request => "sends",
        };
        text.push_str(&format!(
            "| [`{name}`](Client::{name}) | {call} `{} {}` | {} |\n",
            op.http_method,
            op.path,
            op.summary
                .as_deref()
                .unwrap_or("")
                .replace('|', "\\|")
                .trim(),
            name = op.method_name.trim_start_matches("r#"),
        ));
    }
    text
}

/// The crate's documentation: what it is a client for, where it comes from, its operations
/// and an example of setting it up.
fn crate_docs(api: &Api, config: &Config, sources: &str) -> String {
    let crate_ident = config.crate_name.replace('-', "_");
    let mut text = format!(
        "A client for the {} (version {}).\n\n",
        api.title.trim(),
        api.version.trim()
    );
    if let Some(description) = &api.description {
        text.push_str(description.trim());
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "Generated from {sources} by `{}`; regenerate rather than edit.\n\n",
        config.generated_by
    ));
    text.push_str(&features_docs(api));
    text.push_str(&serde_docs(config.layout));
    text.push_str(&operations_docs(api));
    if config.layout == Layout::Module {
        // Included into a crate by its build script, the module has no name an example could use.
        return text;
    }
    text.push_str(&format!(
        "\n# Setting up a client\n\n\
         Every server defaults to the spec's URL; point them elsewhere for a proxy or a test \
         server. Calls time out after 60 seconds and are retried as [the retry policy](RetryPolicy) says; \
         [hooks](Hook) run around every request, to add credentials for instance.\n\n\
         ```no_run\n\
         use std::time::Duration;\n\
         use {crate_ident}::{{BaseUrls, Client, RetryPolicy, Url}};\n\n\
         # fn main() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let client = Client::builder()\n    \
             .base_urls(BaseUrls::all(Url::parse(\"http://127.0.0.1:8080\")?))\n    \
             .timeout(Duration::from_secs(30))\n    \
             .retry(RetryPolicy::default().max_attempts(5))\n    \
             .build();\n\
         # let _ = client;\n\
         # Ok(())\n\
         # }}\n\
         ```\n"
    ));
    text
}
