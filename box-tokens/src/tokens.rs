//! [`Tokens`]: the access and refresh token pair a store keeps, with absolute expiry times.

use std::time::{Duration, SystemTime};

use box_auth::types::ResourceScope;
use serde_json::Value;

use crate::secret::{AccessToken, RefreshToken};

/// How long Box's access tokens live; also the lifetime assumed when a token
/// response carries no `expires_in`.
pub const ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// How long Box's refresh tokens live. They are single-use: every refresh
/// returns a new pair, and the old refresh token stops working.
pub const REFRESH_TOKEN_LIFETIME: Duration = Duration::from_secs(60 * 24 * 60 * 60);

/// The tokens held for one subject.
///
/// Times are absolute, so a stored value stays meaningful after a restart. Stores keep them in
/// the versioned JSON form of [`Tokens::to_json`], which belongs to this crate, not to the
/// generated client. `Debug` redacts tokens.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Tokens {
    /// The bearer token sent to the API.
    pub access_token: AccessToken,
    /// The single-use token that buys the next pair; absent for tokens from
    /// the JWT or client-credentials grants.
    pub refresh_token: Option<RefreshToken>,
    /// When the access token stops working.
    pub expires_at: SystemTime,
    /// When Box issued the pair (the time the token request was sent).
    pub issued_at: SystemTime,
    /// The scopes granted, when known; may be empty.
    pub scopes: Vec<String>,
    /// The resources a downscoped token is limited to, and the scopes it has on each; empty
    /// for a token that is not downscoped.
    pub restricted_to: Vec<Restriction>,
}

/// One resource a downscoped token is limited to, as Box's `restricted_to` lists it: the
/// scope, and the file or folder as Box described it (kept as JSON, so that whatever Box adds
/// to that description is kept and never fails reading).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Restriction {
    /// The scope the token has on the resource, such as `item_preview`.
    pub scope: Option<String>,
    /// The resource (`{"type": "file", "id": "123", ...}`).
    pub object: Option<Value>,
}

impl Restriction {
    /// A restriction to `scope` on `object`.
    pub fn new(scope: Option<String>, object: Option<Value>) -> Restriction {
        Restriction { scope, object }
    }
}

/// What Box's answer says, with the resource kept as the JSON Box sent.
impl From<&ResourceScope> for Restriction {
    fn from(scope: &ResourceScope) -> Restriction {
        Restriction {
            scope: scope.scope.as_ref().map(|scope| scope.as_str().to_owned()),
            object: scope
                .object
                .as_ref()
                .and_then(|object| serde_json::to_value(object).ok()),
        }
    }
}

impl Tokens {
    /// Builds tokens from the fields of Box's token response.
    ///
    /// `issued_at` should be taken just before the request was sent, so that
    /// network delay only makes the expiry earlier. `expires_in_seconds`:
    ///
    /// * absent: Box always sends it, so a missing value is read as Box's
    ///   documented access-token lifetime, [`ACCESS_TOKEN_LIFETIME`]
    ///   (60 minutes);
    /// * zero or negative: the token is treated as already expired;
    /// * so large that the time overflows: also treated as already expired.
    pub fn from_response(
        access_token: AccessToken,
        expires_in_seconds: Option<i64>,
        refresh_token: Option<RefreshToken>,
        issued_at: SystemTime,
    ) -> Tokens {
        let lifetime = match expires_in_seconds {
            None => ACCESS_TOKEN_LIFETIME,
            Some(seconds) => Duration::from_secs(u64::try_from(seconds).unwrap_or(0)),
        };
        Tokens {
            access_token,
            refresh_token,
            expires_at: issued_at.checked_add(lifetime).unwrap_or(issued_at),
            issued_at,
            scopes: Vec::new(),
            restricted_to: Vec::new(),
        }
    }

    /// Replaces the granted scopes.
    pub fn with_scopes(mut self, scopes: Vec<String>) -> Tokens {
        self.scopes = scopes;
        self
    }

    /// Replaces the resources the token is restricted to.
    pub fn with_restricted_to(mut self, restricted_to: Vec<Restriction>) -> Tokens {
        self.restricted_to = restricted_to;
        self
    }

    /// Tells whether a refresh token is held. It does not check the refresh
    /// token's age; see [`Tokens::refresh_expires_at`].
    pub fn can_refresh(&self) -> bool {
        self.refresh_token.is_some()
    }

    /// When the refresh token stops working, counted from `issued_at`;
    /// `None` without a refresh token.
    pub fn refresh_expires_at(&self) -> Option<SystemTime> {
        self.refresh_token.as_ref()?;
        self.issued_at.checked_add(REFRESH_TOKEN_LIFETIME)
    }

    /// Tells whether the access token expires within `margin` of `now`, or
    /// already has. Refresh when this turns true, with a margin of a few
    /// minutes to cover clock skew and request time.
    pub fn expires_within(&self, margin: Duration, now: SystemTime) -> bool {
        match now.checked_add(margin) {
            Some(deadline) => self.expires_at <= deadline,
            None => true,
        }
    }

    /// Tells whether the access token has expired at `now`.
    pub fn is_expired(&self, now: SystemTime) -> bool {
        self.expires_within(Duration::ZERO, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn sample() -> Tokens {
        Tokens::from_response(
            AccessToken::from("access-1"),
            Some(3600),
            Some(RefreshToken::from("refresh-1")),
            at(1_700_000_000),
        )
    }

    #[test]
    fn expiry_is_absolute() {
        let tokens = sample();
        assert_eq!(tokens.expires_at, at(1_700_003_600));
        assert_eq!(tokens.issued_at, at(1_700_000_000));
        assert!(tokens.can_refresh());
        assert_eq!(
            tokens.refresh_expires_at(),
            Some(at(1_700_000_000 + 60 * 86_400))
        );
    }

    #[test]
    fn missing_expires_in_means_sixty_minutes() {
        let tokens = Tokens::from_response(AccessToken::from("a"), None, None, at(100));
        assert_eq!(tokens.expires_at, at(100 + 3600));
        assert!(!tokens.can_refresh());
        assert_eq!(tokens.refresh_expires_at(), None);
    }

    #[test]
    fn non_positive_or_huge_expires_in_means_expired() {
        for seconds in [0, -5, i64::MIN] {
            let tokens =
                Tokens::from_response(AccessToken::from("a"), Some(seconds), None, at(100));
            assert!(tokens.is_expired(at(100)), "expires_in {seconds}");
        }
        let huge = Tokens::from_response(AccessToken::from("a"), Some(i64::MAX), None, at(100));
        assert!(huge.is_expired(at(100)));
    }

    #[test]
    fn expires_within_uses_the_margin() {
        let tokens = sample();
        let five_minutes = Duration::from_secs(300);
        assert!(!tokens.expires_within(five_minutes, at(1_700_003_299)));
        assert!(tokens.expires_within(five_minutes, at(1_700_003_300)));
        assert!(!tokens.is_expired(at(1_700_003_599)));
        assert!(tokens.is_expired(at(1_700_003_600)));
        assert!(tokens.expires_within(Duration::MAX, at(0)));
    }

    #[test]
    fn a_restriction_keeps_what_box_said_as_json() {
        let answer = serde_json::json!({
            "scope": "item_preview",
            "object": {"type": "file", "id": "123", "etag": "2"},
        });
        let scope: ResourceScope = serde_json::from_value(answer.clone()).expect("Box's form");
        let restriction = Restriction::from(&scope);
        assert_eq!(restriction.scope.as_deref(), Some("item_preview"));
        assert_eq!(restriction.object.as_ref(), Some(&answer["object"]));
        let tokens = sample().with_restricted_to(vec![restriction.clone()]);
        assert_eq!(tokens.restricted_to, [restriction]);
    }

    #[test]
    fn debug_redacts_tokens() {
        let shown = format!("{:?}", sample());
        assert!(!shown.contains("access-1") && !shown.contains("refresh-1"));
    }
}
