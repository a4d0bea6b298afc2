//! Showing a pattern's first cycle, as ghci shows a Tidal pattern typed on
//! its own: one event per line, `(begin>end)|controls`.

use pattern_lang::{Budget, Event, Pattern, Span, Time, Value, ValueMap};

/// Events shown at most.
const MAX_SHOWN: usize = 64;

fn time(t: Time) -> String {
    if t.denom() == 1 {
        t.numer().to_string()
    } else {
        format!("{}/{}", t.numer(), t.denom())
    }
}

fn value(v: &Value) -> String {
    match v {
        Value::S(s) => format!("{s:?}"),
        Value::F(x) => format!("{x}f"),
        Value::N(x) => format!("{x}n"),
        Value::R(r) => time(*r),
        Value::I(i) => i.to_string(),
        Value::B(b) => b.to_string(),
        Value::Map(m) => map(m),
    }
}

fn map(m: &ValueMap) -> String {
    let parts: Vec<String> = m
        .iter()
        .map(|(k, v)| format!("{k}: {}", value(v)))
        .collect();
    parts.join(", ")
}

fn event(e: &Event<Value>) -> String {
    let (w, p) = (e.whole, e.part);
    let span = match w {
        Some(w) if w == p => format!("({}>{})", time(w.begin), time(w.end)),
        Some(w) => format!(
            "({}>{}-{}<{})",
            time(w.begin),
            time(p.begin),
            time(p.end),
            time(w.end)
        ),
        None => format!("~{}>{}~", time(p.begin), time(p.end)),
    };
    format!("{span}|{}", value(&e.value))
}

/// The events of cycle 0, one per line (or why there are none).
pub fn first_cycle(pattern: &Pattern<Value>) -> String {
    let span = Span::new(Time::int(0), Time::int(1));
    match pattern.query_span_with(span, &ValueMap::new(), &Budget::default()) {
        Ok(mut events) => {
            events.sort_by_key(|e| (e.part.begin, e.part.end));
            let mut lines: Vec<String> = events.iter().take(MAX_SHOWN).map(event).collect();
            if events.len() > MAX_SHOWN {
                lines.push(format!("... and {} more", events.len() - MAX_SHOWN));
            }
            if lines.is_empty() {
                lines.push("(no events in cycle 0)".to_string());
            }
            lines.join("\n")
        }
        Err(e) => format!("(cannot be queried: {e})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_events_like_ghci() {
        let (p, _) = pattern_lang::lang::pattern("s \"bd sn\" # n 1").unwrap();
        assert_eq!(
            first_cycle(&p),
            "(0>1/2)|n: 1n, s: \"bd\"\n(1/2>1)|n: 1n, s: \"sn\""
        );
    }
}
