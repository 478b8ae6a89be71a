//! `Selection` keeps the operations with a tag or a path, and only the schemas they reach.

use clientgen::{lower, Config, Selection, Spec};

/// Box's published document, as vendored.
fn box_spec() -> Spec {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/box/openapi.json");
    let text = std::fs::read_to_string(path).unwrap();
    Spec::parse("spec/box/openapi.json", &text).unwrap()
}

fn selected(selection: Selection) -> (Vec<String>, Vec<String>) {
    let mut config = Config::new("selected");
    config.selection = selection;
    let (api, _) = lower(&box_spec(), &config).unwrap();
    let methods = api
        .operations
        .into_iter()
        .map(|op| op.method_name)
        .collect();
    let types = api.types.into_iter().map(|def| def.name).collect();
    (methods, types)
}

#[test]
fn a_path_keeps_its_operations_and_only_the_schemas_they_reach() {
    let (methods, types) = selected(Selection {
        paths: vec!["/oauth2/revoke".to_owned()],
        ..Selection::default()
    });
    assert_eq!(methods, ["revoke_access_token"]);
    assert_eq!(types, ["OAuth2Error", "PostOAuth2Revoke"]);
}

#[test]
fn a_path_without_its_fragment_matches_every_operation_there() {
    let (methods, _) = selected(Selection {
        paths: vec!["/oauth2/token".to_owned()],
        ..Selection::default()
    });
    assert_eq!(methods, ["request_access_token", "refresh_access_token"]);
}

#[test]
fn a_tag_keeps_every_operation_carrying_it() {
    let (methods, types) = selected(Selection {
        tags: vec!["Authorization".to_owned()],
        ..Selection::default()
    });
    assert_eq!(methods.len(), 4);
    assert!(types.contains(&"Resource".to_owned()));
    assert!(
        !types.contains(&"FileBase".to_owned()),
        "unreached schemas are left out"
    );
}

#[test]
fn a_selection_that_matches_nothing_is_an_error() {
    let mut config = Config::new("selected");
    config.selection.tags.push("Nope".to_owned());
    let errors = lower(&box_spec(), &config).unwrap_err();
    let error = errors.iter().next().unwrap();
    assert_eq!(error.location.pointer, "#/paths");
    assert!(error.message.contains("Nope"), "{}", error.message);
}
