//! End to end: statements typed into the real binary's stdin, bundles caught
//! by a UDP receiver on loopback and checked against what real Tidal sends.

mod support;

use rosc::OscType;
use support::{names, sleep, typetags, Receiver, Server};

/// Real Tidal 1.7.10's bundle for `s "sn"` at cycle 0.5 with `# speed 2`
/// on d1 (from the capture in shared/reference/tidal-capture-example.json).
const TIDAL_SN: &str = "2362756e646c6500eeabefd780395000000000682f646972742f706c617900002c7373736673667366736973737366005f69645f0000000031000000637073003f1000006379636c650000003f00000064656c74610000003f638e386f726269740000000000000073000000736e0000737065656400000040000000";

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Zeroes the timetag and the value of `delta` (which Tidal rounds
/// differently in the last bits of the float).
fn masked(mut bytes: Vec<u8>) -> Vec<u8> {
    bytes[8..16].fill(0);
    let at = bytes
        .windows(8)
        .position(|w| w == b"delta\0\0\0")
        .expect("a delta argument");
    bytes[at + 8..at + 12].fill(0);
    bytes
}

#[test]
fn bundles_have_tidals_layout_and_bytes() {
    let (rx, mut server) = Server::with_receiver(&[]);
    server.say(r#"d1 $ s "bd*2 sn" # speed 2"#);
    let plays = rx.wait_for("an sn", 10.0, |p| p.iter().any(|p| p.string("s") == "sn"));
    for p in &plays {
        assert_eq!(typetags(&p.message), ",sssfsfsfsisssf");
        assert_eq!(
            names(&p.message),
            ["_id_", "cps", "cycle", "delta", "orbit", "s", "speed"]
        );
        assert_eq!(p.string("_id_"), "1");
        assert_eq!(p.arg("orbit"), Some(&OscType::Int(0)));
        assert_eq!(p.float("cps"), 0.5625);
        assert_eq!(p.float("speed"), 2.0);
        let whole = if p.string("s") == "sn" { 0.5 } else { 0.25 };
        assert!((p.float("delta") - whole / 0.5625).abs() < 1e-6);
    }
    // The same bytes as Tidal's, apart from the timetag and delta's last
    // bits, for an sn at cycle 0.5 + k.
    let sn = plays.iter().find(|p| p.string("s") == "sn").unwrap();
    let cycle = sn.float("cycle");
    assert_eq!(cycle.fract(), 0.5, "sn starts half way through a cycle");
    let mut want = masked(hex(TIDAL_SN));
    let mut ours = masked(sn.bytes.clone());
    // Put the same cycle in both.
    let at = want.windows(8).position(|w| w == b"cycle\0\0\0").unwrap();
    want[at + 8..at + 12].copy_from_slice(&cycle.to_be_bytes());
    ours[at + 8..at + 12].copy_from_slice(&cycle.to_be_bytes());
    assert_eq!(ours, want);
    // Handshake first, bare, as Tidal sends it.
    assert!(rx.packets()[0].bytes == hex("2f646972742f68616e647368616b65002c000000"));
    server.finish();
}

#[test]
fn an_unbroken_grid_across_tempo_changes() {
    let (rx, mut server) = Server::with_receiver(&[]);
    server.say("setcps 0.75");
    server.say(r#"d1 $ s "bd*8" # n 1"#);
    rx.wait_for("events at 0.75 cps", 10.0, |p| p.len() >= 8);
    server.say(r#"d1 $ s "bd*8" # n (1 +"#);
    server.wait_stderr("error", 5.0);
    let before = rx.plays().len();
    rx.wait_for("events after the broken line", 10.0, |p| {
        p.len() >= before + 4
    });
    server.say("setcps 1.5");
    rx.wait_for("events at 1.5 cps", 10.0, |p| {
        p.iter().filter(|p| p.float("cps") == 1.5).count() >= 12
    });
    let plays = rx.plays();
    server.finish();

    let mut changes = 0;
    for pair in plays.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert_eq!(b.float("cycle") - a.float("cycle"), 0.125, "a 1/8 grid");
        assert!(b.ntp > a.ntp, "timetags rise");
        assert_eq!(b.float("n"), 1.0);
        assert_eq!(b.string("s"), "bd");
        let gap = (b.ntp - a.ntp) as f64 / 4294967296.0;
        let (ca, cb) = (a.float("cps") as f64, b.float("cps") as f64);
        if ca == cb {
            let want = 0.125 / ca;
            assert!(
                (gap - want).abs() < 1e-6,
                "spacing {gap} s, want {want} s at {ca} cps"
            );
        } else {
            // The tempo changed between these two: a gap in between.
            changes += 1;
            assert!(gap <= 0.125 / ca + 1e-6 && gap >= 0.125 / cb - 1e-6);
        }
    }
    assert_eq!(changes, 1, "one tempo change");
    let cps: Vec<f32> = plays.iter().map(|p| p.float("cps")).collect();
    assert!(cps.contains(&0.75) && cps.contains(&1.5));
}

#[test]
fn an_error_line_leaves_d1_playing() {
    let (rx, mut server) = Server::with_receiver(&[]);
    server.say(r#"d1 $ s "hh*4""#);
    rx.wait_for("hh", 10.0, |p| p.len() >= 2);
    server.say(r#"d1 $ s "sn*[4""#);
    let err = server.wait_stderr("^", 5.0);
    // The caret sits under the column the error points at, inside the string.
    let lines: Vec<&str> = err.lines().collect();
    let src = lines
        .iter()
        .position(|l| l.contains(r#"d1 $ s "sn*[4""#))
        .expect("the line is shown");
    let caret = lines[src + 1].find('^').expect("a caret");
    let col = caret - 2; // the source line is indented by two
    assert!(
        (8..=13).contains(&col),
        "the caret points inside the string: column {col}\n{err}"
    );
    server.say(r#"d1 $ s "bd" # speeeed 2"#);
    server.wait_stderr("speeeed", 5.0);
    let n = rx.plays().len();
    let plays = rx.wait_for("more hh", 10.0, |p| p.len() >= n + 4);
    assert!(plays.iter().all(|p| p.string("s") == "hh"));
    server.finish();
}

#[test]
fn hush_stops_everything() {
    let (rx, mut server) = Server::with_receiver(&[]);
    server.say(r#"d1 $ s "hh*8""#);
    server.say(r#"p "x" $ s "cp*8""#);
    rx.wait_for("both", 10.0, |p| {
        p.iter().any(|p| p.string("_id_") == "x") && p.iter().any(|p| p.string("_id_") == "1")
    });
    let x = rx.plays_of("x").first().cloned().unwrap();
    assert_eq!(x.arg("orbit"), None, "p \"name\" adds no orbit");
    server.say("hush");
    sleep(0.3);
    let n = rx.plays().len();
    sleep(0.6);
    assert_eq!(rx.plays().len(), n, "nothing after hush");
    server.finish();
}

/// The ids heard in the plays received after index `from`.
fn ids_after(rx: &Receiver, from: usize) -> Vec<String> {
    let mut ids: Vec<String> = rx.plays()[from..]
        .iter()
        .map(|p| p.string("_id_"))
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn solo_and_mute() {
    let (rx, mut server) = Server::with_receiver(&["--cps", "2"]);
    server.say(r#"d1 $ s "bd*4""#);
    server.say(r#"d2 $ s "sn*4""#);
    rx.wait_for("d2", 10.0, |p| p.iter().any(|p| p.string("_id_") == "2"));
    let settle = |server: &mut Server, line: &str| {
        server.say(line);
        sleep(0.25);
        let from = rx.plays().len();
        sleep(0.6);
        ids_after(&rx, from)
    };
    assert_eq!(settle(&mut server, "solo 2"), ["2"]);
    assert_eq!(settle(&mut server, "unsolo 2"), ["1", "2"]);
    assert_eq!(settle(&mut server, "mute 1"), ["2"]);
    assert_eq!(settle(&mut server, "unmute 1"), ["1", "2"]);
    assert_eq!(settle(&mut server, "d1 silence"), ["2"]);
    let d2 = rx.plays_of("2").last().cloned().unwrap();
    assert_eq!(
        d2.arg("orbit"),
        Some(&OscType::Int(1)),
        "d2 plays on orbit 1"
    );
    server.finish();
}

#[test]
fn once_plays_one_cycle() {
    let (rx, mut server) = Server::with_receiver(&["--cps", "2"]);
    server.say(r#"once $ s "cp*3""#);
    rx.wait_for("three", 10.0, |p| p.len() >= 3);
    sleep(1.0);
    let plays = rx.plays();
    assert_eq!(plays.len(), 3, "one cycle only");
    assert!(plays.iter().all(|p| p.string("s") == "cp"));
    server.finish();
}

#[test]
fn blocks_and_definitions() {
    let (rx, mut server) = Server::with_receiver(&[]);
    for line in [
        "let rhythm = \"bd*2 [~ bd]\"",
        ":{",
        "do",
        "  d1 $ s rhythm",
        "    # speed 3",
        "  d2 $ s \"hh*2\"",
        ":}",
    ] {
        server.say(line);
    }
    let plays = rx.wait_for("both slots", 10.0, |p| {
        p.iter().any(|p| p.string("_id_") == "2") && p.iter().any(|p| p.string("_id_") == "1")
    });
    for p in plays.iter().filter(|p| p.string("_id_") == "1") {
        assert_eq!(p.float("speed"), 3.0);
        assert_eq!(p.string("s"), "bd");
    }
    server.say(":t fast 2");
    server.say(":help fast");
    let out = server.finish();
    let _ = out;
}

#[test]
fn the_handshake_is_repeated_until_answered() {
    let (rx, server) = Server::with_receiver(&[]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while rx.handshakes().len() < 2 {
        assert!(std::time::Instant::now() < deadline, "a second handshake");
        sleep(0.05);
    }
    let h = rx.handshakes();
    let gap = h[1].arrived - h[0].arrived;
    assert!(
        gap.as_secs_f64() > 1.5 && gap.as_secs_f64() < 3.0,
        "{gap:?}"
    );
    drop(server);

    // Answered: no more handshakes.
    let (rx, server) = Server::with_receiver(&[]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while rx.handshakes().is_empty() {
        assert!(std::time::Instant::now() < deadline, "a handshake");
        sleep(0.01);
    }
    let from = rx.handshakes()[0].from;
    let reply = rosc::encoder::encode(&rosc::OscPacket::Message(rosc::OscMessage {
        addr: "/dirt/handshake/reply".into(),
        args: vec![OscType::String("&serverHostname".into())],
    }))
    .unwrap();
    rx.socket.send_to(&reply, from).unwrap();
    server.wait_stderr("connected", 5.0);
    sleep(2.5);
    assert_eq!(rx.handshakes().len(), 1);
}

#[test]
fn a_stalled_server_skips_ahead_instead_of_bursting() {
    let (rx, mut server) = Server::with_receiver(&["--cps", "1", "--latency", "0.3"]);
    server.say(r#"d1 $ s "hh*8""#);
    rx.wait_for("hh", 10.0, |p| p.len() >= 4);
    let pid = server.child.id().to_string();
    let kill = |sig: &str| {
        let ok = std::process::Command::new("kill")
            .args([sig, &pid])
            .status()
            .expect("kill")
            .success();
        assert!(ok);
    };
    kill("-STOP");
    sleep(1.5);
    let n = rx.plays().len();
    kill("-CONT");
    server.wait_stderr("held up", 5.0);
    let plays = rx.wait_for("hh again", 10.0, |p| p.len() >= n + 8);
    for p in &plays[n..] {
        assert!(
            p.seconds() > p.arrived_ntp,
            "no late events after the stall: {} arrived {} s late",
            p.string("s"),
            p.arrived_ntp - p.seconds()
        );
    }
    for pair in plays.windows(2) {
        assert!(pair[1].ntp > pair[0].ntp);
    }
    server.finish();
}

#[test]
fn a_slot_that_fails_later_goes_back_to_its_previous_pattern() {
    let (rx, mut server) = Server::with_receiver(&["--cps", "4", "--latency", "0.3"]);
    server.say(r#"d1 $ s "hh*2""#);
    server.say(r#"d2 $ s "sn*4""#);
    rx.wait_for("hh", 10.0, |p| p.len() >= 2);
    // Fine in cycles 0 and 1 of every 4, far too dense in 2 and 3.
    server.say(r#"d1 $ whenmod 4 2 (fast 100000000) $ s "cp""#);
    server.wait_stderr("back to its previous pattern", 10.0);
    let n = rx.plays().len();
    let plays = rx.wait_for("hh again", 10.0, |p| p.len() >= n + 8);
    let d1: Vec<String> = plays[n..]
        .iter()
        .filter(|p| p.string("_id_") == "1")
        .map(|p| p.string("s"))
        .collect();
    assert!(d1.iter().all(|s| s == "hh"), "{d1:?}");
    assert!(
        plays.iter().any(|p| p.string("s") == "cp"),
        "cp played first"
    );
    // d2 was never held up by d1's trouble: every bundle came before its time.
    for p in plays.iter().filter(|p| p.string("_id_") == "2") {
        assert!(p.seconds() > p.arrived_ntp, "a late sn");
    }
    server.finish();
}

#[test]
fn too_many_events_in_a_frame_are_capped_with_a_warning() {
    let (_rx, mut server) = Server::with_receiver(&["--cps", "1", "--frame", "0.05"]);
    server.say(r#"d1 $ s "bd*100000""#);
    let err = server.wait_stderr("events in one frame", 10.0);
    // 5000 a second per slot: 250 in a 50 ms frame
    assert!(
        err.contains("d1: ") && err.contains("playing the first 250"),
        "{err}"
    );
    server.say("hush");
    server.finish();
}

#[test]
fn a_cps_control_changes_tempo_at_its_onset() {
    let (rx, mut server) = Server::with_receiver(&["--cps", "1"]);
    server.say(r#"d1 $ s "bd*4" # cps "<1.5 3>""#);
    rx.wait_for("both tempos", 10.0, |p| {
        p.iter().filter(|p| p.float("cps") == 3.0).count() >= 6
            && p.iter().filter(|p| p.float("cps") == 1.5).count() >= 4
    });
    server.say("hush");
    let plays = rx.plays();
    server.finish();
    // Each gap follows the tempo of the event it starts from: the change
    // happens exactly at the onset of the event that carries it.
    let mut changes = 0;
    for pair in plays.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert_eq!(b.float("cycle") - a.float("cycle"), 0.25);
        let gap = (b.ntp - a.ntp) as f64 / 4294967296.0;
        let want = 0.25 / a.float("cps") as f64;
        assert!((gap - want).abs() < 1e-6, "gap {gap}, want {want}");
        if a.float("cps") != b.float("cps") {
            changes += 1;
        }
    }
    assert!(changes >= 2);
}

#[test]
fn setbpm_and_p_numbers() {
    let (rx, mut server) = Server::with_receiver(&[]);
    server.say("setbpm 180");
    server.say(r#"p 3 $ s "bd*2""#);
    let plays = rx.wait_for("bd", 10.0, |p| p.len() >= 2);
    assert_eq!(plays[0].float("cps"), 0.75);
    assert_eq!(plays[0].string("_id_"), "3");
    assert_eq!(
        plays[0].arg("orbit"),
        None,
        "p N adds no orbit, as in Tidal"
    );
    server.finish();
}

#[test]
fn every_target_gets_every_bundle() {
    let (a, b) = (Receiver::new(), Receiver::new());
    let mut server = Server::start(&a.target(), &["--target", &b.target()]);
    server.say(r#"d1 $ s "bd*4""#);
    b.wait_for("bd at the second target", 10.0, |p| p.len() >= 4);
    server.say("hush");
    sleep(0.3);
    server.finish();
    let (pa, pb) = (a.plays(), b.plays());
    assert_eq!(pa.len(), pb.len());
    for (x, y) in pa.iter().zip(pb.iter()) {
        assert_eq!(x.bytes, y.bytes);
    }
}

#[test]
fn a_target_that_refuses_every_send_costs_the_others_nothing() {
    // Broadcast without SO_BROADCAST: every send to it fails (EACCES).
    let rx = Receiver::new();
    let mut server = Server::start("255.255.255.255:9", &["--target", &rx.target()]);
    server.say(r#"d1 $ s "hh*8""#);
    let plays = rx.wait_for("every event at the other target", 10.0, |p| p.len() >= 16);
    for w in plays.windows(2) {
        assert_eq!(w[1].float("cycle") - w[0].float("cycle"), 0.125);
    }
    let err = server.finish();
    let notices = err.matches("sending to 255.255.255.255:9: ").count();
    assert_eq!(notices, 1, "one notice, not one per event:\n{err}");
}
