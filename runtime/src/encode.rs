//! How values are written into URLs, headers and form bodies, following OpenAPI's `style` and
//! `explode`. Everything goes through a value's JSON form, so a generated type is written the
//! way serde describes it.

use serde::Serialize;
use serde_json::Value;
use url::Url;

use crate::error::RequestProblem;

/// How a parameter or form field that holds an array or object is written (OpenAPI `style` and
/// `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `style: form`: `a=1&a=2` when exploded, else `a=1,2`; an object as `key=value` pairs
    /// when exploded, else `a=key,value`. The default for queries, forms and cookies.
    Form {
        /// Each array item or object member is its own pair.
        explode: bool,
    },
    /// `style: simple` (headers, paths): `1,2`; an object as `key=value,key=value` when
    /// exploded, else `key,value,key,value`.
    Simple {
        /// Object members are written `key=value`.
        explode: bool,
    },
    /// `style: spaceDelimited`: `a=1 2`.
    SpaceDelimited,
    /// `style: pipeDelimited`: `a=1|2`.
    PipeDelimited,
    /// `style: deepObject`: `a[key]=value`, nesting as `a[key][key2]=value`.
    DeepObject,
    /// A parameter described by `content` with a JSON media type: the value as JSON text.
    Json,
}

/// The default style of query parameters, form fields and cookies.
pub const FORM: Style = Style::Form { explode: true };

/// The name/value pairs `value` is written as under `name` in `style`; `None` and `null` give
/// no pairs.
pub fn pairs<T: Serialize + ?Sized>(name: &str, value: &T, style: Style) -> Vec<(String, String)> {
    // Serialising generated types to JSON values cannot fail: every map has string keys.
    let Ok(value) = serde_json::to_value(value) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    flatten(name, &value, style, &mut out);
    out
}

/// The pairs of every member of `object` (a struct of query parameters or form fields), each
/// in the style `styles` gives for its name, else [`FORM`]. A value that is not an object
/// gives no pairs.
pub fn object_pairs<T: Serialize + ?Sized>(
    object: &T,
    styles: &[(&str, Style)],
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    each_object_pair(object, styles, &mut |name, value| {
        out.push((name.to_owned(), value.to_owned()));
    });
    out
}

/// Calls `pair` with each name/value pair [`object_pairs`] gives, without collecting them.
pub(crate) fn each_object_pair<T: Serialize + ?Sized>(
    object: &T,
    styles: &[(&str, Style)],
    pair: &mut dyn FnMut(&str, &str),
) {
    let Ok(Value::Object(members)) = serde_json::to_value(object) else {
        return;
    };
    for (name, member) in &members {
        let style = styles
            .iter()
            .find(|(styled, _)| styled == name)
            .map_or(FORM, |(_, style)| *style);
        match member {
            // The common case, a plain value in the default style, needs no copies.
            Value::String(text) if style == FORM => pair(name, text),
            Value::Null => {}
            _ => {
                let mut out = Vec::new();
                flatten(name, member, style, &mut out);
                for (name, value) in &out {
                    pair(name, value);
                }
            }
        }
    }
}

fn flatten(name: &str, value: &Value, style: Style, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::String(_) | Value::Array(_) | Value::Object(_) if style == Style::Json => {
            out.push((name.to_owned(), value.to_string()));
        }
        Value::Array(items) => {
            let texts: Vec<String> = items.iter().filter_map(scalar).collect();
            match style {
                Style::Form { explode: true } | Style::DeepObject => {
                    out.extend(texts.into_iter().map(|text| (name.to_owned(), text)));
                }
                Style::Form { explode: false } | Style::Simple { .. } | Style::Json => {
                    out.push((name.to_owned(), texts.join(",")));
                }
                Style::SpaceDelimited => out.push((name.to_owned(), texts.join(" "))),
                Style::PipeDelimited => out.push((name.to_owned(), texts.join("|"))),
            }
        }
        Value::Object(members) => match style {
            Style::DeepObject => {
                for (key, member) in members {
                    flatten(&format!("{name}[{key}]"), member, style, out);
                }
            }
            Style::Form { explode: true } => {
                for (key, member) in members {
                    out.extend(scalar(member).map(|text| (key.clone(), text)));
                }
            }
            Style::Simple { explode: true } => {
                let texts: Vec<String> = members
                    .iter()
                    .filter_map(|(key, member)| Some(format!("{key}={}", scalar(member)?)))
                    .collect();
                out.push((name.to_owned(), texts.join(",")));
            }
            _ => {
                let texts: Vec<String> = members
                    .iter()
                    .filter_map(|(key, member)| Some(format!("{key},{}", scalar(member)?)))
                    .collect();
                out.push((name.to_owned(), texts.join(",")));
            }
        },
        other => out.extend(scalar(other).map(|text| (name.to_owned(), text))),
    }
}

/// A JSON value as parameter text: strings as they are, numbers and booleans as JSON writes
/// them, nested arrays and objects as JSON.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// One segment of an operation's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text of the path template, sent as written.
    Literal(&'static str),
    /// The value of the path parameter `parameter`, which must not be empty, `.` or `..`.
    Parameter {
        /// The parameter's name in the spec.
        parameter: &'static str,
        /// Its value, as text.
        value: String,
    },
    /// Text and parameters together, such as `avatar.{format}`, already filled in.
    Template(String),
}

impl Segment {
    /// The segment for path parameter `parameter` holding `value`.
    pub fn parameter(parameter: &'static str, value: impl std::fmt::Display) -> Self {
        Segment::Parameter {
            parameter,
            value: value.to_string(),
        }
    }
}

/// `base` with `segments` appended, each percent-encoded as one path segment. Refuses a
/// parameter that would not stay one segment, and a base URL that cannot have a path.
pub fn endpoint(base: &Url, segments: &[Segment]) -> Result<Url, RequestProblem> {
    let mut texts = Vec::with_capacity(segments.len());
    for segment in segments {
        texts.push(match segment {
            Segment::Literal(text) => *text,
            Segment::Parameter { parameter, value } => match value.as_str() {
                "" | "." | ".." => return Err(RequestProblem::PathParameter(parameter)),
                value => value,
            },
            Segment::Template(text) => text,
        });
    }
    let mut url = base.clone();
    url.path_segments_mut()
        .map_err(|()| RequestProblem::Other("the base URL cannot have a path".to_owned()))?
        .pop_if_empty()
        .extend(texts);
    Ok(url)
}

/// The URL of a page for a browser (an operation whose answer is HTML): `base` with the
/// literal `path` segments appended and the query parameters held by `params`, each in the
/// style `styles` gives for its name, else [`FORM`]. Nothing is sent. A base URL that cannot
/// have a path (`mailto:`, say) keeps its own.
pub fn page_url<T: Serialize + ?Sized>(
    base: &Url,
    path: &[&str],
    params: &T,
    styles: &[(&str, Style)],
) -> Url {
    let mut url = base.clone();
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty().extend(path);
    }
    let pairs = object_pairs(params, styles);
    if !pairs.is_empty() {
        url.query_pairs_mut().extend_pairs(pairs);
    }
    url
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn arrays_follow_their_style() {
        let tags = json!(["red", "big box"]);
        let cases = [
            (FORM, vec![("t", "red"), ("t", "big box")]),
            (Style::Form { explode: false }, vec![("t", "red,big box")]),
            (Style::SpaceDelimited, vec![("t", "red big box")]),
            (Style::PipeDelimited, vec![("t", "red|big box")]),
            (Style::Simple { explode: false }, vec![("t", "red,big box")]),
            (Style::Json, vec![("t", r#"["red","big box"]"#)]),
        ];
        for (style, expected) in cases {
            let expected: Vec<(String, String)> = expected
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            assert_eq!(pairs("t", &tags, style), expected, "{style:?}");
        }
    }

    #[test]
    fn objects_follow_their_style_in_member_order() {
        let filter = json!({"status": "open", "owner": "me&you"});
        let pairs_of = |style| pairs("f", &filter, style);
        let text = |pairs: Vec<(String, String)>| {
            pairs
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
        };
        assert_eq!(
            text(pairs_of(Style::DeepObject)),
            "f[status]=open&f[owner]=me&you"
        );
        assert_eq!(text(pairs_of(FORM)), "status=open&owner=me&you");
        assert_eq!(
            text(pairs_of(Style::Simple { explode: true })),
            "f=status=open,owner=me&you"
        );
        assert_eq!(
            text(pairs_of(Style::Simple { explode: false })),
            "f=status,open,owner,me&you"
        );
    }

    #[test]
    fn object_members_take_their_own_style_and_nulls_are_left_out() {
        let params = json!({"ids": [1, 2], "words": ["a", "b"], "missing": null, "n": 3});
        let found = object_pairs(&params, &[("ids", Style::Form { explode: false })]);
        let expected = [("ids", "1,2"), ("words", "a"), ("words", "b"), ("n", "3")];
        let expected: Vec<(String, String)> = expected
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn endpoints_encode_each_parameter_as_one_segment() {
        let base = Url::parse("https://api.example/v1/").unwrap();
        let url = endpoint(
            &base,
            &[
                Segment::Literal("files"),
                Segment::parameter("id", "a/b c"),
                Segment::Template("avatar.png".to_owned()),
            ],
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.example/v1/files/a%2Fb%20c/avatar.png"
        );
        for bad in ["", ".", ".."] {
            let refused = endpoint(&base, &[Segment::parameter("id", bad)]);
            assert_eq!(refused, Err(RequestProblem::PathParameter("id")), "{bad:?}");
        }
        let no_path = Url::parse("mailto:someone@example.com").unwrap();
        assert!(endpoint(&no_path, &[Segment::Literal("x")]).is_err());
    }

    #[test]
    fn page_urls_carry_their_query_and_send_nothing() {
        let base = Url::parse("https://account.example/api/oauth2").unwrap();
        let params = json!({"response_type": "code", "state": "a b", "scope": null});
        let url = page_url(&base, &["authorize"], &params, &[]);
        assert_eq!(
            url.as_str(),
            "https://account.example/api/oauth2/authorize?response_type=code&state=a+b"
        );
    }
}
