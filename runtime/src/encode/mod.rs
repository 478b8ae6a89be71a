//! How values are written into URLs, headers, cookies and form bodies, following OpenAPI's
//! `style` and `explode` as RFC 6570 expands them. A value goes through a serde `Serializer` into
//! a small tree kept in its own order, which each [`Style`] then writes.

mod serializer;
mod style;

use serde::Serialize;
use url::Url;

use crate::error::RequestProblem;
use serializer::Unwritable;
pub(crate) use style::{Escape, Pairs};

/// How a parameter or form field that holds an array or object is written (OpenAPI `style` and
/// `explode`).
///
/// Names and values are percent-encoded in URLs, form bodies and cookies, keeping only RFC
/// 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`; a space is `%20`), and sent as they
/// are in headers. The delimiters a style puts between the values of one parameter are written
/// as they are (`,`, `|`, `=`, `[`, `]`), so a `,` inside a value (`%2C`) stays apart from one
/// between values. `None`, `()`, JSON `null`, an empty array and an object without members
/// are not written at all. The examples below are for `a = [1, 2]` and `a = {x: 1, y: 2}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `style: form`: `a=1&a=2` and `x=1&y=2` when exploded, else `a=1,2` and `a=x,1,y,2`.
    /// The default for queries, forms and cookies.
    Form {
        /// Each array item or object member is its own pair.
        explode: bool,
    },
    /// `style: simple` (headers, paths): `1,2`; an object as `x=1,y=2` when exploded, else
    /// `x,1,y,2`.
    Simple {
        /// Object members are written `key=value`.
        explode: bool,
    },
    /// `style: spaceDelimited`: `a=1%202` and `a=x%201%20y%202`.
    SpaceDelimited,
    /// `style: pipeDelimited`: `a=1|2` and `a=x|1|y|2`.
    PipeDelimited,
    /// `style: deepObject`: `a[x]=1&a[y]=2` with the brackets as they are (as OpenAPI 3.0.3's
    /// style examples write them), nesting as `a[x][z]=1`; an array member repeats its pair,
    /// `a[x]=1&a[x]=2`.
    DeepObject,
    /// A parameter described by `content` with a JSON media type: the value as JSON text,
    /// percent-encoded like any value.
    Json,
}

/// The default style of query parameters, form fields and cookies.
pub const FORM: Style = Style::Form { explode: true };

impl Style {
    /// `style: form`, exploded or not: what generated code writes for a parameter or form
    /// field of that style.
    pub const fn form(explode: bool) -> Self {
        Self::Form { explode }
    }

    /// `style: simple`, exploded or not.
    pub const fn simple(explode: bool) -> Self {
        Self::Simple { explode }
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
///
/// When a parameter cannot be written (see [`try_page_url`]), the URL carries no query at all
/// rather than part of one, so that it never asks for something the caller did not mean.
pub fn page_url<T: Serialize + ?Sized>(
    base: &Url,
    path: &[&str],
    params: &T,
    styles: &[(&str, Style)],
) -> Url {
    let mut url = page_path(base, path);
    if let Ok(pairs) = member_pairs(params, styles, Escape::Percent) {
        append_query(&mut url, &pairs);
    }
    url
}

/// [`page_url`], or the problem with the first parameter that cannot be written (a float
/// that is not finite, raw bytes, an array inside an array in a style other than JSON, an
/// error from the value's `Serialize` implementation).
pub fn try_page_url<T: Serialize + ?Sized>(
    base: &Url,
    path: &[&str],
    params: &T,
    styles: &[(&str, Style)],
) -> Result<Url, RequestProblem> {
    let mut url = page_path(base, path);
    append_query(&mut url, &member_pairs(params, styles, Escape::Percent)?);
    Ok(url)
}

/// `base` with the literal `path` segments appended, when it can have a path.
fn page_path(base: &Url, path: &[&str]) -> Url {
    let mut url = base.clone();
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty().extend(path);
    }
    url
}

/// The style `styles` gives for `name`, else [`FORM`].
pub(crate) fn style_of(styles: &[(&str, Style)], name: &str) -> Style {
    styles
        .iter()
        .find(|(styled, _)| *styled == name)
        .map_or(FORM, |(_, style)| *style)
}

/// The escaped pairs of every member of `object` (a struct of query parameters or form
/// fields, in its field order), each in the style `styles` gives for its name, else [`FORM`].
pub(crate) fn member_pairs<T: Serialize + ?Sized>(
    object: &T,
    styles: &[(&str, Style)],
    escape: Escape,
) -> Result<Pairs, RequestProblem> {
    let members = serializer::to_members(object, styles).map_err(Unwritable::into_problem)?;
    let mut pairs = Vec::with_capacity(members.len());
    for (name, node) in &members {
        style::write(name, node, style_of(styles, name), escape, &mut pairs)
            .map_err(|error| error.within(name).into_problem())?;
    }
    Ok(pairs)
}

/// The escaped pairs `value` is written as under `name` in `style`.
pub(crate) fn value_pairs<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    escape: Escape,
) -> Result<Pairs, RequestProblem> {
    let mut pairs = Vec::new();
    serializer::to_node(value, style)
        .and_then(|node| style::write(name, &node, style, escape, &mut pairs))
        .map_err(|error| error.within(name).into_problem())?;
    Ok(pairs)
}

/// Escaped pairs as `name=value` joined by `&`: a query string or a form body.
pub(crate) fn urlencoded(pairs: &Pairs) -> String {
    let mut text = String::new();
    for (name, value) in pairs {
        if !text.is_empty() {
            text.push('&');
        }
        text.push_str(name);
        text.push('=');
        text.push_str(value);
    }
    text
}

/// Appends the escaped `pairs` to the query of `url`. `Url::set_query` leaves what is already
/// percent-encoded as it is, so the delimiters of each style reach the server as written.
pub(crate) fn append_query(url: &mut Url, pairs: &Pairs) {
    if pairs.is_empty() {
        return;
    }
    let added = urlencoded(pairs);
    let query = match url.query() {
        Some(query) if !query.is_empty() => format!("{query}&{added}"),
        _ => added,
    };
    url.set_query(Some(&query));
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::ser::{Error as _, Serializer};

    use super::*;

    /// One query parameter, `t`, holding `T`.
    #[derive(Serialize)]
    struct One<T> {
        t: T,
    }

    /// A filter whose fields are not in alphabetical order.
    #[derive(Serialize)]
    struct Filter {
        status: &'static str,
        owner: &'static str,
    }

    fn query<T: Serialize>(params: &T, styles: &[(&str, Style)]) -> Result<String, RequestProblem> {
        Ok(urlencoded(&member_pairs(params, styles, Escape::Percent)?))
    }

    fn styled<T: Serialize>(value: T, style: Style) -> String {
        query(&One { t: value }, &[("t", style)]).unwrap()
    }

    #[test]
    fn arrays_follow_their_style_with_literal_delimiters() {
        let tags = ["red", "big box", "a,b"];
        let cases = [
            (FORM, "t=red&t=big%20box&t=a%2Cb"),
            (Style::Form { explode: false }, "t=red,big%20box,a%2Cb"),
            (Style::SpaceDelimited, "t=red%20big%20box%20a%2Cb"),
            (Style::PipeDelimited, "t=red|big%20box|a%2Cb"),
            (Style::Simple { explode: false }, "t=red,big%20box,a%2Cb"),
            (Style::DeepObject, "t=red&t=big%20box&t=a%2Cb"),
            (
                Style::Json,
                "t=%5B%22red%22%2C%22big%20box%22%2C%22a%2Cb%22%5D",
            ),
        ];
        for (style, expected) in cases {
            assert_eq!(styled(tags, style), expected, "{style:?}");
        }
    }

    #[test]
    fn objects_follow_their_style_in_field_order() {
        let filter = || Filter {
            status: "open",
            owner: "me&you=+ü",
        };
        let owner = "me%26you%3D%2B%C3%BC";
        let cases = [
            (
                Style::DeepObject,
                format!("t[status]=open&t[owner]={owner}"),
            ),
            (FORM, format!("status=open&owner={owner}")),
            (
                Style::Form { explode: false },
                format!("t=status,open,owner,{owner}"),
            ),
            (
                Style::Simple { explode: true },
                format!("t=status=open,owner={owner}"),
            ),
            (
                Style::Simple { explode: false },
                format!("t=status,open,owner,{owner}"),
            ),
            (
                Style::SpaceDelimited,
                format!("t=status%20open%20owner%20{owner}"),
            ),
            (Style::PipeDelimited, format!("t=status|open|owner|{owner}")),
            (
                Style::Json,
                "t=%7B%22status%22%3A%22open%22%2C%22owner%22%3A%22me%26you%3D%2B%C3%BC%22%7D"
                    .to_owned(),
            ),
        ];
        for (style, expected) in cases {
            assert_eq!(styled(filter(), style), expected, "{style:?}");
        }
    }

    #[test]
    fn deep_objects_nest_and_repeat_array_members() {
        #[derive(Serialize)]
        struct Size {
            min: u32,
            max: Option<u32>,
        }
        #[derive(Serialize)]
        struct Search {
            name: &'static str,
            size: Size,
            tags: Vec<&'static str>,
            skipped: Option<u8>,
        }
        let search = Search {
            name: "x y",
            size: Size { min: 1, max: None },
            tags: vec!["a", "b"],
            skipped: None,
        };
        assert_eq!(
            styled(search, Style::DeepObject),
            "t[name]=x%20y&t[size][min]=1&t[tags]=a&t[tags]=b"
        );
        let keyed = BTreeMap::from([("a]b", 1)]);
        assert_eq!(styled(keyed, Style::DeepObject), "t[a%5Db]=1");
    }

    #[test]
    fn members_keep_the_struct_order_and_their_own_style() {
        #[derive(Serialize)]
        struct Params {
            zeta: u8,
            #[serde(rename = "a b&c")]
            alpha: Vec<u8>,
            missing: Option<String>,
            empty: Vec<u8>,
            nothing: (),
            mode: Mode,
            ratio: f64,
            on: bool,
            letter: char,
            any: serde_json::Value,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "snake_case")]
        enum Mode {
            FullText,
        }
        let params = Params {
            zeta: 1,
            alpha: vec![2, 3],
            missing: None,
            empty: Vec::new(),
            nothing: (),
            mode: Mode::FullText,
            ratio: 1.5,
            on: true,
            letter: '~',
            any: serde_json::Value::Null,
        };
        let found = query(&params, &[("a b&c", Style::Form { explode: false })]);
        assert_eq!(
            found.unwrap(),
            "zeta=1&a%20b%26c=2,3&mode=full_text&ratio=1.5&on=true&letter=~"
        );
    }

    #[test]
    fn json_members_are_their_json_text_and_null_is_left_out() {
        #[derive(Serialize)]
        struct Params {
            doc: Option<Filter>,
            none: Option<Filter>,
        }
        let params = Params {
            doc: Some(Filter {
                status: "a b",
                owner: "",
            }),
            none: None,
        };
        let styles = [("doc", Style::Json), ("none", Style::Json)];
        assert_eq!(
            query(&params, &styles).unwrap(),
            "doc=%7B%22status%22%3A%22a%20b%22%2C%22owner%22%3A%22%22%7D"
        );
    }

    #[test]
    fn headers_keep_their_text_and_cookies_are_escaped() {
        fn header<T: Serialize + ?Sized>(value: &T, style: Style) -> Pairs {
            value_pairs("X-Flags", value, style, Escape::Verbatim).unwrap()
        }
        let pair = |value: &str| vec![("X-Flags".to_owned(), value.to_owned())];
        let simple = Style::Simple { explode: false };
        assert_eq!(header(&["a b", "c"], simple), pair("a b,c"));
        let filter = Filter {
            status: "open",
            owner: "me",
        };
        assert_eq!(
            header(&filter, Style::Simple { explode: true }),
            pair("status=open,owner=me")
        );
        assert_eq!(header(&None::<u8>, simple), Vec::new());
        let cookie = value_pairs("session", "a;b c", FORM, Escape::Percent).unwrap();
        assert_eq!(cookie, [("session".to_owned(), "a%3Bb%20c".to_owned())]);
    }

    /// A value whose own `Serialize` fails, with a message that does not hold the value.
    struct Refuses;

    impl Serialize for Refuses {
        fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(S::Error::custom("refused by its type"))
        }
    }

    /// Raw bytes holding a secret.
    struct SecretBytes;

    impl Serialize for SecretBytes {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_bytes(b"s3cr3t")
        }
    }

    fn problem<T: Serialize>(value: T, style: Style) -> (String, String) {
        match query(&One { t: value }, &[("t", style)]) {
            Err(RequestProblem::Parameter { name, reason }) => (name, reason),
            other => panic!("expected a parameter problem, got {other:?}"),
        }
    }

    #[test]
    fn what_cannot_be_written_is_an_error_naming_the_field_not_the_value() {
        let nested_filter = BTreeMap::from([("grid", vec![vec!["s3cr3t"]])]);
        let cases = [
            (problem(vec![vec!["s3cr3t"]], FORM), "t", "inside an array"),
            (
                problem(vec![vec!["s3cr3t"]], Style::PipeDelimited),
                "t",
                "inside an array",
            ),
            (
                problem(BTreeMap::from([("k", ["s3cr3t"])]), FORM),
                "t",
                "inside an object",
            ),
            (
                problem(nested_filter, Style::DeepObject),
                "t[grid]",
                "inside an array",
            ),
            (problem(SecretBytes, FORM), "t", "raw bytes"),
            (
                problem(BTreeMap::from([((1, 2), "s3cr3t")]), FORM),
                "t",
                "map key",
            ),
            (problem(Refuses, FORM), "t", "refused by its type"),
            (
                problem(Some(Refuses), Style::Json),
                "t",
                "refused by its type",
            ),
            (problem(f64::NAN, FORM), "t", "infinite or NaN"),
        ];
        for ((name, reason), expected_name, expected_reason) in cases {
            assert_eq!(name, expected_name, "{reason}");
            assert!(reason.contains(expected_reason), "{reason}");
            assert!(!reason.contains("s3cr3t"), "{reason}");
        }
    }

    #[test]
    fn parameters_must_be_a_struct_or_map() {
        assert!(matches!(
            query(&"s3cr3t", &[]),
            Err(RequestProblem::Other(reason)) if !reason.contains("s3cr3t")
        ));
        assert_eq!(query(&None::<Filter>, &[]).unwrap(), "");
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
    fn page_urls_carry_their_query_as_written_and_send_nothing() {
        #[derive(Serialize)]
        struct Authorize {
            response_type: &'static str,
            state: &'static str,
            scope: Option<&'static str>,
            filter: Filter,
            pipes: [&'static str; 2],
        }
        let base = Url::parse("https://account.example/api/oauth2?v=1").unwrap();
        let params = Authorize {
            response_type: "code",
            state: "a b+c",
            scope: None,
            filter: Filter {
                status: "open",
                owner: "x",
            },
            pipes: ["p", "q"],
        };
        let styles = [
            ("filter", Style::DeepObject),
            ("pipes", Style::PipeDelimited),
        ];
        let url = page_url(&base, &["authorize"], &params, &styles);
        assert_eq!(
            url.as_str(),
            "https://account.example/api/oauth2/authorize?v=1&response_type=code\
             &state=a%20b%2Bc&filter[status]=open&filter[owner]=x&pipes=p|q"
        );
        assert_eq!(
            try_page_url(&base, &["authorize"], &params, &styles).unwrap(),
            url
        );
    }

    #[test]
    fn a_page_url_whose_query_cannot_be_written_has_none() {
        let base = Url::parse("https://account.example/authorize").unwrap();
        let params = One { t: [f64::INFINITY] };
        assert_eq!(page_url(&base, &[], &params, &[]).as_str(), base.as_str());
        let problem = try_page_url(&base, &[], &params, &[]).unwrap_err();
        assert!(matches!(problem, RequestProblem::Parameter { name, .. } if name == "t"));
    }
}
