//! One small spec per generator concern, under `tests/fixtures/`. Each is generated into a
//! workspace crate under `tests/fixtures/generated/`, which is its expected output: the
//! freshness check compares it, and `cargo xtask test` builds and lints it. Here each fixture
//! is checked for the diagnostics it gives, which no generated file shows.

use tests::{generate_text, workspace_root};

/// Every fixture, with the warnings (`pointer: message`) it must generate with.
const FIXTURES: &[(&str, &[&str])] = &[
    ("all_of", &[]),
    ("all_of_scalars", &[]),
    ("bodies", &[]),
    ("clashes", &[]),
    ("collections", &[]),
    ("enums", &[]),
    ("formats", &[]),
    ("inline", &[]),
    (
        "lenient",
        &["#/components/schemas/Thing/required: `required` names `missing`, which is not a property; ignored"],
    ),
    ("names", &[]),
    ("nullable", &[]),
    ("one_of", &[]),
    ("params", &[]),
    ("recursive", &[]),
    ("refs", &[]),
    ("responses", &[]),
    ("servers", &[]),
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
