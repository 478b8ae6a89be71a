//! Test-only fixtures: the throwaway keys and config under `tests/data/` (never real credentials).

use crate::key::SigningKey;
use crate::secret::{Passphrase, PrivateKeyPem};

/// The passphrase of every encrypted test key.
pub(crate) const TEST_PASSPHRASE: &str = "box-tokens-test-passphrase";

/// The test RSA key in Box's format: PBES2, PBKDF2-HMAC-SHA256, des-ede3-cbc.
pub(crate) const RSA_DES3_SHA256_PEM: &str = include_str!("../tests/data/rsa_des3_sha256.pem");

/// The same key with PBKDF2-HMAC-SHA1 and aes-256-cbc.
pub(crate) const RSA_AES256_SHA1_PEM: &str = include_str!("../tests/data/rsa_aes256_sha1.pem");

/// The same key as unencrypted PKCS#8.
pub(crate) const RSA_PLAIN_PEM: &str = include_str!("../tests/data/rsa_plain_pkcs8.pem");

/// The same key as unencrypted PKCS#1.
pub(crate) const RSA_PKCS1_PEM: &str = include_str!("../tests/data/rsa_pkcs1.pem");

/// The public half of the test RSA key.
pub(crate) const RSA_PUBLIC_PEM: &str = include_str!("../tests/data/rsa_public.pem");

/// A P-256 key, unencrypted PKCS#8.
pub(crate) const EC_PLAIN_PEM: &str = include_str!("../tests/data/ec_plain_pkcs8.pem");

/// The P-256 key, encrypted with the test passphrase.
pub(crate) const EC_ENCRYPTED_PEM: &str = include_str!("../tests/data/ec_aes256_sha256.pem");

/// A Box app config JSON embedding the des3 test key.
pub(crate) const BOX_CONFIG_JSON: &str = include_str!("../tests/data/box_config.json");

/// The test passphrase.
pub(crate) fn passphrase() -> Passphrase {
    Passphrase::from(TEST_PASSPHRASE)
}

/// The test RSA key, loaded from its unencrypted form to keep tests fast.
pub(crate) fn signing_key() -> SigningKey {
    SigningKey::from_encrypted_pem(&PrivateKeyPem::from(RSA_PLAIN_PEM), &passphrase())
        .expect("the test key loads")
}
