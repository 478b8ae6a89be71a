//! Parsing the app config JSON that Box's developer console downloads for a JWT app.

use serde_json::Value;

use crate::jwt::Subject;
use crate::secret::{ClientSecret, Passphrase, PrivateKeyPem};

/// The credentials of a Box app that authenticates with server-side JWT.
///
/// Build it with [`AppConfig::from_json`] from the file that the Box developer
/// console downloads. `Debug` shows the identifiers and redacts the secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppConfig {
    /// The OAuth 2.0 client id (`boxAppSettings.clientID`).
    pub client_id: String,
    /// The OAuth 2.0 client secret (`boxAppSettings.clientSecret`).
    pub client_secret: ClientSecret,
    /// The id Box gave the app's public key (`boxAppSettings.appAuth.publicKeyID`),
    /// sent as the JWT header's `kid`.
    pub public_key_id: String,
    /// The private key PEM, usually encrypted PKCS#8
    /// (`boxAppSettings.appAuth.privateKey`).
    pub private_key: PrivateKeyPem,
    /// The passphrase of the private key (`boxAppSettings.appAuth.passphrase`).
    pub passphrase: Passphrase,
    /// The enterprise the app belongs to (`enterpriseID`); absent for apps
    /// that only act as users.
    pub enterprise_id: Option<String>,
}

/// Why an app config could not be read. Messages name the JSON path of the
/// offending field and never include its value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The text is not JSON at all.
    #[error("the app config is not valid JSON (line {line}, column {column})")]
    Syntax {
        /// The line of the first syntax error, counted from 1.
        line: usize,
        /// The column of the first syntax error, counted from 1.
        column: usize,
    },
    /// A required field is absent or null.
    #[error("the app config has no `{path}`")]
    Missing {
        /// The JSON path of the field, such as `boxAppSettings.clientID`.
        path: &'static str,
    },
    /// A field has the wrong JSON type or is empty.
    #[error("the app config field `{path}` must be {expected}")]
    Invalid {
        /// The JSON path of the field.
        path: &'static str,
        /// What the field should hold, such as "a non-empty string".
        expected: &'static str,
    },
}

impl AppConfig {
    /// Parses Box's app config JSON.
    ///
    /// `enterpriseID` may be absent, null or empty (user-level apps); it may
    /// also be a JSON number, which is turned into its decimal text. Every
    /// other field must be a non-empty string.
    pub fn from_json(text: &str) -> Result<AppConfig, ConfigError> {
        let root: Value = serde_json::from_str(text).map_err(|error| ConfigError::Syntax {
            line: error.line(),
            column: error.column(),
        })?;
        Ok(AppConfig {
            client_id: required(&root, &CLIENT_ID)?.to_owned(),
            client_secret: ClientSecret::from(required(&root, &CLIENT_SECRET)?),
            public_key_id: required(&root, &PUBLIC_KEY_ID)?.to_owned(),
            private_key: PrivateKeyPem::from(required(&root, &PRIVATE_KEY)?),
            passphrase: Passphrase::from(required(&root, &PASSPHRASE)?),
            enterprise_id: enterprise_id(&root)?,
        })
    }

    /// Returns the enterprise as a JWT subject, when the config names one.
    pub fn enterprise_subject(&self) -> Option<Subject> {
        self.enterprise_id.clone().map(Subject::Enterprise)
    }
}

/// A field's place in the config: its keys from the root, and the dotted
/// path used in error messages.
struct FieldPath {
    keys: &'static [&'static str],
    dotted: &'static str,
}

const CLIENT_ID: FieldPath = FieldPath {
    keys: &["boxAppSettings", "clientID"],
    dotted: "boxAppSettings.clientID",
};
const CLIENT_SECRET: FieldPath = FieldPath {
    keys: &["boxAppSettings", "clientSecret"],
    dotted: "boxAppSettings.clientSecret",
};
const PUBLIC_KEY_ID: FieldPath = FieldPath {
    keys: &["boxAppSettings", "appAuth", "publicKeyID"],
    dotted: "boxAppSettings.appAuth.publicKeyID",
};
const PRIVATE_KEY: FieldPath = FieldPath {
    keys: &["boxAppSettings", "appAuth", "privateKey"],
    dotted: "boxAppSettings.appAuth.privateKey",
};
const PASSPHRASE: FieldPath = FieldPath {
    keys: &["boxAppSettings", "appAuth", "passphrase"],
    dotted: "boxAppSettings.appAuth.passphrase",
};
const ENTERPRISE_ID: FieldPath = FieldPath {
    keys: &["enterpriseID"],
    dotted: "enterpriseID",
};

/// Walks to a field; `Ok(None)` when it or one of its parents is absent or
/// null, an error when a parent is not an object.
fn lookup<'a>(root: &'a Value, field: &FieldPath) -> Result<Option<&'a Value>, ConfigError> {
    let mut current = root;
    for key in field.keys {
        let Value::Object(map) = current else {
            return Err(ConfigError::Invalid {
                path: field.dotted,
                expected: "nested in JSON objects",
            });
        };
        match map.get(*key) {
            None | Some(Value::Null) => return Ok(None),
            Some(next) => current = next,
        }
    }
    Ok(Some(current))
}

/// Returns a required, non-empty string field.
fn required<'a>(root: &'a Value, field: &FieldPath) -> Result<&'a str, ConfigError> {
    let value = lookup(root, field)?.ok_or(ConfigError::Missing { path: field.dotted })?;
    match value {
        Value::String(text) if !text.is_empty() => Ok(text),
        _ => Err(ConfigError::Invalid {
            path: field.dotted,
            expected: "a non-empty string",
        }),
    }
}

/// Returns the optional enterprise id, accepting a string or an integer.
fn enterprise_id(root: &Value) -> Result<Option<String>, ConfigError> {
    match lookup(root, &ENTERPRISE_ID)? {
        None => Ok(None),
        Some(Value::String(text)) if text.is_empty() => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(Value::Number(number)) if number.is_u64() => Ok(Some(number.to_string())),
        Some(_) => Err(ConfigError::Invalid {
            path: ENTERPRISE_ID.dotted,
            expected: "a string or a non-negative integer",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{BOX_CONFIG_JSON, TEST_PASSPHRASE};

    fn sample(enterprise: &str) -> String {
        format!(
            r#"{{"boxAppSettings": {{"clientID": "cid", "clientSecret": "csecret",
                "appAuth": {{"publicKeyID": "kid", "privateKey": "pem-text",
                "passphrase": "pass"}}}}{enterprise}}}"#
        )
    }

    #[test]
    fn parses_the_checked_in_sample() {
        let config = AppConfig::from_json(BOX_CONFIG_JSON).expect("sample parses");
        assert_eq!(config.client_id, "test-client-id-0123456789");
        assert_eq!(config.public_key_id, "test-kid-1");
        assert_eq!(config.passphrase.expose(), TEST_PASSPHRASE);
        assert!(config
            .private_key
            .expose()
            .starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        assert_eq!(config.enterprise_id.as_deref(), Some("1234567"));
        assert_eq!(
            config.enterprise_subject(),
            Some(Subject::Enterprise("1234567".into()))
        );
    }

    #[test]
    fn enterprise_id_is_optional_and_may_be_a_number() {
        let absent = AppConfig::from_json(&sample("")).expect("parses");
        assert_eq!(absent.enterprise_id, None);
        let empty = AppConfig::from_json(&sample(r#", "enterpriseID": """#)).expect("parses");
        assert_eq!(empty.enterprise_id, None);
        let number = AppConfig::from_json(&sample(r#", "enterpriseID": 42"#)).expect("parses");
        assert_eq!(number.enterprise_id.as_deref(), Some("42"));
        let bad = AppConfig::from_json(&sample(r#", "enterpriseID": [1]"#));
        assert!(matches!(
            bad,
            Err(ConfigError::Invalid {
                path: "enterpriseID",
                ..
            })
        ));
    }

    #[test]
    fn missing_fields_are_named_by_path() {
        let text = sample("").replace(r#""passphrase": "pass""#, r#""other": 1"#);
        let error = AppConfig::from_json(&text).expect_err("passphrase is missing");
        assert_eq!(
            error,
            ConfigError::Missing {
                path: "boxAppSettings.appAuth.passphrase"
            }
        );
        assert!(error
            .to_string()
            .contains("boxAppSettings.appAuth.passphrase"));
        let no_settings = AppConfig::from_json("{}").expect_err("nothing there");
        assert_eq!(
            no_settings,
            ConfigError::Missing {
                path: "boxAppSettings.clientID"
            }
        );
    }

    #[test]
    fn wrong_types_are_named_and_values_are_not_echoed() {
        let text = sample("").replace(r#""csecret""#, r#"["csecret-value"]"#);
        let error = AppConfig::from_json(&text).expect_err("secret is not a string");
        assert!(matches!(
            error,
            ConfigError::Invalid {
                path: "boxAppSettings.clientSecret",
                ..
            }
        ));
        assert!(!error.to_string().contains("csecret-value"));
        let nested = AppConfig::from_json(r#"{"boxAppSettings": "x"}"#).expect_err("not an object");
        assert!(matches!(nested, ConfigError::Invalid { .. }));
    }

    #[test]
    fn syntax_errors_give_a_position_only() {
        let error = AppConfig::from_json("{\"clientSecret\": \"leak").expect_err("bad json");
        assert!(matches!(error, ConfigError::Syntax { line: 1, .. }));
        assert!(!error.to_string().contains("leak"));
    }

    #[test]
    fn debug_redacts_secrets() {
        let config = AppConfig::from_json(&sample("")).expect("parses");
        let shown = format!("{config:?}");
        assert!(shown.contains("cid"));
        for secret in ["csecret", "pem-text", "pass\""] {
            assert!(!shown.contains(secret), "{secret} leaked in {shown}");
        }
    }
}
