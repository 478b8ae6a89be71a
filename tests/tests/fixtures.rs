//! One small spec per generator concern, under `tests/fixtures/`. Each is generated into a
//! workspace crate under `tests/fixtures/generated/`, which is its expected output: the
//! freshness check compares it, and `cargo xtask test` builds and lints it. Here each fixture
//! is checked for the diagnostics it gives, which no generated file shows.

use tests::{generate_text, workspace_root};

/// Every fixture, with the warnings (`pointer: message`) it must generate with.
const FIXTURES: &[(&str, &[&str])] = &[
    (
        "alias_cycles",
        &[
            "#/components/schemas/Left: this schema is defined only through itself (Left -> Right -> Left); its values are any JSON",
            "#/components/schemas/Nest: this schema is defined only through itself (Nest -> Nest); its values are any JSON",
        ],
    ),
    ("all_of", &[]),
    ("all_of_scalars", &[]),
    ("any_value", &[]),
    ("bodies", &[]),
    ("builders", &[]),
    ("clashes", &[]),
    ("collections", &[]),
    ("directions", &[]),
    ("empty_docs", &[]),
    (
        "enums",
        &["#/components/schemas/Mixed/enum/1: no Rust enum holds the values of this `enum` without a `type`: a string, among values that should all be integers; its values are any JSON"],
    ),
    ("features", &[]),
    (
        "foreign_keywords",
        &[
            "#/components/schemas/Record/properties/count: `type: integer` with `pattern`, which do not apply to an integer; ignored",
            "#/components/schemas/Record/properties/name: `type: string` with `minItems`, which do not apply to a string; ignored",
            "#/components/schemas/Record/properties/note: `type: string` with `additionalProperties`, which do not apply to a string; ignored",
            "#/components/schemas/Record/properties/scopes: `type: array` with `enum`, which do not apply to an array; ignored",
        ],
    ),
    ("formats", &[]),
    ("groups", &[]),
    ("inline", &[]),
    (
        "lenient",
        &["#/components/schemas/Thing/required: `required` names `missing`, which is not a property; ignored"],
    ),
    (
        "loose_params",
        &["#/paths/~1projects~1{project}~1builds~1{build}/get/parameters/1/schema: `type: string` with `minimum`, which do not apply to a string; ignored"],
    ),
    ("names", &[]),
    ("nullable", &[]),
    ("oas31_binary", &[]),
    ("oas31_bounds", &[]),
    ("oas31_const", &[]),
    ("oas31_defs", &[]),
    (
        "oas31_document",
        &[
            "#/components/schemas/Pet/properties/kind/if: `if` has no meaning for a Rust type; ignored",
            "#/components/schemas/Pet/properties/kind/then: `then` has no meaning for a Rust type; ignored",
            "#/components/schemas/Pet/properties/tags/patternProperties: `patternProperties` has no meaning for a Rust type; ignored",
            "#/jsonSchemaDialect: schemas are read as OpenAPI's own dialect of JSON Schema, not as \"https://json-schema.org/draft/2020-12/schema\"",
            "#/webhooks: webhooks are requests the API makes, not calls a client makes; skipped",
        ],
    ),
    ("oas31_refs", &[]),
    (
        "oas31_tuples",
        &["#/components/schemas/Point/properties/label/prefixItems: `prefixItems` (a tuple of different types) is read as a list whose items are any JSON"],
    ),
    (
        "oas31_types",
        &["#/components/schemas/Member/properties/either/type: `type: [object, string]` allows several types, which no one Rust type holds; its values are any JSON"],
    ),
    (
        "odd_servers",
        &[
            "#/paths/~1ping/get/servers/0/url: server URL `https://` cannot be used (empty host); the client defaults to `http://localhost` until `BaseUrls` says otherwise",
            "#/servers/0/url: server URL `{agent}/api/v1` still holds a placeholder once its variables are filled in and cannot be used (relative URL without a base); the client defaults to `http://localhost` until `BaseUrls` says otherwise",
        ],
    ),
    (
        "one_of",
        &["#/components/schemas/Shape/oneOf/2: the same alternative as alternative 1; left out"],
    ),
    ("params", &[]),
    (
        "parts",
        &["#/paths/~1avatars/post/requestBody/content/multipart~1form-data/encoding/pic/headers/X-Trace: the document gives this part header no single value (an `enum` of one, or a `default`), so the client cannot send it; left out"],
    ),
    ("patch", &[]),
    ("prelude_names", &[]),
    ("recursive", &[]),
    (
        "refs",
        &["#/components/schemas/Pet/properties/co_owners: `type` beside `$ref`, which stands for its target alone; ignored"],
    ),
    ("responses", &[]),
    ("servers", &[]),
    ("shapes", &[]),
    (
        "tolerant_docs",
        &[
            "#/components/schemas/Note/description: `description` is an object, not text; dropped",
            "#/components/schemas/Note/properties/text/title: `title` is a number, not text; dropped",
            "#/paths/~1notes/get/description: `description` is an object, not text; dropped",
        ],
    ),
    ("tolerant_keys", &[]),
    (
        "tolerant_numbers",
        &[
            "#/components/schemas/Range/properties/high/maximum: `maximum: 1.8446744073709552e+19` is not an integer of at most 64 bits; ignored",
            "#/components/schemas/Range/properties/label/maxLength: `maxLength: 2.5` is not a whole number of at most 64 bits; ignored",
            "#/components/schemas/Range/properties/low/minimum: `minimum: -9.223372036854776e+18` is not an integer of at most 64 bits; ignored",
        ],
    ),
    (
        "tolerant_refs",
        &[
            "#/components/schemas/Job/properties/error: `$ref: #/components/responses/Error` points at a component that is not a schema; its values are any JSON",
            "#/components/schemas/Job/properties/owner: `$ref: #/components/schemas/Owner` points at nothing; its values are any JSON",
        ],
    ),
    (
        "union_order",
        &[
            "#/components/schemas/Amount/oneOf: alternative 0 (`Number`) accepts any number, so alternative 1 (`Integer`), listed after it, is tried first",
            "#/components/schemas/Artist/oneOf: alternative 0 (`ArtistSummary`) requires only `id`, so alternative 1 (`ArtistDetail`), listed after it, is tried first",
            "#/components/schemas/Note/oneOf: alternative 1 (`VoiceNote`) is never chosen: alternative 0 (`TextNote`), tried before it, accepts any object",
        ],
    ),
    (
        "unions_in_all_of",
        &["#/components/schemas/Pet/allOf/1/anyOf: these alternatives only constrain which properties are present; the client does not check them"],
    ),
    ("wide", &[]),
    ("wire", &[]),
];

#[test]
fn every_fixture_generates_with_exactly_its_warnings() {
    for (name, expected) in FIXTURES {
        let label = format!("tests/fixtures/{name}.yaml");
        let text = std::fs::read_to_string(workspace_root().join(&label)).unwrap();
        let output = generate_text(&label, &text).unwrap_or_else(|errors| panic!("{errors}"));
        let warnings: Vec<String> = output
            .warnings
            .iter()
            .map(|warning| format!("{}: {}", warning.location.pointer, warning.message))
            .collect();
        assert_eq!(warnings, *expected, "{label}");
    }
}

#[test]
fn every_fixture_is_listed() {
    let mut found: Vec<String> = std::fs::read_dir(workspace_root().join("tests/fixtures"))
        .unwrap()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            Some(name.strip_suffix(".yaml")?.to_owned())
        })
        .collect();
    found.sort();
    let listed: Vec<&str> = FIXTURES.iter().map(|(name, _)| *name).collect();
    assert_eq!(found, listed);
}

/// With every description empty, each item still gets docs: the title, else a sentence naming
/// what it is. (The crate denies missing docs, so the build checks that none is missing.)
#[test]
fn empty_descriptions_fall_back_to_titles_and_names() {
    let types = std::fs::read_to_string(
        workspace_root().join("tests/fixtures/generated/empty_docs/src/types.rs"),
    )
    .unwrap();
    for expected in [
        "/// A titled thing\n",
        "/// The a\n",
        "/// The `b` property.\n",
        "/// The `Bare` schema.\n",
        "/// The `Mode` schema.\n",
    ] {
        assert!(types.contains(expected), "{expected:?} in\n{types}");
    }
    assert!(!types.contains("///\n#["), "an empty doc comment:\n{types}");
}

/// A response or request body of `components` with an inline schema is shared: its type is
/// named after the component, not after the first operation that uses it.
#[test]
fn shared_component_bodies_are_named_after_their_component() {
    let read = |path: &str| {
        std::fs::read_to_string(workspace_root().join("tests/fixtures/generated").join(path))
            .unwrap()
    };
    let (types, client) = (
        read("responses/src/types.rs"),
        read("responses/src/client.rs"),
    );
    assert!(types.contains("pub struct Unauthorized {"), "{types}");
    assert!(!types.contains("Error401"), "{types}");
    assert_eq!(
        client.matches(", types::Unauthorized>").count(),
        2,
        "{client}"
    );
    let (types, client) = (read("bodies/src/types.rs"), read("bodies/src/client.rs"));
    assert!(
        types.contains("/// A label to attach to notes.\n"),
        "{types}"
    );
    assert!(types.contains("pub struct Label {"), "{types}");
    assert_eq!(client.matches("body: &types::Label").count(), 2, "{client}");
}
