//! Enumerations: the values a schema lists become the variants of an [`Enum`], all of one JSON
//! type and named for Rust. A list that no Rust enum can hold (mixed types, a fraction, an
//! integer beyond 64 bits) is refused here, with the value that does not fit, so emission never
//! meets a value it cannot write.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::model::{Enum, EnumVariant};
use crate::naming::{self, UniqueNames};

/// Why an `enum` without a `type` has no Rust enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Unfit {
    /// The position of the first value that does not fit in the `enum` list.
    pub(super) index: usize,
    /// What is wrong with it, as the end of a sentence.
    pub(super) reason: String,
}

/// The enum an `enum` list without a `type` makes: all strings, or all integers within 64
/// bits. `given` names the integers as `x-enum-varnames` does.
pub(super) fn untyped(values: &[Value], given: &[Value]) -> Result<Enum, Unfit> {
    match values.first() {
        Some(Value::String(_)) => {
            let strings = values.iter().enumerate().map(|(index, value)| match value {
                Value::String(text) => Ok(text.as_str()),
                other => Err(unfit(index, other, "strings")),
            });
            Ok(strings_enum(strings.collect::<Result<Vec<_>, _>>()?))
        }
        Some(Value::Number(_)) => {
            let integers = values.iter().enumerate().map(|(index, value)| {
                value
                    .as_i64()
                    .ok_or_else(|| unfit(index, value, "integers"))
            });
            let integers = integers.collect::<Result<Vec<_>, _>>()?;
            Ok(integers_enum(integers, given))
        }
        Some(other) => Err(unfit(0, other, "strings or integers")),
        None => Err(Unfit {
            index: 0,
            reason: "the list is empty".to_owned(),
        }),
    }
}

/// The reason `value`, at `index`, does not fit among `expected` values.
fn unfit(index: usize, value: &Value, expected: &str) -> Unfit {
    let what = match value {
        Value::Null => "`null`".to_owned(),
        Value::Bool(_) => "a boolean".to_owned(),
        Value::Number(number) if number.is_i64() => format!("the number `{number}`"),
        Value::Number(number) => format!("`{number}`, which does not fit in an `i64`"),
        Value::String(_) => "a string".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    };
    Unfit {
        index,
        reason: format!("{what}, among values that should all be {expected}"),
    }
}

/// A string enum of `values`, the first of each repeated one kept.
pub(super) fn strings_enum<'v>(values: impl IntoIterator<Item = &'v str>) -> Enum {
    let mut names = UniqueNames::with_reserved(naming::RESERVED_VARIANT_NAMES);
    let mut seen = BTreeSet::new();
    let variants = values
        .into_iter()
        .filter(|value| seen.insert(*value))
        .map(|value| EnumVariant {
            name: names.claim(string_variant_name(value)),
            value: value.to_owned(),
        })
        .collect();
    Enum::String(variants)
}

/// The variant name of a string value. A variant named after a number reads better as `V10`
/// than `_10`.
fn string_variant_name(value: &str) -> String {
    if value.is_empty() {
        return "Empty".to_owned();
    }
    let name = naming::type_name(value);
    match name.strip_prefix('_') {
        Some(digits) => format!("V{digits}"),
        None => name,
    }
}

/// An integer enum of `values`, the first of each repeated one kept; each is named by the
/// `given` name at its index (when it is text), else such as `V200` and `VMinus1`.
pub(super) fn integers_enum(values: impl IntoIterator<Item = i64>, given: &[Value]) -> Enum {
    let mut names = UniqueNames::with_reserved(naming::RESERVED_VARIANT_NAMES);
    let mut seen = BTreeSet::new();
    let variants = values
        .into_iter()
        .enumerate()
        .filter(|(_, value)| seen.insert(*value))
        .map(|(index, value)| {
            let magnitude = value.unsigned_abs();
            let given = given.get(index).and_then(Value::as_str);
            let name = match given.map(naming::type_name) {
                Some(name) if !name.starts_with('_') && !name.is_empty() => name,
                _ if value < 0 => format!("VMinus{magnitude}"),
                _ => format!("V{magnitude}"),
            };
            EnumVariant {
                name: names.claim(name),
                value,
            }
        })
        .collect();
    Enum::Integer(variants)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn values(list: Value) -> Vec<Value> {
        match list {
            Value::Array(values) => values,
            _ => Vec::new(),
        }
    }

    #[test]
    fn untyped_strings_and_integers_make_typed_enums() {
        let strings = untyped(&values(json!(["a", "b", "a"])), &[]);
        let expected = Enum::String(vec![
            EnumVariant {
                name: "A".to_owned(),
                value: "a".to_owned(),
            },
            EnumVariant {
                name: "B".to_owned(),
                value: "b".to_owned(),
            },
        ]);
        assert_eq!(strings, Ok(expected));
        let integers = untyped(&values(json!([-1, 7])), &values(json!(["Low"])));
        let expected = Enum::Integer(vec![
            EnumVariant {
                name: "Low".to_owned(),
                value: -1,
            },
            EnumVariant {
                name: "V7".to_owned(),
                value: 7,
            },
        ]);
        assert_eq!(integers, Ok(expected));
    }

    #[test]
    fn a_value_no_rust_enum_holds_is_named_by_its_index() {
        let cases = [
            (
                json!([1, "a"]),
                1,
                "a string, among values that should all be integers",
            ),
            (
                json!(["a", 1]),
                1,
                "the number `1`, among values that should all be strings",
            ),
            (
                json!([1, 2.5]),
                1,
                "`2.5`, which does not fit in an `i64`, among",
            ),
            (
                json!([1, 18446744073709551615_u64]),
                1,
                "`18446744073709551615`, which does not",
            ),
            (json!(["a", null]), 1, "`null`, among"),
            (
                json!([true]),
                0,
                "a boolean, among values that should all be strings or integers",
            ),
        ];
        for (list, index, reason) in cases {
            let unfit = untyped(&values(list.clone()), &[]).expect_err("no enum");
            assert_eq!(unfit.index, index, "{list}");
            assert!(unfit.reason.starts_with(reason), "{list}: {}", unfit.reason);
        }
    }
}
