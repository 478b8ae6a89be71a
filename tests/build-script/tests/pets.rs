//! The client the build script generated, called against a local server on 127.0.0.1: the
//! module `include!`d from `OUT_DIR` works as a generated crate does, overlay applied.

use build_script::pets::types::{Pet, PetKind};
use build_script::pets::{ApiErrorBody, BaseUrls, Client, Error, RetryPolicy, Url};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn client_for(server: &MockServer) -> Result<Client, Box<dyn std::error::Error>> {
    Ok(Client::builder()
        .base_urls(BaseUrls::all(Url::parse(&server.uri())?))
        .retry(RetryPolicy::none())
        .build())
}

#[tokio::test]
async fn a_pet_is_fetched_and_decoded() -> TestResult {
    let server = MockServer::start().await;
    let pet = serde_json::json!({"id": 7, "name": "Rex", "kind": "dog"});
    Mock::given(method("GET"))
        .and(path("/pets/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(pet))
        .expect(1)
        .mount(&server)
        .await;

    let pet = client_for(&server)?.get_a_pet(7).await?;
    // The overlay made `name` required, so it is a `String`, not an `Option`.
    let name: &String = &pet.name;
    assert_eq!(name, "Rex");
    assert_eq!((pet.id, pet.kind.clone()), (Some(7), Some(PetKind::Dog)));
    Ok(())
}

#[tokio::test]
async fn a_refusal_decodes_its_documented_body() -> TestResult {
    let server = MockServer::start().await;
    let problem = serde_json::json!({"message": "no pet 8"});
    Mock::given(method("GET"))
        .and(path("/pets/8"))
        .respond_with(ResponseTemplate::new(404).set_body_json(problem))
        .mount(&server)
        .await;

    match client_for(&server)?.get_a_pet(8).await {
        Err(Error::Api(refusal)) => {
            assert_eq!(refusal.status.as_u16(), 404);
            let ApiErrorBody::Parsed(body) = &refusal.body else {
                panic!("the 404 body is a `Problem`: {:?}", refusal.body);
            };
            assert_eq!(body.message, "no pet 8");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    Ok(())
}

#[tokio::test]
async fn a_pet_is_sent_as_json() -> TestResult {
    let server = MockServer::start().await;
    let sent = serde_json::json!({"name": "Tom", "kind": "cat"});
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(body_json(&sent))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": 1, "name": "Tom"})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let pet = Pet::builder().name("Tom").kind(PetKind::Cat).build();
    let stored = client_for(&server)?.add_a_pet(&pet).await?;
    assert_eq!((stored.id, stored.name.as_str()), (Some(1), "Tom"));
    Ok(())
}
