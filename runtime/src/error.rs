//! The error of every operation of a generated client.

use std::convert::Infallible;
use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::hook::HookError;

/// Why an operation failed.
///
/// `E` is the body the API documents for the operation's error responses. Nothing in an
/// `Error` shows a request's credentials: transport errors have their URL removed (a path can
/// carry a token), decoding errors keep only where decoding stopped, not the body, and `Debug`
/// shows the names of response headers, not their values. The answers of the server are
/// boxed, so that a `Result` carrying an `Error` stays small.
///
/// Reading a streamed body ([`ByteStream`](crate::ByteStream)) fails with an `Error` that has
/// no error body, `Error<Infallible>`, the default `E`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = Infallible> {
    /// The server answered with a status outside `200..=299`.
    #[error("{}: the server answered {}", .0.operation, .0.status)]
    Api(Box<ApiError<E>>),
    /// The request could not be sent, or the response could not be read (a connection
    /// timeout among them: see [`Error::is_timeout`]).
    #[error("{operation}: the request failed")]
    Transport {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The underlying error, with the request URL removed.
        #[source]
        source: reqwest::Error,
    },
    /// The request could not be built from the values given; nothing was sent.
    #[error("{operation}: the request cannot be sent: {problem}")]
    InvalidRequest {
        /// The operation's `operationId`.
        operation: &'static str,
        /// What is wrong with it.
        problem: RequestProblem,
    },
    /// A success response whose body is not the documented type.
    #[error("{}: the {} response could not be decoded: {}", .0.operation, .0.status, .0.reason)]
    Decode(Box<DecodeError>),
    /// The response head, or the next piece of a body, did not arrive within the client's
    /// timeout.
    #[error("{operation}: nothing arrived for {after:?}")]
    Timeout {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The timeout.
        after: Duration,
    },
    /// A streamed response body could not be written where the caller asked.
    #[error("{operation}: the response body could not be written")]
    Write {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The retry policy (or a hook) asked for the request to be sent again, but its body was
    /// a stream, which cannot be sent twice; the error is that of the attempt made.
    // The error is written through `as_ref`, so that the derive asks no bound of `E` for it.
    #[error(
        "{} (not retried: the request body was a stream, which cannot be sent twice)",
        .0.as_ref()
    )]
    NotRetried(Box<Error<E>>),
    /// A hook (an authentication provider, say) failed; nothing more was sent.
    #[error("{operation}: a hook failed")]
    Hook {
        /// The operation's `operationId`.
        operation: &'static str,
        /// What the hook reported.
        #[source]
        source: HookError,
    },
}

/// An answer of the server with a status outside `200..=299`.
pub struct ApiError<E> {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// The response status.
    pub status: StatusCode,
    /// The response headers (`Retry-After`, `WWW-Authenticate`, rate limits, ...).
    pub headers: HeaderMap,
    /// The response body, parsed as the documented error type when it matches.
    pub body: ApiErrorBody<E>,
}

/// A success response whose body is not the documented type.
pub struct DecodeError {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// The response status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// Where and why decoding failed.
    pub reason: DecodeFailure,
}

impl<E> Error<E> {
    /// The operation's `operationId`.
    pub fn operation(&self) -> &'static str {
        match self {
            Error::Api(api) => api.operation,
            Error::Decode(decode) => decode.operation,
            Error::NotRetried(error) => error.operation(),
            Error::Transport { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Write { operation, .. }
            | Error::InvalidRequest { operation, .. }
            | Error::Hook { operation, .. } => operation,
        }
    }

    /// The response status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode(decode) => Some(decode.status),
            Error::Transport { source, .. } => source.status(),
            Error::NotRetried(error) => error.status(),
            Error::Timeout { .. }
            | Error::Write { .. }
            | Error::InvalidRequest { .. }
            | Error::Hook { .. } => None,
        }
    }

    /// The response headers, when the server answered.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(api) => Some(&api.headers),
            Error::Decode(decode) => Some(&decode.headers),
            Error::NotRetried(error) => error.headers(),
            _ => None,
        }
    }

    /// The documented error body, when the server sent one that parsed.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api(api) => match &api.body {
                ApiErrorBody::Parsed(body) => Some(body),
                ApiErrorBody::Unparsed(_) => None,
            },
            Error::NotRetried(error) => error.api_error(),
            _ => None,
        }
    }

    /// Whether the request timed out (connecting, waiting for the response head, or waiting
    /// for the next piece of a body).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport { source, .. } => source.is_timeout(),
            Error::Timeout { .. } => true,
            Error::NotRetried(error) => error.is_timeout(),
            _ => false,
        }
    }
}

impl Error<Infallible> {
    /// This error as the `Error<E>` of an operation (an error reading a streamed body, say,
    /// in a function that returns the operation's error).
    pub fn widen<E>(self) -> Error<E> {
        match self {
            Error::Api(api) => {
                let ApiError {
                    operation,
                    status,
                    headers,
                    body,
                } = *api;
                let body = match body {
                    ApiErrorBody::Parsed(never) => match never {},
                    ApiErrorBody::Unparsed(text) => ApiErrorBody::Unparsed(text),
                };
                Error::Api(Box::new(ApiError {
                    operation,
                    status,
                    headers,
                    body,
                }))
            }
            Error::Transport { operation, source } => Error::Transport { operation, source },
            Error::InvalidRequest { operation, problem } => {
                Error::InvalidRequest { operation, problem }
            }
            Error::Decode(decode) => Error::Decode(decode),
            Error::Timeout { operation, after } => Error::Timeout { operation, after },
            Error::Write { operation, source } => Error::Write { operation, source },
            Error::NotRetried(error) => Error::NotRetried(Box::new(error.widen())),
            Error::Hook { operation, source } => Error::Hook { operation, source },
        }
    }
}

/// A retry was due but not made, because the request body could not be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NotRetried;

impl NotRetried {
    /// `error`, saying that it was not retried when `skipped` says so.
    pub(crate) fn mark<E>(skipped: Option<NotRetried>, error: Error<E>) -> Error<E> {
        match skipped {
            Some(NotRetried) => Error::NotRetried(Box::new(error)),
            None => error,
        }
    }
}

/// Shows header names but not their values, which can hold credentials or session cookies.
impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &header_names(&self.headers))
            .field("body", &self.body)
            .finish()
    }
}

/// Shows header names but not their values.
impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &header_names(&self.headers))
            .field("reason", &self.reason)
            .finish()
    }
}

/// The names of `headers`, without their values.
fn header_names(headers: &HeaderMap) -> Vec<&str> {
    headers.keys().map(|name| name.as_str()).collect()
}

/// Why a request could not be built. It names the part, never the value, which may be a
/// credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestProblem {
    /// A path parameter's value cannot travel as one path segment: it is empty, `.` or `..`,
    /// which URLs drop or resolve away.
    #[error("path parameter `{0}` must not be empty, `.` or `..`")]
    PathParameter(&'static str),
    /// A header's value has characters a header cannot carry (a line break, say).
    #[error("header `{0}` has a value that cannot be sent in a header")]
    HeaderValue(String),
    /// A query, header or cookie parameter, or a form field, whose value cannot be written in
    /// its style (raw bytes, an array inside an array, a float that is not finite, an error
    /// from the value's own `Serialize` implementation).
    #[error("`{name}` cannot be written: {reason}")]
    Parameter {
        /// The parameter or field, with the members leading to the part that cannot be written
        /// (`filter[owner]`).
        name: String,
        /// Why it cannot be written; never the value itself.
        reason: String,
    },
    /// The body could not be written in its content type.
    #[error("the body cannot be written: {0}")]
    Body(String),
    /// The request could not be assembled (an unusable base URL, say).
    #[error("{0}")]
    Other(String),
}

/// The body of an error response.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiErrorBody<E> {
    /// The body parsed as the operation's documented error type.
    Parsed(E),
    /// The body did not parse (an HTML page from a proxy, say); here it is as text.
    Unparsed(String),
}

/// Where decoding a response body stopped, without the body itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeFailure {
    /// What kind of problem serde_json met.
    pub kind: DecodeFailureKind,
    /// 1-based line of the body where it stopped.
    pub line: usize,
    /// 1-based column where it stopped.
    pub column: usize,
}

/// The kinds of decoding failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeFailureKind {
    /// The body is not JSON.
    Syntax,
    /// The body is JSON of another shape than the documented type.
    Data,
    /// The body ended early.
    Eof,
    /// Reading the body failed.
    Io,
}

impl DecodeFailure {
    /// Where `error` stopped, and what kind of error it is.
    pub fn new(error: &serde_json::Error) -> Self {
        use serde_json::error::Category;
        let kind = match error.classify() {
            Category::Syntax => DecodeFailureKind::Syntax,
            Category::Data => DecodeFailureKind::Data,
            Category::Eof => DecodeFailureKind::Eof,
            Category::Io => DecodeFailureKind::Io,
        };
        Self {
            kind,
            line: error.line(),
            column: error.column(),
        }
    }
}

impl fmt::Display for DecodeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            DecodeFailureKind::Syntax => "the body is not valid JSON",
            DecodeFailureKind::Data => "the JSON does not have the documented shape",
            DecodeFailureKind::Eof => "the body ended early",
            DecodeFailureKind::Io => "the body could not be read",
        };
        write!(f, "{what} (line {}, column {})", self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderValue, SET_COOKIE};

    use super::*;

    #[test]
    fn debug_shows_header_names_but_not_values() {
        let mut headers = HeaderMap::new();
        headers.insert(SET_COOKIE, HeaderValue::from_static("session=s3cr3t"));
        let error: Error<()> = Error::Api(Box::new(ApiError {
            operation: "op",
            status: StatusCode::BAD_REQUEST,
            headers,
            body: ApiErrorBody::Unparsed(String::new()),
        }));
        let debug = format!("{error:?}");
        assert!(
            debug.contains("set-cookie") && !debug.contains("s3cr3t"),
            "{debug}"
        );
        assert_eq!(error.to_string(), "op: the server answered 400 Bad Request");
    }

    #[test]
    fn decode_failures_keep_the_position_not_the_body() {
        let error = serde_json::from_str::<u8>("\n \"secret\"").unwrap_err();
        let failure = DecodeFailure::new(&error);
        assert_eq!(failure.kind, DecodeFailureKind::Data);
        assert_eq!(failure.line, 2);
        assert!(!failure.to_string().contains("secret"), "{failure}");
    }
}
