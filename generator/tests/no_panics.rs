//! Whatever the document, `Spec::parse` and `generate` return `Ok` or `Err`; they never panic,
//! and an `Err` is about the document, never an internal error of the generator.
//!
//! Three sources of documents: BoxC's spec and several fixtures mutated line by line, small
//! OpenAPI documents built from a grammar of the features the generator handles, and plain
//! noise.
//! The case counts keep the whole file at about ten seconds in a debug build on two cores.
//!
//! Failures stay found: proptest records the seed of a failing case in
//! `regressions/no_panics.txt` (replayed first on every run), and a document that once broke
//! the generator is kept in `regressions/*.yaml`. A fixed sample of grammar documents is
//! generated into `target/fuzz-samples/`, where `cargo xtask test` compiles them, so that
//! "generates" is checked to mean "compiles".

use std::cell::{Cell, RefCell};
use std::panic::catch_unwind;
use std::path::Path;
use std::sync::{Once, OnceLock};

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::strategy::ValueTree;
use proptest::test_runner::{FileFailurePersistence, TestCaseError, TestRunner};

thread_local! {
    /// Whether a panic on this thread is one `check` catches, so the hook need not print it.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    /// Where the last caught panic happened.
    static PANIC_LOCATION: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Records where caught panics happen instead of printing them, so that shrinking is quiet
/// and the failure message can say where the generator panicked.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CATCHING.get() {
                let location = info.location().map(|l| l.to_string()).unwrap_or_default();
                PANIC_LOCATION.set(location);
            } else {
                default(info);
            }
        }));
    });
}

/// Parses and generates `text`, failing the case (with the document) if either panicked.
fn check(text: &str) -> Result<(), TestCaseError> {
    install_panic_hook();
    CATCHING.set(true);
    let outcome = catch_unwind(|| {
        let spec = clientgen::Spec::parse("fuzz.yaml", text)?;
        clientgen::generate(&spec, &clientgen::Config::new("fuzz")).map(drop)
    });
    CATCHING.set(false);
    let payload = match outcome {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(errors)) if !errors.to_string().contains("internal error") => return Ok(()),
        Ok(Err(errors)) => {
            return Err(TestCaseError::fail(format!(
                "the generator failed inside: {errors}\n--- document ---\n{text}\n--- end ---"
            )))
        }
        Err(payload) => payload,
    };
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "<non-string panic payload>".to_owned());
    let location = PANIC_LOCATION.take();
    Err(TestCaseError::fail(format!(
        "the generator panicked at {location}: {message}\n--- document ---\n{text}\n--- end ---"
    )))
}

/// Failing seeds are kept in `regressions/no_panics.txt`, beside this file, and the failing
/// document is printed too.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        max_shrink_iters: 512,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    }
}

/// Single-quoted YAML scalar.
fn q(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A YAML flow mapping of the given `key: value` entries.
fn flow(entries: &[String]) -> String {
    format!("{{{}}}", entries.join(", "))
}

/// The byte offset of the char boundary `at` picks in `text` (the end included).
fn boundary(text: &str, at: Index) -> usize {
    let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let k = at.index(offsets.len() + 1);
    offsets.get(k).copied().unwrap_or(text.len())
}

// ---------------------------------------------------------------------------------------------
// 1. Mutations of the real specs.

fn real_specs() -> &'static [String] {
    static SPECS: OnceLock<Vec<String>> = OnceLock::new();
    SPECS.get_or_init(|| {
        [
            "spec/boxc-auth.yaml",
            "tests/fixtures/all_of.yaml",
            "tests/fixtures/all_of_scalars.yaml",
            "tests/fixtures/one_of.yaml",
            "tests/fixtures/params.yaml",
            "tests/fixtures/bodies.yaml",
            "tests/fixtures/responses.yaml",
            "tests/fixtures/oas31_const.yaml",
            "tests/fixtures/oas31_defs.yaml",
            "tests/fixtures/oas31_types.yaml",
            "tests/fixtures/tolerant_refs.yaml",
        ]
        .iter()
        .map(|name| {
            let path = format!("{}/../{name}", env!("CARGO_MANIFEST_DIR"));
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
        })
        .collect()
    })
}

/// Values and words swapped into a line.
const TOKENS: &[&str] = &[
    "{$ref: '#/components/schemas/AccessToken'}",
    "'#/components/schemas/AccessToken'",
    "'#/components/schemas/OAuth2Error'",
    "'#/components/schemas/File--Mini'",
    "'#/components/schemas/Resource'",
    "'#/components/schemas/X'",
    "'#/components/schemas/'",
    "'#/components/schemas/A/b'",
    "'#/components/responses/AccessToken'",
    "'other.yaml#/components/schemas/A'",
    "type: object",
    "allOf:",
    "oneOf:",
    "anyOf:",
    "not:",
    "nullable: true",
    "enum: []",
    "{}",
    "[]",
    "- ",
    ":",
    "{",
    "}",
    "object",
    "string",
    "integer",
    "number",
    "boolean",
    "array",
    "int32",
    "float",
    "password",
    "true",
    "false",
    "null",
    "~",
    "0",
    "-1",
    "1e400",
    "3.0.0",
    "3.1.0",
    "type",
    "self",
    "Self",
    "crate",
    "new",
    "String",
    "''",
    "'{id}'",
    "'/a/{b}'",
    "text/html",
    "text/plain",
    "image/png",
    "application/problem+json",
    "2XX",
    "default",
    "|",
    ">-",
    "&a",
    "*a",
];

/// Lines inserted, at the indentation of the line they go before.
const LINES: &[&str] = &[
    "nullable: true",
    "type: object",
    "type: array",
    "enum: []",
    "enum: [a, A, '', '1', null, self, Self]",
    "title: Self",
    "format: password",
    "format: int32",
    "description: '*/ \\ \" ``` }'",
    "summary: new",
    "operationId: base_urls",
    "allOf: [{$ref: '#/components/schemas/AccessToken'}]",
    "allOf: [{$ref: '#/components/schemas/AccessToken'}, {nullable: true}]",
    "oneOf: [{$ref: '#/components/schemas/AccessToken'}, {$ref: '#/components/schemas/OAuth2Error'}]",
    "anyOf: [{type: string}, {type: string}, {type: integer}]",
    "discriminator: {propertyName: type}",
    "discriminator: {propertyName: x, mapping: {a: '#/components/schemas/AccessToken'}}",
    "not: {type: string}",
    "items: {$ref: '#/components/schemas/Missing'}",
    "additionalProperties: {type: integer}",
    "additionalProperties: true",
    "required: [ghost, self]",
    "properties: {self: {type: string}, Self: {type: string}, '': {}, '1': {}, a--b: {}, a.b: {}}",
    "$ref: '#/components/schemas/AccessToken'",
    "$ref: '#/components/schemas/Missing'",
    "- {name: self, in: query, schema: {type: string}}",
    "- {name: id, in: cookie, schema: {type: string}}",
    "parameters: [{name: id, in: path, required: true, schema: {type: integer}}]",
    "servers: [{url: '/v2'}]",
    "servers: [{url: 'https://{region}.example.com', variables: {region: {default: eu}}}]",
    "servers: [{url: 'https://{region}.example.com'}]",
    "content: {image/png: {schema: {type: string}}}",
    "'2XX': {description: ok, content: {application/json: {schema: {oneOf: []}}}}",
    "default: {description: d, content: {text/plain: {}}}",
    "x-extension: [1, 2]",
    "x-codes: {200: a, true: b}",
    "type: [string, 'null']",
    "type: [string, integer, 'null']",
    "type: []",
    "const: a",
    "const: null",
    "oneOf: [{const: a}, {const: 1}, {type: 'null'}]",
    "prefixItems: [{type: string}, {$ref: '#/components/schemas/AccessToken'}]",
    "$defs: {AccessToken: {type: integer}, D: {$defs: {E: {}}}}",
    "$ref: '#/components/schemas/AccessToken/$defs/D'",
    "$ref: '#/components/responses/R'",
    "exclusiveMinimum: 1",
    "exclusiveMaximum: -1e400",
    "minimum: -9223372036854776000",
    "maxLength: 2.5",
    "contentEncoding: base64",
    "contentMediaType: image/png",
    "examples: [1, {a: 1}]",
    "description: {$ref: a.md}",
    "if: {const: a}",
    "webhooks: {a: {post: {}}}",
    "jsonSchemaDialect: x",
    "<<: {a: 1}",
    "? complex",
    "---",
    "...",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete(Index),
    Duplicate(Index),
    Swap(Index, Index),
    /// Keeps `key:` and replaces what follows.
    ReplaceValue(Index, &'static str),
    ReplaceWord(Index, Index, &'static str),
    InsertLine(Index, &'static str),
    InsertText(Index, Index, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let token = || select(TOKENS);
    let unicode = vec(any::<char>(), 1..4).prop_map(String::from_iter);
    prop_oneof![
        1 => any::<Index>().prop_map(Mutation::Delete),
        1 => any::<Index>().prop_map(Mutation::Duplicate),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        3 => (any::<Index>(), token()).prop_map(|(l, t)| Mutation::ReplaceValue(l, t)),
        2 => (any::<Index>(), any::<Index>(), token())
            .prop_map(|(l, w, t)| Mutation::ReplaceWord(l, w, t)),
        3 => (any::<Index>(), select(LINES)).prop_map(|(l, t)| Mutation::InsertLine(l, t)),
        1 => (any::<Index>(), any::<Index>(), unicode)
            .prop_map(|(l, c, s)| Mutation::InsertText(l, c, s)),
    ]
}

fn apply(lines: &mut Vec<String>, mutation: &Mutation) {
    if lines.is_empty() {
        return;
    }
    let n = lines.len();
    match mutation {
        Mutation::Delete(at) => {
            lines.remove(at.index(n));
        }
        Mutation::Duplicate(at) => {
            let i = at.index(n);
            lines.insert(i, lines[i].clone());
        }
        Mutation::Swap(a, b) => lines.swap(a.index(n), b.index(n)),
        Mutation::ReplaceValue(at, token) => {
            let line = &mut lines[at.index(n)];
            if let Some(colon) = line.find(": ") {
                line.replace_range(colon + 2.., token);
            } else if let Some(dash) = line.find("- ") {
                line.replace_range(dash + 2.., token);
            }
        }
        Mutation::ReplaceWord(at, word, token) => {
            let line = &mut lines[at.index(n)];
            let mut words: Vec<&str> = line.split(' ').collect();
            let w = word.index(words.len());
            words[w] = token;
            *line = words.join(" ");
        }
        Mutation::InsertLine(at, text) => {
            let i = at.index(n);
            let indent = lines[i].len() - lines[i].trim_start().len();
            lines.insert(i, format!("{}{text}", &lines[i][..indent]));
        }
        Mutation::InsertText(at, column, text) => {
            let line = &mut lines[at.index(n)];
            let offset = boundary(line, *column);
            line.insert_str(offset, text);
        }
    }
}

/// One of the real specs with `mutations` applied, then maybe cut short.
///
/// Proptest shrinks the mutations rather than this (long) text, so a failure prints the text
/// once, in the message of [`check`].
fn mutated_spec(which: Index, mutations: &[Mutation], truncate: Option<Index>) -> String {
    let specs = real_specs();
    let text = &specs[which.index(specs.len())];
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for mutation in mutations {
        apply(&mut lines, mutation);
    }
    let mut text = lines.join("\n");
    if let Some(at) = truncate {
        text.truncate(boundary(&text, at));
    }
    text
}

// ---------------------------------------------------------------------------------------------
// 2. Small documents from a grammar.

/// Names of components, properties and parameters: keywords, digits, punctuation, empty,
/// reserved type names and the same word in different cases.
const NAMES: &[&str] = &[
    "A",
    "a",
    "Pet",
    "pet",
    "PET",
    "Self",
    "self",
    "type",
    "Type",
    "1",
    "2fa",
    "File--Mini",
    "--",
    "file.version",
    "",
    "String",
    "Error",
    "Value",
    "Box",
    "_",
    "r#type",
    "ünï",
    "id",
    "ID",
    "params",
    "body",
    "new",
    "kind",
    "x-y",
    "x y",
];
/// Every name Rust's standard prelude (`std::prelude::rust_2021`, as its documentation lists
/// it) brings into scope, and the traits serde's derives name. This list is taken from those
/// crates' documentation, not from the generator, so it finds a name the generator forgot.
const PRELUDE: &[&str] = &[
    "Copy",
    "Send",
    "Sized",
    "Sync",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
    "drop",
    "align_of",
    "align_of_val",
    "size_of",
    "size_of_val",
    "Box",
    "ToOwned",
    "Clone",
    "PartialEq",
    "PartialOrd",
    "Eq",
    "Ord",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "Default",
    "Iterator",
    "Extend",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "ToString",
    "Vec",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "Debug",
    "Hash",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
];
const LIKELY_NAMES: &[&str] = &["A", "Pet", "id", "self"];
const SCALAR_TYPES: &[&str] = &["string", "integer", "number", "boolean"];
const FORMATS: &[&str] = &[
    "int32",
    "int64",
    "float",
    "double",
    "password",
    "date-time",
    "byte",
    "binary",
    "url",
    "weird",
];
const STRING_VALUES: &[&str] = &[
    "a", "A", "''", "'1'", "null", "self", "Self", "type", "'a-b'", "'a b'", "é", "'{x}'", "Empty",
    "'--'", "'\\'", "'\"'",
];
/// Values of the wrong type for any enum.
const ODD_VALUES: &[&str] = &["1", "2.5", "true", "[1]", "{a: 1}"];
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const REQUEST_TYPES: &[&str] = &[
    "application/json",
    "application/x-www-form-urlencoded",
    "application/problem+json",
    "application/json; charset=utf-8",
    "multipart/form-data",
    "text/plain",
    "image/png",
];
const RESPONSE_TYPES: &[&str] = &[
    "application/json",
    "application/vnd.api+json",
    "text/html",
    "text/plain",
    "application/xml",
    "*/*",
];
const STATUSES: &[&str] = &[
    "'200'", "'201'", "'204'", "'2XX'", "default", "'400'", "'404'", "'5XX'", "'599'", "'1XX'",
];
const SERVERS: &[&str] = &[
    "https://example.com",
    "https://example.com/v1",
    "/v1",
    "",
    "http://localhost:8080/a",
    "https://{host}/x",
    "ftp://x",
];
const BAD_SERVERS: &[&str] = &["https://{nope}/x", "https://exa mple.com", "not a url"];
const TEXTS: &[&str] = &[
    "Pet",
    "",
    " ",
    "new",
    "builder",
    "base_urls",
    "self",
    "Self",
    "type",
    "Get pet",
    "get pet",
    "GET /pets",
    "a|b",
    "\"quoted\" \\ back",
    "*/ /* ``` {}",
    "line\nbreak",
    "ünïcødé ✓",
    "1st",
];

fn name() -> impl Strategy<Value = &'static str> {
    prop_oneof![2 => select(NAMES), 1 => select(PRELUDE)]
}

/// Mostly a few names, so that references and path templates often find what they name.
fn likely_name() -> impl Strategy<Value = &'static str> {
    prop_oneof![3 => select(LIKELY_NAMES), 1 => name()]
}

fn schema_ref() -> impl Strategy<Value = String> {
    prop_oneof![
        24 => select(LIKELY_NAMES).prop_map(|n| format!("#/components/schemas/{n}")),
        2 => name().prop_map(|n| format!("#/components/schemas/{n}")),
        1 => select(&[
            "other.yaml#/components/schemas/A",
            "#/components/schemas/A/properties/a",
            "#/components/parameters/P",
            "#/definitions/A",
            "A",
        ][..])
        .prop_map(str::to_owned),
    ]
    .prop_map(|reference| flow(&[format!("$ref: {}", q(&reference))]))
}

/// Enum values that fit a scalar type.
fn values_of(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" => STRING_VALUES,
        "integer" => &["0", "1", "-7", "null"],
        "number" => &["0", "2.5", "null"],
        _ => &["true", "false", "null"],
    }
}

fn scalar() -> impl Strategy<Value = String> {
    select(SCALAR_TYPES)
        .prop_flat_map(|ty| {
            let value = prop_oneof![40 => select(values_of(ty)), 1 => select(ODD_VALUES)];
            let values = option::of(vec(value, 0..4));
            (Just(ty), option::of(select(FORMATS)), values, any::<bool>())
        })
        .prop_map(|(ty, format, values, nullable)| {
            let mut entries = vec![format!("type: {ty}")];
            entries.extend(format.map(|f| format!("format: {f}")));
            entries.extend(values.map(|v| format!("enum: [{}]", v.join(", "))));
            entries.extend(nullable.then(|| "nullable: true".to_owned()));
            flow(&entries)
        })
}

fn schema() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        40 => scalar(),
        30 => schema_ref(),
        10 => select(&[
            "{}",
            "{type: object}",
            "{nullable: true}",
            "{enum: [a, b]}",
            "{type: array}",
        ][..])
        .prop_map(str::to_owned),
        1 => Just("{not: {type: string}}".to_owned()),
        // OpenAPI 3.1's spellings, which 3.0 documents (wrongly) use as well.
        10 => select(&[
            "{type: [string, 'null']}",
            "{type: [integer, object]}",
            "{const: a}",
            "{oneOf: [{const: 1}, {const: 2}, {type: 'null'}]}",
            "{type: array, prefixItems: [{type: number}, {type: number}]}",
            "{type: string, contentEncoding: binary}",
            "{type: integer, exclusiveMinimum: 0, maximum: 18446744073709551616}",
            "{$ref: '#/components/schemas/A/$defs/D'}",
            "{$defs: {D: {type: integer}}, properties: {d: {$ref: '#/components/schemas/Pet/$defs/D'}}}",
            "{$ref: '#/components/responses/R'}",
            "true",
        ][..])
        .prop_map(str::to_owned),
    ];
    leaf.prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            1 => array(inner.clone()),
            2 => object(inner.clone()),
            2 => composition(inner),
        ]
    })
    .boxed()
}

fn array(items: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    (items, any::<bool>()).prop_map(|(items, typed)| {
        let ty = typed.then(|| "type: array".to_owned());
        flow(
            &ty.into_iter()
                .chain([format!("items: {items}")])
                .collect::<Vec<_>>(),
        )
    })
}

fn object(inner: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    let properties = vec((name(), inner.clone()), 0..4);
    // `required` names properties, picked by index; `None` stands for a name that is not one.
    let required = vec(option::weighted(0.8, any::<Index>()), 0..3);
    let additional = option::of(prop_oneof![
        inner,
        Just("true".to_owned()),
        Just("false".to_owned())
    ]);
    let title = option::of(select(TEXTS));
    // Now and then the first keyword is repeated, which YAML does not allow.
    let repeat = proptest::bool::weighted(0.03);
    (
        any::<bool>(),
        properties,
        required,
        additional,
        title,
        repeat,
    )
        .prop_map(|(typed, properties, required, additional, title, repeat)| {
            let mut entries = Vec::new();
            entries.extend(typed.then(|| "type: object".to_owned()));
            entries.extend(title.map(|t| format!("title: {}", q(t))));
            let properties = dedup(properties);
            let required: Vec<String> = required
                .into_iter()
                .map(|at| match at {
                    Some(at) if !properties.is_empty() => {
                        q(properties[at.index(properties.len())].0)
                    }
                    _ => "ghost".to_owned(),
                })
                .collect();
            let properties: Vec<String> = properties
                .iter()
                .map(|(n, s)| format!("{}: {s}", q(n)))
                .collect();
            entries.push(format!("properties: {}", flow(&properties)));
            if !required.is_empty() {
                entries.push(format!("required: [{}]", required.join(", ")));
            }
            entries.extend(additional.map(|a| format!("additionalProperties: {a}")));
            if repeat {
                entries.push(entries[0].clone());
            }
            flow(&entries)
        })
}

fn composition(inner: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    let all_of_member = prop_oneof![
        4 => schema_ref(),
        2 => object(inner.clone()),
        1 => select(&["{nullable: true}", "{description: d}", "{}", "{type: string}"][..])
            .prop_map(str::to_owned),
    ];
    let all_of = vec(all_of_member, 0..4).prop_map(|members| ("allOf", members, None));
    let keyword = select(&["oneOf", "anyOf"][..]);
    let untagged = (keyword.clone(), vec(prop_oneof![schema_ref(), inner], 0..4))
        .prop_map(|(keyword, members)| (keyword, members, None));
    let discriminator = select(
        &[
            "{propertyName: kind}",
            "{propertyName: type, mapping: {a: '#/components/schemas/A', b: Pet, '': x}}",
        ][..],
    );
    let tagged = (keyword, vec(schema_ref(), 0..4), discriminator)
        .prop_map(|(keyword, members, discriminator)| (keyword, members, Some(discriminator)));
    let composed = prop_oneof![3 => all_of, 3 => untagged, 1 => tagged];
    (composed, any::<bool>()).prop_map(|((keyword, members, discriminator), typed)| {
        let mut entries = vec![format!("{keyword}: [{}]", members.join(", "))];
        entries.extend(discriminator.map(|d| format!("discriminator: {d}")));
        entries.extend(typed.then(|| "type: object".to_owned()));
        flow(&entries)
    })
}

fn parameter() -> impl Strategy<Value = String> {
    let described = prop_oneof![
        60 => schema().prop_map(|s| format!("schema: {s}")),
        1 => Just("content: {application/json: {schema: {type: string}}}".to_owned()),
        1 => Just(String::new()),
    ];
    let location = prop_oneof![
        30 => select(&["query", "header"][..]),
        3 => Just("path"),
        1 => select(&["cookie", "body"][..]),
    ];
    let inline = (likely_name(), location, any::<bool>(), described).prop_map(
        |(name, location, required, described)| {
            let mut entries = vec![
                format!("name: {}", q(name)),
                format!("in: {location}"),
                format!("required: {required}"),
            ];
            entries.extend((!described.is_empty()).then_some(described));
            flow(&entries)
        },
    );
    prop_oneof![
        50 => inline,
        5 => Just("{$ref: '#/components/parameters/P'}".to_owned()),
        1 => Just("{$ref: '#/components/parameters/Missing'}".to_owned()),
    ]
}

/// A `content` map: media types and their schemas.
fn content_map(content: Vec<(&str, Option<String>)>) -> String {
    let entries: Vec<String> = dedup(content)
        .into_iter()
        .map(|(ty, schema)| match schema {
            Some(schema) => format!("{}: {{schema: {schema}}}", q(ty)),
            None => format!("{}: {{}}", q(ty)),
        })
        .collect();
    flow(&entries)
}

fn request_body() -> impl Strategy<Value = String> {
    let content_type = prop_oneof![
        8 => select(&REQUEST_TYPES[..2]),
        1 => select(REQUEST_TYPES),
    ];
    let content = vec((content_type, option::of(schema())), 1..3);
    prop_oneof![
        50 => (content, any::<bool>()).prop_map(|(content, required)| {
            flow(&[format!("content: {}", content_map(content)), format!("required: {required}")])
        }),
        5 => Just("{$ref: '#/components/requestBodies/B'}".to_owned()),
        1 => Just("{$ref: '#/components/requestBodies/Missing'}".to_owned()),
    ]
}

fn response() -> impl Strategy<Value = String> {
    let content_type = prop_oneof![
        8 => select(&RESPONSE_TYPES[..4]),
        1 => select(RESPONSE_TYPES),
    ];
    let content = vec((content_type, option::of(schema())), 0..3);
    prop_oneof![
        50 => content.prop_map(|content| {
            let mut entries = vec!["description: d".to_owned()];
            if !content.is_empty() {
                entries.push(format!("content: {}", content_map(content)));
            }
            flow(&entries)
        }),
        5 => Just("{$ref: '#/components/responses/R'}".to_owned()),
        1 => Just("{$ref: '#/components/responses/Missing'}".to_owned()),
    ]
}

fn servers() -> impl Strategy<Value = String> {
    let url = prop_oneof![8 => select(SERVERS), 1 => select(BAD_SERVERS)];
    vec((url, proptest::bool::weighted(0.8)), 1..3).prop_map(|servers| {
        let servers: Vec<String> = servers
            .into_iter()
            .map(|(url, variables)| {
                let mut entries = vec![format!("url: {}", q(url))];
                if variables {
                    entries.push("variables: {host: {default: 'api.example.com'}}".to_owned());
                }
                flow(&entries)
            })
            .collect();
        format!("[{}]", servers.join(", "))
    })
}

fn operation() -> impl Strategy<Value = String> {
    (
        option::of(select(TEXTS)),
        option::of(select(TEXTS)),
        vec(parameter(), 0..3),
        option::of(request_body()),
        vec((select(STATUSES), response()), 0..3),
        option::weighted(0.2, servers()),
    )
        .prop_map(|(summary, id, parameters, body, responses, servers)| {
            let mut entries = Vec::new();
            entries.extend(summary.map(|s| format!("summary: {}", q(s))));
            entries.extend(id.map(|s| format!("operationId: {}", q(s))));
            if !parameters.is_empty() {
                entries.push(format!("parameters: [{}]", parameters.join(", ")));
            }
            entries.extend(body.map(|b| format!("requestBody: {b}")));
            let responses: Vec<String> = dedup(responses)
                .iter()
                .map(|(status, r)| format!("{status}: {r}"))
                .collect();
            entries.push(format!("responses: {}", flow(&responses)));
            entries.extend(servers.map(|s| format!("servers: {s}")));
            flow(&entries)
        })
}

fn path_template() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        12 => select(&["a", "users", "v1", "", "..", "x.json"][..]).prop_map(str::to_owned),
        12 => likely_name().prop_map(|n| format!("{{{n}}}")),
        1 => select(&["a{id}", "{", "}", "{}", "{{id}}"][..]).prop_map(str::to_owned),
    ];
    let fragment = option::weighted(0.1, select(&["refresh", "", "a#b"][..]));
    (vec(segment, 0..4), fragment).prop_map(|(segments, fragment)| {
        let mut path = format!("/{}", segments.join("/"));
        if let Some(fragment) = fragment {
            path = format!("{path}#{fragment}");
        }
        path
    })
}

/// A path and its item, which declares the parameters of the template (unless `declared` is
/// false) and maybe a few more.
fn path_item() -> impl Strategy<Value = (String, String)> {
    let operations = vec((select(METHODS), operation()), 1..3);
    let declared = proptest::bool::weighted(0.9);
    let path_schemas = vec(prop_oneof![3 => scalar(), 1 => schema()], 1..3);
    let parameters = vec(parameter(), 0..2);
    (
        path_template(),
        operations,
        declared,
        path_schemas,
        parameters,
    )
        .prop_map(
            |(path, operations, declared, path_schemas, mut parameters)| {
                let mut entries: Vec<String> = dedup(operations)
                    .iter()
                    .map(|(method, operation)| format!("{method}: {operation}"))
                    .collect();
                let template = path.split('#').next().unwrap_or_default();
                let names = template
                    .split('/')
                    .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')));
                for (i, name) in names.enumerate().filter(|_| declared) {
                    let schema = &path_schemas[i % path_schemas.len()];
                    let parameter = format!(
                        "{{name: {}, in: path, required: true, schema: {schema}}}",
                        q(name)
                    );
                    parameters.push(parameter);
                }
                if !parameters.is_empty() {
                    entries.push(format!("parameters: [{}]", parameters.join(", ")));
                }
                (path, flow(&entries))
            },
        )
}

/// Keeps the first entry of each key, so that a map does not fail to parse for a repeated key.
fn dedup<K: PartialEq, V>(entries: Vec<(K, V)>) -> Vec<(K, V)> {
    let mut kept: Vec<(K, V)> = Vec::new();
    for (key, value) in entries {
        if !kept.iter().any(|(k, _)| *k == key) {
            kept.push((key, value));
        }
    }
    kept
}

fn document() -> impl Strategy<Value = String> {
    (
        select(TEXTS),
        option::of(servers()),
        vec(path_item(), 0..3),
        vec(option::weighted(0.97, schema()), LIKELY_NAMES.len()),
        vec((name(), schema()), 0..3),
        select(&["3.0.3", "3.1.0"][..]),
    )
        .prop_map(|(title, servers, paths, likely, others, version)| {
            let mut text = format!(
                "openapi: {version}\ninfo: {{title: {}, version: '1'}}\n",
                q(title)
            );
            if let Some(servers) = servers {
                text.push_str(&format!("servers: {servers}\n"));
            }
            text.push_str(if paths.is_empty() {
                "paths: {}\n"
            } else {
                "paths:\n"
            });
            for (path, item) in dedup(paths) {
                text.push_str(&format!("  {}: {item}\n", q(&path)));
            }
            let likely = LIKELY_NAMES
                .iter()
                .zip(likely)
                .filter_map(|(name, schema)| Some((*name, schema?)));
            let schemas: Vec<String> = dedup(likely.chain(others).collect())
                .into_iter()
                .map(|(name, schema)| format!("{}: {schema}", q(name)))
                .collect();
            text.push_str(&format!("components:\n  schemas: {}\n", flow(&schemas)));
            text.push_str(OTHER_COMPONENTS);
            text
        })
}

/// The components that parameters, bodies and responses refer to as `P`, `B` and `R`.
const OTHER_COMPONENTS: &str = "  parameters: {P: {name: p, in: query, schema: {type: integer}}}
  requestBodies: {B: {content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}}
  responses: {R: {description: r, content: {application/json: {schema: {properties: {a: {$ref: '#/components/schemas/A'}}}}}}}
";

// ---------------------------------------------------------------------------------------------
// 3. Noise.

fn noise() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~\n]{0,120}"
            .prop_map(|s| format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{s}")),
        "[{}\\[\\]:, \"a0\n]{0,60}",
    ]
}

proptest! {
    #![proptest_config(config(1500))]
    #[test]
    fn mutated_real_specs_do_not_panic(
        which in any::<Index>(),
        mutations in vec(mutation(), 1..5),
        truncate in option::weighted(0.1, any::<Index>()),
    ) {
        check(&mutated_spec(which, &mutations, truncate))?;
    }
}

proptest! {
    #![proptest_config(config(1500))]
    #[test]
    fn grammar_documents_do_not_panic(text in document()) {
        check(&text)?;
    }
}

proptest! {
    #![proptest_config(config(500))]
    #[test]
    fn noise_does_not_panic(text in noise()) {
        check(&text)?;
    }
}

/// Mutations start from documents that generate, so most of them get past parsing.
#[test]
fn the_real_specs_generate() {
    for text in real_specs() {
        let spec = clientgen::Spec::parse("fuzz.yaml", text).unwrap();
        clientgen::generate(&spec, &clientgen::Config::new("fuzz")).unwrap();
    }
}

/// Documents that once crashed or hung the generator, kept so they never do again.
#[test]
fn regression_documents_do_not_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut documents: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    documents.sort();
    assert!(
        !documents.is_empty(),
        "{} holds no documents",
        dir.display()
    );
    for path in documents {
        let text = std::fs::read_to_string(&path).unwrap();
        if let Err(failure) = check(&text) {
            panic!("{}: {failure}", path.display());
        }
    }
}

/// How many generated grammar documents `cargo xtask test` compiles.
const SAMPLES: usize = 32;

/// Generates grammar documents from a fixed seed (the same every run) until `SAMPLES` of them
/// generate, and writes those crates into `target/fuzz-samples/` with a workspace manifest over
/// them; `cargo xtask test` then builds them with clippy and warnings denied.
#[test]
fn a_fixed_sample_of_documents_is_written_for_compilation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = root.join("target/fuzz-samples");
    let _ = std::fs::remove_dir_all(&dir);
    let mut runner = TestRunner::deterministic();
    let strategy = document();
    let mut members = Vec::new();
    for _ in 0..SAMPLES * 40 {
        if members.len() == SAMPLES {
            break;
        }
        let text = strategy.new_tree(&mut runner).unwrap().current();
        let name = format!("sample-{:02}", members.len());
        let mut config = clientgen::Config::new(name.clone());
        // The crates go to `target/fuzz-samples/NAME`, three levels below the workspace.
        config.runtime = clientgen::RuntimeSource::Path("../../../runtime".to_owned());
        let Ok(output) = clientgen::Spec::parse("sample.yaml", &text)
            .and_then(|spec| clientgen::generate(&spec, &config))
        else {
            continue;
        };
        for (file, contents) in &output.files {
            let path = dir.join(&name).join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        std::fs::write(dir.join(&name).join("sample.yaml"), &text).unwrap();
        members.push(format!("{name:?}"));
    }
    assert_eq!(members.len(), SAMPLES, "too few sampled documents generate");
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
}
