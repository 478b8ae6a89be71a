//! The generated `box_auth` client where production hurts, against a local server on
//! 127.0.0.1: values Box adds later (an enum value, a union tag) decode and are written back
//! unchanged; headers are reachable on success and on error; `429`/`503` are retried as the
//! policy says, with the waits recorded instead of slept; a stalled server times out on
//! tokio's paused clock; hooks add a bearer token and refresh once after a `401`.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use box_auth::hook::{
    AfterResponse, BoxFuture, Hook, HookContext, HookError, RequestHead, ResponseHead,
};
use box_auth::reqwest::header::{HeaderValue, AUTHORIZATION};
use box_auth::reqwest::StatusCode;
use box_auth::types::{
    AccessToken, AccessTokenTokenType, FolderMini, PostOAuth2Revoke,
    PostOAuth2TokenRefreshAccessToken, Resource, ResourceScope, ResourceScopeScope,
};
use box_auth::{BaseUrls, Client, ClientBuilder, Error, RetryPolicy, Url};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Waits the client asked for, recorded instead of slept.
#[derive(Clone, Default)]
struct Waits(Arc<Mutex<Vec<Duration>>>);

impl Waits {
    fn taken(&self) -> Vec<Duration> {
        self.0.lock().map(|waits| waits.clone()).unwrap_or_default()
    }
}

fn builder(server: &MockServer, waits: &Waits) -> Result<ClientBuilder<Client>, url::ParseError> {
    let waits = waits.clone();
    Ok(Client::builder()
        .base_urls(BaseUrls::all(Url::parse(&server.uri())?))
        .retry(RetryPolicy::default().without_jitter())
        .sleep_with(move |wait| {
            if let Ok(mut waits) = waits.0.lock() {
                waits.push(wait);
            }
            Box::pin(async {})
        }))
}

/// Answers with each of `responses` in turn, then with the last one again.
struct InTurn(Vec<ResponseTemplate>, AtomicU32);

impl Respond for InTurn {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let index = self.1.fetch_add(1, Ordering::SeqCst) as usize;
        self.0[index.min(self.0.len() - 1)].clone()
    }
}

async fn serve(route: &str, responses: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(InTurn(responses, AtomicU32::new(0)))
        .mount(&server)
        .await;
    server
}

fn json(status: u16, body: &serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

fn refresh_request() -> PostOAuth2TokenRefreshAccessToken {
    PostOAuth2TokenRefreshAccessToken::builder()
        .client_id("id")
        .client_secret("secret")
        .refresh_token("refresh")
        .build()
}

async fn sent(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

/// A token type, a scope and a kind of resource Box might add after this client was
/// generated: each decodes into `Unknown` beside the known values (the whole token equals one
/// built by the builders) and is written back exactly as received.
#[tokio::test]
async fn values_box_adds_later_decode_and_are_written_back_unchanged() -> TestResult {
    let token = json!({
        "access_token": "T",
        "token_type": "mac",
        "restricted_to": [
            {"scope": "item_comment", "object": {"type": "web_link", "id": "9", "url": "https://x.example"}},
            {"scope": "item_preview", "object": {"type": "folder", "id": "1"}}
        ]
    });
    let server = serve("/oauth2/token", vec![json(200, &token)]).await;
    let client = builder(&server, &Waits::default())?.build();

    let decoded = client.refresh_access_token(&refresh_request()).await?;

    let unknown_object = json!({"type": "web_link", "id": "9", "url": "https://x.example"});
    let expected = AccessToken::builder()
        .access_token("T")
        .token_type(AccessTokenTokenType::from("mac"))
        .restricted_to([
            ResourceScope::builder()
                .scope(ResourceScopeScope::from("item_comment"))
                .object(Resource::Unknown(unknown_object.clone()))
                .build(),
            ResourceScope::builder()
                .scope(ResourceScopeScope::ItemPreview)
                .object(Resource::Folder(FolderMini::builder().id("1").build()))
                .build(),
        ])
        .build();
    assert_eq!(*decoded, expected);
    assert_eq!(decoded.token_type.as_ref().map(|t| t.as_str()), Some("mac"));
    assert!(matches!(
        decoded.token_type,
        Some(AccessTokenTokenType::Unknown(_))
    ));
    let scopes = decoded.restricted_to.as_deref().unwrap_or_default();
    assert!(matches!(
        scopes[0].scope,
        Some(ResourceScopeScope::Unknown(_))
    ));
    assert_eq!(scopes[1].scope, Some(ResourceScopeScope::ItemPreview));
    assert_eq!(scopes[0].object, Some(Resource::Unknown(unknown_object)));
    assert!(matches!(scopes[1].object, Some(Resource::Folder(_))));
    assert_eq!(serde_json::to_value(&*decoded)?, token);
    Ok(())
}

/// Headers (a request id, rate limits) are reachable on a success and on an error.
#[tokio::test]
async fn headers_are_reachable_on_success_and_on_error() -> TestResult {
    let ok = json(200, &json!({"access_token": "T"})).insert_header("box-request-id", "ok-1");
    let refused = json(400, &json!({"error": "invalid_grant"}))
        .insert_header("box-request-id", "err-2")
        .insert_header("www-authenticate", "Bearer error=\"invalid_token\"");
    let server = serve("/oauth2/token", vec![ok, refused]).await;
    let client = builder(&server, &Waits::default())?.build();

    let success = client.refresh_access_token(&refresh_request()).await?;
    let error = client
        .refresh_access_token(&refresh_request())
        .await
        .expect_err("the second answer is a 400");

    assert_eq!(success.status(), StatusCode::OK);
    assert_eq!(success.headers()["box-request-id"], "ok-1");
    let headers = error.headers().ok_or("an API error has headers")?;
    assert_eq!(headers["box-request-id"], "err-2");
    assert!(headers.contains_key("www-authenticate"));
    assert_eq!(
        error.api_error().and_then(|body| body.error.as_deref()),
        Some("invalid_grant")
    );
    Ok(())
}

/// A `429` with `Retry-After: 2` is retried once, after exactly the two seconds asked for,
/// even for a `POST`: the server did not act on it.
#[tokio::test]
async fn a_429_with_retry_after_is_retried_after_that_long() -> TestResult {
    let busy = ResponseTemplate::new(429).insert_header("retry-after", "2");
    let server = serve("/oauth2/token", vec![busy, json(200, &json!({}))]).await;
    let waits = Waits::default();

    builder(&server, &waits)?
        .build()
        .refresh_access_token(&refresh_request())
        .await?;

    assert_eq!(waits.taken(), [Duration::from_secs(2)]);
    assert_eq!(sent(&server).await, 2);
    Ok(())
}

/// A `429` whose `Retry-After` is an HTTP date waits until that date by the server's clock.
#[tokio::test]
async fn a_429_with_a_retry_after_date_waits_until_then() -> TestResult {
    let now = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_760_000_000);
    let busy = ResponseTemplate::new(429)
        .insert_header("date", httpdate::fmt_http_date(now).as_str())
        .insert_header(
            "retry-after",
            httpdate::fmt_http_date(now + Duration::from_secs(4)).as_str(),
        );
    let server = serve("/oauth2/token", vec![busy, json(200, &json!({}))]).await;
    let waits = Waits::default();

    builder(&server, &waits)?
        .build()
        .refresh_access_token(&refresh_request())
        .await?;

    assert_eq!(waits.taken(), [Duration::from_secs(4)]);
    Ok(())
}

/// A `503` then a `200`: one retry after the first backoff.
#[tokio::test]
async fn a_503_then_a_200_succeeds() -> TestResult {
    let server = serve(
        "/oauth2/token",
        vec![ResponseTemplate::new(503), json(200, &json!({}))],
    )
    .await;
    let waits = Waits::default();

    let token = builder(&server, &waits)?
        .build()
        .refresh_access_token(&refresh_request())
        .await?;

    assert_eq!(token.status(), StatusCode::OK);
    assert_eq!(waits.taken(), [Duration::from_millis(250)]);
    Ok(())
}

/// A `POST` that failed with a `500` may have been acted on: it is not sent again.
#[tokio::test]
async fn a_post_is_not_retried_after_a_500() -> TestResult {
    let server = serve(
        "/oauth2/revoke",
        vec![ResponseTemplate::new(500), ResponseTemplate::new(200)],
    )
    .await;
    let waits = Waits::default();
    let revoke = PostOAuth2Revoke::builder().token("T").build();

    let error = builder(&server, &waits)?
        .build()
        .revoke_access_token(&revoke)
        .await
        .expect_err("a 500 is an error");

    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(sent(&server).await, 1);
    Ok(())
}

/// A `POST` the caller marks safe, by its operation's constant, is retried like an idempotent
/// call; the mark is for that operation only.
#[tokio::test]
async fn a_post_marked_safe_by_its_constant_is_retried() -> TestResult {
    let answers = || vec![ResponseTemplate::new(502), json(200, &json!({}))];
    let marked = RetryPolicy::default()
        .without_jitter()
        .safe_to_retry(&box_auth::operations::REFRESH_ACCESS_TOKEN);

    let refresh = serve("/oauth2/token", answers()).await;
    let waits = Waits::default();
    let client = builder(&refresh, &waits)?.retry(marked.clone()).build();
    client.refresh_access_token(&refresh_request()).await?;
    assert_eq!(sent(&refresh).await, 2);

    let revoke = serve("/oauth2/revoke", answers()).await;
    let client = builder(&revoke, &waits)?.retry(marked).build();
    let request = PostOAuth2Revoke::builder().token("T").build();
    let error = client
        .revoke_access_token(&request)
        .await
        .expect_err("not retried");
    assert_eq!(error.status(), Some(StatusCode::BAD_GATEWAY));
    assert_eq!(sent(&revoke).await, 1);
    Ok(())
}

/// After the last attempt the error is returned, with the last answer's status.
#[tokio::test]
async fn retries_stop_at_the_limit() -> TestResult {
    let server = serve("/oauth2/token", vec![ResponseTemplate::new(503)]).await;
    let waits = Waits::default();
    let policy = RetryPolicy::default().without_jitter().max_attempts(3);

    let error = builder(&server, &waits)?
        .retry(policy)
        .build()
        .refresh_access_token(&refresh_request())
        .await
        .expect_err("always unavailable");

    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(sent(&server).await, 3);
    assert_eq!(waits.taken().len(), 2);
    Ok(())
}

/// A server that never answers: the call times out (on tokio's paused clock, so at once).
#[tokio::test(start_paused = true)]
async fn a_stalled_server_times_out() -> TestResult {
    let stalled = ResponseTemplate::new(200).set_delay(Duration::from_secs(3600));
    // A server of its own: a pooled one would go on to another test while still holding
    // this request.
    let server = MockServer::builder().start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(stalled)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_urls(BaseUrls::all(Url::parse(&server.uri())?))
        .timeout(Duration::from_secs(10))
        .retry(RetryPolicy::none())
        .build();

    let error = client
        .refresh_access_token(&refresh_request())
        .await
        .expect_err("it never answers");

    assert!(error.is_timeout(), "{error:?}");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    Ok(())
}

/// A token provider as a hook: it sets `Authorization: Bearer token-N` and, after a `401` for
/// the token it sent, refreshes (N goes up) and has the request sent again.
#[derive(Default)]
struct Provider {
    refreshes: AtomicU32,
}

impl Provider {
    fn header(&self) -> String {
        format!("Bearer token-{}", self.refreshes.load(Ordering::SeqCst))
    }
}

impl Hook for Provider {
    fn before_send<'a>(
        &'a self,
        request: &'a mut box_auth::reqwest::Request,
        _: &'a HookContext,
    ) -> BoxFuture<'a, Result<(), HookError>> {
        Box::pin(async move {
            let value = HeaderValue::try_from(self.header()).map_err(HookError::new)?;
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
            if response.status == StatusCode::UNAUTHORIZED && sent == Some(&self.header()) {
                self.refreshes.fetch_add(1, Ordering::SeqCst);
                return Ok(AfterResponse::SendAgain);
            }
            Ok(AfterResponse::Accept)
        })
    }
}

/// The bearer token goes with the call; after a `401` the hook refreshes once and the call
/// succeeds with the new token.
#[tokio::test]
async fn a_hook_adds_a_bearer_token_and_refreshes_once_after_a_401() -> TestResult {
    let server = serve(
        "/oauth2/revoke",
        vec![ResponseTemplate::new(401), ResponseTemplate::new(200)],
    )
    .await;
    let provider = Arc::new(Provider::default());
    let client = builder(&server, &Waits::default())?
        .shared_hook(provider.clone())
        .build();

    client
        .revoke_access_token(&PostOAuth2Revoke::builder().token("T").build())
        .await?;

    let requests = server.received_requests().await.unwrap_or_default();
    let tokens: Vec<&str> = requests
        .iter()
        .filter_map(|r| r.headers.get(AUTHORIZATION.as_str())?.to_str().ok())
        .collect();
    assert_eq!(tokens, ["Bearer token-0", "Bearer token-1"]);
    assert_eq!(provider.refreshes.load(Ordering::SeqCst), 1);
    Ok(())
}
