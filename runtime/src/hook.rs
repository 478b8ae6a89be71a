//! Hooks: code of the caller's that runs around every request a client sends, such as an
//! authentication provider that sets a bearer token (refreshing it first when it is about to
//! expire) and, when the server answers `401`, refreshes once and has the request sent again.

use std::future::Future;
use std::pin::Pin;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use url::Url;

/// A boxed future that can cross threads, as hook methods return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Code that runs around each attempt to send a request. Both methods have defaults that do
/// nothing, so a hook implements only what it needs.
///
/// ```
/// use clientgen_runtime::hook::{BoxFuture, Hook, HookContext, HookError};
/// use clientgen_runtime::reqwest::header::{HeaderValue, AUTHORIZATION};
///
/// /// Sends a fixed bearer token.
/// struct Bearer(HeaderValue);
///
/// impl Hook for Bearer {
///     fn before_send<'a>(
///         &'a self,
///         request: &'a mut clientgen_runtime::reqwest::Request,
///         _context: &'a HookContext,
///     ) -> BoxFuture<'a, Result<(), HookError>> {
///         request.headers_mut().insert(AUTHORIZATION, self.0.clone());
///         Box::pin(async { Ok(()) })
///     }
/// }
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Runs before each attempt is sent and may change the request, setting headers above
    /// all. It may wait (to refresh a token first). An error stops the call with
    /// [`Error::Hook`](crate::Error::Hook); nothing is sent.
    fn before_send<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        context: &'a HookContext,
    ) -> BoxFuture<'a, Result<(), HookError>> {
        let _ = (request, context);
        Box::pin(async { Ok(()) })
    }

    /// Runs when a response arrives, before its body is read, with the request as it was
    /// sent. Returning [`AfterResponse::SendAgain`] sends the request once more (through
    /// [`Hook::before_send`] again): a hook may do that once per call, after a `401` whose
    /// token it has just refreshed, say.
    fn after_response<'a>(
        &'a self,
        request: &'a RequestHead,
        response: &'a ResponseHead,
        context: &'a HookContext,
    ) -> BoxFuture<'a, Result<AfterResponse, HookError>> {
        let _ = (request, response, context);
        Box::pin(async { Ok(AfterResponse::Accept) })
    }
}

/// What a hook makes of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterResponse {
    /// Carry on with this response.
    Accept,
    /// Send the request again (at most once per call, whichever hook asks).
    SendAgain,
}

/// Which call and which attempt a hook runs for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HookContext {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// The attempt, from 1; retries and resends each count one.
    pub attempt: u32,
    /// Whether a hook already had this request sent again.
    pub resent: bool,
}

impl HookContext {
    /// Whether the request being sent is `operation` (a constant of the generated crate's
    /// `operations` module).
    pub fn is(&self, operation: &crate::Operation) -> bool {
        self.operation == operation.id
    }
}

/// A request as it was sent: what `after_response` may compare (which token it carried, say).
#[derive(Clone)]
pub struct RequestHead {
    /// The method.
    pub method: Method,
    /// The URL.
    pub url: Url,
    /// The headers, as the hooks left them.
    pub headers: HeaderMap,
}

/// Shows the method and header names; URLs and header values can hold credentials.
impl std::fmt::Debug for RequestHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestHead")
            .field("method", &self.method)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// The status and headers of a response, before its body is read.
#[derive(Clone)]
pub struct ResponseHead {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
}

/// Shows the status and header names; header values can hold session cookies.
impl std::fmt::Debug for ResponseHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseHead")
            .field("status", &self.status)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// What went wrong in a hook: any error of the hook's own, boxed.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct HookError(Box<dyn std::error::Error + Send + Sync + 'static>);

impl HookError {
    /// Wraps `error`. Its `Display` and `Debug` become the hook error's, so it must not
    /// show credentials.
    pub fn new(error: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Self {
        Self(error.into())
    }

    /// The error the hook reported.
    pub fn get_ref(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }
}

#[cfg(test)]
mod tests {
    use reqwest::Method;

    use super::HookContext;
    use crate::Operation;

    #[test]
    fn a_context_tells_which_operation_is_sent() {
        const REFRESH: Operation = Operation::new("post_token#refresh", Method::POST);
        const REVOKE: Operation = Operation::new("post_revoke", Method::POST);
        let context = HookContext {
            operation: REFRESH.id,
            attempt: 1,
            resent: false,
        };
        assert!(context.is(&REFRESH));
        assert!(!context.is(&REVOKE));
    }
}
