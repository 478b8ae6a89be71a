//! Doc text as Markdown, in one pass of pulldown-cmark: each block stays what it is (code is
//! code, a table a table), paragraphs and list items are rewrapped to end by column 100,
//! brackets rustdoc would read as a broken intra-doc link are escaped, and bare URLs become
//! links (`<https://...>`), which rustdoc would otherwise warn about and show as plain text.
//!
//! Parsing once is what keeps the two from disagreeing: text the parser calls code is never
//! escaped or wrapped, and a link it resolves (`[text](target)`, or a reference with its
//! definition) is kept as written. So the generator writes its own intra-doc links with a
//! target (`[the retry policy](RetryPolicy)`, with words rustdoc does not take for the same
//! path) and the spec's stray brackets (`filter[name]`) become text.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// The width doc text is wrapped at on a field, variant or method: after `    /// `, a line
/// ends by column 100.
pub(crate) const MEMBER_WIDTH: usize = 92;

/// The width doc text is wrapped at on an item or module (after `/// ` or `//! `).
pub(crate) const ITEM_WIDTH: usize = 96;

/// The lines of `text` as Markdown rustdoc reads the way the author meant, wrapped at `width`.
pub(crate) fn render(text: &str, width: usize) -> Vec<String> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut parser = Parser::new_ext(text, options).into_offset_iter();
    let events: Vec<(Event<'_>, Range<usize>)> = parser.by_ref().collect();
    let mut definitions: Vec<Range<usize>> = parser
        .reference_definitions()
        .iter()
        .map(|(_, definition)| definition.span.clone())
        .collect();
    definitions.sort_by_key(|span| span.start);
    let mut writer = Writer {
        text,
        insertions: insertions(text, &events),
        width,
        lines: Vec::new(),
        containers: Vec::new(),
        blank: false,
        run: None,
    };
    writer.events(&events);
    for span in definitions {
        writer.blank = true;
        let definition = writer.source(span);
        writer.line(definition.trim());
    }
    writer.lines
}

/// What goes into `text` before the byte at each offset, in order of offset: a backslash
/// before each bracket the parser read as plain text (not code, not link syntax, not already
/// escaped), and `<` and `>` around each bare URL in plain text.
fn insertions(text: &str, events: &[(Event<'_>, Range<usize>)]) -> Vec<(usize, &'static str)> {
    let mut at = Vec::new();
    for run in plain_text(events) {
        let urls = bare_urls(text, run.clone());
        for url in &urls {
            at.push((url.start, "<"));
            at.push((url.end, ">"));
        }
        let bytes = text.as_bytes();
        for index in run {
            let escaped = bytes[..index]
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count()
                % 2
                == 1;
            let in_url = urls.iter().any(|url| url.contains(&index));
            if matches!(bytes[index], b'[' | b']') && !escaped && !in_url {
                at.push((index, "\\"));
            }
        }
    }
    // A URL's `>` and a following `<` may share an offset; sorting is stable, so they keep
    // the order they were pushed in.
    at.sort_by_key(|&(index, _)| index);
    at.dedup();
    at
}

/// The source ranges of the text the parser read as plain text (outside code blocks and
/// links), pieces that touch joined: the parser splits text at characters that might have
/// been markup (`_`, `&`...), and a URL must be seen whole.
fn plain_text(events: &[(Event<'_>, Range<usize>)]) -> Vec<Range<usize>> {
    let mut in_code = false;
    let mut links = 0_usize;
    let mut runs: Vec<Range<usize>> = Vec::new();
    for (event, range) in events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Link { .. }) => links += 1,
            Event::End(TagEnd::Link) => links = links.saturating_sub(1),
            Event::Text(_) if !in_code && links == 0 => match runs.last_mut() {
                Some(last) if last.end == range.start => last.end = range.end,
                _ => runs.push(range.clone()),
            },
            _ => {}
        }
    }
    runs
}

/// The ranges of the `http://` and `https://` URLs in `text[run]`: up to a space, a quote,
/// an angle bracket or a square bracket, without the punctuation that ends a sentence or a
/// closing parenthesis the URL did not open.
fn bare_urls(text: &str, run: Range<usize>) -> Vec<Range<usize>> {
    let mut urls = Vec::new();
    let mut from = run.start;
    while let Some(found) = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| text[from..run.end].find(scheme))
        .min()
    {
        let start = from + found;
        let rest = &text[start..run.end];
        let length = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '[' | ']' | '`'))
            .unwrap_or(rest.len());
        let url = trim_url_end(&rest[..length]);
        let end = start + url.len();
        let word_before = text[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        if url.len() > "https://".len() && !word_before {
            urls.push(start..end);
        }
        from = start + length.max(1);
    }
    urls
}

/// `url` without what more likely ends the sentence around it: trailing `.,;:!?'` and `)`
/// beyond those the URL opened.
fn trim_url_end(mut url: &str) -> &str {
    loop {
        let opened = url.matches('(').count();
        let closed = url.matches(')').count();
        let trimmed = url
            .strip_suffix(['.', ',', ';', ':', '!', '?', '\'', '*', '_'])
            .or_else(|| (closed > opened).then(|| url.strip_suffix(')')).flatten());
        match trimmed {
            Some(shorter) => url = shorter,
            None => return url,
        }
    }
}

/// A list item or other block whose lines start with a marker, then with its indentation.
struct Container {
    first: String,
    rest: String,
    started: bool,
    /// Whether its text is in paragraphs (a loose list item), which blank lines separate.
    loose: bool,
}

/// Renders parsed events back to Markdown lines.
struct Writer<'t> {
    text: &'t str,
    insertions: Vec<(usize, &'static str)>,
    width: usize,
    lines: Vec<String>,
    containers: Vec<Container>,
    /// Whether a blank line goes before the next line written.
    blank: bool,
    /// The source of inline text not written yet.
    run: Option<Range<usize>>,
}

impl Writer<'_> {
    fn events(&mut self, events: &[(Event<'_>, Range<usize>)]) {
        let mut index = 0;
        while index < events.len() {
            let (event, range) = &events[index];
            index += 1;
            match event {
                Event::Start(Tag::Paragraph) => {
                    self.flush();
                    if let Some(container) = self.containers.last_mut() {
                        container.loose = true;
                    }
                }
                Event::End(TagEnd::Paragraph) => {
                    self.flush();
                    self.blank = true;
                }
                Event::Start(Tag::List(_)) => self.flush(),
                Event::End(TagEnd::List(_)) => {
                    self.flush();
                    self.blank = true;
                }
                Event::Start(Tag::Item) => {
                    self.flush();
                    self.item(range.start);
                }
                Event::End(TagEnd::Item) => self.end_item(),
                Event::Start(Tag::CodeBlock(kind)) => {
                    self.flush();
                    let content: String = events[index..]
                        .iter()
                        .take_while(|(event, _)| !matches!(event, Event::End(TagEnd::CodeBlock)))
                        .filter_map(|(event, _)| match event {
                            Event::Text(text) => Some(text.as_ref()),
                            _ => None,
                        })
                        .collect();
                    index = skip_block(events, index);
                    self.code_block(kind, &content);
                }
                Event::Start(_) if is_inline(event) => self.extend(range),
                Event::End(_) if is_inline(event) => self.extend(range),
                Event::Start(_) => {
                    self.flush();
                    index = skip_block(events, index);
                    self.verbatim(range.clone());
                }
                Event::Rule | Event::Html(_) | Event::DisplayMath(_) => {
                    self.flush();
                    self.verbatim(range.clone());
                }
                Event::End(_) => self.flush(),
                _ => self.extend(range),
            }
        }
        self.flush();
    }

    /// Starts a list item, marked as its source is (`-`, `*`, `1.`, `2)`...).
    fn item(&mut self, start: usize) {
        let marker = self.text[start..]
            .split_whitespace()
            .next()
            .unwrap_or("-")
            .to_owned();
        let first = format!("{marker} ");
        self.containers.push(Container {
            rest: " ".repeat(first.len()),
            first,
            started: false,
            loose: false,
        });
    }

    fn end_item(&mut self) {
        self.flush();
        if self.containers.last().is_some_and(|item| !item.started) {
            self.line("");
        }
        if let Some(item) = self.containers.pop() {
            // Items of a tight list follow each other without a blank line.
            if !item.loose {
                self.blank = false;
            }
        }
    }

    fn extend(&mut self, range: &Range<usize>) {
        self.run = Some(match self.run.take() {
            Some(run) => run.start.min(range.start)..run.end.max(range.end),
            None => range.clone(),
        });
    }

    /// Writes the inline text gathered so far, wrapped.
    fn flush(&mut self) {
        let Some(run) = self.run.take() else {
            return;
        };
        let source = self.source(run);
        let mut current = String::new();
        for word in source.split_whitespace() {
            let fits = self.prefix_len() + current.len() + 1 + word.len() <= self.width;
            if current.is_empty() {
                current.push_str(word);
            } else if fits || starts_block(word) {
                current.push(' ');
                current.push_str(word);
            } else {
                self.line(&current);
                current = word.to_owned();
            }
        }
        if !current.is_empty() {
            self.line(&current);
        }
    }

    /// A fenced code block; a fence without a language, or an indented block, is marked
    /// `text`, so rustdoc does not compile it as Rust.
    fn code_block(&mut self, kind: &CodeBlockKind<'_>, content: &str) {
        let info = match kind {
            CodeBlockKind::Fenced(info) if !info.trim().is_empty() => info.trim(),
            _ => "text",
        };
        let longest = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest.max(2) + 1);
        self.line(&format!("{fence}{info}"));
        for line in content.lines() {
            self.line(line);
        }
        self.line(&fence);
        self.blank = true;
    }

    /// A block kept line by line as written (a table, heading, quote or HTML), its brackets
    /// escaped.
    fn verbatim(&mut self, range: Range<usize>) {
        let source = self.source(range);
        for line in source.lines() {
            self.line(line.trim());
        }
        self.blank = true;
    }

    /// The source in `range`, with its [`insertions`]: escaped brackets, bare URLs as links.
    /// A `>` that closes a URL at the end of the range is in it.
    fn source(&self, range: Range<usize>) -> String {
        let start = self.insertions.partition_point(|&(at, _)| at < range.start);
        let mut out = String::with_capacity(range.len() + 4);
        let mut from = range.start;
        for &(at, inserted) in self.insertions[start..]
            .iter()
            .take_while(|&&(at, inserted)| at < range.end || (at == range.end && inserted == ">"))
            .filter(|&&(at, inserted)| at > range.start || inserted != ">")
        {
            out.push_str(&self.text[from..at]);
            out.push_str(inserted);
            from = at;
        }
        out.push_str(&self.text[from..range.end]);
        out
    }

    fn prefix_len(&self) -> usize {
        self.containers.iter().map(|c| c.rest.len()).sum()
    }

    /// Writes one line after the markers or indentation of the blocks it is in (and the blank
    /// line due before it).
    fn line(&mut self, body: &str) {
        if self.blank && !self.lines.is_empty() {
            let indent: String = self.containers.iter().map(|c| c.rest.as_str()).collect();
            self.lines.push(indent.trim_end().to_owned());
        }
        self.blank = false;
        let mut line = String::new();
        for container in &mut self.containers {
            line.push_str(if container.started {
                &container.rest
            } else {
                &container.first
            });
            container.started = true;
        }
        line.push_str(body);
        self.lines.push(line.trim_end().to_owned());
    }
}

/// Whether `event` opens or closes inline markup (emphasis, a link...), part of a paragraph.
fn is_inline(event: &Event<'_>) -> bool {
    match event {
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(tag) => matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        _ => false,
    }
}

/// The index after the end of the block whose start was just before `index`.
fn skip_block(events: &[(Event<'_>, Range<usize>)], mut index: usize) -> usize {
    let mut depth = 1_usize;
    while index < events.len() && depth > 0 {
        match events[index].0 {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            _ => {}
        }
        index += 1;
    }
    index
}

/// Whether a word at the start of a line would begin a Markdown block, so wrapping never puts
/// it there.
fn starts_block(word: &str) -> bool {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    matches!(word, "-" | "*" | "+" | ">" | "|" | "=")
        || word.starts_with('#')
        || word.starts_with("```")
        || word.starts_with("~~~")
        // An HTML tag may start a block; a link to a URL (`<https://...>`) may not.
        || (word.starts_with('<') && !word.starts_with("<http"))
        || (digits > 0 && matches!(&word[digits..], "." | ")"))
        || word.chars().all(|c| c == '-' || c == '=')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, width: usize, expected: &[&str]) {
        assert_eq!(render(text, width), expected, "{text:?}");
    }

    #[test]
    fn paragraphs_are_rejoined_and_wrapped() {
        check(
            "A description broken\nat odd places that\nreads as one paragraph.\n\nAnother.",
            30,
            &[
                "A description broken at odd",
                "places that reads as one",
                "paragraph.",
                "",
                "Another.",
            ],
        );
    }

    #[test]
    fn list_items_continue_under_their_marker() {
        check(
            "Values:\n\n* `open` - anyone with the link\n* `collaborators` - only people who \
             are\n   collaborators on this item\n   - nested\n1. numbered",
            40,
            &[
                "Values:",
                "",
                "* `open` - anyone with the link",
                "* `collaborators` - only people who are",
                "  collaborators on this item",
                "  - nested",
                "",
                "1. numbered",
            ],
        );
    }

    #[test]
    fn loose_list_items_keep_their_blank_lines() {
        check("- one\n\n- two", 40, &["- one", "", "- two"]);
    }

    #[test]
    fn brackets_are_escaped_outside_links_and_code() {
        check(
            "filter[name]=x, `a[0]`, [`Client`](crate::Client), [docs][d], \\[kept\\] and \
             [`Unknown`]\n\n[d]: https://example.com",
            200,
            &[
                "filter\\[name\\]=x, `a[0]`, [`Client`](crate::Client), [docs][d], \\[kept\\] and \
                 \\[`Unknown`\\]",
                "",
                "[d]: https://example.com",
            ],
        );
    }

    #[test]
    fn code_is_kept_and_bare_or_indented_code_is_text() {
        check(
            "```\n  a[0] and a long line\n```\n\n~~~json\n{\"a\": [1]}\n~~~\n\nText:\n\n    \
             indented[1]",
            10,
            &[
                "```text",
                "  a[0] and a long line",
                "```",
                "",
                "```json",
                "{\"a\": [1]}",
                "```",
                "",
                "Text:",
                "",
                "```text",
                "indented[1]",
                "```",
            ],
        );
    }

    #[test]
    fn a_fence_is_longer_than_any_backticks_inside() {
        check("~~~\n```rust\n~~~", 80, &["````text", "```rust", "````"]);
    }

    #[test]
    fn tables_headings_and_quotes_are_kept_with_brackets_escaped() {
        check(
            "# Title [x]\n\n| a | b[1] |\n|---|---|\n| `c[2]` | d |\n\n> quoted\n> text",
            10,
            &[
                "# Title \\[x\\]",
                "",
                "| a | b\\[1\\] |",
                "|---|---|",
                "| `c[2]` | d |",
                "",
                "> quoted",
                "> text",
            ],
        );
    }

    #[test]
    fn a_wrapped_line_never_starts_a_markdown_block() {
        check("costs 5 - 10 dollars", 8, &["costs 5 -", "10", "dollars"]);
        check("step one 2. then", 9, &["step one 2.", "then"]);
        check("a # b", 1, &["a #", "b"]);
    }

    #[test]
    fn bare_urls_become_links_and_written_links_are_kept() {
        check(
            "See https://developer.box.com/guides/api_calls/ (or http://x.io/a_(b)), \
             <https://kept.example>, [text](https://linked.example) and `https://code.example`.",
            200,
            &[
                "See <https://developer.box.com/guides/api_calls/> (or <http://x.io/a_(b)>), \
               <https://kept.example>, [text](https://linked.example) and `https://code.example`.",
            ],
        );
        check(
            "At https://a.example/x?y=1&z=[2]. Then xhttps://no.example and https:// alone.",
            200,
            &["At <https://a.example/x?y=1&z=>\\[2\\]. Then xhttps://no.example and https:// alone."],
        );
        check(
            "| https://t.example |\n|---|",
            200,
            &["| <https://t.example> |", "|---|"],
        );
    }

    #[test]
    fn a_bare_url_wrapped_at_the_end_of_a_line_stays_whole() {
        check(
            "one two https://example.com/long/path three",
            20,
            &["one two", "<https://example.com/long/path>", "three"],
        );
    }

    #[test]
    fn indented_continuation_lines_are_one_paragraph() {
        check("first line\n    continued", 80, &["first line continued"]);
    }
}
