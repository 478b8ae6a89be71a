//! What every generated enum of values does, written once: `string_enum!` and `integer_enum!`
//! give an enum that a generated crate defines (a unit variant per listed value and
//! `Unknown(Unknown<..>)` for any other) its wire value, its conversions, `Display` and serde.
//!
//! A generated crate writes its enum out, so that readers of its source and docs see the
//! variants, then one invocation pairing each variant with its value:
//!
//! ```
//! /// How a list is sorted.
//! #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
//! #[non_exhaustive]
//! pub enum Direction {
//!     /// `ASC`
//!     Ascending,
//!     /// `DESC`
//!     Descending,
//!     /// A value the spec did not list.
//!     Unknown(clientgen_runtime::Unknown),
//! }
//!
//! clientgen_runtime::string_enum!(Direction { Ascending("ASC"), Descending("DESC") });
//!
//! assert_eq!(Direction::from("DESC"), Direction::Descending);
//! assert_eq!(Direction::Descending.to_string(), "DESC");
//! assert_eq!(Direction::from("RANDOM").as_str(), "RANDOM");
//! ```
//!
//! The macros are hidden from the crate's docs: only generated code is meant to call them, and
//! what they write shows in the docs of the enum that calls them. They name everything by
//! absolute path (`::std::...`, `$crate::...`), so an enum beside types called `String`,
//! `Result` or `Serialize` expands the same; the bodies that do not depend on the enum's
//! values are generic functions here, compiled once rather than once per enum.

use std::fmt;

use serde::de::{Deserializer, Error, Unexpected, Visitor};

/// Reads a string from `deserializer` and turns it into a `T` with `from`, borrowing the text
/// where the format allows (a known value then costs no allocation).
pub fn deserialize_str<'de, D, T>(deserializer: D, from: fn(&str) -> T) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_str(StrVisitor(from))
}

/// Reads an integer from `deserializer` and turns it into a `T` with `from`.
pub fn deserialize_i64<'de, D, T>(deserializer: D, from: fn(i64) -> T) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_i64(IntegerVisitor(from))
}

/// The visitor of [`deserialize_str`].
struct StrVisitor<T>(fn(&str) -> T);

impl<T> Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
        Ok((self.0)(value))
    }
}

/// The visitor of [`deserialize_i64`].
struct IntegerVisitor<T>(fn(i64) -> T);

impl<T> Visitor<'_> for IntegerVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an integer")
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<T, E> {
        Ok((self.0)(value))
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<T, E> {
        i64::try_from(value)
            .map(self.0)
            .map_err(|_| E::invalid_value(Unexpected::Unsigned(value), &self))
    }
}

/// Writes, for a generated enum of strings, `VALUES`, `as_str`, `From<&str>`, `From<String>`,
/// `FromStr` (never failing: an unlisted value is `Unknown`), `Display` (the wire value) and
/// serde's traits (the wire value as a string).
///
/// `$name { $variant($value), ... }`: the enum, and each unit variant with the value it
/// stands for. The enum must also have `Unknown(clientgen_runtime::Unknown)`.
#[doc(hidden)]
#[macro_export]
macro_rules! string_enum {
    ($name:ident { $($variant:ident($value:literal)),* $(,)? }) => {
        impl $name {
            /// The values the spec lists, as they are sent on the wire.
            pub const VALUES: &'static [&'static str] = &[$($value),*];

            /// The value exactly as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown($crate::Unknown::new_unchecked(
                        ::std::borrow::ToOwned::to_owned(other),
                    )),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(::std::string::String::as_str(&value))
            }
        }

        $crate::enum_traits!($name, as_str, ::std::string::String, deserialize_str, serialize_str);
    };
}

/// Writes, for a generated enum of integers, `VALUES`, `value`, `From<i64>`, `FromStr` (text
/// that is no integer is an error), `Display` (the number) and serde's traits (the number).
///
/// `$name { $variant($value), ... }`: the enum, and each unit variant with the value it
/// stands for. The enum must also have `Unknown(clientgen_runtime::Unknown<i64>)`.
#[doc(hidden)]
#[macro_export]
macro_rules! integer_enum {
    ($name:ident { $($variant:ident($value:literal)),* $(,)? }) => {
        impl $name {
            /// The values the spec lists.
            pub const VALUES: &'static [i64] = &[$($value),*];

            /// The value exactly as it is sent on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => *value.get(),
                }
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown($crate::Unknown::new_unchecked(other)),
                }
            }
        }

        $crate::enum_traits!($name, value, i64, deserialize_i64, serialize_i64);
    };
}

/// What both kinds of enum write the same way, from the method that gives the wire value
/// (`as_str` or `value`), the type `FromStr` first parses text as (`String`, which never
/// fails, or `i64`), the runtime's function that reads a value and the serializer's method that
/// writes one.
#[doc(hidden)]
#[macro_export]
macro_rules! enum_traits {
    ($name:ident, $get:ident, $parsed:ty, $read:ident, $write:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.$get(), f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = <$parsed as ::std::str::FromStr>::Err;

            // Not `Self::Err`, which would be ambiguous beside a variant called `Err`.
            fn from_str(
                text: &str,
            ) -> ::std::result::Result<Self, <$parsed as ::std::str::FromStr>::Err> {
                <$parsed as ::std::str::FromStr>::from_str(text).map(Self::from)
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                serializer.$write(self.$get())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                $crate::__private::$read(deserializer, |value| Self::from(value))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::Unknown;

    /// A string enum as the generator writes one.
    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    enum Scope {
        Read,
        Write,
        Unknown(Unknown),
    }

    crate::string_enum!(Scope {
        Read("item_read"),
        Write("item:write"),
    });

    /// An integer enum as the generator writes one.
    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    enum Level {
        Low,
        Below,
        Unknown(Unknown<i64>),
    }

    crate::integer_enum!(Level { Low(1), Below(-1) });

    #[test]
    fn a_string_enum_reads_and_writes_its_wire_values() {
        assert_eq!(Scope::VALUES, ["item_read", "item:write"]);
        assert_eq!(Scope::from("item:write"), Scope::Write);
        assert_eq!(Scope::from("item_read".to_owned()), Scope::Read);
        assert_eq!("item_read".parse::<Scope>(), Ok(Scope::Read));
        assert_eq!(Scope::Write.to_string(), "item:write");
        assert_eq!(
            serde_json::to_string(&Scope::Read).unwrap(),
            r#""item_read""#
        );
        let read: Scope = serde_json::from_str(r#""item:write""#).unwrap();
        assert_eq!(read, Scope::Write);
    }

    #[test]
    fn a_string_enum_keeps_an_unlisted_value_and_writes_it_back() {
        let new: Scope = serde_json::from_str(r#""item_share""#).unwrap();
        assert_eq!(new.as_str(), "item_share");
        assert!(matches!(new, Scope::Unknown(_)));
        assert_eq!(serde_json::to_string(&new).unwrap(), r#""item_share""#);
        assert_eq!(format!("{new:>12}"), "  item_share");
    }

    #[test]
    fn a_string_enum_refuses_what_is_not_a_string() {
        let error = serde_json::from_str::<Scope>("3").unwrap_err();
        assert!(error.to_string().contains("expected a string"), "{error}");
    }

    #[test]
    fn an_integer_enum_reads_and_writes_its_wire_values() {
        assert_eq!(Level::VALUES, [1, -1]);
        assert_eq!(Level::from(-1), Level::Below);
        assert_eq!("1".parse::<Level>(), Ok(Level::Low));
        assert!("one".parse::<Level>().is_err());
        assert_eq!(Level::Below.to_string(), "-1");
        assert_eq!(serde_json::to_string(&Level::Low).unwrap(), "1");
        assert_eq!(serde_json::from_str::<Level>("-1").unwrap(), Level::Below);
    }

    #[test]
    fn an_integer_enum_keeps_an_unlisted_value_and_refuses_one_beyond_i64() {
        let new: Level = serde_json::from_str("7").unwrap();
        assert_eq!((new.value(), new.to_string()), (7, "7".to_owned()));
        assert_eq!(serde_json::to_string(&new).unwrap(), "7");
        let error = serde_json::from_str::<Level>("18446744073709551615").unwrap_err();
        assert!(error.to_string().contains("an integer"), "{error}");
    }
}
