//! A mock of Box's OAuth 2.0 endpoints on 127.0.0.1 that behaves as Box does where it matters
//! to the token layer: refresh tokens are single-use, with a grace window in which the
//! just-used one returns the same pair until that pair is used; authorization codes are
//! single-use; assertions are verified with the app's public key, their `exp` checked against
//! Box's own clock (sent back as `Date`) and their `jti` never accepted twice. One API
//! endpoint, `GET /2.0/users/me`, accepts only a live access token.

#![allow(dead_code)] // Each test binary uses a different part.

pub mod lock_holder;

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use box_auth::RetryPolicy;
use box_tokens::{
    ClientSecret, ManualClock, TokenClient, TokenProvider, TokenStore, Tokens, BOX_TOKEN_AUDIENCE,
    JWT_BEARER_GRANT_TYPE,
};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const CLIENT_ID: &str = "test-client-id-0123456789";
pub const CLIENT_SECRET: &str = "test-client-secret-do-not-use";
pub const KEY_ID: &str = "test-kid-1";
pub const APP_CONFIG: &str = include_str!("../data/box_config.json");
const PUBLIC_KEY: &str = include_str!("../data/rsa_public.pem");

/// Box's clock in the mock, and the local clock tests start from.
pub fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
}

/// The waits a client asked for, recorded instead of slept.
pub type Waits = Arc<Mutex<Vec<Duration>>>;

pub fn token_client(mock: &MockBox, clock: &ManualClock) -> (TokenClient, Waits) {
    let waits = Waits::default();
    let recorded = Arc::clone(&waits);
    let client = TokenClient::builder(CLIENT_ID, ClientSecret::from(CLIENT_SECRET))
        .base_urls(mock.base_urls())
        .clock(clock.clone())
        .retry(RetryPolicy::default().without_jitter())
        .sleep_with(move |wait| {
            recorded.lock().unwrap().push(wait);
            Box::pin(async {})
        })
        .build();
    (client, waits)
}

/// A user who signed in at `t0`: the mock's first pair, stored.
pub async fn signed_in_user<S: TokenStore>(
    mock: &MockBox,
    clock: &ManualClock,
    store: S,
) -> TokenProvider<S> {
    let (client, _) = token_client(mock, clock);
    let provider = TokenProvider::user(client, "alice")
        .store(store)
        .refresh_ahead(Duration::from_secs(300), Duration::ZERO)
        .build();
    let (access, refresh) = mock.ledger().issue_pair();
    let tokens = Tokens::from_response(access.into(), Some(3600), Some(refresh.into()), t0());
    provider.set_tokens(tokens).await.unwrap();
    provider
}

/// A form the mock received, as name/value pairs.
#[derive(Debug, Clone)]
pub struct Form(pub Vec<(String, String)>);

impl Form {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn names(&self) -> Vec<&str> {
        self.0.iter().map(|(key, _)| key.as_str()).collect()
    }
}

/// What the mock saw and holds.
#[derive(Default)]
pub struct Ledger {
    /// Box's clock; every answer carries it as `Date`.
    pub now: Option<SystemTime>,
    /// Every form posted to `/oauth2/token`, in order.
    pub token_requests: Vec<Form>,
    /// Every form posted to `/oauth2/revoke`.
    pub revocations: Vec<Form>,
    /// The bearer token of every API call.
    pub api_calls: Vec<Option<String>>,
    /// The decoded claims and header `kid` of every assertion that verified.
    pub assertions: Vec<(Value, Option<String>)>,
    /// Answers to give instead of acting, for the next token requests: status and
    /// `Retry-After`.
    pub failures: VecDeque<(u16, Option<&'static str>)>,
    /// How many of the next token requests Box acts on but whose answer is lost (a `502`
    /// from a proxy in front of it, say).
    pub lost_answers: usize,
    /// Authorization codes Box would accept.
    pub codes: HashSet<String>,
    issued: u32,
    live_access: HashSet<String>,
    refresh: HashMap<String, Refresh>,
    /// Pairs issued by a refresh and not used yet: access token to refresh token.
    fresh_pairs: HashMap<String, String>,
    jtis: HashSet<String>,
}

/// Where a refresh token stands.
#[derive(Clone)]
enum Refresh {
    Unused,
    /// Used once for this pair, which it gives again until the pair is used.
    Used {
        access: String,
        refresh: String,
    },
    Dead,
}

impl Ledger {
    pub fn refreshes(&self) -> usize {
        self.grants("refresh_token")
    }

    pub fn grants(&self, grant_type: &str) -> usize {
        self.token_requests
            .iter()
            .filter(|form| form.get("grant_type") == Some(grant_type))
            .count()
    }

    /// A pair as an authorization code would give it, known to the mock.
    pub fn issue_pair(&mut self) -> (String, String) {
        let (access, refresh) = self.next_pair();
        self.live_access.insert(access.clone());
        self.refresh.insert(refresh.clone(), Refresh::Unused);
        (access, refresh)
    }

    /// Makes Box forget every refresh token it issued (revoked, or aged out).
    pub fn forget_refresh_tokens(&mut self) {
        self.refresh.clear();
    }

    /// Makes Box forget an access token (revoked, or expired on its side).
    pub fn kill_access(&mut self, access: &str) {
        self.live_access.remove(access);
    }

    fn next_pair(&mut self) -> (String, String) {
        self.issued += 1;
        (
            format!("access-{}", self.issued),
            format!("refresh-{}", self.issued),
        )
    }

    fn now(&self) -> SystemTime {
        self.now.unwrap_or_else(t0)
    }

    /// The pair of a refresh: the grace-window rules.
    fn refresh(&mut self, token: &str) -> Result<(String, String), &'static str> {
        match self.refresh.get(token).cloned() {
            Some(Refresh::Unused) => {
                let (access, refresh) = self.next_pair();
                self.live_access.insert(access.clone());
                self.refresh.insert(refresh.clone(), Refresh::Unused);
                self.fresh_pairs.insert(access.clone(), refresh.clone());
                self.refresh.insert(
                    token.to_owned(),
                    Refresh::Used {
                        access: access.clone(),
                        refresh: refresh.clone(),
                    },
                );
                Ok((access, refresh))
            }
            Some(Refresh::Used { access, refresh }) if self.fresh_pairs.contains_key(&access) => {
                Ok((access, refresh))
            }
            _ => Err("Refresh token has expired"),
        }
    }

    /// The pair of `access` is now in use: the refresh token before it dies for good.
    fn pair_used(&mut self, access: &str) {
        if self.fresh_pairs.remove(access).is_some() {
            for state in self.refresh.values_mut() {
                if matches!(state, Refresh::Used { access: used, .. } if used == access) {
                    *state = Refresh::Dead;
                }
            }
        }
    }
}

#[derive(Clone)]
struct Endpoint {
    ledger: Arc<Mutex<Ledger>>,
}

pub struct MockBox {
    pub server: MockServer,
    ledger: Arc<Mutex<Ledger>>,
}

impl MockBox {
    pub async fn start() -> Self {
        // Not `MockServer::start()`: that one hands out servers from a pool shared by the
        // binary's tests, and a request a finished test abandoned (its renewal deadline hit
        // while the request was on the wire) would then reach the next test's ledger.
        let server = MockServer::builder().start().await;
        let ledger = Arc::new(Mutex::new(Ledger::default()));
        let endpoint = Endpoint {
            ledger: Arc::clone(&ledger),
        };
        for (verb, route) in [
            ("POST", "/oauth2/token"),
            ("POST", "/oauth2/revoke"),
            ("GET", "/2.0/users/me"),
        ] {
            Mock::given(method(verb))
                .and(path(route))
                .respond_with(endpoint.clone())
                .mount(&server)
                .await;
        }
        Self { server, ledger }
    }

    pub fn ledger(&self) -> MutexGuard<'_, Ledger> {
        self.ledger.lock().unwrap()
    }

    pub fn base_urls(&self) -> box_auth::BaseUrls {
        box_auth::BaseUrls::all(self.server.uri().parse().unwrap())
    }
}

impl Respond for Endpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut ledger = self.ledger.lock().unwrap();
        let date = httpdate::fmt_http_date(ledger.now());
        let answer = match request.url.path() {
            "/2.0/users/me" => api_call(&mut ledger, request),
            "/oauth2/revoke" => {
                let form = form(request);
                if let Some(token) = form.get("token") {
                    let token = token.to_owned();
                    ledger.kill_access(&token);
                    ledger.refresh.insert(token, Refresh::Dead);
                }
                ledger.revocations.push(form);
                ResponseTemplate::new(200)
            }
            _ => token_endpoint(&mut ledger, form(request)),
        };
        answer.insert_header("date", date.as_str())
    }
}

fn form(request: &Request) -> Form {
    Form(
        url::form_urlencoded::parse(&request.body)
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect(),
    )
}

fn api_call(ledger: &mut Ledger, request: &Request) -> ResponseTemplate {
    let bearer = request
        .headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::to_owned);
    ledger.api_calls.push(bearer.clone());
    match bearer {
        Some(token) if ledger.live_access.contains(&token) => {
            ledger.pair_used(&token);
            ResponseTemplate::new(200).set_body_json(json!({"type": "user", "id": "42"}))
        }
        _ => ResponseTemplate::new(401),
    }
}

fn refused(error: &str, description: &str) -> ResponseTemplate {
    ResponseTemplate::new(400)
        .set_body_json(json!({"error": error, "error_description": description}))
}

fn token_endpoint(ledger: &mut Ledger, form: Form) -> ResponseTemplate {
    ledger.token_requests.push(form.clone());
    if let Some((status, retry_after)) = ledger.failures.pop_front() {
        let answer = ResponseTemplate::new(status);
        return match retry_after {
            Some(wait) => answer.insert_header("retry-after", wait),
            None => answer,
        };
    }
    let answer = act(ledger, &form);
    if ledger.lost_answers > 0 {
        ledger.lost_answers -= 1;
        return ResponseTemplate::new(502);
    }
    answer
}

fn act(ledger: &mut Ledger, form: &Form) -> ResponseTemplate {
    let grant_type = form.get("grant_type").unwrap_or_default();
    let exchange = grant_type == "urn:ietf:params:oauth:grant-type:token-exchange";
    let credentials = form.get("client_id") == Some(CLIENT_ID)
        && form.get("client_secret") == Some(CLIENT_SECRET);
    if !exchange && !credentials {
        return refused("invalid_client", "The client credentials are invalid");
    }
    match grant_type {
        "authorization_code" => {
            let code = form.get("code").unwrap_or_default();
            if !ledger.codes.remove(code) {
                return refused("invalid_grant", "Auth code doesn't exist or is invalid");
            }
            let (access, refresh) = ledger.issue_pair();
            issued(&access, Some(&refresh))
        }
        "refresh_token" => match ledger.refresh(form.get("refresh_token").unwrap_or_default()) {
            Ok((access, refresh)) => issued(&access, Some(&refresh)),
            Err(reason) => refused("invalid_grant", reason),
        },
        "client_credentials" => {
            if form.get("box_subject_type").is_none() || form.get("box_subject_id").is_none() {
                return refused("invalid_request", "box_subject_type and box_subject_id");
            }
            single_token(ledger)
        }
        JWT_BEARER_GRANT_TYPE => match verify_assertion(ledger, form) {
            Ok(()) => single_token(ledger),
            Err(reason) => refused("invalid_grant", reason),
        },
        _ if exchange => downscoped(ledger, form),
        _ => refused("unsupported_grant_type", "Grant type is not supported"),
    }
}

fn issued(access: &str, refresh: Option<&str>) -> ResponseTemplate {
    let mut body = json!({
        "access_token": access,
        "expires_in": 3600,
        "token_type": "bearer",
        "restricted_to": [],
    });
    if let Some(refresh) = refresh {
        body["refresh_token"] = json!(refresh);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

fn single_token(ledger: &mut Ledger) -> ResponseTemplate {
    let (access, _) = ledger.next_pair();
    ledger.live_access.insert(access.clone());
    issued(&access, None)
}

fn downscoped(ledger: &mut Ledger, form: &Form) -> ResponseTemplate {
    let subject = form.get("subject_token").unwrap_or_default();
    if !ledger.live_access.contains(subject) || form.get("scope").is_none() {
        return refused("invalid_grant", "The subject token is not valid");
    }
    let (access, _) = ledger.next_pair();
    let body = json!({
        "access_token": access,
        "expires_in": 3000,
        "token_type": "bearer",
        "issued_token_type": "urn:ietf:params:oauth:token-type:access_token",
        "restricted_to": [{
            "scope": form.get("scope"),
            "object": {"type": "file", "id": "123456"},
        }],
    });
    ResponseTemplate::new(200).set_body_json(body)
}

/// Checks an assertion as Box does; the reason Box gives when it refuses.
fn verify_assertion(ledger: &mut Ledger, form: &Form) -> Result<(), &'static str> {
    let assertion = form.get("assertion").ok_or("No assertion")?;
    let header = jsonwebtoken::decode_header(assertion).map_err(|_| "Malformed assertion")?;
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(PUBLIC_KEY.as_bytes()).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.validate_exp = false;
    validation.set_audience(&[BOX_TOKEN_AUDIENCE]);
    validation.set_issuer(&[CLIENT_ID]);
    validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
    let claims = jsonwebtoken::decode::<Value>(assertion, &key, &validation)
        .map_err(|_| "Invalid assertion signature or claims")?
        .claims;
    let now = ledger
        .now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let exp = claims["exp"].as_u64().ok_or("exp")?;
    if exp <= now || exp > now + 60 {
        return Err("Please check the 'exp' claim.");
    }
    let jti = claims["jti"].as_str().ok_or("jti")?.to_owned();
    if !(16..=128).contains(&jti.len()) || !ledger.jtis.insert(jti) {
        return Err("Please check the 'jti' claim.");
    }
    ledger.assertions.push((claims, header.kid));
    Ok(())
}
