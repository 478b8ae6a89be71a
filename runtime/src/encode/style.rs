//! How each OpenAPI style writes a [`Node`] as name/value pairs, as RFC 6570 expands it: names
//! and values escaped, the delimiters between the values of one parameter written as they are.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::serializer::{Node, Reason, Unwritable};
use super::Style;

/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`), which stay as
/// they are; a space becomes `%20`.
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How names and values are escaped where they travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Escape {
    /// Percent-encoded, RFC 3986's unreserved characters kept: queries, form bodies, cookies.
    Percent,
    /// As they are: header values, where `HeaderValue` refuses what a header cannot carry.
    Verbatim,
}

impl Escape {
    fn push(self, text: &str, out: &mut String) {
        match self {
            Escape::Percent => out.extend(utf8_percent_encode(text, RESERVED)),
            Escape::Verbatim => out.push_str(text),
        }
    }

    fn apply(self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        self.push(text, &mut out);
        out
    }
}

/// Escaped name/value pairs, in the order they are sent.
pub(crate) type Pairs = Vec<(String, String)>;

/// Appends to `out` the pairs `node` is written as under `name` in `style`. An absent value,
/// an empty array and an object without members give no pairs (RFC 6570 treats them as
/// undefined).
pub(crate) fn write(
    name: &str,
    node: &Node,
    style: Style,
    escape: Escape,
    out: &mut Pairs,
) -> Result<(), Unwritable> {
    let mut writer = Writer { style, escape, out };
    writer.node(escape.apply(name), node)
}

/// Writes nodes in one style and escaping into one list of pairs.
struct Writer<'o> {
    style: Style,
    escape: Escape,
    out: &'o mut Pairs,
}

impl Writer<'_> {
    /// Writes `node` under `name`, which is already escaped.
    fn node(&mut self, name: String, node: &Node) -> Result<(), Unwritable> {
        match node {
            Node::Absent => Ok(()),
            Node::Text(text) => {
                let value = self.escape.apply(text);
                self.out.push((name, value));
                Ok(())
            }
            Node::List(items) => self.list(name, items),
            Node::Members(members) => self.members(name, members),
        }
    }

    fn list(&mut self, name: String, items: &[Node]) -> Result<(), Unwritable> {
        let texts = texts(items)?;
        if texts.is_empty() {
            return Ok(());
        }
        match self.style {
            Style::Form { explode: true } | Style::DeepObject => {
                for text in texts {
                    let value = self.escape.apply(text);
                    self.out.push((name.clone(), value));
                }
            }
            _ => self.joined(name, &texts),
        }
        Ok(())
    }

    fn members(&mut self, name: String, members: &[(String, Node)]) -> Result<(), Unwritable> {
        if self.style == Style::DeepObject {
            return self.deep_members(&name, members);
        }
        let entries = scalar_members(members)?;
        if entries.is_empty() {
            return Ok(());
        }
        match self.style {
            Style::Form { explode: true } => {
                for (key, text) in entries {
                    let (key, value) = (self.escape.apply(key), self.escape.apply(text));
                    self.out.push((key, value));
                }
            }
            Style::Simple { explode: true } => {
                let mut value = String::new();
                for (index, (key, text)) in entries.into_iter().enumerate() {
                    if index > 0 {
                        value.push(',');
                    }
                    self.escape.push(key, &mut value);
                    value.push('=');
                    self.escape.push(text, &mut value);
                }
                self.out.push((name, value));
            }
            _ => {
                let flat: Vec<&str> = entries.into_iter().flat_map(<[&str; 2]>::from).collect();
                self.joined(name, &flat);
            }
        }
        Ok(())
    }

    /// `name[key]=value` for each member, nesting as `name[key][inner]=value`.
    fn deep_members(&mut self, name: &str, members: &[(String, Node)]) -> Result<(), Unwritable> {
        for (key, node) in members {
            let mut inner = format!("{name}[");
            self.escape.push(key, &mut inner);
            inner.push(']');
            self.node(inner, node).map_err(|error| error.within(key))?;
        }
        Ok(())
    }

    /// One pair: the escaped `texts` with the style's delimiter between them, as it is.
    fn joined(&mut self, name: String, texts: &[&str]) {
        let delimiter = match self.style {
            Style::SpaceDelimited => self.escape.apply(" "),
            Style::PipeDelimited => "|".to_owned(),
            _ => ",".to_owned(),
        };
        let mut value = String::new();
        for (index, text) in texts.iter().enumerate() {
            if index > 0 {
                value.push_str(&delimiter);
            }
            self.escape.push(text, &mut value);
        }
        self.out.push((name, value));
    }
}

/// The texts of an array's items, absent ones left out; an item that is an array or object
/// fails, since only JSON can write it.
fn texts(items: &[Node]) -> Result<Vec<&str>, Unwritable> {
    let mut texts = Vec::new();
    for item in items {
        match item {
            Node::Absent => {}
            Node::Text(text) => texts.push(text.as_str()),
            Node::List(_) | Node::Members(_) => return Err(Reason::NestedInList.into()),
        }
    }
    Ok(texts)
}

/// The members of an object with their texts, absent ones left out; a member that is an array
/// or object fails, since only `deepObject` can write it.
fn scalar_members(members: &[(String, Node)]) -> Result<Vec<(&str, &str)>, Unwritable> {
    let mut entries = Vec::new();
    for (key, node) in members {
        match node {
            Node::Absent => {}
            Node::Text(text) => entries.push((key.as_str(), text.as_str())),
            Node::List(_) | Node::Members(_) => return Err(Reason::NestedInMembers.into()),
        }
    }
    Ok(entries)
}
