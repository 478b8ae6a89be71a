//! [`TokenClient`]: the requests one Box app makes to Box's OAuth 2.0 endpoints, through the
//! generated `box-auth` client, each retried as far as its grant allows.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use box_auth::reqwest::Method;
use box_auth::types::{
    AccessToken as TokenAnswer, AuthorizeUserParams, OAuth2Error, PostOAuth2Revoke,
    PostOAuth2Token, PostOAuth2TokenBoxSubjectType, PostOAuth2TokenGrantType,
    PostOAuth2TokenSubjectTokenType,
};
use box_auth::{BaseUrls, ClientBuilder, Response, RetryPolicy, Url};
use clientgen_runtime::hook::BoxFuture;
use clientgen_runtime::{Operation, Sleep};

use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Refusal, TokenCall};
use crate::jwt::{JwtSigner, Subject};
use crate::random::RandomError;
use crate::secret::{
    AccessToken, AuthorizationCode, ClientSecret, RefreshToken, RequestField, RevocableToken,
};
use crate::state::{Redirect, State};
use crate::tokens::{Restriction, Tokens};

/// The operation every token request is retried as: a `POST` that is safe to send again,
/// because each attempt either carries a fresh credential (a new assertion) or one that Box
/// accepts twice (a just-used refresh token, which within Box's short grace window returns
/// the same pair again). Should the window have passed, the retry ends in `invalid_grant`
/// and the provider reads the store again.
const TOKEN_REQUEST: Operation = Operation::new("box-tokens", Method::POST);

/// The token requests of one Box app (its client id and secret): the authorization-code
/// flow, refresh, client credentials, JWT, downscoping and revocation.
///
/// Requests go through the generated [`box_auth::Client`] and are retried per grant: client
/// credentials, JWT (signed afresh for each attempt), refresh, downscoping and revocation after
/// a connection failure, a timeout, `429` or a `5xx`, honouring `Retry-After` (capped); an
/// authorization code is sent once, never again. Cloning is cheap and clones share the
/// connection pool.
///
/// ```
/// use box_tokens::{ClientSecret, TokenClient};
///
/// let client = TokenClient::new("CLIENT_ID", ClientSecret::from("CLIENT_SECRET"));
/// let authorization = client.authorize(Some("http://127.0.0.1:8080/callback"), None)?;
/// assert!(authorization.url.as_str().starts_with("https://account.box.com/api/oauth2/authorize?"));
/// # Ok::<(), box_tokens::RandomError>(())
/// ```
#[derive(Clone)]
pub struct TokenClient {
    api: box_auth::Client,
    client_id: String,
    client_secret: ClientSecret,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
    sleep: Sleep,
    box_clock: Arc<Mutex<ClockOffset>>,
}

/// Sets up a [`TokenClient`]: where Box is, the HTTP client, timeouts, retries and the clock.
#[must_use = "a builder does nothing until `build` is called"]
pub struct TokenClientBuilder {
    api: ClientBuilder<box_auth::Client>,
    client_id: String,
    client_secret: ClientSecret,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
    sleep: Sleep,
}

impl TokenClientBuilder {
    /// Reaches Box at `base_urls` (a proxy, or a test server) instead of Box's own URLs.
    pub fn base_urls(mut self, base_urls: BaseUrls) -> Self {
        self.api = self.api.base_urls(base_urls);
        self
    }

    /// Sends through `http` (to share its connection pool or proxy settings).
    pub fn http_client(mut self, http: box_auth::reqwest::Client) -> Self {
        self.api = self.api.http_client(http);
        self
    }

    /// Gives up on one attempt when its answer has not arrived within `timeout` (60 s unless
    /// set).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.api = self.api.timeout(timeout);
        self
    }

    /// Retries token requests as `policy` says (attempts, backoff, the `Retry-After` cap);
    /// an authorization code is never sent twice whatever it says.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Reads the time from `clock` instead of the system's.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Waits between attempts with `sleep` instead of `tokio::time::sleep` (a test records
    /// the waits and goes on at once).
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
    /// Without [`TokenClientBuilder::http_client`], when the TLS backend cannot be
    /// initialised, as `reqwest::Client::new` does.
    pub fn build(self) -> TokenClient {
        TokenClient {
            // The client's own loop would resend the same assertion; retries happen here.
            api: self.api.retry(RetryPolicy::none()).build(),
            client_id: self.client_id,
            client_secret: self.client_secret,
            retry: self.retry,
            clock: self.clock,
            sleep: self.sleep,
            box_clock: Arc::default(),
        }
    }
}

/// Shows the client id and settings, never the client secret.
impl std::fmt::Debug for TokenClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenClient")
            .field("client_id", &self.client_id)
            .field("api", &self.api)
            .field("retry", &self.retry)
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

/// Shows the client id and settings, never the client secret.
impl std::fmt::Debug for TokenClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenClientBuilder")
            .field("client_id", &self.client_id)
            .field("retry", &self.retry)
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

/// Where the user's browser is sent to grant access, and the `state` to expect back.
#[derive(Clone)]
pub struct Authorization {
    /// Box's authorization page, with the app's client id, the redirect URI, the scopes and
    /// a fresh `state`.
    pub url: Url,
    /// The `state` the redirect must carry; keep it (in the user's session, say) until then.
    pub state: State,
}

/// Shows the page without its query, which holds the whole `state`.
impl std::fmt::Debug for Authorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut page = self.url.clone();
        page.set_query(None);
        f.debug_struct("Authorization")
            .field("url", &page.as_str())
            .field("state", &self.state)
            .finish()
    }
}

/// What a downscoped token may do: its scopes, and optionally the one file or folder (or
/// shared item) it is limited to.
///
/// ```
/// use box_tokens::Downscope;
///
/// let preview_only = Downscope::new(["item_preview"])
///     .resource("https://api.box.com/2.0/files/123456");
/// # let _ = preview_only;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downscope {
    scopes: Vec<String>,
    resource: Option<String>,
    shared_link: Option<String>,
}

impl Downscope {
    /// A token with `scopes`, such as `item_preview` or `item_download`; the token exchanged
    /// must hold them all.
    pub fn new(scopes: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self {
            scopes: scopes.into_iter().map(Into::into).collect(),
            resource: None,
            shared_link: None,
        }
    }

    /// Limits the token to one file or folder, given by its full API URL.
    pub fn resource(mut self, url: impl Into<String>) -> Self {
        self.resource = Some(url.into());
        self
    }

    /// Limits the token to the item behind a shared link, given by the link's full URL.
    pub fn shared_link(mut self, url: impl Into<String>) -> Self {
        self.shared_link = Some(url.into());
        self
    }

    /// The scopes asked for.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }
}

impl TokenClient {
    /// A client for the app with `client_id` and `client_secret`, reaching Box's own servers
    /// with the default timeouts and retries.
    ///
    /// # Panics
    ///
    /// When the TLS backend cannot be initialised, as `reqwest::Client::new` does.
    pub fn new(client_id: impl Into<String>, client_secret: ClientSecret) -> Self {
        Self::builder(client_id, client_secret).build()
    }

    /// A builder for the app with `client_id` and `client_secret`.
    pub fn builder(
        client_id: impl Into<String>,
        client_secret: ClientSecret,
    ) -> TokenClientBuilder {
        TokenClientBuilder {
            api: box_auth::Client::builder(),
            client_id: client_id.into(),
            client_secret,
            retry: RetryPolicy::default(),
            clock: Arc::new(SystemClock),
            sleep: Arc::new(|wait| Box::pin(tokio::time::sleep(wait))),
        }
    }

    /// The app's client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The current time on the clock this client reads.
    pub fn now(&self) -> SystemTime {
        self.clock.now()
    }

    /// Starts the authorization-code flow: the URL of Box's authorization page with a fresh
    /// random `state`. `redirect_uri` may be left out when the app has exactly one configured;
    /// `scope` (space-separated) defaults to the app's configured scopes.
    pub fn authorize(
        &self,
        redirect_uri: Option<&str>,
        scope: Option<&str>,
    ) -> Result<Authorization, RandomError> {
        let state = State::generate()?;
        let mut params = AuthorizeUserParams::builder()
            .client_id(self.client_id.as_str())
            .state(state.as_str());
        if let Some(redirect_uri) = redirect_uri {
            params = params.redirect_uri(redirect_uri);
        }
        if let Some(scope) = scope {
            params = params.scope(scope);
        }
        let url = self.api.authorize_user(&params.build());
        Ok(Authorization { url, state })
    }

    /// Finishes the authorization-code flow: reads the URL Box redirected the browser to,
    /// checks its `state` against `expected` (in constant time) and trades the code for
    /// tokens. The code is sent once: a failed exchange is not retried, because Box accepts
    /// a code only once.
    pub async fn finish_authorization(
        &self,
        redirect_url: &str,
        expected: &State,
    ) -> Result<Tokens, Error> {
        let code = Redirect::parse(redirect_url)?.into_code(expected)?;
        self.exchange_code(&code).await
    }

    /// Trades an authorization code for tokens, sending it once (never retried).
    pub async fn exchange_code(&self, code: &AuthorizationCode) -> Result<Tokens, Error> {
        let body = self
            .token_request(PostOAuth2TokenGrantType::AuthorizationCode)
            .code(code.to_request_field())
            .build();
        self.grant(TokenCall::AuthorizationCode, || Ok(body.clone()))
            .await
    }

    /// Trades a refresh token for a new pair. Retried on failure: within Box's grace window
    /// the same refresh token yields the same new pair again.
    pub async fn refresh(&self, refresh_token: &RefreshToken) -> Result<Tokens, Error> {
        let body = self
            .token_request(PostOAuth2TokenGrantType::RefreshToken)
            .refresh_token(refresh_token.to_request_field())
            .build();
        self.grant(TokenCall::Refresh, || Ok(body.clone())).await
    }

    /// Gets a token for `subject` (the enterprise's service account, or a user) with the
    /// client-credentials grant.
    pub async fn client_credentials(&self, subject: &Subject) -> Result<Tokens, Error> {
        let subject_type = match subject {
            Subject::Enterprise(_) => PostOAuth2TokenBoxSubjectType::Enterprise,
            Subject::User(_) => PostOAuth2TokenBoxSubjectType::User,
        };
        let body = self
            .token_request(PostOAuth2TokenGrantType::ClientCredentials)
            .box_subject_type(subject_type)
            .box_subject_id(subject.id())
            .build();
        self.grant(TokenCall::ClientCredentials, || Ok(body.clone()))
            .await
    }

    /// Gets a token for `subject` with the JWT grant, signing a new assertion (fresh `jti`
    /// and `exp`) for every attempt. When Box refuses an assertion for its `exp` and says
    /// what time it is (its `Date` header), the client sets its idea of Box's clock by it,
    /// for this and every later assertion, and tries once more.
    pub async fn jwt(&self, signer: &JwtSigner, subject: &Subject) -> Result<Tokens, Error> {
        let first = self.jwt_attempts(signer, subject).await;
        let Err(Error::Refused(refusal)) = &first else {
            return first;
        };
        if !self.correct_box_clock(refusal) {
            return first;
        }
        self.jwt_attempts(signer, subject).await
    }

    /// Trades `token` for a downscoped one, limited as `request` says. The new token cannot
    /// be refreshed: exchange again when it expires.
    pub async fn downscope(
        &self,
        token: &AccessToken,
        request: &Downscope,
    ) -> Result<Tokens, Error> {
        let mut body = PostOAuth2Token::builder()
            .grant_type(PostOAuth2TokenGrantType::UrnIetfParamsOauthGrantTypeTokenExchange)
            .subject_token(token.to_request_field())
            .subject_token_type(
                PostOAuth2TokenSubjectTokenType::UrnIetfParamsOauthTokenTypeAccessToken,
            )
            .scope(request.scopes.join(" "));
        if let Some(resource) = &request.resource {
            body = body.resource(resource.as_str());
        }
        if let Some(shared_link) = &request.shared_link {
            body = body.box_shared_link(shared_link.as_str());
        }
        let body = body.build();
        let tokens = self
            .grant(TokenCall::Downscope, || Ok(body.clone()))
            .await?;
        Ok(tokens.with_scopes(request.scopes.clone()))
    }

    /// Revokes `token` (an [`AccessToken`] or a [`RefreshToken`]), ending the session it
    /// belongs to.
    pub async fn revoke<'a>(&self, token: impl Into<RevocableToken<'a>>) -> Result<(), Error> {
        let body = PostOAuth2Revoke::builder()
            .client_id(self.client_id.as_str())
            .client_secret(self.client_secret.to_request_field())
            .token(token.into().to_request_field())
            .build();
        let api = &self.api;
        self.with_retries(TokenCall::Revoke, || {
            let body = body.clone();
            Ok(async move { api.revoke_access_token(&body).await })
        })
        .await?;
        tracing::debug!("token revoked");
        Ok(())
    }

    /// A token request of `grant_type` from this app.
    fn token_request(
        &self,
        grant_type: PostOAuth2TokenGrantType,
    ) -> box_auth::types::PostOAuth2TokenBuilder<PostOAuth2TokenGrantType> {
        PostOAuth2Token::builder()
            .grant_type(grant_type)
            .client_id(self.client_id.as_str())
            .client_secret(self.client_secret.to_request_field())
    }

    /// One JWT grant: attempts, each with a new assertion, as the retry policy allows.
    async fn jwt_attempts(&self, signer: &JwtSigner, subject: &Subject) -> Result<Tokens, Error> {
        self.grant(TokenCall::Jwt, || {
            let assertion = signer.sign(subject, self.box_now())?;
            Ok(self
                .token_request(PostOAuth2TokenGrantType::UrnIetfParamsOauthGrantTypeJwtBearer)
                .assertion(assertion.to_request_field())
                .build())
        })
        .await
    }

    /// The time on Box's clock, as far as this client knows it.
    fn box_now(&self) -> SystemTime {
        let offset = *self
            .box_clock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        offset.apply(self.clock.now())
    }

    /// Sets the offset to Box's clock from a refusal of an assertion's `exp` that says what
    /// time Box had; whether that changed the offset (and so another attempt may succeed).
    fn correct_box_clock(&self, refusal: &Refusal) -> bool {
        let Some(server_date) = refusal.server_date.filter(|_| refusal.is_expiry_refusal()) else {
            return false;
        };
        let offset = ClockOffset::between(server_date, self.clock.now());
        let mut current = self
            .box_clock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if *current == offset {
            return false;
        }
        *current = offset;
        tracing::warn!(
            box_ahead_seconds = offset.ahead.as_secs(),
            box_behind_seconds = offset.behind.as_secs(),
            "Box refused an assertion's `exp`; now signing by Box's clock"
        );
        true
    }

    /// Sends the token request `body` makes (called again for each attempt) and reads the
    /// tokens from the answer.
    async fn grant(
        &self,
        call: TokenCall,
        mut body: impl FnMut() -> Result<PostOAuth2Token, Error>,
    ) -> Result<Tokens, Error> {
        // Taken before the first attempt, so that delays only make the expiry earlier.
        let issued_at = self.clock.now();
        let api = &self.api;
        let answer = self
            .with_retries(call, || {
                let body = body()?;
                Ok(async move { api.request_access_token(&body).await })
            })
            .await?;
        let tokens = tokens_from(call, answer, issued_at)?;
        tracing::debug!(%call, refreshable = tokens.can_refresh(), "tokens issued");
        Ok(tokens)
    }

    /// Runs attempts made by `attempt` until one succeeds or the policy for `call` gives up.
    async fn with_retries<T, F>(
        &self,
        call: TokenCall,
        mut attempt: impl FnMut() -> Result<F, Error>,
    ) -> Result<T, Error>
    where
        F: Future<Output = Result<Response<T>, box_auth::Error<OAuth2Error>>>,
    {
        let policy = match call {
            TokenCall::AuthorizationCode => RetryPolicy::none(),
            _ => self
                .retry
                .clone()
                .retry_server_errors()
                .safe_to_retry(&TOKEN_REQUEST),
        };
        let mut retries = policy.retries(&TOKEN_REQUEST);
        loop {
            let error = match attempt()?.await {
                Ok(response) => return Ok(response.into_inner()),
                Err(error) => error,
            };
            let Some(wait) = retries.after(&error) else {
                return Err(Error::from_request(call, error));
            };
            tracing::debug!(%call, wait_ms = wait.as_millis(), "token request failed; retrying");
            (self.sleep)(wait).await;
        }
    }
}

/// The tokens in Box's answer to `call`, issued at `issued_at`.
fn tokens_from(
    call: TokenCall,
    answer: TokenAnswer,
    issued_at: SystemTime,
) -> Result<Tokens, Error> {
    let access_token = answer
        .access_token
        .filter(|token| !token.expose().is_empty())
        .ok_or(Error::NoAccessToken { call })?;
    let refresh_token = answer
        .refresh_token
        .filter(|token| !token.expose().is_empty())
        .map(RefreshToken::from);
    let tokens = Tokens::from_response(
        AccessToken::from(access_token),
        answer.expires_in,
        refresh_token,
        issued_at,
    );
    let restricted_to = answer.restricted_to.unwrap_or_default();
    Ok(tokens.with_restricted_to(restricted_to.iter().map(Restriction::from).collect()))
}

/// How far Box's clock is from the local one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct ClockOffset {
    ahead: Duration,
    behind: Duration,
}

impl ClockOffset {
    /// The offset when Box reads `server` while the local clock reads `local`.
    fn between(server: SystemTime, local: SystemTime) -> Self {
        match server.duration_since(local) {
            Ok(ahead) => Self {
                ahead,
                behind: Duration::ZERO,
            },
            Err(behind) => Self {
                ahead: Duration::ZERO,
                behind: behind.duration(),
            },
        }
    }

    /// Box's time when the local clock reads `local`.
    fn apply(self, local: SystemTime) -> SystemTime {
        let ahead = local.checked_add(self.ahead).unwrap_or(local);
        ahead.checked_sub(self.behind).unwrap_or(ahead)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_offsets_go_both_ways() {
        let local = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let later = local + Duration::from_secs(90);
        let earlier = local - Duration::from_secs(90);
        assert_eq!(ClockOffset::between(later, local).apply(local), later);
        assert_eq!(ClockOffset::between(earlier, local).apply(local), earlier);
        assert_eq!(ClockOffset::default().apply(local), local);
    }

    #[test]
    fn debug_shows_the_client_id_only() {
        let client = TokenClient::new("the-client-id", ClientSecret::from("the-client-secret"));
        let shown = format!("{client:?}");
        assert!(shown.contains("the-client-id"));
        assert!(!shown.contains("the-client-secret"));
    }

    #[test]
    fn an_authorization_shows_its_page_but_not_the_whole_state() {
        let client = TokenClient::new("the-client-id", ClientSecret::from("the-client-secret"));
        let authorization = client.authorize(None, None).expect("random state");
        let state = authorization.state.as_str().to_owned();
        assert!(authorization.url.as_str().contains(&state));
        let shown = format!("{authorization:?}");
        assert!(
            shown.contains("https://account.box.com/api/oauth2/authorize"),
            "{shown}"
        );
        assert!(!shown.contains(&state), "{shown}");
    }
}
