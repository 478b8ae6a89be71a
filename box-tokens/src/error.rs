//! [`TokenError`]: why a token could not be had, with Box's own reason when Box refused.

use std::fmt;
use std::time::SystemTime;

use box_auth::types::OAuth2Error;
use clientgen_runtime::reqwest::header::DATE;
use clientgen_runtime::reqwest::StatusCode;
use clientgen_runtime::ApiErrorBody;

use crate::jwt::JwtError;
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

/// Why no token could be had. Like every error of this crate it holds no credential: not in
/// `Display`, not in `Debug`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// Box answered with an error status.
    #[error("{0}")]
    Refused(Box<Refusal>),
    /// The request did not get an answer, or the answer could not be read.
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
    /// No tokens that could be renewed are stored for this user: they must sign in (again)
    /// through the authorization-code flow.
    #[error("`{key}` has no tokens that can be renewed ({reason}); the user must sign in again")]
    SignInRequired {
        /// The store key of the user.
        key: String,
        /// Why.
        reason: &'static str,
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
    /// A developer token can be neither renewed nor revoked here: a new one is made, and an
    /// old one revoked, in Box's developer console.
    #[error("a developer token can be neither renewed nor revoked through the API")]
    DeveloperToken,
    /// The user's browser came back without a usable authorization code.
    #[error(transparent)]
    Redirect(#[from] RedirectError),
    /// The JWT assertion could not be signed.
    #[error(transparent)]
    Jwt(#[from] JwtError),
    /// The token store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The operating system's random source failed.
    #[error(transparent)]
    Random(#[from] RandomError),
}

impl TokenError {
    /// The error for a failed token request `call`.
    pub(crate) fn from_request(call: TokenCall, error: box_auth::Error<OAuth2Error>) -> Self {
        match error {
            box_auth::Error::Api(api) => TokenError::Refused(Box::new(Refusal::new(call, &api))),
            source => TokenError::Request { call, source },
        }
    }

    /// Box's refusal, when that is what this error is.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            TokenError::Refused(refusal) => Some(refusal),
            _ => None,
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
