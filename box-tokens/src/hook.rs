//! Using the tokens with the clients generated from Box's document: the provider as a runtime
//! [`Hook`] that sends the bearer token and recovers from one `401`, and the `As-User` header.

use box_auth::reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};
use box_auth::reqwest::StatusCode;
use clientgen_runtime::hook::{
    AfterResponse, BoxFuture, Hook, HookContext, HookError, RequestHead, ResponseHead,
};

use crate::provider::TokenProvider;
use crate::secret::AccessToken;
use crate::store::TokenStore;

/// The scheme in front of the token in `Authorization`.
const BEARER: &str = "Bearer ";

/// Sends a valid token with every request, replacing any `Authorization` header the request
/// had (send a downscoped token through a client without this hook); after a `401`, renews
/// the token (if it is still the current one) and has the request sent once more.
impl<S: TokenStore + 'static> Hook for TokenProvider<S> {
    fn before_send<'a>(
        &'a self,
        request: &'a mut box_auth::reqwest::Request,
        _context: &'a HookContext,
    ) -> BoxFuture<'a, Result<(), HookError>> {
        Box::pin(async move {
            let token = self.token().await.map_err(HookError::new)?;
            request
                .headers_mut()
                .insert(AUTHORIZATION, bearer_header(&token)?);
            Ok(())
        })
    }

    fn after_response<'a>(
        &'a self,
        request: &'a RequestHead,
        response: &'a ResponseHead,
        context: &'a HookContext,
    ) -> BoxFuture<'a, Result<AfterResponse, HookError>> {
        Box::pin(async move {
            if response.status != StatusCode::UNAUTHORIZED || context.resent {
                return Ok(AfterResponse::Accept);
            }
            let Some(rejected) = bearer_token(&request.headers) else {
                return Ok(AfterResponse::Accept);
            };
            match self.token_rejected(&rejected).await {
                Ok(true) => Ok(AfterResponse::SendAgain),
                Ok(false) => Ok(AfterResponse::Accept),
                Err(error) => Err(HookError::new(error)),
            }
        })
    }
}

/// `Authorization: Bearer <token>`, marked sensitive so that HTTP tooling leaves it out.
fn bearer_header(token: &AccessToken) -> Result<HeaderValue, HookError> {
    let mut value = HeaderValue::try_from(format!("{BEARER}{}", token.expose()))
        .map_err(|_| HookError::new("the access token cannot be sent in a header"))?;
    value.set_sensitive(true);
    Ok(value)
}

/// The bearer token a request carried.
fn bearer_token(headers: &HeaderMap) -> Option<AccessToken> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix(BEARER).map(AccessToken::from)
}

/// The header that makes a request act as another user of the enterprise.
pub const AS_USER: HeaderName = HeaderName::from_static("as-user");

/// Headers that make requests act as the user with id `user_id`, for an admin or service
/// account token that may do so. Use them for one call, or keep the client:
///
/// ```no_run
/// # async fn run(client: box_auth::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let as_user = client.with_extra_headers(box_tokens::as_user("12345")?);
/// # let _ = as_user;
/// # Ok(())
/// # }
/// ```
///
/// Box user ids are decimal numbers; anything else is refused here rather than by Box.
pub fn as_user(user_id: &str) -> Result<HeaderMap, InvalidUserId> {
    let numeric = !user_id.is_empty() && user_id.bytes().all(|byte| byte.is_ascii_digit());
    if !numeric {
        return Err(InvalidUserId);
    }
    let value = HeaderValue::from_str(user_id).map_err(|_| InvalidUserId)?;
    Ok(HeaderMap::from_iter([(AS_USER, value)]))
}

/// A user id for `As-User` that is not a Box user id (a decimal number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a Box user id is a decimal number")]
pub struct InvalidUserId;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_user_accepts_decimal_ids_only() {
        let headers = as_user("12345").expect("a Box user id");
        assert_eq!(headers.get("As-User").unwrap(), "12345");
        for bad in ["", "12 3", "abc", "1\r\nX: y"] {
            assert_eq!(as_user(bad), Err(InvalidUserId), "{bad:?}");
        }
    }

    #[test]
    fn the_bearer_token_round_trips_through_the_header() {
        let header = bearer_header(&AccessToken::from("token-1")).unwrap();
        assert!(header.is_sensitive());
        let headers = HeaderMap::from_iter([(AUTHORIZATION, header)]);
        assert_eq!(bearer_token(&headers), Some(AccessToken::from("token-1")));
        assert!(bearer_header(&AccessToken::from("bad\ntoken")).is_err());
    }
}
