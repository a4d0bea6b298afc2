//! Wall-clock tests of the scheduler thread (real worker threads, real
//! UDP on loopback, a query that stalls on purpose) and helpers for the rest.

use super::*;
use pattern_lang::lang::Session;
use std::net::UdpSocket;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::channel;
use std::sync::Arc;

/// The exact time `n/d` (nanoseconds, cycles or cycles per second), for
/// the tests of the scheduler's modules.
pub fn t(n: i128, d: i128) -> Time {
    Time::new(n, d).unwrap()
}

/// The cycles of the /dirt/play bundles arriving at `socket` for `secs`.
fn cycles_played(socket: &UdpSocket, secs: f64) -> Vec<f32> {
    let mut out = Vec::new();
    let mut buf = [0u8; 65536];
    let end = Instant::now() + Duration::from_secs_f64(secs);
    while Instant::now() < end {
        let Ok((n, _)) = socket.recv_from(&mut buf) else {
            continue;
        };
        let Ok((_, rosc::OscPacket::Bundle(b))) = rosc::decoder::decode_udp(&buf[..n]) else {
            continue;
        };
        for p in b.content {
            if let rosc::OscPacket::Message(m) = p {
                let at = m
                    .args
                    .iter()
                    .position(|a| a == &rosc::OscType::String("cycle".into()));
                if let Some(rosc::OscType::Float(c)) = at.map(|i| &m.args[i + 1]) {
                    out.push(*c);
                }
            }
        }
    }
    out
}

/// Plays `bd*8` in d1 for 2 s at 1 cps (latency 100 ms, frames of 20 ms, so a
/// 50 ms wait for answers), its 25th query (half a second in) taking `stall_ms`.
/// Returns the cycles played, what the scheduler said, and the queries made.
fn one_slow_query(stall_ms: u64) -> (Vec<f32>, Vec<String>, usize) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let cfg = Config {
        cps: Time::int(1),
        latency_ns: 100_000_000,
        frame_ns: 20_000_000,
        targets: vec![socket.local_addr().unwrap()],
    };
    let (report_tx, reports) = channel();
    let (commands, command_rx) = channel();
    let scheduler = Scheduler::new(cfg, report_tx).unwrap();
    let thread = std::thread::spawn(move || scheduler.run(command_rx));
    let (bd, _) = Session::new().pattern("s \"bd*8\"").unwrap();
    let queries = Arc::new(AtomicUsize::new(0));
    let q = queries.clone();
    let slow_once = Pattern::new(move |st| {
        if q.fetch_add(1, Ordering::SeqCst) == 25 {
            std::thread::sleep(Duration::from_millis(stall_ms));
        }
        bd.query_span_with(st.span, st.controls, st.budget)
    });
    commands
        .send(Command::Play {
            slot: SlotId::Number(1),
            pattern: slow_once,
            orbit: Some(0),
        })
        .unwrap();
    let cycles = cycles_played(&socket, 2.0);
    commands.send(Command::Stop).unwrap();
    thread.join().unwrap();
    let said = reports.try_iter().collect();
    (cycles, said, queries.load(Ordering::SeqCst))
}

/// The scheduler said that d1 was late (and went on waiting for it).
fn assert_saw_the_stall(said: &[String]) {
    assert!(
        said.iter()
            .any(|r| r.starts_with("d1: no answer within 50 ms")),
        "the stall was seen: {said:?}"
    );
}

/// The eighths missing from `cycles`, which should run on in eighths.
fn missing(cycles: &[f32]) -> usize {
    let first = cycles.iter().copied().fold(f32::MAX, f32::min);
    let last = cycles.iter().copied().fold(0f32, f32::max);
    assert!(
        first < 0.5 && last >= 1.5,
        "d1 played cycles {first}..{last} in 2 s"
    );
    ((last - first) * 8.0) as usize + 1 - cycles.len()
}

#[test]
fn a_proven_slot_rides_out_a_slow_query_losing_only_what_came_too_late() {
    let (cycles, said, queries) = one_slow_query(300);
    assert_saw_the_stall(&said);
    assert!(
        !said
            .iter()
            .any(|r| r.contains("silenced") || r.contains("previous")),
        "d1 kept its pattern: {said:?}"
    );
    assert!(queries > 50, "it played on: {queries} queries");
    // 300 ms late with 100 ms of latency: about 200 ms of eighths were too late
    let lost = missing(&cycles);
    assert!((1..=6).contains(&lost), "{lost} eighths lost: {cycles:?}");
}

#[test]
fn a_short_stall_loses_nothing_the_late_answer_is_still_in_time() {
    let (cycles, said, _) = one_slow_query(70);
    assert_saw_the_stall(&said);
    assert_eq!(missing(&cycles), 0, "{cycles:?}");
}
