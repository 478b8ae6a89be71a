//! [`Tokens`]: the access and refresh token pair a store keeps, with absolute expiry times.

use std::time::{Duration, SystemTime};

use box_auth::types::ResourceScope;
use serde::{Deserialize, Serialize};

use crate::secret::Secret;

/// How long Box's access tokens live; also the lifetime assumed when a token
/// response carries no `expires_in`.
pub const ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// How long Box's refresh tokens live. They are single-use: every refresh
/// returns a new pair, and the old refresh token stops working.
pub const REFRESH_TOKEN_LIFETIME: Duration = Duration::from_secs(60 * 24 * 60 * 60);

/// The tokens held for one subject.
///
/// Times are absolute, so a stored value stays meaningful after a restart.
/// The JSON form is stable:
///
/// ```json
/// {"access_token": "…", "refresh_token": "…" or null, "expires_at": 1700003600,
///  "issued_at": 1700000000, "scopes": [], "restricted_to": []}
/// ```
///
/// with both times in whole Unix seconds (sub-second parts are dropped, so
/// a round trip can only make the expiry earlier). `Debug` redacts tokens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Tokens {
    /// The bearer token sent to the API.
    pub access_token: Secret,
    /// The single-use token that buys the next pair; absent for tokens from
    /// the JWT or client-credentials grants.
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    /// When the access token stops working.
    #[serde(with = "unix_seconds")]
    pub expires_at: SystemTime,
    /// When Box issued the pair (the time the token request was sent).
    #[serde(with = "unix_seconds")]
    pub issued_at: SystemTime,
    /// The scopes granted, when known; may be empty.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The resources a downscoped token is limited to, and the scopes it has on each; empty
    /// for a token that is not downscoped.
    #[serde(default)]
    pub restricted_to: Vec<ResourceScope>,
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
        access_token: Secret,
        expires_in_seconds: Option<i64>,
        refresh_token: Option<Secret>,
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
    pub fn with_restricted_to(mut self, restricted_to: Vec<ResourceScope>) -> Tokens {
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

/// Serde adapters writing a [`SystemTime`] as whole non-negative Unix seconds.
mod unix_seconds {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use serde::de::Error as _;
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the time, rounded down to the second.
    pub(super) fn serialize<S: Serializer>(time: &SystemTime, out: S) -> Result<S::Ok, S::Error> {
        let since_epoch = time
            .duration_since(UNIX_EPOCH)
            .map_err(|_| S::Error::custom("time is before the Unix epoch"))?;
        out.serialize_u64(since_epoch.as_secs())
    }

    /// Reads a time written by [`serialize`].
    pub(super) fn deserialize<'de, D: Deserializer<'de>>(input: D) -> Result<SystemTime, D::Error> {
        let seconds = u64::deserialize(input)?;
        UNIX_EPOCH
            .checked_add(Duration::from_secs(seconds))
            .ok_or_else(|| D::Error::custom("time is out of range"))
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
            Secret::from("access-1"),
            Some(3600),
            Some(Secret::from("refresh-1")),
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
        let tokens = Tokens::from_response(Secret::from("a"), None, None, at(100));
        assert_eq!(tokens.expires_at, at(100 + 3600));
        assert!(!tokens.can_refresh());
        assert_eq!(tokens.refresh_expires_at(), None);
    }

    #[test]
    fn non_positive_or_huge_expires_in_means_expired() {
        for seconds in [0, -5, i64::MIN] {
            let tokens = Tokens::from_response(Secret::from("a"), Some(seconds), None, at(100));
            assert!(tokens.is_expired(at(100)), "expires_in {seconds}");
        }
        let huge = Tokens::from_response(Secret::from("a"), Some(i64::MAX), None, at(100));
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
    fn json_form_is_stable() {
        let tokens = sample().with_scopes(vec!["root_readwrite".into()]);
        let json = serde_json::to_value(&tokens).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({
                "access_token": "access-1",
                "refresh_token": "refresh-1",
                "expires_at": 1_700_003_600_u64,
                "issued_at": 1_700_000_000_u64,
                "scopes": ["root_readwrite"],
                "restricted_to": [],
            })
        );
        let back: Tokens = serde_json::from_value(json).expect("deserializes");
        assert_eq!(back, tokens);
    }

    #[test]
    fn optional_fields_default_when_absent() {
        let json = r#"{"access_token": "a", "expires_at": 10, "issued_at": 5}"#;
        let tokens: Tokens = serde_json::from_str(json).expect("deserializes");
        assert_eq!(tokens.refresh_token, None);
        assert!(tokens.scopes.is_empty());
        assert!(tokens.restricted_to.is_empty());
        let scope = ResourceScope::builder().scope("item_preview").build();
        let restricted = tokens.with_restricted_to(vec![scope.clone()]);
        assert_eq!(restricted.restricted_to, [scope]);
    }

    #[test]
    fn pre_epoch_times_do_not_serialize() {
        let mut tokens = sample();
        tokens.issued_at = UNIX_EPOCH - Duration::from_secs(1);
        assert!(serde_json::to_string(&tokens).is_err());
    }

    #[test]
    fn debug_redacts_tokens() {
        let shown = format!("{:?}", sample());
        assert!(!shown.contains("access-1") && !shown.contains("refresh-1"));
    }
}
