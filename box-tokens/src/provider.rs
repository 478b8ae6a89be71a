//! [`TokenProvider`]: the one place every caller asks for a valid token. It refreshes ahead of
//! expiry, lets one caller renew while the others wait (single flight, across processes
//! through the store's lock, both waits bounded), persists a new pair before handing it out
//! (holding it in memory until the store takes it), and recovers from a token Box rejects.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use crate::client::{Downscope, TokenClient};
use crate::error::{Error, Refusal, SignInReason};
use crate::jwt::{JwtSigner, Subject};
use crate::random::random_below;
use crate::secret::{AccessToken, RefreshToken, RevocableToken};
use crate::state::State;
use crate::store::{MemoryStore, StoreError, StoreLock, TokenStore};
use crate::tokens::Tokens;

mod unsaved;

use unsaved::{Replaces, Unsaved};

/// How long before expiry a token is renewed, unless set otherwise.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);
/// The most that is added at random to the margin, unless set otherwise, so that processes
/// sharing a token do not all renew at the same moment.
pub const DEFAULT_REFRESH_JITTER: Duration = Duration::from_secs(60);
/// How long a caller waits for the store's lock, unless set otherwise: long enough for
/// another process's usual renewal, short enough that a stalled one does not stall the rest.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(30);
/// How long getting new tokens from Box may take, retries and their waits included, unless
/// set otherwise; the store's lock is held meanwhile.
pub const DEFAULT_RENEWAL_DEADLINE: Duration = Duration::from_secs(120);

/// How long a token that could not be renewed ahead of its expiry is handed out before the
/// next attempt, so that an outage costs one attempt per interval, not one per call.
const RENEWAL_RETRY_INTERVAL: Duration = Duration::from_secs(30);

/// A `401` for a token younger than this is not answered by renewing it: Box rejecting a
/// token it just issued says the app or user lost access, which a new token does not mend.
const FRESH_TOKEN_AGE: Duration = Duration::from_secs(30);

/// The pause after a first failed save of new tokens; it doubles with each further failure,
/// up to [`RENEWAL_RETRY_INTERVAL`].
const FIRST_SAVE_RETRY: Duration = Duration::from_secs(1);

/// Hands out valid access tokens for one Box identity, getting new ones the way that identity
/// gets them: a user's refresh token (after the authorization-code flow), the client
/// credentials grant, the JWT grant, or a fixed developer token.
///
/// - **Ahead of expiry.** A token is renewed once it is within the refresh margin of its
///   expiry (5 minutes, plus up to a minute at random), never in the first half of its life.
/// - **Single flight.** However many tasks ask at once, one renews and the others wait for
///   its result; across processes, the store's lock does the same, and the store is read
///   again under it, so a pair another process just stored is used, not refreshed again.
///   That matters because Box's refresh tokens are single-use.
/// - **Bounded waits.** The store's lock is waited for at most [`DEFAULT_LOCK_WAIT`] (see
///   [`TokenProviderBuilder::lock_wait`]); when it stays taken, the store is read anyway and
///   a pair another process stored meanwhile is used, else the current token while it lasts,
///   else the caller gets the retryable [`Error::StoreBusy`]. Getting new tokens from Box
///   has a deadline too ([`DEFAULT_RENEWAL_DEADLINE`], [`Error::RenewalTimedOut`]).
/// - **Persisted first, never lost.** A new pair is saved to the store before anyone gets
///   it. When the save fails, the pair is held in memory and saved on a later call (after a
///   pause that doubles from a second up to 30); meanwhile the current token is handed out
///   while it lasts, else callers get the retryable [`Error::NotPersisted`]. Box is not asked
///   again, and only Box refusing a refresh token ends a session.
/// - **Outages.** When renewal ahead of expiry fails, the current token is handed out while it
///   lasts, and renewal is tried again 30 seconds later; callers that waited on a renewal
///   that failed get [`Error::RenewalFailed`] rather than each trying again.
/// - **Rejections.** After a `401`, the token is renewed only if the rejected one is still
///   the current one and not brand new; a refresh token Box refuses (`invalid_grant`) makes
///   the provider read the store again before it gives up, in case another process rotated
///   the pair, and is not sent again.
///
/// As a [`Hook`](clientgen_runtime::Hook) on any client generated from Box's document, it
/// sends the bearer token with every request and, after a `401`, renews and has the request
/// sent once more. Cloning is cheap; clones share the token.
pub struct TokenProvider<S = MemoryStore> {
    inner: Arc<Inner<S>>,
}

impl<S> Clone for TokenProvider<S> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

struct Inner<S> {
    client: TokenClient,
    source: Source,
    store: S,
    key: String,
    renewal: Renewal,
    limits: Limits,
    cached: Mutex<Option<Current>>,
    /// Single flight: held by the one caller renewing, and guarding the pair Box issued that
    /// the store has not taken yet.
    flight: tokio::sync::Mutex<Option<Unsaved>>,
    /// How many renewals have failed: a caller that waited on the flight sees whether the
    /// renewal it waited for failed.
    failures: AtomicU64,
    /// The refresh token Box last refused, never sent again.
    refused: Mutex<Option<RefreshToken>>,
}

/// Where new tokens come from.
enum Source {
    /// The user's refresh token, kept in the store.
    User,
    ClientCredentials(Subject),
    Jwt(JwtSigner, Subject),
    Developer(AccessToken),
}

impl Source {
    fn name(&self) -> &'static str {
        match self {
            Source::User => "user",
            Source::ClientCredentials(_) => "client_credentials",
            Source::Jwt(..) => "jwt",
            Source::Developer(_) => "developer_token",
        }
    }
}

/// When tokens are renewed ahead of their expiry.
#[derive(Debug, Clone, Copy)]
struct Renewal {
    margin: Duration,
    jitter: Duration,
}

impl Renewal {
    /// When `tokens` should be renewed, with a random jitter.
    fn renew_at(self, tokens: &Tokens) -> SystemTime {
        let jitter = random_below(self.jitter).unwrap_or_default();
        self.renew_at_with(tokens, jitter)
    }

    /// When `tokens` should be renewed: `margin + jitter` before expiry, but not in the first
    /// half of their life, so that a short-lived token is not renewed on every call, and
    /// never after expiry.
    fn renew_at_with(self, tokens: &Tokens, jitter: Duration) -> SystemTime {
        let early = tokens
            .expires_at
            .checked_sub(self.margin.saturating_add(jitter))
            .unwrap_or(tokens.issued_at);
        let half_life = tokens
            .expires_at
            .duration_since(tokens.issued_at)
            .unwrap_or_default()
            / 2;
        early
            .max(tokens.issued_at + half_life)
            .min(tokens.expires_at)
    }
}

/// How long the provider waits for others.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// For the store's lock.
    lock_wait: Duration,
    /// For Box to issue new tokens, retries included.
    renewal_deadline: Duration,
}

/// The tokens in use, and when to renew them.
struct Current {
    tokens: Tokens,
    renew_at: SystemTime,
}

impl Current {
    /// Whether the access token may be handed out at `now`: not due for renewal, and not the
    /// one the server just `rejected`.
    fn usable(&self, now: SystemTime, rejected: Option<&AccessToken>) -> bool {
        now < self.renew_at && rejected != Some(&self.tokens.access_token)
    }

    /// Whether the access token has not expired at `now`, and is not the one `rejected`.
    fn unexpired(&self, now: SystemTime, rejected: Option<&AccessToken>) -> bool {
        now < self.tokens.expires_at && rejected != Some(&self.tokens.access_token)
    }
}

/// Sets up a [`TokenProvider`]: its store, when it renews and how long it waits.
#[must_use = "a builder does nothing until `build` is called"]
pub struct TokenProviderBuilder<S = MemoryStore> {
    client: TokenClient,
    source: Source,
    key: String,
    store: S,
    renewal: Renewal,
    limits: Limits,
}

impl<S: TokenStore> TokenProviderBuilder<S> {
    /// Keeps the tokens in `store` (a [`FileStore`](crate::FileStore) shared by processes,
    /// say) instead of in memory.
    pub fn store<T: TokenStore>(self, store: T) -> TokenProviderBuilder<T> {
        TokenProviderBuilder {
            client: self.client,
            source: self.source,
            key: self.key,
            store,
            renewal: self.renewal,
            limits: self.limits,
        }
    }

    /// Renews a token `margin` before it expires, plus a random part of up to `jitter`.
    pub fn refresh_ahead(mut self, margin: Duration, jitter: Duration) -> Self {
        self.renewal = Renewal { margin, jitter };
        self
    }

    /// Waits at most `wait` for the store's lock ([`DEFAULT_LOCK_WAIT`] unless set).
    pub fn lock_wait(mut self, wait: Duration) -> Self {
        self.limits.lock_wait = wait;
        self
    }

    /// Gives Box at most `deadline` to issue new tokens, retries and their waits included
    /// ([`DEFAULT_RENEWAL_DEADLINE`] unless set).
    pub fn renewal_deadline(mut self, deadline: Duration) -> Self {
        self.limits.renewal_deadline = deadline;
        self
    }

    /// The provider.
    pub fn build(self) -> TokenProvider<S> {
        TokenProvider {
            inner: Arc::new(Inner {
                client: self.client,
                source: self.source,
                store: self.store,
                key: self.key,
                renewal: self.renewal,
                limits: self.limits,
                cached: Mutex::new(None),
                flight: tokio::sync::Mutex::new(None),
                failures: AtomicU64::new(0),
                refused: Mutex::new(None),
            }),
        }
    }
}

impl TokenProvider {
    /// A provider for a user who signs in through the authorization-code flow; `user` names
    /// them in the store (your own user id, say). Sign them in with
    /// [`TokenProvider::finish_authorization`]; after that, their refresh token keeps the
    /// provider going for up to 60 days of disuse.
    pub fn user(client: TokenClient, user: impl Into<String>) -> TokenProviderBuilder {
        let key = format!("{}/oauth-user:{}", client.client_id(), user.into());
        Self::builder(client, Source::User, key)
    }

    /// A provider for `subject` (the enterprise's service account or a user) through the
    /// client-credentials grant.
    pub fn client_credentials(client: TokenClient, subject: Subject) -> TokenProviderBuilder {
        let key = format!("{}/{}", client.client_id(), subject.store_key());
        Self::builder(client, Source::ClientCredentials(subject), key)
    }

    /// A provider for `subject` through the JWT grant, signing assertions with `signer`.
    pub fn jwt(client: TokenClient, signer: JwtSigner, subject: Subject) -> TokenProviderBuilder {
        let key = format!("{}/{}", client.client_id(), subject.store_key());
        Self::builder(client, Source::Jwt(signer, subject), key)
    }

    /// A provider that always hands out the developer token `token` from the developer
    /// console (for trying things out: it lasts 60 minutes and cannot be renewed). `client`
    /// serves downscoping.
    pub fn developer_token(client: TokenClient, token: AccessToken) -> TokenProviderBuilder {
        let key = format!("{}/developer-token", client.client_id());
        Self::builder(client, Source::Developer(token), key)
    }

    fn builder(client: TokenClient, source: Source, key: String) -> TokenProviderBuilder {
        TokenProviderBuilder {
            client,
            source,
            key,
            store: MemoryStore::new(),
            renewal: Renewal {
                margin: DEFAULT_REFRESH_MARGIN,
                jitter: DEFAULT_REFRESH_JITTER,
            },
            limits: Limits {
                lock_wait: DEFAULT_LOCK_WAIT,
                renewal_deadline: DEFAULT_RENEWAL_DEADLINE,
            },
        }
    }
}

impl<S: TokenStore> TokenProvider<S> {
    /// The key the tokens are stored under: the app's client id and the identity.
    pub fn store_key(&self) -> &str {
        &self.inner.key
    }

    /// The store the tokens are kept in.
    pub fn store(&self) -> &S {
        &self.inner.store
    }

    /// The token client the provider renews through.
    pub fn client(&self) -> &TokenClient {
        &self.inner.client
    }

    /// A valid access token: the current one, or a new one when it is due for renewal.
    pub async fn token(&self) -> Result<AccessToken, Error> {
        if let Source::Developer(token) = &self.inner.source {
            return Ok(token.clone());
        }
        match self.current_token(None) {
            Some(token) => Ok(token),
            None => self.renew(None).await,
        }
    }

    /// Box rejected `rejected` (a `401`): renews it if it is still the current token; whether
    /// a different token is now available to try. A developer token is never renewed, nor a
    /// token issued less than 30 seconds ago (Box rejecting a token it just issued says the
    /// app or user lost access, which another token would not change).
    pub async fn token_rejected(&self, rejected: &AccessToken) -> Result<bool, Error> {
        if let Source::Developer(_) = &self.inner.source {
            return Ok(false);
        }
        if self.is_fresh(rejected) {
            tracing::warn!(key = %self.inner.key, "Box rejected an access token it just issued");
            return Ok(false);
        }
        tracing::debug!(key = %self.inner.key, "access token rejected");
        self.renew(Some(rejected)).await?;
        Ok(true)
    }

    /// Whether `token` is the current access token and was issued moments ago.
    fn is_fresh(&self, token: &AccessToken) -> bool {
        let now = self.inner.client.now();
        let cached = self.cached();
        cached.as_ref().is_some_and(|current| {
            current.tokens.access_token == *token
                && now
                    .duration_since(current.tokens.issued_at)
                    .is_ok_and(|age| age < FRESH_TOKEN_AGE)
        })
    }

    /// Finishes the authorization-code flow for this provider's user: checks the redirect's
    /// `state` against `expected`, trades the code for tokens and stores them.
    pub async fn finish_authorization(
        &self,
        redirect_url: &str,
        expected: &State,
    ) -> Result<(), Error> {
        let tokens = self
            .inner
            .client
            .finish_authorization(redirect_url, expected)
            .await?;
        self.set_tokens(tokens).await
    }

    /// Makes `tokens` the current ones, stored (tokens from an authorization code exchanged
    /// elsewhere, say). When the store cannot take them (it fails, or its lock stays taken),
    /// they are held in memory and saved on a later call; the error says why.
    pub async fn set_tokens(&self, tokens: Tokens) -> Result<(), Error> {
        let inner = &*self.inner;
        let mut unsaved = inner.flight.lock().await;
        *lock(&inner.refused) = None;
        let pending = Unsaved::new(tokens, Replaces::Anything);
        let _lock = match self.lock_store().await {
            Ok(lock) => lock,
            Err(error) => {
                *unsaved = Some(pending);
                return Err(error);
            }
        };
        self.save_pending(&mut unsaved, pending).await.map(drop)
    }

    /// A token limited as `request` says, exchanged from the current token. It is not stored
    /// and cannot be refreshed: ask again when it expires.
    pub async fn downscope(&self, request: &Downscope) -> Result<Tokens, Error> {
        let token = self.token().await?;
        self.inner.client.downscope(&token, request).await
    }

    /// Signs out: revokes the newest tokens at Box, then removes them from the store (even
    /// when Box cannot be reached, the tokens are no longer used here; the error still says
    /// so). A developer token is revoked in the developer console instead.
    pub async fn revoke(&self) -> Result<(), Error> {
        let inner = &*self.inner;
        if let Source::Developer(_) = &inner.source {
            return Err(Error::DeveloperToken);
        }
        let mut unsaved = inner.flight.lock().await;
        // Whatever happens next, the tokens are no longer handed out here.
        *self.cached() = None;
        let _lock = self.lock_store().await?;
        let stored = inner.store.load(&inner.key).await?;
        let newest = unsaved.take().map(|pending| pending.tokens).or(stored);
        let revoked = match &newest {
            // Revoking either token of a pair ends the session; the refresh token lives longer.
            Some(tokens) => {
                let token = match &tokens.refresh_token {
                    Some(refresh_token) => RevocableToken::from(refresh_token),
                    None => RevocableToken::from(&tokens.access_token),
                };
                inner.client.revoke(token).await
            }
            None => Ok(()),
        };
        inner.store.clear(&inner.key).await?;
        tracing::info!(key = %inner.key, "tokens revoked and cleared");
        revoked
    }

    /// The current access token, when it may be handed out now.
    fn current_token(&self, rejected: Option<&AccessToken>) -> Option<AccessToken> {
        let now = self.inner.client.now();
        let cached = self.cached();
        let current = cached
            .as_ref()
            .filter(|current| current.usable(now, rejected))?;
        Some(current.tokens.access_token.clone())
    }

    /// Gets a usable token, one caller at a time: another caller may have renewed while this
    /// one waited (here or, through the store, in another process), or failed to.
    async fn renew(&self, rejected: Option<&AccessToken>) -> Result<AccessToken, Error> {
        let inner = &*self.inner;
        let failures = inner.failures.load(Ordering::Acquire);
        let mut unsaved = inner.flight.lock().await;
        if let Some(token) = self.current_token(rejected) {
            return Ok(token);
        }
        if inner.failures.load(Ordering::Acquire) != failures {
            return Err(Error::RenewalFailed {
                key: inner.key.clone(),
            });
        }
        let renewed = self.renew_in_flight(&mut unsaved, rejected).await;
        renewed.or_else(|error| self.still_valid(rejected).ok_or(error))
    }

    /// Renews while holding the flight: saves a pending pair, or uses what the store holds,
    /// or gets new tokens from the source and saves them.
    async fn renew_in_flight(
        &self,
        unsaved: &mut Option<Unsaved>,
        rejected: Option<&AccessToken>,
    ) -> Result<AccessToken, Error> {
        let inner = &*self.inner;
        let now = inner.client.now();
        if unsaved
            .as_ref()
            .is_some_and(|pending| !pending.save_due(now))
        {
            return Err(self.not_persisted(None));
        }
        let _lock = match self.lock_store().await {
            Err(busy @ Error::StoreBusy { .. }) => {
                return self.read_without_lock(busy, rejected).await
            }
            lock => lock?,
        };
        let stored = inner.store.load(&inner.key).await?;
        self.renew_under_lock(unsaved, stored, rejected).await
    }

    /// Under the store's lock, with `stored` just read from it: saves the pending pair unless
    /// another process stored a newer one, else uses `stored` when it may be handed out, else
    /// gets new tokens and saves them.
    async fn renew_under_lock(
        &self,
        unsaved: &mut Option<Unsaved>,
        stored: Option<Tokens>,
        rejected: Option<&AccessToken>,
    ) -> Result<AccessToken, Error> {
        let inner = &*self.inner;
        if let Some(pending) = unsaved.take_if(|pending| pending.may_replace(stored.as_ref())) {
            return self.save_pending(unsaved, pending).await;
        }
        if unsaved.take().is_some() {
            tracing::info!(
                key = %inner.key,
                "newer tokens were stored; the unsaved ones are dropped"
            );
        }
        if let Some(token) = stored
            .clone()
            .and_then(|tokens| self.remember(tokens, rejected))
        {
            return Ok(token);
        }
        let replaces = Replaces::Stored(stored.as_ref().map(|tokens| tokens.access_token.clone()));
        let tokens = self.obtain_in_time(stored).await.inspect_err(|_| {
            inner.failures.fetch_add(1, Ordering::AcqRel);
        })?;
        self.save_pending(unsaved, Unsaved::new(tokens, replaces))
            .await
    }

    /// Takes the store's lock, waiting at most the provider's lock wait.
    async fn lock_store(&self) -> Result<StoreLock, Error> {
        let inner = &*self.inner;
        let wait = inner.limits.lock_wait;
        match tokio::time::timeout(wait, inner.store.lock(&inner.key)).await {
            Ok(lock) => Ok(lock?),
            Err(_elapsed) => {
                tracing::warn!(
                    key = %inner.key,
                    wait_ms = wait.as_millis(),
                    "the token lock stayed taken"
                );
                Err(Error::StoreBusy {
                    key: inner.key.clone(),
                    waited: wait,
                })
            }
        }
    }

    /// The lock stayed taken (`busy`): a usable pair another process stored meanwhile, or
    /// the error (the caller falls back on the current token while it lasts).
    async fn read_without_lock(
        &self,
        busy: Error,
        rejected: Option<&AccessToken>,
    ) -> Result<AccessToken, Error> {
        let inner = &*self.inner;
        let stored = inner.store.load(&inner.key).await?;
        if let Some(token) = stored.and_then(|tokens| self.remember(tokens, rejected)) {
            return Ok(token);
        }
        inner.failures.fetch_add(1, Ordering::AcqRel);
        Err(busy)
    }

    /// Saves `pending`, under the store's lock; once saved, it is the current pair. When the
    /// save fails, it is kept in `slot` for a later attempt and the error says so.
    async fn save_pending(
        &self,
        slot: &mut Option<Unsaved>,
        mut pending: Unsaved,
    ) -> Result<AccessToken, Error> {
        let inner = &*self.inner;
        match inner.store.save(&inner.key, &pending.tokens).await {
            Ok(()) => {
                let token = pending.tokens.access_token.clone();
                self.remember(pending.tokens, None);
                Ok(token)
            }
            Err(error) => {
                pending.save_failed(inner.client.now(), FIRST_SAVE_RETRY, RENEWAL_RETRY_INTERVAL);
                tracing::warn!(
                    key = %inner.key,
                    failed_saves = pending.failed_saves(),
                    %error,
                    "saving new tokens failed; they are held in memory"
                );
                *slot = Some(pending);
                Err(self.not_persisted(Some(error)))
            }
        }
    }

    /// The error for new tokens held in memory; `source` is why the last save failed, when
    /// this call tried.
    fn not_persisted(&self, source: Option<StoreError>) -> Error {
        Error::NotPersisted {
            key: self.inner.key.clone(),
            source,
        }
    }

    /// After a renewal failed: the current access token when it has not expired (and is not
    /// the one `rejected`), handed out until the next attempt, a while later.
    fn still_valid(&self, rejected: Option<&AccessToken>) -> Option<AccessToken> {
        let now = self.inner.client.now();
        let mut cached = self.cached();
        let current = cached
            .as_mut()
            .filter(|current| current.unexpired(now, rejected))?;
        current.renew_at = (now + RENEWAL_RETRY_INTERVAL).min(current.tokens.expires_at);
        tracing::warn!(
            key = %self.inner.key,
            "renewal failed; the current token is used until it is tried again"
        );
        Some(current.tokens.access_token.clone())
    }

    /// New tokens from the source, within the renewal deadline; `stored` are the tokens in
    /// the store now.
    async fn obtain_in_time(&self, stored: Option<Tokens>) -> Result<Tokens, Error> {
        let inner = &*self.inner;
        let deadline = inner.limits.renewal_deadline;
        let tokens = tokio::time::timeout(deadline, self.obtain(stored))
            .await
            .unwrap_or_else(|_elapsed| {
                Err(Error::RenewalTimedOut {
                    key: inner.key.clone(),
                    deadline,
                })
            })?;
        tracing::info!(
            key = %inner.key,
            source = inner.source.name(),
            lifetime_seconds = tokens
                .expires_at
                .duration_since(tokens.issued_at)
                .unwrap_or_default()
                .as_secs(),
            "tokens renewed"
        );
        Ok(tokens)
    }

    /// New tokens from the source; `stored` are the tokens in the store now.
    async fn obtain(&self, stored: Option<Tokens>) -> Result<Tokens, Error> {
        let client = &self.inner.client;
        match &self.inner.source {
            Source::User => self.refresh_user(stored).await,
            Source::ClientCredentials(subject) => client.client_credentials(subject).await,
            Source::Jwt(signer, subject) => client.jwt(signer, subject).await,
            Source::Developer(_) => Err(Error::DeveloperToken),
        }
    }

    /// Refreshes the user's tokens. When Box refuses the refresh token, another process may
    /// have used it without this store's lock and stored the next pair: the store is read
    /// once more before giving up.
    async fn refresh_user(&self, stored: Option<Tokens>) -> Result<Tokens, Error> {
        let inner = &*self.inner;
        let refresh_token = self.refresh_token_of(stored.as_ref())?;
        let refused = match inner.client.refresh(&refresh_token).await {
            Err(error) if error.refusal().is_some_and(Refusal::is_invalid_grant) => error,
            done => return done,
        };
        let reread = inner.store.load(&inner.key).await?;
        let newer = reread.filter(|tokens| tokens.refresh_token.as_ref() != Some(&refresh_token));
        let Some(newer) = newer else {
            return Err(self.refused(refresh_token, refused));
        };
        if newer.expires_at > inner.client.now() {
            return Ok(newer);
        }
        let rotated = self.refresh_token_of(Some(&newer))?;
        inner.client.refresh(&rotated).await.map_err(|error| {
            match error.refusal().is_some_and(Refusal::is_invalid_grant) {
                true => self.refused(rotated.clone(), error),
                false => error,
            }
        })
    }

    /// Box refused `refresh_token` (`error`): it is remembered, so that it is not sent again,
    /// and the user must sign in.
    fn refused(&self, refresh_token: RefreshToken, error: Error) -> Error {
        tracing::warn!(key = %self.inner.key, "Box refused the refresh token");
        *lock(&self.inner.refused) = Some(refresh_token);
        self.sign_in_required(SignInReason::RefreshTokenRefused, Some(error))
    }

    /// The refresh token of `tokens`, when there is one that has not aged out.
    fn refresh_token_of(&self, tokens: Option<&Tokens>) -> Result<RefreshToken, Error> {
        let Some(tokens) = tokens else {
            return Err(self.sign_in_required(SignInReason::NoTokens, None));
        };
        let Some(refresh_token) = &tokens.refresh_token else {
            return Err(self.sign_in_required(SignInReason::NoRefreshToken, None));
        };
        if lock(&self.inner.refused).as_ref() == Some(refresh_token) {
            return Err(self.sign_in_required(SignInReason::RefreshTokenRefused, None));
        }
        let aged_out = tokens
            .refresh_expires_at()
            .is_some_and(|end| end <= self.inner.client.now());
        if aged_out {
            return Err(self.sign_in_required(SignInReason::RefreshTokenExpired, None));
        }
        Ok(refresh_token.clone())
    }

    fn sign_in_required(&self, reason: SignInReason, source: Option<Error>) -> Error {
        let refusal = match source {
            Some(Error::Refused(refusal)) => Some(*refusal),
            _ => None,
        };
        Error::SignInRequired {
            key: self.inner.key.clone(),
            reason,
            refusal,
        }
    }

    /// Makes `tokens` the current ones in memory; their access token, when it may be handed
    /// out now.
    fn remember(&self, tokens: Tokens, rejected: Option<&AccessToken>) -> Option<AccessToken> {
        let current = Current {
            renew_at: self.inner.renewal.renew_at(&tokens),
            tokens,
        };
        let now = self.inner.client.now();
        let usable = current.usable(now, rejected);
        let token = usable.then(|| current.tokens.access_token.clone());
        *self.cached() = Some(current);
        token
    }

    fn cached(&self) -> std::sync::MutexGuard<'_, Option<Current>> {
        lock(&self.inner.cached)
    }
}

/// Locks `mutex`, whose value stays consistent even if a holder panicked (each is replaced
/// whole).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Shows the store key and the kind of source, never a token.
impl<S> std::fmt::Debug for TokenProviderBuilder<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenProviderBuilder")
            .field("key", &self.key)
            .field("source", &self.source.name())
            .field("renewal", &self.renewal)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// Shows the store key and the kind of source, never a token.
impl<S> std::fmt::Debug for TokenProvider<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenProvider")
            .field("key", &self.inner.key)
            .field("source", &self.inner.source.name())
            .field("renewal", &self.inner.renewal)
            .field("limits", &self.inner.limits)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);
    const MINUTE: Duration = Duration::from_secs(60);

    fn tokens(issued_at: SystemTime, expires_at: SystemTime) -> Tokens {
        let mut tokens = Tokens::from_response(
            AccessToken::from("access"),
            Some(0),
            None,
            SystemTime::UNIX_EPOCH,
        );
        (tokens.issued_at, tokens.expires_at) = (issued_at, expires_at);
        tokens
    }

    fn renewal(margin: Duration) -> Renewal {
        Renewal {
            margin,
            jitter: MINUTE,
        }
    }

    #[test]
    fn jitter_moves_renewal_earlier_than_the_margin_alone() {
        let start = SystemTime::UNIX_EPOCH + HOUR;
        let hour_long = tokens(start, start + HOUR);
        let margin = 5 * MINUTE;
        let at = |jitter| renewal(margin).renew_at_with(&hour_long, jitter);
        assert_eq!(at(Duration::ZERO), start + 55 * MINUTE);
        assert_eq!(
            at(Duration::from_secs(30)),
            start + 54 * MINUTE + Duration::from_secs(30)
        );
        assert_eq!(at(MINUTE), start + 54 * MINUTE);
    }

    #[test]
    fn renewal_is_never_in_the_first_half_of_a_life_nor_after_its_end() {
        let start = SystemTime::UNIX_EPOCH + HOUR;
        let short = tokens(start, start + 4 * MINUTE);
        assert_eq!(
            renewal(5 * MINUTE).renew_at_with(&short, MINUTE),
            start + 2 * MINUTE
        );
        // Expiry before issue (fields set by hand or read from a store): renew at expiry.
        let backwards = tokens(start, start - MINUTE);
        assert_eq!(
            renewal(5 * MINUTE).renew_at_with(&backwards, MINUTE),
            start - MINUTE
        );
    }

    #[test]
    fn a_huge_margin_does_not_overflow() {
        let start = SystemTime::UNIX_EPOCH + HOUR;
        let hour_long = tokens(start, start + HOUR);
        let at = renewal(Duration::MAX).renew_at_with(&hour_long, Duration::MAX);
        assert_eq!(at, start + 30 * MINUTE);
    }
}
