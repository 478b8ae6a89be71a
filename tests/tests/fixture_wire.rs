//! What the generated client puts on the wire for each kind of parameter, body and response
//! (the `tests/fixtures/wire.yaml` fixture), checked against a local server on 127.0.0.1.

use fixture_wire::types::{
    GetExportResponse, ListReportsParams, ListReportsWhere, NotFound, PatchNoteBody, PostFormBody,
    PostFormBodyAddress, Problem, SearchItemsError, SearchItemsFilter, SearchItemsFilterStatus,
    SearchItemsParams, SearchItemsResponse, UploadBody, UploadBodyAttributes,
};
use fixture_wire::{ApiErrorBody, BaseUrls, Client, Error, Payload, RetryPolicy, Url};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A client whose server is the mock server, under the spec's `/api` prefix, without retries
/// (each mock is expected to be hit exactly once).
fn client_for(server: &MockServer) -> Result<Client, url::ParseError> {
    let base = Url::parse(&format!("{}/api", server.uri()))?;
    Ok(Client::builder()
        .base_urls(BaseUrls::all(base))
        .retry(RetryPolicy::none())
        .build())
}

async fn respond(server: &MockServer, verb: &str, route: &str, response: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    requests.remove(0)
}

fn header<'r>(request: &'r Request, name: &str) -> Vec<&'r str> {
    request
        .headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect()
}

fn search_params() -> SearchItemsParams {
    SearchItemsParams::builder()
        .x_request_id("req-42")
        .tags(["red", "big box"])
        .ids([1, 2, 3])
        .words(["a", "b"])
        .filter(
            SearchItemsFilter::builder()
                .status(SearchItemsFilterStatus::Open)
                .owner("me&you")
                .build(),
        )
        .session("s1")
        .theme("dark")
        .build()
}

/// The parameters of `searchItems` with only the required request id set.
fn minimal_search_params() -> SearchItemsParams {
    SearchItemsParams::builder().x_request_id("r").build()
}

/// Query arrays follow their style (exploded, comma, space), an object is deepObject with its
/// members in the spec's order, the path integer is in place, and header and cookies are sent.
#[tokio::test]
async fn parameters_follow_their_style() -> TestResult {
    let server = MockServer::start().await;
    let ok = ResponseTemplate::new(200).set_body_raw(r#"["x"]"#, "application/json");
    respond(&server, "GET", "/api/items/7/search", ok).await;

    let found = client_for(&server)?
        .search_items(7, &search_params())
        .await?;

    assert_eq!(*found, SearchItemsResponse::Status200(vec!["x".into()]));
    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some(
            "tags=red&tags=big%20box&ids=1,2,3&words=a%20b\
             &filter[status]=open&filter[owner]=me%26you"
        )
    );
    assert_eq!(header(&request, "x-request-id"), ["req-42"]);
    assert_eq!(header(&request, "cookie"), ["session=s1; theme=dark"]);
    Ok(())
}

/// As RFC 6570 expands them: the delimiters between one parameter's values go out as they are
/// (`,` for unexploded form, `%20` for spaceDelimited, brackets of deepObject), while a `,`,
/// space, `+` or non-ASCII letter inside a value is percent-encoded.
#[tokio::test]
async fn delimiters_stay_literal_and_values_are_percent_encoded() -> TestResult {
    let server = MockServer::start().await;
    let ok = ResponseTemplate::new(200).set_body_raw("[]", "application/json");
    respond(&server, "GET", "/api/items/3/search", ok).await;
    let params = SearchItemsParams::builder()
        .x_request_id("r")
        .tags(["a,b", "c+d"])
        .ids([10, 20])
        .words(["x y", "z,é"])
        .filter(SearchItemsFilter::builder().owner("ann lee").build())
        .build();

    client_for(&server)?.search_items(3, &params).await?;

    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some(
            "tags=a%2Cb&tags=c%2Bd&ids=10,20&words=x%20y%20z%2C%C3%A9\
             &filter[owner]=ann%20lee"
        )
    );
    Ok(())
}

/// Absent optional parameters send nothing: no query string, no cookie header.
#[tokio::test]
async fn absent_parameters_send_nothing() -> TestResult {
    let server = MockServer::start().await;
    let ok = ResponseTemplate::new(200).set_body_raw("[]", "application/json");
    respond(&server, "GET", "/api/items/1/search", ok).await;

    client_for(&server)?
        .search_items(1, &minimal_search_params())
        .await?;

    let request = only_request(&server).await;
    assert_eq!(request.url.query(), None);
    assert!(header(&request, "cookie").is_empty());
    Ok(())
}

/// A success status with its own documented type decodes as that variant.
#[tokio::test]
async fn a_second_success_status_decodes_as_its_own_type() -> TestResult {
    let server = MockServer::start().await;
    let partial = ResponseTemplate::new(206).set_body_raw("some of it", "text/plain");
    respond(&server, "GET", "/api/items/1/search", partial).await;

    let found = client_for(&server)?
        .search_items(1, &minimal_search_params())
        .await?;

    assert_eq!(found.status(), 206);
    assert_eq!(
        found.into_inner(),
        SearchItemsResponse::Status206("some of it".into())
    );
    Ok(())
}

/// Error bodies are typed by status: 404 has its own type, other 4xx another, and an
/// undocumented status keeps the raw body.
#[tokio::test]
async fn error_bodies_are_chosen_by_status() -> TestResult {
    let cases = [
        (404, r#"{"missing": 9}"#),
        (409, r#"{"title": "conflict"}"#),
        (500, r#"{"title": "not documented for 5xx"}"#),
    ];
    for (status, body) in cases {
        let server = MockServer::start().await;
        let answer = ResponseTemplate::new(status).set_body_raw(body, "application/json");
        respond(&server, "GET", "/api/items/1/search", answer).await;

        let error = client_for(&server)?
            .search_items(1, &minimal_search_params())
            .await
            .expect_err("an error status");

        let Error::Api(api) = error else {
            panic!("expected Error::Api for {status}, got {error:?}");
        };
        let expected = match status {
            404 => ApiErrorBody::Parsed(SearchItemsError::Status404(
                NotFound::builder().missing(9).build(),
            )),
            409 => ApiErrorBody::Parsed(SearchItemsError::Status4xx(
                Problem::builder().title("conflict").build(),
            )),
            _ => ApiErrorBody::Unparsed(body.to_owned()),
        };
        assert_eq!(api.status, status, "status {status}");
        assert_eq!(api.body, expected, "status {status}");
    }
    Ok(())
}

/// A multipart body sends the binary property as a file part, an object as a JSON part and
/// a string as a text part.
#[tokio::test]
async fn multipart_sends_a_part_per_property() -> TestResult {
    let server = MockServer::start().await;
    respond(&server, "POST", "/api/upload", ResponseTemplate::new(204)).await;
    let body = UploadBody::builder()
        .file(b"%PDF-1.7 bytes".to_vec())
        .attributes(UploadBodyAttributes::builder().name("report").build())
        .note("hello")
        .build();

    client_for(&server)?.upload(&body).await?;

    let request = only_request(&server).await;
    let content_type = header(&request, "content-type").join("");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    // Each part carries the content type OpenAPI gives its schema; a file part without a
    // file name of its own is named after its property.
    let text = String::from_utf8_lossy(&request.body);
    let parts = [
        "Content-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: application/octet-stream\r\n\r\n%PDF-1.7 bytes\r\n",
        "Content-Disposition: form-data; name=\"attributes\"\r\nContent-Type: application/json\r\n\r\n{\"name\":\"report\"}\r\n",
        "Content-Disposition: form-data; name=\"note\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n",
    ];
    for part in parts {
        assert!(text.contains(part), "{part}\nin\n{text}");
    }
    Ok(())
}

/// A raw body goes out as the caller's bytes with the spec's content type, and a binary
/// response comes back as a stream of its bytes.
#[tokio::test]
async fn raw_bytes_in_and_out() -> TestResult {
    let server = MockServer::start().await;
    let pdf = ResponseTemplate::new(200).set_body_raw(vec![0u8, 159, 146, 150], "application/pdf");
    respond(&server, "PUT", "/api/raw", pdf).await;

    let echoed = client_for(&server)?.put_raw(&[1, 2, 3, 255]).await?;

    assert_eq!(echoed.into_inner().collect().await?, [0, 159, 146, 150][..]);
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "content-type"),
        ["application/octet-stream"]
    );
    assert_eq!(request.body, [1, 2, 3, 255]);
    Ok(())
}

/// An optional raw body is sent when given, as a `Payload`, and left out otherwise.
#[tokio::test]
async fn an_optional_raw_body_is_sent_only_when_given() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/raw"))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let client = client_for(&server)?;

    client.post_raw(Some(Payload::from("some bytes"))).await?;
    client.post_raw(None).await?;

    let received = server.received_requests().await.unwrap_or_default();
    assert_eq!(received[0].body, b"some bytes");
    assert!(received[1].body.is_empty());
    assert!(!received[1].headers.contains_key("content-type"));
    Ok(())
}

/// A per-status response holds a binary body as a stream and decodes a JSON one.
#[tokio::test]
async fn a_binary_status_streams_and_a_json_status_decodes() -> TestResult {
    let server = MockServer::start().await;
    let pdf = ResponseTemplate::new(200).set_body_raw(b"%PDF".to_vec(), "application/pdf");
    respond(&server, "GET", "/api/exports/ready", pdf).await;
    let pending = ResponseTemplate::new(202).set_body_json(serde_json::json!({"retry_in": 5}));
    respond(&server, "GET", "/api/exports/pending", pending).await;
    let client = client_for(&server)?;

    let ready = client.get_export("ready").await?.into_inner();
    let pending = client.get_export("pending").await?.into_inner();

    let GetExportResponse::Status200(body) = ready else {
        panic!("the 200 variant: {ready:?}");
    };
    assert_eq!(body.collect().await?, b"%PDF"[..]);
    let GetExportResponse::Status202(pending) = pending else {
        panic!("the 202 variant: {pending:?}");
    };
    assert_eq!(pending.retry_in, Some(5));
    Ok(())
}

/// A form body writes an array as repeated fields and an object as `deepObject`, as its
/// `encoding` says.
#[tokio::test]
async fn form_fields_follow_their_encoding() -> TestResult {
    let server = MockServer::start().await;
    respond(&server, "POST", "/api/form", ResponseTemplate::new(204)).await;
    // The address's `zip` is left unset, so it is not sent.
    let body = PostFormBody::builder()
        .name("Ann Lee")
        .tags(["a", "b"])
        .address(PostFormBodyAddress::builder().city("Köln").build())
        .build();

    client_for(&server)?.post_form(&body).await?;

    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "content-type"),
        ["application/x-www-form-urlencoded"]
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "name=Ann%20Lee&tags=a&tags=b&address[city]=K%C3%B6ln"
    );
    Ok(())
}

/// Of several content types the JSON one is chosen, and a vendor JSON type is sent as itself;
/// a path parameter is percent-encoded as one segment.
#[tokio::test]
async fn a_vendor_json_body_keeps_its_content_type() -> TestResult {
    let server = MockServer::start().await;
    respond(
        &server,
        "PATCH",
        "/api/notes/a%20b",
        ResponseTemplate::new(204),
    )
    .await;
    let body = PatchNoteBody::builder().text("new").build();

    client_for(&server)?.patch_note("a b", &body).await?;

    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "content-type"),
        ["application/merge-patch+json"]
    );
    assert_eq!(String::from_utf8_lossy(&request.body), r#"{"text":"new"}"#);
    Ok(())
}

/// A segment mixing text and parameters is filled in and percent-encoded as one segment.
#[tokio::test]
async fn a_segment_mixing_text_and_parameters() -> TestResult {
    let server = MockServer::start().await;
    let png = ResponseTemplate::new(200).set_body_raw(vec![137u8, 80, 78, 71], "image/png");
    respond(&server, "GET", "/api/avatars/ann%2Fb.64x32", png).await;

    let picture = client_for(&server)?.get_avatar("ann/b", 64, 32).await?;

    assert_eq!(picture.into_inner().collect().await?, [137, 80, 78, 71][..]);
    Ok(())
}

/// A parameter described by `content: application/json` is sent as JSON text.
#[tokio::test]
async fn content_parameters_are_json_text() -> TestResult {
    let server = MockServer::start().await;
    respond(&server, "GET", "/api/reports", ResponseTemplate::new(204)).await;
    let params = ListReportsParams::builder()
        .r#where(ListReportsWhere::builder().year(2024).build())
        .x_trace(["a", "b"])
        .build();

    client_for(&server)?.list_reports(&params).await?;

    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("where=%7B%22year%22%3A2024%7D"));
    assert_eq!(header(&request, "x-trace"), [r#"["a","b"]"#]);
    Ok(())
}

/// Path parameters that are unions of scalars (`tests/fixtures/loose_params.yaml`) are written
/// as the value they hold, percent-encoded as one segment.
mod loose_params {
    use fixture_loose_params::types::{GetBuildProject, GetUserUser};
    use fixture_loose_params::{BaseUrls, Client, Url};
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::TestResult;

    #[tokio::test]
    async fn each_alternative_is_one_path_segment() -> TestResult {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(204))
            .expect(3)
            .mount(&server)
            .await;
        let client = Client::builder()
            .base_urls(BaseUrls::all(Url::parse(&server.uri())?))
            .build();

        client.get_user(&GetUserUser::Integer(42)).await?;
        client
            .get_user(&GetUserUser::String("octo cat".into()))
            .await?;
        let project = GetBuildProject::ProjectPath("group/name".into());
        client.get_build(&project, "7").await?;

        let paths: Vec<String> = server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .map(|request| request.url.path().to_owned())
            .collect();
        assert_eq!(
            paths,
            [
                "/users/42",
                "/users/octo%20cat",
                "/projects/group%2Fname/builds/7"
            ]
        );
        Ok(())
    }
}

/// Servers the spec cannot give a usable URL for (`tests/fixtures/odd_servers.yaml`) start at
/// `http://localhost`, and `BaseUrls` points them at the real one.
mod odd_servers {
    use fixture_odd_servers::{BaseUrls, Client, Url};
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::TestResult;

    #[test]
    fn unusable_urls_default_to_localhost() {
        let defaults = BaseUrls::default();
        assert_eq!(defaults.localhost.as_str(), "http://localhost/");
    }

    #[tokio::test]
    async fn base_urls_reach_the_real_server() -> TestResult {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/agent/status"))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        let base = Url::parse(&format!("{}/agent", server.uri()))?;
        let client = Client::builder().base_urls(BaseUrls::all(base)).build();
        client.get_status().await?;
        Ok(())
    }
}
