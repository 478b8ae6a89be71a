//! One small spec per generator concern, under `tests/fixtures/`; each gets one snapshot of the
//! code generated for it. `cargo xtask test` also compiles every fixture's crate with clippy
//! and warnings denied.

use tests::{generate_text, workspace_root};

/// Snapshots the types and client generated for `tests/fixtures/{name}.yaml`.
fn check(name: &str) {
    let path = workspace_root()
        .join("tests/fixtures")
        .join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let output = generate_text(&format!("tests/fixtures/{name}.yaml"), &text).unwrap();
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
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
