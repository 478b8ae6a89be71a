//! [`Error`], every failure of the crate in one shape, and [`Refusal`], Box's own reason when
//! it refused a token request.

use std::fmt;
use std::time::{Duration, SystemTime};

use box_auth::types::OAuth2Error;
use clientgen_runtime::reqwest::header::DATE;
use clientgen_runtime::reqwest::StatusCode;
use clientgen_runtime::ApiErrorBody;

use crate::config::ConfigError;
use crate::hook::InvalidUserId;
use crate::jwt::JwtError;
use crate::key::KeyError;
use crate::random::RandomError;
use crate::state::RedirectError;
use crate::store::StoreError;

/// Which request to Box's OAuth 2.0 endpoints an error comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenCall {
    /// Trading an authorization code for tokens.
    AuthorizationCode,
    /// Trading a refresh token for a new pair.
    Refresh,
    /// The client-credentials grant.
    ClientCredentials,
    /// The JWT bearer grant.
    Jwt,
    /// Trading a token for a downscoped one.
    Downscope,
    /// Revoking a token.
    Revoke,
}

impl fmt::Display for TokenCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenCall::AuthorizationCode => "authorization code exchange",
            TokenCall::Refresh => "token refresh",
            TokenCall::ClientCredentials => "client credentials grant",
            TokenCall::Jwt => "JWT grant",
            TokenCall::Downscope => "token downscoping",
            TokenCall::Revoke => "token revocation",
        })
    }
}

/// Box answered a token request with an error status.
///
/// Holds what Box said (`error`, `error_description`), which names the problem without
/// repeating any credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The request Box refused.
    pub call: TokenCall,
    /// The status of Box's answer.
    pub status: StatusCode,
    /// Box's OAuth 2.0 error code, such as `invalid_grant`, when the body held one.
    pub error: Option<String>,
    /// Box's explanation, when it gave one.
    pub description: Option<String>,
    /// The time on Box's clock when it answered (its `Date` header).
    pub server_date: Option<SystemTime>,
}

impl Refusal {
    /// The refusal an error status of a token request amounts to.
    pub(crate) fn new(call: TokenCall, api: &clientgen_runtime::ApiError<OAuth2Error>) -> Self {
        let (error, description) = match &api.body {
            ApiErrorBody::Parsed(body) => (body.error.clone(), body.error_description.clone()),
            _ => (None, None),
        };
        let server_date = api
            .headers
            .get(DATE)
            .and_then(|date| httpdate::parse_http_date(date.to_str().ok()?).ok());
        Self {
            call,
            status: api.status,
            error,
            description,
            server_date,
        }
    }

    /// Whether Box refused the grant itself (`invalid_grant`): the refresh token was used up
    /// or revoked, the code was used, or the assertion was not accepted.
    pub fn is_invalid_grant(&self) -> bool {
        self.error.as_deref() == Some("invalid_grant")
    }

    /// Whether Box refused a JWT assertion for its `exp` claim, which happens when the local
    /// clock is off from Box's: the description names the claim (`'exp'`) as a word of its
    /// own, not inside another (`unexpected`, `expired`).
    pub fn is_expiry_refusal(&self) -> bool {
        let description = self.description.as_deref().unwrap_or_default();
        self.is_invalid_grant()
            && description
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|word| word == "exp")
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Box refused the {} with {}", self.call, self.status)?;
        if let Some(error) = &self.error {
            write!(f, " `{error}`")?;
        }
        if let Some(description) = &self.description {
            write!(f, ": {description}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Refusal {}

/// Why the user must sign in again through the authorization-code flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignInReason {
    /// No tokens are stored for the user: they never signed in, or signed out.
    NoTokens,
    /// The stored tokens carry no refresh token.
    NoRefreshToken,
    /// The refresh token is over 60 days old, past Box's limit.
    RefreshTokenExpired,
    /// Box refused the refresh token (`invalid_grant`): revoked, or used up elsewhere.
    RefreshTokenRefused,
}

impl fmt::Display for SignInReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SignInReason::NoTokens => "no tokens are stored",
            SignInReason::NoRefreshToken => "the stored tokens have no refresh token",
            SignInReason::RefreshTokenExpired => "the refresh token is over 60 days old",
            SignInReason::RefreshTokenRefused => "Box refused the refresh token",
        })
    }
}

/// Every failure of this crate, each reachable one way only. Like its parts, it holds no
/// credential: not in `Display`, not in `Debug`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
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
    /// The user's browser came back without a usable authorization code.
    #[error(transparent)]
    Redirect(#[from] RedirectError),
    /// The token store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The operating system's random source failed.
    #[error(transparent)]
    Random(#[from] RandomError),
    /// A user id for `As-User` is not a Box user id.
    #[error(transparent)]
    UserId(#[from] InvalidUserId),
    /// Box answered a token request with an error status.
    #[error("{0}")]
    Refused(Box<Refusal>),
    /// A token request did not get an answer, or the answer could not be read.
    #[error("the {call} request failed")]
    Request {
        /// The request that failed.
        call: TokenCall,
        /// What went wrong.
        #[source]
        source: box_auth::Error<OAuth2Error>,
    },
    /// Box's answer held no access token.
    #[error("Box's answer to the {call} holds no access token")]
    NoAccessToken {
        /// The request answered.
        call: TokenCall,
    },
    /// No tokens that could be renewed are held for this user: they must sign in (again)
    /// through the authorization-code flow.
    #[error("`{key}` has no tokens that can be renewed ({reason}); the user must sign in again")]
    SignInRequired {
        /// The store key of the user.
        key: String,
        /// Why.
        reason: SignInReason,
        /// Box's refusal of the refresh token, when that is the reason.
        #[source]
        refusal: Option<Refusal>,
    },
    /// Another caller's attempt to renew the token, which this one waited for, has just
    /// failed, and no valid token is left; that caller got the reason. Asking again tries
    /// again.
    #[error("renewing the token of `{key}` has just failed; no valid token is left")]
    RenewalFailed {
        /// The store key of the identity.
        key: String,
    },
    /// Box issued new tokens but the store could not save them. They are held in memory, not
    /// handed out (so that the pair in the store keeps working should this process end), and
    /// saved on a later call, after a pause that grows with each failure.
    #[error(
        "new tokens for `{key}` are held in memory and not yet persisted; \
         a later call saves them"
    )]
    NotPersisted {
        /// The store key of the identity.
        key: String,
        /// Why the last save failed; absent when this call did not try (it came within the
        /// pause after a failure).
        #[source]
        source: Option<StoreError>,
    },
    /// Another holder (in this or another process) kept the store's lock longer than this
    /// provider waits, and the store held no token that could be used meanwhile. Asking
    /// again tries again.
    #[error("the token lock of `{key}` stayed taken for {} ms; try again", waited.as_millis())]
    StoreBusy {
        /// The store key of the identity.
        key: String,
        /// How long this caller waited.
        waited: Duration,
    },
    /// Getting new tokens from Box took longer than the provider's renewal deadline.
    #[error("renewing the token of `{key}` took over {} ms; try again", deadline.as_millis())]
    RenewalTimedOut {
        /// The store key of the identity.
        key: String,
        /// The deadline that passed.
        deadline: Duration,
    },
    /// A developer token can be neither renewed nor revoked here: a new one is made, and an
    /// old one revoked, in Box's developer console.
    #[error("a developer token can be neither renewed nor revoked through the API")]
    DeveloperToken,
}

impl Error {
    /// The error for a failed token request `call`.
    pub(crate) fn from_request(call: TokenCall, error: box_auth::Error<OAuth2Error>) -> Self {
        match error {
            box_auth::Error::Api(api) => Error::Refused(Box::new(Refusal::new(call, &api))),
            source => Error::Request { call, source },
        }
    }

    /// Box's refusal, when that is what this error is.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            Error::Refused(refusal) => Some(refusal),
            _ => None,
        }
    }

    /// Whether asking again later may succeed without anyone changing anything: a renewal
    /// that failed or timed out, tokens not yet persisted, a busy store, a request that got
    /// no answer, or Box answering `429` or `5xx`.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RenewalFailed { .. }
            | Error::NotPersisted { .. }
            | Error::StoreBusy { .. }
            | Error::RenewalTimedOut { .. }
            | Error::Request { .. } => true,
            Error::Refused(refusal) => {
                refusal.status == StatusCode::TOO_MANY_REQUESTS || refusal.status.is_server_error()
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(description: &str) -> Refusal {
        Refusal {
            call: TokenCall::Jwt,
            status: StatusCode::BAD_REQUEST,
            error: Some("invalid_grant".to_owned()),
            description: Some(description.to_owned()),
            server_date: None,
        }
    }

    #[test]
    fn only_failures_that_asking_again_may_mend_are_retryable() {
        let key = || String::from("app/user");
        let busy = Error::StoreBusy {
            key: key(),
            waited: Duration::from_secs(30),
        };
        let unsaved = Error::NotPersisted {
            key: key(),
            source: None,
        };
        assert!(busy.is_retryable() && unsaved.is_retryable());
        let mut throttled = refusal("slow down");
        throttled.status = StatusCode::TOO_MANY_REQUESTS;
        assert!(Error::Refused(Box::new(throttled)).is_retryable());
        assert!(!Error::Refused(Box::new(refusal("Please check the 'exp' claim."))).is_retryable());
        let sign_in = Error::SignInRequired {
            key: key(),
            reason: SignInReason::RefreshTokenRefused,
            refusal: None,
        };
        assert!(!sign_in.is_retryable());
        assert!(sign_in
            .to_string()
            .contains("Box refused the refresh token"));
    }

    #[test]
    fn an_expiry_refusal_names_the_exp_claim_as_a_word() {
        assert!(refusal("Please check the 'exp' claim.").is_expiry_refusal());
        assert!(refusal("exp is too far in the future").is_expiry_refusal());
        assert!(!refusal("Unexpected token").is_expiry_refusal());
        assert!(!refusal("The assertion has expired").is_expiry_refusal());
        let mut other = refusal("Please check the 'exp' claim.");
        other.error = Some("invalid_client".to_owned());
        assert!(!other.is_expiry_refusal());
    }
}
