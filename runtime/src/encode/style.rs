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
        let texts = texts(items, Reason::NestedInList)?;
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
            Style::Form { explode: false } | Style::Simple { .. } | Style::Json => {
                self.joined(name, &texts, ",");
            }
            Style::SpaceDelimited => self.joined(name, &texts, &self.escape.apply(" ")),
            Style::PipeDelimited => self.joined(name, &texts, "|"),
        }
        Ok(())
    }

    fn members(&mut self, name: String, members: &[(String, Node)]) -> Result<(), Unwritable> {
        if self.style == Style::DeepObject {
            return self.deep_members(&name, members);
        }
        let present: Vec<&(String, Node)> = members
            .iter()
            .filter(|(_, node)| *node != Node::Absent)
            .collect();
        let values = texts(
            present.iter().map(|(_, node)| node),
            Reason::NestedInMembers,
        )?;
        let flat: Vec<&str> = present
            .iter()
            .zip(values)
            .flat_map(|((key, _), value)| [key.as_str(), value])
            .collect();
        if flat.is_empty() {
            return Ok(());
        }
        match self.style {
            Style::Form { explode: true } => {
                for pair in flat.chunks(2) {
                    let (key, value) = (self.escape.apply(pair[0]), self.escape.apply(pair[1]));
                    self.out.push((key, value));
                }
            }
            Style::Simple { explode: true } => {
                let entries: Vec<String> = flat
                    .chunks(2)
                    .map(|pair| {
                        let mut entry = self.escape.apply(pair[0]);
                        entry.push('=');
                        self.escape.push(pair[1], &mut entry);
                        entry
                    })
                    .collect();
                self.out.push((name, entries.join(",")));
            }
            Style::SpaceDelimited => self.joined(name, &flat, &self.escape.apply(" ")),
            Style::PipeDelimited => self.joined(name, &flat, "|"),
            Style::Form { explode: false }
            | Style::Simple { explode: false }
            | Style::Json
            | Style::DeepObject => self.joined(name, &flat, ","),
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

    /// One pair: the escaped `texts` with `delimiter` between them as it is.
    fn joined(&mut self, name: String, texts: &[&str], delimiter: &str) {
        let mut value = String::new();
        for (index, text) in texts.iter().enumerate() {
            if index > 0 {
                value.push_str(delimiter);
            }
            self.escape.push(text, &mut value);
        }
        self.out.push((name, value));
    }
}

/// The texts of `nodes`, absent ones left out; an array or object among them fails with
/// `nested`.
fn texts<'n>(
    nodes: impl IntoIterator<Item = &'n Node>,
    nested: Reason,
) -> Result<Vec<&'n str>, Unwritable> {
    let mut texts = Vec::new();
    for node in nodes {
        match node {
            Node::Absent => {}
            Node::Text(text) => texts.push(text.as_str()),
            Node::List(_) | Node::Members(_) => return Err(nested.into()),
        }
    }
    Ok(texts)
}
