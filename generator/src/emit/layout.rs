//! The last touch on printed source, which prettyplease leaves dense: a blank line between
//! items. It works on the printed lines, where the indentation of every line is known, and
//! changes no code; doc text is already wrapped, by `markdown.rs`.

/// `source` with its items spaced out.
pub(crate) fn tidy(source: &str) -> String {
    let mut spaced = String::with_capacity(source.len() + source.len() / 16);
    let mut previous: Option<&str> = None;
    for line in source.lines() {
        if previous.is_some_and(|previous| needs_blank_line(previous, line)) {
            spaced.push('\n');
        }
        spaced.push_str(line);
        spaced.push('\n');
        previous = Some(line);
    }
    spaced
}

/// Whether a blank line goes between `previous` and `line`: after the end of an item, before
/// the next item at the same depth.
fn needs_blank_line(previous: &str, line: &str) -> bool {
    let depth = |text: &str| text.len() - text.trim_start().len();
    if previous.trim().is_empty() || depth(previous) != depth(line) {
        return false;
    }
    let (previous, line) = (previous.trim(), line.trim());
    // A module's own docs (`//!`) stand apart from its first item.
    if previous.starts_with("//!") {
        return !line.starts_with("//!") && starts_item(line);
    }
    if !starts_item(line) || previous.starts_with("//") {
        return false;
    }
    match previous {
        _ if previous.ends_with('}') || previous.ends_with("};") => true,
        _ if previous.ends_with(';') => {
            // Imports and module declarations stay grouped; anything else after them is apart.
            let kind = |text: &str| {
                let text = text.strip_prefix("pub ").unwrap_or(text);
                ["use ", "mod "]
                    .into_iter()
                    .find(|kind| text.starts_with(kind))
            };
            kind(previous).is_none() || kind(previous) != kind(line)
        }
        _ => false,
    }
}

/// Whether a (trimmed) line begins an item, its docs or its attributes.
fn starts_item(line: &str) -> bool {
    const STARTS: &[&str] = &[
        "///",
        "#[",
        "pub ",
        "pub(",
        "fn ",
        "async fn ",
        "impl ",
        "impl<",
        "struct ",
        "enum ",
        "type ",
        "const ",
        "static ",
        "mod ",
        "use ",
        "trait ",
        "unsafe ",
    ];
    STARTS.iter().any(|start| line.starts_with(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_spaced_out_but_imports_stay_together() {
        let source = "use a;\nuse b;\nmod c;\n/// Doc.\npub struct S {\n    x: u8,\n}\nimpl S {\n    fn a() {}\n    fn b() {\n        let x = 1;\n    }\n    fn c() {}\n}\n";
        assert_eq!(
            tidy(source),
            "use a;\nuse b;\n\nmod c;\n\n/// Doc.\npub struct S {\n    x: u8,\n}\n\nimpl S {\n    fn a() {}\n\n    fn b() {\n        let x = 1;\n    }\n\n    fn c() {}\n}\n"
        );
    }

    #[test]
    fn module_docs_stand_apart_from_the_first_item() {
        let source = "//! Module.\n//!\n//! More.\nuse a;\n";
        assert_eq!(tidy(source), "//! Module.\n//!\n//! More.\n\nuse a;\n");
    }

    #[test]
    fn items_ending_in_a_semicolon_are_spaced_out_too() {
        let source = "pub type A = B;\n/// Doc.\npub type C = D;\npub const E: F = F::new(\n    1,\n);\nconst G: u8 = 1;\n";
        assert_eq!(
            tidy(source),
            "pub type A = B;\n\n/// Doc.\npub type C = D;\n\npub const E: F = F::new(\n    1,\n);\n\nconst G: u8 = 1;\n"
        );
    }

    #[test]
    fn a_doc_comment_ending_in_a_brace_stays_on_its_item() {
        let source = "/// Text {}\npub type A = u8;\n";
        assert_eq!(tidy(source), source);
    }
}
