//! Building a `multipart/form-data` body, one part per property, each with the content type
//! and headers the spec gives it, and [`FilePart`], the value of a file part.

use std::borrow::Cow;
use std::fmt;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::multipart::{Form, Part};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::RequestProblem;
use crate::payload::{Payload, Replay};

/// The content type of a part whose property is an object or an array.
const JSON: &str = "application/json";
/// The content type of a part whose property is a string, number or boolean.
const TEXT: &str = "text/plain";
/// The content type of a file part when neither the spec nor the caller gives one.
const OCTET_STREAM: &str = "application/octet-stream";

/// How one part is sent: its name and what the spec says of its headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartSpec {
    name: &'static str,
    content_type: Option<&'static str>,
    headers: &'static [(&'static str, &'static str)],
}

impl PartSpec {
    /// The part named `name`, its content type chosen by its value: text for a string,
    /// number or boolean, JSON for anything else, `application/octet-stream` for a file.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            content_type: None,
            headers: &[],
        }
    }

    /// Sends the part as `content_type` (from the spec's `encoding`, or its schema).
    pub const fn content_type(self, content_type: &'static str) -> Self {
        Self {
            content_type: Some(content_type),
            ..self
        }
    }

    /// Sends `headers` with the part (from the spec's `encoding.headers`).
    pub const fn headers(self, headers: &'static [(&'static str, &'static str)]) -> Self {
        Self { headers, ..self }
    }
}

/// A `multipart/form-data` body being assembled, part by part. A value that cannot be written
/// is kept as a [`RequestProblem`], and the request is then not sent.
///
/// The parts are kept as they are described, and each attempt of a call makes its form from
/// them: bytes are shared, a file is opened again, a stream is sent once.
#[derive(Default)]
pub struct Parts {
    parts: Vec<PendingPart>,
    problem: Option<RequestProblem>,
}

/// One part as it was added: what it holds and how it is labelled.
struct PendingPart {
    name: String,
    content: Content,
    content_type: String,
    headers: HeaderMap,
}

/// What a part holds.
enum Content {
    Text(String),
    File { payload: Payload, file_name: String },
}

impl Parts {
    /// An empty body.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `value` as the part `spec` describes: a string as it is, a number or boolean as
    /// its JSON text, anything else as JSON; `None` and `null` add nothing.
    pub fn value<T: Serialize + ?Sized>(mut self, spec: PartSpec, value: &T) -> Self {
        match Content::of_value(value) {
            Ok(Some((content, default))) => self.add(spec, content, default),
            Ok(None) => self,
            Err(error) => {
                self.fail(RequestProblem::Body(format!(
                    "part `{}`: {error}",
                    spec.name
                )));
                self
            }
        }
    }

    /// Adds `file` as the part `spec` describes, with the file name and content type the
    /// caller gave it (else the part's name and the spec's content type); `None` adds nothing.
    pub fn file(self, spec: PartSpec, file: Option<&FilePart>) -> Self {
        let Some(file) = file else {
            return self;
        };
        let content = Content::File {
            payload: file.content.clone(),
            file_name: file.file_name.as_deref().unwrap_or(spec.name).to_owned(),
        };
        match &file.content_type {
            Some(own) => self.add_typed(spec.name.to_owned(), content, own, spec.headers),
            None => self.add(spec, content, OCTET_STREAM),
        }
    }

    /// Adds every file of `files` as its own part, each under the same name.
    pub fn files(self, spec: PartSpec, files: &[FilePart]) -> Self {
        files
            .iter()
            .fold(self, |parts, file| parts.file(spec, Some(file)))
    }

    /// Adds each member of `value`, an object written into the form it sits in (the
    /// properties beside the declared ones, or a union flattened into the body), as its own
    /// part, typed by its value.
    pub fn members<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        let members =
            serde_json::to_string(value).and_then(|json| serde_json::from_str::<Members>(&json));
        match members {
            Ok(Members(members)) => members.into_iter().fold(self, |parts, (name, member)| {
                parts.value_named(name, &member)
            }),
            Err(error) => {
                self.fail(RequestProblem::Body(error.to_string()));
                self
            }
        }
    }

    fn value_named<T: Serialize + ?Sized>(mut self, name: String, value: &T) -> Self {
        match Content::of_value(value) {
            Ok(Some((content, default))) => self.add_typed(name, content, default, &[]),
            Ok(None) => self,
            Err(error) => {
                self.fail(RequestProblem::Body(format!("part `{name}`: {error}")));
                self
            }
        }
    }

    /// Adds `content`, typed as the spec says, else as `default`.
    fn add(self, spec: PartSpec, content: Content, default: &str) -> Self {
        let content_type = spec.content_type.unwrap_or(default);
        self.add_typed(spec.name.to_owned(), content, content_type, spec.headers)
    }

    fn add_typed(
        mut self,
        name: String,
        content: Content,
        content_type: &str,
        spec_headers: &[(&str, &str)],
    ) -> Self {
        if content_type.parse::<mime::Mime>().is_err() {
            let reason = format!("part `{name}`: `{content_type}` is not a content type");
            self.fail(RequestProblem::Body(reason));
            return self;
        }
        let mut headers = HeaderMap::new();
        for (header, value) in spec_headers {
            match (HeaderName::try_from(*header), HeaderValue::try_from(*value)) {
                (Ok(header), Ok(value)) => {
                    headers.insert(header, value);
                }
                _ => self.fail(RequestProblem::HeaderValue((*header).to_owned())),
            }
        }
        self.parts.push(PendingPart {
            name,
            content,
            content_type: content_type.to_owned(),
            headers,
        });
        self
    }

    fn fail(&mut self, problem: RequestProblem) {
        self.problem.get_or_insert(problem);
    }

    /// Whether a request with this body can be sent again: not when a file part is a
    /// stream.
    pub(crate) fn replay(&self) -> Replay {
        let streams = self.parts.iter().any(|part| {
            matches!(&part.content, Content::File { payload, .. } if payload.replay() == Replay::Once)
        });
        if streams {
            Replay::Once
        } else {
            Replay::Any
        }
    }

    /// The form for one attempt, or the first problem met assembling the parts (or a
    /// stream, already sent by an earlier attempt).
    pub(crate) fn form(&self) -> Result<Form, RequestProblem> {
        if let Some(problem) = &self.problem {
            return Err(problem.clone());
        }
        self.parts.iter().try_fold(Form::new(), |form, pending| {
            let part = pending.part()?;
            Ok(form.part(pending.name.clone(), part))
        })
    }
}

impl PendingPart {
    /// The part as one attempt sends it.
    fn part(&self) -> Result<Part, RequestProblem> {
        let part = match &self.content {
            Content::Text(text) => Part::text(text.clone()),
            Content::File { payload, file_name } => {
                let Some(body) = payload.body() else {
                    let reason =
                        format!("part `{}`: the file was a stream, already sent", self.name);
                    return Err(RequestProblem::Body(reason));
                };
                let part = match payload.length() {
                    Some(length) => Part::stream_with_length(body, length),
                    None => Part::stream(body),
                };
                part.file_name(file_name.clone())
            }
        };
        let part = part
            .mime_str(&self.content_type)
            .map_err(|error| RequestProblem::Body(error.to_string()))?;
        Ok(part.headers(self.headers.clone()))
    }
}

/// Shows the parts' names and content types, never their content.
impl fmt::Debug for Parts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<_> = self
            .parts
            .iter()
            .map(|part| (&part.name, &part.content_type))
            .collect();
        f.debug_struct("Parts")
            .field("parts", &parts)
            .field("problem", &self.problem)
            .finish_non_exhaustive()
    }
}

/// The members of a JSON object in the order written; anything but an object has none.
struct Members(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Members;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(Members(members))
            }

            fn visit_unit<E: serde::de::Error>(self) -> Result<Members, E> {
                Ok(Members(Vec::new()))
            }
        }

        deserializer.deserialize_any(Visitor)
    }
}

impl Content {
    /// What `value` comes to in a part, with the content type that fits it: a string as its
    /// text, a number or boolean as its JSON text (both `text/plain`), an object or array as
    /// JSON; `None` for `null`. `value` is written as JSON once and a string read back out
    /// of it: no copy through `serde_json::Value`, so an object keeps its members' order.
    fn of_value<T: Serialize + ?Sized>(
        value: &T,
    ) -> Result<Option<(Self, &'static str)>, serde_json::Error> {
        let json = serde_json::to_string(value)?;
        Ok(match json.as_bytes().first() {
            Some(b'n') if json == "null" => None,
            Some(b'"') => Some((Self::Text(serde_json::from_str(&json)?), TEXT)),
            Some(b'{' | b'[') => Some((Self::Text(json), JSON)),
            _ => Some((Self::Text(json), TEXT)),
        })
    }
}

/// The content of a file part: bytes, a file or a stream (a [`Payload`]), with the file name
/// and content type to send them with.
///
/// Without a file name the part is named after its property; without a content type it is
/// sent as the spec's `encoding` says, else as `application/octet-stream`. Build it from bytes
/// (`Vec<u8>`, `&[u8]`, a string) or a [`Payload`] (a file read as it is sent, a stream sent
/// once) and add the rest as needed:
///
/// ```
/// use clientgen_runtime::multipart::FilePart;
///
/// let file = FilePart::from(b"%PDF-1.7".to_vec())
///     .file_name("report.pdf")
///     .content_type("application/pdf");
/// assert_eq!(file.name(), Some("report.pdf"));
/// ```
///
/// Inside a JSON body (where a `format: binary` property is a string) it is written as its
/// bytes read as UTF-8 text, and read back as that text's bytes; a file or a stream cannot be
/// written there.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    content: Payload,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// Sends the part with `file_name` as its file name.
    pub fn file_name(self, file_name: impl Into<String>) -> Self {
        Self {
            file_name: Some(file_name.into()),
            ..self
        }
    }

    /// Sends the part as `content_type`, whatever the spec says.
    pub fn content_type(self, content_type: impl Into<String>) -> Self {
        Self {
            content_type: Some(content_type.into()),
            ..self
        }
    }

    /// The content, when it is bytes in memory (not a file or a stream).
    pub fn bytes(&self) -> Option<&[u8]> {
        self.content.as_bytes()
    }

    /// The file name given, if any.
    pub fn name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content type given, if any.
    pub fn media_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }
}

impl From<Payload> for FilePart {
    fn from(content: Payload) -> Self {
        Self {
            content,
            ..Self::default()
        }
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        Self::from(Payload::from(bytes))
    }
}

impl From<&[u8]> for FilePart {
    fn from(bytes: &[u8]) -> Self {
        Self::from(bytes.to_vec())
    }
}

impl<const N: usize> From<&[u8; N]> for FilePart {
    fn from(bytes: &[u8; N]) -> Self {
        Self::from(bytes.to_vec())
    }
}

impl From<String> for FilePart {
    fn from(text: String) -> Self {
        Self::from(text.into_bytes())
    }
}

impl From<&str> for FilePart {
    fn from(text: &str) -> Self {
        Self::from(text.as_bytes())
    }
}

/// Shows where the content comes from, its size, file name and content type; never the content.
impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("content", &self.content)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl Serialize for FilePart {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.content.as_bytes() {
            Some(bytes) => serializer.serialize_str(&String::from_utf8_lossy(bytes)),
            None => Err(serde::ser::Error::custom(
                "a file part read from a file or a stream cannot be written into JSON",
            )),
        }
    }
}

impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from(text.into_owned()))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    /// The body `parts` is sent as, received by a local server.
    async fn sent(parts: Parts) -> String {
        let server = wiremock::MockServer::start().await;
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(wiremock::ResponseTemplate::new(204))
            .mount(&server)
            .await;
        let form = parts.form().expect("no problem");
        reqwest::Client::new()
            .post(server.uri())
            .multipart(form)
            .send()
            .await
            .expect("sent");
        let received = server.received_requests().await.unwrap_or_default();
        String::from_utf8_lossy(&received[0].body).into_owned()
    }

    #[tokio::test]
    async fn each_part_carries_its_content_type() {
        let attributes = json!({"name": "report", "parent": {"id": "0"}});
        let parts = Parts::new()
            .value(PartSpec::new("attributes").content_type(JSON), &attributes)
            .value(PartSpec::new("note"), "hello")
            .value(PartSpec::new("count"), &3)
            .value(PartSpec::new("skipped"), &None::<String>)
            .file(
                PartSpec::new("file").content_type("image/png"),
                Some(&FilePart::from(b"PNG".to_vec()).file_name("a.png")),
            )
            .file(
                PartSpec::new("raw").headers(&[("x-part", "1")]),
                Some(&FilePart::from("abc")),
            );
        let body = sent(parts).await;
        let expected = [
            "content-disposition: form-data; name=\"attributes\"\r\ncontent-type: application/json\r\n\r\n{\"name\":\"report\",\"parent\":{\"id\":\"0\"}}",
            "name=\"note\"\r\ncontent-type: text/plain\r\n\r\nhello\r\n",
            "name=\"count\"\r\ncontent-type: text/plain\r\n\r\n3\r\n",
            "name=\"file\"; filename=\"a.png\"\r\ncontent-type: image/png\r\n\r\nPNG\r\n",
            "name=\"raw\"; filename=\"raw\"\r\ncontent-type: application/octet-stream\r\nx-part: 1\r\n\r\nabc\r\n",
        ];
        let lower = body.to_lowercase();
        for part in expected {
            assert!(lower.contains(&part.to_lowercase()), "{part}\nin\n{body}");
        }
        assert!(!body.contains("skipped"), "{body}");
    }

    #[tokio::test]
    async fn the_callers_content_type_wins_and_map_members_are_typed_by_value() {
        let members: BTreeMap<String, serde_json::Value> =
            [("a".to_owned(), json!("x")), ("b".to_owned(), json!([1]))].into();
        let parts = Parts::new()
            .file(
                PartSpec::new("file").content_type("image/png"),
                Some(&FilePart::from("x").content_type("image/gif")),
            )
            .members(&members)
            .members(&json!({"z": 1, "c": {"k": true}}));
        let body = sent(parts).await.to_lowercase();
        assert!(body.contains("content-type: image/gif"), "{body}");
        assert!(!body.contains("image/png"), "{body}");
        assert!(
            body.contains("name=\"a\"\r\ncontent-type: text/plain\r\n\r\nx"),
            "{body}"
        );
        assert!(
            body.contains("name=\"b\"\r\ncontent-type: application/json\r\n\r\n[1]"),
            "{body}"
        );
        let z = "name=\"z\"\r\ncontent-type: text/plain\r\n\r\n1";
        let c = "name=\"c\"\r\ncontent-type: application/json\r\n\r\n{\"k\":true}";
        assert!(body.contains(z) && body.contains(c), "{body}");
    }

    #[tokio::test]
    async fn a_file_part_from_a_file_or_a_stream_is_read_as_it_is_sent() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), "from disk").unwrap();
        let on_disk = FilePart::from(Payload::file(file.path()).await.unwrap());
        let chunks = ["stre", "amed"].map(Ok::<_, std::io::Error>);
        let streamed = FilePart::from(Payload::stream(futures_util::stream::iter(chunks)));
        assert_eq!(on_disk.bytes(), None);
        let parts = Parts::new()
            .file(PartSpec::new("disk"), Some(&on_disk))
            .file(PartSpec::new("stream"), Some(&streamed));
        assert_eq!(parts.replay(), Replay::Once);
        let body = sent(parts).await;
        assert!(body.contains("filename=\"disk\"\r\n"), "{body}");
        assert!(body.contains("\r\n\r\nfrom disk\r\n"), "{body}");
        assert!(body.contains("\r\n\r\nstreamed\r\n"), "{body}");
        assert!(serde_json::to_string(&on_disk).is_err());
    }

    #[test]
    fn a_bad_content_type_or_header_is_a_problem_not_a_silent_drop() {
        let parts = Parts::new().value(PartSpec::new("a").content_type("not a type"), "x");
        assert!(matches!(parts.form(), Err(RequestProblem::Body(_))));
        let parts = Parts::new().value(PartSpec::new("a").headers(&[("x-h", "bad\nvalue")]), "x");
        assert_eq!(
            parts.form().err(),
            Some(RequestProblem::HeaderValue("x-h".to_owned()))
        );
    }

    #[test]
    fn file_parts_show_no_content_and_travel_in_json_as_text() {
        let file = FilePart::from("secret content").file_name("a.txt");
        let shown = format!("{file:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("a.txt"), "{shown}");
        let json = serde_json::to_string(&file).unwrap();
        assert_eq!(json, "\"secret content\"");
        let back: FilePart = serde_json::from_str(&json).unwrap();
        assert_eq!(back.bytes(), Some(&b"secret content"[..]));
    }
}
