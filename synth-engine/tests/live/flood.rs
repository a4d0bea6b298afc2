//! A flood against the real binary: 10,000 events a second, each in its own bundle stamped
//! 50-100 ms ahead as Tidal sends them, samples and synth voices mixed, for 10 s
//! (`OSTINATO_FLOOD_SECS=60` for the full minute). The engine must keep real time, keep its
//! voices within `--max-voices` by stealing, keep its memory bounded, and say what it
//! stole and dropped.

#[path = "../common/mod.rs"]
mod common;
use common::live::*;
use common::*;
use rosc::{OscBundle, OscMessage, OscPacket, OscType};
use std::net::UdpSocket;
use std::time::{Duration, Instant};

const RATE: u64 = 10_000;
/// Enough to steal all the time at this rate, few enough to leave headroom on a busy machine.
const MAX_VOICES: u64 = 64;
/// Stolen voices may fade beyond `--max-voices` (the engine's STEAL_RESERVE).
const STEAL_RESERVE: u64 = 32;

const SAMPLES: [&str; 6] = ["imp", "dc", "noise", "sine", "st", "ramp"];
const SYNTHS: [&str; 5] = [
    "superkick",
    "superhat",
    "supersaw",
    "superpiano",
    "supersnare",
];

fn event(k: u64, at: f64) -> Vec<u8> {
    let mut x = k.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 16;
    let mut pick = |n: u64| {
        let v = x % n;
        x /= n;
        v
    };
    let s = |v: &str| OscType::String(v.into());
    let mut args = vec![
        s("cps"),
        OscType::Float(0.5625),
        s("cycle"),
        OscType::Float(k as f32 / 16.0),
    ];
    if pick(10) < 7 {
        args.extend([
            s("s"),
            s(SAMPLES[pick(SAMPLES.len() as u64) as usize]),
            s("speed"),
            OscType::Float(0.5 + pick(4) as f32 * 0.5),
            s("gain"),
            OscType::Float(0.6 + pick(4) as f32 * 0.1),
        ]);
    } else {
        args.extend([
            s("s"),
            s(SYNTHS[pick(SYNTHS.len() as u64) as usize]),
            s("note"),
            OscType::Float(pick(24) as f32),
            s("sustain"),
            OscType::Float(0.1 + pick(4) as f32 * 0.1),
        ]);
    }
    args.extend([
        s("pan"),
        OscType::Float(pick(9) as f32 / 8.0),
        s("orbit"),
        OscType::Int(pick(4) as i32),
    ]);
    match pick(8) {
        0 => args.extend([
            s("room"),
            OscType::Float(0.3),
            s("size"),
            OscType::Float(0.8),
        ]),
        1 => args.extend([
            s("delay"),
            OscType::Float(0.3),
            s("delaytime"),
            OscType::Float(0.2),
        ]),
        2 => args.extend([
            s("cutoff"),
            OscType::Float(800.0),
            s("resonance"),
            OscType::Float(0.2),
        ]),
        _ => {}
    }
    encode(&OscPacket::Bundle(OscBundle {
        timetag: timetag(at),
        content: vec![OscPacket::Message(OscMessage {
            addr: "/dirt/play".into(),
            args,
        })],
    }))
}

#[test]
fn ten_thousand_events_a_second_keep_real_time_and_bounded_memory() {
    let secs: u64 = std::env::var("OSTINATO_FLOOD_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10)
        .max(4);
    let root = test_banks("flood");
    let wav = root.join("flood.wav");
    let mut engine = LiveEngine::with_wav(&root, &wav, &["--max-voices", &MAX_VOICES.to_string()]);
    let origin = engine.origin.expect("frame 0 time in the ready line");
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    assert!(engine.handshake(&client, 5).is_some());

    // one event every 100 µs on average, sent in bursts every 5 ms; each stamped 50-100 ms ahead
    let started = Instant::now();
    let start_unix = unix_now();
    let total = RATE * secs;
    let mut sent = 0u64;
    let mut rss = Vec::new();
    let mut worst_lag = 0.0f64;
    let mut next_sample = 2.0;
    while sent < total {
        let elapsed = started.elapsed().as_secs_f64();
        let due = ((elapsed * RATE as f64) as u64).min(total);
        while sent < due {
            let ahead = 0.05 + 0.05 * (sent % 11) as f64 / 10.0;
            let at = start_unix + sent as f64 / RATE as f64 + ahead;
            client.send_to(&event(sent, at), engine.target()).unwrap();
            sent += 1;
        }
        if elapsed >= next_sample {
            // memory, and how far the written audio trails the wall clock (the WAV is
            // flushed every half second, so up to that much is still in the writer)
            rss.push((elapsed, engine.rss_kb().expect("VmRSS")));
            let lag = (unix_now() - origin) - wav_frames_on_disk(&wav) as f64 / SR as f64;
            worst_lag = worst_lag.max(lag);
            next_sample += if secs > 20 { 5.0 } else { 1.0 };
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let send_secs = started.elapsed().as_secs_f64();
    LiveEngine::wait_until(unix_now() + 0.5, 5);
    assert!(engine.alive(), "the engine died:\n{}", engine.stderr());
    let cpu = engine.cpu_seconds().expect("CPU time") / (unix_now() - origin);
    let rss_end = engine.rss_kb().expect("VmRSS");
    let stop_unix = unix_now();
    let status = engine.stop();
    let stderr = engine.stderr();
    assert!(status.success(), "{status:?}\n{stderr}");
    let count = |name: &str| {
        summary_count(&stderr, name).unwrap_or_else(|| panic!("no {name} in\n{stderr}"))
    };
    let (events, started_voices, stolen, most, queue_full, overflow, late, packets) = (
        count("events"),
        count("voices started"),
        count("stolen"),
        count("most at once"),
        count("queue full"),
        count("pending overflow"),
        count("late"),
        count("packets"),
    );
    let frames = wav_frames_on_disk(&wav);
    let wall = (stop_unix - origin) * SR as f64;
    let (rss_early, rss_mid) = (rss[0].1, rss[rss.len() / 2].1);
    println!(
        "flood: {secs} s, sent {sent} events in {send_secs:.1} s ({:.0}/s), engine received {packets} packets and {events} events, voices started {started_voices} (stolen {stolen}, most at once {most}), dropped: queue full {queue_full}, pending overflow {overflow}; late {late}; frames {frames} vs wall {wall:.0} (worst lag while running {:.0} ms); RSS {rss_early} kB at {:.0} s, {rss_mid} kB at {:.0} s, {rss_end} kB at the end; engine CPU {:.0}% of one core",
        sent as f64 / send_secs,
        worst_lag * 1000.0,
        rss[0].0,
        rss[rss.len() / 2].0,
        cpu * 100.0,
    );
    let reports = stderr.matches("voice(s) stolen").count() as u64;
    println!("flood: {reports} per-second reports of stolen and dropped events");

    // it heard (nearly) everything and played what it heard; every drop is counted
    assert!(events as f64 >= 0.95 * sent as f64, "{events} of {sent}");
    assert!(
        started_voices + queue_full + overflow
            >= events - count("rejected") - count("sound not found")
    );
    assert!(
        started_voices as f64 >= 0.95 * events as f64,
        "{started_voices} of {events}"
    );
    // stealing keeps the pool within its limit
    assert!(stolen > 0);
    assert!(most <= MAX_VOICES + STEAL_RESERVE, "{most} voices at once");
    // real time: the written audio ends where the wall clock is (the paced output renders
    // each block when its time comes, catching up if it fell behind)
    assert!(
        (frames as f64 - wall).abs() < 0.5 * SR as f64,
        "{frames} frames vs {wall:.0}"
    );
    assert!(
        worst_lag < 1.5,
        "the output trailed the wall clock by {worst_lag:.2} s"
    );
    assert!(
        (late as f64) < 0.05 * events as f64,
        "{late} late of {events}"
    );
    // bounded memory: no growth beyond half again what it used after 2 s
    assert!(
        rss_end * 2 <= rss_early * 3,
        "RSS grew from {rss_early} kB to {rss_end} kB"
    );
    // it said what it stole and dropped, once a second
    assert!(
        reports + 3 >= secs,
        "{reports} reports in {secs} s:\n{stderr}"
    );
}

/// A long, costly synth note.
fn heavy(k: u64, at: f64) -> Vec<u8> {
    let synth = ["supersaw", "superpiano", "superhoover"][(k % 3) as usize];
    encode(&OscPacket::Bundle(OscBundle {
        timetag: timetag(at),
        content: vec![dirt_packet(
            dirt!(s: synth, note: (k % 24) as f32, sustain: 6.0, gain: 0.5),
        )],
    }))
}

#[test]
fn an_overloaded_engine_sheds_its_oldest_voices_and_keeps_real_time() {
    // far more voices allowed than one core can render: the render load, not the voice
    // limit, has to keep the output in time
    let root = test_banks("overload");
    let wav = root.join("overload.wav");
    let mut engine = LiveEngine::with_wav(&root, &wav, &["--max-voices", "4096"]);
    let origin = engine.origin.expect("frame 0 time in the ready line");
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    assert!(engine.handshake(&client, 5).is_some());
    let secs = 6.0;
    let rate = 1000.0;
    let started = Instant::now();
    let start_unix = unix_now();
    let mut sent = 0u64;
    let mut worst_lag = 0.0f64;
    let mut next_check = 1.5;
    while started.elapsed().as_secs_f64() < secs {
        let elapsed = started.elapsed().as_secs_f64();
        while (sent as f64) < elapsed * rate {
            let at = start_unix + sent as f64 / rate + 0.1;
            client.send_to(&heavy(sent, at), engine.target()).unwrap();
            sent += 1;
        }
        if elapsed >= next_check {
            let lag = (unix_now() - origin) - wav_frames_on_disk(&wav) as f64 / SR as f64;
            worst_lag = worst_lag.max(lag);
            next_check += 0.5;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(engine.alive(), "the engine died:\n{}", engine.stderr());
    let stop_unix = unix_now();
    let status = engine.stop();
    let stderr = engine.stderr();
    assert!(status.success(), "{status:?}\n{stderr}");
    let shed = summary_count(&stderr, "voices shed to keep real time")
        .unwrap_or_else(|| panic!("no shed count in\n{stderr}"));
    let most = summary_count(&stderr, "most at once").unwrap();
    let frames = wav_frames_on_disk(&wav);
    let wall = (stop_unix - origin) * SR as f64;
    println!(
        "overload: {sent} six-second synth notes in {secs} s; {shed} voices shed, most at once {most}; frames {frames} vs wall {wall:.0}, worst lag {:.0} ms",
        worst_lag * 1000.0
    );
    assert!(shed > 0, "nothing shed:\n{stderr}");
    assert!(stderr.contains("could not keep up"), "{stderr}");
    // in time: the written audio follows the wall clock
    assert!(
        worst_lag < 1.0,
        "the output trailed the wall clock by {worst_lag:.2} s\n{stderr}"
    );
    assert!(
        (frames as f64 - wall).abs() < 0.5 * SR as f64,
        "{frames} frames vs {wall:.0}"
    );
    // and it kept playing: thousands of notes would have sounded at once without shedding
    assert!(most > 8 && most < sent, "{most} at once of {sent}");
}
