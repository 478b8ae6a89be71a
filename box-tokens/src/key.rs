//! Turning the app's private key PEM (usually encrypted PKCS#8) into an RS256 signing key.

use std::fmt;

use jsonwebtoken::errors::ErrorKind as JwtErrorKind;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey};
use pkcs8::der::pem;
use pkcs8::der::SecretDocument;
use pkcs8::{EncryptedPrivateKeyInfoRef, ObjectIdentifier, PrivateKeyInfoRef};

use crate::secret::{Passphrase, PrivateKeyPem};

/// The object identifier of `rsaEncryption` keys (RFC 8017).
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// An RSA private key ready to sign RS256 JWTs.
///
/// The key bytes are wiped on drop; `Debug` prints no key material.
#[derive(Clone)]
pub struct SigningKey {
    encoding_key: EncodingKey,
}

/// Why a private key could not be loaded. No variant carries key material or
/// the passphrase.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The text is not a PEM document, or its base64 or DER body is damaged.
    #[error("the private key is not a well-formed PEM document")]
    MalformedPem,
    /// The PEM holds something other than a private key this crate reads.
    #[error("unsupported PEM type `{label}`; expected ENCRYPTED PRIVATE KEY, PRIVATE KEY or RSA PRIVATE KEY")]
    UnsupportedPemType {
        /// The PEM label, such as `CERTIFICATE`.
        label: String,
    },
    /// The encrypted key uses a cipher or key derivation this crate lacks.
    #[error("the private key is encrypted with an unsupported algorithm ({algorithm})")]
    UnsupportedEncryption {
        /// The object identifier of the algorithm.
        algorithm: String,
    },
    /// Decryption failed: the passphrase does not match the key.
    #[error("the passphrase does not decrypt the private key")]
    WrongPassphrase,
    /// The PKCS#8 structure is damaged.
    #[error("the private key is not a valid PKCS#8 structure")]
    MalformedPkcs8,
    /// The key is valid but not an RSA key (Box signs with RS256 only).
    #[error("the private key is not an RSA key (algorithm {algorithm})")]
    NotRsa {
        /// The object identifier of the key's algorithm.
        algorithm: String,
    },
    /// The RSA key was refused by the crypto library (for example too short).
    #[error("the RSA private key was rejected: {reason}")]
    InvalidRsaKey {
        /// The crypto library's reason, which holds no key material.
        reason: String,
    },
}

impl SigningKey {
    /// Loads a private key PEM as downloaded from Box, decrypting it with
    /// `passphrase`.
    ///
    /// Accepts an encrypted PKCS#8 key (`ENCRYPTED PRIVATE KEY`: PBES2 with
    /// PBKDF2-HMAC-SHA1 or -SHA256, and des-ede3-cbc or AES-CBC), and also an
    /// unencrypted PKCS#8 (`PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE KEY`) key,
    /// for which the passphrase is ignored.
    pub fn from_encrypted_pem(
        pem: &PrivateKeyPem,
        passphrase: &Passphrase,
    ) -> Result<SigningKey, KeyError> {
        let text = pem.expose().trim();
        let label = pem::decode_label(text.as_bytes()).map_err(|_| KeyError::MalformedPem)?;
        let pkcs1 = match label {
            "ENCRYPTED PRIVATE KEY" => decrypt_pkcs8(&pem_body(text)?, passphrase)?,
            "PRIVATE KEY" => pkcs1_from_pkcs8(pem_body(text)?.as_bytes())?,
            "RSA PRIVATE KEY" => pem_body(text)?,
            other => {
                return Err(KeyError::UnsupportedPemType {
                    label: other.to_owned(),
                })
            }
        };
        SigningKey::from_pkcs1_der(pkcs1.as_bytes())
    }

    /// Wraps a DER `RSAPrivateKey` (PKCS#1) after checking that the crypto
    /// library accepts it, so that signing cannot fail later on a bad key.
    fn from_pkcs1_der(der: &[u8]) -> Result<SigningKey, KeyError> {
        let encoding_key = EncodingKey::from_rsa_der(der);
        Jwk::from_encoding_key(&encoding_key, Algorithm::RS256).map_err(|error| {
            let reason = match error.kind() {
                JwtErrorKind::InvalidRsaKey(reason) => reason.clone(),
                _ => String::from("not a usable RSA private key"),
            };
            KeyError::InvalidRsaKey { reason }
        })?;
        Ok(SigningKey { encoding_key })
    }

    /// The key in the form the JWT library signs with.
    pub(crate) fn encoding_key(&self) -> &EncodingKey {
        &self.encoding_key
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

/// Decodes the base64 body of a PEM document into DER that is wiped on drop.
fn pem_body(text: &str) -> Result<SecretDocument, KeyError> {
    SecretDocument::from_pem(text)
        .map(|(_, document)| document)
        .map_err(|_| KeyError::MalformedPem)
}

/// Decrypts an `EncryptedPrivateKeyInfo` and returns the PKCS#1 key inside.
fn decrypt_pkcs8(
    der: &SecretDocument,
    passphrase: &Passphrase,
) -> Result<SecretDocument, KeyError> {
    let encrypted = EncryptedPrivateKeyInfoRef::try_from(der.as_bytes())
        .map_err(|_| KeyError::MalformedPkcs8)?;
    let plain = encrypted
        .decrypt(passphrase.expose().as_bytes())
        .map_err(classify_decrypt_error)?;
    pkcs1_from_pkcs8(plain.as_bytes())
}

/// Sorts a decryption failure into the caller-facing errors.
///
/// A wrong passphrase shows up either as bad CBC padding or, when the padding
/// happens to look valid, as garbage that is not DER; both mean the same.
fn classify_decrypt_error(error: pkcs8::Error) -> KeyError {
    use pkcs8::pkcs5::Error as Pkcs5Error;
    match error {
        pkcs8::Error::EncryptedPrivateKey(Pkcs5Error::UnsupportedAlgorithm { oid }) => {
            KeyError::UnsupportedEncryption {
                algorithm: oid.to_string(),
            }
        }
        pkcs8::Error::EncryptedPrivateKey(Pkcs5Error::NoPbes1CryptSupport) => {
            KeyError::UnsupportedEncryption {
                algorithm: String::from("PBES1"),
            }
        }
        pkcs8::Error::EncryptedPrivateKey(Pkcs5Error::AlgorithmParametersInvalid { .. }) => {
            KeyError::MalformedPkcs8
        }
        _ => KeyError::WrongPassphrase,
    }
}

/// Checks that a `PrivateKeyInfo` holds an RSA key and copies out its PKCS#1
/// `RSAPrivateKey`.
fn pkcs1_from_pkcs8(der: &[u8]) -> Result<SecretDocument, KeyError> {
    let info = PrivateKeyInfoRef::try_from(der).map_err(|_| KeyError::MalformedPkcs8)?;
    if info.algorithm.oid != RSA_ENCRYPTION {
        return Err(KeyError::NotRsa {
            algorithm: info.algorithm.oid.to_string(),
        });
    }
    SecretDocument::try_from(info.private_key.as_bytes()).map_err(|_| KeyError::MalformedPkcs8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{
        passphrase, EC_ENCRYPTED_PEM, EC_PLAIN_PEM, RSA_AES256_SHA1_PEM, RSA_DES3_SHA256_PEM,
        RSA_PKCS1_PEM, RSA_PLAIN_PEM,
    };

    fn load(pem: &str) -> Result<SigningKey, KeyError> {
        SigningKey::from_encrypted_pem(&PrivateKeyPem::from(pem), &passphrase())
    }

    #[test]
    fn decrypts_des3_with_hmac_sha256() {
        load(RSA_DES3_SHA256_PEM).expect("Box's default format loads");
    }

    #[test]
    fn decrypts_aes256_with_hmac_sha1() {
        load(RSA_AES256_SHA1_PEM).expect("AES-CBC with SHA-1 PRF loads");
    }

    #[test]
    fn accepts_unencrypted_pkcs8_and_pkcs1() {
        load(RSA_PLAIN_PEM).expect("plain PKCS#8 loads");
        load(RSA_PKCS1_PEM).expect("PKCS#1 loads");
    }

    #[test]
    fn accepts_surrounding_whitespace() {
        load(&format!("\n  {RSA_DES3_SHA256_PEM}\n\n")).expect("trimmed PEM loads");
    }

    #[test]
    fn wrong_passphrase_is_reported_as_such() {
        for pem in [RSA_DES3_SHA256_PEM, RSA_AES256_SHA1_PEM] {
            let error = SigningKey::from_encrypted_pem(
                &PrivateKeyPem::from(pem),
                &Passphrase::from("nope"),
            )
            .expect_err("wrong passphrase fails");
            assert_eq!(error, KeyError::WrongPassphrase);
        }
    }

    #[test]
    fn garbage_is_malformed() {
        assert_eq!(load("not a pem").unwrap_err(), KeyError::MalformedPem);
        let broken =
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\n!!!!\n-----END ENCRYPTED PRIVATE KEY-----";
        assert_eq!(load(broken).unwrap_err(), KeyError::MalformedPem);
        let not_der =
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----";
        assert!(matches!(
            load(not_der).unwrap_err(),
            KeyError::MalformedPem | KeyError::MalformedPkcs8
        ));
    }

    #[test]
    fn other_pem_types_are_refused() {
        let certificate = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----";
        assert_eq!(
            load(certificate).unwrap_err(),
            KeyError::UnsupportedPemType {
                label: "CERTIFICATE".into()
            }
        );
    }

    #[test]
    fn non_rsa_keys_are_refused() {
        for pem in [EC_PLAIN_PEM, EC_ENCRYPTED_PEM] {
            let error = load(pem).expect_err("EC key is refused");
            assert_eq!(
                error,
                KeyError::NotRsa {
                    algorithm: "1.2.840.10045.2.1".into()
                }
            );
        }
    }

    #[test]
    fn errors_and_debug_hold_no_secrets() {
        let key = load(RSA_DES3_SHA256_PEM).expect("loads");
        assert_eq!(format!("{key:?}"), "SigningKey(<redacted>)");
        let error = SigningKey::from_encrypted_pem(
            &PrivateKeyPem::from(RSA_DES3_SHA256_PEM),
            &Passphrase::from("guess-1234"),
        )
        .expect_err("wrong passphrase");
        assert!(!format!("{error} {error:?}").contains("guess-1234"));
    }
}
