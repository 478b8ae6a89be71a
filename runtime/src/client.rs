//! Sending requests: the [`Transport`] a generated client holds (the HTTP client, timeouts,
//! retries, hooks and default headers), the [`ClientBuilder`] that sets it up, and the loop
//! that sends one call: build the request, run the hooks, send, retry when the policy says so,
//! read the body.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use url::Url;

use crate::encode::Segment;
use crate::error::{Error, NotRetried, RequestProblem};
use crate::hook::{
    AfterResponse, BoxFuture, Hook, HookContext, HookError, RequestHead, ResponseHead,
};
use crate::payload::Replay;
use crate::request::RequestBuilder;
use crate::response::RawResponse;
use crate::retry::{Failed, RetryPolicy};
use crate::stream::ByteStream;

/// How long a client waits to connect, unless told otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client waits for a response head, and for each piece of a body, unless told
/// otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// What the runtime needs to know about an operation to send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The `operationId`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
}

impl Operation {
    /// The operation `id`, sent with `method`.
    pub const fn new(id: &'static str, method: Method) -> Self {
        Self { id, method }
    }
}

/// How a client waits before retrying: `tokio::time::sleep` unless [`ClientBuilder::sleep_with`]
/// says otherwise.
pub type Sleep = Arc<dyn Fn(Duration) -> BoxFuture<'static, ()> + Send + Sync>;

/// A generated client: its base URLs, and how to make one from a transport and base URLs.
/// [`ClientBuilder`] builds any of them.
pub trait ApiClient: Sized {
    /// Where the API's servers are reached; its `Default` holds the spec's URLs.
    type BaseUrls: Default;

    /// The client sending through `transport` to `base_urls`.
    fn from_parts(transport: Transport, base_urls: Self::BaseUrls) -> Self;
}

/// Sets up a generated client `C`: base URLs, the HTTP client, timeouts, retries, hooks and
/// default headers. `C::builder()` returns one.
pub struct ClientBuilder<C: ApiClient> {
    http: Option<reqwest::Client>,
    base_urls: Option<C::BaseUrls>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    retry: RetryPolicy,
    hooks: Vec<Arc<dyn Hook>>,
    headers: HeaderMap,
    sleep: Sleep,
    client: PhantomData<fn() -> C>,
}

impl<C: ApiClient> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self {
            http: None,
            base_urls: None,
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            hooks: Vec::new(),
            headers: HeaderMap::new(),
            sleep: Arc::new(|wait| Box::pin(tokio::time::sleep(wait))),
            client: PhantomData,
        }
    }
}

impl<C: ApiClient> ClientBuilder<C> {
    /// A builder with the defaults: the spec's servers, a 10 s connect timeout, a 60 s
    /// [timeout](ClientBuilder::timeout) for each read, [`RetryPolicy::default`], no hooks.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reaches the servers at `base_urls` instead of the spec's URLs.
    pub fn base_urls(mut self, base_urls: C::BaseUrls) -> Self {
        self.base_urls = Some(base_urls);
        self
    }

    /// Sends requests through `http` instead of a new `reqwest::Client` (to share its pool or
    /// its proxy settings). Its own connect timeout then applies; [`ClientBuilder::timeout`]
    /// still applies to each request.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Gives up on a request when its response head has not arrived within `timeout`, or when
    /// a read of its body waits that long for the next piece; a body that keeps arriving may
    /// take as long as it needs in all, so a large download is not cut off. A timeout is an
    /// [`Error::Timeout`] (and [`Error::is_timeout`]); waiting for the head, it is retried as a
    /// failed connection is. A timeout a hook sets on the request itself
    /// (`reqwest::Request::timeout_mut`) covers the whole exchange, as reqwest's does.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Waits for response heads and each piece of a body as long as they take.
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// Gives up connecting after `timeout` (for the client this builder makes itself).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Retries failed attempts as `policy` says ([`RetryPolicy::none`] turns retries off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Runs `hook` around every request, after the hooks added before it.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Runs a shared `hook` around every request (one token provider for several clients).
    pub fn shared_hook(mut self, hook: Arc<dyn Hook>) -> Self {
        self.hooks.push(hook);
        self
    }

    /// Sends `headers` with every request, unless an operation sets a header of that name.
    pub fn default_headers(mut self, headers: HeaderMap) -> Self {
        self.headers = headers;
        self
    }

    /// Waits between attempts with `sleep` instead of `tokio::time::sleep`: a test can record
    /// the waits the retry policy asks for, and go on at once.
    pub fn sleep_with(
        mut self,
        sleep: impl Fn(Duration) -> BoxFuture<'static, ()> + Send + Sync + 'static,
    ) -> Self {
        self.sleep = Arc::new(sleep);
        self
    }

    /// The client.
    ///
    /// # Panics
    ///
    /// Without [`ClientBuilder::http_client`], when the TLS backend cannot be initialised,
    /// as `reqwest::Client::new` does.
    pub fn build(self) -> C {
        let http = self.http.unwrap_or_else(|| {
            reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .expect("the TLS backend initialises")
        });
        let transport = Transport {
            inner: Arc::new(Inner {
                http,
                timeout: self.timeout,
                retry: self.retry,
                hooks: self.hooks,
                headers: self.headers,
                sleep: self.sleep,
            }),
        };
        C::from_parts(transport, self.base_urls.unwrap_or_default())
    }
}

/// Shows the settings, never header values.
impl<C: ApiClient> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("hooks", &self.hooks.len())
            .field("default_headers", &self.headers.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// How a generated client sends requests. Cloning is cheap: clones share the connection pool,
/// the hooks and the settings.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    hooks: Vec<Arc<dyn Hook>>,
    headers: HeaderMap,
    sleep: Sleep,
}

/// A hook may have a request sent again this many times per call.
const MAX_RESENDS: u32 = 1;

impl Transport {
    /// A copy that also sends `headers` with every request; a header named here replaces all
    /// values of that name set before.
    pub fn with_headers(&self, headers: HeaderMap) -> Self {
        let mut merged = self.inner.headers.clone();
        // Iterating a `HeaderMap` gives the name with the first value only; later values of
        // the same name come with `None`.
        let mut current = None;
        for (name, value) in headers {
            if let Some(name) = name {
                merged.remove(&name);
                current = Some(name);
            }
            if let Some(name) = &current {
                merged.append(name, value);
            }
        }
        let inner = Inner {
            http: self.inner.http.clone(),
            timeout: self.inner.timeout,
            retry: self.inner.retry.clone(),
            hooks: self.inner.hooks.clone(),
            headers: merged,
            sleep: Arc::clone(&self.inner.sleep),
        };
        Self {
            inner: Arc::new(inner),
        }
    }

    /// The retry policy calls follow.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Starts a call of `operation`: its URL is `base` with `segments` appended, each
    /// percent-encoded as one segment (a path parameter that would not stay one segment is
    /// a problem the call reports without sending anything).
    pub fn request(
        &self,
        operation: &Operation,
        base: &Url,
        segments: &[Segment],
    ) -> RequestBuilder {
        RequestBuilder::new(self.clone(), operation, base, segments)
    }

    /// The HTTP client requests are made with.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// Sends attempts of `call` until one ends it; its response, the body not yet read.
    pub(crate) async fn exchange(&self, call: &RequestBuilder) -> Result<Reply, Failure> {
        let inner = &*self.inner;
        let operation = &call.operation;
        let replay = call.replay();
        // The waits between attempts, made when the first retry needs one.
        let mut schedule = None;
        let mut context = HookContext {
            operation: operation.id,
            attempt: 0,
            resent: false,
        };
        loop {
            context.attempt += 1;
            let mut request = call
                .attempt()
                .map_err(|problem| Failure::invalid(operation, problem))?;
            self.prepare(&mut request, &context).await?;
            // Only hooks look at the request once it is sent; without them, nothing is copied.
            let head = (!inner.hooks.is_empty()).then(|| RequestHead {
                method: request.method().clone(),
                url: request.url().clone(),
                headers: request.headers().clone(),
            });
            let response = match self.execute(operation, request).await {
                Ok(response) => response,
                Err(failure) => {
                    let failed = failure.failed();
                    let wait = failed.and_then(|failed| {
                        inner
                            .retry
                            .delay(operation, context.attempt, &failed, &mut schedule)
                    });
                    match (wait, replay) {
                        (Some(wait), Replay::Any) => {
                            (inner.sleep)(wait).await;
                            continue;
                        }
                        (Some(_), Replay::Once) => return Err(failure.not_retried()),
                        (None, _) => return Err(failure),
                    }
                }
            };
            let reply = Reply::new(operation, response, inner.timeout);
            if let Some(head) = &head {
                let response_head = ResponseHead {
                    status: reply.status,
                    headers: reply.headers.clone(),
                };
                if self.resend(head, &response_head, &mut context).await? {
                    match replay {
                        Replay::Any => continue,
                        Replay::Once => return Ok(reply.not_retried()),
                    }
                }
            }
            let failed = Failed::Status(reply.status, &reply.headers);
            let wait = inner
                .retry
                .delay(operation, context.attempt, &failed, &mut schedule);
            match (wait, replay) {
                (Some(wait), Replay::Any) => (inner.sleep)(wait).await,
                (Some(_), Replay::Once) => return Ok(reply.not_retried()),
                (None, _) => return Ok(reply),
            }
        }
    }

    /// Sends one attempt, waiting at most the timeout for the response head.
    async fn execute(
        &self,
        operation: &Operation,
        request: reqwest::Request,
    ) -> Result<reqwest::Response, Failure> {
        let sent = self.inner.http.execute(request);
        let result = match self.inner.timeout {
            Some(after) => tokio::time::timeout(after, sent)
                .await
                .map_err(|_| Failure::timeout(operation, after))?,
            None => sent.await,
        };
        result.map_err(|error| Failure::transport(operation, error))
    }

    /// Adds the default headers a request does not set itself, then runs the hooks'
    /// `before_send`.
    async fn prepare(
        &self,
        request: &mut reqwest::Request,
        context: &HookContext,
    ) -> Result<(), Failure> {
        let inner = &*self.inner;
        let headers = request.headers_mut();
        for name in inner.headers.keys() {
            if !headers.contains_key(name) {
                for value in inner.headers.get_all(name) {
                    headers.append(name, value.clone());
                }
            }
        }
        for hook in &inner.hooks {
            hook.before_send(request, context)
                .await
                .map_err(|source| Failure::hook(context.operation, source))?;
        }
        Ok(())
    }

    /// Runs the hooks' `after_response`; whether one has the request sent again (once).
    async fn resend(
        &self,
        request: &RequestHead,
        response: &ResponseHead,
        context: &mut HookContext,
    ) -> Result<bool, Failure> {
        for hook in &self.inner.hooks {
            let verdict = hook
                .after_response(request, response, context)
                .await
                .map_err(|source| Failure::hook(context.operation, source))?;
            let resends = u32::from(context.resent);
            if verdict == AfterResponse::SendAgain && resends < MAX_RESENDS {
                context.resent = true;
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// Shows the settings, never header values.
impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("hooks", &self.inner.hooks.len())
            .field(
                "default_headers",
                &self.inner.headers.keys().collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// The response that ends a call, its body not yet read.
pub(crate) struct Reply {
    operation: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: ByteStream,
    skipped: Option<NotRetried>,
}

impl Reply {
    /// `response` to a call of `operation`, its body read with `idle` as the per-read timeout.
    fn new(operation: &Operation, mut response: reqwest::Response, idle: Option<Duration>) -> Self {
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        Self {
            operation: operation.id,
            status,
            headers,
            body: ByteStream::new(operation.id, response, idle),
            skipped: None,
        }
    }

    /// The same reply, marked as the end of a call that a retry was due for but not made.
    fn not_retried(self) -> Self {
        Self {
            skipped: Some(NotRetried),
            ..self
        }
    }

    /// The response with its body read in full.
    pub(crate) async fn read(self) -> Result<RawResponse, Failure> {
        let Reply {
            operation,
            status,
            headers,
            body,
            skipped,
        } = self;
        match body.collect().await {
            Ok(body) => Ok(RawResponse {
                operation,
                status,
                headers,
                body,
                skipped,
            }),
            Err(error) => Err(Failure {
                operation,
                kind: FailureKind::Read(error),
                skipped,
            }),
        }
    }
}

/// How a call failed before any response body was decoded; it becomes the operation's
/// [`Error`].
#[derive(Debug)]
pub(crate) struct Failure {
    operation: &'static str,
    kind: FailureKind,
    skipped: Option<NotRetried>,
}

#[derive(Debug)]
enum FailureKind {
    Transport(reqwest::Error),
    Timeout(Duration),
    Read(Error),
    InvalidRequest(RequestProblem),
    Hook(HookError),
}

impl Failure {
    fn new(operation: &'static str, kind: FailureKind) -> Self {
        Self {
            operation,
            kind,
            skipped: None,
        }
    }

    fn transport(operation: &Operation, source: reqwest::Error) -> Self {
        Self::new(operation.id, FailureKind::Transport(source.without_url()))
    }

    fn timeout(operation: &Operation, after: Duration) -> Self {
        Self::new(operation.id, FailureKind::Timeout(after))
    }

    fn hook(operation: &'static str, source: HookError) -> Self {
        Self::new(operation, FailureKind::Hook(source))
    }

    /// A request for `operation` that could not be assembled.
    fn invalid(operation: &Operation, problem: RequestProblem) -> Self {
        Self::new(operation.id, FailureKind::InvalidRequest(problem))
    }

    /// The same failure, marked as one a retry was due for but not made.
    fn not_retried(self) -> Self {
        Self {
            skipped: Some(NotRetried),
            ..self
        }
    }

    /// How the attempt failed, as far as retrying goes; `None` when it is never retried.
    fn failed(&self) -> Option<Failed<'_>> {
        match &self.kind {
            FailureKind::Transport(error) => Some(Failed::Transport(error)),
            FailureKind::Timeout(_) => Some(Failed::TimedOut),
            FailureKind::Read(_) | FailureKind::InvalidRequest(_) | FailureKind::Hook(_) => None,
        }
    }
}

impl<E> From<Failure> for Error<E> {
    fn from(
        Failure {
            operation,
            kind,
            skipped,
        }: Failure,
    ) -> Self {
        let error = match kind {
            FailureKind::Transport(source) => Error::Transport { operation, source },
            FailureKind::Timeout(after) => Error::Timeout { operation, after },
            FailureKind::Read(error) => error.widen(),
            FailureKind::InvalidRequest(problem) => Error::InvalidRequest { operation, problem },
            FailureKind::Hook(source) => Error::Hook { operation, source },
        };
        NotRetried::mark(skipped, error)
    }
}
