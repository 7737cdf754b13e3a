//! HTML descriptions read as plain text: sanitised by ammonia to the
//! structure a description keeps (paragraphs, line breaks, lists, headings),
//! scripts and styles dropped with their content, then laid out as lines.
//!
//! html2text lays out any such structure, but it was half of an import's
//! reading in the profile of 2026-12-07 (BENCHMARKS.md). Most feeds'
//! descriptions are only paragraphs and line breaks, so those are laid out
//! here directly, exactly as html2text would (a test holds the two to the
//! same text); everything else still goes through html2text.

/// Wide enough that the text is never wrapped: the page wraps it.
const TEXT_WIDTH: usize = 100_000;

const ALLOWED_TAGS: [&str; 14] = [
    "p", "br", "ul", "ol", "li", "div", "h1", "h2", "h3", "h4", "strong", "em", "b", "i",
];

/// HTML reduced to plain text; text without markup keeps its own lines.
pub fn plain_text(html: &str) -> String {
    if !has_markup(html) && !html.contains('&') {
        return html.trim().to_string();
    }
    let safe = ammonia::Builder::empty()
        .tags(ALLOWED_TAGS.into())
        .clean(html)
        .to_string();
    let text = Paragraphs::lay_out(&safe).unwrap_or_else(|| rendered(safe));
    tidy(&text)
}

/// Whether a text holds markup at all.
fn has_markup(text: &str) -> bool {
    text.char_indices().any(|(i, c)| {
        c == '<' && text[i + 1..].starts_with(|n: char| n.is_ascii_alphabetic() || n == '/' || n == '!')
    })
}

fn rendered(safe: String) -> String {
    html2text::config::plain_no_decorate()
        .string_from_read(safe.as_bytes(), TEXT_WIDTH)
        .unwrap_or(safe)
}

/// Lines without trailing space, one blank line at most between paragraphs.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim_end) {
        if line.is_empty() && (out.is_empty() || out.ends_with("\n\n")) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim().to_string()
}

/// The layout of sanitised HTML that holds only paragraphs, line breaks,
/// emphasis and visible characters.
#[derive(Default)]
struct Paragraphs {
    text: String,
    /// White space met since the last word: one space, unless a line starts.
    space: bool,
    /// A blank line goes before the next thing shown.
    blank_line: bool,
    open: Option<Paragraph>,
}

/// A paragraph being read. html2text leaves out a paragraph with nothing
/// in it, but one with only a space or an empty `<b>` still separates.
struct Paragraph {
    filled: bool,
    /// Whether a blank line was due when it opened.
    blank_line_before: bool,
}

impl Paragraphs {
    /// The text, or `None` when the HTML holds more than this layout knows
    /// (lists, headings, blocks, other entities, invisible characters).
    fn lay_out(safe: &str) -> Option<String> {
        let mut layout = Self::default();
        let mut rest = safe;
        while let Some(c) = rest.chars().next() {
            if c == '<' {
                let end = rest.find('>')?;
                layout.tag(&rest[1..end])?;
                rest = &rest[end + 1..];
                continue;
            }
            let shown = if c == '&' {
                let end = rest.find(';')?;
                let decoded = entity(&rest[1..end])?;
                rest = &rest[end + 1..];
                decoded
            } else {
                rest = &rest[c.len_utf8()..];
                c
            };
            layout.character(shown)?;
        }
        Some(layout.text)
    }

    fn tag(&mut self, tag: &str) -> Option<()> {
        match tag {
            "p" => {
                self.open = Some(Paragraph {
                    filled: false,
                    blank_line_before: self.blank_line,
                });
                self.blank_line = true;
            }
            "/p" => {
                if let Some(p) = self.open.take() {
                    self.blank_line = p.filled || p.blank_line_before;
                }
            }
            "br" => {
                self.fill();
                self.start_block();
                self.text.push('\n');
                self.space = false;
            }
            "b" | "/b" | "i" | "/i" | "strong" | "/strong" | "em" | "/em" => self.fill(),
            _ => return None,
        }
        Some(())
    }

    fn character(&mut self, c: char) -> Option<()> {
        self.fill();
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C') {
            self.space = true;
            return Some(());
        }
        if invisible(c) {
            return None;
        }
        let line_starts = self.text.is_empty() || self.text.ends_with('\n');
        if !self.start_block() && self.space && !line_starts {
            self.text.push(' ');
        }
        self.space = false;
        self.text.push(c);
        Some(())
    }

    fn fill(&mut self) {
        if let Some(p) = self.open.as_mut() {
            p.filled = true;
        }
    }

    /// Puts the blank line that is due; whether there was one.
    fn start_block(&mut self) -> bool {
        let due = std::mem::take(&mut self.blank_line) && !self.text.is_empty();
        if due {
            self.text.push_str("\n\n");
        }
        due
    }
}

/// The entities that html5ever's serialiser writes in text.
fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        _ => None,
    }
}

/// Characters that html2text treats in ways of its own: other white space,
/// controls, and zero-width or formatting marks.
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202f}' | '\u{2060}'..='\u{206f}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_lines_without_markup_or_scripts() {
        let text = plain_text(
            "<p>Werk in het <strong>magazijn</strong> &amp; de winkel.</p><ul><li>24 uur</li><li>&euro; 14</li></ul><script>alert(1)</script>",
        );
        assert!(text.contains("Werk in het magazijn & de winkel."), "{text}");
        assert!(text.contains("24 uur") && text.contains("€ 14"), "{text}");
        assert!(!text.contains('<') && !text.contains("alert"), "{text}");
    }

    #[test]
    fn paragraphs_read_as_lines_with_a_blank_line_between() {
        assert_eq!(
            plain_text("<p>Je werkt  in de\nkeuken.<br>Vast rooster.</p><p>Bel ons &amp; kom langs.</p>"),
            "Je werkt in de keuken.\nVast rooster.\n\nBel ons & kom langs."
        );
    }

    /// A small xorshift: the same HTML on every run, without a crate.
    struct Pieces(u64);

    impl Pieces {
        fn next(&mut self, below: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % below as u64) as usize
        }
    }

    /// The direct layout gives what html2text gives, on generated HTML made
    /// of the pieces feeds are made of, sanitised as an import sanitises it.
    #[test]
    fn paragraphs_are_laid_out_as_html2text_lays_them_out() {
        let pieces = [
            "<p>",
            "</p>",
            "<br>",
            "<br/>",
            "<b>",
            "</b>",
            "<em>",
            "</em>",
            "<strong>",
            "</strong>",
            "<i>",
            "</i>",
            "<span>",
            "</span>",
            "<p class=a>",
            "<a href=x>link</a>",
            "<script>x</script>",
            "woord",
            "Café",
            "€ 14",
            "ë",
            "x.",
            ",",
            " ",
            "  ",
            "\n",
            "\t",
            "\r",
            "&amp;",
            "&lt;",
            "&gt;",
            "&quot;",
            "&#39;",
            "&euro;",
            "&nbsp;",
            "\u{2028}",
            "\u{200b}",
            "\u{ad}",
            "e\u{301}",
            "中文",
            "<ul><li>een</li></ul>",
            "<h2>kop</h2>",
        ];
        let mut generator = Pieces(0x9E37_79B9_7F4A_7C15);
        let mut laid_out = 0;
        for _ in 0..10_000 {
            let length = generator.next(25);
            let html: String = (0..length)
                .map(|_| pieces[generator.next(pieces.len())])
                .collect();
            let safe = ammonia::Builder::empty()
                .tags(ALLOWED_TAGS.into())
                .clean(&html)
                .to_string();
            if let Some(direct) = Paragraphs::lay_out(&safe) {
                laid_out += 1;
                assert_eq!(
                    tidy(&direct),
                    tidy(&rendered(safe.clone())),
                    "for {html:?}, sanitised {safe:?}"
                );
            }
        }
        // Most of the generated HTML takes the direct way, so the comparison
        // covers it.
        assert!(laid_out > 1_500, "only {laid_out} laid out directly");
    }
}
