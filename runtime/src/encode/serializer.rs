//! A serde `Serializer` that turns a parameters struct, a form body or one value into a
//! [`Node`]: text, lists and members in the order serde gives them, with no JSON in between.

use std::fmt;

use serde::ser::{self, Serialize};

use super::{style_of, Style};
use crate::error::RequestProblem;

/// A value as the styles see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    /// `None`, `()`, a unit struct or JSON `null`: written as nothing at all.
    Absent,
    /// A string, number, boolean or unit enum variant, as text (not yet escaped).
    Text(String),
    /// An array, tuple or set, in its order.
    List(Vec<Node>),
    /// A struct or map: its members in the order serde gives them (a struct's field order).
    Members(Vec<(String, Node)>),
}

/// The members of `value` (a struct or map of parameters or form fields) in their order, each
/// member whose style in `styles` is [`Style::Json`] kept as its JSON text. `None` or `()` has
/// no members.
pub(crate) fn to_members<T: Serialize + ?Sized>(
    value: &T,
    styles: &[(&str, Style)],
) -> Result<Vec<(String, Node)>, Unwritable> {
    match value.serialize(NodeSerializer { styles })? {
        Node::Members(members) => Ok(members),
        Node::Absent => Ok(Vec::new()),
        Node::Text(_) | Node::List(_) => Err(Reason::NotMembers.into()),
    }
}

/// One value (a header, a cookie or a member) as the node `style` writes: its JSON text for
/// [`Style::Json`], its serde form otherwise.
pub(crate) fn to_node<T: Serialize + ?Sized>(value: &T, style: Style) -> Result<Node, Unwritable> {
    match style {
        Style::Json => {
            let text =
                serde_json::to_string(value).map_err(|error| Reason::Json(error.to_string()))?;
            Ok(if text == "null" {
                Node::Absent
            } else {
                Node::Text(text)
            })
        }
        _ => value.serialize(NodeSerializer::default()),
    }
}

/// Why a value cannot be written, and where in it. It never holds the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unwritable {
    /// The member names leading to the value, innermost first.
    path: Vec<String>,
    reason: Reason,
}

/// What makes a value impossible to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reason {
    /// Raw bytes have no text form.
    Bytes,
    /// A map key that is not a string, number, boolean or unit variant.
    Key,
    /// A float that is infinite or NaN.
    NotFinite,
    /// An array or object inside an array, which no style but JSON can write.
    NestedInList,
    /// An array or object inside an object, which only `deepObject` and JSON can write.
    NestedInMembers,
    /// Parameters or form fields given as something other than a struct or map.
    NotMembers,
    /// `serde_json` could not write the value as JSON.
    Json(String),
    /// The value's own `Serialize` implementation failed with this message.
    Custom(String),
}

impl Unwritable {
    /// The same problem, inside the member `name`.
    pub(crate) fn within(mut self, name: &str) -> Self {
        self.path.push(name.to_owned());
        self
    }

    /// The problem as a [`RequestProblem`] naming where it is, `filter[owner]` for the member
    /// `owner` of the parameter `filter`.
    pub(crate) fn into_problem(self) -> RequestProblem {
        let reason = self.reason.to_string();
        let Some((outer, inner)) = self.path.split_last() else {
            return RequestProblem::Other(reason);
        };
        let mut name = outer.clone();
        for key in inner.iter().rev() {
            name.push('[');
            name.push_str(key);
            name.push(']');
        }
        RequestProblem::Parameter { name, reason }
    }
}

impl From<Reason> for Unwritable {
    fn from(reason: Reason) -> Self {
        Self {
            path: Vec::new(),
            reason,
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Bytes => f.write_str("raw bytes have no text form"),
            Reason::Key => f.write_str("a map key is not a string, number or boolean"),
            Reason::NotFinite => f.write_str("a number is infinite or NaN"),
            Reason::NestedInList => {
                f.write_str("an array or object inside an array can only be sent as JSON")
            }
            Reason::NestedInMembers => f.write_str(
                "an array or object inside an object can only be sent as JSON or in style \
                 deepObject",
            ),
            Reason::NotMembers => f.write_str("the parameters are not a struct or map"),
            Reason::Json(error) => write!(f, "it cannot be written as JSON: {error}"),
            Reason::Custom(message) => write!(f, "it cannot be serialised: {message}"),
        }
    }
}

impl fmt::Display for Unwritable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.reason.fmt(f)
    }
}

impl std::error::Error for Unwritable {}

impl ser::Error for Unwritable {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Reason::Custom(message.to_string()).into()
    }
}

/// Serialises a value into a [`Node`]. `styles` apply to the members of the value itself
/// (not to deeper ones): a member in [`Style::Json`] becomes its JSON text.
#[derive(Debug, Clone, Copy, Default)]
struct NodeSerializer<'a> {
    styles: &'a [(&'a str, Style)],
}

fn text(value: impl ToString) -> Result<Node, Unwritable> {
    Ok(Node::Text(value.to_string()))
}

/// A float as JSON writes it (`1.5`, `1e300`); infinite and NaN values have no such form.
fn float<F: Serialize + Into<f64> + Copy>(value: F) -> Result<Node, Unwritable> {
    if !value.into().is_finite() {
        return Err(Reason::NotFinite.into());
    }
    serde_json::to_string(&value)
        .map(Node::Text)
        .map_err(|error| Reason::Json(error.to_string()).into())
}

/// A value tagged by its enum variant, as serde's external tagging writes it: `{variant: value}`.
fn variant(variant: &str, node: Node) -> Node {
    Node::Members(vec![(variant.to_owned(), node)])
}

impl<'a> ser::Serializer for NodeSerializer<'a> {
    type Ok = Node;
    type Error = Unwritable;
    type SerializeSeq = ListSerializer;
    type SerializeTuple = ListSerializer;
    type SerializeTupleStruct = ListSerializer;
    type SerializeTupleVariant = VariantSerializer<ListSerializer>;
    type SerializeMap = MembersSerializer<'a>;
    type SerializeStruct = MembersSerializer<'a>;
    type SerializeStructVariant = VariantSerializer<MembersSerializer<'a>>;

    fn serialize_bool(self, v: bool) -> Result<Node, Unwritable> {
        text(v)
    }
    fn serialize_i8(self, v: i8) -> Result<Node, Unwritable> {
        text(v)
    }
    fn serialize_i16(self, v: i16) -> Result<Node, Unwritable> {
        text(v)
    }
    fn serialize_i32(self, v: i32) -> Result<Node, Unwritable> {
        text(v)
    }
    fn serialize_i64(self, v: i64) -> Result<Node, Unwritable> {
        text(v)
    }
    fn serialize_i128(self, v: i128) -> Result<Node, Unwritable> {
        text(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Node, Unwritable> {
        text(v)
    }
    fn serialize_u16(self, v: u16) -> Result<Node, Unwritable> {
        text(v)
    }
    fn serialize_u32(self, v: u32) -> Result<Node, Unwritable> {
        text(v)
    }
    fn serialize_u64(self, v: u64) -> Result<Node, Unwritable> {
        text(v)
    }
    fn serialize_u128(self, v: u128) -> Result<Node, Unwritable> {
        text(v)
    }
    fn serialize_f32(self, v: f32) -> Result<Node, Unwritable> {
        float(v)
    }
    fn serialize_f64(self, v: f64) -> Result<Node, Unwritable> {
        float(v)
    }
    fn serialize_char(self, v: char) -> Result<Node, Unwritable> {
        text(v)
    }
    fn serialize_str(self, v: &str) -> Result<Node, Unwritable> {
        text(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Node, Unwritable> {
        Err(Reason::Bytes.into())
    }
    fn serialize_none(self) -> Result<Node, Unwritable> {
        Ok(Node::Absent)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Node, Unwritable> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Node, Unwritable> {
        Ok(Node::Absent)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Node, Unwritable> {
        Ok(Node::Absent)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Node, Unwritable> {
        text(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Node, Unwritable> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        name: &'static str,
        value: &T,
    ) -> Result<Node, Unwritable> {
        let node = value.serialize(NodeSerializer::default());
        Ok(variant(name, node.map_err(|error| error.within(name))?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<ListSerializer, Unwritable> {
        Ok(ListSerializer {
            items: Vec::with_capacity(len.unwrap_or(0)),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<ListSerializer, Unwritable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<ListSerializer, Unwritable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, Unwritable> {
        Ok(VariantSerializer {
            variant,
            inner: self.serialize_seq(Some(len))?,
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MembersSerializer<'a>, Unwritable> {
        Ok(MembersSerializer {
            styles: self.styles,
            members: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }
    fn serialize_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<MembersSerializer<'a>, Unwritable> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, Unwritable> {
        Ok(VariantSerializer {
            variant,
            inner: NodeSerializer::default().serialize_map(Some(len))?,
        })
    }
}

/// Collects the items of an array, tuple or set.
struct ListSerializer {
    items: Vec<Node>,
}

impl ListSerializer {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
        self.items.push(value.serialize(NodeSerializer::default())?);
        Ok(())
    }
}

/// Sequences, tuples and tuple structs are all lists of values.
macro_rules! list_serializer {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for ListSerializer {
            type Ok = Node;
            type Error = Unwritable;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
                self.push(value)
            }
            fn end(self) -> Result<Node, Unwritable> {
                Ok(Node::List(self.items))
            }
        }
    )*};
}

list_serializer!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

/// Collects the members of a struct or map, in the order serde gives them.
struct MembersSerializer<'a> {
    styles: &'a [(&'a str, Style)],
    members: Vec<(String, Node)>,
    /// The key given by `serialize_key`, waiting for its value.
    key: Option<String>,
}

impl MembersSerializer<'_> {
    fn push<T: Serialize + ?Sized>(&mut self, name: String, value: &T) -> Result<(), Unwritable> {
        let node =
            to_node(value, style_of(self.styles, &name)).map_err(|error| error.within(&name))?;
        self.members.push((name, node));
        Ok(())
    }
}

impl ser::SerializeMap for MembersSerializer<'_> {
    type Ok = Node;
    type Error = Unwritable;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unwritable> {
        match key.serialize(NodeSerializer::default()) {
            Ok(Node::Text(key)) => {
                self.key = Some(key);
                Ok(())
            }
            Ok(_) | Err(_) => Err(Reason::Key.into()),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
        // serde calls `serialize_key` first; a serializer that does not is caught here.
        let name = self.key.take().ok_or(Reason::Key)?;
        self.push(name, value)
    }
    fn end(self) -> Result<Node, Unwritable> {
        Ok(Node::Members(self.members))
    }
}

impl ser::SerializeStruct for MembersSerializer<'_> {
    type Ok = Node;
    type Error = Unwritable;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Unwritable> {
        self.push(name.to_owned(), value)
    }
    fn end(self) -> Result<Node, Unwritable> {
        Ok(Node::Members(self.members))
    }
}

/// Collects an enum variant's fields and tags them with the variant's name.
struct VariantSerializer<S> {
    variant: &'static str,
    inner: S,
}

impl ser::SerializeTupleVariant for VariantSerializer<ListSerializer> {
    type Ok = Node;
    type Error = Unwritable;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
        self.inner.push(value)
    }
    fn end(self) -> Result<Node, Unwritable> {
        Ok(variant(self.variant, Node::List(self.inner.items)))
    }
}

impl<'a> ser::SerializeStructVariant for VariantSerializer<MembersSerializer<'a>> {
    type Ok = Node;
    type Error = Unwritable;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Unwritable> {
        self.inner.push(name.to_owned(), value)
    }
    fn end(self) -> Result<Node, Unwritable> {
        Ok(variant(self.variant, Node::Members(self.inner.members)))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;

    fn text(value: &str) -> Node {
        Node::Text(value.to_owned())
    }

    fn members(members: &[(&str, Node)]) -> Node {
        Node::Members(
            members
                .iter()
                .map(|(name, node)| ((*name).to_owned(), node.clone()))
                .collect(),
        )
    }

    #[test]
    fn structs_keep_their_field_order_and_variants_their_tag() {
        #[derive(Serialize)]
        struct Params {
            zeta: u8,
            alpha: Option<u8>,
            pair: (u8, &'static str),
            unit: (),
            tagged: Vec<Tagged>,
        }
        #[derive(Serialize)]
        enum Tagged {
            Plain,
            New(u8),
            Tuple(u8, u8),
            Fields { b: u8, a: u8 },
        }
        let params = Params {
            zeta: 1,
            alpha: None,
            pair: (2, "x"),
            unit: (),
            tagged: vec![
                Tagged::Plain,
                Tagged::New(3),
                Tagged::Tuple(4, 5),
                Tagged::Fields { b: 6, a: 7 },
            ],
        };
        let tagged = Node::List(vec![
            text("Plain"),
            members(&[("New", text("3"))]),
            members(&[("Tuple", Node::List(vec![text("4"), text("5")]))]),
            members(&[("Fields", members(&[("b", text("6")), ("a", text("7"))]))]),
        ]);
        let expected = members(&[
            ("zeta", text("1")),
            ("alpha", Node::Absent),
            ("pair", Node::List(vec![text("2"), text("x")])),
            ("unit", Node::Absent),
            ("tagged", tagged),
        ]);
        assert_eq!(params.serialize(NodeSerializer::default()), Ok(expected));
    }

    #[test]
    fn numbers_are_written_as_json_writes_them_and_may_be_keys() {
        let floats = BTreeMap::from([(1_u16, 0.1_f32)]);
        assert_eq!(
            floats.serialize(NodeSerializer::default()),
            Ok(members(&[("1", text("0.1"))]))
        );
        for (value, expected) in [(1.0, "1.0"), (1e300, "1e+300"), (-0.5, "-0.5")] {
            assert_eq!(
                to_node(&value, Style::Simple { explode: false }),
                Ok(text(expected))
            );
        }
        assert_eq!(
            to_node(&u128::MAX, Style::Json),
            Ok(text(&u128::MAX.to_string()))
        );
    }

    #[test]
    fn json_members_are_json_text_and_others_their_serde_form() {
        let value = BTreeMap::from([("doc", vec![1, 2]), ("list", vec![3])]);
        let found = to_members(&value, &[("doc", Style::Json)]);
        let expected = vec![
            ("doc".to_owned(), text("[1,2]")),
            ("list".to_owned(), Node::List(vec![text("3")])),
        ];
        assert_eq!(found, Ok(expected));
    }

    #[test]
    fn problems_name_the_path_to_the_value() {
        let nested = BTreeMap::from([("outer", BTreeMap::from([("inner", f64::NAN)]))]);
        let problem = to_members(&nested, &[]).unwrap_err().into_problem();
        assert_eq!(
            problem,
            RequestProblem::Parameter {
                name: "outer[inner]".to_owned(),
                reason: Reason::NotFinite.to_string(),
            }
        );
        let not_members = to_members(&[1], &[]).unwrap_err().into_problem();
        assert!(
            matches!(not_members, RequestProblem::Other(_)),
            "{not_members:?}"
        );
    }
}
