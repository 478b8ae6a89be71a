//! Behaviour tests of the generated `boxc_auth` client against a local wiremock server: the exact
//! JSON bodies and paths it sends, how it decodes tokens and errors, the authorization URL it
//! builds, and that it keeps secrets out of `Debug` and `Display` output.

use std::net::TcpListener;

use boxc_auth::types::{
    AccessToken, AccessTokenRequest, AccessTokenTokenType, AuthorizeApplicationParams,
};
use boxc_auth::{ApiErrorBody, BaseUrls, Client, Error, RequestProblem, RetryPolicy, Url};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const APPLICATION_ID: &str = "1x98s0ad8fsfs091";
const APPLICATION_SECRET: &str = "a7bb9fe6-7443-4711-9cfb-a6437f882eec";
const NONCE: &str = "VOxDU1dyY3pSQmV6TQVOxDU1dyY3pSQm";
const ACCESS_TOKEN: &str = "52277de980b06dbcba5c5e8a58c747750fe41ec3f71a7ff9ab2a7d94907ef5d1";
const RETURN_URI: &str = "https://myapp.com/connect/user/150162";

/// The base URL of the spec's one server, `/v1` included, on the mock server.
fn base_url(server: &MockServer) -> Result<Url, url::ParseError> {
    Url::parse(&format!("{}/v1", server.uri()))
}

/// A client whose every server is the mock server, without retries (each mock is expected to
/// be hit exactly as often as the test calls the client).
fn client_for(server: &MockServer) -> Result<Client, url::ParseError> {
    Ok(Client::builder()
        .base_urls(BaseUrls::all(base_url(server)?))
        .retry(RetryPolicy::none())
        .build())
}

/// The seed's access token request.
fn token_request() -> AccessTokenRequest {
    AccessTokenRequest::builder()
        .application_id(APPLICATION_ID)
        .application_secret(APPLICATION_SECRET)
        .nonce(NONCE)
        .build()
}

/// A `201 Created` token response with `expires_in` set to `expires_in`.
fn created_token(expires_in: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(json!({
        "access_token": ACCESS_TOKEN,
        "expires_in": expires_in,
        "token_type": "Bearer",
    }))
}

/// Mounts a mock answering `POST /v1/oauth/access_token` with `response`, hit exactly once.
async fn mount_token(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/v1/oauth/access_token"))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

/// Mounts a mock answering every `DELETE` with `response`, hit exactly once.
async fn mount_delete(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("DELETE"))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

/// The one request the server received; fails the test if it received none or several.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server
        .received_requests()
        .await
        .expect("request recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

/// A loopback URL on which nothing listens, so that connecting fails.
fn closed_port_url() -> Result<Url, Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    drop(listener);
    Ok(Url::parse(&format!("http://127.0.0.1:{port}/v1"))?)
}

/// create_access_token POSTs exactly the three credentials as JSON and decodes a null expiry.
#[tokio::test]
async fn create_access_token_sends_json_and_decodes_null_expiry() -> TestResult {
    let server = MockServer::start().await;
    mount_token(&server, created_token(serde_json::Value::Null)).await;

    let token = client_for(&server)?
        .create_access_token(&token_request())
        .await?;

    assert_eq!(token.status(), 201);
    assert_eq!(token.access_token.expose(), ACCESS_TOKEN);
    assert_eq!(token.expires_in, None);
    assert_eq!(token.token_type, AccessTokenTokenType::Bearer);

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/v1/oauth/access_token");
    assert_eq!(request.url.query(), None);
    let content_type = request.headers.get("content-type").map(|v| v.as_bytes());
    assert_eq!(content_type, Some(&b"application/json"[..]));
    let body: serde_json::Value = serde_json::from_slice(&request.body)?;
    assert_eq!(
        body,
        json!({
            "application_id": APPLICATION_ID,
            "application_secret": APPLICATION_SECRET,
            "nonce": NONCE,
        })
    );
    Ok(())
}

/// create_access_token decodes a numeric `expires_in` as `Some(seconds)`.
#[tokio::test]
async fn create_access_token_decodes_numeric_expiry() -> TestResult {
    let server = MockServer::start().await;
    mount_token(&server, created_token(json!(3600))).await;

    let token = client_for(&server)?
        .create_access_token(&token_request())
        .await?;

    assert_eq!(token.expires_in, Some(3600));
    assert_eq!(token.token_type, AccessTokenTokenType::Bearer);
    Ok(())
}

/// Serialising an AccessToken without an expiry writes the required field as `null`.
#[test]
fn access_token_serialises_missing_expiry_as_null() -> TestResult {
    let token = AccessToken::builder().access_token(ACCESS_TOKEN).build();

    let value = serde_json::to_value(&token)?;

    assert_eq!(
        value,
        json!({"access_token": ACCESS_TOKEN, "expires_in": null, "token_type": "Bearer"})
    );
    Ok(())
}

/// revoke_access_token sends DELETE with the token as one percent-encoded path segment.
#[tokio::test]
async fn revoke_access_token_percent_encodes_the_token() -> TestResult {
    let server = MockServer::start().await;
    mount_delete(&server, ResponseTemplate::new(200)).await;

    client_for(&server)?
        .revoke_access_token(&"a/b c?d#e%f".into())
        .await?;

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.path(), "/v1/oauth/a%2Fb%20c%3Fd%23e%25f");
    assert_eq!(request.url.query(), None);
    assert_eq!(request.url.fragment(), None);
    Ok(())
}

/// revoke_access_token sends the seed's plain token verbatim and accepts an empty 200.
#[tokio::test]
async fn revoke_access_token_accepts_empty_ok() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v1/oauth/{ACCESS_TOKEN}")))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    client_for(&server)?
        .revoke_access_token(&ACCESS_TOKEN.into())
        .await?;
    Ok(())
}

/// A 401 with a JSON body is an `Error::Api` whose body is the parsed JSON.
#[tokio::test]
async fn error_status_with_json_body_is_parsed() -> TestResult {
    let server = MockServer::start().await;
    let body = json!({"status": "error", "message": "Invalid nonce"});
    mount_token(
        &server,
        ResponseTemplate::new(401).set_body_json(body.clone()),
    )
    .await;

    let error = client_for(&server)?
        .create_access_token(&token_request())
        .await
        .expect_err("a 401 is an error");

    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(error.api_error(), Some(&body));
    let Error::Api(api) = error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(api.operation, "postOAuthAccessToken");
    assert_eq!(api.status.as_u16(), 401);
    assert_eq!(api.body, ApiErrorBody::Parsed(body));
    Ok(())
}

/// A 404 with a plain-text body is an `Error::Api` whose body is the raw text.
#[tokio::test]
async fn error_status_with_text_body_is_unparsed() -> TestResult {
    let server = MockServer::start().await;
    mount_delete(
        &server,
        ResponseTemplate::new(404).set_body_raw("Token not found", "text/plain"),
    )
    .await;

    let error = client_for(&server)?
        .revoke_access_token(&ACCESS_TOKEN.into())
        .await
        .expect_err("a 404 is an error");

    assert_eq!(error.api_error(), None);
    let Error::Api(api) = error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(api.operation, "deleteOAuthToken");
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(
        api.body,
        ApiErrorBody::Unparsed("Token not found".to_owned())
    );
    Ok(())
}

/// authorize_application builds the browser URL, return_uri form-encoded, sending nothing.
#[tokio::test]
async fn authorize_application_builds_url_without_request() -> TestResult {
    let server = MockServer::start().await;
    let params = AuthorizeApplicationParams::builder()
        .application_id(APPLICATION_ID)
        .return_uri(RETURN_URI)
        .build();

    let url = client_for(&server)?.authorize_application(&params);

    assert_eq!(
        url.as_str(),
        format!(
            "{}/v1/oauth/authorize?application_id=1x98s0ad8fsfs091\
             &return_uri=https%3A%2F%2Fmyapp.com%2Fconnect%2Fuser%2F150162",
            server.uri()
        )
    );
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        [
            ("application_id".to_owned(), APPLICATION_ID.to_owned()),
            ("return_uri".to_owned(), RETURN_URI.to_owned()),
        ]
    );
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(requests.is_empty(), "no request may be sent: {requests:?}");
    Ok(())
}

/// The nonce read from BoxC's redirect URL can be passed on to create_access_token.
#[tokio::test]
async fn nonce_from_redirect_url_reaches_the_token_request() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth/access_token"))
        .and(header("content-type", "application/json"))
        .respond_with(created_token(serde_json::Value::Null))
        .expect(1)
        .mount(&server)
        .await;
    let redirect = Url::parse(&format!("{RETURN_URI}?nonce={NONCE}"))?;

    let nonce = redirect
        .query_pairs()
        .find_map(|(name, value)| (name == "nonce").then(|| value.into_owned()))
        .ok_or("the redirect has no nonce")?;
    let request = AccessTokenRequest::builder()
        .application_id(APPLICATION_ID)
        .application_secret(APPLICATION_SECRET)
        .nonce(nonce)
        .build();
    let token = client_for(&server)?.create_access_token(&request).await?;

    assert_eq!(token.access_token.expose(), ACCESS_TOKEN);
    let sent: serde_json::Value = serde_json::from_slice(&only_request(&server).await.body)?;
    assert_eq!(sent["nonce"], NONCE);
    Ok(())
}

/// Debug of AccessTokenRequest shows the application ID but hides the secret and the nonce.
#[test]
fn access_token_request_debug_redacts_secrets() {
    let debug = format!("{:?}", token_request());

    assert!(debug.contains(APPLICATION_ID), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
    assert!(!debug.contains(APPLICATION_SECRET), "{debug}");
    assert!(!debug.contains(NONCE), "{debug}");
}

/// Debug of AccessToken hides the token itself.
#[test]
fn access_token_debug_redacts_token() {
    let token = AccessToken::builder()
        .access_token(ACCESS_TOKEN)
        .expires_in(3600)
        .build();

    let debug = format!("{token:?}");

    assert!(debug.contains("<redacted>"), "{debug}");
    assert!(debug.contains("3600"), "{debug}");
    assert!(!debug.contains(ACCESS_TOKEN), "{debug}");
}

/// A transport error from revoke_access_token never shows the token in the URL it failed on.
#[tokio::test]
async fn transport_error_hides_token() -> TestResult {
    let client = Client::builder()
        .base_urls(BaseUrls::all(closed_port_url()?))
        .retry(RetryPolicy::none())
        .build();

    let error = client
        .revoke_access_token(&ACCESS_TOKEN.into())
        .await
        .expect_err("nothing listens on the port");

    assert!(matches!(
        error,
        Error::Transport {
            operation: "deleteOAuthToken",
            ..
        }
    ));
    let display = error.to_string();
    let debug = format!("{error:?}");
    assert!(!display.contains(ACCESS_TOKEN), "{display}");
    assert!(!debug.contains(ACCESS_TOKEN), "{debug}");
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        assert!(!cause.to_string().contains(ACCESS_TOKEN), "{cause}");
        source = cause.source();
    }
    Ok(())
}

/// A token a URL cannot carry as one path segment (`..` would resolve away, leaving
/// `DELETE /oauth`) is refused before anything is sent.
#[tokio::test]
async fn revoke_access_token_refuses_dot_segments() -> TestResult {
    let server = MockServer::start().await;
    let client = client_for(&server)?;
    for token in ["", ".", ".."] {
        match client.revoke_access_token(&token.into()).await {
            Err(Error::InvalidRequest { operation, problem }) => {
                assert_eq!(operation, "deleteOAuthToken");
                assert_eq!(problem, RequestProblem::PathParameter("access_token"));
            }
            other => panic!("expected InvalidRequest for {token:?}, got {other:?}"),
        }
    }
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(requests.is_empty(), "{requests:?}");
    Ok(())
}
