//! The shapes generated builders take (fixture `builders`): a type with no required field is
//! its own builder, one with required fields keeps the rest in one value until `build`.

use fixture_builders::types::{Note, NoteKind, Settings};
use fixture_builders::Nullable;

#[test]
fn a_type_with_no_required_field_builds_itself_from_default() {
    assert_eq!(Settings::builder().build(), Settings::default());
    let settings = Settings::builder()
        .set_builder("b")
        .set_build(3)
        .tags(["a", "b"])
        .colour(Nullable::Null)
        .build();
    assert_eq!(settings.builder.as_deref(), Some("b"));
    assert_eq!(settings.build, Some(3));
    assert_eq!(settings.tags, Some(vec!["a".to_owned(), "b".to_owned()]));
    assert_eq!(settings.colour, Nullable::Null);
    let json = serde_json::to_value(&settings).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"builder": "b", "build": 3, "tags": ["a", "b"], "colour": null})
    );
}

#[test]
fn optional_fields_set_before_and_after_required_ones_all_arrive() {
    let settings = Settings::builder().tags(["x"]).build();
    let note = Note::builder()
        .settings(settings.clone())
        .text("hello")
        .optional(true)
        .build();
    assert_eq!(note.kind, NoteKind::Note);
    assert_eq!(note.text, "hello");
    assert!(note.optional);
    assert_eq!(note.settings, Some(settings));
}

#[test]
fn a_builder_prints_what_it_holds_by_field() {
    let builder = Note::builder().text("hi");
    let shown = format!("{builder:?}");
    assert!(shown.starts_with("NoteBuilder"), "{shown}");
    assert!(shown.contains("\"hi\""), "{shown}");
}
