//! Assembling one call of an operation: query, headers, cookies and body, each written the
//! way the spec says. A value that cannot be sent (a header with a line break, a body that
//! cannot be serialised) is kept as a [`RequestProblem`] and reported before anything is sent.

use std::fmt;

use bytes::Bytes;
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, COOKIE,
};
use serde::Serialize;
use url::Url;

use crate::client::{Operation, Transport};
use crate::encode::{self, Escape, Segment, Style};
use crate::error::RequestProblem;
use crate::multipart::Parts;
use crate::payload::{Payload, Replay};

/// One call of an operation being assembled, from [`Transport::request`]: each value is
/// written once, here, and every attempt of the call sends what was written. One of the
/// `returning_*` methods ends the assembly with the [`Call`](crate::Call) that sends it.
pub struct RequestBuilder {
    pub(crate) transport: Transport,
    pub(crate) operation: Operation,
    url: Url,
    headers: HeaderMap,
    cookies: Vec<(String, String)>,
    body: Option<Body>,
    problem: Option<RequestProblem>,
}

enum Body {
    Bytes(Bytes),
    Payload(Payload),
    Multipart(Parts),
}

impl RequestBuilder {
    /// A call of `operation` to `url` (or the problem met making it), through `transport`.
    pub(crate) fn new(
        transport: Transport,
        operation: &Operation,
        base: &Url,
        segments: &[Segment],
    ) -> Self {
        let (url, problem) = match encode::endpoint(base, segments) {
            Ok(url) => (url, None),
            Err(problem) => (base.clone(), Some(problem)),
        };
        Self {
            transport,
            operation: operation.clone(),
            url,
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            problem,
        }
    }

    /// Appends the query parameters held by `params` (a struct whose other fields serde
    /// skips), in its field order, each in the style `styles` gives for its name, else `form`,
    /// exploded.
    pub fn query<T: Serialize + ?Sized>(mut self, params: &T, styles: &[(&str, Style)]) -> Self {
        match encode::member_pairs(params, styles, Escape::Percent) {
            Ok(pairs) => encode::append_query(&mut self.url, &pairs),
            Err(problem) => self.fail(problem),
        }
        self
    }

    /// Sets header `name` to `value` written in `style`; `None` sets nothing. Several values
    /// (an exploded style) are joined by `,`, as HTTP joins repeated headers.
    pub fn header<T: Serialize + ?Sized>(mut self, name: &str, value: &T, style: Style) -> Self {
        match encode::value_pairs(name, value, style, Escape::Verbatim) {
            Ok(pairs) if pairs.is_empty() => {}
            Ok(pairs) => {
                let values: Vec<String> = pairs.into_iter().map(|(_, value)| value).collect();
                self.set_header(name, values.join(","));
            }
            Err(problem) => self.fail(problem),
        }
        self
    }

    /// Adds cookie `name` with `value` written in `style`, percent-encoded; all cookies travel
    /// in one `Cookie` header.
    pub fn cookie<T: Serialize + ?Sized>(mut self, name: &str, value: &T, style: Style) -> Self {
        match encode::value_pairs(name, value, style, Escape::Percent) {
            Ok(pairs) => self.cookies.extend(pairs),
            Err(problem) => self.fail(problem),
        }
        self
    }

    /// Sets the `Accept` header: the content types the operation documents for its responses.
    pub fn accept(mut self, content_types: &'static str) -> Self {
        self.headers
            .insert(ACCEPT, HeaderValue::from_static(content_types));
        self
    }

    /// Sends `body` as JSON with `content_type` (`application/json` or a vendor's `+json`).
    pub fn json<T: Serialize + ?Sized>(self, body: &T, content_type: &'static str) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.bytes(bytes, content_type),
            Err(error) => {
                let mut builder = self;
                builder.fail(RequestProblem::Body(error.to_string()));
                builder
            }
        }
    }

    /// Sends `body` (a struct) as `application/x-www-form-urlencoded`, in its field order, each
    /// field in the style `styles` gives for its name, else `form`, exploded. Values are
    /// percent-encoded as in a query (a space is `%20`), which every form parser reads.
    pub fn form<T: Serialize + ?Sized>(mut self, body: &T, styles: &[(&str, Style)]) -> Self {
        match encode::member_pairs(body, styles, Escape::Percent) {
            Ok(pairs) => self.bytes(
                encode::urlencoded(&pairs),
                "application/x-www-form-urlencoded",
            ),
            Err(problem) => {
                self.fail(problem);
                self
            }
        }
    }

    /// Sends a `multipart/form-data` body.
    pub fn multipart(mut self, parts: Parts) -> Self {
        self.body = Some(Body::Multipart(parts));
        self
    }

    /// Sends `payload` as it is, with `content_type`: bytes as they are, a file or a stream
    /// read as it is sent, with its length when known.
    pub fn payload(mut self, payload: Payload, content_type: &'static str) -> Self {
        if let Some(length) = payload.length() {
            self.headers
                .insert(CONTENT_LENGTH, HeaderValue::from(length));
        }
        self.body(Body::Payload(payload), content_type)
    }

    /// Sends `body` as it is, with `content_type`.
    pub fn bytes(self, body: impl Into<Bytes>, content_type: &'static str) -> Self {
        self.body(Body::Bytes(body.into()), content_type)
    }

    fn body(mut self, body: Body, content_type: &'static str) -> Self {
        self.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        self.body = Some(body);
        self
    }

    fn set_header(&mut self, name: &str, text: String) {
        match (HeaderName::try_from(name), HeaderValue::try_from(text)) {
            (Ok(name), Ok(value)) => {
                self.headers.insert(name, value);
            }
            _ => self.fail(RequestProblem::HeaderValue(name.to_owned())),
        }
    }

    fn fail(&mut self, problem: RequestProblem) {
        self.problem.get_or_insert(problem);
    }

    /// Whether the request can be sent again with the same body.
    pub(crate) fn replay(&self) -> Replay {
        match &self.body {
            Some(Body::Payload(payload)) => payload.replay(),
            Some(Body::Multipart(parts)) => parts.replay(),
            Some(Body::Bytes(_)) | None => Replay::Any,
        }
    }

    /// The request one attempt sends, or the first problem met assembling it (a stream
    /// body already sent by an earlier attempt is one).
    pub(crate) fn attempt(&self) -> Result<reqwest::Request, RequestProblem> {
        if let Some(problem) = &self.problem {
            return Err(problem.clone());
        }
        let http = self.transport.http();
        let mut request = http
            .request(self.operation.method.clone(), self.url.clone())
            .headers(self.headers.clone());
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("; ");
            match HeaderValue::try_from(cookie) {
                Ok(value) => request = request.header(COOKIE, value),
                Err(_) => return Err(RequestProblem::HeaderValue("cookie".to_owned())),
            }
        }
        request = match &self.body {
            Some(Body::Bytes(bytes)) => request.body(bytes.clone()),
            Some(Body::Payload(payload)) => match payload.body() {
                Some(body) => request.body(body),
                None => {
                    let reason = "the body was a stream, already sent".to_owned();
                    return Err(RequestProblem::Body(reason));
                }
            },
            Some(Body::Multipart(parts)) => request.multipart(parts.form()?),
            None => request,
        };
        request
            .build()
            .map_err(|error| RequestProblem::Other(error.without_url().to_string()))
    }
}

/// Shows the operation, the header names and the first problem, never a value: the URL's
/// path, query, headers and body can all hold secrets.
impl fmt::Debug for RequestBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("operation", &self.operation.id)
            .field("method", &self.operation.method)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("problem", &self.problem)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::client::ApiClient;
    use crate::ClientBuilder;

    /// A transport, as a client holds it.
    struct Bare(Transport);

    impl ApiClient for Bare {
        type BaseUrls = ();

        fn from_parts(transport: Transport, (): ()) -> Self {
            Self(transport)
        }
    }

    const POST: Operation = Operation::new("post", reqwest::Method::POST);

    fn builder() -> RequestBuilder {
        let Bare(transport) = ClientBuilder::new().build();
        let base = Url::parse("https://api.example/x").unwrap();
        transport.request(&POST, &base, &[])
    }

    #[test]
    fn debug_names_the_operation_and_headers_but_shows_no_value() {
        let secret = "s3cr3t-token";
        let request = builder()
            .query(&serde_json::json!({"token": secret}), &[])
            .header("x-token", secret, encode::FORM)
            .cookie("session", secret, encode::FORM)
            .bytes(secret.to_owned(), "text/plain");
        let shown = format!("{request:?}");
        assert!(
            shown.contains("\"post\"") && shown.contains("x-token"),
            "{shown}"
        );
        assert!(!shown.contains(secret), "{shown}");
    }

    #[test]
    fn a_header_that_cannot_be_sent_is_a_problem_naming_it_not_its_value() {
        let request = builder().header("x-token", "line\nbreak", encode::FORM);
        let problem = request.attempt().unwrap_err();
        assert_eq!(problem, RequestProblem::HeaderValue("x-token".to_owned()));
        assert!(!problem.to_string().contains("line"), "{problem}");
    }

    #[test]
    fn query_form_and_cookies_are_written_in_one_go() {
        let params = json!({"tags": ["a", "b"], "skip": null});
        let body = json!({"grant_type": "refresh_token", "scope": "a b"});
        let request = builder()
            .query(&params, &[])
            .cookie("session", "s1", encode::FORM)
            .cookie("theme", "dark", encode::FORM)
            .form(&body, &[])
            .attempt()
            .unwrap();
        assert_eq!(request.url().query(), Some("tags=a&tags=b"));
        assert_eq!(request.headers()[COOKIE], "session=s1; theme=dark");
        assert_eq!(
            request.headers()[CONTENT_TYPE],
            "application/x-www-form-urlencoded"
        );
        let sent = request.body().and_then(|body| body.as_bytes()).unwrap();
        assert_eq!(sent, b"grant_type=refresh_token&scope=a%20b");
    }

    #[test]
    fn a_value_that_cannot_be_written_is_a_problem_naming_its_field() {
        let nested = json!({"grid": [["s3cr3t"]]});
        let form = builder().form(&nested, &[]).attempt().unwrap_err();
        let header = builder()
            .header("x-grid", &nested["grid"], encode::FORM)
            .attempt()
            .unwrap_err();
        let cookie = builder()
            .cookie("grid", &nested["grid"], encode::FORM)
            .attempt()
            .unwrap_err();
        for (problem, field) in [(form, "grid"), (header, "x-grid"), (cookie, "grid")] {
            assert!(
                matches!(&problem, RequestProblem::Parameter { name, .. } if name == field),
                "{problem:?}"
            );
            assert!(!problem.to_string().contains("s3cr3t"), "{problem}");
        }
    }

    #[tokio::test]
    async fn a_file_body_is_streamed_with_its_length_not_copied() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), [7u8; 4096]).unwrap();
        let payload = Payload::file(file.path()).await.unwrap();
        let request = builder().payload(payload, "application/octet-stream");
        assert_eq!(request.replay(), Replay::Any);
        let request = request.attempt().unwrap();
        assert_eq!(request.headers()[CONTENT_LENGTH], "4096");
        let body = request.body().expect("a body");
        assert_eq!(body.as_bytes(), None, "a stream, not bytes in memory");
    }

    #[test]
    fn a_stream_is_sent_once_and_then_refused() {
        let chunks = [Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"x"))];
        let payload = Payload::stream(futures_util::stream::iter(chunks));
        let request = builder().payload(payload, "application/octet-stream");
        assert_eq!(request.replay(), Replay::Once);
        assert!(request.attempt().is_ok());
        assert!(matches!(
            request.attempt(),
            Err(RequestProblem::Body(reason)) if reason.contains("already sent")
        ));
    }

    #[test]
    fn header_arrays_and_objects_keep_their_delimiters_unescaped() {
        let request = builder()
            .header("x-flags", &["a b", "c"], Style::Simple { explode: false })
            .header("x-none", &None::<String>, Style::Simple { explode: false })
            .attempt()
            .unwrap();
        assert_eq!(request.headers()["x-flags"], "a b,c");
        assert!(!request.headers().contains_key("x-none"));
    }
}
