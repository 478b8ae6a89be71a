//! The one place where names from a spec become Rust identifiers.
//!
//! Every identifier the generator emits goes through here: case conversion (heck), characters
//! Rust does not allow, leading digits, keywords, and making names unique within a scope. The
//! names generated code defines itself in a scope the spec's names share (the `Client`'s
//! methods, an operation method's own arguments, an enum's `Unknown`) are listed here too, and
//! only here. Type names need no such list: in `types.rs`, where the spec's types are named,
//! generated code writes everything it uses from `std`, `serde` and the runtime by absolute
//! path, so no name a spec chooses can shadow it.

use std::collections::BTreeSet;

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Keywords that are valid as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Method names the generated `Client` already has, its own and its traits'.
pub(crate) const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "base_urls",
    "with_extra_headers",
    "send",
    "clone",
    "clone_from",
    "default",
    "fmt",
    "eq",
    "ne",
    "to_owned",
    "into",
    "from",
    "try_into",
    "try_from",
    "borrow",
    "borrow_mut",
    "type_id",
];

/// Names an operation method uses for its own arguments and locals, which a path parameter
/// must not take.
pub(crate) const FIXED_ARGUMENTS: &[&str] = &[
    "self",
    "params",
    "body",
    "query",
    "url",
    "request",
    "response",
    "form",
    "OPERATION",
];

/// `File--Mini` -> `FileMini`: a name for a struct, enum or enum variant.
pub(crate) fn type_name(raw: &str) -> String {
    let name = words(raw).to_upper_camel_case();
    finish(name, "Unnamed")
}

/// `box_subject_type` -> `box_subject_type`, `type` -> `r#type`: a name for a field, argument
/// or method.
pub(crate) fn value_name(raw: &str) -> String {
    let name = words(raw).to_snake_case();
    // `_1` would be a name of only underscores and digits, which reads as a placeholder.
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_digit() || c == '_') {
        return format!("n{name}");
    }
    finish(name, "value")
}

/// `request_access_token` -> `REQUEST_ACCESS_TOKEN`: the constant that stands for an
/// operation whose method has that name.
pub(crate) fn constant_name(method_name: &str) -> String {
    finish(unraw(method_name).to_shouty_snake_case(), "OPERATION")
}

/// `Metadata templates` -> `metadata-templates`: a cargo feature for the operations of a tag.
pub(crate) fn feature_name(tag: &str) -> String {
    let name = words(tag).to_kebab_case();
    if name.is_empty() {
        "tag".to_owned()
    } else {
        name
    }
}

/// The name without a raw-identifier prefix, as it appears on the wire when serde renames.
pub(crate) fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Characters that cannot be in an identifier separate words, so `grant-type:jwt` reads as
/// three words.
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

fn finish(name: String, fallback: &str) -> String {
    let name = if name.is_empty() {
        fallback.to_owned()
    } else {
        name
    };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    };
    if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else if NON_RAW_KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// Names a generated enum keeps for its own variants: the catch-all of values the spec does
/// not list.
pub(crate) const RESERVED_VARIANT_NAMES: &[&str] = &["Unknown"];

/// Method names a generated builder has besides its setters (`builder` too, as a type with no
/// required field is its own builder).
const BUILDER_METHODS: &[&str] = &["build", "builder"];

/// The setter of field `field` on a generated builder: the field's name, unless the builder
/// already has a method of that name.
pub(crate) fn setter_name(field: &str) -> String {
    if BUILDER_METHODS.contains(&unraw(field)) {
        format!("set_{}", unraw(field))
    } else {
        field.to_owned()
    }
}

/// Names `types.rs` gives its own items beside the spec's types (the serde helpers `present`
/// and `binary`, the module `optional` of builders' twins), which the module of a group of
/// types must not take.
pub(crate) const TYPES_HELPERS: &[&str] = &["binary", "optional", "present"];

/// `["files"]` -> `files`, `["files", "folders"]` -> `files_and_folders`, `["files", "folders",
/// "users"]` -> `files_and_2_more`: the module in `types.rs` of the types that exactly these
/// features reach (the first one named is the feature used first). Not yet unique: claim it in
/// a scope holding the type names and [`TYPES_HELPERS`].
pub(crate) fn group_name(features: &[&str]) -> String {
    match features {
        [] => value_name("always"),
        [one] => value_name(one),
        [first, second] => value_name(&format!("{first} and {second}")),
        [first, rest @ ..] => value_name(&format!("{first} and {} more", rest.len())),
    }
}

/// Crates whose names a generated crate must not take: the ones every Rust program may use.
const BUILT_IN_CRATES: &[&str] = &["std", "core", "alloc", "proc_macro", "test"];

/// Why `name` cannot be the package name of a generated crate, if it cannot: cargo takes
/// ASCII letters, digits, `-` and `_`, not starting with a digit, and the library's name
/// (with `-` as `_`) must be an identifier that is not a keyword or a built-in crate.
pub(crate) fn crate_name_problem(name: &str) -> Option<String> {
    let library = name.replace('-', "_");
    let problem = if name.is_empty() {
        "it is empty"
    } else if name.len() > 64 {
        "it is longer than 64 characters"
    } else if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Some(format!(
            "crate name `{name}` has `{c}`; use ASCII letters, digits, `-` and `_`"
        ));
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        "it starts with a digit"
    } else if RAW_KEYWORDS.contains(&library.as_str())
        || NON_RAW_KEYWORDS.contains(&library.as_str())
        || BUILT_IN_CRATES.contains(&library.as_str())
    {
        "it is a Rust keyword or the name of a built-in crate"
    } else {
        return None;
    };
    Some(format!("crate name `{name}` cannot be used: {problem}"))
}

/// A scope in which every name handed out is different from every other.
#[derive(Debug, Default, Clone)]
pub(crate) struct UniqueNames {
    taken: BTreeSet<String>,
}

impl UniqueNames {
    /// A scope in which `reserved` are already taken.
    pub(crate) fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    /// `name` if it is free, else `name2`, `name3`, ... (`Self_` gives `Self2`: a suffix
    /// replaces the underscore that only kept a keyword out); the result is then taken.
    pub(crate) fn claim(&mut self, name: String) -> String {
        let mut candidate = name.clone();
        let stem = unraw(&name).trim_end_matches('_');
        let mut counter = 2;
        while self.taken.contains(unraw(&candidate)) {
            candidate = format!("{stem}{counter}");
            counter += 1;
        }
        self.taken.insert(unraw(&candidate).to_owned());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        let cases = [
            ("File--Mini", "FileMini"),
            (
                "PostOAuth2Token--RefreshAccessToken",
                "PostOAuth2TokenRefreshAccessToken",
            ),
            ("OAuth2Error", "OAuth2Error"),
            ("access_token", "AccessToken"),
            (
                "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "UrnIetfParamsOauthGrantTypeJwtBearer",
            ),
            ("file.version", "FileVersion"),
            ("with spaces", "WithSpaces"),
            ("1.0", "_10"),
            ("-", "Unnamed"),
            ("", "Unnamed"),
            ("Self", "Self_"),
        ];
        for (raw, expected) in cases {
            assert_eq!(type_name(raw), expected, "type_name({raw:?})");
        }
    }

    #[test]
    fn value_names() {
        let cases = [
            ("box_subject_type", "box_subject_type"),
            ("expiresIn", "expires_in"),
            ("type", "r#type"),
            ("ref", "r#ref"),
            ("match", "r#match"),
            ("box", "r#box"),
            ("self", "self_"),
            ("crate", "crate_"),
            ("Self", "self_"),
            ("post_oauth2_token#refresh", "post_oauth2_token_refresh"),
            ("2fa code", "_2fa_code"),
            ("1", "n1"),
            ("2 3", "n2_3"),
            ("Authorize user", "authorize_user"),
            ("x-request-id", "x_request_id"),
        ];
        for (raw, expected) in cases {
            assert_eq!(value_name(raw), expected, "value_name({raw:?})");
        }
    }

    #[test]
    fn constant_names() {
        let cases = [
            ("request_access_token", "REQUEST_ACCESS_TOKEN"),
            ("r#type", "TYPE"),
            ("self_", "SELF"),
            ("_2fa_code", "_2FA_CODE"),
            ("n1", "N1"),
            ("get2", "GET2"),
        ];
        for (method, expected) in cases {
            assert_eq!(constant_name(method), expected, "constant_name({method:?})");
        }
    }

    #[test]
    fn group_names() {
        let cases: [(&[&str], &str); 5] = [
            (&["files"], "files"),
            (&["metadata-templates"], "metadata_templates"),
            (&["files", "folders"], "files_and_folders"),
            (&["files", "folders", "users", "admin"], "files_and_3_more"),
            (&["type"], "r#type"),
        ];
        for (features, expected) in cases {
            assert_eq!(group_name(features), expected, "group_name({features:?})");
        }
    }

    #[test]
    fn feature_names() {
        let cases = [
            ("Files", "files"),
            ("Metadata templates", "metadata-templates"),
            ("Sign requests (Beta)", "sign-requests-beta"),
            ("OAuth2", "o-auth2"),
            ("ünï", "n"),
            ("---", "tag"),
        ];
        for (tag, expected) in cases {
            assert_eq!(feature_name(tag), expected, "feature_name({tag:?})");
        }
    }

    #[test]
    fn crate_names() {
        for good in ["box-auth", "my_client2", "a"] {
            assert_eq!(crate_name_problem(good), None, "{good}");
        }
        for bad in ["", "my.client", "2fa", "fn", "self", "std", "a b", "é"] {
            assert!(crate_name_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn claimed_names_are_unique_and_respect_reservations() {
        let mut names = UniqueNames::with_reserved(&["String"]);
        assert_eq!(names.claim("String".into()), "String2");
        assert_eq!(names.claim("Token".into()), "Token");
        assert_eq!(names.claim("Token".into()), "Token2");
        assert_eq!(names.claim("Token".into()), "Token3");
        assert_eq!(names.claim("r#type".into()), "r#type");
        assert_eq!(names.claim("r#type".into()), "type2");
        assert_eq!(names.claim("Self_".into()), "Self_");
        assert_eq!(names.claim("Self_".into()), "Self2");
    }
}
