//! What the serde impls of every generated union (`oneOf`/`anyOf`) do, written once:
//! `untagged_deserialize!` tries each alternative in turn, `tagged_serialize!` and
//! `tagged_deserialize!` write and read a union told apart by a tag property. Each writes one
//! impl, so a generated crate asks only for the directions it needs.
//!
//! A generated crate writes its union out (a variant per alternative and
//! `Unknown(serde_json::Value)` for a value none of them takes), then one invocation per impl:
//!
//! ```
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
//! pub struct File {
//!     pub id: String,
//! }
//!
//! #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
//! pub struct Note {
//!     pub text: String,
//! }
//!
//! /// An item: a file (`"type": "file"`), or else a note.
//! #[derive(Debug, Clone, PartialEq)]
//! pub enum Item {
//!     File(File),
//!     Note(Note),
//!     Unknown(serde_json::Value),
//! }
//!
//! clientgen_runtime::tagged_serialize!(Item, "type" { File("file") } else { Note });
//! clientgen_runtime::tagged_deserialize!(Item, "type" {
//!     "file" => File(File),
//! } else {
//!     Note(Note),
//! });
//!
//! let file: Item = serde_json::from_str(r#"{"type": "file", "id": "12"}"#).unwrap();
//! assert_eq!(file, Item::File(File { id: "12".into() }));
//! let json = serde_json::to_value(&file).unwrap();
//! assert_eq!(json, serde_json::json!({"type": "file", "id": "12"}));
//! let note: Item = serde_json::from_str(r#"{"text": "hi"}"#).unwrap();
//! assert_eq!(note, Item::Note(Note { text: "hi".into() }));
//! ```
//!
//! Like the enum macros, they are hidden from the crate's docs and name everything by absolute
//! path; the parts that do not depend on the union are functions here.

use serde::ser::Error as _;
use serde::{Serialize, Serializer};
use serde_json::Value;

/// The values an enum of the spec lists (its `VALUES`), which an untagged union tries it on
/// alone: its own `Unknown` would otherwise take every string (or integer) and hide the
/// alternatives after it.
pub trait Listed {
    /// Whether `value` is one of these.
    fn lists(&self, value: &Value) -> bool;
}

impl Listed for [&str] {
    fn lists(&self, value: &Value) -> bool {
        value.as_str().is_some_and(|text| self.contains(&text))
    }
}

impl Listed for [i64] {
    fn lists(&self, value: &Value) -> bool {
        value.as_i64().is_some_and(|number| self.contains(&number))
    }
}

/// Writes `value` (a variant turned into JSON) with `property` set to `tag`, unless the
/// variant's own type already wrote that property.
pub fn serialize_tagged<S: Serializer>(
    value: Result<Value, serde_json::Error>,
    property: &str,
    tag: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut value = value.map_err(S::Error::custom)?;
    if let Value::Object(members) = &mut value {
        members
            .entry(property)
            .or_insert_with(|| Value::String(tag.to_owned()));
    }
    value.serialize(serializer)
}

/// Writes `Deserialize` for a union without a tag: each alternative is tried in order on the
/// value read as JSON, the first that takes it wins, and a value none takes is `Unknown`.
///
/// `$name { $variant($type), ... }`; `if listed` after an alternative that is an enum of the
/// spec tries it only on the values it lists.
#[doc(hidden)]
#[macro_export]
macro_rules! untagged_deserialize {
    ($name:ident { $($variant:ident($ty:ty) $(if $listed:ident)?),* $(,)? }) => {
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                let value = <$crate::__private::serde_json::Value as $crate::__private::serde::Deserialize>::deserialize(deserializer)?;
                $($crate::__union_attempt!(value, $variant($ty) $(if $listed)?);)*
                ::std::result::Result::Ok(Self::Unknown(value))
            }
        }
    };
}

/// Writes `Serialize` for a union told apart by the tag property `$property`: a variant with
/// a tag is written with that property set (unless its type writes it), one in the `else`
/// list as it is, `Unknown` as it was received.
///
/// `$name, $property { $variant($tag), ... } else { $variant, ... }`.
#[doc(hidden)]
#[macro_export]
macro_rules! tagged_serialize {
    (
        $name:ident, $property:literal
        { $($variant:ident($tag:literal)),* $(,)? }
        else { $($plain:ident),* $(,)? }
    ) => {
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                let (tag, value) = match self {
                    $(Self::$variant(value) => ($tag, $crate::__private::serde_json::to_value(value)),)*
                    $(Self::$plain(value) => return $crate::__private::serde::Serialize::serialize(value, serializer),)*
                    Self::Unknown(value) => return $crate::__private::serde::Serialize::serialize(value, serializer),
                };
                $crate::__private::serialize_tagged(value, $property, tag, serializer)
            }
        }
    };
}

/// Writes `Deserialize` for a union told apart by the tag property `$property`: the tag picks
/// the variant, which then reads the whole object (tag included); a value whose tag picks none
/// is tried as each alternative of the `else` list in order, and else kept as `Unknown`.
///
/// `$name, $property { $tag | $other_tag => $variant($type), ... } else { $variant($type),
/// ... }`; in the `else` list, `if listed` marks an enum of the spec (tried only on the values
/// it lists), `if untagged` a variant whose tag may be left out (tried only on a value without
/// the property).
#[doc(hidden)]
#[macro_export]
macro_rules! tagged_deserialize {
    (
        $name:ident, $property:literal
        { $($($tag:literal)|+ => $variant:ident($ty:ty)),* $(,)? }
        else { $($other:ident($other_ty:ty) $(if $condition:ident)?),* $(,)? }
    ) => {
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                let value = <$crate::__private::serde_json::Value as $crate::__private::serde::Deserialize>::deserialize(deserializer)?;
                match value.get($property).and_then($crate::__private::serde_json::Value::as_str) {
                    $(::std::option::Option::Some($($tag)|+) => {
                        <$ty as $crate::__private::serde::Deserialize>::deserialize(value)
                            .map(Self::$variant)
                            .map_err($crate::__private::serde::de::Error::custom)
                    })*
                    _ => {
                        $($crate::__union_attempt!(value, $other($other_ty) $(if $condition $property)?);)*
                        ::std::result::Result::Ok(Self::Unknown(value))
                    }
                }
            }
        }
    };
}

/// One attempt of a union's `Deserialize`: returns the variant when its type takes `$value`.
#[doc(hidden)]
#[macro_export]
macro_rules! __union_attempt {
    ($value:ident, $variant:ident($ty:ty)) => {
        if let ::std::result::Result::Ok(value) =
            <$ty as $crate::__private::serde::Deserialize>::deserialize(&$value)
        {
            return ::std::result::Result::Ok(Self::$variant(value));
        }
    };
    ($value:ident, $variant:ident($ty:ty) if listed $($property:literal)?) => {
        if $crate::__private::Listed::lists(<$ty>::VALUES, &$value) {
            $crate::__union_attempt!($value, $variant($ty));
        }
    };
    ($value:ident, $variant:ident($ty:ty) if untagged $property:literal) => {
        if $value.get($property).is_none() {
            $crate::__union_attempt!($value, $variant($ty));
        }
    };
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::{json, Value};

    use crate::Unknown;

    #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
    enum Color {
        Red,
        Unknown(Unknown),
    }

    crate::string_enum!(Color { Red("red") });

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct File {
        id: String,
        #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Folder {
        #[serde(rename = "type")]
        kind: String,
        name: String,
    }

    /// An untagged union whose first alternative is an enum of the spec.
    #[derive(Debug, Clone, PartialEq)]
    enum Paint {
        Color(Color),
        Code(i64),
        Unknown(Value),
    }

    crate::untagged_deserialize!(Paint { Color(Color) if listed, Code(i64) });

    /// A tagged union: files may leave their tag out, folders write theirs, colors have none.
    #[derive(Debug, Clone, PartialEq)]
    enum Item {
        File(Box<File>),
        Folder(Folder),
        Color(Color),
        Unknown(Value),
    }

    crate::tagged_serialize!(Item, "type" { File("file"), Folder("folder") } else { Color });

    crate::tagged_deserialize!(Item, "type" {
        "file" | "file_v2" => File(Box<File>),
        "folder" => Folder(Folder),
    } else {
        File(Box<File>) if untagged,
        Color(Color) if listed,
    });

    fn read<T: for<'de> Deserialize<'de>>(value: Value) -> T {
        serde_json::from_value(value).expect("every value is taken")
    }

    #[test]
    fn untagged_tries_an_enum_only_on_its_listed_values() {
        assert_eq!(read::<Paint>(json!("red")), Paint::Color(Color::Red));
        assert_eq!(read::<Paint>(json!(7)), Paint::Code(7));
        assert_eq!(
            read::<Paint>(json!("blue")),
            Paint::Unknown(json!("blue")),
            "an unlisted string is no Color"
        );
    }

    #[test]
    fn tagged_picks_by_tag_and_its_aliases() {
        let file = File {
            id: "1".into(),
            kind: Some("file_v2".into()),
        };
        assert_eq!(
            read::<Item>(json!({"type": "file_v2", "id": "1"})),
            Item::File(Box::new(file))
        );
        let folder: Item = read(json!({"type": "folder", "name": "docs"}));
        assert!(matches!(folder, Item::Folder(Folder { ref name, .. }) if name == "docs"));
    }

    #[test]
    fn tagged_reports_a_variant_that_does_not_fit_its_tag() {
        let error = serde_json::from_value::<Item>(json!({"type": "folder"}))
            .expect_err("a folder needs a name");
        assert!(error.to_string().contains("name"), "{error}");
    }

    #[test]
    fn tagged_tries_the_else_list_in_order() {
        let untagged_file = read::<Item>(json!({"id": "2"}));
        let file = File {
            id: "2".into(),
            kind: None,
        };
        assert_eq!(untagged_file, Item::File(Box::new(file)));
        assert_eq!(read::<Item>(json!("red")), Item::Color(Color::Red));
        assert_eq!(read::<Item>(json!("blue")), Item::Unknown(json!("blue")));
        let unknown = json!({"type": "printer", "id": "3"});
        assert_eq!(read::<Item>(unknown.clone()), Item::Unknown(unknown));
    }

    #[test]
    fn tagged_writes_the_tag_unless_the_type_does() {
        let file = Item::File(Box::new(File {
            id: "1".into(),
            kind: None,
        }));
        let written = serde_json::to_value(&file).expect("a file is JSON");
        assert_eq!(written, json!({"type": "file", "id": "1"}));
        let folder = Item::Folder(Folder {
            kind: "directory".into(),
            name: "docs".into(),
        });
        let written = serde_json::to_value(&folder).expect("a folder is JSON");
        assert_eq!(written, json!({"type": "directory", "name": "docs"}));
        let color = serde_json::to_value(Item::Color(Color::Red)).expect("a string");
        assert_eq!(color, json!("red"));
    }
}
