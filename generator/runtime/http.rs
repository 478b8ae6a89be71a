//! The client, its builder, and the plumbing every operation shares: building URLs, sending,
//! and decoding responses.
#![allow(
    dead_code,
    reason = "an API need not use every kind of response, so some helpers go unused"
)]

use std::fmt;

use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::{RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use url::Url;

use crate::error::{ApiErrorBody, DecodeFailure, Error};
use crate::BaseUrls;

/// A client for the API; each operation is a method.
///
/// Cloning is cheap: clones share the connection pool of the underlying `reqwest::Client`.
#[derive(Clone)]
pub struct Client {
    pub(crate) http: reqwest::Client,
    pub(crate) base_urls: BaseUrls,
    extra_headers: HeaderMap,
}

impl Client {
    /// A client for the spec's servers, with a new `reqwest::Client`.
    ///
    /// # Panics
    ///
    /// As `reqwest::Client::new` does, when the TLS backend cannot be initialised.
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// A builder to set the base URLs, the HTTP client or default headers.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Where each server is reached.
    pub fn base_urls(&self) -> &BaseUrls {
        &self.base_urls
    }

    /// A copy of this client that also sends `headers` with every request. Use it for one
    /// call (`client.with_extra_headers(h).operation(..)`) or keep it. A header named here
    /// replaces all values of that name set before.
    pub fn with_extra_headers(&self, headers: HeaderMap) -> Self {
        let mut client = self.clone();
        // Iterating a `HeaderMap` gives the name with the first value only; later values of
        // the same name come with `None`.
        let mut current = None;
        for (name, value) in headers {
            if let Some(name) = name {
                client.extra_headers.remove(&name);
                current = Some(name);
            }
            if let Some(name) = &current {
                client.extra_headers.append(name, value);
            }
        }
        client
    }

    /// Sends `request` with the extra headers; a header the operation set itself (such as
    /// the body's `Content-Type`) is not replaced. A failure to send is a transport error.
    pub(crate) async fn send<E>(
        &self,
        operation: &'static str,
        request: RequestBuilder,
    ) -> Result<Response, Error<E>> {
        let mut request = request
            .build()
            .map_err(|source| transport(operation, source))?;
        let headers = request.headers_mut();
        for name in self.extra_headers.keys() {
            if !headers.contains_key(name) {
                for value in self.extra_headers.get_all(name) {
                    headers.append(name, value.clone());
                }
            }
        }
        self.http
            .execute(request)
            .await
            .map_err(|source| transport(operation, source))
    }
}

impl Default for Client {
    fn default() -> Self {
        Self::new()
    }
}

/// Shows the base URLs and the names of the extra headers, never their values.
impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_urls", &self.base_urls)
            .field("extra_headers", &self.extra_headers.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Sets up a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    http: Option<reqwest::Client>,
    base_urls: Option<BaseUrls>,
    extra_headers: HeaderMap,
}

impl ClientBuilder {
    /// Sends requests through `http` instead of a new `reqwest::Client` (to share a pool, or
    /// set timeouts and proxies).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Reaches the servers at `base_urls` instead of the spec's URLs.
    pub fn base_urls(mut self, base_urls: BaseUrls) -> Self {
        self.base_urls = Some(base_urls);
        self
    }

    /// Sends `headers` with every request.
    pub fn extra_headers(mut self, headers: HeaderMap) -> Self {
        self.extra_headers = headers;
        self
    }

    /// The client.
    ///
    /// # Panics
    ///
    /// Without [`ClientBuilder::http_client`], as `reqwest::Client::new` does when the TLS
    /// backend cannot be initialised.
    pub fn build(self) -> Client {
        Client {
            http: self.http.unwrap_or_default(),
            base_urls: self.base_urls.unwrap_or_default(),
            extra_headers: self.extra_headers,
        }
    }
}

/// Shows the settings, never header values.
impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_urls", &self.base_urls)
            .field("extra_headers", &self.extra_headers.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// A server URL of the spec, which the generator has already parsed successfully.
pub(crate) fn spec_url(url: &str) -> Url {
    Url::parse(url).expect("the generator only emits server URLs that parse")
}

/// `base` with `segments` appended, each percent-encoded as one path segment.
///
/// A base URL that cannot have a path (`mailto:`, say) is returned unchanged, and the request
/// then fails as a transport error.
pub(crate) fn endpoint(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

/// Refuses a path parameter value that a URL cannot carry as one segment.
pub(crate) fn path_segment<E>(
    operation: &'static str,
    parameter: &'static str,
    value: &str,
) -> Result<(), Error<E>> {
    match value {
        "" | "." | ".." => Err(Error::InvalidPathParameter {
            operation,
            parameter,
        }),
        _ => Ok(()),
    }
}

/// How a parameter or form field holding an array or object is written (OpenAPI `style` and
/// `explode`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Style {
    /// `a=1&a=2` when exploded, else `a=1,2`; objects as `k=v` pairs or `a=k,v`.
    Form { explode: bool },
    /// `1,2`; objects as `k=v,k=v` when exploded, else `k,v,k,v`.
    Simple { explode: bool },
    /// `a=1 2`.
    SpaceDelimited,
    /// `a=1|2`.
    PipeDelimited,
    /// `a[k]=v`, nesting as `a[k][k2]=v`.
    DeepObject,
    /// The whole value as JSON text (a parameter described by `content`).
    Json,
}

/// The name/value pairs `value` is written as under `name` in `style`; `None` and `null`
/// give no pairs.
pub(crate) fn pairs<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
) -> Vec<(String, String)> {
    // Serialising generated types to JSON values cannot fail: every map has string keys.
    let Ok(value) = serde_json::to_value(value) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    flatten(name, &value, style, &mut out);
    out
}

fn flatten(name: &str, value: &Value, style: Style, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::String(_) | Value::Array(_) | Value::Object(_) if matches!(style, Style::Json) => {
            out.push((name.to_owned(), value.to_string()));
        }
        Value::Array(items) => {
            let texts: Vec<String> = items.iter().filter_map(scalar).collect();
            match style {
                Style::Form { explode: true } | Style::DeepObject => {
                    out.extend(texts.into_iter().map(|text| (name.to_owned(), text)));
                }
                Style::Form { explode: false } | Style::Simple { .. } | Style::Json => {
                    out.push((name.to_owned(), texts.join(",")));
                }
                Style::SpaceDelimited => out.push((name.to_owned(), texts.join(" "))),
                Style::PipeDelimited => out.push((name.to_owned(), texts.join("|"))),
            }
        }
        Value::Object(members) => match style {
            Style::DeepObject => {
                for (key, member) in members {
                    flatten(&format!("{name}[{key}]"), member, style, out);
                }
            }
            Style::Form { explode: true } => {
                for (key, member) in members {
                    out.extend(scalar(member).map(|text| (key.clone(), text)));
                }
            }
            Style::Simple { explode: true } => {
                let texts: Vec<String> = members
                    .iter()
                    .filter_map(|(key, member)| Some(format!("{key}={}", scalar(member)?)))
                    .collect();
                out.push((name.to_owned(), texts.join(",")));
            }
            _ => {
                let texts: Vec<String> = members
                    .iter()
                    .filter_map(|(key, member)| Some(format!("{key},{}", scalar(member)?)))
                    .collect();
                out.push((name.to_owned(), texts.join(",")));
            }
        },
        other => out.extend(scalar(other).map(|text| (name.to_owned(), text))),
    }
}

/// A JSON value as parameter text: strings as they are, numbers and booleans as JSON writes
/// them, nested arrays and objects as JSON.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// Sends `pairs` as an `application/x-www-form-urlencoded` body.
pub(crate) fn form_body(
    request: RequestBuilder,
    pairs: impl IntoIterator<Item = (String, String)>,
) -> RequestBuilder {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    request
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
}

/// Adds header `name` with `value` written in `style` (`simple`, or JSON for a header
/// described by `content`); `None` adds nothing.
pub(crate) fn header<T: Serialize + ?Sized>(
    request: RequestBuilder,
    name: &str,
    value: &T,
    style: Style,
) -> RequestBuilder {
    match pairs(name, value, style).into_iter().next() {
        Some((_, text)) => request.header(name, text),
        None => request,
    }
}

/// Adds one `Cookie` header carrying `pairs`, if there are any.
pub(crate) fn cookies(
    request: RequestBuilder,
    pairs: impl IntoIterator<Item = (String, String)>,
) -> RequestBuilder {
    let cookie = pairs
        .into_iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("; ");
    if cookie.is_empty() {
        request
    } else {
        request.header(reqwest::header::COOKIE, cookie)
    }
}

/// `url` with `pairs` appended to its query, form-encoded.
pub(crate) fn with_query(mut url: Url, pairs: impl IntoIterator<Item = (String, String)>) -> Url {
    let mut pairs = pairs.into_iter().peekable();
    if pairs.peek().is_some() {
        url.query_pairs_mut().extend_pairs(pairs);
    }
    url
}

/// Parses the body of an error response (any status outside `200..=299`) as the operation
/// documents it for that status; `None` keeps the body as text.
pub(crate) type ParseError<E> = fn(StatusCode, &[u8]) -> Option<E>;

/// [`ParseError`] for an operation whose error responses all have one JSON type.
pub(crate) fn json_error<E: DeserializeOwned>(_: StatusCode, body: &[u8]) -> Option<E> {
    serde_json::from_slice(body).ok()
}

/// Decodes a JSON success body.
pub(crate) async fn json<T, E>(
    operation: &'static str,
    response: Response,
    parse_error: ParseError<E>,
) -> Result<T, Error<E>>
where
    T: DeserializeOwned,
{
    let (status, body) = read(operation, response, parse_error).await?;
    serde_json::from_slice(&body).map_err(|error| decode_error(operation, status, &error))
}

/// Decodes a success body with `decode`, which picks the type by status.
pub(crate) async fn per_status<T, E>(
    operation: &'static str,
    response: Response,
    parse_error: ParseError<E>,
    decode: fn(u16, &[u8]) -> Result<T, serde_json::Error>,
) -> Result<T, Error<E>> {
    let (status, body) = read(operation, response, parse_error).await?;
    decode(status.as_u16(), &body).map_err(|error| decode_error(operation, status, &error))
}

/// Accepts any success, ignoring its body.
pub(crate) async fn empty<E>(
    operation: &'static str,
    response: Response,
    parse_error: ParseError<E>,
) -> Result<(), Error<E>> {
    read(operation, response, parse_error).await.map(drop)
}

/// Returns a success body as text.
pub(crate) async fn text<E>(
    operation: &'static str,
    response: Response,
    parse_error: ParseError<E>,
) -> Result<String, Error<E>> {
    let (_, body) = read(operation, response, parse_error).await?;
    Ok(String::from_utf8_lossy(&body).into_owned())
}

/// Returns a success body as bytes.
pub(crate) async fn bytes<E>(
    operation: &'static str,
    response: Response,
    parse_error: ParseError<E>,
) -> Result<Vec<u8>, Error<E>> {
    read(operation, response, parse_error).await.map(|(_, body)| body)
}

/// Reads the whole body; a status outside `200..=299` becomes [`Error::Api`].
async fn read<E>(
    operation: &'static str,
    response: Response,
    parse_error: ParseError<E>,
) -> Result<(StatusCode, Vec<u8>), Error<E>> {
    let status = response.status();
    let body: Vec<u8> = response
        .bytes()
        .await
        .map_err(|source| transport(operation, source))?
        .into();
    if status.is_success() {
        return Ok((status, body));
    }
    let body = match parse_error(status, &body) {
        Some(parsed) => ApiErrorBody::Parsed(parsed),
        None => ApiErrorBody::Unparsed(String::from_utf8_lossy(&body).into_owned()),
    };
    Err(Error::Api {
        operation,
        status,
        body,
    })
}

fn decode_error<E>(operation: &'static str, status: StatusCode, error: &serde_json::Error) -> Error<E> {
    Error::Decode {
        operation,
        status,
        reason: DecodeFailure::new(error),
    }
}

fn transport<E>(operation: &'static str, source: reqwest::Error) -> Error<E> {
    Error::Transport {
        operation,
        source: source.without_url(),
    }
}
