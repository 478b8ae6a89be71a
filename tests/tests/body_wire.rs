//! What request bodies put on the wire, byte for byte, and what responses decode to, against a
//! local server on 127.0.0.1: values of any type (`tests/fixtures/any_value.yaml`), multipart
//! parts with their content types and headers (`parts.yaml`), and optional nullable properties
//! whose `null` means something absence does not (`patch.yaml`).

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A server that answers every `verb` request to `route` with `response`, once.
async fn server_answering(verb: &str, route: &str, response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(response)
        .expect(1)
        .mount(&server)
        .await;
    server
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    requests.remove(0)
}

fn body_json(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

mod any_value {
    use fixture_any_value::types::{Entry, SetMetadataParams};
    use fixture_any_value::{BaseUrls, Client, RetryPolicy, Url};

    use super::*;

    fn client(server: &MockServer) -> Result<Client, url::ParseError> {
        Ok(Client::builder()
            .base_urls(BaseUrls::all(Url::parse(&server.uri())?))
            .retry(RetryPolicy::none())
            .build())
    }

    /// An `allOf` of members that only annotate is any JSON: a string, an object or a number
    /// is sent as given and decodes as it came, where an empty struct took none of them.
    #[tokio::test]
    async fn annotation_only_compositions_carry_any_value() -> TestResult {
        let stored = json!({
            "value": "Aaron Levie",
            "extra": null,
            "source": {"kind": "import", "rows": [1, 2]},
            "additional": {"a": 1, "b": [true]}
        });
        let response = ResponseTemplate::new(200).set_body_json(&stored);
        let server = server_answering("PUT", "/metadata/name", response).await;
        let entry = Entry::builder()
            .value(json!({"first": "Aaron", "last": "Levie"}))
            .source(json!(42))
            .build();
        let params = SetMetadataParams::builder()
            .filter(json!({"name": "Aaron"}))
            .build();

        let answer = client(&server)?
            .set_metadata("name", &params, &entry)
            .await?
            .into_inner();

        let request = only_request(&server).await;
        assert_eq!(
            body_json(&request),
            json!({"value": {"first": "Aaron", "last": "Levie"}, "source": 42})
        );
        assert_eq!(
            request.url.query(),
            Some("filter=%7B%22name%22%3A%22Aaron%22%7D")
        );
        let expected = Entry::builder()
            .value("Aaron Levie")
            .extra(Value::Null)
            .source(json!({"kind": "import", "rows": [1, 2]}))
            .additional([("a", json!(1)), ("b", json!([true]))])
            .build();
        assert_eq!(answer, expected);
        Ok(())
    }
}

mod parts {
    use fixture_parts::types::{AddAvatarBody, AddAvatarBodyAttributes};
    use fixture_parts::{BaseUrls, Client, FilePart, RetryPolicy, Url};

    use super::*;

    /// The body with its boundary replaced by `BOUNDARY`.
    fn multipart_text(request: &Request) -> String {
        let content_type = request
            .headers
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("a multipart content type");
        String::from_utf8_lossy(&request.body).replace(boundary, "BOUNDARY")
    }

    /// Every part carries its content type: the property's `encoding.contentType` (the first
    /// of a list), else its schema's default; headers the document fixes go with it; a file
    /// part is sent under the file name the caller gives.
    #[tokio::test]
    async fn each_part_has_the_headers_openapi_gives_it() -> TestResult {
        let server = server_answering("POST", "/avatars", ResponseTemplate::new(204)).await;
        let body = AddAvatarBody::builder()
            .pic(FilePart::from(b"\x89PNG".to_vec()).file_name("me.png"))
            .attributes(
                AddAvatarBodyAttributes::builder()
                    .name("me")
                    .size(4)
                    .build(),
            )
            .caption("*hello*")
            .rank(3)
            .labels(["a", "b"])
            .extras([
                FilePart::from("one"),
                FilePart::from("two").file_name("2.txt"),
            ])
            .build();
        let client = Client::builder()
            .base_urls(BaseUrls::all(Url::parse(&server.uri())?))
            .retry(RetryPolicy::none())
            .build();

        client.add_avatar(&body).await?;

        let text = multipart_text(&only_request(&server).await);
        let expected = concat!(
            "--BOUNDARY\r\n",
            "Content-Disposition: form-data; name=\"pic\"; filename=\"me.png\"\r\n",
            "Content-Type: image/png\r\n",
            "x-kind: avatar\r\n\r\n",
            "\u{FFFD}PNG\r\n",
            "--BOUNDARY\r\n",
            "Content-Disposition: form-data; name=\"attributes\"\r\n",
            "Content-Type: application/json\r\n\r\n",
            "{\"name\":\"me\",\"size\":4}\r\n",
            "--BOUNDARY\r\n",
            "Content-Disposition: form-data; name=\"caption\"\r\n",
            "Content-Type: text/markdown\r\n\r\n",
            "*hello*\r\n",
            "--BOUNDARY\r\n",
            "Content-Disposition: form-data; name=\"rank\"\r\n",
            "Content-Type: text/plain\r\n\r\n",
            "3\r\n",
            "--BOUNDARY\r\n",
            "Content-Disposition: form-data; name=\"labels\"\r\n",
            "Content-Type: application/json\r\n\r\n",
            "[\"a\",\"b\"]\r\n",
            "--BOUNDARY\r\n",
            "Content-Disposition: form-data; name=\"extras\"; filename=\"extras\"\r\n",
            "Content-Type: application/octet-stream\r\n\r\n",
            "one\r\n",
            "--BOUNDARY\r\n",
            "Content-Disposition: form-data; name=\"extras\"; filename=\"2.txt\"\r\n",
            "Content-Type: application/octet-stream\r\n\r\n",
            "two\r\n",
            "--BOUNDARY--\r\n",
        );
        assert_eq!(text, expected);
        Ok(())
    }

    /// An optional file part left out sends no part; one given carries the header the
    /// document gives it a default for, and the caller's own content type.
    #[tokio::test]
    async fn optional_file_parts() -> TestResult {
        let server = server_answering("POST", "/avatars", ResponseTemplate::new(204)).await;
        let client = Client::builder()
            .base_urls(BaseUrls::all(Url::parse(&server.uri())?))
            .retry(RetryPolicy::none())
            .build();
        let body = AddAvatarBody::builder()
            .pic(b"x")
            .note(FilePart::from("n").content_type("text/csv"))
            .build();

        client.add_avatar(&body).await?;

        let text = multipart_text(&only_request(&server).await);
        let note = concat!(
            "Content-Disposition: form-data; name=\"note\"; filename=\"note\"\r\n",
            "Content-Type: text/csv\r\n",
            "x-version: 2\r\n\r\n",
            "n\r\n",
        );
        assert!(text.contains(note), "{text}");
        assert!(!text.contains("name=\"caption\""), "{text}");
        assert!(!text.contains("name=\"extras\""), "{text}");
        Ok(())
    }
}

mod patch {
    use fixture_patch::types::{FileUpdate, FileUpdateSharedLink, Lock, LockAccess};
    use fixture_patch::{BaseUrls, Client, Nullable, RetryPolicy, Url};

    use super::*;

    async fn exchange(update: &FileUpdate, answer: Value) -> Result<(Value, FileUpdate), String> {
        let response = ResponseTemplate::new(200).set_body_json(answer);
        let server = server_answering("PUT", "/files/7", response).await;
        let base = Url::parse(&server.uri()).map_err(|e| e.to_string())?;
        let client = Client::builder()
            .base_urls(BaseUrls::all(base))
            .retry(RetryPolicy::none())
            .build();
        let decoded = client
            .update_file("7", update)
            .await
            .map_err(|e| e.to_string())?
            .into_inner();
        Ok((body_json(&only_request(&server).await), decoded))
    }

    /// `null` is the whole request: restoring from the trash and unlocking send it, and
    /// leaving a property unset sends nothing for it.
    #[tokio::test]
    async fn a_null_the_caller_sets_is_sent() -> TestResult {
        let update = FileUpdate::builder()
            .trashed_at(Nullable::Null)
            .lock(None)
            .build();
        let (sent, _) = exchange(&update, json!({})).await?;
        assert_eq!(sent, json!({"trashed_at": null, "lock": null}));

        let untouched = FileUpdate::builder().name("a.txt").build();
        let (sent, _) = exchange(&untouched, json!({})).await?;
        assert_eq!(sent, json!({"name": "a.txt"}));
        Ok(())
    }

    /// A value goes out as the value, nested nullable properties included.
    #[tokio::test]
    async fn values_and_nested_nulls() -> TestResult {
        let update = FileUpdate::builder()
            .lock(
                Lock::builder()
                    .access(LockAccess::Lock)
                    .expires_at(Nullable::Null)
                    .build(),
            )
            .tags(vec!["a".to_owned()])
            .shared_link(
                FileUpdateSharedLink::builder()
                    .password(Nullable::Null)
                    .build(),
            )
            .build();
        let (sent, _) = exchange(&update, json!({})).await?;
        let expected = json!({
            "lock": {"access": "lock", "expires_at": null},
            "tags": ["a"],
            "shared_link": {"password": null}
        });
        assert_eq!(sent, expected);
        Ok(())
    }

    /// A response tells `null` from absence.
    #[tokio::test]
    async fn responses_decode_null_apart_from_absence() -> TestResult {
        let answer = json!({"trashed_at": null, "lock": {"access": "lock"}});
        let (_, decoded) = exchange(&FileUpdate::builder().build(), answer).await?;
        let expected = FileUpdate::builder()
            .trashed_at(Nullable::Null)
            .lock(Lock::builder().access(LockAccess::Lock).build())
            .build();
        assert_eq!(decoded, expected);
        assert!(decoded.trashed_at.is_null());
        assert!(decoded.tags.is_absent());
        assert_eq!(
            decoded.lock.value().and_then(|lock| lock.access.clone()),
            Some(LockAccess::Lock)
        );
        Ok(())
    }

    /// A secret that is `null` is shown as `null`, one with a value as `<redacted>`.
    #[test]
    fn secrets_stay_redacted() {
        let link = FileUpdateSharedLink::builder().password("hunter2").build();
        let shown = format!("{link:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }
}
