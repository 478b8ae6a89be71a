//! The credential types: one redacted, zeroized newtype per kind of secret, so that a refresh
//! token cannot be passed where a client secret is expected; and the one place a credential is
//! copied out for a generated request.

use std::fmt;

use subtle::ConstantTimeEq;
use zeroize::Zeroize;

/// The text printed in place of a secret by `Debug` and `Display`.
const REDACTED: &str = "<redacted>";

/// The storage behind every credential type: a string that prints as `<redacted>`, compares
/// in constant time over its bytes (the length may still be learned through timing) and is
/// overwritten with zeros when dropped.
#[derive(Clone)]
pub(crate) struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub(crate) fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The credential itself.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Secret) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for Secret {}

/// Defines a credential newtype over [`Secret`]: built from a `String` or `&str`, read only
/// through `expose`, redacted in `Debug` and `Display`, wiped on drop.
macro_rules! credential {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// `Debug` and `Display` print `<redacted>`; the only way to read the value is
        /// `expose`, which makes every read easy to find in review. The memory is overwritten
        /// with zeros on drop, and equality runs in constant time over the bytes.
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(Secret);

        impl $name {
            /// Wraps the credential.
            pub fn new(value: impl Into<String>) -> Self {
                Self(Secret::new(value))
            }

            /// The credential itself; call this only where the value must leave the process.
            pub fn expose(&self) -> &str {
                self.0.expose()
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::new(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::new(value)
            }
        }

        /// Takes over a secret of a generated response without copying it.
        impl From<box_auth::SecretString> for $name {
            fn from(value: box_auth::SecretString) -> Self {
                Self::new(value.into_exposed())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(REDACTED)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(REDACTED)
            }
        }
    };
}

credential! {
    /// An app's OAuth 2.0 client secret, from the developer console.
    ClientSecret
}

credential! {
    /// The single-use authorization code Box hands the redirect URI.
    AuthorizationCode
}

credential! {
    /// The single-use token that buys the next access and refresh token pair.
    RefreshToken
}

credential! {
    /// A bearer token sent to Box's API (a developer token is one too).
    AccessToken
}

credential! {
    /// A signed JWT assertion, exchanged once for an access token.
    Assertion
}

credential! {
    /// The PEM text of an app's private key, usually encrypted PKCS#8.
    PrivateKeyPem
}

credential! {
    /// The passphrase of an app's private key.
    Passphrase
}

/// The credentials that travel in a request body, and the one place each is turned into what
/// a generated request field takes: the runtime's `SecretString`, itself redacted and wiped on
/// drop, so the copy a request holds is as guarded as the credential.
pub(crate) trait RequestField {
    /// The value for the generated request's field.
    fn to_request_field(&self) -> box_auth::SecretString;
}

macro_rules! request_field {
    ($($name:ident),*) => {
        $(impl RequestField for $name {
            fn to_request_field(&self) -> box_auth::SecretString {
                box_auth::SecretString::from(self.expose())
            }
        })*
    };
}

request_field!(
    ClientSecret,
    AuthorizationCode,
    RefreshToken,
    AccessToken,
    Assertion
);

/// A token [`TokenClient::revoke`](crate::TokenClient::revoke) can end a session with: an
/// access token or a refresh token of that session.
#[derive(Debug, Clone, Copy)]
pub enum RevocableToken<'a> {
    /// An access token.
    Access(&'a AccessToken),
    /// A refresh token.
    Refresh(&'a RefreshToken),
}

impl RequestField for RevocableToken<'_> {
    fn to_request_field(&self) -> box_auth::SecretString {
        match self {
            RevocableToken::Access(token) => token.to_request_field(),
            RevocableToken::Refresh(token) => token.to_request_field(),
        }
    }
}

impl<'a> From<&'a AccessToken> for RevocableToken<'a> {
    fn from(token: &'a AccessToken) -> Self {
        RevocableToken::Access(token)
    }
}

impl<'a> From<&'a RefreshToken> for RevocableToken<'a> {
    fn from(token: &'a RefreshToken) -> Self {
        RevocableToken::Refresh(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_redacted() {
        let secret = ClientSecret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{secret}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(secret.clone())), "Some(<redacted>)");
        let refresh = RefreshToken::from("refresh-1");
        let revocable = RevocableToken::from(&refresh);
        assert!(!format!("{revocable:?}").contains("refresh-1"));
    }

    #[test]
    fn expose_and_request_fields_return_the_value() {
        let token = AccessToken::from(String::from("tok\"en"));
        assert_eq!(token.expose(), "tok\"en");
        assert_eq!(token.to_request_field().expose(), "tok\"en");
        let refresh = RefreshToken::from("refresh-1");
        assert_eq!(
            RevocableToken::from(&refresh).to_request_field().expose(),
            "refresh-1"
        );
    }

    #[test]
    fn equality_compares_values() {
        assert_eq!(AccessToken::from("abc"), AccessToken::from("abc"));
        assert_ne!(AccessToken::from("abc"), AccessToken::from("abd"));
        assert_ne!(AccessToken::from("abc"), AccessToken::from("abcd"));
    }
}
