//! When a failed attempt is tried again, and after how long: exponential backoff with jitter
//! (from `backon`), `Retry-After` honoured in both its forms and capped, and a rule for which
//! requests may be sent twice.

use std::time::{Duration, SystemTime};

use backon::{BackoffBuilder, ExponentialBackoff, ExponentialBuilder};
use reqwest::header::{HeaderMap, DATE, RETRY_AFTER};
use reqwest::{Method, StatusCode};

use crate::client::Operation;
use crate::error::Error;

/// Which failed attempts a client tries again, how often and how long it waits first.
///
/// The default tries each call up to 3 times. A request whose method is idempotent (`GET`,
/// `HEAD`, `OPTIONS`, `PUT`, `DELETE`, `TRACE`), or whose operation is marked
/// [safe to retry](RetryPolicy::safe_to_retry), is tried again after a connection failure or
/// timeout and on `429`, `502`, `503` and `504` (and on every `5xx` but `501` and `505` with
/// [`retry_server_errors`](RetryPolicy::retry_server_errors)); any other request only on `429`
/// and `503`,
/// where the server says it did not act on it. A `Retry-After` header (seconds, or an HTTP
/// date) sets the wait, capped at [`max_retry_after`](RetryPolicy::max_retry_after); otherwise
/// the wait doubles from 250 ms up to 8 s, with random jitter of up to as much again.
///
/// ```
/// use std::time::Duration;
/// use clientgen_runtime::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(5)
///     .max_retry_after(Duration::from_secs(120))
///     .safe_to_retry(&REFRESH);
/// # const REFRESH: clientgen_runtime::Operation =
/// #     clientgen_runtime::Operation::new("post_oauth2_token#refresh", clientgen_runtime::reqwest::Method::POST);
/// let never = RetryPolicy::none();
/// # let _ = (patient, never);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    jitter: bool,
    all_server_errors: bool,
    safe: Vec<&'static str>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
            all_server_errors: false,
            safe: Vec::new(),
        }
    }
}

impl RetryPolicy {
    /// Every call is sent once, never again.
    pub fn none() -> Self {
        Self::default().max_attempts(1)
    }

    /// Sends each call at most `attempts` times in all (1 means no retries; 0 counts as 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Waits `initial` before the first retry, doubling up to `max` for each one after.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Waits at most `cap` however long a `Retry-After` header asks for.
    pub fn max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// Waits exactly the backoff, without random jitter (for tests, chiefly).
    pub fn without_jitter(mut self) -> Self {
        self.jitter = false;
        self
    }

    /// Also retries a request that is safe to send again on `500` and every other `5xx` but
    /// `501` and `505` (which say it can never work), for servers whose `500`s are transient.
    pub fn retry_server_errors(mut self) -> Self {
        self.all_server_errors = true;
        self
    }

    /// Treats `operation` as idempotent whatever its method: the caller knows that sending it
    /// twice does no harm. A generated crate has a constant for each of its operations
    /// (`my_client::operations::REFRESH_TOKEN`).
    pub fn safe_to_retry(mut self, operation: &Operation) -> Self {
        self.safe.push(operation.id);
        self
    }

    /// How many times a call is sent at most.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The waits before each retry, for one call.
    pub(crate) fn schedule(&self) -> ExponentialBackoff {
        let builder = ExponentialBuilder::default()
            .with_min_delay(self.initial_backoff)
            .with_max_delay(self.max_backoff)
            .with_factor(2.0)
            .without_max_times();
        if self.jitter {
            builder.with_jitter().build()
        } else {
            builder.build()
        }
    }

    /// Whether `operation` may be sent again after a failed attempt of its.
    fn idempotent(&self, operation: &Operation) -> bool {
        matches!(
            operation.method,
            Method::GET
                | Method::HEAD
                | Method::OPTIONS
                | Method::PUT
                | Method::DELETE
                | Method::TRACE
        ) || self.safe.contains(&operation.id)
    }

    /// How long to wait before sending `operation` again after `attempt` (from 1) failed
    /// with `failure`; `None` when it is not retried.
    pub(crate) fn delay(
        &self,
        operation: &Operation,
        attempt: u32,
        failure: &Failed<'_>,
        schedule: &mut Option<ExponentialBackoff>,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let idempotent = self.idempotent(operation);
        let (retried, headers) = match failure {
            Failed::Transport(error) => (
                idempotent && (error.is_connect() || error.is_timeout() || error.is_request()),
                None,
            ),
            Failed::TimedOut => (idempotent, None),
            Failed::Status(status, headers) => (
                match *status {
                    StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => true,
                    StatusCode::BAD_GATEWAY | StatusCode::GATEWAY_TIMEOUT => idempotent,
                    // These two say the request can never work, however often it is sent.
                    StatusCode::NOT_IMPLEMENTED | StatusCode::HTTP_VERSION_NOT_SUPPORTED => false,
                    status => idempotent && self.all_server_errors && status.is_server_error(),
                },
                Some(*headers),
            ),
        };
        if !retried {
            return None;
        }
        let asked = headers.and_then(|headers| retry_after(headers, SystemTime::now()));
        match asked {
            Some(asked) => Some(asked.min(self.max_retry_after)),
            // `backon` multiplies in `f32`; whole milliseconds are what a wait means here.
            None => schedule
                .get_or_insert_with(|| self.schedule())
                .next()
                .map(|wait| Duration::from_millis(wait.as_millis().try_into().unwrap_or(u64::MAX))),
        }
    }
}

impl RetryPolicy {
    /// The retries of one call of `operation`, for code that sends each attempt itself
    /// rather than through a client (to sign a fresh credential for every attempt, say).
    ///
    /// ```
    /// use clientgen_runtime::reqwest::Method;
    /// use clientgen_runtime::{Error, Operation, RetryPolicy};
    ///
    /// async fn with_retries<T>(
    ///     policy: &RetryPolicy,
    ///     mut attempt: impl AsyncFnMut() -> Result<T, Error<()>>,
    /// ) -> Result<T, Error<()>> {
    ///     let mut retries = policy.retries(&Operation::new("getItem", Method::GET));
    ///     loop {
    ///         match attempt().await {
    ///             Err(error) => match retries.after(&error) {
    ///                 Some(wait) => tokio::time::sleep(wait).await,
    ///                 None => return Err(error),
    ///             },
    ///             done => return done,
    ///         }
    ///     }
    /// }
    /// ```
    pub fn retries(&self, operation: &Operation) -> Retries<'_> {
        Retries {
            policy: self,
            operation: operation.clone(),
            attempts: 0,
            schedule: None,
        }
    }
}

/// Where one call stands in its [`RetryPolicy`]: how many attempts failed, and the waits
/// still to come. Made by [`RetryPolicy::retries`].
#[derive(Debug)]
pub struct Retries<'a> {
    policy: &'a RetryPolicy,
    operation: Operation,
    attempts: u32,
    schedule: Option<ExponentialBackoff>,
}

impl Retries<'_> {
    /// Counts one failed attempt, which ended with `error`: how long to wait before the
    /// next attempt, or `None` when the call should give up with this error.
    ///
    /// Only a failed connection, a timeout and the statuses the policy names are retried;
    /// a request that could not be built, a body that could not be decoded or a failed hook
    /// never are.
    pub fn after<E>(&mut self, error: &Error<E>) -> Option<Duration> {
        self.attempts = self.attempts.saturating_add(1);
        let failed = match error {
            Error::Transport { source, .. } => Failed::Transport(source),
            Error::Timeout { .. } => Failed::TimedOut,
            Error::Api(api) => Failed::Status(api.status, &api.headers),
            _ => return None,
        };
        self.policy
            .delay(&self.operation, self.attempts, &failed, &mut self.schedule)
    }
}

/// How an attempt failed, as far as retrying goes.
pub(crate) enum Failed<'a> {
    /// No response came.
    Transport(&'a reqwest::Error),
    /// No response head came within the client's timeout.
    TimedOut,
    /// A response came with this status and these headers.
    Status(StatusCode, &'a HeaderMap),
}

/// The wait a `Retry-After` header asks for: a number of seconds, or an HTTP date, counted
/// from the response's `Date` (the server's clock) when it has one, else from `now`.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let until = httpdate::parse_http_date(value).ok()?;
    let from = headers
        .get(DATE)
        .and_then(|date| httpdate::parse_http_date(date.to_str().ok()?).ok())
        .unwrap_or(now);
    Some(until.duration_since(from).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| {
                let name = reqwest::header::HeaderName::from_static(name);
                (name, HeaderValue::from_str(value).unwrap())
            })
            .collect()
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let seconds = headers(&[("retry-after", " 2 ")]);
        assert_eq!(retry_after(&seconds, now), Some(Duration::from_secs(2)));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(30));
        let by_date = headers(&[("retry-after", &date)]);
        assert_eq!(retry_after(&by_date, now), Some(Duration::from_secs(30)));
        // The server's own `Date` is the reference, whatever the local clock says.
        let server_now = httpdate::fmt_http_date(now + Duration::from_secs(20));
        let with_date = headers(&[("retry-after", &date), ("date", &server_now)]);
        let far_off_clock = now + Duration::from_secs(3600);
        assert_eq!(
            retry_after(&with_date, far_off_clock),
            Some(Duration::from_secs(10))
        );
        let past = headers(&[("retry-after", &httpdate::fmt_http_date(now))]);
        assert_eq!(
            retry_after(&past, now + Duration::from_secs(5)),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")]), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn which_statuses_are_retried_for_which_methods() {
        let policy = RetryPolicy::default().without_jitter();
        let get = Operation::new("get", Method::GET);
        let post = Operation::new("post", Method::POST);
        let none = HeaderMap::new();
        let retried = |operation: &Operation, status: u16| {
            let status = StatusCode::from_u16(status).unwrap();
            let failed = Failed::Status(status, &none);
            policy.delay(operation, 1, &failed, &mut None).is_some()
        };
        for status in [429, 502, 503, 504] {
            assert!(retried(&get, status), "GET {status}");
        }
        for status in [400, 401, 404, 500, 501, 505] {
            assert!(!retried(&get, status), "GET {status}");
        }
        let lenient = RetryPolicy::default().retry_server_errors();
        let failed = |status| Failed::Status(StatusCode::from_u16(status).unwrap(), &none);
        for status in [500, 502, 599] {
            assert!(lenient.delay(&get, 1, &failed(status), &mut None).is_some());
        }
        for status in [501, 505] {
            assert!(lenient.delay(&get, 1, &failed(status), &mut None).is_none());
        }
        assert!(lenient.delay(&post, 1, &failed(500), &mut None).is_none());
        assert!(retried(&post, 429) && retried(&post, 503));
        for status in [500, 502, 504, 400, 401] {
            assert!(!retried(&post, status), "POST {status}");
        }
        let marked = RetryPolicy::default().safe_to_retry(&post);
        let failed = Failed::Status(StatusCode::BAD_GATEWAY, &none);
        assert!(marked.delay(&post, 1, &failed, &mut None).is_some());
    }

    #[test]
    fn backoff_doubles_up_to_its_cap_and_the_limit_holds() {
        let policy = RetryPolicy::default()
            .without_jitter()
            .max_attempts(6)
            .backoff(Duration::from_millis(100), Duration::from_millis(300));
        let get = Operation::new("get", Method::GET);
        let none = HeaderMap::new();
        let failed = Failed::Status(StatusCode::SERVICE_UNAVAILABLE, &none);
        let mut schedule = None;
        let waits: Vec<Option<Duration>> = (1..=6)
            .map(|attempt| policy.delay(&get, attempt, &failed, &mut schedule))
            .collect();
        let ms = |n| Some(Duration::from_millis(n));
        assert_eq!(waits, [ms(100), ms(200), ms(300), ms(300), ms(300), None]);
        assert_eq!(RetryPolicy::none().attempts(), 1);
    }

    #[test]
    fn retries_count_the_attempts_of_one_call() {
        use crate::error::{ApiError, ApiErrorBody, RequestProblem};

        let policy = RetryPolicy::default()
            .without_jitter()
            .backoff(Duration::from_millis(10), Duration::from_secs(1))
            .retry_server_errors()
            .safe_to_retry(&Operation::new("token", Method::POST));
        let api = |status: u16| -> Error<()> {
            Error::Api(Box::new(ApiError {
                operation: "token",
                status: StatusCode::from_u16(status).unwrap(),
                headers: HeaderMap::new(),
                body: ApiErrorBody::Unparsed(String::new()),
            }))
        };
        let mut retries = policy.retries(&Operation::new("token", Method::POST));
        assert_eq!(retries.after(&api(500)), Some(Duration::from_millis(10)));
        assert_eq!(retries.after(&api(429)), Some(Duration::from_millis(20)));
        // The third attempt was the last the policy allows.
        assert_eq!(retries.after(&api(500)), None);

        let mut fresh = policy.retries(&Operation::new("token", Method::POST));
        assert_eq!(fresh.after(&api(400)), None);
        let unsendable: Error<()> = Error::InvalidRequest {
            operation: "token",
            problem: RequestProblem::Other("no".into()),
        };
        assert_eq!(fresh.after(&unsendable), None);
    }

    #[test]
    fn retry_after_is_capped() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(5));
        let get = Operation::new("get", Method::GET);
        let asked = headers(&[("retry-after", "3600")]);
        let failed = Failed::Status(StatusCode::TOO_MANY_REQUESTS, &asked);
        let delay = policy.delay(&get, 1, &failed, &mut None);
        assert_eq!(delay, Some(Duration::from_secs(5)));
    }
}
