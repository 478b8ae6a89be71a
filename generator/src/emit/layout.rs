//! The last touch on printed source, which prettyplease leaves dense: doc comments reflowed
//! to [`WIDTH`] columns as Markdown that rustdoc and clippy read the way the spec meant, and a
//! blank line between items.
//!
//! Both work on the printed lines, where the indentation of every line is known; neither
//! changes code.

/// The column doc comments are wrapped at.
const WIDTH: usize = 100;

/// `source` with its doc comments reflowed and its items spaced out.
pub(crate) fn tidy(source: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len() + lines.len() / 4);
    let mut index = 0;
    while index < lines.len() {
        if let Some((indent, marker)) = doc_prefix(lines[index]) {
            let start = index;
            while index < lines.len() && doc_prefix(lines[index]) == Some((indent, marker)) {
                index += 1;
            }
            let texts: Vec<&str> = lines[start..index]
                .iter()
                .map(|line| doc_text(line, indent, marker))
                .collect();
            let prefix = format!("{}{marker}", " ".repeat(indent));
            let width = WIDTH.saturating_sub(prefix.len() + 1).max(40);
            for text in reflow(&texts, width) {
                out.push(if text.is_empty() {
                    prefix.clone()
                } else {
                    format!("{prefix} {text}")
                });
            }
        } else {
            out.push(lines[index].to_owned());
            index += 1;
        }
    }
    let mut spaced = String::with_capacity(source.len() + out.len() * 2);
    for (index, line) in out.iter().enumerate() {
        if index > 0 && needs_blank_line(&out[index - 1], line) {
            spaced.push('\n');
        }
        spaced.push_str(line);
        spaced.push('\n');
    }
    spaced
}

/// The indentation and marker (`///` or `//!`) of a doc comment line.
fn doc_prefix(line: &str) -> Option<(usize, &'static str)> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    ["///", "//!"]
        .into_iter()
        .find(|marker| trimmed.starts_with(marker) && !trimmed[marker.len()..].starts_with('/'))
        .map(|marker| (indent, marker))
}

/// The text of a doc line, without the one space after the marker.
fn doc_text<'l>(line: &'l str, indent: usize, marker: &str) -> &'l str {
    let text = &line[indent + marker.len()..];
    text.strip_prefix(' ').unwrap_or(text).trim_end()
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

/// Reflows the lines of one doc comment as Markdown: paragraphs and list items are wrapped at
/// `width`, list continuations indented under their item, and everything else (fenced code,
/// tables, headings, quotes) kept as it is. A fence without a language is marked `text`, so
/// rustdoc does not compile it as Rust.
pub(crate) fn reflow(lines: &[&str], width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if out.last().is_some_and(|last: &String| !last.is_empty()) {
                out.push(String::new());
            }
            index += 1;
        } else if let Some(fence) = fence_of(trimmed) {
            out.push(if trimmed.len() == fence.len() {
                format!("{fence}text")
            } else {
                trimmed.to_owned()
            });
            index += 1;
            while index < lines.len() {
                let inner = lines[index];
                index += 1;
                if inner.trim().starts_with(fence) {
                    out.push(inner.trim().to_owned());
                    break;
                }
                out.push(inner.trim_end().to_owned());
            }
        } else if is_verbatim(trimmed) {
            out.push(trimmed.to_owned());
            index += 1;
        } else {
            let item = list_marker(trimmed);
            let mut words: Vec<&str> = trimmed[item.map_or(0, str::len)..]
                .split_whitespace()
                .collect();
            index += 1;
            while index < lines.len() {
                let next = lines[index].trim();
                if next.is_empty()
                    || fence_of(next).is_some()
                    || is_verbatim(next)
                    || list_marker(next).is_some()
                {
                    break;
                }
                words.extend(next.split_whitespace());
                index += 1;
            }
            // Nested items keep up to a few columns of their indentation.
            let depth = if item.is_some() {
                (line.len() - line.trim_start().len()).min(6)
            } else {
                0
            };
            let first = format!("{}{}", " ".repeat(depth), item.unwrap_or_default());
            let rest = " ".repeat(first.len());
            out.extend(wrap(&words, width, &first, &rest));
        }
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// Greedy wrapping of `words` into lines of at most `width` columns (a longer word gets a
/// line of its own); the first line starts with `first`, the others with `rest`. A word that
/// Markdown would read as the start of a block never begins a line.
fn wrap(words: &[&str], width: usize, first: &str, rest: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = first.to_owned();
    let mut empty = true;
    for word in words {
        let fits = current.len() + 1 + word.len() <= width;
        if empty {
            current.push_str(word);
            empty = false;
        } else if fits || starts_block(word) {
            current.push(' ');
            current.push_str(word);
        } else {
            lines.push(std::mem::replace(&mut current, format!("{rest}{word}")));
        }
    }
    if !empty {
        lines.push(current);
    }
    lines
}

/// A list marker (`- `, `* `, `+ `, `1. `, `1) `) at the start of `line`, with its space.
fn list_marker(line: &str) -> Option<&str> {
    for bullet in ["- ", "* ", "+ "] {
        if line.starts_with(bullet) {
            return Some(&line[..2]);
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let after = line.get(digits..digits + 2)?;
    (digits > 0 && digits < 10 && (after == ". " || after == ") ")).then(|| &line[..digits + 2])
}

/// Whether a word at the start of a line would begin a Markdown block.
fn starts_block(word: &str) -> bool {
    matches!(word, "-" | "*" | "+" | ">" | "|" | "=")
        || word.starts_with('#')
        || word.starts_with("```")
        || word.starts_with("~~~")
        || list_marker(&format!("{word} ")).is_some()
        || word.chars().all(|c| c == '-' || c == '=')
}

fn fence_of(line: &str) -> Option<&'static str> {
    ["```", "~~~"]
        .into_iter()
        .find(|fence| line.starts_with(fence))
}

/// Lines kept exactly: tables, headings, quotes and horizontal rules.
fn is_verbatim(line: &str) -> bool {
    line.starts_with('|')
        || line.starts_with('#')
        || line.starts_with('>')
        || (line.len() >= 3 && line.chars().all(|c| matches!(c, '-' | '*' | '_' | ' ')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_rejoined_and_wrapped() {
        let lines = [
            "A description broken",
            "at odd places that",
            "reads as one paragraph.",
        ];
        assert_eq!(
            reflow(&lines, 30),
            [
                "A description broken at odd",
                "places that reads as one",
                "paragraph."
            ]
        );
    }

    #[test]
    fn list_items_continue_under_their_marker() {
        let lines = [
            "Values:",
            "",
            "* `open` - anyone with the link",
            "* `collaborators` - only people who are",
            "   collaborators on this item",
            "1. numbered and long enough to wrap",
        ];
        assert_eq!(
            reflow(&lines, 40),
            [
                "Values:",
                "",
                "* `open` - anyone with the link",
                "* `collaborators` - only people who are",
                "  collaborators on this item",
                "1. numbered and long enough to wrap",
            ]
        );
        assert_eq!(
            reflow(
                &["- a list item that is long enough to wrap twice over"],
                24
            ),
            [
                "- a list item that is",
                "  long enough to wrap",
                "  twice over"
            ]
        );
    }

    #[test]
    fn code_tables_and_headings_are_kept_and_bare_fences_are_text() {
        let lines = [
            "```",
            "  indented code",
            "```",
            "| a | b |",
            "# Title",
            "```json",
            "{}",
            "```",
        ];
        assert_eq!(
            reflow(&lines, 20),
            [
                "```text",
                "  indented code",
                "```",
                "| a | b |",
                "# Title",
                "```json",
                "{}",
                "```"
            ]
        );
    }

    #[test]
    fn a_wrapped_line_never_starts_a_markdown_block() {
        assert_eq!(
            reflow(&["costs 5 - 10 dollars"], 8),
            ["costs 5 -", "10", "dollars"]
        );
        assert_eq!(reflow(&["step one 2. then"], 9), ["step one 2.", "then"]);
    }

    #[test]
    fn indented_text_is_not_a_code_block() {
        assert_eq!(
            reflow(&["    not code, just indented"], 80),
            ["not code, just indented"]
        );
    }

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

    #[test]
    fn doc_comments_wrap_at_the_width_counting_indentation() {
        let long = "word ".repeat(30);
        let source = format!("    /// {long}\n    fn f() {{}}\n");
        let tidied = tidy(&source);
        assert!(tidied.lines().all(|line| line.len() <= WIDTH), "{tidied}");
        assert!(
            tidied
                .lines()
                .filter(|l| l.trim_start().starts_with("///"))
                .count()
                > 1
        );
    }
}
