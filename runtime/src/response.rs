//! Responses: a success's value together with its status and headers, and the decoding of a
//! response body as the operation documents it, by status, never by shape.

use std::fmt;
use std::ops::Deref;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ApiErrorBody, DecodeError, DecodeFailure, Error, NotRetried};

/// A successful response: the decoded value, with the status and headers it came with.
///
/// It dereferences to the value, so `token.access_token` reads a field of the body directly;
/// [`Response::into_inner`] takes the value out.
#[derive(Clone, PartialEq)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    value: T,
}

impl<T> Response<T> {
    /// A response holding `value`, as received with `status` and `headers`.
    pub fn new(status: StatusCode, headers: HeaderMap, value: T) -> Self {
        Self {
            status,
            headers,
            value,
        }
    }

    /// The status (within `200..=299`).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers (`Location`, rate limits, `ETag`, ...).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded value.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The status, the headers and the value.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.value)
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// Shows the status, the header names (their values can hold session cookies) and the value.
impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("value", &self.value)
            .finish()
    }
}

/// Parses the body of an error response (any status outside `200..=299`) as the operation
/// documents it for that status; `None` keeps the body as text.
pub type ParseError<E> = fn(StatusCode, &[u8]) -> Option<E>;

/// [`ParseError`] for an operation whose error responses all have one JSON type.
pub fn json_error<E: DeserializeOwned>(_: StatusCode, body: &[u8]) -> Option<E> {
    serde_json::from_slice(body).ok()
}

/// A response whose body has been read but not decoded.
pub(crate) struct RawResponse {
    pub(crate) operation: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// Set when a retry was due for this response but its request could not be sent again.
    pub(crate) skipped: Option<NotRetried>,
}

impl RawResponse {
    /// Decodes a JSON success body.
    pub(crate) fn json<T: DeserializeOwned, E>(
        self,
        parse_error: ParseError<E>,
    ) -> Result<Response<T>, Error<E>> {
        self.decode(parse_error, |_, body| serde_json::from_slice(body))
    }

    /// Decodes a success body with `decode`, which picks the type by status.
    pub(crate) fn per_status<T, E>(
        self,
        parse_error: ParseError<E>,
        decode: fn(u16, &[u8]) -> Result<T, serde_json::Error>,
    ) -> Result<Response<T>, Error<E>> {
        self.decode(parse_error, |status, body| decode(status.as_u16(), body))
    }

    /// Accepts any success, ignoring its body.
    pub(crate) fn empty<E>(self, parse_error: ParseError<E>) -> Result<Response<()>, Error<E>> {
        self.decode(parse_error, |_, _| Ok(()))
    }

    /// Returns a success body as text.
    pub(crate) fn text<E>(self, parse_error: ParseError<E>) -> Result<Response<String>, Error<E>> {
        self.decode(parse_error, |_, body| {
            Ok(String::from_utf8_lossy(body).into_owned())
        })
    }

    /// A status outside `200..=299` becomes [`Error::Api`]; a success is decoded by `decode`.
    fn decode<T, E>(
        self,
        parse_error: ParseError<E>,
        decode: impl FnOnce(StatusCode, &[u8]) -> Result<T, serde_json::Error>,
    ) -> Result<Response<T>, Error<E>> {
        if !self.status.is_success() {
            return Err(self.into_api_error(parse_error));
        }
        let RawResponse {
            operation,
            status,
            headers,
            body,
            skipped,
        } = self;
        match decode(status, &body) {
            Ok(value) => Ok(Response::new(status, headers, value)),
            Err(error) => Err(NotRetried::mark(
                skipped,
                Error::Decode(Box::new(DecodeError {
                    operation,
                    status,
                    headers,
                    reason: DecodeFailure::new(&error),
                })),
            )),
        }
    }

    /// The [`Error::Api`] of a response with a status outside `200..=299`, its body parsed
    /// by `parse_error` (else kept as text).
    pub(crate) fn into_api_error<E>(self, parse_error: ParseError<E>) -> Error<E> {
        let RawResponse {
            operation,
            status,
            headers,
            body,
            skipped,
        } = self;
        let body = match parse_error(status, &body) {
            Some(parsed) => ApiErrorBody::Parsed(parsed),
            None => ApiErrorBody::Unparsed(String::from_utf8_lossy(&body).into_owned()),
        };
        let error = Error::Api(Box::new(ApiError {
            operation,
            status,
            headers,
            body,
        }));
        NotRetried::mark(skipped, error)
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderValue, LOCATION};

    use super::*;

    fn raw(status: u16, body: &str) -> RawResponse {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, HeaderValue::from_static("/files/1"));
        RawResponse {
            operation: "op",
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: Bytes::copy_from_slice(body.as_bytes()),
            skipped: None,
        }
    }

    #[test]
    fn a_success_keeps_status_and_headers_and_derefs_to_its_value() {
        let response: Response<Vec<u8>> = raw(201, "[1,2]").json(json_error::<()>).unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.headers()[LOCATION], "/files/1");
        assert_eq!(response.len(), 2);
        assert_eq!(response.into_inner(), [1, 2]);
    }

    #[test]
    fn an_error_status_keeps_headers_and_the_documented_body() {
        let error = raw(429, r#"{"code": 7}"#)
            .json::<(), serde_json::Value>(json_error)
            .unwrap_err();
        assert_eq!(
            error.headers().map(|h| &h[LOCATION]),
            Some(&HeaderValue::from_static("/files/1"))
        );
        assert_eq!(error.api_error(), Some(&serde_json::json!({"code": 7})));
        let unparsed = raw(502, "<html>").json::<(), u8>(json_error).unwrap_err();
        let Error::Api(api) = unparsed else {
            panic!("an API error: {unparsed:?}");
        };
        assert_eq!(api.body, ApiErrorBody::Unparsed("<html>".to_owned()));
    }

    #[test]
    fn a_body_of_the_wrong_shape_is_a_decode_error_without_the_body() {
        let error = raw(200, r#"{"secret": "x"}"#)
            .json::<u8, ()>(json_error)
            .unwrap_err();
        let text = format!("{error} {error:?}");
        assert!(
            matches!(error, Error::Decode(_)) && !text.contains("secret"),
            "{text}"
        );
    }
}
