//! The `directions` fixture, built here as its lean default (without `full-serde`): each type
//! has the serde trait of the way it travels, and the helpers that trait calls (bytes as text,
//! `null` kept as a value) work with it alone.

use fixture_directions::types::{Circle, Label, Listing, NewNote, Note, Shape};
use serde_json::{json, Value};

type TestResult = Result<(), serde_json::Error>;

#[test]
fn a_sent_type_writes_bytes_as_text_and_a_null_it_holds() -> TestResult {
    let note = NewNote::builder()
        .text("hi")
        .attachment(b"raw".to_vec())
        .extra(Value::Null)
        .labels([Label::builder().name("work").build()])
        .build();
    let expected = json!({
        "text": "hi",
        "attachment": "raw",
        "extra": null,
        "labels": [{"name": "work"}],
    });
    assert_eq!(serde_json::to_value(&note)?, expected);
    Ok(())
}

#[test]
fn a_received_type_reads_bytes_from_text_and_null_as_a_value() -> TestResult {
    let note: Note = serde_json::from_value(json!({"id": "n1", "body": "text", "extra": null}))?;
    assert_eq!(note.body, b"text");
    assert_eq!(note.extra, Some(Value::Null));
    let absent: Note = serde_json::from_value(json!({"id": "n2", "body": ""}))?;
    assert_eq!(absent.extra, None);
    Ok(())
}

#[test]
fn a_received_union_decodes_and_a_sent_one_writes_its_tag() -> TestResult {
    let listing: Listing = serde_json::from_value(json!([{"id": "n1", "body": "b"}]))?;
    let Listing::NoteList(notes) = listing else {
        panic!("a list of notes, not {listing:?}");
    };
    assert_eq!(notes[0].id, "n1");
    let shape = Shape::Circle(Circle::builder().kind("circle").radius(2.0).build());
    let written = serde_json::to_value(&shape)?;
    assert_eq!(written, json!({"kind": "circle", "radius": 2.0}));
    Ok(())
}
