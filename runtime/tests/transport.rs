//! The transport against a local server on 127.0.0.1: retries and their waits (recorded, not
//! slept), timeouts (on tokio's paused clock), hooks, default headers, and the headers a call
//! returns on success and on error.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use clientgen_runtime::encode::Style;
use clientgen_runtime::hook::{
    AfterResponse, BoxFuture, HookContext, HookError, RequestHead, ResponseHead,
};
use clientgen_runtime::reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION};
use clientgen_runtime::reqwest::{Method, StatusCode};
use clientgen_runtime::{
    json_error, Call, ClientBuilder, Error, Hook, Operation, RequestProblem, RetryPolicy, Url,
};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

mod support;

use support::{Base, Client};

const GET: Operation = Operation::new("getThing", Method::GET);
const POST: Operation = Operation::new("postThing", Method::POST);

impl Client {
    fn call(&self, operation: &Operation) -> Call<serde_json::Value, serde_json::Value> {
        self.transport
            .request(operation, &self.base.0, &[])
            .accept("application/json")
            .returning_json(json_error)
    }

    /// A `GET` with the query parameters `params`, `tags` unexploded.
    fn search(&self, params: &Search) -> Call<serde_json::Value, serde_json::Value> {
        const SEARCH: Operation = Operation::new("search", Method::GET);
        let styles = [("tags", Style::Form { explode: false })];
        self.transport
            .request(&SEARCH, &self.base.0, &[])
            .query(params, &styles)
            .returning_json(json_error)
    }
}

/// Query parameters, their fields out of alphabetical order.
#[derive(serde::Serialize)]
struct Search {
    tags: Vec<serde_json::Value>,
    q: &'static str,
}

/// The waits a client asked for, recorded instead of slept.
#[derive(Clone, Default)]
struct Waits(Arc<Mutex<Vec<Duration>>>);

impl Waits {
    fn taken(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

fn builder(server: &MockServer, waits: &Waits) -> ClientBuilder<Client> {
    let waits = waits.clone();
    ClientBuilder::new()
        .base_urls(Base(Url::parse(&server.uri()).unwrap()))
        .retry(RetryPolicy::default().without_jitter())
        .sleep_with(move |wait| {
            waits.0.lock().unwrap().push(wait);
            Box::pin(async {})
        })
}

/// Answers with each of `responses` in turn, then with the last one.
struct InTurn {
    responses: Vec<ResponseTemplate>,
    served: AtomicU32,
}

impl InTurn {
    fn new(responses: Vec<ResponseTemplate>) -> Self {
        Self {
            responses,
            served: AtomicU32::new(0),
        }
    }
}

impl Respond for InTurn {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let index = self.served.fetch_add(1, Ordering::SeqCst) as usize;
        self.responses[index.min(self.responses.len() - 1)].clone()
    }
}

async fn serve(responses: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(InTurn::new(responses))
        .mount(&server)
        .await;
    server
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(r#"{"ok":true}"#, "application/json")
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

#[tokio::test]
async fn a_429_is_retried_after_the_seconds_retry_after_asks_for() {
    let busy = ResponseTemplate::new(429).insert_header("retry-after", "2");
    let server = serve(vec![busy, ok()]).await;
    let waits = Waits::default();

    let response = builder(&server, &waits).build().call(&POST).await.unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(waits.taken(), [Duration::from_secs(2)]);
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn a_retry_after_date_is_counted_from_the_server_clock() {
    let server_now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_750_000_000);
    let busy = ResponseTemplate::new(503)
        .insert_header("date", httpdate::fmt_http_date(server_now).as_str())
        .insert_header(
            "retry-after",
            httpdate::fmt_http_date(server_now + Duration::from_secs(7)).as_str(),
        );
    let server = serve(vec![busy, ok()]).await;
    let waits = Waits::default();

    builder(&server, &waits).build().call(&GET).await.unwrap();

    assert_eq!(waits.taken(), [Duration::from_secs(7)]);
}

#[tokio::test]
async fn a_503_then_a_200_succeeds_after_one_backoff() {
    let server = serve(vec![ResponseTemplate::new(503), ok()]).await;
    let waits = Waits::default();

    let response = builder(&server, &waits).build().call(&GET).await.unwrap();

    assert_eq!(*response, serde_json::json!({"ok": true}));
    assert_eq!(waits.taken(), [Duration::from_millis(250)]);
}

#[tokio::test]
async fn a_post_is_not_retried_after_a_500() {
    let server = serve(vec![ResponseTemplate::new(500), ok()]).await;
    let waits = Waits::default();

    let error = builder(&server, &waits)
        .build()
        .call(&POST)
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(requests(&server).await, 1);
    assert!(waits.taken().is_empty());
}

#[tokio::test]
async fn retries_stop_at_the_limit_and_the_last_answer_keeps_its_headers() {
    let busy = ResponseTemplate::new(503).insert_header("x-ratelimit-remaining", "0");
    let server = serve(vec![busy]).await;
    let waits = Waits::default();
    let policy = RetryPolicy::default().without_jitter().max_attempts(4);

    let error = builder(&server, &waits)
        .retry(policy)
        .build()
        .call(&GET)
        .await
        .unwrap_err();

    assert_eq!(requests(&server).await, 4);
    let ms = Duration::from_millis;
    assert_eq!(waits.taken(), [ms(250), ms(500), ms(1000)]);
    let remaining = error.headers().and_then(|h| h.get("x-ratelimit-remaining"));
    assert_eq!(remaining, Some(&HeaderValue::from_static("0")));
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = serve(vec![ResponseTemplate::new(503), ok()]).await;
    let waits = Waits::default();

    let client = builder(&server, &waits).retry(RetryPolicy::none()).build();

    assert_eq!(
        client.call(&GET).await.unwrap_err().status(),
        Some(StatusCode::SERVICE_UNAVAILABLE)
    );
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_post_marked_safe_is_retried_like_an_idempotent_call() {
    let server = serve(vec![ResponseTemplate::new(502), ok()]).await;
    let waits = Waits::default();
    let policy = RetryPolicy::default().without_jitter().safe_to_retry(&POST);

    builder(&server, &waits)
        .retry(policy)
        .build()
        .call(&POST)
        .await
        .unwrap();

    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn a_refused_connection_is_retried_for_a_get_but_not_a_post() {
    // A port nothing listens on: bind, note the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = Base(Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap());
    let waits = Waits::default();
    let recorded = waits.clone();
    let client: Client = ClientBuilder::new()
        .base_urls(base)
        .retry(RetryPolicy::default().without_jitter())
        .sleep_with(move |wait| {
            recorded.0.lock().unwrap().push(wait);
            Box::pin(async {})
        })
        .build();

    let error = client.call(&GET).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(waits.taken().len(), 2, "three attempts in all");

    client.call(&POST).await.unwrap_err();
    assert_eq!(waits.taken().len(), 2, "a POST is sent once");
}

#[tokio::test(start_paused = true)]
async fn a_stalled_server_times_out_instead_of_hanging() {
    // A server of its own: a pooled one would go on to another test while still holding
    // this request.
    let server = MockServer::builder().start().await;
    let stalled = ResponseTemplate::new(200).set_delay(Duration::from_secs(3600));
    Mock::given(method("GET"))
        .respond_with(stalled)
        .mount(&server)
        .await;
    let client: Client = ClientBuilder::new()
        .base_urls(Base(Url::parse(&server.uri()).unwrap()))
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .build();

    let error = client.call(&GET).await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
}

/// A response head that does not come in time fails the attempt as a lost connection does:
/// a `GET` is tried again, a `POST` is not.
#[tokio::test(start_paused = true)]
async fn a_late_response_head_is_retried_for_a_get_but_not_a_post() {
    let server = MockServer::builder().start().await;
    let stalled = ResponseTemplate::new(200).set_delay(Duration::from_secs(3600));
    Mock::given(wiremock::matchers::any())
        .respond_with(stalled)
        .mount(&server)
        .await;
    let waits = Waits::default();
    let client: Client = builder(&server, &waits)
        .timeout(Duration::from_secs(5))
        .build();

    let get = client.call(&GET).await.unwrap_err();
    // The waits are counted, not the requests: on the paused clock a timeout can fire before
    // the server (on a thread of its own) has recorded the request.
    let retries_of_get = waits.taken().len();
    let post = client.call(&POST).await.unwrap_err();

    assert!(matches!(get, Error::Timeout { after, .. } if after == Duration::from_secs(5)));
    assert_eq!(retries_of_get, 2);
    assert!(post.is_timeout(), "{post:?}");
    assert_eq!(waits.taken().len(), 2, "the POST is not retried");
}

#[tokio::test]
async fn default_headers_go_with_every_call_and_with_headers_adds_for_one_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-app", "tests"))
        .respond_with(ok())
        .expect(2)
        .mount(&server)
        .await;
    let mut defaults = HeaderMap::new();
    defaults.insert("x-app", HeaderValue::from_static("tests"));
    let client = builder(&server, &Waits::default())
        .default_headers(defaults)
        .build();
    let mut extra = HeaderMap::new();
    extra.insert("x-request-tag", HeaderValue::from_static("once"));
    let tagged = Client {
        transport: client.transport.with_headers(extra),
        base: Base(client.base.0.clone()),
    };

    client.call(&GET).await.unwrap();
    tagged.call(&GET).await.unwrap();

    let seen = server.received_requests().await.unwrap_or_default();
    let tags: Vec<bool> = seen
        .iter()
        .map(|r| r.headers.contains_key("x-request-tag"))
        .collect();
    assert_eq!(tags, [false, true]);
    assert_eq!(seen[0].headers["accept"], "application/json");
}

/// Sets `Authorization: Bearer token-N`, N being how many times it refreshed; after a `401`
/// for the token it sent, it refreshes and asks for the request again.
#[derive(Default)]
struct RefreshingBearer {
    refreshes: AtomicU32,
}

impl RefreshingBearer {
    fn current(&self) -> String {
        format!("Bearer token-{}", self.refreshes.load(Ordering::SeqCst))
    }
}

impl Hook for RefreshingBearer {
    fn before_send<'a>(
        &'a self,
        request: &'a mut clientgen_runtime::reqwest::Request,
        _: &'a HookContext,
    ) -> BoxFuture<'a, Result<(), HookError>> {
        Box::pin(async move {
            let value = HeaderValue::try_from(self.current()).map_err(HookError::new)?;
            request.headers_mut().insert(AUTHORIZATION, value);
            Ok(())
        })
    }

    fn after_response<'a>(
        &'a self,
        request: &'a RequestHead,
        response: &'a ResponseHead,
        _: &'a HookContext,
    ) -> BoxFuture<'a, Result<AfterResponse, HookError>> {
        Box::pin(async move {
            let sent = request
                .headers
                .get(AUTHORIZATION)
                .and_then(|v| v.to_str().ok());
            if response.status == StatusCode::UNAUTHORIZED && sent == Some(&self.current()) {
                self.refreshes.fetch_add(1, Ordering::SeqCst);
                return Ok(AfterResponse::SendAgain);
            }
            Ok(AfterResponse::Accept)
        })
    }
}

#[tokio::test]
async fn a_hook_sets_a_bearer_token_and_refreshes_once_after_a_401() {
    let server = serve(vec![ResponseTemplate::new(401), ok()]).await;
    let hook = Arc::new(RefreshingBearer::default());
    let client = builder(&server, &Waits::default())
        .shared_hook(hook.clone())
        .build();

    client.call(&GET).await.unwrap();

    let seen = server.received_requests().await.unwrap_or_default();
    let tokens: Vec<&str> = seen
        .iter()
        .map(|r| r.headers[AUTHORIZATION.as_str()].to_str().unwrap())
        .collect();
    assert_eq!(tokens, ["Bearer token-0", "Bearer token-1"]);
}

#[tokio::test]
async fn a_hook_has_a_request_sent_again_only_once() {
    let server = serve(vec![ResponseTemplate::new(401)]).await;
    let client = builder(&server, &Waits::default())
        .hook(RefreshingBearer::default())
        .build();

    let error = client.call(&GET).await.unwrap_err();

    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(requests(&server).await, 2);
}

/// A hook whose provider cannot give a token.
struct Failing;

impl Hook for Failing {
    fn before_send<'a>(
        &'a self,
        _: &'a mut clientgen_runtime::reqwest::Request,
        _: &'a HookContext,
    ) -> BoxFuture<'a, Result<(), HookError>> {
        Box::pin(async { Err(HookError::new("no token")) })
    }
}

#[tokio::test]
async fn a_failing_hook_stops_the_call_before_anything_is_sent() {
    let server = serve(vec![ok()]).await;
    let client = builder(&server, &Waits::default()).hook(Failing).build();

    let error = client.call(&GET).await.unwrap_err();

    assert!(matches!(error, Error::Hook { .. }), "{error:?}");
    assert_eq!(requests(&server).await, 0);
}

#[tokio::test]
async fn the_query_goes_out_as_rfc_6570_writes_it() {
    let server = serve(vec![ok()]).await;
    let client = builder(&server, &Waits::default()).build();
    let params = Search {
        tags: vec!["a,b".into(), "c d".into()],
        q: "x+y",
    };

    client.search(&params).await.unwrap();

    let sent = server.received_requests().await.unwrap_or_default();
    assert_eq!(sent[0].url.query(), Some("tags=a%2Cb,c%20d&q=x%2By"));
}

#[tokio::test]
async fn a_parameter_that_cannot_be_written_stops_the_call_before_anything_is_sent() {
    let server = serve(vec![ok()]).await;
    let client = builder(&server, &Waits::default()).build();
    let params = Search {
        tags: vec![serde_json::json!(["s3cr3t"])],
        q: "x",
    };

    let error = client.search(&params).await.unwrap_err();

    let Error::InvalidRequest { problem, .. } = &error else {
        panic!("expected an invalid request, got {error:?}");
    };
    assert!(
        matches!(problem, RequestProblem::Parameter { name, .. } if name == "tags"),
        "{problem:?}"
    );
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert_eq!(requests(&server).await, 0);
}

/// Query parameters that count how often they are written.
struct Counted(Arc<AtomicU32>);

impl serde::Serialize for Counted {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        self.0.fetch_add(1, Ordering::SeqCst);
        let mut params = serializer.serialize_struct("Counted", 1)?;
        params.serialize_field("q", "x")?;
        params.end()
    }
}

#[tokio::test]
async fn a_call_owns_its_request_sends_nothing_until_polled_and_writes_it_once() {
    let server = serve(vec![ResponseTemplate::new(503), ok()]).await;
    let waits = Waits::default();
    let client = builder(&server, &waits).build();
    let writes = Arc::new(AtomicU32::new(0));
    let call = {
        const GET_QUERY: Operation = Operation::new("getQuery", Method::GET);
        let params = Counted(Arc::clone(&writes));
        client
            .transport
            .request(&GET_QUERY, &client.base.0, &[])
            .query(&params, &[])
            .returning_json::<serde_json::Value, ()>(json_error)
    };
    drop(client);
    assert_eq!(
        requests(&server).await,
        0,
        "nothing is sent before the call is polled"
    );

    let response = tokio::spawn(call).await.unwrap().unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(requests(&server).await, 2);
    assert_eq!(writes.load(Ordering::SeqCst), 1, "written once, sent twice");
    let sent = server.received_requests().await.unwrap_or_default();
    assert!(sent
        .iter()
        .all(|request| request.url.query() == Some("q=x")));
}
