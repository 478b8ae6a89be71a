//! The versioned JSON form in which stores keep [`Tokens`]: this crate's own schema, with no
//! type of the generated client in it, read back by every later release. The schema is
//! documented on [`Tokens::to_json`].

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::Zeroizing;

use crate::secret::{AccessToken, RefreshToken};
use crate::tokens::{Restriction, Tokens};

/// The newest version of the token JSON form this release reads, and the one it writes.
pub const TOKEN_FORMAT_VERSION: u64 = 1;

/// Why tokens could not be turned into their JSON form, or read from it. Never holds a token
/// value: a document that does not read is reported by position only.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The document is not JSON, or not tokens of a version this release knows.
    #[error("not valid token JSON (at line {line}, column {column})")]
    Corrupt {
        /// The line of the first problem, counted from 1.
        line: usize,
        /// The column of the first problem, counted from 1.
        column: usize,
    },
    /// The document was written by a newer release, in a version of the form this one does
    /// not know; it is left alone.
    #[error(
        "written in token format version {found} by a newer release of box-tokens; this one \
         reads up to version {supported}: upgrade it"
    )]
    UnsupportedVersion {
        /// The version the document says it is in.
        found: u64,
        /// The newest version this release reads.
        supported: u64,
    },
    /// A time is before 1970 or too far ahead for this platform's clock.
    #[error("the tokens' {field} is out of the range of times the form holds")]
    TimeOutOfRange {
        /// `expires_at` or `issued_at`.
        field: &'static str,
    },
}

impl Tokens {
    /// The tokens in the current version of their JSON form ([`TOKEN_FORMAT_VERSION`]), in
    /// memory that is wiped on drop. A store written outside this crate keeps this, and reads
    /// it back with [`Tokens::from_json`].
    ///
    /// Version 1:
    ///
    /// ```json
    /// {"version": 1, "access_token": "…", "refresh_token": "…" or null,
    ///  "expires_at": 1700003600, "issued_at": 1700000000, "scopes": ["…"],
    ///  "restricted_to": [{"scope": "item_preview", "object": {"type": "file", "id": "123"}}]}
    /// ```
    ///
    /// Times are whole Unix seconds (sub-second parts are dropped, so a round trip can only
    /// make the expiry earlier); `refresh_token`, `scopes` and `restricted_to` may be left
    /// out, and a `restricted_to` entry's `object` is kept as whatever JSON Box sent. A
    /// document without `version` is the form written before versions were numbered, which is
    /// version 1 without the field. A document with a higher `version` is refused
    /// ([`FormatError::UnsupportedVersion`]): it was written by a newer release, which may
    /// have changed what a field means.
    pub fn to_json(&self) -> Result<Zeroizing<Vec<u8>>, FormatError> {
        let document = WrittenV1 {
            version: TOKEN_FORMAT_VERSION,
            access_token: self.access_token.expose(),
            refresh_token: self.refresh_token.as_ref().map(RefreshToken::expose),
            expires_at: unix_seconds(self.expires_at, "expires_at")?,
            issued_at: unix_seconds(self.issued_at, "issued_at")?,
            scopes: &self.scopes,
            restricted_to: self.restricted_to.iter().map(RestrictionV1::from).collect(),
        };
        let json = serde_json::to_vec_pretty(&document).map_err(|error| corrupt(&error))?;
        Ok(Zeroizing::new(json))
    }

    /// Reads tokens from any version of their JSON form up to [`TOKEN_FORMAT_VERSION`].
    pub fn from_json(json: &[u8]) -> Result<Tokens, FormatError> {
        check_version(json)?;
        let document: ReadV1 = serde_json::from_slice(json).map_err(|error| corrupt(&error))?;
        document.into_tokens()
    }
}

/// Refuses a document of a version newer than this release reads; a document that does not
/// parse far enough to say is left for the full read to report.
pub(crate) fn check_version(json: &[u8]) -> Result<(), FormatError> {
    let Ok(probe) = serde_json::from_slice::<VersionProbe>(json) else {
        return Ok(());
    };
    match probe.version {
        Some(found) if found > TOKEN_FORMAT_VERSION => Err(FormatError::UnsupportedVersion {
            found,
            supported: TOKEN_FORMAT_VERSION,
        }),
        _ => Ok(()),
    }
}

/// Only the version of a document; every other field is skipped.
#[derive(Deserialize)]
struct VersionProbe {
    #[serde(default)]
    version: Option<u64>,
}

/// Version 1 of the form, field by field, as written.
#[derive(Serialize)]
struct WrittenV1<'a> {
    version: u64,
    access_token: &'a str,
    refresh_token: Option<&'a str>,
    expires_at: u64,
    issued_at: u64,
    scopes: &'a [String],
    restricted_to: Vec<RestrictionV1>,
}

/// Version 1 of the form, field by field, as read.
#[derive(Deserialize)]
struct ReadV1 {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    expires_at: u64,
    issued_at: u64,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    restricted_to: Vec<RestrictionV1>,
}

/// A `restricted_to` entry of version 1.
#[derive(Serialize, Deserialize)]
struct RestrictionV1 {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    object: Option<Value>,
}

impl From<&Restriction> for RestrictionV1 {
    fn from(restriction: &Restriction) -> Self {
        RestrictionV1 {
            scope: restriction.scope.clone(),
            object: restriction.object.clone(),
        }
    }
}

impl ReadV1 {
    /// The tokens read; the token strings move into their credential types uncopied.
    fn into_tokens(self) -> Result<Tokens, FormatError> {
        Ok(Tokens {
            access_token: AccessToken::new(self.access_token),
            refresh_token: self.refresh_token.map(RefreshToken::new),
            expires_at: from_unix_seconds(self.expires_at, "expires_at")?,
            issued_at: from_unix_seconds(self.issued_at, "issued_at")?,
            scopes: self.scopes,
            restricted_to: self
                .restricted_to
                .into_iter()
                .map(|entry| Restriction::new(entry.scope, entry.object))
                .collect(),
        })
    }
}

/// `time` in whole Unix seconds.
fn unix_seconds(time: SystemTime, field: &'static str) -> Result<u64, FormatError> {
    time.duration_since(UNIX_EPOCH)
        .map(|since| since.as_secs())
        .map_err(|_| FormatError::TimeOutOfRange { field })
}

/// The time `seconds` after the Unix epoch, when the platform's clock reaches it.
fn from_unix_seconds(seconds: u64, field: &'static str) -> Result<SystemTime, FormatError> {
    UNIX_EPOCH
        .checked_add(Duration::from_secs(seconds))
        .ok_or(FormatError::TimeOutOfRange { field })
}

/// The position of a JSON error, without its message (which may quote the document).
fn corrupt(error: &serde_json::Error) -> FormatError {
    FormatError::Corrupt {
        line: error.line(),
        column: error.column(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file as the release before versions were numbered wrote it, `restricted_to` included.
    const UNVERSIONED: &str = include_str!("../tests/data/token_file_unversioned.json");

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn sample() -> Tokens {
        let restriction = Restriction::new(
            Some("item_preview".into()),
            Some(serde_json::json!({"type": "file", "id": "123"})),
        );
        Tokens::from_response(
            AccessToken::from("access-1"),
            Some(3600),
            Some(RefreshToken::from("refresh-1")),
            at(1_700_000_000),
        )
        .with_scopes(vec!["root_readwrite".into()])
        .with_restricted_to(vec![restriction])
    }

    #[test]
    fn version_one_is_written_field_by_field() {
        let json: Value = serde_json::from_slice(&sample().to_json().expect("encodes")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "version": 1,
                "access_token": "access-1",
                "refresh_token": "refresh-1",
                "expires_at": 1_700_003_600_u64,
                "issued_at": 1_700_000_000_u64,
                "scopes": ["root_readwrite"],
                "restricted_to": [
                    {"scope": "item_preview", "object": {"type": "file", "id": "123"}}
                ],
            })
        );
        let back = Tokens::from_json(&sample().to_json().unwrap()).expect("reads back");
        assert_eq!(back, sample());
    }

    #[test]
    fn a_file_written_before_versions_still_reads() {
        let tokens = Tokens::from_json(UNVERSIONED.as_bytes()).expect("reads");
        assert_eq!(tokens.access_token.expose(), "access-7");
        assert_eq!(tokens.refresh_token, Some(RefreshToken::from("refresh-7")));
        assert_eq!(tokens.expires_at, at(1_800_003_600));
        assert_eq!(tokens.issued_at, at(1_800_000_000));
        assert_eq!(tokens.scopes, ["item_download"]);
        let [restriction] = tokens.restricted_to.as_slice() else {
            panic!("one restriction: {:?}", tokens.restricted_to);
        };
        assert_eq!(restriction.scope.as_deref(), Some("item_download"));
        let object = restriction.object.as_ref().expect("the folder");
        assert_eq!(object["type"], "folder");
        assert_eq!(object["name"], "Contracts");
    }

    #[test]
    fn optional_fields_default_when_absent() {
        let json = br#"{"access_token": "a", "expires_at": 10, "issued_at": 5}"#;
        let tokens = Tokens::from_json(json).expect("reads");
        assert_eq!(tokens.refresh_token, None);
        assert!(tokens.scopes.is_empty() && tokens.restricted_to.is_empty());
        assert_eq!((tokens.issued_at, tokens.expires_at), (at(5), at(10)));
    }

    #[test]
    fn a_newer_version_is_refused_by_number() {
        let json = br#"{"version": 2, "access_token": {"sealed": "x"}, "expiry": "soon"}"#;
        let error = Tokens::from_json(json).expect_err("newer");
        assert_eq!(
            error,
            FormatError::UnsupportedVersion {
                found: 2,
                supported: 1
            }
        );
        assert!(error.to_string().contains("newer release"), "{error}");
    }

    #[test]
    fn a_corrupt_document_is_reported_by_position_only() {
        let json = br#"{"access_token": "leaked-token", "expires_at": "leaked-too"}"#;
        let error = Tokens::from_json(json).expect_err("corrupt");
        assert!(matches!(error, FormatError::Corrupt { line: 1, .. }));
        assert!(!error.to_string().contains("leaked"), "{error}");
    }

    #[test]
    fn pre_epoch_times_are_refused() {
        let mut tokens = sample();
        tokens.issued_at = UNIX_EPOCH - Duration::from_secs(1);
        assert_eq!(
            tokens.to_json().unwrap_err(),
            FormatError::TimeOutOfRange { field: "issued_at" }
        );
        let far = format!(
            r#"{{"access_token": "a", "expires_at": {}, "issued_at": 5}}"#,
            u64::MAX
        );
        assert_eq!(
            Tokens::from_json(far.as_bytes()).unwrap_err(),
            FormatError::TimeOutOfRange {
                field: "expires_at"
            }
        );
    }
}
