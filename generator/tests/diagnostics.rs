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
fn a_dangling_schema_ref_is_any_json_with_a_warning_at_the_referring_place() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    AccessToken:\n      type: object\n      properties:\n        expires_in: {{$ref: '#/components/schemas/Missing'}}\n"
    );
    let output = run(&text).unwrap_or_else(|errors| panic!("{errors}"));
    let [warning] = output.warnings.as_slice() else {
        panic!("one warning expected: {:?}", output.warnings);
    };
    assert_eq!(
        warning.location.pointer,
        "#/components/schemas/AccessToken/properties/expires_in"
    );
    assert!(
        warning.message.contains("#/components/schemas/Missing"),
        "{warning}"
    );
    assert!(output.files["src/types.rs"]
        .contains("pub expires_in: ::std::option::Option<::serde_json::Value>"));
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
fn a_not_schema_is_any_json_with_a_warning_at_its_pointer() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b:\n          not: {{type: string}}\n"
    );
    let output = run(&text).unwrap_or_else(|errors| panic!("{errors}"));
    let [warning] = output.warnings.as_slice() else {
        panic!("one warning expected: {:?}", output.warnings);
    };
    assert_eq!(
        warning.location.pointer,
        "#/components/schemas/A/properties/b"
    );
    assert!(warning.message.contains("`not`"), "{warning}");
    assert!(
        output.files["src/types.rs"].contains("pub b: ::std::option::Option<::serde_json::Value>")
    );
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
fn an_invalid_server_url_is_a_warning_and_a_placeholder() {
    let text = "openapi: 3.0.3\ninfo: {title: F, version: '1'}\nservers: [{url: 'https://exa mple.com'}]\npaths:\n  /a:\n    get:\n      responses: {'204': {description: ok}}\n";
    let output = run(text).unwrap_or_else(|errors| panic!("{errors}"));
    let [warning] = output.warnings.as_slice() else {
        panic!("one warning expected: {:?}", output.warnings);
    };
    assert_eq!(warning.location.pointer, "#/servers/0/url");
    assert!(output.files["src/client.rs"].contains("http://localhost"));
}

/// Without servers anywhere, the document is told once, at `#/servers`, however many operations
/// there are; an operation's own server is still used.
#[test]
fn missing_servers_are_one_warning_at_the_document() {
    let text = "openapi: 3.0.3\ninfo: {title: F, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'204': {description: ok}}\n    put:\n      responses: {'204': {description: ok}}\n  /b:\n    get:\n      servers: [{url: 'https://b.example'}]\n      responses: {'204': {description: ok}}\n    post:\n      responses: {'204': {description: ok}}\n";
    let output = run(text).unwrap_or_else(|errors| panic!("{errors}"));
    let [warning] = output.warnings.as_slice() else {
        panic!("one warning expected: {:?}", output.warnings);
    };
    assert_eq!(warning.location.pointer, "#/servers");
    assert!(warning.message.contains("no `servers`"), "{warning}");
    let client = &output.files["src/client.rs"];
    assert!(client.contains("http://localhost") && client.contains("https://b.example"));
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

#[test]
fn every_independent_problem_is_reported_at_once_sorted_by_pointer() {
    let text = format!(
        "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: array, items: {{type: string}}}}}}\n      responses: {{'204': {{description: ok}}}}\n  /upload:\n    post:\n      requestBody:\n        content:\n          multipart/form-data: {{schema: {{type: string}}}}\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n    Token:\n      type: object\n      properties:\n        owner: {{$ref: 'other.yaml#/Missing'}}\n"
    );
    let errors = run(&text).expect_err("three problems");
    let pointers: Vec<&str> = errors.iter().map(|e| e.location.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "#/components/schemas/Token/properties/owner",
            "#/paths/~1a~1{id}/get/parameters/0/schema",
            "#/paths/~1upload/post/requestBody/content/multipart~1form-data/schema",
        ]
    );
    assert!(errors.to_string().ends_with("\n3 errors"), "{errors}");
}

#[test]
fn aliases_defined_through_each_other_as_a_path_parameter_are_an_error_not_a_crash() {
    let text = format!(
        "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{$ref: '#/components/schemas/A'}}}}\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n    A: {{allOf: [{{$ref: '#/components/schemas/B'}}]}}\n    B: {{allOf: [{{$ref: '#/components/schemas/A'}}]}}\n"
    );
    let (pointer, message) = error_at(&text);
    assert_eq!(pointer, "#/paths/~1a~1{id}/get/parameters/0/schema");
    assert!(message.contains("path parameter"), "{message}");
}

#[test]
fn a_crate_name_cargo_would_refuse_is_an_error() {
    let spec = Spec::parse("fixture.yaml", &format!("{HEAD}paths: {{}}\n")).unwrap();
    let errors = generate(&spec, &Config::new("my.client")).expect_err("a `.` in the name");
    assert!(
        errors.to_string().contains("crate name `my.client`"),
        "{errors}"
    );
}
