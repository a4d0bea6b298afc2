//! Error display: the message, the offending line, and a caret under the
//! exact column (coloured when printing to a terminal).

/// How to show errors.
#[derive(Clone, Copy)]
pub struct Style {
    pub colour: bool,
}

const RED: &str = "\x1b[1;31m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.colour {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    /// `error: message` alone.
    pub fn error(&self, message: &str) -> String {
        format!(
            "{} {}",
            self.paint(RED, "error:"),
            self.paint(BOLD, message)
        )
    }

    /// The message, then the line of `source` holding byte `at.0`, then
    /// carets under `at` (at least one).
    pub fn error_at(&self, source: &str, at: (usize, usize), message: &str) -> String {
        let start = floor_char(source, at.0.min(source.len()));
        let end = floor_char(source, at.1.clamp(start, source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let line = &source[line_start..line_end];
        let line_no = source[..line_start].matches('\n').count() + 1;
        let width = source[start..end.min(line_end)].chars().count().max(1);
        let gutter = if source.contains('\n') {
            format!("{line_no:>3} | ")
        } else {
            "  ".to_string()
        };
        let pad = " ".repeat(gutter.chars().count() + display_width(&line[..start - line_start]));
        format!(
            "{}\n{gutter}{line}\n{pad}{}",
            self.error(message),
            self.paint(RED, &"^".repeat(width))
        )
    }
}

/// Columns taken by `s` on a terminal (tabs count as one, like the caret).
fn display_width(s: &str) -> usize {
    s.chars().count()
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_under_the_column() {
        let s = Style { colour: false };
        let out = s.error_at("d1 $ s \"bd*[2\"", (11, 12), "unclosed [");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "error: unclosed [");
        assert_eq!(lines[1], "  d1 $ s \"bd*[2\"");
        assert_eq!(lines[2], "             ^");
    }

    #[test]
    fn multi_line_sources_show_the_line() {
        let s = Style { colour: false };
        let out = s.error_at("d1 $ s \"bd\"\n  # speeed 2", (16, 22), "unknown name");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[1], "  2 |   # speeed 2");
        assert_eq!(lines[2], "          ^^^^^^");
    }
}
