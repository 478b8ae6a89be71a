//! Round trips through the types generated for the fixtures in `tests/fixtures/`: realistic
//! JSON is parsed into the generated types, the parsed values must equal values built with the
//! generated builders (and, where a test is about one field, that field's typed value is checked),
//! and serialising them again must give back the same JSON (compared as `serde_json::Value`, so
//! key order does not matter). A round trip alone is never the check: it would pass as well if a
//! field were untyped JSON.

use std::collections::BTreeMap;
use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Parses `wire` as a `T`, checks it equals `expected`, checks that it serialises back to
/// exactly `wire`, and returns the parsed value for checks on its typed fields.
#[track_caller]
fn round_trip<T>(wire: Value, expected: &T) -> T
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let parsed: T = match serde_json::from_value(wire.clone()) {
        Ok(parsed) => parsed,
        Err(error) => panic!("{wire} does not parse: {error}"),
    };
    assert_eq!(&parsed, expected);
    let written = serde_json::to_value(&parsed).expect("generated types serialise");
    assert_eq!(written, wire, "serialising again changed the JSON");
    parsed
}

/// The error message when `wire` does not parse as a `T`.
#[track_caller]
fn parse_error<T: DeserializeOwned + Debug>(wire: Value) -> String {
    match serde_json::from_value::<T>(wire.clone()) {
        Ok(parsed) => panic!("{wire} parsed as {parsed:?}, but should not"),
        Err(error) => error.to_string(),
    }
}

mod refs {
    use fixture_refs::types::{OwnerAlias, OwnerAliasAlias, OwnerListAlias, Pet, Problem};

    use super::*;

    /// A struct reached through ref chains for its id (`IdAlias` -> `Id`) and its owner
    /// (`OwnerAlias` -> `Owner`).
    #[test]
    fn pet_through_ref_chains() {
        let expected = Pet::builder()
            .id(7)
            .name("Rex")
            .owner(OwnerAlias::builder().name("Ann").build())
            .build();
        let pet = round_trip(
            json!({"id": 7, "name": "Rex", "owner": {"name": "Ann"}}),
            &expected,
        );
        let id: i64 = pet.id;
        assert_eq!(id, 7);
        round_trip(
            json!({"id": 8, "name": "Tom"}),
            &Pet::builder().id(8).name("Tom").build(),
        );
    }

    /// An array alias whose items are a two-link ref chain.
    #[test]
    fn owner_list_through_two_links() {
        let expected: OwnerListAlias = vec![
            OwnerAliasAlias::builder().name("Ann").build(),
            OwnerAliasAlias::builder().name("Bob").build(),
        ];
        round_trip(json!([{"name": "Ann"}, {"name": "Bob"}]), &expected);
        round_trip(json!([]), &OwnerListAlias::new());
    }

    /// The error body of a response reached through `components/responses`.
    #[test]
    fn problem_from_a_response_ref() {
        let expected = Problem::builder().message("no such pet").build();
        round_trip(json!({"message": "no such pet"}), &expected);
        round_trip(json!({}), &Problem::default());
    }
}

mod all_of {
    use fixture_all_of::types::{Base, Document, Named, Stored, Tagged};

    use super::*;

    fn base(id: &str) -> Base {
        Base::builder().id(id).build()
    }

    /// `Named` is `Base` plus its own member: `id` required from `Base`, `name` from the
    /// inline member.
    #[test]
    fn named_merges_a_ref_and_an_inline_member() {
        round_trip(
            json!({"id": "n1", "name": "first"}),
            &Named::builder().id("n1").name("first").build(),
        );
        let error = parse_error::<Named>(json!({"id": "n1"}));
        assert!(error.contains("missing field `name`"), "{error}");
        let error = parse_error::<Named>(json!({"name": "first"}));
        assert!(error.contains("missing field `id`"), "{error}");
    }

    /// The diamond: `Named` and `Dated` both include `Base`, whose fields appear once;
    /// `Document` makes `Base`'s optional `etag` required, and an empty `{}` member adds
    /// nothing.
    #[test]
    fn document_merges_a_diamond() {
        let wire = json!({
            "id": "d1",
            "etag": "\"v3\"",
            "name": "Report",
            "created_at": "2024-05-01T12:00:00Z",
            "body": "Hello"
        });
        let expected = Document::builder()
            .id("d1")
            .etag("\"v3\"")
            .name("Report")
            .body("Hello")
            .created_at("2024-05-01T12:00:00Z")
            .build();
        round_trip(wire, &expected);
        let error = parse_error::<Document>(json!({"id": "d1", "name": "R", "body": "B"}));
        assert!(error.contains("missing field `etag`"), "{error}");
    }

    /// Properties that are a `$ref` wrapped in `allOf` with overrides (`description`,
    /// `nullable: true` beside the `allOf`, `nullable: false`) are that type.
    #[test]
    fn stored_with_ref_overrides() {
        let wire = json!({
            "id": "d1",
            "etag": "v1",
            "name": "Report",
            "body": "Hello",
            "owner": {"id": "u1"},
            "editor": null,
            "reviewer": {"id": "u2", "etag": "e"},
            "approver": {"id": "u3"},
            "archived": {"id": "d0"}
        });
        let expected = Stored::builder()
            .id("d1")
            .etag("v1")
            .name("Report")
            .body("Hello")
            .owner(base("u1"))
            .reviewer(Base::builder().id("u2").etag("e").build())
            .archived(base("d0"))
            .approver(base("u3"))
            .build();
        let parsed = round_trip(wire.clone(), &expected);
        assert_eq!(parsed.editor, None::<Base>);

        let mut with_editor = wire;
        with_editor["editor"] = json!({"id": "u4"});
        let mut expected = expected;
        expected.editor = Some(base("u4"));
        let parsed = round_trip(with_editor, &expected);
        assert_eq!(parsed.editor, Some(base("u4")));
    }

    /// `approver` is `allOf: [{$ref: Base}, {nullable: true}]` and required: `null` is
    /// allowed, so the field must be an `Option`, `None` for that `null`.
    #[test]
    fn nullable_override_member_allows_null() {
        let wire = json!({
            "id": "d1",
            "etag": "v1",
            "name": "Report",
            "body": "Hello",
            "owner": {"id": "u1"},
            "editor": null,
            "reviewer": {"id": "u2"},
            "approver": null
        });
        // `editor` and `approver` are left unset: they are `null` on the wire.
        let expected = Stored::builder()
            .id("d1")
            .etag("v1")
            .name("Report")
            .body("Hello")
            .owner(base("u1"))
            .reviewer(base("u2"))
            .build();
        let parsed = round_trip(wire, &expected);
        assert_eq!(parsed.approver, None::<Base>);
    }

    /// `allOf` with `properties` and `required` of its own beside it.
    #[test]
    fn tagged_merges_sibling_properties() {
        round_trip(
            json!({"id": "t1", "etag": "x", "tags": ["a", "b"]}),
            &Tagged::builder()
                .id("t1")
                .tags(["a", "b"])
                .etag("x")
                .build(),
        );
        let error = parse_error::<Tagged>(json!({"id": "t1"}));
        assert!(error.contains("missing field `tags`"), "{error}");
    }
}

mod all_of_scalars {
    use fixture_all_of_scalars::types::{Item, ItemPhase, Status};

    use super::*;

    /// Each `allOf` around one value became that value's type: a referenced scalar stays its
    /// alias, a referenced enum stays the enum, nullability follows every member, an array
    /// keeps its items and an integer its format.
    #[test]
    fn each_merged_property_has_its_value_type() {
        let wire = json!({
            "id": "item-1",
            "sequence": "7",
            "revision": null,
            "status": "archived",
            "phase": "done",
            "tags": ["a", "b"],
            "hidden": false,
            "secret": "hunter2",
            "count": 3
        });
        // `revision` is left unset: it is `null` on the wire.
        let expected = Item::builder()
            .id("item-1")
            .sequence("7")
            .status(Status::Archived)
            .tags(["a", "b"])
            .phase(ItemPhase::Done)
            .hidden(false)
            .secret("hunter2")
            .count(3_i32)
            .build();
        let item = round_trip(wire, &expected);
        let (id, sequence): (String, String) = (item.id, item.sequence);
        assert_eq!((id.as_str(), sequence.as_str()), ("item-1", "7"));
        let (tags, count): (Vec<String>, Option<i32>) = (item.tags, item.count);
        assert_eq!(tags, ["a", "b"]);
        assert_eq!(count, Some(3));
    }

    /// `sequence` is nullable in its typed member only, so `null` is refused; `revision` is
    /// nullable in every member and required, so it is written as `null`.
    #[test]
    fn nullable_only_when_every_member_allows_null() {
        let mut wire =
            json!({"id": "i", "sequence": null, "revision": null, "status": "active", "tags": []});
        assert!(parse_error::<Item>(wire.clone()).contains("invalid type: null"));
        wire["sequence"] = json!("1");
        // `revision` is left unset: it is `null` on the wire.
        let expected = Item::builder()
            .id("i")
            .sequence("1")
            .status(Status::Active)
            .tags(Vec::<String>::new())
            .build();
        let item = round_trip(wire, &expected);
        let (sequence, revision): (String, Option<String>) = (item.sequence, item.revision);
        assert_eq!((sequence.as_str(), revision), ("1", None));
    }

    /// The narrowed enum has only the values both members allow: the dropped value is not one
    /// of its known values, so it reads as `Unknown` and is written back unchanged.
    #[test]
    fn a_narrowed_enum_does_not_know_the_dropped_value() {
        assert_eq!(ItemPhase::VALUES, ["review", "done"]);
        let parsed = round_trip(json!("draft"), &ItemPhase::from("draft"));
        assert!(matches!(parsed, ItemPhase::Unknown(_)), "{parsed:?}");
        assert_eq!(parsed.as_str(), "draft");
    }

    /// A member that only sets `format: password` makes the value a secret.
    #[test]
    fn a_format_member_marks_a_secret() {
        let item = Item::builder()
            .id("i")
            .sequence("1")
            .status(Status::Active)
            .tags(Vec::<String>::new())
            .secret("hunter2")
            .build();
        let debug = format!("{item:?}");
        assert!(
            !debug.contains("hunter2") && debug.contains("<redacted>"),
            "{debug}"
        );
    }
}

mod one_of {
    use fixture_one_of::types::{
        Cat, Circle, Contact, Dog, Drawing, EmailAddress, File, Folder, Item, Pet, PhoneNumber,
        Shape, Square, Value, ValueVariant1, ValueVariant5,
    };

    use super::*;

    fn circle(kind: &str, radius: f64) -> Circle {
        Circle::builder().kind(kind).radius(radius).build()
    }

    /// A discriminator with a mapping picks the variant by the mapped tag; the tag stays in
    /// the variant's own field and is written back. A tag the mapping does not list (tags are
    /// case-sensitive) is kept as `Unknown`; a listed tag with the wrong members is an error.
    #[test]
    fn discriminator_with_mapping() {
        round_trip(
            json!({"kind": "circle", "radius": 1.5}),
            &Shape::Circle(circle("circle", 1.5)),
        );
        round_trip(
            json!({"kind": "square", "side": 2.0}),
            &Shape::Square(Square::builder().kind("square").side(2.0).build()),
        );
        let unknown = json!({"kind": "Circle", "radius": 1.0});
        round_trip(unknown.clone(), &Shape::Unknown(unknown));
        let error = parse_error::<Shape>(json!({"kind": "square", "radius": 1.0}));
        assert!(error.contains("missing field `side`"), "{error}");
    }

    /// A mapping may give one schema a second tag: it selects the same variant when read.
    #[test]
    fn a_second_mapped_tag_selects_the_same_variant() {
        let parsed: Shape =
            serde_json::from_value(json!({"kind": "round", "radius": 2.5})).unwrap();
        assert_eq!(parsed, Shape::Circle(circle("round", 2.5)));
    }

    /// Without a mapping, the tags are the component names; an object without the tag is
    /// kept as `Unknown`.
    #[test]
    fn discriminator_without_mapping() {
        round_trip(
            json!({"petType": "Cat", "lives": 9}),
            &Pet::Cat(Cat::builder().pet_type("Cat").lives(9).build()),
        );
        round_trip(
            json!({"petType": "Dog", "good": true}),
            &Pet::Dog(Dog::builder().pet_type("Dog").good(true).build()),
        );
        let untagged = json!({"lives": 9});
        round_trip(untagged.clone(), &Pet::Unknown(untagged));
    }

    /// No discriminator, but each member requires `type` with one value: the union is tagged
    /// by it, recursively (a folder holds items); another `type` is kept as `Unknown`.
    #[test]
    fn tagged_by_a_single_value_property() {
        let wire = json!({
            "type": "folder",
            "id": "0",
            "items": [
                {"type": "file", "id": "12", "size": 1024},
                {"type": "folder", "id": "34", "items": []}
            ]
        });
        let expected = Item::Folder(
            Folder::builder()
                .id("0")
                .items([
                    Item::File(File::builder().id("12").size(1024).build()),
                    Item::Folder(Folder::builder().id("34").items(Vec::<Item>::new()).build()),
                ])
                .build(),
        );
        round_trip(wire, &expected);
        let web_link = json!({"type": "web_link", "id": "1"});
        round_trip(web_link.clone(), &Item::Unknown(web_link));
    }

    /// Untagged over a string enum, a string, an integer, an array and an inline object: the
    /// first member that accepts the value wins, so `auto` is the enum and `other` a string; a
    /// value no member accepts is kept as `Unknown`.
    #[test]
    fn untagged_mixed_members() {
        round_trip(json!("auto"), &Value::ValueVariant1(ValueVariant1::Auto));
        round_trip(json!("none"), &Value::ValueVariant1(ValueVariant1::None));
        round_trip(json!("other"), &Value::String("other".into()));
        round_trip(json!(42), &Value::Integer(42));
        round_trip(
            json!(["a", "b"]),
            &Value::StringList(vec!["a".into(), "b".into()]),
        );
        round_trip(
            json!({"min": 1, "max": 5}),
            &Value::ValueVariant5(ValueVariant5::builder().min(1).max(5).build()),
        );
        round_trip(json!(true), &Value::Unknown(json!(true)));
    }

    /// Members with a `title` are named after it.
    #[test]
    fn titles_name_variants() {
        round_trip(
            json!({"email": "ann@example.com"}),
            &Contact::EmailAddress(EmailAddress::builder().email("ann@example.com").build()),
        );
        round_trip(
            json!({"phone": "+44 20 7946 0000"}),
            &Contact::PhoneNumber(PhoneNumber::builder().phone("+44 20 7946 0000").build()),
        );
    }

    /// Every kind of union in one document.
    #[test]
    fn drawing_holds_every_union() {
        let wire = json!({
            "shape": {"kind": "circle", "radius": 0.5},
            "pet": {"petType": "Dog"},
            "item": {"type": "file", "id": "9"},
            "value": [],
            "contact": {"phone": "112"}
        });
        let expected = Drawing::builder()
            .shape(Shape::Circle(circle("circle", 0.5)))
            .pet(Pet::Dog(Dog::builder().pet_type("Dog").build()))
            .item(Item::File(File::builder().id("9").build()))
            .value(Value::StringList(Vec::new()))
            .contact(Contact::PhoneNumber(
                PhoneNumber::builder().phone("112").build(),
            ))
            .build();
        round_trip(wire, &expected);
        round_trip(json!({}), &Drawing::default());
    }
}

mod union_order {
    use fixture_union_order::types::{
        Amount, Artist, ArtistDetail, ArtistSummary, Check, DateCheck, DateCheckKind, EmailCheck,
        Episode, Media, Note, NumberCheck, NumberCheckKind, TextNote, Track,
    };

    use super::*;

    /// An episode is chosen by its `type`, though a track (every property optional) is listed
    /// first and would take it; anything else is a track.
    #[test]
    fn a_single_value_tag_is_read_before_an_object_that_takes_anything() {
        round_trip(
            json!({"type": "episode", "show": "Talk"}),
            &Media::Episode(Episode::builder().show("Talk").build()),
        );
        round_trip(
            json!({"type": "track", "name": "Song"}),
            &Media::Track(Track::builder().r#type("track").name("Song").build()),
        );
        round_trip(json!({}), &Media::Track(Track::builder().build()));
        let error = parse_error::<Media>(json!({"type": "episode"}));
        assert!(error.contains("missing field `show`"), "{error}");
    }

    /// A check is chosen by `kind` even where `kind` is optional: a number check is not taken
    /// for a date check, which accepts any object. One without `kind` is the first that takes
    /// it; one with a `kind` the spec does not list is kept as it came.
    #[test]
    fn an_optional_single_value_property_is_a_tag_too() {
        round_trip(
            json!({"kind": "number", "separator": ","}),
            &Check::Number(
                NumberCheck::builder()
                    .kind(NumberCheckKind::Number)
                    .separator(",")
                    .build(),
            ),
        );
        round_trip(
            json!({"kind": "date"}),
            &Check::Date(DateCheck::builder().kind(DateCheckKind::Date).build()),
        );
        round_trip(
            json!({"kind": "email"}),
            &Check::Email(EmailCheck::builder().build()),
        );
        round_trip(
            json!({"format": "YYYY"}),
            &Check::Date(DateCheck::builder().format("YYYY").build()),
        );
        let unlisted = json!({"kind": "phone"});
        round_trip(unlisted.clone(), &Check::Unknown(unlisted));
    }

    /// The full artist requires what the summary requires and more: it is tried first.
    #[test]
    fn an_object_that_requires_more_is_tried_first() {
        round_trip(
            json!({"id": "1", "name": "Band"}),
            &Artist::ArtistDetail(ArtistDetail::builder().id("1").name("Band").build()),
        );
        round_trip(
            json!({"id": "1"}),
            &Artist::ArtistSummary(ArtistSummary::builder().id("1").build()),
        );
    }

    /// An integer is tried before a number, which would take it.
    #[test]
    fn an_integer_is_tried_before_a_number() {
        round_trip(json!(3), &Amount::Integer(3));
        round_trip(json!(2.5), &Amount::Number(2.5));
    }

    /// The second of two objects that take anything is never chosen (and a warning says so).
    #[test]
    fn the_first_object_that_takes_anything_wins() {
        let parsed: Note = serde_json::from_value(json!({"audio": "a.mp3"})).unwrap();
        assert_eq!(parsed, Note::TextNote(TextNote::builder().build()));
    }
}

mod nullable {
    use fixture_nullable::types::{Address, Contact, Profile};
    use fixture_nullable::Nullable;

    use super::*;

    /// Required nullable properties are written as `null`, optional ones left out when
    /// `None`; a property whose named schema is nullable may be `null`.
    #[test]
    fn nullable_properties() {
        let wire = json!({
            "name": "Alice",
            "nickname": null,
            "address": null,
            "emergency_contact": null,
            "tags": null
        });
        round_trip(wire, &Profile::builder().name("Alice").build());
        let wire = json!({
            "name": "Alice",
            "nickname": "Al",
            "bio": "Hi",
            "age": 30,
            "address": {"city": "Paris", "zip": "75001"},
            "previous_address": {"city": "Lyon"},
            "emergency_contact": {"phone": "555"},
            "tags": ["x"],
            "scores": {"math": 3}
        });
        let expected = Profile::builder()
            .name("Alice")
            .nickname("Al")
            .bio("Hi")
            .age(30)
            .address(Address::builder().city("Paris").zip("75001").build())
            .previous_address(Address::builder().city("Lyon").build())
            .emergency_contact(Contact::builder().phone("555").build())
            .tags([Some(String::from("x"))])
            .scores([("math", Some(3))])
            .build();
        round_trip(wire, &expected);
    }

    /// An optional nullable property is a `Nullable`: an explicit `null` reads as `Null` and
    /// is written back, an absent property reads as `Absent` and stays out.
    #[test]
    fn optional_nullable_keeps_null_apart_from_absence() {
        let wire = json!({
            "name": "Alice",
            "nickname": null,
            "bio": null,
            "address": {"city": "Paris", "zip": null},
            "emergency_contact": null,
            "tags": null
        });
        let parsed: Profile = serde_json::from_value(wire.clone()).unwrap();
        let expected = Profile::builder()
            .name("Alice")
            .bio(Nullable::Null)
            .address(Address::builder().city("Paris").zip(Nullable::Null).build())
            .build();
        assert_eq!(parsed, expected);
        assert_eq!(parsed.previous_address, Nullable::Absent);
        assert_eq!(serde_json::to_value(&parsed).unwrap(), wire);
        let with_values = Profile::builder()
            .name("Alice")
            .bio("Hi")
            .previous_address(Address::builder().city("Lyon").build())
            .build();
        assert_eq!(with_values.bio.value().map(String::as_str), Some("Hi"));
        let written = serde_json::to_value(&with_values).unwrap();
        assert_eq!(written["previous_address"], json!({"city": "Lyon"}));
    }

    /// `nullable: true` beside a `$ref` makes that use of a non-nullable schema nullable: a
    /// required property that must be written, as `null` when unset.
    #[test]
    fn nullable_beside_a_ref() {
        let wire = json!({
            "name": "Alice",
            "nickname": null,
            "address": null,
            "emergency_contact": {"phone": "555"},
            "tags": null
        });
        let contact = Contact::builder().phone("555").build();
        let expected = Profile::builder()
            .name("Alice")
            .emergency_contact(contact.clone())
            .build();
        let parsed = round_trip(wire, &expected);
        assert_eq!(parsed.emergency_contact, Some(contact));
        let unset = serde_json::to_value(Profile::builder().name("Alice").build()).unwrap();
        assert_eq!(
            unset["emergency_contact"],
            serde_json::Value::Null,
            "{unset}"
        );
    }

    /// `items: {type: string, nullable: true}` allows `null` items.
    #[test]
    fn nullable_array_items() {
        let wire = json!({
            "name": "Alice",
            "nickname": null,
            "address": null,
            "emergency_contact": null,
            "tags": ["x", null]
        });
        let expected = Profile::builder()
            .name("Alice")
            .tags([Some("x".to_owned()), None])
            .build();
        let parsed = round_trip(wire, &expected);
        assert_eq!(parsed.tags, Some(vec![Some("x".to_owned()), None]));
    }

    /// `additionalProperties: {type: integer, nullable: true}` allows `null` values.
    #[test]
    fn nullable_map_values() {
        let wire = json!({
            "name": "Alice",
            "nickname": null,
            "address": null,
            "emergency_contact": null,
            "tags": null,
            "scores": {"math": 3, "art": null}
        });
        let expected = Profile::builder()
            .name("Alice")
            .scores([("math", Some(3)), ("art", None)])
            .build();
        let parsed = round_trip(wire, &expected);
        let scores = parsed.scores.unwrap_or_default();
        assert_eq!((scores["math"], scores["art"]), (Some(3_i64), None));
    }
}

mod collections {
    use fixture_collections::types::{
        Bag, BagBuilder, BagNestedInlineValue, Entry, Labels, Tagged,
    };

    use super::*;

    /// A builder for a bag with no items and nothing else set yet.
    fn empty_bag() -> BagBuilder<Vec<Entry>> {
        Bag::builder().items(Vec::<Entry>::new())
    }

    /// Arrays, arrays of arrays, maps of scalars, objects, arrays and inline objects,
    /// `additionalProperties: true`, free-form objects and values with no type.
    #[test]
    fn bag_of_every_collection() {
        let wire = json!({
            "id": "b1",
            "password": "hunter2",
            "items": [{"key": "k", "extra": {"deep": [1, "two", null]}}, {}],
            "matrix": [[1, 2], [], [3]],
            "untyped_items": [1, "x", {"y": null}, [true]],
            "counts": {"a": 1, "b": -2},
            "entries": {"first": {"key": "one"}},
            "anything_map": {"n": 1, "s": "x", "o": {"k": []}, "z": null},
            "free_form": {"whatever": {"nested": true}},
            "closed": {},
            "no_type": 3.25,
            "groups": {"admins": ["ann"], "empty": []},
            "nested_inline": {"x": {"value": "1"}}
        });
        let expected = Bag::builder()
            .items([
                Entry::builder()
                    .key("k")
                    .extra(json!({"deep": [1, "two", null]}))
                    .build(),
                Entry::default(),
            ])
            .id("b1")
            .password("hunter2")
            .matrix([vec![1, 2], vec![], vec![3]])
            .untyped_items([json!(1), json!("x"), json!({"y": null}), json!([true])])
            .counts([("a", 1), ("b", -2)])
            // `extra` is left unset: the entry has none.
            .entries([("first", Entry::builder().key("one").build())])
            .anything_map([
                ("n", json!(1)),
                ("s", json!("x")),
                ("o", json!({"k": []})),
                ("z", Value::Null),
            ])
            .free_form(json!({"whatever": {"nested": true}}))
            .closed(json!({}))
            .no_type(json!(3.25))
            .groups([("admins", vec!["ann".to_owned()]), ("empty", Vec::new())])
            .nested_inline([("x", BagNestedInlineValue::builder().value("1").build())])
            .build();
        let bag = round_trip(wire, &expected);
        let matrix: Option<Vec<Vec<i64>>> = bag.matrix;
        assert_eq!(matrix, Some(vec![vec![1, 2], vec![], vec![3]]));
        let counts: BTreeMap<String, i64> = bag.counts.unwrap_or_default();
        assert_eq!((counts["a"], counts["b"]), (1, -2));
        let groups: BTreeMap<String, Vec<String>> = bag.groups.unwrap_or_default();
        assert_eq!(groups["admins"], ["ann"]);
        assert!(groups["empty"].is_empty());
    }

    /// A value with no type may be any JSON at all, strings and arrays included.
    #[test]
    fn untyped_values_take_any_json() {
        for value in [json!("text"), json!([1, {}]), json!(false), json!({"a": 1})] {
            let wire = json!({"id": "b", "items": [], "no_type": value});
            let expected = empty_bag().id("b").no_type(value.clone()).build();
            let parsed = round_trip(wire, &expected);
            assert_eq!(parsed.no_type, Some(value));
        }
    }

    /// A `null` for a property with no type is a value like any other: it is kept as
    /// `Some(Value::Null)`, apart from the property being absent.
    #[test]
    fn untyped_value_keeps_null() {
        let wire = json!({"id": "b", "items": [], "no_type": null});
        let expected = empty_bag().id("b").no_type(Value::Null).build();
        let parsed = round_trip(wire, &expected);
        assert_eq!(parsed.no_type, Some(Value::Null));
        assert_ne!(parsed, empty_bag().id("b").build());
    }

    /// The known properties of an object that also has `additionalProperties`.
    #[test]
    fn known_properties_beside_a_map() {
        let tagged = Tagged::builder().name("n").build();
        round_trip(json!({"name": "n"}), &tagged);
        let wire = json!({"id": "b", "items": [], "tagged": {"name": "n"}});
        let expected = empty_bag().id("b").tagged(tagged.clone()).build();
        let parsed = round_trip(wire, &expected);
        assert_eq!(parsed.tagged, Some(tagged));
    }

    /// `additionalProperties: {type: string}` beside `properties` allows more string
    /// properties; they are data, and must survive a round trip.
    #[test]
    fn additional_properties_beside_properties_are_kept() {
        let expected = Tagged::builder()
            .name("n")
            .additional_properties([("colour", "red"), ("size", "L")])
            .build();
        let parsed = round_trip(
            json!({"name": "n", "colour": "red", "size": "L"}),
            &expected,
        );
        let (name, additional): (String, BTreeMap<String, String>) =
            (parsed.name, parsed.additional_properties);
        assert_eq!(name, "n");
        assert_eq!(
            additional,
            BTreeMap::from([("colour".into(), "red".into()), ("size".into(), "L".into())])
        );
    }

    /// A named map schema is a `BTreeMap` alias.
    #[test]
    fn labels_map() {
        let expected: Labels = BTreeMap::from([
            ("env".into(), "prod".into()),
            ("team".into(), "core".into()),
        ]);
        round_trip(json!({"team": "core", "env": "prod"}), &expected);
        let error = parse_error::<Labels>(json!({"n": 1}));
        assert!(error.contains("expected a string"), "{error}");
    }

    /// A response leaves out the `writeOnly` password; a request leaves out the `readOnly`
    /// id, which the server sets.
    #[test]
    fn read_only_and_write_only_may_be_left_out() {
        // The response side parses: the password is optional.
        let parsed = round_trip(
            json!({"id": "b1", "items": []}),
            &empty_bag().id("b1").build(),
        );
        assert_eq!(parsed.password, None::<String>);
    }

    /// A client creating a bag cannot know its `readOnly` id, yet it is a required field
    /// of the one `Bag` type used for requests and responses.
    #[test]
    fn read_only_is_not_required_in_requests() {
        let parsed = round_trip(
            json!({"items": [], "password": "hunter2"}),
            &empty_bag().password("hunter2").build(),
        );
        assert_eq!(parsed.id, None::<String>);
    }
}

mod formats {
    use fixture_formats::types::{Sample, SampleBuilder};

    use super::*;

    /// A builder with every required field set.
    fn sample_builder() -> SampleBuilder<i32, i64, f32, f64, String, String, String> {
        Sample::builder()
            .int32(-2_147_483_648)
            .int64(9_007_199_254_740_993_i64)
            .float(1.5)
            .double(0.1)
            .date("2024-02-29")
            .date_time("2024-02-29T23:59:60.5+01:00")
            .byte("aGVsbG8=")
    }

    fn sample() -> Sample {
        sample_builder().build()
    }

    /// Integers keep their full range (beyond what a JSON double holds exactly), floats
    /// their value, and dates and base64 stay text; unknown formats are strings.
    #[test]
    fn every_format() {
        let wire = json!({
            "int32": -2_147_483_648_i64,
            "int64": 9_007_199_254_740_993_i64,
            "integer": 0,
            "unknown_int": 255,
            "float": 1.5,
            "double": 0.1,
            "number": 1e300,
            "date": "2024-02-29",
            "date_time": "2024-02-29T23:59:60.5+01:00",
            "byte": "aGVsbG8=",
            "password": "s3cret",
            "token": "tok_123",
            "urn": "urn:ietf:params:oauth:token-type:jwt",
            "url": "https://example.com/a?b=c",
            "jwt": "eyJhbGciOiJub25lIn0.e30.",
            "digest": "SHA-256=abc",
            "uuid": "123e4567-e89b-12d3-a456-426614174000"
        });
        let expected = sample_builder()
            .integer(0)
            .unknown_int(255)
            .number(1e300)
            .password("s3cret")
            .token("tok_123")
            .urn("urn:ietf:params:oauth:token-type:jwt")
            .url("https://example.com/a?b=c")
            .jwt("eyJhbGciOiJub25lIn0.e30.")
            .digest("SHA-256=abc")
            .uuid("123e4567-e89b-12d3-a456-426614174000")
            .build();
        let parsed = round_trip(wire, &expected);
        let (int32, int64): (i32, i64) = (parsed.int32, parsed.int64);
        assert_eq!((int32, int64), (i32::MIN, 9_007_199_254_740_993));
        let (float, double): (f32, f64) = (parsed.float, parsed.double);
        assert_eq!((float, double), (1.5, 0.1));
        let (date, byte): (String, String) = (parsed.date, parsed.byte);
        assert_eq!((date.as_str(), byte.as_str()), ("2024-02-29", "aGVsbG8="));
        // `password`, `token` and `jwt` mark credentials; other formats do not.
        let debug = format!("{expected:?}");
        for secret in ["s3cret", "tok_123", "eyJhbGciOiJub25lIn0"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        assert_eq!(debug.matches("<redacted>").count(), 3, "{debug}");
        assert!(
            debug.contains("urn:ietf:params:oauth:token-type:jwt"),
            "{debug}"
        );
    }

    /// An `int32` rejects a value outside its range rather than wrapping it.
    #[test]
    fn int32_range_is_checked() {
        let mut wire = serde_json::to_value(sample()).unwrap();
        wire["int32"] = json!(3_000_000_000_i64);
        let error = parse_error::<Sample>(wire);
        assert!(error.contains("invalid value"), "{error}");
    }

    /// In a JSON document a `format: binary` string is still a JSON string; it is read as the
    /// bytes of its text.
    #[test]
    fn binary_in_json_is_a_string() {
        let mut wire = serde_json::to_value(sample()).unwrap();
        wire["binary"] = json!("raw octets");
        let expected = sample_builder().binary(b"raw octets".to_vec()).build();
        let parsed = round_trip(wire, &expected);
        assert_eq!(parsed.binary.as_deref(), Some(&b"raw octets"[..]));
    }
}

mod names {
    use fixture_names::types::{
        Box, Box2, Crate, FileMini, FileVersion, Match, Ref, Self_, Type, WithSpaces,
    };

    use super::*;

    /// Keyword, dotted, dashed, spaced, digit-led, empty and colliding property names all keep
    /// their wire names.
    #[test]
    fn awkward_property_names() {
        let wire = json!({
            "type": "t",
            "ref": "r",
            "self": "s",
            "Self": "S",
            "match": "m",
            "crate": "c",
            "box": "b",
            "super": "u",
            "a-b": "dash",
            "a_b": "underscore",
            "File--Mini": "fm",
            "file.version": "fv",
            "with spaces": "ws",
            "2fa": "123456",
            "@odata.type": "#x",
            "": "empty",
            "nested": {"id": "1"},
            "dotted": {"id": "2"},
            "digits": {"id": "3"},
            "spaced": "a-b",
            "boxed": {"box": "inner"},
            "crated": {"self": 5},
            "matched": "box",
            "reffed": {"type": "t"},
            "lower_boxed": {"crate": true}
        });
        let expected = Type::builder()
            .r#type("t")
            .self_("s")
            .r#ref("r")
            .self2("S")
            .r#match("m")
            .crate_("c")
            .r#box("b")
            .super_("u")
            .a_b("dash")
            .a_b2("underscore")
            .file_mini("fm")
            .file_version("fv")
            .with_spaces("ws")
            ._2fa("123456")
            .odata_type("#x")
            .value("empty")
            .nested(FileMini::builder().id("1").build())
            .dotted(FileVersion::builder().id("2").build())
            .digits(fixture_names::types::_1stClass::builder().id("3").build())
            .spaced(WithSpaces::AB)
            .boxed(Box2::builder().r#box("inner").build())
            .crated(Crate::builder().self_(5).build())
            .matched(Match::Box)
            .reffed(Ref::builder().r#type("t").build())
            .lower_boxed(Box::builder().crate_(true).build())
            .build();
        round_trip(wire, &expected);
    }

    /// Enum values that are keywords, collide, start with a digit or are empty.
    #[test]
    fn awkward_enum_values() {
        let cases = [
            ("self", WithSpaces::Self_),
            ("type", WithSpaces::Type),
            ("a-b", WithSpaces::AB),
            ("a_b", WithSpaces::AB2),
            ("1st", WithSpaces::V1st),
            ("", WithSpaces::Empty),
        ];
        for (wire, expected) in cases {
            round_trip(json!(wire), &expected);
            assert_eq!(expected.as_str(), wire);
        }
    }

    /// A schema named `Self`.
    #[test]
    fn schema_named_self() {
        round_trip(
            json!({"match": "x"}),
            &Self_::builder().r#match("x").build(),
        );
    }
}

mod inline {
    use fixture_inline::types::{
        CreateOrderBody, CreateOrderBody2, CreateOrderBody2Customer, CreateOrderBody2LinesItem,
        CreateOrderBody2Status, CreateOrderResponse,
    };

    use super::*;

    /// The inline request body, its inline property, array items and enum.
    #[test]
    fn inline_request_body() {
        let wire = json!({
            "customer": {"name": "Ann"},
            "lines": [{"sku": "A-1", "quantity": 2}, {"sku": "B-2"}],
            "status": "placed"
        });
        let expected = CreateOrderBody2::builder()
            .customer(CreateOrderBody2Customer::builder().name("Ann").build())
            .lines([
                CreateOrderBody2LinesItem::builder()
                    .sku("A-1")
                    .quantity(2)
                    .build(),
                CreateOrderBody2LinesItem::builder().sku("B-2").build(),
            ])
            .status(CreateOrderBody2Status::Placed)
            .build();
        round_trip(wire, &expected);
    }

    /// The inline response refers to the component that kept the name `CreateOrderBody`.
    #[test]
    fn inline_response_uses_the_component() {
        let expected = CreateOrderResponse::builder()
            .id("o-1")
            .body(CreateOrderBody::builder().note("rush").build())
            .build();
        round_trip(json!({"id": "o-1", "body": {"note": "rush"}}), &expected);
    }
}

mod bodies {
    use fixture_bodies::types::{
        Note, PatchOperation, PatchOperationOp, SearchForm, SearchFormFilter,
    };

    use super::*;

    #[test]
    fn note() {
        round_trip(
            json!({"id": "n1", "text": "Hi"}),
            &Note::builder().text("Hi").id("n1").build(),
        );
        round_trip(json!({"text": "Hi"}), &Note::builder().text("Hi").build());
    }

    /// A JSON Patch document: `value` may be any JSON.
    #[test]
    fn json_patch_document() {
        let wire = json!([
            {"op": "replace", "path": "/text", "value": "Bye"},
            {"op": "add", "path": "/tags/-", "value": {"k": [1]}},
            {"op": "remove", "path": "/id"}
        ]);
        let expected = vec![
            PatchOperation::builder()
                .op(PatchOperationOp::Replace)
                .path("/text")
                .value(json!("Bye"))
                .build(),
            PatchOperation::builder()
                .op(PatchOperationOp::Add)
                .path("/tags/-")
                .value(json!({"k": [1]}))
                .build(),
            PatchOperation::builder()
                .op(PatchOperationOp::Remove)
                .path("/id")
                .build(),
        ];
        round_trip(wire, &expected);
    }

    /// `{"op": "replace", "value": null}` sets a value to null; it differs from leaving
    /// `value` out (which a server rejects for `replace`).
    #[test]
    fn json_patch_null_value() {
        let replace = || {
            PatchOperation::builder()
                .op(PatchOperationOp::Replace)
                .path("/text")
        };
        let expected = vec![replace().value(Value::Null).build()];
        let wire = json!([{"op": "replace", "path": "/text", "value": null}]);
        let parsed = round_trip(wire, &expected);
        assert_eq!(parsed[0].value, Some(Value::Null));
        assert_ne!(parsed[0], replace().build());
    }

    #[test]
    fn search_form() {
        let expected = SearchForm::builder()
            .query("rust")
            .tags(["a", "b"])
            .filter(SearchFormFilter::builder().author("Ann").year(2024).build())
            .build();
        round_trip(
            json!({"query": "rust", "tags": ["a", "b"], "filter": {"author": "Ann", "year": 2024}}),
            &expected,
        );
    }
}

mod responses {
    use fixture_responses::types::{
        Conflict, Job, Problem, StartJobError, StartJobResponse, Thing,
    };

    use super::*;

    fn thing(id: &str) -> Thing {
        Thing::builder().id(id).build()
    }

    fn job(id: &str) -> Job {
        Job::builder().job_id(id).build()
    }

    fn problem(message: &str) -> Problem {
        Problem::builder().message(message).build()
    }

    fn conflict(running: &str) -> Conflict {
        Conflict::builder().running(running).build()
    }

    #[test]
    fn bodies() {
        round_trip(json!({"id": "t"}), &thing("t"));
        round_trip(json!({"job_id": "j"}), &job("j"));
        round_trip(json!({"message": "m"}), &problem("m"));
        round_trip(json!({"running": "j0"}), &conflict("j0"));
    }

    /// The success type depends on the status.
    #[test]
    fn success_by_status() {
        assert_eq!(
            StartJobResponse::decode(200, br#"{"id": "t"}"#).unwrap(),
            StartJobResponse::Status200(thing("t"))
        );
        assert_eq!(
            StartJobResponse::decode(202, br#"{"job_id": "j"}"#).unwrap(),
            StartJobResponse::Status202(job("j"))
        );
        assert_eq!(
            StartJobResponse::decode(204, b"").unwrap(),
            StartJobResponse::Status204
        );
        let error = StartJobResponse::decode(201, b"{}").unwrap_err();
        assert!(error.to_string().contains("status 201 is not documented"));
        assert!(StartJobResponse::decode(200, br#"{"job_id": "j"}"#).is_err());
    }

    /// So does the error type.
    #[test]
    fn error_by_status() {
        assert_eq!(
            StartJobError::decode(400, br#"{"message": "bad"}"#).unwrap(),
            StartJobError::Status400(problem("bad"))
        );
        assert_eq!(
            StartJobError::decode(409, br#"{"running": "j0"}"#).unwrap(),
            StartJobError::Status409(conflict("j0"))
        );
        assert_eq!(
            StartJobError::decode(503, b"<html>down</html>").unwrap(),
            StartJobError::Status5xx("<html>down</html>".into())
        );
        assert!(StartJobError::decode(404, b"").is_err());
    }
}

mod lenient {
    use fixture_lenient::types::Thing;

    use super::*;

    /// `required: [id, missing]`: `missing` is ignored, `id` still required.
    #[test]
    fn required_unknown_property_is_ignored() {
        round_trip(
            json!({"id": "1", "count": 2}),
            &Thing::builder().id("1").count(2).build(),
        );
        let error = parse_error::<Thing>(json!({"count": 2}));
        assert!(error.contains("missing field `id`"), "{error}");
    }
}

mod recursive {
    use fixture_recursive::types::{Content, Node, Person};

    use super::*;

    /// A node with a parent, children, an owner pointing back at a node, and content that is
    /// either text or another node.
    #[test]
    fn tree() {
        let wire = json!({
            "name": "root",
            "parent": {"name": "above"},
            "children": [
                {"name": "leaf", "content": "just text"},
                {"name": "branch", "children": [{"name": "deep"}]}
            ],
            "owner": {"favourite": {"name": "fav", "owner": {}}},
            "content": {"name": "inner", "content": {"name": "innermost"}}
        });
        let node = |name: &str| Node::builder().name(name).build();
        let expected = Node::builder()
            .name("root")
            .parent(node("above"))
            .children([
                Node::builder()
                    .name("leaf")
                    .content(Content::String("just text".into()))
                    .build(),
                Node::builder()
                    .name("branch")
                    .children([node("deep")])
                    .build(),
            ])
            .owner(
                Person::builder()
                    .favourite(Node::builder().name("fav").owner(Person::default()).build())
                    .build(),
            )
            .content(Content::Node(Box::new(
                Node::builder()
                    .name("inner")
                    .content(Content::Node(Box::new(node("innermost"))))
                    .build(),
            )))
            .build();
        round_trip(wire, &expected);
    }
}

mod enums {
    use fixture_enums::types::{Settings, SettingsGrant, SettingsKind, SettingsLevel};

    use super::*;

    #[test]
    fn awkward_string_values() {
        let cases = [
            (
                "urn:ietf:params:oauth:grant-type:jwt-bearer",
                SettingsGrant::UrnIetfParamsOauthGrantTypeJwtBearer,
            ),
            ("1.0", SettingsGrant::V10),
            ("-", SettingsGrant::Unnamed),
            ("a", SettingsGrant::A),
            ("A", SettingsGrant::A2),
            ("", SettingsGrant::Empty),
        ];
        for (wire, expected) in cases {
            round_trip(json!(wire), &expected);
            assert_eq!(expected.to_string(), wire);
        }
    }

    /// A string the spec does not list reads as `Unknown`, the same value `From<&str>` gives,
    /// and is written back unchanged.
    #[test]
    fn unlisted_string_value_is_kept() {
        let parsed = round_trip(json!("b"), &SettingsGrant::from("b"));
        assert!(matches!(parsed, SettingsGrant::Unknown(_)), "{parsed:?}");
        assert_eq!(parsed.as_str(), "b");
        assert!(!SettingsGrant::VALUES.contains(&"b"));
    }

    #[test]
    fn integer_values() {
        for (wire, expected) in [
            (-1, SettingsLevel::VMinus1),
            (0, SettingsLevel::V0),
            (200, SettingsLevel::V200),
        ] {
            round_trip(json!(wire), &expected);
        }
        assert_eq!(SettingsLevel::VALUES, [-1, 0, 200]);
        let unlisted = round_trip(json!(1), &SettingsLevel::from(1));
        assert!(
            matches!(unlisted, SettingsLevel::Unknown(_)),
            "{unlisted:?}"
        );
        assert_eq!(unlisted.value(), 1);
        let error = parse_error::<SettingsLevel>(json!("0"));
        assert!(error.contains("invalid type"), "{error}");
    }

    #[test]
    fn settings() {
        round_trip(
            json!({"grant": "1.0", "level": 200, "kind": "only"}),
            &Settings::builder()
                .level(SettingsLevel::V200)
                .grant(SettingsGrant::V10)
                .kind(SettingsKind::Only)
                .build(),
        );
        round_trip(
            json!({"level": -1}),
            &Settings::builder().level(SettingsLevel::VMinus1).build(),
        );
    }
}

mod unions_in_all_of {
    use fixture_unions_in_all_of::types::{Cat, Dog, Owner, Pet, PetVariant};

    use super::*;

    /// The nullable reference is `Option<Owner>`, written as `null` when absent (the property
    /// is required); the cat-or-dog alternatives are read from the pet object itself.
    #[test]
    fn nullable_reference_and_flattened_alternatives() {
        let wire = json!({"id": "p1", "tag": "t", "owner": null, "meows": true});
        // `owner` is left unset: it is `null` on the wire.
        let expected = Pet::builder()
            .id("p1")
            .variant(PetVariant::Cat(Cat::builder().meows(true).build()))
            .tag("t")
            .build();
        round_trip(wire, &expected);
        let wire = json!({"id": "p2", "chip": "c", "owner": {"name": "Ada"}, "barks": false});
        let expected = Pet::builder()
            .id("p2")
            .variant(PetVariant::Dog(Dog::builder().barks(false).build()))
            .chip("c")
            .owner(Owner::builder().name("Ada").build())
            .build();
        round_trip(wire, &expected);
    }
}

mod foreign_keywords {
    use fixture_foreign_keywords::types::{Record, RecordLevel};

    use super::*;

    /// Each property keeps its declared type; the string enum written as YAML numbers is a
    /// string enum of their text, and the array whose `enum` lists item values an array.
    #[test]
    fn declared_types_win_over_foreign_keywords() {
        let wire =
            json!({"name": "n", "note": "x", "count": 3, "level": "2", "scopes": ["devices"]});
        let expected = Record::builder()
            .name("n")
            .note("x")
            .count(3)
            .level(RecordLevel::V2)
            .scopes(["devices"])
            .build();
        let parsed = round_trip(wire, &expected);
        let scopes: Option<Vec<String>> = parsed.scopes;
        assert_eq!(scopes, Some(vec!["devices".to_owned()]));
        let (name, note, count): (Option<String>, Option<String>, Option<i64>) =
            (parsed.name, parsed.note, parsed.count);
        assert_eq!(
            (name.as_deref(), note.as_deref(), count),
            (Some("n"), Some("x"), Some(3))
        );
        assert_eq!(parsed.level, Some(RecordLevel::V2));
        assert_eq!(parsed.level.as_ref().map(|level| level.as_str()), Some("2"));
    }
}

mod alias_cycles {
    use fixture_alias_cycles::types::{Holder, Left, Nest, Right};

    use super::*;

    /// A schema defined only through itself holds any JSON.
    #[test]
    fn cyclic_aliases_hold_any_json() {
        let wire = json!({"left": {"a": 1}, "right": [1, "two"], "nest": [[], [[]]]});
        let expected = Holder::builder()
            .left(json!({"a": 1}))
            .right(json!([1, "two"]))
            .nest(json!([[], [[]]]))
            .build();
        let parsed = round_trip(wire, &expected);
        let left: Option<Left> = parsed.left;
        let right: Option<Right> = parsed.right;
        let nest: Option<Nest> = parsed.nest;
        assert_eq!(left, Some(json!({"a": 1})));
        assert_eq!(right, Some(json!([1, "two"])));
        assert_eq!(nest, Some(json!([[], [[]]])));
    }
}
