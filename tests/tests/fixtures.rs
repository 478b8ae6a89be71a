//! One small spec per generator concern, under `tests/fixtures/`; each gets one snapshot of the
//! code generated for it. `cargo xtask test` also compiles every fixture's crate with clippy
//! and warnings denied.

use tests::{generate_text, workspace_root};

/// Snapshots the types and client generated for `tests/fixtures/{name}.yaml`, which must
/// generate without warnings.
fn check(name: &str) {
    let output = generate(name);
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    snapshot(name, &output);
}

/// Like [`check`], for a fixture that must generate with exactly the `expected` warnings,
/// each given as `pointer: message`.
fn check_with_warnings(name: &str, expected: &[&str]) {
    let output = generate(name);
    let warnings: Vec<String> = output
        .warnings
        .iter()
        .map(|warning| format!("{}: {}", warning.location.pointer, warning.message))
        .collect();
    assert_eq!(warnings, expected);
    snapshot(name, &output);
}

fn generate(name: &str) -> clientgen::Output {
    let path = workspace_root()
        .join("tests/fixtures")
        .join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    generate_text(&format!("tests/fixtures/{name}.yaml"), &text).unwrap()
}

fn snapshot(name: &str, output: &clientgen::Output) {
    let code = format!(
        "{}\n{}",
        output.files["src/types.rs"], output.files["src/client.rs"]
    );
    insta::assert_snapshot!(name, code);
}

#[test]
fn recursive() {
    check("recursive");
}

#[test]
fn enums() {
    check("enums");
}

#[test]
fn refs() {
    check("refs");
}

#[test]
fn all_of() {
    check("all_of");
}

#[test]
fn one_of() {
    check("one_of");
}

#[test]
fn nullable() {
    check("nullable");
}

#[test]
fn collections() {
    check("collections");
}

#[test]
fn formats() {
    check("formats");
}

#[test]
fn names() {
    check("names");
}

#[test]
fn inline() {
    check("inline");
}

#[test]
fn params() {
    check("params");
}

#[test]
fn bodies() {
    check("bodies");
}

#[test]
fn responses() {
    check("responses");
}

#[test]
fn servers() {
    check("servers");
}

#[test]
fn lenient() {
    check_with_warnings(
        "lenient",
        &["#/components/schemas/Thing/required: `required` names `missing`, which is not a property; ignored"],
    );
}

#[test]
fn wire() {
    check("wire");
}

#[test]
fn clashes() {
    check("clashes");
}
