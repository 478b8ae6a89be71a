//! The CSRF `state` of the authorization-code flow, and parsing the URL Box redirects back to.

use std::fmt;

use subtle::ConstantTimeEq;
use url::Url;

use crate::random::{random_hex, RandomError};
use crate::secret::{AuthorizationCode, Secret};

/// Random bytes in a generated state: 256 bits, well above the 128 needed.
const STATE_BYTES: usize = 32;

/// How many leading characters `Debug` shows of a state.
const DEBUG_PREFIX: usize = 4;

/// The unguessable `state` value sent with an authorization request and
/// expected back on the redirect, which ties the redirect to this browser
/// session and so defeats cross-site request forgery.
///
/// `Debug` shows only the first few characters.
#[derive(Clone)]
pub struct State(Secret);

impl State {
    /// Draws a fresh state from the operating system's CSPRNG: 256 bits as
    /// 64 lowercase hex characters, safe in a URL as is.
    pub fn generate() -> Result<State, RandomError> {
        random_hex(STATE_BYTES).map(|text| State(Secret::new(text)))
    }

    /// Rebuilds a state that was kept between the authorization request and
    /// the redirect (for example in a server-side session).
    pub fn restore(value: impl Into<String>) -> State {
        State(Secret::new(value))
    }

    /// The text to put in the authorization URL's `state` parameter.
    pub fn as_str(&self) -> &str {
        self.0.expose()
    }

    /// Tells, in constant time, whether `returned` is this state. An empty
    /// state never matches.
    pub fn matches(&self, returned: &str) -> bool {
        let expected = self.0.expose().as_bytes();
        !expected.is_empty() && bool::from(expected.ct_eq(returned.as_bytes()))
    }
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "State({})", shortened(self.as_str()))
    }
}

/// The parameters of a successful redirect back from Box's authorization page.
///
/// `Debug` redacts the code and shortens the state.
pub struct Redirect {
    code: AuthorizationCode,
    state: String,
}

/// Why a redirect cannot be turned into an authorization code. Never holds
/// the code or the full URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedirectError {
    /// The text is not an absolute URL.
    #[error("the redirect is not a valid URL: {0}")]
    InvalidUrl(#[source] url::ParseError),
    /// The user denied access or Box refused the request; these are Box's
    /// `error` and `error_description` parameters.
    #[error("Box refused the authorization: {error}{}", describe(.description))]
    Authorization {
        /// Box's error code, such as `access_denied`.
        error: String,
        /// Box's human-readable explanation, when given.
        description: Option<String>,
    },
    /// The redirect has no `code` (or an empty one).
    #[error("the redirect has no authorization code")]
    MissingCode,
    /// The redirect has no `state` (or an empty one).
    #[error("the redirect has no state parameter")]
    MissingState,
    /// A parameter appears more than once, which makes the redirect ambiguous.
    #[error("the redirect repeats the `{0}` parameter")]
    DuplicateParameter(&'static str),
    /// The returned state is not the one this session sent: possible CSRF.
    #[error("the redirect's state does not match the expected state")]
    StateMismatch,
}

/// Formats Box's optional error description for display.
fn describe(description: &Option<String>) -> String {
    description
        .as_deref()
        .map(|text| format!(" ({text})"))
        .unwrap_or_default()
}

/// The redirect parameters this module reads, collected once each.
#[derive(Default)]
struct Params {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

impl Params {
    /// Collects the interesting query parameters, refusing repeats.
    fn from_url(url: &Url) -> Result<Params, RedirectError> {
        let mut params = Params::default();
        for (key, value) in url.query_pairs() {
            let (slot, name) = match key.as_ref() {
                "code" => (&mut params.code, "code"),
                "state" => (&mut params.state, "state"),
                "error" => (&mut params.error, "error"),
                "error_description" => (&mut params.error_description, "error_description"),
                _ => continue,
            };
            if slot.replace(value.into_owned()).is_some() {
                return Err(RedirectError::DuplicateParameter(name));
            }
        }
        Ok(params)
    }
}

impl Redirect {
    /// Reads the URL Box sent the browser to: either `code` and `state`, or
    /// Box's `error` and `error_description`, which become
    /// [`RedirectError::Authorization`].
    pub fn parse(url: &str) -> Result<Redirect, RedirectError> {
        let url = Url::parse(url).map_err(RedirectError::InvalidUrl)?;
        let params = Params::from_url(&url)?;
        if let Some(error) = params.error {
            return Err(RedirectError::Authorization {
                error,
                description: params.error_description,
            });
        }
        let code = non_empty(params.code).ok_or(RedirectError::MissingCode)?;
        let state = non_empty(params.state).ok_or(RedirectError::MissingState)?;
        Ok(Redirect {
            code: AuthorizationCode::from(code),
            state,
        })
    }

    /// Returns the authorization code if the redirect's state matches
    /// `expected`, comparing in constant time.
    pub fn into_code(self, expected: &State) -> Result<AuthorizationCode, RedirectError> {
        if expected.matches(&self.state) {
            Ok(self.code)
        } else {
            tracing::warn!("redirect state mismatch; refusing the authorization code");
            Err(RedirectError::StateMismatch)
        }
    }
}

impl fmt::Debug for Redirect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redirect")
            .field("code", &self.code)
            .field("state", &shortened(&self.state))
            .finish()
    }
}

/// Keeps the first few characters of a state for debug output.
fn shortened(text: &str) -> String {
    let prefix: String = text.chars().take(DEBUG_PREFIX).collect();
    format!("{prefix}…")
}

/// Treats an empty parameter like an absent one.
fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|text| !text.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://app.example.com/callback";

    #[test]
    fn generated_states_are_long_url_safe_and_distinct() {
        let first = State::generate().expect("random source works");
        let second = State::generate().expect("random source works");
        assert_eq!(first.as_str().len(), 64);
        assert!(first.as_str().bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(first.as_str(), second.as_str());
    }

    #[test]
    fn matches_only_the_same_text() {
        let state = State::restore("abc123");
        assert!(state.matches("abc123"));
        assert!(!state.matches("abc124"));
        assert!(!state.matches("abc12"));
        assert!(!state.matches(""));
        assert!(!State::restore("").matches(""));
    }

    #[test]
    fn debug_shows_only_a_prefix() {
        let state = State::generate().expect("random source works");
        let shown = format!("{state:?}");
        assert!(!shown.contains(state.as_str()));
        assert!(shown.starts_with("State(") && shown.len() < 20);
    }

    #[test]
    fn a_matching_redirect_yields_the_code() {
        let state = State::generate().expect("random source works");
        let url = format!("{BASE}?code=c%2Fde&state={}", state.as_str());
        let redirect = Redirect::parse(&url).expect("parses");
        assert!(!format!("{redirect:?}").contains("c/de"));
        let code = redirect.into_code(&state).expect("state matches");
        assert_eq!(code.expose(), "c/de");
    }

    #[test]
    fn a_state_mismatch_is_refused() {
        let redirect = Redirect::parse(&format!("{BASE}?code=abc&state=forged")).expect("parses");
        let expected = State::restore("genuine");
        assert_eq!(
            redirect.into_code(&expected).unwrap_err(),
            RedirectError::StateMismatch
        );
    }

    #[test]
    fn an_error_redirect_carries_boxs_reason() {
        let url = format!("{BASE}?error=access_denied&error_description=The+user+said+no&state=s");
        let error = Redirect::parse(&url).unwrap_err();
        assert_eq!(
            error,
            RedirectError::Authorization {
                error: "access_denied".into(),
                description: Some("The user said no".into()),
            }
        );
        assert_eq!(
            error.to_string(),
            "Box refused the authorization: access_denied (The user said no)"
        );
    }

    #[test]
    fn missing_or_empty_parameters_are_errors() {
        let parse = |query: &str| Redirect::parse(&format!("{BASE}{query}")).unwrap_err();
        assert_eq!(parse("?state=s"), RedirectError::MissingCode);
        assert_eq!(parse("?code=&state=s"), RedirectError::MissingCode);
        assert_eq!(parse("?code=c"), RedirectError::MissingState);
        assert_eq!(parse(""), RedirectError::MissingCode);
    }

    #[test]
    fn repeated_parameters_and_bad_urls_are_errors() {
        let repeated = Redirect::parse(&format!("{BASE}?code=a&code=b&state=s")).unwrap_err();
        assert_eq!(repeated, RedirectError::DuplicateParameter("code"));
        let relative = Redirect::parse("/callback?code=secret-code&state=s").unwrap_err();
        assert!(matches!(relative, RedirectError::InvalidUrl(_)));
        assert!(!relative.to_string().contains("secret-code"));
    }
}
