//! Property tests: the invariants every pattern keeps and the laws that
//! relate combinators, checked on random mini-notation patterns and spans.

use pattern_lang::core::concat::{fast_from_list, fastcat, stack, timecat};
use pattern_lang::mini::{self, Kind};
use pattern_lang::{Event, Pattern, Span, Time, Value};
use proptest::prelude::*;

/// Random mini-notation built from the whole syntax.
fn mini_string() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("bd".to_string()),
        Just("sn".to_string()),
        Just("hh:2".to_string()),
        Just("~".to_string()),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| format!("[{}]", v.join(" "))),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| format!("<{}>", v.join(" "))),
            prop::collection::vec(inner.clone(), 1..3).prop_map(|v| format!("[{}]", v.join(", "))),
            (prop::collection::vec(inner.clone(), 1..3), 1..5u32)
                .prop_map(|(v, n)| format!("[{{{}}}%{n}]", v.join(" "))),
            (inner.clone(), 1..4u32).prop_map(|(x, n)| format!("{x}*{n}")),
            (inner.clone(), 1..4u32).prop_map(|(x, n)| format!("{x}/{n}")),
            (inner.clone(), 1..5u32, 2..9u32, 0..3u32)
                .prop_map(|(x, k, n, r)| format!("{x}({k},{n},{r})")),
            inner.clone().prop_map(|x| format!("{x}?")),
            (inner.clone(), 2..4u32, inner.clone()).prop_map(|(x, n, y)| format!("[{x}@{n} {y}]")),
            (inner.clone(), 2..4u32, inner.clone()).prop_map(|(x, n, y)| format!("[{x}!{n} {y}]")),
            prop::collection::vec(inner.clone(), 2..3).prop_map(|v| format!("[{}]", v.join(" | "))),
            (inner.clone(), inner).prop_map(|(a, b)| format!("{a} {b}")),
        ]
    })
}

fn time() -> impl Strategy<Value = Time> {
    (-24i128..48, 1i128..7).prop_map(|(n, d)| Time::new(n, d).expect("small time"))
}

fn span() -> impl Strategy<Value = Span> {
    (time(), time()).prop_map(|(a, b)| {
        if a <= b {
            Span::new(a, b)
        } else {
            Span::new(b, a)
        }
    })
}

fn pattern(src: &str) -> Pattern<Value> {
    mini::parse(src, Kind::String).expect("generated mini-notation parses")
}

/// Events with fragments of the same event joined back together.
fn defragment(mut events: Vec<Event<Value>>) -> Vec<(Option<Span>, Span, String)> {
    events.sort_by_key(|a| a.part.begin);
    let mut out: Vec<(Option<Span>, Span, String)> = Vec::new();
    for e in events {
        let v = format!("{:?}", e.value);
        if let Some(prev) = out
            .iter_mut()
            .find(|(w, p, pv)| *w == e.whole && *pv == v && p.end == e.part.begin)
        {
            prev.1.end = e.part.end;
        } else {
            out.push((e.whole, e.part, v));
        }
    }
    out.sort_by(|a, b| (a.1, a.0, &a.2).cmp(&(b.1, b.0, &b.2)));
    out
}

fn sorted(events: Vec<Event<Value>>) -> Vec<(Option<Span>, Span, String)> {
    let mut v: Vec<_> = events
        .into_iter()
        .map(|e| (e.whole, e.part, format!("{:?}", e.value)))
        .collect();
    v.sort_by(|a, b| (a.1, a.0, &a.2).cmp(&(b.1, b.0, &b.2)));
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn parts_lie_inside_wholes_and_the_query(src in mini_string(), q in span()) {
        let events = pattern(&src).query_span(q).expect("query");
        // Tidal itself gives parts outside their wholes when an event that
        // crosses a cycle boundary sits inside a subdivided step (a slowed
        // `bd/2` or a rotated `bd(3,2,1)`; see tests/fixtures/tidal/extra.txt),
        // so that half is checked on patterns without them.
        let check_whole = !src.contains('/') && !src.contains(",1)") && !src.contains(",2)");
        for e in events {
            prop_assert!(e.part.begin <= e.part.end);
            prop_assert!(e.part.begin >= q.begin && e.part.end <= q.end, "{src}: part {:?} outside {:?}", e.part, q);
            if let (Some(w), true) = (e.whole, check_whole) {
                prop_assert!(w.begin <= e.part.begin && e.part.end <= w.end, "{src}: part {:?} outside whole {:?}", e.part, w);
            }
        }
    }

    #[test]
    fn splitting_a_query_gives_the_same_events(src in mini_string(), q in span(), cut in 0i128..=12) {
        let p = pattern(&src);
        let len = (q.end - q.begin).expect("len");
        let mid = (q.begin + (len * Time::new(cut, 12).expect("t")).expect("t")).expect("t");
        let whole = p.query_span(q).expect("query");
        let mut halves = p.query_span(Span::new(q.begin, mid)).expect("query");
        halves.extend(p.query_span(Span::new(mid, q.end)).expect("query"));
        // Zero-width fragments at the cut belong to neither side of a split.
        halves.retain(|e| e.part.begin < e.part.end || q.begin == q.end);
        let whole: Vec<_> = whole.into_iter().filter(|e| e.part.begin < e.part.end || q.begin == q.end).collect();
        prop_assert_eq!(defragment(whole), defragment(halves), "{}", src);
    }

    #[test]
    fn slow_undoes_fast(src in mini_string(), q in span(), n in 1i128..6, d in 1i128..4) {
        let p = pattern(&src);
        let r = Time::new(n, d).expect("rate");
        let there_and_back = p.fast_by(r).slow_by(r);
        prop_assert_eq!(sorted(there_and_back.query_span(q).expect("q")), sorted(p.query_span(q).expect("q")));
    }

    #[test]
    fn rev_twice_is_identity(src in mini_string(), q in span()) {
        // As in Tidal, rev mirrors a zero-width query at a cycle start onto
        // the next cycle's start, so the law holds for spans with length.
        prop_assume!(q.begin < q.end);
        let p = pattern(&src);
        prop_assert_eq!(
            defragment(p.rev().rev().query_span(q).expect("q")),
            defragment(p.split_queries().query_span(q).expect("q"))
        );
    }

    #[test]
    fn star_equals_fast(src in mini_string(), n in 1u32..5, q in span()) {
        let starred = pattern(&format!("[{src}]*{n}"));
        let fast = pattern(&src).fast_by(Time::int(n as i64));
        prop_assert_eq!(defragment(starred.query_span(q).expect("q")), defragment(fast.query_span(q).expect("q")));
    }

    /// `timeCat` as Tidal defines it: a stack of each pattern compressed
    /// into its share (weights may be negative, which overlaps the shares).
    #[test]
    fn timecat_equals_stacked_compressions(
        parts in prop::collection::vec((mini_string(), -2i128..5), 1..5),
        q in span(),
    ) {
        let weighted: Vec<(Time, Pattern<Value>)> = parts
            .iter()
            .map(|(src, w)| (Time::int(*w as i64), pattern(src)))
            .collect();
        let total = weighted.iter().fold(Time::ZERO, |a, (w, _)| (a + *w).expect("small"));
        prop_assume!(!total.is_zero());
        let mut begin = Time::ZERO;
        let mut layers = Vec::new();
        for (w, p) in &weighted {
            let end = (begin + *w).expect("small");
            let (b, e) = ((begin / total).expect("b"), (end / total).expect("e"));
            layers.push(p.compress(b, e));
            begin = end;
        }
        prop_assert_eq!(
            sorted(timecat(weighted).query_span(q).expect("q")),
            sorted(stack(layers).query_span(q).expect("q"))
        );
    }

    /// `fastFromList` is `fastcat` of `pure`s, at points too.
    #[test]
    fn fast_from_list_equals_fastcat_of_pures(n in 1usize..7, q in span(), t in time()) {
        let values: Vec<i64> = (0..n as i64).collect();
        let listed = fast_from_list(values.clone());
        let catted = fastcat(values.into_iter().map(Pattern::pure).collect());
        for span in [q, Span::new(t, t)] {
            prop_assert_eq!(
                format!("{:?}", listed.query_span(span).expect("q")),
                format!("{:?}", catted.query_span(span).expect("q"))
            );
        }
    }
}
