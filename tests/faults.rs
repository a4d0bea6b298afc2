//! Faults in the chain that a live performance must ride out: the engine killed while
//! the event server plays to it, and a new engine started on the same port. The server
//! must keep running (saying at most a short notice) and keep its cycle grid, and the new
//! engine must play the next events on the exact frames their timetags name.
//!
//! As in chain.rs, the server sends every bundle to the engine and to a UDP socket in this
//! test that records the timetags.

mod support;

use support::*;

/// The onset in `found` within one frame of `frame`, if any.
fn near(found: &[usize], frame: i64) -> Option<usize> {
    found
        .iter()
        .copied()
        .find(|f| (*f as i64 - frame).abs() <= 1)
}

#[test]
fn the_engine_killed_and_restarted_on_its_port_gets_the_next_events_on_the_grid() {
    let _serial = serial();
    let dir = scratch("restart");
    let mut first = Engine::start_on(&dir.join("a.wav"), None);
    let port = first.port;
    let capture = Capture::new();
    let mut server = Server::start(&[first.target(), capture.target()], "1");
    server.say(r#"d1 $ s "click*4""#);
    capture.wait_for("8 clicks to the first engine", 10.0, |p| p.len() >= 8);

    // the engine dies abruptly: no goodbye, its port closed
    first.child.kill().expect("kill the engine");
    first.child.wait().expect("reap the engine");
    let killed = unix_now();
    wait_clock(killed + 1.5);
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server died with the engine:\n{}",
        server.stderr()
    );

    // a new engine on the same port, recording from its own frame 0
    let mut second = Engine::start_on(&dir.join("b.wav"), Some(port));
    let listening = unix_now(); // its socket was bound before its ready line
    capture.wait_for("3 s of events for the second engine", 10.0, |p| {
        p.last().is_some_and(|p| p.time > second.frame0 + 3.0)
    });
    let hushed = server.say("hush");
    wait_clock(hushed + LATENCY + FRAME + 0.4);
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server is still running"
    );
    let plays = capture.plays();
    let rec = second.stop_late_or_not();
    let said = server.stderr();
    server.finish();

    // the server's grid never broke: every quarter cycle, exactly 0.25 s apart
    for w in plays.windows(2) {
        assert_eq!(w[1].cycle - w[0].cycle, 0.25, "{:?} then {:?}", w[0], w[1]);
        assert!((gap(&w[0], &w[1]) - 0.25).abs() < 1e-6);
    }
    // and it said at most a short notice about it
    let notices: Vec<&str> = said
        .lines()
        .filter(|l| !l.starts_with("event-server: sending to") && !l.starts_with("connected"))
        .filter(|l| !l.starts_with("waiting for the engine's handshake"))
        .collect();
    assert!(notices.len() <= 2, "more than a notice:\n{said}");
    assert!(!said.contains("panicked"), "{said}");

    // the second engine: every bundle sent once it was listening (a bundle leaves at
    // most LATENCY + FRAME before its timetag) sounds on its exact frame; every onset
    // belongs to a bundle; nothing of the first engine's time is heard
    let found = onsets(&rec.left);
    let len = rec.left.len() as i64;
    let heard: Vec<&Play> = plays
        .iter()
        .filter(|p| {
            let f = second.frame_of(p.time);
            f > 0 && f < len && near(&found, f).is_some()
        })
        .collect();
    let certain: Vec<&Play> = plays
        .iter()
        .filter(|p| p.time - LATENCY - FRAME > listening && second.frame_of(p.time) < len)
        .collect();
    assert!(
        certain.len() >= 8,
        "{} bundles for the second engine",
        certain.len()
    );
    for p in &certain {
        let want = second.frame_of(p.time);
        assert!(
            near(&found, want).is_some(),
            "cycle {} (frame {want}) was not heard by the second engine; onsets {found:?}\n{}",
            p.cycle,
            rec.stderr
        );
    }
    for f in &found {
        assert!(
            heard
                .iter()
                .any(|p| (second.frame_of(p.time) - *f as i64).abs() <= 1),
            "an onset at frame {f} with no bundle; onsets {found:?}"
        );
    }
    assert_eq!(found.len(), heard.len(), "one onset per bundle heard");
    let errors: Vec<i64> = heard
        .iter()
        .map(|p| {
            let want = second.frame_of(p.time);
            near(&found, want).unwrap() as i64 - want
        })
        .collect();
    let first_heard = heard[0];
    let before_kill = plays.iter().rfind(|p| p.time <= killed).unwrap();
    let lost = plays
        .iter()
        .filter(|p| p.time > killed && p.time < first_heard.time)
        .count();
    eprintln!(
        "restart: engine killed at cycle ~{:.2}; {lost} grid events unheard until the second \
         engine's first onset at cycle {} ({:.3} s after it was listening, {} frame(s) off the \
         timetag); {} onsets after the restart, frame errors {errors:?}; the server said {:?}",
        before_kill.cycle,
        first_heard.cycle,
        first_heard.time - listening,
        errors[0],
        heard.len(),
        notices
    );
    assert!(errors.iter().all(|e| e.abs() <= 1));
    assert_eq!(
        first_heard.cycle * 4.0,
        (first_heard.cycle * 4.0).round(),
        "on the grid"
    );
    let _ = std::fs::remove_dir_all(dir);
}
