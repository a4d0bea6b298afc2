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
        let line_no = source[..line_start].matches('\n').count() + 1;
        // A long line is shown as a window around the error, so a pasted
        // megabyte cannot flood the terminal.
        let (shown_start, before) = clip_left(source, line_start, start);
        let (shown_end, after) = clip_right(source, start, line_end);
        let line = format!("{before}{}{after}", &source[shown_start..shown_end]);
        let width = source[start..end.clamp(start, shown_end)]
            .chars()
            .count()
            .clamp(1, WINDOW);
        let gutter = if source.contains('\n') {
            format!("{line_no:>3} | ")
        } else {
            "  ".to_string()
        };
        let lead = display_width(before) + display_width(&source[shown_start..start]);
        let pad = " ".repeat(gutter.chars().count() + lead);
        format!(
            "{}\n{gutter}{line}\n{pad}{}",
            self.error(message),
            self.paint(RED, &"^".repeat(width))
        )
    }
}

/// Characters shown on each side of an error in a long line.
const WINDOW: usize = 60;
const ELLIPSIS: &str = "...";

/// Where the shown part of a line starts: at most `WINDOW` characters
/// before `at`, with an ellipsis when the line starts earlier.
fn clip_left(source: &str, line_start: usize, at: usize) -> (usize, &'static str) {
    match source[line_start..at].char_indices().rev().nth(WINDOW - 1) {
        Some((i, _)) if i > 0 => (line_start + i, ELLIPSIS),
        _ => (line_start, ""),
    }
}

/// Where the shown part of a line ends: at most `WINDOW` characters after
/// `at`, with an ellipsis when the line goes on.
fn clip_right(source: &str, at: usize, line_end: usize) -> (usize, &'static str) {
    match source[at..line_end].char_indices().nth(WINDOW) {
        Some((i, _)) => (at + i, ELLIPSIS),
        None => (line_end, ""),
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

    /// The lines of the error shown for `at` in `source`, without colour.
    fn shown(source: &str, at: (usize, usize), message: &str) -> Vec<String> {
        let out = Style { colour: false }.error_at(source, at, message);
        out.lines().map(str::to_string).collect()
    }

    #[test]
    fn caret_under_the_column() {
        let lines = shown("d1 $ s \"bd*[2\"", (11, 12), "unclosed [");
        assert_eq!(lines[0], "error: unclosed [");
        assert_eq!(lines[1], "  d1 $ s \"bd*[2\"");
        assert_eq!(lines[2], "             ^");
    }

    #[test]
    fn a_long_line_is_shown_around_the_error() {
        let src = format!(
            "d1 $ s \"{}x{}\"",
            "bd ".repeat(300_000),
            "é".repeat(300_000)
        );
        let at = 8 + 3 * 300_000;
        let out = Style { colour: false }.error_at(&src, (at, at + 1), "bad");
        assert!(out.len() < 500, "{} bytes", out.len());
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[1].starts_with("  ...") && lines[1].ends_with("..."));
        let caret = lines[2].find('^').unwrap();
        assert_eq!(lines[1].chars().nth(caret), Some('x'));
    }

    #[test]
    fn multi_line_sources_show_the_line() {
        let lines = shown("d1 $ s \"bd\"\n  # speeed 2", (16, 22), "unknown name");
        assert_eq!(lines[1], "  2 |   # speeed 2");
        assert_eq!(lines[2], "          ^^^^^^");
    }
}
