//! The Box token layer: gets Box OAuth 2.0 tokens and keeps them valid.
//!
//! This crate holds the parts of Box authentication that do not need an
//! HTTP client, so that the generated API client only has to send the
//! requests:
//!
//! * [`AppConfig`] reads the app config JSON downloaded from the Box
//!   developer console.
//! * [`SigningKey`] decrypts the app's private key (encrypted PKCS#8, as Box
//!   issues it) and [`JwtSigner`] signs the RS256 assertions for the
//!   `urn:ietf:params:oauth:grant-type:jwt-bearer` grant, with a fresh `jti`
//!   and an `exp` at most 60 seconds ahead on every call.
//! * [`State`] and [`Redirect`] cover the browser side of the
//!   authorization-code flow: an unguessable CSRF `state`, and reading the
//!   `code` (or Box's error) from the redirect URL, checking the state in
//!   constant time.
//! * [`Tokens`] is what Box returns, with absolute expiry times, and
//!   [`TokenStore`] keeps it: [`MemoryStore`] for one process,
//!   [`FileStore`] for files shared between processes, written atomically
//!   and locked across processes.
//!
//! # Keeping tokens valid
//!
//! Box access tokens last 60 minutes. Refresh tokens last 60 days and are
//! single-use: each refresh returns a new pair and retires the old refresh
//! token. Two processes refreshing at once would therefore break each
//! other, so a caller should:
//!
//! 1. take [`TokenStore::lock`] for the subject;
//! 2. [`TokenStore::load`] the tokens again (another holder may have just
//!    refreshed them);
//! 3. if [`Tokens::expires_within`] a safety margin, refresh (or sign a new
//!    assertion with [`JwtSigner::sign`]) and [`TokenStore::save`] the result
//!    built with [`Tokens::from_response`];
//! 4. drop the lock.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use box_tokens::{MemoryStore, Secret, TokenStore, Tokens};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), box_tokens::Error> {
//! let store = MemoryStore::new();
//! let subject = "user:42";
//! let now = SystemTime::now();
//!
//! let guard = store.lock(subject).await?;
//! let current = store.load(subject).await?;
//! let stale = current
//!     .as_ref()
//!     .is_none_or(|tokens| tokens.expires_within(Duration::from_secs(300), now));
//! if stale {
//!     // Here the HTTP client would call Box's token endpoint; these values
//!     // stand in for its response.
//!     let fresh = Tokens::from_response(
//!         Secret::from("new-access-token"),
//!         Some(3600),
//!         Some(Secret::from("new-refresh-token")),
//!         now,
//!     );
//!     store.save(subject, &fresh).await?;
//! }
//! drop(guard);
//! # Ok(())
//! # }
//! ```
//!
//! # Secrets
//!
//! Every credential is a [`Secret`], whose `Debug` and `Display` print
//! `<redacted>` and whose memory is wiped on drop. No error type and no
//! `tracing` event of this crate carries a secret value.
//!
//! # Time
//!
//! Functions that depend on the clock take the current time as an argument,
//! so callers and tests control it.

#![deny(missing_docs)]

mod config;
mod jwt;
mod key;
mod random;
mod secret;
mod state;
mod store;
mod tokens;

#[cfg(test)]
mod test_support;

pub use config::{AppConfig, ConfigError};
pub use jwt::{
    JwtError, JwtSigner, JwtSubject, BOX_TOKEN_AUDIENCE, DEFAULT_ASSERTION_LIFETIME,
    JWT_BEARER_GRANT_TYPE, MAX_ASSERTION_LIFETIME,
};
pub use key::{KeyError, SigningKey};
pub use random::RandomError;
pub use secret::Secret;
pub use state::{Redirect, RedirectError, State};
pub use store::{FileStore, MemoryStore, StoreError, StoreLock, TokenStore};
pub use tokens::{Tokens, ACCESS_TOKEN_LIFETIME, REFRESH_TOKEN_LIFETIME};

/// Any error of this crate, for callers that do not need to tell the
/// modules apart. Like its parts, it never holds a secret.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The app config could not be read.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The private key could not be loaded.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// An assertion could not be signed.
    #[error(transparent)]
    Jwt(#[from] JwtError),
    /// The authorization redirect was refused or malformed.
    #[error(transparent)]
    Redirect(#[from] RedirectError),
    /// The token store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The operating system's random source failed.
    #[error(transparent)]
    Random(#[from] RandomError),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_error<E: std::error::Error + Send + Sync + 'static>() {}

    #[test]
    fn every_error_is_send_sync_and_static() {
        assert_error::<Error>();
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
