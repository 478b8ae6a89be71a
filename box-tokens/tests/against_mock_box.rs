//! The token layer against a mock of Box's OAuth 2.0 endpoints on 127.0.0.1 (see `support`):
//! single flight, refresh ahead of expiry, rotation by another process, every grant, retries,
//! clock correction, the hook on a generated-style client, and no secret in any `Debug`.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use box_auth::{RetryPolicy, Url};
use box_tokens::{
    AccessToken, AppConfig, ClientSecret, Downscope, Error, FileStore, JwtSigner, ManualClock,
    MemoryStore, RedirectError, RefreshToken, SignInReason, State, Subject, TokenClient,
    TokenProvider, TokenStore, Tokens,
};
use clientgen_runtime::reqwest::Method;
use clientgen_runtime::{ApiClient, ClientBuilder, Operation, Transport};
use serde_json::Value;
use support::{
    signed_in_user, t0, token_client, MockBox, Waits, APP_CONFIG, CLIENT_ID, CLIENT_SECRET, KEY_ID,
};

fn jwt_signer() -> JwtSigner {
    JwtSigner::from_config(&AppConfig::from_json(APP_CONFIG).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_callers_cause_one_refresh() {
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    let provider = signed_in_user(&mock, &clock, MemoryStore::new()).await;
    clock.advance(Duration::from_secs(3600));

    let callers = (0..100).map(|_| {
        let provider = provider.clone();
        tokio::spawn(async move { provider.token().await })
    });
    let tokens: Vec<AccessToken> = futures_join_all(callers).await;

    assert_eq!(mock.ledger().refreshes(), 1);
    assert!(tokens.iter().all(|token| token.expose() == "access-2"));
}

async fn futures_join_all(
    handles: impl Iterator<Item = tokio::task::JoinHandle<Result<AccessToken, Error>>>,
) -> Vec<AccessToken> {
    let mut tokens = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        tokens.push(handle.await.unwrap().unwrap());
    }
    tokens
}

#[tokio::test]
async fn tokens_are_refreshed_ahead_of_expiry_not_after() {
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    let provider = signed_in_user(&mock, &clock, MemoryStore::new()).await;

    // The token lasts 60 minutes and the margin is 5: it is used until minute 55.
    clock.advance(Duration::from_secs(55 * 60 - 1));
    assert_eq!(provider.token().await.unwrap().expose(), "access-1");
    assert_eq!(mock.ledger().refreshes(), 0);

    clock.advance(Duration::from_secs(1));
    assert_eq!(provider.token().await.unwrap().expose(), "access-2");
    assert_eq!(provider.token().await.unwrap().expose(), "access-2");
    let ledger = mock.ledger();
    assert_eq!(ledger.refreshes(), 1);
    let form = &ledger.token_requests[0];
    assert_eq!(form.get("refresh_token"), Some("refresh-1"));
    assert_eq!(form.get("client_id"), Some(CLIENT_ID));
    assert_eq!(form.get("client_secret"), Some(CLIENT_SECRET));
}

#[tokio::test]
async fn a_refresh_whose_answer_is_lost_is_sent_again_and_gives_the_same_pair() {
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    let provider = signed_in_user(&mock, &clock, MemoryStore::new()).await;
    mock.ledger().lost_answers = 1;
    clock.advance(Duration::from_secs(3600));

    // Box rotated the pair, but the answer never arrived; within the grace window the same
    // refresh token gets the same pair again.
    assert_eq!(provider.token().await.unwrap().expose(), "access-2");
    let ledger = mock.ledger();
    let sent: Vec<_> = ledger
        .token_requests
        .iter()
        .map(|form| form.get("refresh_token").unwrap())
        .collect();
    assert_eq!(sent, ["refresh-1", "refresh-1"]);
}

#[tokio::test]
async fn jitter_moves_the_refresh_earlier_but_never_past_half_the_lifetime() {
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    let (client, _) = token_client(&mock, &clock);
    // A margin longer than the token lives: still not renewed in the first half.
    let provider = TokenProvider::user(client, "bob")
        .refresh_ahead(Duration::from_secs(7200), Duration::from_secs(600))
        .build();
    let (access, refresh) = mock.ledger().issue_pair();
    let tokens = Tokens::from_response(access.into(), Some(3600), Some(refresh.into()), t0());
    provider.set_tokens(tokens).await.unwrap();
    clock.advance(Duration::from_secs(1799));
    assert_eq!(provider.token().await.unwrap().expose(), "access-1");
    clock.advance(Duration::from_secs(1));
    assert_eq!(provider.token().await.unwrap().expose(), "access-2");
}

#[tokio::test]
async fn a_second_process_uses_the_pair_the_first_one_stored() {
    let mock = MockBox::start().await;
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(t0());
    let first = signed_in_user(&mock, &clock, FileStore::new(dir.path())).await;
    let (client, _) = token_client(&mock, &clock);
    let second = TokenProvider::user(client, "alice")
        .store(FileStore::new(dir.path()))
        .refresh_ahead(Duration::from_secs(300), Duration::ZERO)
        .build();
    assert_eq!(second.token().await.unwrap().expose(), "access-1");

    clock.advance(Duration::from_secs(3600));
    assert_eq!(first.token().await.unwrap().expose(), "access-2");
    // The second one's own copy is stale; it reads the store under the lock instead of
    // spending the used refresh token.
    assert_eq!(second.token().await.unwrap().expose(), "access-2");
    assert_eq!(mock.ledger().refreshes(), 1);
}

#[tokio::test]
async fn new_tokens_are_in_the_store_before_they_are_handed_out() {
    let mock = MockBox::start().await;
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(t0());
    let provider = signed_in_user(&mock, &clock, FileStore::new(dir.path())).await;
    clock.advance(Duration::from_secs(3600));
    let token = provider.token().await.unwrap();
    let stored = FileStore::new(dir.path())
        .load(provider.store_key())
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(stored.access_token, token);
    assert_eq!(stored.refresh_token, Some(RefreshToken::from("refresh-2")));
    assert_eq!(stored.expires_at, t0() + Duration::from_secs(7200));
}

/// A store whose tokens another process replaces, without taking the lock, right after the
/// provider first reads them.
struct RacedStore {
    inner: MemoryStore,
    replacement: Mutex<Option<Tokens>>,
}

impl TokenStore for RacedStore {
    async fn load(&self, subject: &str) -> Result<Option<Tokens>, box_tokens::StoreError> {
        let loaded = self.inner.load(subject).await?;
        let replacement = self.replacement.lock().unwrap().take();
        if let Some(replacement) = replacement {
            self.inner.save(subject, &replacement).await?;
        }
        Ok(loaded)
    }

    async fn save(&self, subject: &str, tokens: &Tokens) -> Result<(), box_tokens::StoreError> {
        self.inner.save(subject, tokens).await
    }

    async fn clear(&self, subject: &str) -> Result<(), box_tokens::StoreError> {
        self.inner.clear(subject).await
    }

    async fn lock(&self, subject: &str) -> Result<box_tokens::StoreLock, box_tokens::StoreError> {
        self.inner.lock(subject).await
    }
}

#[tokio::test]
async fn a_refused_refresh_token_sends_the_provider_back_to_the_store() {
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    let (client, _) = token_client(&mock, &clock);
    // Another process refreshed `refresh-1` and used the new pair, so Box refuses it now.
    let (access, refresh) = mock.ledger().issue_pair();
    let rotated = client
        .refresh(&RefreshToken::from(refresh.as_str()))
        .await
        .unwrap();
    mock.ledger().api_calls.clear();
    assert_eq!(rotated.access_token.expose(), "access-2");
    let probe = mock.server.uri() + "/2.0/users/me";
    let used = clientgen_runtime::reqwest::Client::new()
        .get(probe)
        .bearer_auth("access-2")
        .send()
        .await
        .unwrap();
    assert_eq!(used.status(), 200);

    let store = RacedStore {
        inner: MemoryStore::new(),
        replacement: Mutex::new(None),
    };
    let provider = TokenProvider::user(client, "carol").store(store).build();
    let stale = Tokens::from_response(access.into(), Some(3600), Some(refresh.into()), t0());
    provider.set_tokens(stale).await.unwrap();
    *provider.store().replacement.lock().unwrap() = Some(rotated);
    clock.advance(Duration::from_secs(3600));

    // The refresh with `refresh-1` is refused; the store now holds `refresh-2`, which works.
    assert_eq!(provider.token().await.unwrap().expose(), "access-3");
    assert_eq!(mock.ledger().refreshes(), 3);
}

#[tokio::test]
async fn with_no_newer_pair_a_refused_refresh_token_means_signing_in_again() {
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    let provider = signed_in_user(&mock, &clock, MemoryStore::new()).await;
    mock.ledger().forget_refresh_tokens();
    clock.advance(Duration::from_secs(3600));
    let error = provider.token().await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::SignInRequired { key, reason: SignInReason::RefreshTokenRefused, .. }
                if key.ends_with("/oauth-user:alice")
        ),
        "{error:?}"
    );
    let refusal = std::error::Error::source(&error)
        .and_then(|source| source.downcast_ref::<box_tokens::Refusal>())
        .expect("Box's refusal is the source");
    assert!(refusal.is_invalid_grant());
    // The refused token is not sent again; signing in again gets the provider going.
    assert!(matches!(
        provider.token().await,
        Err(Error::SignInRequired { .. })
    ));
    assert_eq!(mock.ledger().refreshes(), 1);
    let (access, refresh) = mock.ledger().issue_pair();
    let tokens = Tokens::from_response(access.into(), Some(3600), Some(refresh.into()), t0());
    provider.set_tokens(tokens).await.unwrap();
    clock.advance(Duration::from_secs(3600));
    assert_eq!(provider.token().await.unwrap().expose(), "access-3");
}

/// A client as `clientgen` generates them, with one operation: `GET /2.0/users/me`.
struct MeClient {
    transport: Transport,
    base: MeUrl,
}

#[derive(Clone)]
struct MeUrl(Url);

impl Default for MeUrl {
    fn default() -> Self {
        Self(Url::parse("https://api.box.com").unwrap())
    }
}

impl ApiClient for MeClient {
    type BaseUrls = MeUrl;
    fn from_parts(transport: Transport, base: MeUrl) -> Self {
        Self { transport, base }
    }
}

impl MeClient {
    fn new(mock: &MockBox, hook: impl box_auth::Hook) -> Self {
        ClientBuilder::<Self>::new()
            .base_urls(MeUrl(mock.server.uri().parse().unwrap()))
            .retry(RetryPolicy::none())
            .hook(hook)
            .build()
    }

    async fn me(&self) -> Result<Value, box_auth::Error<Value>> {
        const OPERATION: Operation = Operation::new("get_users_me", Method::GET);
        let segments = [
            clientgen_runtime::encode::Segment::Literal("2.0"),
            clientgen_runtime::encode::Segment::Literal("users"),
            clientgen_runtime::encode::Segment::Literal("me"),
        ];
        let response = self
            .transport
            .request(&OPERATION, &self.base.0, &segments)
            .accept("application/json")
            .returning_json::<Value, Value>(clientgen_runtime::json_error)
            .await?;
        Ok(response.into_inner())
    }
}

#[tokio::test]
async fn the_hook_sends_the_token_and_recovers_from_one_401() {
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    let provider = signed_in_user(&mock, &clock, MemoryStore::new()).await;
    let api = MeClient::new(&mock, provider.clone());

    assert_eq!(api.me().await.unwrap()["id"], "42");
    // A minute later, Box drops the token although its expiry is most of an hour away.
    clock.advance(Duration::from_secs(60));
    mock.ledger().kill_access("access-1");
    assert_eq!(api.me().await.unwrap()["id"], "42");

    let ledger = mock.ledger();
    let sent: Vec<_> = ledger
        .api_calls
        .iter()
        .map(|token| token.as_deref())
        .collect();
    assert_eq!(sent, [Some("access-1"), Some("access-1"), Some("access-2")]);
    assert_eq!(ledger.refreshes(), 1);
}

#[tokio::test]
async fn a_401_for_a_token_already_replaced_does_not_renew_again() {
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    let provider = signed_in_user(&mock, &clock, MemoryStore::new()).await;
    clock.advance(Duration::from_secs(60));
    assert!(provider
        .token_rejected(&AccessToken::from("access-1"))
        .await
        .unwrap());
    assert_eq!(provider.token().await.unwrap().expose(), "access-2");
    // A request still in flight with the old token comes back 401: the new one is tried.
    assert!(provider
        .token_rejected(&AccessToken::from("access-1"))
        .await
        .unwrap());
    assert_eq!(provider.token().await.unwrap().expose(), "access-2");
    assert_eq!(mock.ledger().refreshes(), 1);
}

#[tokio::test]
async fn a_401_for_a_token_just_issued_is_left_to_the_caller() {
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    let provider = signed_in_user(&mock, &clock, MemoryStore::new()).await;
    let api = MeClient::new(&mock, provider.clone());
    // Box rejects the token it issued seconds ago (the app lost access, say): another token
    // would fare no better, and renewing on every call would burn refresh tokens.
    clock.advance(Duration::from_secs(10));
    mock.ledger().kill_access("access-1");
    let error = api.me().await.unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(401));
    assert_eq!(mock.ledger().refreshes(), 0);
    // Once the token has some age, a 401 renews it again.
    clock.advance(Duration::from_secs(30));
    assert_eq!(api.me().await.unwrap()["id"], "42");
    assert_eq!(mock.ledger().refreshes(), 1);
}

#[tokio::test]
async fn when_renewal_ahead_of_expiry_fails_the_current_token_serves_until_the_next_try() {
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    let provider = signed_in_user(&mock, &clock, MemoryStore::new()).await;
    clock.advance(Duration::from_secs(56 * 60));
    mock.ledger().failures.extend([(503, None); 3]);

    // Three attempts fail; the token, four minutes from expiry, is still handed out.
    assert_eq!(provider.token().await.unwrap().expose(), "access-1");
    assert_eq!(mock.ledger().token_requests.len(), 3);
    // Until the next try, 30 seconds on, nobody asks Box again.
    clock.advance(Duration::from_secs(29));
    assert_eq!(provider.token().await.unwrap().expose(), "access-1");
    assert_eq!(mock.ledger().token_requests.len(), 3);
    clock.advance(Duration::from_secs(1));
    assert_eq!(provider.token().await.unwrap().expose(), "access-2");
    assert_eq!(mock.ledger().refreshes(), 4);
}

/// On one thread, every caller is waiting on the first one's renewal before Box answers it.
#[tokio::test]
async fn callers_waiting_on_a_renewal_that_fails_share_its_failure() {
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    let provider = signed_in_user(&mock, &clock, MemoryStore::new()).await;
    clock.advance(Duration::from_secs(3600));
    // Box would refuse every one of them (a `400` is not retried).
    mock.ledger().failures.extend([(400, None); 20]);

    let callers: Vec<_> = (0..20)
        .map(|_| {
            let provider = provider.clone();
            tokio::spawn(async move { provider.token().await })
        })
        .collect();
    let (mut refused, mut shared) = (0, 0);
    for caller in callers {
        match caller.await.unwrap() {
            Err(Error::Refused(_)) => refused += 1,
            Err(Error::RenewalFailed { .. }) => shared += 1,
            other => panic!("unexpected outcome: {other:?}"),
        }
    }
    assert_eq!((refused, shared), (1, 19));
    assert_eq!(mock.ledger().refreshes(), 1);
    // Asking again tries again.
    mock.ledger().failures.clear();
    assert_eq!(provider.token().await.unwrap().expose(), "access-2");
}

#[tokio::test]
async fn a_developer_token_is_sent_as_is_and_a_401_is_left_to_the_caller() {
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    let (client, _) = token_client(&mock, &clock);
    let provider = TokenProvider::developer_token(client, AccessToken::from("dev-token")).build();
    let api = MeClient::new(&mock, provider.clone());
    let error = api.me().await.unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(401));
    assert_eq!(mock.ledger().api_calls, [Some("dev-token".to_owned())]);
    assert!(matches!(
        provider.revoke().await,
        Err(Error::DeveloperToken)
    ));
}

#[tokio::test]
async fn client_credentials_name_the_subject_and_are_retried_on_5xx() {
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    let (client, waits) = token_client(&mock, &clock);
    mock.ledger()
        .failures
        .extend([(500, None), (429, Some("2"))]);
    let provider =
        TokenProvider::client_credentials(client, Subject::Enterprise("1234567".into())).build();

    assert_eq!(provider.token().await.unwrap().expose(), "access-1");
    let ledger = mock.ledger();
    assert_eq!(ledger.grants("client_credentials"), 3);
    let form = ledger.token_requests.last().unwrap();
    assert_eq!(
        form.names(),
        [
            "grant_type",
            "client_id",
            "client_secret",
            "box_subject_type",
            "box_subject_id"
        ]
    );
    assert_eq!(form.get("box_subject_type"), Some("enterprise"));
    assert_eq!(form.get("box_subject_id"), Some("1234567"));
    // The default backoff after the 500, then what `Retry-After` asked for.
    let waits = waits.lock().unwrap().clone();
    assert_eq!(waits, [Duration::from_millis(250), Duration::from_secs(2)]);
}

#[tokio::test]
async fn retry_after_is_capped_and_the_attempts_are_limited() {
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    let waits = Waits::default();
    let recorded = Arc::clone(&waits);
    let client = TokenClient::builder(CLIENT_ID, ClientSecret::from(CLIENT_SECRET))
        .base_urls(mock.base_urls())
        .clock(clock)
        .retry(RetryPolicy::default().max_retry_after(Duration::from_secs(10)))
        .sleep_with(move |wait| {
            recorded.lock().unwrap().push(wait);
            Box::pin(async {})
        })
        .build();
    mock.ledger().failures.extend([(429, Some("3600")); 3]);
    let error = client
        .client_credentials(&Subject::User("42".into()))
        .await
        .unwrap_err();
    assert_eq!(error.refusal().unwrap().status.as_u16(), 429);
    assert_eq!(*waits.lock().unwrap(), [Duration::from_secs(10); 2]);
    assert_eq!(mock.ledger().token_requests.len(), 3);
}

#[tokio::test]
async fn every_jwt_attempt_carries_a_fresh_verified_assertion() {
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    let (client, _) = token_client(&mock, &clock);
    mock.ledger().failures.push_back((503, None));
    let subject = Subject::Enterprise("1234567".into());
    let provider = TokenProvider::jwt(client, jwt_signer(), subject).build();

    assert_eq!(provider.token().await.unwrap().expose(), "access-1");
    let ledger = mock.ledger();
    let assertions: Vec<&str> = ledger
        .token_requests
        .iter()
        .map(|form| form.get("assertion").unwrap())
        .collect();
    assert_eq!(assertions.len(), 2);
    assert_ne!(
        assertions[0], assertions[1],
        "a retry signs a new assertion"
    );
    let (claims, kid) = &ledger.assertions[0];
    assert_eq!(kid.as_deref(), Some(KEY_ID));
    assert_eq!(claims["iss"], CLIENT_ID);
    assert_eq!(claims["sub"], "1234567");
    assert_eq!(claims["box_sub_type"], "enterprise");
    assert_eq!(claims["aud"], box_tokens::BOX_TOKEN_AUDIENCE);
    let now = t0()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let exp = claims["exp"].as_u64().unwrap();
    assert!(
        exp > now && exp <= now + 60,
        "exp {exp} within 60 s of {now}"
    );
}

#[tokio::test]
async fn a_clock_off_from_boxs_is_corrected_from_its_date_header() {
    let mock = MockBox::start().await;
    // The local clock is two minutes behind Box's: every assertion would have expired.
    let clock = ManualClock::new(t0() - Duration::from_secs(120));
    let (client, _) = token_client(&mock, &clock);
    let signer = jwt_signer();
    let subject = Subject::User("42".into());

    let tokens = client.jwt(&signer, &subject).await.unwrap();
    assert_eq!(tokens.access_token.expose(), "access-1");
    // The access token's expiry stays on the local clock.
    assert_eq!(tokens.expires_at, client.now() + Duration::from_secs(3600));
    assert_eq!(mock.ledger().grants(box_tokens::JWT_BEARER_GRANT_TYPE), 2);
    // Later assertions are signed by Box's clock straight away.
    client.jwt(&signer, &subject).await.unwrap();
    assert_eq!(mock.ledger().grants(box_tokens::JWT_BEARER_GRANT_TYPE), 3);
}

#[tokio::test]
async fn the_authorization_code_flow_checks_state_and_sends_the_code_once() {
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    let (client, _) = token_client(&mock, &clock);
    let provider = TokenProvider::user(client.clone(), "dave").build();
    let redirect_uri = "http://127.0.0.1:8080/callback";
    let authorization = client
        .authorize(Some(redirect_uri), Some("root_readonly"))
        .unwrap();
    let query: Vec<(String, String)> = authorization.url.query_pairs().into_owned().collect();
    let expected_query = [
        ("client_id", CLIENT_ID),
        ("response_type", "code"),
        ("redirect_uri", redirect_uri),
        ("state", authorization.state.as_str()),
        ("scope", "root_readonly"),
    ];
    assert_eq!(query.len(), expected_query.len(), "{query:?}");
    for (name, value) in expected_query {
        assert!(
            query.contains(&(name.into(), value.into())),
            "{name} in {query:?}"
        );
    }
    assert_eq!(authorization.url.path(), "/authorize");
    assert_eq!(authorization.state.as_str().len(), 64);

    // A redirect with someone else's state is refused before anything is sent.
    let forged = format!(
        "{redirect_uri}?code=abc&state={}",
        State::generate().unwrap().as_str()
    );
    let error = provider
        .finish_authorization(&forged, &authorization.state)
        .await;
    assert!(matches!(
        error,
        Err(Error::Redirect(RedirectError::StateMismatch))
    ));
    assert!(mock.ledger().token_requests.is_empty());

    // A failed exchange is not retried: Box takes a code once.
    mock.ledger().codes.insert("good-code".into());
    mock.ledger().failures.push_back((503, None));
    let redirect = format!(
        "{redirect_uri}?code=good-code&state={}",
        authorization.state.as_str()
    );
    let error = provider
        .finish_authorization(&redirect, &authorization.state)
        .await;
    assert_eq!(error.unwrap_err().refusal().unwrap().status.as_u16(), 503);
    assert_eq!(mock.ledger().token_requests.len(), 1);

    provider
        .finish_authorization(&redirect, &authorization.state)
        .await
        .unwrap();
    assert_eq!(provider.token().await.unwrap().expose(), "access-1");
    let ledger = mock.ledger();
    let form = ledger.token_requests.last().unwrap();
    assert_eq!(form.get("grant_type"), Some("authorization_code"));
    assert_eq!(form.get("code"), Some("good-code"));
}

#[tokio::test]
async fn downscoping_exchanges_the_current_token_for_a_limited_one() {
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    let provider = signed_in_user(&mock, &clock, MemoryStore::new()).await;
    let request = Downscope::new(["item_preview", "item_download"])
        .resource("https://api.box.com/2.0/files/123456");
    let limited = provider.downscope(&request).await.unwrap();

    assert_eq!(limited.access_token.expose(), "access-2");
    assert!(!limited.can_refresh());
    assert_eq!(limited.scopes, ["item_preview", "item_download"]);
    assert_eq!(limited.restricted_to.len(), 1);
    assert_eq!(limited.expires_at, t0() + Duration::from_secs(3000));
    let ledger = mock.ledger();
    let form = ledger.token_requests.last().unwrap();
    assert_eq!(
        form.get("grant_type"),
        Some("urn:ietf:params:oauth:grant-type:token-exchange")
    );
    assert_eq!(form.get("subject_token"), Some("access-1"));
    assert_eq!(
        form.get("subject_token_type"),
        Some("urn:ietf:params:oauth:token-type:access_token")
    );
    assert_eq!(form.get("scope"), Some("item_preview item_download"));
    assert_eq!(
        form.get("resource"),
        Some("https://api.box.com/2.0/files/123456")
    );
    assert_eq!(form.get("client_secret"), None);
}

#[tokio::test]
async fn revoking_ends_the_session_at_box_and_clears_the_store() {
    let mock = MockBox::start().await;
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(t0());
    let provider = signed_in_user(&mock, &clock, FileStore::new(dir.path())).await;
    provider.revoke().await.unwrap();

    let revocation = mock.ledger().revocations[0].clone();
    assert_eq!(revocation.get("token"), Some("refresh-1"));
    assert_eq!(revocation.get("client_id"), Some(CLIENT_ID));
    assert_eq!(revocation.get("client_secret"), Some(CLIENT_SECRET));
    let stored = FileStore::new(dir.path()).load(provider.store_key()).await;
    assert!(stored.unwrap().is_none());
    let error = provider.token().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::SignInRequired {
                reason: SignInReason::NoTokens,
                ..
            }
        ),
        "{error:?}"
    );
}

/// Collects what `tracing` writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_secret_shows_in_debug_display_errors_or_logs() {
    // A global subscriber: a thread-local one can miss events whose call sites another test
    // thread registered first. Other tests' events land here too, and must be as clean.
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
    let mock = MockBox::start().await;
    let clock = ManualClock::new(t0());
    let provider = signed_in_user(&mock, &clock, MemoryStore::new()).await;
    clock.advance(Duration::from_secs(3600));
    let token = provider.token().await.unwrap();
    let config = AppConfig::from_json(APP_CONFIG).unwrap();
    let signer = jwt_signer();
    let (client, _) = token_client(&mock, &clock);
    let stored = provider.store().load(provider.store_key()).await.unwrap();
    mock.ledger().forget_refresh_tokens();
    clock.advance(Duration::from_secs(3600));
    let refused = provider.token().await.unwrap_err();
    let granted = client
        .jwt(&signer, &Subject::Enterprise("1234567".into()))
        .await
        .unwrap();
    let authorization = client.authorize(None, None).unwrap();

    let shown = [
        format!("{provider:?}"),
        format!("{client:?}"),
        format!("{granted:?}"),
        format!("{authorization:?}"),
        format!("{token:?} {token}"),
        format!("{stored:?}"),
        format!("{config:?}"),
        format!("{signer:?}"),
        format!("{refused:?} {refused}"),
        format!("{:?}", std::error::Error::source(&refused)),
    ]
    .join("\n");
    let logged = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logged.contains("tokens renewed"), "{logged}");
    assert!(logged.contains("Box refused the refresh token"), "{logged}");
    let shown = shown + "\n" + &logged;
    let secrets = [
        "access-1",
        "refresh-1",
        "access-2",
        "refresh-2",
        CLIENT_SECRET,
        config.passphrase.expose(),
        "PRIVATE KEY",
        granted.access_token.expose(),
        // Every JWT assertion starts so (a base64url JSON header).
        "eyJ",
        authorization.state.as_str(),
    ];
    for secret in secrets {
        assert!(!shown.contains(secret), "{secret} leaked in:\n{shown}");
    }
    assert!(shown.contains(CLIENT_ID));
}
