//! The error type of every operation.

use std::fmt;

use reqwest::StatusCode;

/// Why an operation failed.
///
/// `E` is the body the API documents for the operation's error responses. Nothing in an
/// `Error` holds a request's credentials: transport errors have their URL removed (a path can
/// carry a token), and decoding errors keep only where decoding stopped, not the body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with a status outside `200..=299`.
    #[error("{operation}: the server answered {status}")]
    Api {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The response status.
        status: StatusCode,
        /// The response body, parsed as the documented error type when it matches.
        body: ApiErrorBody<E>,
    },
    /// The request could not be sent, or the response could not be read.
    #[error("{operation}: the request failed")]
    Transport {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The underlying error, with the request URL removed.
        #[source]
        source: reqwest::Error,
    },
    /// A path parameter's value cannot travel as one path segment: it is empty, `.` or `..`,
    /// which URLs drop or resolve away. Nothing was sent.
    #[error("{operation}: path parameter `{parameter}` must not be empty, `.` or `..`")]
    InvalidPathParameter {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The parameter's name in the spec.
        parameter: &'static str,
    },
    /// A success response whose body is not the documented type.
    #[error("{operation}: the {status} response could not be decoded: {reason}")]
    Decode {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The response status.
        status: StatusCode,
        /// Where and why decoding failed.
        reason: DecodeFailure,
    },
}

impl<E> Error<E> {
    /// The response status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            Error::InvalidPathParameter { .. } => None,
        }
    }

    /// The documented error body, when the server sent one that parsed.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api {
                body: ApiErrorBody::Parsed(body),
                ..
            } => Some(body),
            _ => None,
        }
    }
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
    pub(crate) fn new(error: &serde_json::Error) -> Self {
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
