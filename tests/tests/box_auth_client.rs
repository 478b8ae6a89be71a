//! Behaviour tests of the generated `box_auth` client against a local wiremock server: the exact
//! form bodies and headers it sends, how it decodes tokens and errors, and that it keeps secrets
//! out of `Debug` output.

use std::net::TcpListener;

use box_auth::reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use box_auth::types::{
    AccessToken, AccessTokenIssuedTokenType, AccessTokenTokenType, AuthorizeUserParams,
    FileBaseType, FileMini, FileVersionBaseType, FileVersionMini, FolderBaseType, FolderMini,
    OAuth2Error, PostOAuth2Revoke, PostOAuth2Token, PostOAuth2TokenActorTokenType,
    PostOAuth2TokenBoxSubjectType, PostOAuth2TokenGrantType, PostOAuth2TokenRefreshAccessToken,
    PostOAuth2TokenSubjectTokenType, Resource, ResourceScope, ResourceScopeScope,
};
use box_auth::{
    ApiErrorBody, BaseUrls, Client, DecodeFailureKind, Error, Nullable, Response, RetryPolicy,
    SecretString, Url,
};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const CLIENT_ID: &str = "ly1nj6n11vionaie65emwzk575hnnmrk";
const CLIENT_SECRET: &str = "hOzsTeFlT6ko0dme22uGbQal04SBPYc1";
const ACCESS_TOKEN: &str = "T9cE5asGnuyYCCqIZFoWjFHvNbvVqHjl";
const REFRESH_TOKEN: &str = "J7rxTiWOHMoSC1isKZKBZWizoRXjkQzig5C6jFgCVJ9bUnsUfGMinKBDLZWP9BgR";
const FORM: &str = "application/x-www-form-urlencoded";

/// A plain token response, as Box sends for most grants.
fn token_json() -> String {
    format!(
        r#"{{"access_token":"{ACCESS_TOKEN}","expires_in":4169,"token_type":"bearer","restricted_to":[],"refresh_token":"{REFRESH_TOKEN}"}}"#
    )
}

/// A client whose every server is the mock server, without retries (each mock is expected to
/// be hit exactly as often as the test calls the client).
fn client_for(server: &MockServer) -> Result<Client, url::ParseError> {
    Ok(Client::builder()
        .base_urls(BaseUrls::all(Url::parse(&server.uri())?))
        .retry(RetryPolicy::none())
        .build())
}

/// Mounts a mock answering `POST {route}` with `response`, expected to be hit exactly once.
async fn mount_post(server: &MockServer, route: &str, response: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

/// A 200 response with `body` as JSON.
fn json_response(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_owned(), "application/json")
}

/// The one request the server received; fails the test if it received none or several.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server
        .received_requests()
        .await
        .expect("request recording is enabled");
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {requests:#?}"
    );
    requests.remove(0)
}

/// Asserts `request` is a form `POST` to `route` whose raw body is exactly `body`.
fn assert_form_post(request: &Request, route: &str, body: &str) {
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), route);
    assert_eq!(request.url.query(), None);
    let content_types: Vec<_> = request.headers.get_all(CONTENT_TYPE).iter().collect();
    assert_eq!(content_types, [FORM], "Content-Type header");
    assert_eq!(String::from_utf8_lossy(&request.body), body, "form body");
}

/// Sends `body` through `request_access_token`, asserts the exact request, and returns the token.
async fn send_token_request(body: &PostOAuth2Token, expected_form: &str) -> AccessToken {
    let server = MockServer::start().await;
    mount_post(&server, "/oauth2/token", json_response(&token_json())).await;
    let client = client_for(&server).expect("mock server URI parses");

    let token = client
        .request_access_token(body)
        .await
        .expect("token request succeeds");

    assert_form_post(&only_request(&server).await, "/oauth2/token", expected_form);
    token.into_inner()
}

/// The `authorization_code` grant sends exactly grant_type, client_id, client_secret and code.
#[tokio::test]
async fn authorization_code_grant_sends_exact_form() {
    let body = PostOAuth2Token::builder()
        .grant_type(PostOAuth2TokenGrantType::AuthorizationCode)
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .code("n22JPxrh18m4Y0wIZPIqYZK7VRrsMTWW")
        .build();
    let token = send_token_request(
        &body,
        "grant_type=authorization_code\
         &client_id=ly1nj6n11vionaie65emwzk575hnnmrk\
         &client_secret=hOzsTeFlT6ko0dme22uGbQal04SBPYc1\
         &code=n22JPxrh18m4Y0wIZPIqYZK7VRrsMTWW",
    )
    .await;
    assert_eq!(
        token.access_token.as_ref().map(SecretString::expose),
        Some(ACCESS_TOKEN)
    );
    assert_eq!(
        token.refresh_token.as_ref().map(SecretString::expose),
        Some(REFRESH_TOKEN)
    );
}

/// The `refresh_token` grant of `request_access_token` sends the refresh token, percent-encoding
/// reserved characters of the secret.
#[tokio::test]
async fn refresh_token_grant_sends_exact_form() {
    let body = PostOAuth2Token::builder()
        .grant_type(PostOAuth2TokenGrantType::RefreshToken)
        .client_id(CLIENT_ID)
        .client_secret("s3cr3t+/=&x y")
        .refresh_token(REFRESH_TOKEN)
        .build();
    let token = send_token_request(
        &body,
        "grant_type=refresh_token\
         &client_id=ly1nj6n11vionaie65emwzk575hnnmrk\
         &client_secret=s3cr3t%2B%2F%3D%26x%20y\
         &refresh_token=J7rxTiWOHMoSC1isKZKBZWizoRXjkQzig5C6jFgCVJ9bUnsUfGMinKBDLZWP9BgR",
    )
    .await;
    assert_eq!(
        token.access_token.as_ref().map(SecretString::expose),
        Some(ACCESS_TOKEN)
    );
}

/// The `client_credentials` grant sends box_subject_type and box_subject_id after the credentials.
#[tokio::test]
async fn client_credentials_grant_sends_exact_form() {
    let body = PostOAuth2Token::builder()
        .grant_type(PostOAuth2TokenGrantType::ClientCredentials)
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .box_subject_type(PostOAuth2TokenBoxSubjectType::Enterprise)
        .box_subject_id("690678")
        .build();
    send_token_request(
        &body,
        "grant_type=client_credentials\
         &client_id=ly1nj6n11vionaie65emwzk575hnnmrk\
         &client_secret=hOzsTeFlT6ko0dme22uGbQal04SBPYc1\
         &box_subject_type=enterprise\
         &box_subject_id=690678",
    )
    .await;
}

/// The JWT-bearer grant percent-encodes its URN grant type and sends the assertion verbatim.
#[tokio::test]
async fn jwt_bearer_grant_percent_encodes_urn() {
    let body = PostOAuth2Token::builder()
        .grant_type(PostOAuth2TokenGrantType::UrnIetfParamsOauthGrantTypeJwtBearer)
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .assertion("eyJhbGciOiJSUzUxMiJ9.eyJpc3MiOiJseTFuIn0.c2ln-bmF0_dXJl")
        .build();
    send_token_request(
        &body,
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer\
         &client_id=ly1nj6n11vionaie65emwzk575hnnmrk\
         &client_secret=hOzsTeFlT6ko0dme22uGbQal04SBPYc1\
         &assertion=eyJhbGciOiJSUzUxMiJ9.eyJpc3MiOiJseTFuIn0.c2ln-bmF0_dXJl",
    )
    .await;
}

/// The token-exchange grant sends every downscoping field in struct order, with URNs, URLs and
/// the space-separated scope percent-encoded, and no client credentials.
#[tokio::test]
async fn token_exchange_grant_sends_exact_form() {
    let body = PostOAuth2Token::builder()
        .grant_type(PostOAuth2TokenGrantType::UrnIetfParamsOauthGrantTypeTokenExchange)
        .subject_token(ACCESS_TOKEN)
        .subject_token_type(PostOAuth2TokenSubjectTokenType::UrnIetfParamsOauthTokenTypeAccessToken)
        .actor_token("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbm5vIn0.")
        .actor_token_type(PostOAuth2TokenActorTokenType::UrnIetfParamsOauthTokenTypeIdToken)
        .scope("item_upload item_preview base_explorer")
        .resource("https://api.box.com/2.0/files/123456")
        .box_shared_link("https://app.box.com/s/abc123?p=1&q=2")
        .build();
    send_token_request(
        &body,
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange\
         &subject_token=T9cE5asGnuyYCCqIZFoWjFHvNbvVqHjl\
         &subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token\
         &actor_token=eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbm5vIn0.\
         &actor_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid_token\
         &scope=item_upload%20item_preview%20base_explorer\
         &resource=https%3A%2F%2Fapi.box.com%2F2.0%2Ffiles%2F123456\
         &box_shared_link=https%3A%2F%2Fapp.box.com%2Fs%2Fabc123%3Fp%3D1%26q%3D2",
    )
    .await;
}

/// A downscoped token response decodes completely, with `restricted_to` entries told apart by
/// their `type` into `Resource::File` and `Resource::Folder`.
#[tokio::test]
async fn downscoped_token_response_decodes_every_field() -> TestResult {
    let server = MockServer::start().await;
    let response = format!(
        r#"{{
            "access_token": "{ACCESS_TOKEN}",
            "expires_in": 3600,
            "token_type": "bearer",
            "restricted_to": [
                {{
                    "scope": "item_download",
                    "object": {{
                        "id": "12345",
                        "etag": null,
                        "type": "file",
                        "sequence_id": "3",
                        "name": "Contract.pdf",
                        "sha1": "85136C79CBF9FE36BB9D05D0639C70C265C18D37",
                        "file_version": {{
                            "id": "67890",
                            "type": "file_version",
                            "sha1": "134b65991ed521fcfe4724b7d814ab8ded5185dc"
                        }}
                    }}
                }},
                {{
                    "scope": "item_preview",
                    "object": {{
                        "id": "54321",
                        "etag": "1",
                        "type": "folder",
                        "sequence_id": "2",
                        "name": "Contracts"
                    }}
                }}
            ],
            "refresh_token": "{REFRESH_TOKEN}",
            "issued_token_type": "urn:ietf:params:oauth:token-type:access_token"
        }}"#
    );
    mount_post(&server, "/oauth2/token", json_response(&response)).await;
    let body = PostOAuth2Token::builder()
        .grant_type(PostOAuth2TokenGrantType::UrnIetfParamsOauthGrantTypeTokenExchange)
        .subject_token(ACCESS_TOKEN)
        .subject_token_type(PostOAuth2TokenSubjectTokenType::UrnIetfParamsOauthTokenTypeAccessToken)
        .scope("item_download item_preview")
        .build();

    let token = client_for(&server)?.request_access_token(&body).await?;

    // The `null` `etag` in the response reads as `Nullable::Null`, apart from absence.
    let file = FileMini::builder()
        .id("12345")
        .etag(Nullable::Null)
        .r#type(FileBaseType::File)
        .sequence_id("3")
        .name("Contract.pdf")
        .sha1("85136C79CBF9FE36BB9D05D0639C70C265C18D37")
        .file_version(
            FileVersionMini::builder()
                .id("67890")
                .r#type(FileVersionBaseType::FileVersion)
                .sha1("134b65991ed521fcfe4724b7d814ab8ded5185dc")
                .build(),
        )
        .build();
    let folder = FolderMini::builder()
        .id("54321")
        .etag("1")
        .r#type(FolderBaseType::Folder)
        .sequence_id("2")
        .name("Contracts")
        .build();
    let restricted = token
        .restricted_to
        .as_deref()
        .expect("restricted_to is present");
    let [file_scope, folder_scope] = restricted else {
        panic!("expected two restricted_to entries, got {restricted:#?}");
    };
    assert_eq!(file_scope.scope, Some(ResourceScopeScope::ItemDownload));
    assert!(matches!(&file_scope.object, Some(Resource::File(f)) if *f == file));
    assert_eq!(folder_scope.scope, Some(ResourceScopeScope::ItemPreview));
    assert!(matches!(&folder_scope.object, Some(Resource::Folder(f)) if *f == folder));

    let expected = AccessToken::builder()
        .access_token(ACCESS_TOKEN)
        .expires_in(3600)
        .token_type(AccessTokenTokenType::Bearer)
        .restricted_to([
            ResourceScope::builder()
                .scope(ResourceScopeScope::ItemDownload)
                .object(Resource::File(file))
                .build(),
            ResourceScope::builder()
                .scope(ResourceScopeScope::ItemPreview)
                .object(Resource::Folder(folder))
                .build(),
        ])
        .refresh_token(REFRESH_TOKEN)
        .issued_token_type(AccessTokenIssuedTokenType::UrnIetfParamsOauthTokenTypeAccessToken)
        .build();
    assert_eq!(*token, expected);
    Ok(())
}

/// `refresh_access_token` posts all four required fields to `/oauth2/token` and decodes the token.
#[tokio::test]
async fn refresh_access_token_sends_exact_form_and_decodes_token() -> TestResult {
    let server = MockServer::start().await;
    mount_post(&server, "/oauth2/token", json_response(&token_json())).await;
    let body = PostOAuth2TokenRefreshAccessToken::builder()
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .refresh_token(REFRESH_TOKEN)
        .build();

    let token = client_for(&server)?.refresh_access_token(&body).await?;

    assert_form_post(
        &only_request(&server).await,
        "/oauth2/token",
        "grant_type=refresh_token\
         &client_id=ly1nj6n11vionaie65emwzk575hnnmrk\
         &client_secret=hOzsTeFlT6ko0dme22uGbQal04SBPYc1\
         &refresh_token=J7rxTiWOHMoSC1isKZKBZWizoRXjkQzig5C6jFgCVJ9bUnsUfGMinKBDLZWP9BgR",
    );
    // `issued_token_type` is left unset: the response has none.
    let expected = AccessToken::builder()
        .access_token(ACCESS_TOKEN)
        .expires_in(4169)
        .token_type(AccessTokenTokenType::Bearer)
        .restricted_to(Vec::<ResourceScope>::new())
        .refresh_token(REFRESH_TOKEN)
        .build();
    assert_eq!(token.status(), 200);
    assert_eq!(token.into_inner(), expected);
    Ok(())
}

/// A method's call owns its request: made, then spawned once its body and the client are
/// gone, it sends the form the body said, and nothing before it is polled.
#[tokio::test]
async fn a_call_outlives_its_arguments_and_sends_only_when_polled() -> TestResult {
    let server = MockServer::start().await;
    mount_post(&server, "/oauth2/token", json_response(&token_json())).await;
    let call = {
        let body = PostOAuth2TokenRefreshAccessToken::builder()
            .client_id(CLIENT_ID)
            .client_secret(CLIENT_SECRET)
            .refresh_token(REFRESH_TOKEN)
            .build();
        client_for(&server)?.refresh_access_token(&body)
    };
    let received = server.received_requests().await.unwrap_or_default();
    assert!(received.is_empty(), "sent before polled: {received:?}");

    let token = tokio::spawn(call).await??;

    assert_eq!(
        token.access_token.as_ref().map(SecretString::expose),
        Some(ACCESS_TOKEN)
    );
    let request = only_request(&server).await;
    let form = String::from_utf8_lossy(&request.body);
    assert!(
        form.starts_with("grant_type=refresh_token&client_id="),
        "{form}"
    );
    Ok(())
}

/// A 400 with an OAuth 2.0 error body surfaces as `Error::Api` with the body parsed.
#[tokio::test]
async fn bad_request_surfaces_parsed_oauth2_error() -> TestResult {
    let server = MockServer::start().await;
    let error_body =
        r#"{"error":"invalid_grant","error_description":"The authorization code has expired"}"#;
    mount_post(
        &server,
        "/oauth2/token",
        ResponseTemplate::new(400).set_body_raw(error_body, "application/json"),
    )
    .await;
    let body = PostOAuth2Token::builder()
        .grant_type(PostOAuth2TokenGrantType::AuthorizationCode)
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .code("expired-code")
        .build();

    let error = client_for(&server)?
        .request_access_token(&body)
        .await
        .expect_err("a 400 is an error");

    let expected = OAuth2Error::builder()
        .error("invalid_grant")
        .error_description("The authorization code has expired")
        .build();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(error.api_error(), Some(&expected));
    match error {
        Error::Api(api) => {
            assert_eq!(api.operation, "post_oauth2_token");
            assert_eq!(api.status, 400);
            assert_eq!(api.body, ApiErrorBody::Parsed(expected));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    Ok(())
}

/// A 500 with an HTML page (from a proxy, say) surfaces as `Error::Api` with the body as text.
#[tokio::test]
async fn server_error_with_html_surfaces_unparsed_body() -> TestResult {
    let server = MockServer::start().await;
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    mount_post(
        &server,
        "/oauth2/token",
        ResponseTemplate::new(500).set_body_raw(html, "text/html"),
    )
    .await;
    let body = PostOAuth2Token::builder()
        .grant_type(PostOAuth2TokenGrantType::ClientCredentials)
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .build();

    let error = client_for(&server)?
        .request_access_token(&body)
        .await
        .expect_err("a 500 is an error");

    assert_eq!(error.api_error(), None);
    assert_eq!(
        error.to_string(),
        "post_oauth2_token: the server answered 500 Internal Server Error"
    );
    match error {
        Error::Api(api) => {
            assert_eq!(api.status, 500);
            assert_eq!(api.body, ApiErrorBody::Unparsed(html.to_owned()));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    Ok(())
}

/// Sends a client-credentials request answered by a 200 with `response`, returning the error.
async fn decode_error_for(response: &str) -> Error<OAuth2Error> {
    let server = MockServer::start().await;
    mount_post(&server, "/oauth2/token", json_response(response)).await;
    let body = PostOAuth2Token::builder()
        .grant_type(PostOAuth2TokenGrantType::ClientCredentials)
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .build();
    client_for(&server)
        .expect("mock server URI parses")
        .request_access_token(&body)
        .await
        .expect_err("an undecodable 200 is an error")
}

/// A 200 whose body is not JSON is `Error::Decode` (a syntax failure), and neither its
/// `Display` nor its `Debug` output repeats the token in the body.
#[tokio::test]
async fn success_with_invalid_json_is_decode_error_without_body() {
    let error = decode_error_for(&format!("access_token={ACCESS_TOKEN}&expires_in=3600")).await;

    let (display, debug) = (error.to_string(), format!("{error:?}"));
    assert!(
        !display.contains(ACCESS_TOKEN),
        "Display leaks the token: {display}"
    );
    assert!(
        !debug.contains(ACCESS_TOKEN),
        "Debug leaks the token: {debug}"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    match error {
        Error::Decode(decode) => {
            assert_eq!(decode.operation, "post_oauth2_token");
            assert_eq!(decode.status, 200);
            assert_eq!(decode.reason.kind, DecodeFailureKind::Syntax);
            assert_eq!((decode.reason.line, decode.reason.column), (1, 1));
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert_eq!(
        display,
        "post_oauth2_token: the 200 OK response could not be decoded: \
         the body is not valid JSON (line 1, column 1)"
    );
}

/// A 200 whose JSON has a field of the wrong type is `Error::Decode` (a data failure), and
/// neither its `Display` nor its `Debug` output repeats the token in the body.
#[tokio::test]
async fn success_with_wrong_field_type_is_decode_error_without_body() {
    let error = decode_error_for(&format!(
        r#"{{"access_token":"{ACCESS_TOKEN}","expires_in":"{REFRESH_TOKEN}"}}"#
    ))
    .await;

    let (display, debug) = (error.to_string(), format!("{error:?}"));
    for secret in [ACCESS_TOKEN, REFRESH_TOKEN] {
        assert!(
            !display.contains(secret),
            "Display leaks a token: {display}"
        );
        assert!(!debug.contains(secret), "Debug leaks a token: {debug}");
    }
    match error {
        Error::Decode(decode) => {
            assert_eq!(decode.status, 200);
            assert_eq!(decode.reason.kind, DecodeFailureKind::Data);
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert!(
        display.starts_with(
            "post_oauth2_token: the 200 OK response could not be decoded: \
             the JSON does not have the documented shape (line 1, column "
        ),
        "{display}"
    );
}

/// `revoke_access_token` posts client_id, client_secret and token to `/oauth2/revoke`, and an
/// empty 200 is `Ok(())`.
#[tokio::test]
async fn revoke_sends_exact_form_and_accepts_empty_success() -> TestResult {
    let server = MockServer::start().await;
    mount_post(&server, "/oauth2/revoke", ResponseTemplate::new(200)).await;
    let body = PostOAuth2Revoke::builder()
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .token(ACCESS_TOKEN)
        .build();

    let response: Response<()> = client_for(&server)?.revoke_access_token(&body).await?;

    assert_eq!(response.status(), 200);

    assert_form_post(
        &only_request(&server).await,
        "/oauth2/revoke",
        "client_id=ly1nj6n11vionaie65emwzk575hnnmrk\
         &client_secret=hOzsTeFlT6ko0dme22uGbQal04SBPYc1\
         &token=T9cE5asGnuyYCCqIZFoWjFHvNbvVqHjl",
    );
    Ok(())
}

/// A rejected revocation surfaces as `Error::Api` with the OAuth 2.0 error parsed.
#[tokio::test]
async fn revoke_rejection_surfaces_typed_error() -> TestResult {
    let server = MockServer::start().await;
    mount_post(
        &server,
        "/oauth2/revoke",
        ResponseTemplate::new(400).set_body_raw(
            r#"{"error":"invalid_client","error_description":"The client credentials are invalid"}"#,
            "application/json",
        ),
    )
    .await;
    let body = PostOAuth2Revoke::builder()
        .client_id(CLIENT_ID)
        .client_secret("wrong")
        .token(ACCESS_TOKEN)
        .build();

    let error = client_for(&server)?
        .revoke_access_token(&body)
        .await
        .expect_err("a 400 is an error");

    match error {
        Error::Api(api) => {
            assert_eq!(api.operation, "post_oauth2_revoke");
            assert_eq!(api.status, 400);
            assert_eq!(
                api.body,
                ApiErrorBody::Parsed(
                    OAuth2Error::builder()
                        .error("invalid_client")
                        .error_description("The client credentials are invalid")
                        .build()
                )
            );
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    Ok(())
}

/// `authorize_user` builds the consent URL with every query parameter percent-encoded, round-trips
/// the values, and sends nothing to the server.
#[tokio::test]
async fn authorize_user_builds_exact_url_without_sending() -> TestResult {
    let server = MockServer::start().await;
    let redirect_uri = "https://example.com/callback?next=/home&tab=my files";
    let state = "csrf token 42";
    let scope = "root_readwrite manage_groups";
    let params = AuthorizeUserParams::builder()
        .client_id(CLIENT_ID)
        .redirect_uri(redirect_uri)
        .state(state)
        .scope(scope)
        .build();

    let url = client_for(&server)?.authorize_user(&params);

    assert_eq!(
        url.as_str(),
        format!(
            "{}/authorize?response_type=code\
             &client_id=ly1nj6n11vionaie65emwzk575hnnmrk\
             &redirect_uri=https%3A%2F%2Fexample.com%2Fcallback%3Fnext%3D%2Fhome%26tab%3Dmy%20files\
             &state=csrf%20token%2042\
             &scope=root_readwrite%20manage_groups",
            server.uri()
        )
    );
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let expected = [
        ("response_type", "code"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", redirect_uri),
        ("state", state),
        ("scope", scope),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()));
    assert_eq!(pairs, expected);
    let received = server
        .received_requests()
        .await
        .expect("recording is enabled");
    assert!(received.is_empty(), "authorize_user sent {received:#?}");
    Ok(())
}

/// With the default servers, `authorize_user` keeps the account server's `/api/oauth2` path and
/// leaves out optional parameters that are `None`.
#[test]
fn authorize_user_defaults_to_box_account_server() {
    let params = AuthorizeUserParams::builder().client_id(CLIENT_ID).build();

    let url = Client::new().authorize_user(&params);

    assert_eq!(
        url.as_str(),
        "https://account.box.com/api/oauth2/authorize?response_type=code&client_id=ly1nj6n11vionaie65emwzk575hnnmrk"
    );
}

/// `with_extra_headers` sends its headers on a token request, while the client it was derived
/// from still sends none.
#[tokio::test]
async fn extra_headers_are_sent_only_by_the_derived_client() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(header("x-box-request-tag", "tag-123"))
        .respond_with(json_response(&token_json()))
        .with_priority(1)
        .expect(1)
        .named("token request with the extra header")
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(json_response(&token_json()))
        .with_priority(2)
        .expect(1)
        .named("token request without the extra header")
        .mount(&server)
        .await;
    let client = client_for(&server)?;
    let mut headers = HeaderMap::new();
    headers.insert("x-box-request-tag", HeaderValue::from_static("tag-123"));
    let body = PostOAuth2Token::builder()
        .grant_type(PostOAuth2TokenGrantType::ClientCredentials)
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .build();

    client
        .with_extra_headers(headers)
        .request_access_token(&body)
        .await?;
    client.request_access_token(&body).await?;

    server.verify().await;
    let requests = server
        .received_requests()
        .await
        .expect("recording is enabled");
    let tags: Vec<Vec<&HeaderValue>> = requests
        .iter()
        .map(|r| r.headers.get_all("x-box-request-tag").iter().collect())
        .collect();
    assert_eq!(tags, [vec!["tag-123"], vec![]]);
    for request in &requests {
        let content_types: Vec<_> = request.headers.get_all(CONTENT_TYPE).iter().collect();
        assert_eq!(content_types, [FORM]);
    }
    Ok(())
}

/// A header given to `with_extra_headers` replaces one of the same name set on the builder.
#[tokio::test]
async fn with_extra_headers_replaces_builder_header_of_same_name() -> TestResult {
    let server = MockServer::start().await;
    mount_post(&server, "/oauth2/token", json_response(&token_json())).await;
    let mut first = HeaderMap::new();
    first.insert(
        "x-box-request-tag",
        HeaderValue::from_static("from-builder"),
    );
    let mut second = HeaderMap::new();
    second.insert("x-box-request-tag", HeaderValue::from_static("per-call"));
    let client = Client::builder()
        .base_urls(BaseUrls::all(Url::parse(&server.uri())?))
        .retry(RetryPolicy::none())
        .default_headers(first)
        .build();

    client
        .with_extra_headers(second)
        .request_access_token(&client_credentials_only())
        .await?;

    let request = only_request(&server).await;
    let tags: Vec<_> = request
        .headers
        .get_all("x-box-request-tag")
        .iter()
        .collect();
    assert_eq!(tags, ["per-call"]);
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "grant_type=client_credentials"
    );
    Ok(())
}

/// A client-credentials token request with no other field set.
fn client_credentials_only() -> PostOAuth2Token {
    PostOAuth2Token::builder()
        .grant_type(PostOAuth2TokenGrantType::ClientCredentials)
        .build()
}

/// Asserts `debug` hides every one of `secrets`, shows `<redacted>` once for each, and shows
/// every one of `visible`.
fn assert_redacted(debug: &str, secrets: &[&str], visible: &[&str]) {
    for secret in secrets {
        assert!(!debug.contains(secret), "Debug leaks {secret:?}: {debug}");
    }
    assert_eq!(
        debug.matches("<redacted>").count(),
        secrets.len(),
        "{debug}"
    );
    for value in visible {
        assert!(debug.contains(value), "Debug lacks {value:?}: {debug}");
    }
}

/// `Debug` of `PostOAuth2Token` redacts every credential field but shows the others.
#[test]
fn token_request_debug_redacts_credentials() {
    let secrets = [
        "secret-client-secret",
        "secret-code",
        "secret-refresh",
        "secret-assertion",
        "secret-subject",
        "secret-actor",
    ];
    let body = PostOAuth2Token::builder()
        .grant_type(PostOAuth2TokenGrantType::UrnIetfParamsOauthGrantTypeTokenExchange)
        .client_id(CLIENT_ID)
        .client_secret(secrets[0])
        .code(secrets[1])
        .refresh_token(secrets[2])
        .assertion(secrets[3])
        .subject_token(secrets[4])
        .actor_token(secrets[5])
        .scope("item_preview")
        .box_subject_id("690678")
        .build();

    assert_redacted(
        &format!("{body:?}"),
        &secrets,
        &[
            CLIENT_ID,
            "item_preview",
            "690678",
            "UrnIetfParamsOauthGrantTypeTokenExchange",
        ],
    );
}

/// `Debug` of the refresh and revoke bodies redacts the secret and the token.
#[test]
fn refresh_and_revoke_debug_redact_credentials() {
    let refresh = PostOAuth2TokenRefreshAccessToken::builder()
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .refresh_token(REFRESH_TOKEN)
        .build();
    assert_redacted(
        &format!("{refresh:?}"),
        &[CLIENT_SECRET, REFRESH_TOKEN],
        &[CLIENT_ID, "RefreshToken"],
    );

    let revoke = PostOAuth2Revoke::builder()
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .token(ACCESS_TOKEN)
        .build();
    assert_redacted(
        &format!("{revoke:?}"),
        &[CLIENT_SECRET, ACCESS_TOKEN],
        &[CLIENT_ID],
    );
}

/// `Debug` of `AccessToken` redacts both tokens but shows the rest.
#[test]
fn access_token_debug_redacts_tokens() {
    let token = AccessToken::builder()
        .access_token(ACCESS_TOKEN)
        .expires_in(3600)
        .token_type(AccessTokenTokenType::Bearer)
        .refresh_token(REFRESH_TOKEN)
        .build();

    assert_redacted(
        &format!("{token:?}"),
        &[ACCESS_TOKEN, REFRESH_TOKEN],
        &["3600", "Bearer"],
    );
}

/// `Debug` of a client (and its builder) names an `Authorization` default or extra header but
/// hides its value.
#[test]
fn client_debug_hides_header_values() {
    let bearer = format!("Bearer {ACCESS_TOKEN}");
    let mut headers = HeaderMap::new();
    headers.insert(
        AUTHORIZATION,
        HeaderValue::from_str(&bearer).expect("valid header"),
    );

    let builder = Client::builder().default_headers(headers.clone());
    let builder_debug = format!("{builder:?}");
    let client = builder.build();
    let derived = Client::new().with_extra_headers(headers);

    for debug in [builder_debug, format!("{client:?}"), format!("{derived:?}")] {
        assert!(
            !debug.contains(ACCESS_TOKEN),
            "Debug leaks the token: {debug}"
        );
        assert!(
            debug.contains("authorization"),
            "Debug lacks the header name: {debug}"
        );
    }
}

/// A request to a port where nothing listens fails as `Error::Transport`, with no status and no
/// URL in the underlying error.
#[tokio::test]
async fn unreachable_server_is_transport_error() -> TestResult {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let client = Client::builder()
        .base_urls(BaseUrls::all(Url::parse(&format!(
            "http://127.0.0.1:{port}"
        ))?))
        .build();

    let error = client
        .request_access_token(&client_credentials_only())
        .await
        .expect_err("nothing listens on the port");

    assert_eq!(error.status(), None);
    assert_eq!(error.to_string(), "post_oauth2_token: the request failed");
    match error {
        Error::Transport { operation, source } => {
            assert_eq!(operation, "post_oauth2_token");
            assert!(
                source.is_connect(),
                "expected a connect error, got {source:?}"
            );
            assert_eq!(source.url(), None);
        }
        other => panic!("expected Error::Transport, got {other:?}"),
    }
    Ok(())
}

/// Every value of a repeated extra header is sent, and an extra `Content-Type` does not
/// override the form encoding the operation needs.
#[tokio::test]
async fn extra_headers_keep_repeated_values_and_not_the_body_type() -> TestResult {
    let server = MockServer::start().await;
    mount_post(&server, "/oauth2/token", json_response(&token_json())).await;
    let mut headers = HeaderMap::new();
    headers.append("x-multi", HeaderValue::from_static("a"));
    headers.append("x-multi", HeaderValue::from_static("b"));
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let body = client_credentials_only();

    client_for(&server)?
        .with_extra_headers(headers)
        .request_access_token(&body)
        .await?;

    let request = only_request(&server).await;
    let multi: Vec<&HeaderValue> = request.headers.get_all("x-multi").iter().collect();
    assert_eq!(multi, ["a", "b"]);
    let content_types: Vec<&HeaderValue> = request.headers.get_all(CONTENT_TYPE).iter().collect();
    assert_eq!(content_types, ["application/x-www-form-urlencoded"]);
    Ok(())
}
