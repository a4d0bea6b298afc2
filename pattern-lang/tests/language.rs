//! The language's errors (syntax, types, arity, unknown names) each come
//! with the span they are about, never a panic; and every builtin documents
//! itself with an example that runs.

use pattern_lang::lang::builtins;
use pattern_lang::lang::{ErrorKind, LangError, Session, Val};
use pattern_lang::{Span, Time};

fn error(code: &str) -> LangError {
    match Session::new().pattern(code) {
        Ok(_) => panic!("{code} should be an error"),
        Err(e) => e,
    }
}

/// How many events `src` gives over the first cycle in session `s`
/// (`what`: what evaluating it shows).
fn events_in_first_cycle(s: &Session, src: &str, what: &str) -> usize {
    let (p, _) = s.pattern(src).expect(what);
    p.query_span(Span::new(Time::ZERO, Time::ONE))
        .expect("query")
        .len()
}

/// The text the error points at.
fn pointed<'a>(code: &'a str, e: &LangError) -> &'a str {
    &code[e.src.0..e.src.1.min(code.len())]
}

#[test]
fn unknown_names_point_at_the_name() {
    let code = "s \"bd\" # undefinedcontrol 3";
    let e = error(code);
    assert_eq!(e.kind, ErrorKind::UnknownName);
    assert_eq!(pointed(code, &e), "undefinedcontrol");
    let e = error("fsat 2 $ s \"bd\"");
    assert!(e.message.contains("did you mean 'fast'"), "{}", e.message);
}

#[test]
fn type_errors_say_what_was_expected_and_found() {
    let code = "fast $ s \"bd\"";
    let e = error(code);
    assert_eq!(e.kind, ErrorKind::Type);
    assert!(
        e.message.contains("Pattern Time") && e.message.contains("ControlPattern"),
        "{}",
        e.message
    );
    assert_eq!(pointed(code, &e), "s \"bd\"");

    let code = "s 3";
    let e = error(code);
    assert_eq!(e.kind, ErrorKind::Type);
    assert_eq!(pointed(code, &e), "3");

    let code = "n \"0 1\" # speed (s \"bd\")";
    let e = error(code);
    assert!(e.message.contains("Pattern Double"), "{}", e.message);
    assert_eq!(pointed(code, &e), "(s \"bd\")");

    let code = "every \"<2 3>\" 0.5 $ s \"bd\"";
    let e = error(code);
    assert_eq!(e.kind, ErrorKind::Type);
    assert_eq!(pointed(code, &e), "0.5");
}

#[test]
fn arity_errors_point_at_the_extra_argument() {
    let code = "rev (s \"bd\") (s \"sn\")";
    let e = error(code);
    assert_eq!(e.kind, ErrorKind::Type);
    assert!(e.message.contains("too many arguments"), "{}", e.message);
    assert_eq!(pointed(code, &e), "(s \"sn\")");

    // Too few: a function where a pattern is needed.
    let code = "fast 2";
    let e = error(code);
    assert_eq!(e.kind, ErrorKind::Type);
    assert!(
        e.message.contains("Pattern a -> Pattern a") || e.message.contains("->"),
        "{}",
        e.message
    );
}

#[test]
fn syntax_errors_point_at_the_column() {
    let code = "s \"bd\" # (speed 2";
    let e = error(code);
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert_eq!(e.column(code), 18);
    let code = "s \"bd [sn\"";
    let e = error(code);
    assert_eq!(e.kind, ErrorKind::MiniNotation);
    assert_eq!(e.column(code), 10, "{}", e.message);
}

#[test]
fn annotations_choose_the_pattern_type() {
    let s = Session::new();
    let (p, ty) = s
        .pattern("(\"1 2 3\" :: Pattern Double)")
        .expect("double pattern");
    assert_eq!(ty.to_string(), "Pattern Double");
    assert_eq!(
        p.query_span(Span::new(Time::ZERO, Time::ONE))
            .expect("query")
            .len(),
        3
    );
    assert!(s.pattern("(\"1 2.5\" :: Pattern Int)").is_err());
    assert!(s.pattern("(\"t f 1 0\" :: Pattern Bool)").is_ok());
    assert!(s.pattern("(\"c e g\" :: Pattern Note)").is_ok());
    assert!(s.pattern("(\"1%3 0.25 q\" :: Pattern Rational)").is_ok());
}

#[test]
fn session_definitions_are_kept() {
    let mut s = Session::new();
    s.define("beat", "s \"bd*2 sn\"").expect("define");
    assert_eq!(
        events_in_first_cycle(&s, "fast 2 beat # speed 2", "use the definition"),
        6
    );
    assert_eq!(
        events_in_first_cycle(
            &s,
            "every 2 (\\x -> x # crush 4) beat",
            "lambda sees the definition"
        ),
        3
    );
}

#[test]
fn definitions_are_polymorphic() {
    let mut s = Session::new();
    s.define("f", "fast 2").expect("define a function");
    s.define("g", "\\p -> p # speed 2")
        .expect("define a lambda");
    assert_eq!(
        events_in_first_cycle(&s, "f $ g $ s \"bd sn\"", "use them on a control pattern"),
        4
    );
    assert_eq!(
        events_in_first_cycle(&s, "n (f \"0 1\") # s \"arpy\"", "use f on a note pattern"),
        4
    );
}

#[test]
fn every_builtin_has_a_doc_and_an_example_that_runs() {
    let session = Session::new();
    let mut count = 0;
    for b in builtins::all() {
        count += 1;
        assert!(!b.doc.is_empty(), "{} has no doc", b.name);
        assert!(!b.example.is_empty(), "{} has no example", b.name);
        let _ = b.scheme();
        let value = match session.evaluate(&b.example, None) {
            Ok(v) => v.value,
            Err(e) => panic!("example of {}: {} -> {e}", b.name, b.example),
        };
        if let Val::Pat(p) = value {
            if let Err(e) = p.query_span(Span::new(Time::ZERO, Time::int(4))) {
                panic!("example of {} fails to query: {e}", b.name);
            }
        }
    }
    assert!(count > 400, "only {count} builtins");
}

/// `jux` with a constant amount takes both pan steps in one pass; it must
/// give exactly Tidal's definition, written out, even for events that
/// cross cycles and already have a pan.
#[test]
fn jux_equals_its_definition() {
    let p = "(slow 1.5 $ s \"bd sn/3 ~ hh*3\" # pan \"0.3 0.7\" # n \"<0 1.5>\")";
    let pairs = [
        (
            format!("jux rev $ {p}"),
            format!("stack [{p} |+ pan 0.5 |- pan 0.5, rev ({p} |+ pan 0.5 |+ pan 0.5)]"),
        ),
        (
            format!("juxBy 0.3 (fast 2) $ {p}"),
            format!("stack [{p} |+ pan 0.5 |- pan 0.15, fast 2 ({p} |+ pan 0.5 |+ pan 0.15)]"),
        ),
    ];
    for (short, long) in pairs {
        let a = Session::new().pattern(&short).expect("jux parses").0;
        let b = Session::new().pattern(&long).expect("definition parses").0;
        for (from, to) in [(0, 1), (0, 7), (-3, 2)] {
            for (x, y) in [(from, to), (from * 3 + 1, to * 3 + 2)] {
                let span = Span::new(Time::new(x, 3).unwrap(), Time::new(y, 3).unwrap());
                let show = |p: &pattern_lang::Pattern<pattern_lang::Value>| {
                    format!("{:?}", p.query_span(span).expect("query"))
                };
                assert_eq!(show(&a), show(&b), "{short} over {span:?}");
            }
        }
    }
}

/// Constant arguments take `tParam`'s short cut; the same numbers given as
/// patterns take the join. Both must agree, fragments included.
#[test]
fn whenmod_with_constant_arguments_equals_the_join() {
    let body = "(fast 2) $ s \"arpy*3 [bd sn]/3\" # n \"<0 2 4>\"";
    let a = Session::new()
        .pattern(&format!("whenmod 4 2 {body}"))
        .expect("parses")
        .0;
    let b = Session::new()
        .pattern(&format!("whenmod \"<4 4>\" \"<2 2>\" {body}"))
        .expect("parses")
        .0;
    for (x, y) in [(0, 12), (-5, 7), (1, 2), (7, 29), (4, 4)] {
        let span = Span::new(Time::new(x, 3).unwrap(), Time::new(y, 3).unwrap());
        assert_eq!(
            format!("{:?}", a.query_span(span).expect("query")),
            format!("{:?}", b.query_span(span).expect("query")),
            "over {span:?}"
        );
    }
}
