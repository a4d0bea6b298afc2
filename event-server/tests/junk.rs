//! Robustness: whatever is typed, the performance goes on. While `d1` plays
//! into a UDP recorder, thousands of lines of junk go into the real binary's
//! stdin (random bytes and unicode, token soup, ill-typed and absurd
//! statements, megabyte lines, deep nesting, recursive definitions, runaway
//! patterns). Every one of d1's onsets must arrive, before its timetag and
//! on the exact grid; every junk line must get its own error; the process
//! must live on and obey the valid lines that follow.

mod support;

use std::time::Instant;

use support::{sleep, Play, Receiver, Server};

const CPS: f64 = 1.0;
/// Generous, so that a loaded 2-core machine still sends everything in time.
const LATENCY: f64 = 0.3;
const FRAME: f64 = 0.05;
/// d1 plays `bd*8`: one onset every eighth of a cycle.
const STEP: f64 = 0.125;
/// The scheduler's per-slot cap at this frame (5000 events a second).
const SLOT_CAP_PER_FRAME: usize = 250;

/// The server, playing `bd*8` in d1 into `rx`.
fn start_with_d1(rx: &Receiver) -> Server {
    let mut server = Server::start(
        &rx.target(),
        &[
            "--cps",
            "1",
            "--latency",
            &LATENCY.to_string(),
            "--frame",
            &FRAME.to_string(),
        ],
    );
    server.say(r#"d1 $ s "bd*8""#);
    rx.wait_for("d1 to play", 10.0, |p| p.len() >= 8);
    server
}

/// A tiny deterministic generator (xorshift64*), so every run sends the same junk.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Statements a junk line must never be: they would legitimately change
/// d1, the tempo, or the reading of lines (a `:{` block, `:quit`).
fn harmless(line: &str) -> bool {
    let t = line.trim_start();
    let word: String = t
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    !t.starts_with(':')
        && !t.starts_with("--")
        && !t.trim().is_empty()
        && !matches!(
            word.as_str(),
            "d1" | "hush"
                | "silence"
                | "resetCycles"
                | "solo"
                | "unsolo"
                | "mute"
                | "unmute"
                | "setcps"
                | "setbpm"
                | "p"
                | "import"
        )
}

/// Random bytes: control characters, invalid UTF-8, anything but a newline.
fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let n = 1 + rng.below(200);
    (0..n)
        .map(|_| match rng.next() as u8 {
            b'\n' => b'\r',
            b => b,
        })
        .collect()
}

/// Random text from awkward unicode: combining marks, right-to-left, wide,
/// zero-width, emoji, quotes and brackets.
fn random_unicode(rng: &mut Rng) -> String {
    const CHARS: &[char] = &[
        'é', '\u{301}', '\u{200b}', '\u{200f}', '\u{202e}', 'ש', 'ع', '漢', '字', '🥁', '🎹',
        '\u{fe0f}', '\u{feff}', 'ß', 'ﬁ', '"', '(', ']', '<', '~', '$', '#', '\t', ' ', 'x',
        '\u{0}', '\u{7f}', '\u{1b}',
    ];
    let n = 1 + rng.below(80);
    (0..n).map(|_| *rng.pick(CHARS)).collect()
}

/// Tidal-flavoured token soup: unbalanced brackets, operators in odd
/// places, wrong types, names that do not exist. It always has an unknown
/// name outside any string, so it can never be a valid statement.
fn token_soup(rng: &mut Rng) -> String {
    const TOKENS: &[&str] = &[
        "fast",
        "slow",
        "s",
        "n",
        "#",
        "$",
        "(",
        ")",
        "[",
        "]",
        "\"bd",
        "sn\"",
        "\"",
        "<~",
        "~>",
        "+",
        "|+|",
        "*",
        "every",
        "2",
        "0.25",
        "-1",
        "1e9",
        "\\x",
        "->",
        "x",
        "let",
        "in",
        "=",
        "::",
        "..",
        ",",
        "sound",
        "speed",
        "rev",
        "\"bd*2 [sn cp]\"",
        "(# speed 2)",
        "jux",
        "sometimesBy",
        "\"<0 2>\"",
        "'",
        "`",
        "{",
        "}",
        "%",
        "!",
        "?",
        "@",
        "_",
        ".",
    ];
    const STARTS: &[&str] = &["d2 $ ", "d7 $ ", "once $ ", "", "let q = "];
    let mut line = rng.pick(STARTS).to_string();
    let n = 1 + rng.below(25);
    let unknown = rng.below(n);
    let mut quotes = 0;
    for i in 0..n {
        if i == unknown && quotes % 2 == 0 {
            line.push_str(&format!("zzq{} ", rng.below(1000)));
        }
        let t = rng.pick(TOKENS);
        quotes += t.matches('"').count();
        line.push_str(t);
        line.push(' ');
    }
    if quotes % 2 == 0 && !line.contains("zzq") {
        line.push_str(" zzq");
    }
    line
}

/// Statements that are wrong on purpose: ill-typed, unknown names, absurd
/// values, recursion, broken mini-notation. Every one must be refused.
const CURATED: &[&str] = &[
    r#"d1 $ fast "bd" $ s 1"#,
    r#"d2 $ s "bd*1e12""#,
    r#"d2 $ fast 1e9 $ s "bd""#,
    r#"d2 $ s "bd(3,1e9)""#,
    "setcps (-1)",
    "setcps 0",
    "setcps 1e9",
    "setcps (1/0)",
    "setbpm 1e12",
    "setcps \"fast\"",
    r#"d2 $ s "bd" # cpz 2"#,
    r#"d2 $ sound "bd" # speed "1 2" # vowel 3"#,
    r#"d2 $ s "bd*[2""#,
    r#"d2 $ s "bd <sn""#,
    r#"d2 $ s "bd(3,8,""#,
    r#"d2 $ s "bd" # n "1 .. ""#,
    r#"d2 $ (# speed 2)"#,
    "d2 $",
    "d17 $ s \"bd\"",
    "d0 $ s \"bd\"",
    "let f = f",
    "let g x = g x",
    "let y f = f (y f)",
    "let 3 = 4",
    "let = s \"bd\"",
    r#"d2 $ let r = r in r"#,
    r#"d2 $ (\x -> x x) (\x -> x x)"#,
    "zzzunknown",
    "d2 $ zzz \"bd\"",
    ":t zzznothing",
    ":help zzznothing",
    "once $ s",
    "(((",
    ")))",
    "\"unterminated",
];

/// Odd lines that are valid (as in Tidal): taken without complaint, and
/// playing in d2 if anything.
const ODD_BUT_VALID: &[&str] = &[
    r#"d2 $ slow 0 $ s "x""#,
    r#"d2 $ every 0 (fast 2) $ s "bd""#,
    r#"d2 $ s "bd" + 1"#,
    "d2 $ 1",
    r#"d2 $ s "bd? sn?0.x""#,
    r#"d2 $ n "c'nochord""#,
    r#"d2 $ s "bd*100000""#,
    r#"d2 $ fast 100000 $ s "bd""#,
    // tempos no clock can keep: ignored with a warning, d1's tempo unchanged
    r#"d2 $ s "bd" # cps 1e9"#,
    r#"d2 $ s "bd*4" # cps "-1 0 1e12 101""#,
    "d2 silence",
];

/// Lines of about a megabyte, each an error.
fn huge_lines() -> Vec<String> {
    const MB: usize = 1 << 20;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut noise: Vec<u8> = (0..MB)
        .map(|_| b' ' + (rng.next() % 95) as u8) // printable ASCII
        .collect();
    noise[0] = b'#'; // never a statement word or a `:` command
    vec![
        String::from_utf8(noise).unwrap(),
        format!("d2 $ s \"{}", "bd sn ".repeat(MB / 6)),
        format!("d2 $ {}s \"bd\"", "fast 2 $ ".repeat(MB / 9)),
        format!("d2 $ {}", "(".repeat(MB)),
        format!("d2 $ s \"{}bd{}\"", "[".repeat(MB / 2), "]".repeat(MB / 2)),
        format!("d2 $ s \"bd\" {}", "# speed 1 ".repeat(MB / 10)),
        format!("setcps {}", "(".repeat(MB)),
    ]
}

/// Deep nesting of every bracket the language and mini-notation have, each
/// deeper than allowed (64 levels in the language and in mini-notation).
fn deep_lines() -> Vec<String> {
    let mut out = Vec::new();
    for n in [65, 100, 1000, 100_000] {
        let m = n;
        out.push(format!("d2 $ {}s \"bd\"{}", "(".repeat(n), ")".repeat(n)));
        out.push(format!("d2 $ s {}\"bd\"{}", "[".repeat(n), "]".repeat(n)));
        out.push(format!("d2 $ s \"{}bd{}\"", "[".repeat(m), "]".repeat(m)));
        out.push(format!("d2 $ s \"{}bd{}\"", "<".repeat(m), ">".repeat(m)));
        out.push(format!("d2 $ s \"{}bd{}\"", "{".repeat(m), "}".repeat(m)));
        out.push(format!("setcps {}1", "-".repeat(2 * m + 1)));
    }
    out
}

/// The junk, in a fixed order, every kind spread through the run; each
/// line with whether it must be refused.
fn junk(count: usize) -> Vec<(Vec<u8>, bool)> {
    let mut rng = Rng(0x0571_4a70_2026_0008);
    let refused = CURATED
        .iter()
        .map(|s| s.to_string())
        .chain(deep_lines())
        .chain(huge_lines())
        .map(|s| (s.into_bytes(), true));
    let accepted = ODD_BUT_VALID.iter().map(|s| (s.as_bytes().to_vec(), false));
    let mut special: Vec<(Vec<u8>, bool)> = refused.chain(accepted).collect();
    special.reverse();
    let every = count / (special.len() + 1);
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        if out.len() % every == every - 1 {
            if let Some(line) = special.pop() {
                out.push(line);
                continue;
            }
        }
        let line = match rng.below(3) {
            0 => random_bytes(&mut rng),
            1 => random_unicode(&mut rng).into_bytes(),
            _ => token_soup(&mut rng).into_bytes(),
        };
        // as the REPL will read it
        let text = String::from_utf8_lossy(&line).into_owned();
        if harmless(&text) {
            out.push((line, true));
        }
    }
    out.extend(special.into_iter().rev());
    out
}

/// Plays `cp` in d3 and waits for it, then hushes and ends the input:
/// every play received, and what the server said.
fn d3_works_then_hush(mut server: Server, rx: &Receiver) -> (Vec<Play>, String) {
    server.say(r#"d3 $ s "cp""#);
    rx.wait_for("d3 to play", 10.0, |p| {
        p.iter().any(|p| p.string("_id_") == "3")
    });
    server.say("hush");
    sleep(LATENCY + FRAME + 0.3);
    let all = rx.plays();
    (all, server.finish())
}

/// d1's plays, in timetag order.
fn d1_plays(rx: &Receiver) -> Vec<Play> {
    let mut plays: Vec<Play> = rx
        .plays()
        .into_iter()
        .filter(|p| p.string("_id_") == "1")
        .collect();
    plays.sort_by_key(|p| p.ntp);
    plays
}

fn now_ntp() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        + 2_208_988_800.0
}

/// Checks that `plays` (one slot's, in order) are an unbroken `bd*8` grid:
/// every eighth of a cycle, timetags exactly `STEP / CPS` apart, each sent
/// before its timetag. Returns (largest spacing error in s, least headroom in s).
fn unbroken(plays: &[Play]) -> (f64, f64) {
    assert!(plays.len() >= 2);
    let mut worst_gap = 0f64;
    for w in plays.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        assert_eq!(
            b.float("cycle") - a.float("cycle"),
            STEP as f32,
            "d1 missed an onset: cycle {} then {}",
            a.float("cycle"),
            b.float("cycle")
        );
        let gap = (b.ntp - a.ntp) as f64 / 4_294_967_296.0;
        worst_gap = worst_gap.max((gap - STEP / CPS).abs());
        assert!(
            (gap - STEP / CPS).abs() < 1e-6,
            "timetags {gap} s apart at cycle {}, want {} s",
            a.float("cycle"),
            STEP / CPS
        );
    }
    let mut headroom = f64::MAX;
    for p in plays {
        assert_eq!(p.string("s"), "bd");
        assert_eq!(p.float("cps"), CPS as f32, "the tempo never changed");
        let h = p.seconds() - p.arrived_ntp;
        assert!(
            h > 0.0,
            "d1 at cycle {} arrived {} s late",
            p.float("cycle"),
            -h
        );
        headroom = headroom.min(h);
    }
    (worst_gap, headroom)
}

#[test]
fn junk_on_stdin_never_interrupts_d1() {
    let rx = Receiver::new();
    let mut server = start_with_d1(&rx);
    // a runaway in d2 keeps the scheduler busy throughout
    server.say(r#"d2 $ s "bd*20000""#);

    let lines = junk(5000);
    let bytes: usize = lines.iter().map(|(l, _)| l.len()).sum();
    let started = Instant::now();
    let junk_from = now_ntp();
    for (i, (line, _)) in lines.iter().enumerate() {
        server.say_bytes(line);
        // each junk line is followed by a marker, itself an error, so that
        // each junk line's own error can be found between two markers
        server.say(&format!(":mark {i}"));
    }
    server.say(":mark end");
    let all = server.wait_stderr("  :mark end\n", 90.0);
    let junk_secs = started.elapsed().as_secs_f64();
    let junk_until = now_ntp();
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server died"
    );

    // every junk line has its error, between its marker and the one before
    let mut from = 0;
    let mut carets = 0;
    let mut refused = 0;
    for (i, (line, must_fail)) in lines.iter().enumerate() {
        let marker = format!("\n  :mark {i}\n");
        let at = all[from..]
            .find(&marker)
            .map(|k| from + k)
            .unwrap_or_else(|| panic!("no marker {i}"));
        // the junk line's error, then the marker's own
        let segment = &all[from..at];
        let own = segment
            .rfind("error: :mark is not a command")
            .expect("the marker's error");
        let segment = &segment[..own];
        let shown = || String::from_utf8_lossy(&line[..line.len().min(200)]).into_owned();
        if !must_fail {
            assert!(!segment.contains("error:"), "{}: {segment}", shown());
        } else {
            assert!(
                segment.contains("error:"),
                "junk line {i} got no error: {:?}\n(stderr between markers: {:?})",
                shown(),
                &segment[..segment.len().min(2000)]
            );
            refused += 1;
        }
        if *must_fail && segment.contains("\n  ") && segment.contains('^') {
            carets += 1;
        }
        // a long line is shown as a window around the error, not in full
        assert!(
            segment.len() < 4000,
            "junk line {i} ({} bytes) made {} bytes of error output",
            line.len(),
            segment.len()
        );
        from = at + marker.len() - 1;
    }
    let longest = lines.iter().map(|(l, _)| l.len()).max().unwrap();
    eprintln!(
        "junk: {} lines ({bytes} bytes, longest {longest}) in {junk_secs:.1} s; \
         {refused} refused, each with its error; {carets} errors point with a caret",
        lines.len()
    );
    assert!(carets * 10 >= refused * 9, "most errors point at a column");

    // mini-notation errors point into the string, at the right line and column
    let bad = r#"d2 $ s "bd sn*[2""#;
    server.say(bad);
    let err = server.wait_stderr(&format!("  {bad}\n"), 10.0);
    let tail = &err[err.rfind(&format!("  {bad}\n")).unwrap()..];
    let caret_line = tail.lines().nth(1).unwrap();
    let col = caret_line.find('^').unwrap() - 2;
    assert!(
        (8..bad.len()).contains(&col),
        "the caret points inside the string: column {col}\n{tail}"
    );

    // valid lines work afterwards
    server.say(r#"d3 $ s "cp""#);
    rx.wait_for("d3 after the junk", 10.0, |p| {
        p.iter()
            .any(|p| p.string("_id_") == "3" && p.string("s") == "cp")
    });
    // d1 has played on past the junk
    let later = junk_until + LATENCY + 1.0;
    rx.wait_for("d1 after the junk", 10.0, |p| {
        p.iter()
            .any(|p| p.string("_id_") == "1" && p.seconds() > later)
    });
    let hushed = now_ntp();
    server.say("hush");
    sleep(LATENCY + FRAME + 0.5);
    let plays = d1_plays(&rx);
    let stderr = server.finish();

    // every one of d1's onsets, from before the junk to after it, on time
    let first = &plays[0];
    assert!(first.seconds() < junk_from, "d1 played before the junk");
    let last = plays.last().unwrap();
    assert!(last.seconds() > later, "d1 played after the junk");
    let (worst_gap, headroom) = unbroken(&plays);
    let expected =
        ((last.float("cycle") - first.float("cycle")) as f64 / STEP).round() as usize + 1;
    assert_eq!(plays.len(), expected);
    // and hush stopped it: nothing for after the hush beyond what was in flight
    let cutoff = hushed + LATENCY + FRAME + 0.2;
    assert!(
        last.seconds() <= cutoff,
        "d1 played {} s after hush",
        last.seconds() - hushed
    );
    eprintln!(
        "junk: d1 expected {expected} onsets over {:.1} s, received {}; timetag spacing \
         error at most {:.2e} s; sent at least {:.3} s before its timetag",
        last.seconds() - first.seconds(),
        plays.len(),
        worst_gap,
        headroom
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_runaway_slot_is_capped_and_named_while_d1_keeps_time() {
    let rx = Receiver::new();
    let mut server = start_with_d1(&rx);
    let runaways = [
        r#"d2 $ s "bd*100000""#,
        r#"d2 $ fast 100000 $ s "bd""#,
        r#"d2 $ s "bd*20000" # n "0 1""#,
    ];
    for r in runaways {
        server.say(r);
        sleep(2.0);
    }
    // a tempo no clock can keep, in a control: ignored, the tempo stays
    server.say(r#"d2 $ s "bd*4" # cps "1e9 -1""#);
    sleep(1.5);
    server.say("d2 silence");
    sleep(1.0);
    let (all, stderr) = d3_works_then_hush(server, &rx);

    // each runaway was capped, with a message naming its slot
    let capped = stderr
        .lines()
        .filter(|l| {
            l.starts_with("d2: ")
                && l.contains("events in one frame")
                && l.ends_with(&format!("playing the first {SLOT_CAP_PER_FRAME}"))
        })
        .count();
    assert!(capped >= 3, "d2 capped and named:\n{stderr}");
    assert!(
        !stderr.contains("d1:"),
        "nothing was said about d1:\n{stderr}"
    );
    assert!(
        stderr.contains("ignoring cps 1000000000: the tempo must be at most 100"),
        "{stderr}"
    );

    // d2 never sent more than its cap: at most 5000 events in any second of
    // timetags (a frame's events are the first of its span, so allow one frame more)
    let mut d2: Vec<f64> = all
        .iter()
        .filter(|p| p.string("_id_") == "2")
        .map(|p| p.seconds())
        .collect();
    d2.sort_by(f64::total_cmp);
    let mut most = 0;
    let mut lo = 0;
    for hi in 0..d2.len() {
        while d2[hi] - d2[lo] >= 1.0 {
            lo += 1;
        }
        most = most.max(hi - lo + 1);
    }
    assert!(
        most <= 5000 + SLOT_CAP_PER_FRAME,
        "d2 sent {most} events in one second"
    );
    assert!(d2.len() > 5000, "d2 played (capped), {} events", d2.len());

    // and d1 kept its grid throughout, on time
    let plays = d1_plays(&rx);
    let (worst_gap, headroom) = unbroken(&plays);
    let span = plays.last().unwrap().seconds() - plays[0].seconds();
    assert!(span > 6.0, "d1 played through the runaways ({span} s)");
    eprintln!(
        "runaway: {capped} cap messages; d2 sent {} events, at most {most} in any second; \
         d1 {} onsets unbroken over {span:.1} s, spacing error at most {worst_gap:.2e} s, \
         sent at least {headroom:.3} s before its timetag",
        d2.len(),
        plays.len()
    );
}

#[test]
fn thousands_of_named_slots_are_refused_beyond_64_and_d1_keeps_time() {
    let rx = Receiver::new();
    let mut server = start_with_d1(&rx);
    for i in 0..2000 {
        server.say(&format!(r#"p "x{i}" $ s "bd*2""#));
    }
    // 63 named slots beside d1 play; the rest are refused, each with a message
    server.wait_stderr(
        r#"p "x1999": not played: 64 slots are playing already"#,
        30.0,
    );
    sleep(3.0);
    server.say("hush");
    let (all, stderr) = d3_works_then_hush(server, &rx);
    let refused = stderr.matches("not played: 64 slots").count();
    assert_eq!(refused, 2000 - 63, "{}", &stderr[..stderr.len().min(3000)]);
    let named: std::collections::BTreeSet<String> = all
        .iter()
        .map(|p| p.string("_id_"))
        .filter(|id| id.starts_with('x'))
        .collect();
    assert_eq!(named.len(), 63, "the first 63 named slots played");
    let plays = d1_plays(&rx);
    let (worst_gap, headroom) = unbroken(&plays);
    eprintln!(
        "slots: {refused} refused; d1 {} onsets unbroken, spacing error at most {worst_gap:.2e} s, \
         sent at least {headroom:.3} s before its timetag",
        plays.len()
    );
}
