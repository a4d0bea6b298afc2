//! The whole chain, end to end: statements typed into the real `event-server` REPL
//! (stdin is a pipe) -> OSC bundles over UDP -> the real `synth-engine` rendering to a
//! wall-clock-paced WAV -> onsets found in that WAV on the exact frames the bundles'
//! timetags name.
//!
//! The event server sends every bundle to two targets: the engine, and a UDP socket in
//! this test that records the timetags. The engine's ready line gives the unix time of
//! frame 0 of the WAV, so each timetag's frame is `round((timetag - frame0) * 48000)`.
//!
//! The binaries are the workspace's own, found next to this test executable
//! (`cargo test --workspace` or `cargo build -p event-server -p synth-engine` builds them).

mod support;

use support::*;

// ---------------------------------------------------------------------------------------

#[test]
fn click_grid_across_a_tempo_change_lands_on_exact_frames() {
    let (_serial, dir, mut engine, capture, mut server) = chain("grid", "0.5");

    server.say(r#"d1 $ s "click*4""#);
    capture.wait_for("6 clicks at 0.5 cps", 15.0, |p| {
        p.iter().filter(|p| p.cps == 0.5).count() >= 6
    });
    server.say("setcps 1");
    capture.wait_for("8 clicks at 1 cps", 10.0, |p| {
        p.iter().filter(|p| p.cps == 1.0).count() >= 8
    });
    let hushed = server.say("hush");
    // everything already sent has been heard, and a little silence after it
    let heard = hushed + LATENCY + FRAME + 0.4;
    let (plays, rec) = stop_chain(&mut engine, &capture, server, heard);

    // the grid: a quarter cycle apart, 0.25 / cps seconds apart, one tempo change
    assert!(plays.iter().all(|p| p.s == "click" && p.n.is_none()));
    let mut changes = 0;
    for w in plays.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        assert_eq!(b.cycle - a.cycle, 0.25, "a quarter-cycle grid: {a:?} {b:?}");
        let g = gap(a, b);
        if a.cps == b.cps {
            let want = 0.25 / a.cps;
            assert!(
                (g - want).abs() < 1e-6,
                "spacing {g} s at {} cps, want {want} s",
                a.cps
            );
        } else {
            changes += 1;
            assert_eq!((a.cps, b.cps), (0.5, 1.0));
            assert!(
                g <= 0.25 / a.cps + 1e-6 && g >= 0.25 / b.cps - 1e-6,
                "gap {g} s across the tempo change"
            );
        }
    }
    assert_eq!(changes, 1, "one tempo change");
    assert!(plays.iter().filter(|p| p.cps == 0.5).count() >= 6);
    assert!(plays.iter().filter(|p| p.cps == 1.0).count() >= 8);

    // the sound: every bundle on its frame, none lost, nothing extra
    let matched = match_onsets(&engine, &rec, &plays);
    report("tempo change", &matched);
    assert!(matched.iter().all(|(_, _, e)| e.abs() <= 1));
    // onset spacing in frames follows the tempo too
    for w in matched.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if a.0.cps == b.0.cps {
            let want = 0.25 / a.0.cps * RATE;
            let got = (b.1 - a.1) as f64;
            assert!((got - want).abs() <= 2.0, "{got} frames, want {want}");
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_edit_mid_cycle_changes_the_sound_at_the_next_event_with_no_gap() {
    let (_serial, dir, mut engine, capture, mut server) = chain("edit", "1");

    server.say(r#"d1 $ s "click*4""#);
    let first = capture.wait_for("6 clicks", 10.0, |p| p.len() >= 6);
    // the event server's playhead (what it is scheduling) is LATENCY ahead of the wall
    // clock; send the edit when that is 0.4 of the way through a cycle, between grid points
    let (c0, t0) = (first[0].cycle, first[0].time);
    let scheduling = |now: f64| c0 + (now + LATENCY - t0);
    wait_until("mid-cycle", 3.0, || {
        let f = scheduling(unix_now()).rem_euclid(1.0);
        (0.37..0.43).contains(&f)
    });
    let edited = server.say(r#"d1 $ s "click*8" # n 1"#);
    eprintln!("edit sent at scheduling cycle {:.4}", scheduling(edited));
    capture.wait_for("8 clicks of the new pattern", 10.0, |p| {
        p.iter().filter(|p| p.n == Some(1.0)).count() >= 8
    });
    let hushed = server.say("hush");
    let heard = hushed + LATENCY + FRAME + 0.4;
    let (plays, rec) = stop_chain(&mut engine, &capture, server, heard);

    // old events, then new ones, never mixed
    let k = plays
        .iter()
        .position(|p| p.n == Some(1.0))
        .expect("new events");
    assert!(k >= 6, "the old pattern played first");
    assert!(plays[..k].iter().all(|p| p.n.is_none() && p.s == "click"));
    assert!(plays[k..]
        .iter()
        .all(|p| p.n == Some(1.0) && p.s == "click"));
    let (old, new) = (&plays[k - 1], &plays[k]);
    // No gap. The server queries each span of cycles once, a scheduler frame at a time,
    // with the pattern it has then; the edit takes effect at a span boundary S (unknown
    // here) between the last old event and the first new one. The old pattern owns every
    // grid point before S and the new one every grid point from S on, so there is no gap
    // exactly when some S fits: the old pattern's next quarter is not before S and the
    // new pattern's previous eighth is before S.
    let s_low = old.cycle.max(new.cycle - 0.125);
    let s_high = new.cycle.min(old.cycle + 0.25);
    assert!(
        s_low < s_high,
        "a gap between the last old event and the first new one: {old:?} then {new:?}"
    );
    assert!(
        s_high >= scheduling(edited) - 0.01,
        "the new pattern took over before the edit was sent: S <= {s_high}, edit at {}",
        scheduling(edited)
    );
    eprintln!(
        "edit: last old event at cycle {}, first new at cycle {} (switch in ({s_low}, {s_high}])",
        old.cycle, new.cycle
    );
    assert!(
        (gap(old, new) - (new.cycle - old.cycle)).abs() < 1e-6,
        "timetag gap {} s for {} cycles at 1 cps",
        gap(old, new),
        new.cycle - old.cycle
    );
    // and promptly: the first new event is at most one scheduler frame (plus slack for
    // a loaded machine) after the point the server was scheduling when the edit arrived
    assert!(
        new.time <= edited + LATENCY + FRAME + 0.125 + 0.15,
        "the edit took effect {} s after it was sent",
        new.time - edited - LATENCY
    );
    for w in plays.windows(2) {
        let step = if w[1].n.is_some() && w[0].n.is_some() {
            0.125
        } else {
            0.25
        };
        if w[0].n == w[1].n {
            assert_eq!(w[1].cycle - w[0].cycle, step);
            assert!((gap(&w[0], &w[1]) - step).abs() < 1e-6);
        }
    }

    // the sound: every bundle on its frame, and the right click on each
    let matched = match_onsets(&engine, &rec, &plays);
    report("edit", &matched);
    for (p, f, _) in &matched {
        let r = second_to_first(&rec.left, *f);
        if p.n == Some(1.0) {
            assert!((r - 0.679).abs() < 0.02, "click:1 at frame {f}: ratio {r}");
        } else {
            assert!((r - 0.757).abs() < 0.02, "click:0 at frame {f}: ratio {r}");
        }
    }
    let (fo, fnew) = (matched[k - 1].1, matched[k].1);
    let want = (new.cycle - old.cycle) * RATE;
    assert!(
        ((fnew - fo) as f64 - want).abs() <= 2.0,
        "{} frames between the last old and first new onset, want {want}",
        fnew - fo
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn hush_silences_the_engine_after_the_bundles_already_sent() {
    let (_serial, dir, mut engine, capture, mut server) = chain("hush", "1");

    server.say(r#"d1 $ s "click*8""#);
    server.say(r#"d2 $ s "click*3" # n 1"#);
    capture.wait_for("both slots", 10.0, |p| {
        p.iter().filter(|p| p.n.is_none()).count() >= 8
            && p.iter().filter(|p| p.n == Some(1.0)).count() >= 3
    });
    let hushed = server.say("hush");
    // a bundle can be sent up to one scheduler frame before its time minus the latency;
    // allow the server's tick to come a little late on a busy machine
    let cutoff = hushed + LATENCY + FRAME + 0.15;
    let silent_until = cutoff + 1.0;
    let (plays, rec) = stop_chain(&mut engine, &capture, server, silent_until);

    let last = plays.last().unwrap();
    assert!(
        last.time <= cutoff,
        "a bundle for {} s after hush (cutoff {} s after)",
        last.time - hushed,
        cutoff - hushed
    );
    // the bundles already sent when hush was typed (LATENCY ahead) still sound
    let in_flight = plays.iter().filter(|p| p.time > hushed).count();
    assert!(
        in_flight >= 2,
        "{in_flight} bundle(s) in flight at hush, want the {LATENCY} s latency window's"
    );
    let matched = match_onsets(&engine, &rec, &plays);
    report("hush", &matched);
    eprintln!(
        "hush: last bundle {:.3} s after hush was typed, {in_flight} in flight",
        last.time - hushed
    );
    let cut = engine.frame_of(cutoff);
    let span_end = engine.frame_of(silent_until);
    assert!(
        rec.left.len() as i64 >= span_end - (0.05 * RATE) as i64,
        "the WAV ({} frames) covers the silence after hush (to frame {span_end})",
        rec.left.len()
    );
    let after: Vec<usize> = onsets(&rec.left)
        .into_iter()
        .filter(|f| *f as i64 > cut)
        .collect();
    assert!(after.is_empty(), "onsets after hush: {after:?}");
    // and truly silent once the last click has rung out (20 ms)
    let tail = matched.iter().map(|m| m.1).max().unwrap() + 1200;
    let loudest = rec.left[tail..].iter().fold(0f32, |m, x| m.max(x.abs()));
    assert!(loudest < 1e-3, "sound after hush: peak {loudest}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_unknown_sound_is_told_to_the_slot_that_played_it() {
    // the real engine, the real event server: the engine's notice comes back to the socket
    // the event server sends from and is printed attributed to the slot, with a suggestion
    let (_serial, _dir, mut engine, _capture, mut server) = chain("talkback", "1");
    server.say("d1 $ s \"bdd\"");
    let expected = "d1: no sample bank or voice named \"bdd\" (did you mean \"bd\"?)";
    let said = server.wait_stderr(expected, 10.0);
    // a slot that plays a known sound says nothing
    server.say("d2 $ s \"bd\"");
    wait_clock(unix_now() + 1.5);
    let said_after = server.stderr();
    assert_eq!(said_after.matches(expected).count(), 1, "{said_after}");
    assert!(!said_after.contains("d2:"), "{said_after}");
    assert!(said.contains(expected));
    engine.stop_late_or_not();
    server.finish();
}
