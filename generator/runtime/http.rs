//! The client, its builder, and the plumbing every operation shares: building URLs, sending,
//! and decoding responses.
#![allow(
    dead_code,
    reason = "an API need not use every kind of response, so some helpers go unused"
)]

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
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

/// `url` with `pairs` appended to its query, form-encoded.
pub(crate) fn with_query<'a>(mut url: Url, pairs: impl IntoIterator<Item = (&'a str, String)>) -> Url {
    let mut pairs = pairs.into_iter().peekable();
    if pairs.peek().is_some() {
        url.query_pairs_mut().extend_pairs(pairs);
    }
    url
}

/// Decodes a JSON success body, or the error body of any other status.
pub(crate) async fn json<T, E>(operation: &'static str, response: Response) -> Result<T, Error<E>>
where
    T: DeserializeOwned,
    E: DeserializeOwned,
{
    let (status, body) = read(operation, response).await?;
    serde_json::from_slice(&body).map_err(|error| Error::Decode {
        operation,
        status,
        reason: DecodeFailure::new(&error),
    })
}

/// Accepts any success, ignoring its body.
pub(crate) async fn empty<E>(operation: &'static str, response: Response) -> Result<(), Error<E>>
where
    E: DeserializeOwned,
{
    read(operation, response).await.map(drop)
}

/// Returns a success body as text.
pub(crate) async fn text<E>(operation: &'static str, response: Response) -> Result<String, Error<E>>
where
    E: DeserializeOwned,
{
    let (_, body) = read(operation, response).await?;
    Ok(String::from_utf8_lossy(&body).into_owned())
}

/// Reads the whole body; a status outside `200..=299` becomes [`Error::Api`].
async fn read<E>(
    operation: &'static str,
    response: Response,
) -> Result<(StatusCode, Vec<u8>), Error<E>>
where
    E: DeserializeOwned,
{
    let status = response.status();
    let body: Vec<u8> = response
        .bytes()
        .await
        .map_err(|source| transport(operation, source))?
        .into();
    if status.is_success() {
        return Ok((status, body));
    }
    let body = match serde_json::from_slice(&body) {
        Ok(parsed) => ApiErrorBody::Parsed(parsed),
        Err(_) => ApiErrorBody::Unparsed(String::from_utf8_lossy(&body).into_owned()),
    };
    Err(Error::Api {
        operation,
        status,
        body,
    })
}

fn transport<E>(operation: &'static str, source: reqwest::Error) -> Error<E> {
    Error::Transport {
        operation,
        source: source.without_url(),
    }
}
