//! Bad specs give an error naming the file and the JSON pointer of the offending part; odd
//! but workable ones give warnings.

use clientgen::{generate, Config, Error, Errors, Spec};

fn run(text: &str) -> Result<clientgen::Output, Errors> {
    let spec = Spec::parse("fixture.yaml", text)?;
    generate(&spec, &Config::new("fixture"))
}

/// The one error `text` is refused with.
fn only_error(text: &str) -> Error {
    let errors = run(text).expect_err("the spec should be refused");
    assert_eq!(errors.len(), 1, "{errors}");
    errors.into_vec().remove(0)
}

fn error_at(text: &str) -> (String, String) {
    let error = only_error(text);
    assert_eq!(error.location.file, "fixture.yaml");
    (error.location.pointer, error.message)
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: Fixture, version: '1'}\nservers: [{url: 'https://example.com'}]\n";

#[test]
fn a_dangling_schema_ref_names_the_referring_place() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    AccessToken:\n      type: object\n      properties:\n        expires_in: {{$ref: '#/components/schemas/Missing'}}\n"
    );
    let (pointer, message) = error_at(&text);
    assert_eq!(
        pointer,
        "#/components/schemas/AccessToken/properties/expires_in"
    );
    assert!(
        message.contains("#/components/schemas/Missing"),
        "{message}"
    );
}

#[test]
fn a_dangling_request_body_ref_names_the_operation() {
    let text = format!(
        "{HEAD}paths:\n  /token:\n    post:\n      requestBody: {{$ref: '#/components/requestBodies/Nope'}}\n      responses: {{'200': {{description: ok}}}}\n"
    );
    let (pointer, message) = error_at(&text);
    assert_eq!(pointer, "#/paths/~1token/post/requestBody");
    assert!(message.contains("no such component"), "{message}");
}

#[test]
fn an_external_ref_is_refused_where_it_stands() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: array\n      items: {{$ref: 'other.yaml#/components/schemas/B'}}\n"
    );
    let (pointer, message) = error_at(&text);
    assert_eq!(pointer, "#/components/schemas/A/items");
    assert!(message.contains("outside this document"), "{message}");
}

#[test]
fn a_not_schema_is_unsupported_at_its_pointer() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b:\n          not: {{type: string}}\n"
    );
    let (pointer, message) = error_at(&text);
    assert_eq!(pointer, "#/components/schemas/A/properties/b");
    assert!(message.contains("`not`"), "{message}");
}

#[test]
fn an_undeclared_path_parameter_names_the_operation() {
    let text = format!(
        "{HEAD}paths:\n  /oauth/{{token}}:\n    delete:\n      responses: {{'200': {{description: ok}}}}\n"
    );
    let (pointer, message) = error_at(&text);
    assert_eq!(pointer, "#/paths/~1oauth~1{token}/delete");
    assert!(message.contains("`{token}`"), "{message}");
}

#[test]
fn a_multipart_body_that_is_not_an_object_names_its_schema() {
    let text = format!(
        "{HEAD}paths:\n  /upload:\n    post:\n      requestBody:\n        content:\n          multipart/form-data: {{schema: {{type: string}}}}\n      responses: {{'200': {{description: ok}}}}\n"
    );
    let (pointer, message) = error_at(&text);
    assert_eq!(
        pointer,
        "#/paths/~1upload/post/requestBody/content/multipart~1form-data/schema"
    );
    assert!(message.contains("multipart/form-data"), "{message}");
}

#[test]
fn a_path_parameter_that_is_an_object_names_its_schema() {
    let text = format!(
        "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: object, properties: {{x: {{type: string}}}}}}}}\n      responses: {{'204': {{description: ok}}}}\n"
    );
    let (pointer, _) = error_at(&text);
    assert_eq!(pointer, "#/paths/~1a~1{id}/get/parameters/0/schema");
}

#[test]
fn a_path_segment_with_unbalanced_braces_names_the_operation() {
    let text = format!(
        "{HEAD}paths:\n  /a/{{id:\n    get:\n      responses: {{'204': {{description: ok}}}}\n"
    );
    let (pointer, message) = error_at(&text);
    assert_eq!(pointer, "#/paths/~1a~1{id/get");
    assert!(message.contains("unbalanced"), "{message}");
}

#[test]
fn a_parameter_with_non_json_content_names_its_content() {
    let text = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      parameters:\n        - {{name: q, in: query, content: {{text/csv: {{schema: {{type: string}}}}}}}}\n      responses: {{'204': {{description: ok}}}}\n"
    );
    let (pointer, message) = error_at(&text);
    assert_eq!(pointer, "#/paths/~1a/get/parameters/0/content");
    assert!(message.contains("JSON"), "{message}");
}

#[test]
fn an_invalid_server_url_is_located() {
    let text = "openapi: 3.0.3\ninfo: {title: F, version: '1'}\nservers: [{url: 'https://exa mple.com'}]\npaths:\n  /a:\n    get:\n      responses: {'204': {description: ok}}\n";
    let (pointer, _) = error_at(text);
    assert_eq!(pointer, "#/servers/0/url");
}

#[test]
fn malformed_yaml_names_file_and_line() {
    let error = only_error("openapi: 3.0.3\ninfo: {title: [\n");
    assert_eq!(error.location.file, "fixture.yaml");
    assert!(error.location.line_column.is_some());
    assert!(
        error.to_string().starts_with("error: fixture.yaml:"),
        "{error}"
    );
}

#[test]
fn a_required_name_without_a_property_is_a_warning() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      required: [ghost]\n      properties:\n        real: {{type: string}}\n"
    );
    let output = run(&text).expect("a warning, not an error");
    let warning = &output.warnings[0];
    assert_eq!(warning.location.pointer, "#/components/schemas/A/required");
    assert!(warning.message.contains("`ghost`"), "{}", warning.message);
}
