//! Box sign-in for the clients generated from Box's OpenAPI document: gets tokens by every Box
//! auth method, stores them safely, and keeps them valid.
//!
//! * [`TokenClient`] makes the token requests of one Box app through the generated `box-auth`
//!   client: the authorization-code flow (with a CSPRNG [`State`] checked in constant time),
//!   refresh, client credentials, JWT (from Box's [`AppConfig`], the key decrypted with its
//!   passphrase, a fresh assertion per attempt, and the clock corrected by Box's `Date` when
//!   Box refuses an `exp`), downscoping and revocation, each retried as its grant allows.
//! * [`TokenProvider`] is what every caller asks for a token: it refreshes ahead of expiry,
//!   lets one caller renew while the others wait (across processes through the store's
//!   lock), persists a new pair before handing it out, and renews after a `401` only if the
//!   rejected token is still the current one. As a runtime [`Hook`](clientgen_runtime::Hook),
//!   it makes any generated Box client send a valid bearer token.
//! * [`Tokens`] have absolute expiry times and a versioned JSON form of their own
//!   ([`Tokens::to_json`]); [`TokenStore`] keeps them: [`MemoryStore`] for one process,
//!   [`FileStore`] for processes sharing files (atomic writes, mode 0600, a cross-process
//!   lock).
//! * [`as_user`] makes a call act as another user.
//!
//! ```no_run
//! use box_tokens::{AppConfig, JwtSigner, TokenClient, TokenProvider};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let config = AppConfig::from_json(&std::fs::read_to_string("box_config.json")?)?;
//! let client = TokenClient::new(config.client_id.clone(), config.client_secret.clone());
//! let subject = config.enterprise_subject().ok_or("the app has no enterprise")?;
//! let provider = TokenProvider::jwt(client, JwtSigner::from_config(&config)?, subject).build();
//!
//! // Any client generated from Box's document now authenticates itself.
//! let api = box_auth::Client::builder().hook(provider.clone()).build();
//! # let _ = api;
//! # Ok(())
//! # }
//! ```
//!
//! # Secrets
//!
//! Each kind of credential has its own type ([`ClientSecret`], [`AuthorizationCode`],
//! [`RefreshToken`], [`AccessToken`], [`Assertion`], [`PrivateKeyPem`], [`Passphrase`], and
//! the CSRF [`State`]), so one cannot be passed where another is expected:
//!
//! ```compile_fail
//! # async fn run(client: box_tokens::TokenClient, refresh: box_tokens::RefreshToken) {
//! client.exchange_code(&refresh).await; // a refresh token is not an authorization code
//! # }
//! ```
//!
//! Their `Debug` and `Display` print `<redacted>` and their own memory is wiped on drop. No
//! error type and no `tracing` event of this crate carries a secret value. Copies made to send
//! a secret (a request body, an `Authorization` header) are dropped after the request without
//! being wiped.
//!
//! # Time
//!
//! The clock is a [`Clock`]: the system's by default, a [`ManualClock`] in tests, so that
//! expiry is reached without waiting.

#![deny(missing_docs)]

mod client;
mod clock;
mod config;
mod error;
mod format;
mod hook;
mod jwt;
mod key;
mod provider;
mod random;
mod secret;
mod state;
mod store;
mod tokens;

#[cfg(test)]
mod test_support;

/// The generated client for Box's OAuth 2.0 endpoints this crate builds on: its
/// [`RetryPolicy`](box_auth::RetryPolicy) and [`BaseUrls`](box_auth::BaseUrls) configure a
/// [`TokenClientBuilder`], and its error appears in [`Error::Request`].
pub use box_auth;
pub use client::{Authorization, Downscope, TokenClient, TokenClientBuilder};
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{AppConfig, ConfigError};
pub use error::{Error, Refusal, SignInReason, TokenCall};
pub use format::{FormatError, TOKEN_FORMAT_VERSION};
pub use hook::{as_user, InvalidUserId, AS_USER};
pub use jwt::{
    JwtError, JwtSigner, Subject, BOX_TOKEN_AUDIENCE, DEFAULT_ASSERTION_LIFETIME,
    JWT_BEARER_GRANT_TYPE, MAX_ASSERTION_LIFETIME,
};
pub use key::{KeyError, SigningKey};
pub use provider::{
    TokenProvider, TokenProviderBuilder, DEFAULT_LOCK_WAIT, DEFAULT_REFRESH_JITTER,
    DEFAULT_REFRESH_MARGIN, DEFAULT_RENEWAL_DEADLINE,
};
pub use random::RandomError;
pub use secret::{
    AccessToken, Assertion, AuthorizationCode, ClientSecret, Passphrase, PrivateKeyPem,
    RefreshToken, RevocableToken,
};
pub use state::{Redirect, RedirectError, State};
pub use store::{FileStore, MemoryStore, StoreError, StoreLock, TokenStore};
pub use tokens::{Restriction, Tokens, ACCESS_TOKEN_LIFETIME, REFRESH_TOKEN_LIFETIME};

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_error<E: std::error::Error + Send + Sync + 'static>() {}

    #[test]
    fn every_error_is_send_sync_and_static() {
        assert_error::<Error>();
        assert_error::<FormatError>();
        assert_error::<ConfigError>();
        assert_error::<KeyError>();
        assert_error::<JwtError>();
        assert_error::<RedirectError>();
        assert_error::<StoreError>();
        assert_error::<RandomError>();
    }

    #[test]
    fn errors_convert_into_the_crate_error() {
        let error: Error = KeyError::WrongPassphrase.into();
        assert_eq!(error.to_string(), KeyError::WrongPassphrase.to_string());
    }
}
