//! Signing the RS256 JWT assertions that Box's `jwt-bearer` grant exchanges for tokens.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, Header};
use serde::Serialize;

use crate::config::AppConfig;
use crate::key::{KeyError, SigningKey};
use crate::random::{random_hex, RandomError};
use crate::secret::Assertion;

/// The audience Box requires in every assertion.
pub const BOX_TOKEN_AUDIENCE: &str = "https://api.box.com/oauth2/token";

/// The grant type to send with an assertion.
pub const JWT_BEARER_GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// The longest lifetime Box accepts for an assertion.
pub const MAX_ASSERTION_LIFETIME: Duration = Duration::from_secs(60);

/// The lifetime used unless [`JwtSigner::with_lifetime`] says otherwise; it
/// leaves room for clock skew under Box's 60 second limit.
pub const DEFAULT_ASSERTION_LIFETIME: Duration = Duration::from_secs(45);

/// Random bytes in a `jti`; hex doubles them to 32 characters (128 bits),
/// inside Box's 16 to 128 character range.
const JTI_BYTES: usize = 16;

/// Who the requested token acts for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    /// The app's service account in this enterprise (by enterprise id).
    Enterprise(String),
    /// An app user or managed user (by user id).
    User(String),
}

impl Subject {
    /// The Box id carried in the `sub` claim.
    pub fn id(&self) -> &str {
        match self {
            Subject::Enterprise(id) | Subject::User(id) => id,
        }
    }

    /// The `box_sub_type` claim: `enterprise` or `user`.
    pub fn box_sub_type(&self) -> &'static str {
        match self {
            Subject::Enterprise(_) => "enterprise",
            Subject::User(_) => "user",
        }
    }

    /// A stable key for a token store, such as `enterprise:123`, so that
    /// enterprise and user tokens with the same id never collide.
    pub fn store_key(&self) -> String {
        format!("{}:{}", self.box_sub_type(), self.id())
    }
}

/// Why an assertion could not be made. Carries no secrets.
#[derive(Debug, thiserror::Error)]
pub enum JwtError {
    /// The requested lifetime is zero or above Box's 60 second limit.
    #[error("assertion lifetime must be between 1 and 60 seconds, got {seconds} s")]
    InvalidLifetime {
        /// The rejected lifetime, in whole seconds.
        seconds: u64,
    },
    /// The subject id is empty.
    #[error("the JWT subject id is empty")]
    EmptySubject,
    /// The clock reads a time before 1970, so no `exp` can be written.
    #[error("the given time is before the Unix epoch")]
    ClockBeforeEpoch,
    /// The random source failed while making the `jti`.
    #[error(transparent)]
    Random(#[from] RandomError),
    /// The JWT library failed to sign.
    #[error("signing the assertion failed: {0}")]
    Signing(#[source] jsonwebtoken::errors::Error),
}

/// Signs assertions for one Box app. `Debug` shows the ids, never the key.
#[derive(Debug, Clone)]
pub struct JwtSigner {
    client_id: String,
    key_id: String,
    key: SigningKey,
    lifetime: Duration,
}

/// The claims Box reads from an assertion.
#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    box_sub_type: &'static str,
    aud: &'static str,
    jti: &'a str,
    exp: u64,
}

impl JwtSigner {
    /// Makes a signer with the default 45 second lifetime.
    pub fn new(
        client_id: impl Into<String>,
        key_id: impl Into<String>,
        key: SigningKey,
    ) -> JwtSigner {
        JwtSigner {
            client_id: client_id.into(),
            key_id: key_id.into(),
            key,
            lifetime: DEFAULT_ASSERTION_LIFETIME,
        }
    }

    /// Makes a signer from an app config, decrypting its private key.
    pub fn from_config(config: &AppConfig) -> Result<JwtSigner, KeyError> {
        let key = SigningKey::from_encrypted_pem(&config.private_key, &config.passphrase)?;
        Ok(JwtSigner::new(
            config.client_id.clone(),
            config.public_key_id.clone(),
            key,
        ))
    }

    /// Sets how long each assertion stays valid; whole seconds from 1 to 60.
    /// Sub-second parts are dropped.
    pub fn with_lifetime(mut self, lifetime: Duration) -> Result<JwtSigner, JwtError> {
        let seconds = lifetime.as_secs();
        if seconds == 0 || lifetime > MAX_ASSERTION_LIFETIME {
            return Err(JwtError::InvalidLifetime { seconds });
        }
        self.lifetime = Duration::from_secs(seconds);
        Ok(self)
    }

    /// The lifetime given to each assertion.
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// Signs a fresh assertion for `subject`, valid from `now` for the
    /// configured lifetime; every call draws a new random `jti`, so a
    /// retried request never reuses one.
    pub fn sign(&self, subject: &Subject, now: SystemTime) -> Result<Assertion, JwtError> {
        if subject.id().is_empty() {
            return Err(JwtError::EmptySubject);
        }
        let jti = random_hex(JTI_BYTES)?;
        let claims = Claims {
            iss: &self.client_id,
            sub: subject.id(),
            box_sub_type: subject.box_sub_type(),
            aud: BOX_TOKEN_AUDIENCE,
            jti: &jti,
            exp: expiry(now, self.lifetime)?,
        };
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.key_id.clone());
        let token = jsonwebtoken::encode(&header, &claims, self.key.encoding_key())
            .map_err(JwtError::Signing)?;
        tracing::debug!(sub_type = subject.box_sub_type(), "assertion signed");
        Ok(Assertion::from(token))
    }
}

/// Computes `exp` in Unix seconds. `now` is rounded down first, so `exp`
/// never lies more than `lifetime` after the real instant.
fn expiry(now: SystemTime, lifetime: Duration) -> Result<u64, JwtError> {
    let since_epoch = now
        .duration_since(UNIX_EPOCH)
        .map_err(|_| JwtError::ClockBeforeEpoch)?;
    Ok(since_epoch.as_secs().saturating_add(lifetime.as_secs()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{signing_key, RSA_PUBLIC_PEM};
    use jsonwebtoken::{decode, DecodingKey, Validation};
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct SeenClaims {
        iss: String,
        sub: String,
        box_sub_type: String,
        aud: String,
        jti: String,
        exp: u64,
    }

    fn signer() -> JwtSigner {
        JwtSigner::new("client-1", "kid-1", signing_key())
    }

    /// Verifies signature, audience and issuer; the expiry is checked by the
    /// tests against their own injected clock.
    fn verify(token: &Assertion) -> (Header, SeenClaims) {
        let key = DecodingKey::from_rsa_pem(RSA_PUBLIC_PEM.as_bytes()).expect("public key");
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_audience(&[BOX_TOKEN_AUDIENCE]);
        validation.set_issuer(&["client-1"]);
        validation.validate_exp = false;
        let data = decode::<SeenClaims>(token.expose(), &key, &validation).expect("valid JWT");
        (data.header, data.claims)
    }

    fn unix(now: SystemTime) -> u64 {
        now.duration_since(UNIX_EPOCH)
            .expect("after epoch")
            .as_secs()
    }

    #[test]
    fn signs_the_claims_box_expects() {
        let now = UNIX_EPOCH + Duration::from_millis(1_700_000_000_250);
        let subject = Subject::Enterprise("777".into());
        let (header, claims) = verify(&signer().sign(&subject, now).expect("signs"));
        assert_eq!(header.alg, Algorithm::RS256);
        assert_eq!(header.kid.as_deref(), Some("kid-1"));
        assert_eq!(claims.iss, "client-1");
        assert_eq!(claims.sub, "777");
        assert_eq!(claims.box_sub_type, "enterprise");
        assert_eq!(claims.aud, BOX_TOKEN_AUDIENCE);
        assert_eq!(claims.exp, unix(now) + 45);
        assert!(claims.exp > unix(now) && claims.exp - unix(now) <= 60);
        assert!((16..=128).contains(&claims.jti.len()));
    }

    #[test]
    fn user_subjects_say_user() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let token = signer().sign(&Subject::User("42".into()), now);
        let (_, claims) = verify(&token.expect("signs"));
        assert_eq!(
            (claims.sub.as_str(), claims.box_sub_type.as_str()),
            ("42", "user")
        );
    }

    #[test]
    fn passes_full_validation_at_the_current_time() {
        let token = signer()
            .sign(&Subject::User("1".into()), SystemTime::now())
            .expect("signs");
        let key = DecodingKey::from_rsa_pem(RSA_PUBLIC_PEM.as_bytes()).expect("public key");
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_audience(&[BOX_TOKEN_AUDIENCE]);
        validation.leeway = 0;
        decode::<SeenClaims>(token.expose(), &key, &validation).expect("not expired");
    }

    #[test]
    fn every_call_gets_a_fresh_jti() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let subject = Subject::Enterprise("777".into());
        let first = verify(&signer().sign(&subject, now).expect("signs")).1;
        let second = verify(&signer().sign(&subject, now).expect("signs")).1;
        assert_ne!(first.jti, second.jti);
    }

    #[test]
    fn lifetime_is_capped_at_sixty_seconds() {
        let max = signer()
            .with_lifetime(Duration::from_secs(60))
            .expect("60 s is fine");
        let now = UNIX_EPOCH + Duration::from_millis(1_700_000_000_999);
        let (_, claims) = verify(&max.sign(&Subject::User("1".into()), now).expect("signs"));
        assert!(claims.exp - unix(now) <= 60);
        for bad in [
            Duration::ZERO,
            Duration::from_millis(60_001),
            Duration::from_secs(3600),
        ] {
            assert!(matches!(
                signer().with_lifetime(bad),
                Err(JwtError::InvalidLifetime { .. })
            ));
        }
    }

    #[test]
    fn refuses_empty_subjects_and_pre_epoch_clocks() {
        let empty = signer().sign(&Subject::User(String::new()), SystemTime::now());
        assert!(matches!(empty, Err(JwtError::EmptySubject)));
        let early = UNIX_EPOCH - Duration::from_secs(1);
        let result = signer().sign(&Subject::User("1".into()), early);
        assert!(matches!(result, Err(JwtError::ClockBeforeEpoch)));
    }

    #[test]
    fn from_config_takes_the_ids_and_key() {
        let config = AppConfig::from_json(crate::test_support::BOX_CONFIG_JSON).expect("parses");
        let signer = JwtSigner::from_config(&config).expect("key decrypts");
        let shown = format!("{signer:?}");
        assert!(shown.contains("test-client-id-0123456789") && shown.contains("test-kid-1"));
        assert_eq!(signer.lifetime(), DEFAULT_ASSERTION_LIFETIME);
    }

    #[test]
    fn store_keys_separate_subject_kinds() {
        assert_eq!(Subject::Enterprise("5".into()).store_key(), "enterprise:5");
        assert_eq!(Subject::User("5".into()).store_key(), "user:5");
    }

    #[test]
    fn debug_hides_the_key() {
        let shown = format!("{:?}", signer());
        assert!(shown.contains("client-1") && shown.contains("<redacted>"));
    }
}
