//! The runtime of the clients `clientgen` generates: everything a generated client does that
//! does not depend on its spec, in one versioned, tested crate that generated crates depend
//! on instead of carrying copies.
//!
//! - [`ClientBuilder`] and [`Transport`]: the HTTP client (reqwest with rustls), default
//!   connect and response [timeouts](DEFAULT_TIMEOUT), default headers, [hooks](hook) and the
//!   [`RetryPolicy`].
//! - [`Response`]: a success's value with its status and headers; [`Error`]: why a call
//!   failed, with the status, headers and documented error body when the server answered.
//! - [`ByteStream`]: a binary response body read as it arrives; [`Payload`]: a raw request
//!   body or file part from bytes, a file or a stream, sent without being copied into memory.
//! - [`encode`]: how parameters and form fields are written (OpenAPI `style` and `explode`).
//! - [`Unknown`]: how generated enums keep values the spec did not list; the traits of those
//!   enums are written by two macros of this crate (`string_enum!`, `integer_enum!`), and
//!   the `builder` and `build` of a struct that is its own builder by a third (`own_builder!`);
//!   unions' serde impls by `untagged_deserialize!`, `tagged_serialize!` and
//!   `tagged_deserialize!`.
//!
//! Generated code uses this crate through one chain of calls per operation, which assembles
//! the request and returns a [`Call`]: a `'static`, `Send` future that sends it.
//!
//! ```no_run
//! use clientgen_runtime::encode::Segment;
//! use clientgen_runtime::reqwest::Method;
//! use clientgen_runtime::{json_error, Call, Operation, Transport, Url};
//!
//! fn get_item(transport: &Transport, base: &Url, id: &str) -> Call<serde_json::Value, serde_json::Value> {
//!     const OPERATION: Operation = Operation::new("getItem", Method::GET);
//!     transport
//!         .request(&OPERATION, base, &[Segment::Literal("items"), Segment::parameter("id", id)])
//!         .accept("application/json")
//!         .returning_json(json_error)
//! }
//! ```
#![deny(missing_docs)]

mod builders;
mod call;
mod client;
pub mod encode;
mod enums;
mod error;
pub mod hook;
mod markers;
pub mod multipart;
mod nullable;
mod payload;
mod request;
mod response;
mod retry;
mod secret;
mod stream;
mod unions;
mod unknown;

pub use call::{Call, PerStatus, StreamedVariant};
pub use client::{
    ApiClient, ClientBuilder, Operation, Sleep, Transport, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT,
};
pub use error::{
    ApiError, ApiErrorBody, DecodeError, DecodeFailure, DecodeFailureKind, Error, RequestProblem,
};
pub use hook::Hook;
pub use markers::Missing;
pub use nullable::Nullable;
pub use payload::Payload;
pub use request::RequestBuilder;
pub use response::{json_error, ParseError, Response};
pub use retry::{Retries, RetryPolicy};
pub use secret::SecretString;
pub use stream::ByteStream;
pub use unknown::Unknown;

/// The HTTP client crate the runtime is built on, re-exported so that generated code and its
/// callers name its types (`reqwest::Client`, `reqwest::header::HeaderMap`) at the same
/// version.
pub use reqwest;
pub use url::Url;

/// What the macros generated code calls (`string_enum!`, `integer_enum!` and the unions')
/// reach through `$crate`, so that they expand the same whatever the calling crate names its
/// dependencies.
#[doc(hidden)]
pub mod __private {
    pub use crate::enums::{deserialize_i64, deserialize_str};
    pub use crate::unions::{serialize_tagged, Listed};
    pub use serde;
    pub use serde_json;
}
