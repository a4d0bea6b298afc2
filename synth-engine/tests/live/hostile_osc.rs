//! Hostile OSC against the real binary: 200,000 packets of garbage, truncated and corrupted
//! messages and bundles, wrong argument types, NaN/inf/huge/negative values for every
//! parameter, path names, deep nesting, absurd timetags and oversized strings. Afterwards the
//! engine must still run, answer the handshake, play a normal event on time, have written only
//! finite samples within the limiter's ceiling, and never have opened a file outside its
//! sample folders.

#[path = "../common/mod.rs"]
mod common;
use common::live::*;
use common::*;
use notify::{EventKind, RecursiveMode, Watcher};
use rosc::{
    OscArray, OscBundle, OscColor, OscMessage, OscMidiMessage, OscPacket, OscTime, OscType,
};
use std::net::UdpSocket;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use synth_engine::dispatch::params::Param;

const PACKETS: usize = 200_000;
const MAX_VOICES: usize = 64;
const ORBITS: usize = 2;

/// Parameter aliases SuperDirt and Tidal send (besides the canonical names).
const ALIASES: [&str; 19] = [
    "lpf", "ctf", "lpq", "res", "hpf", "hpq", "bpf", "bpq", "att", "rel", "sz", "delayt", "dt",
    "delayfb", "dfb", "sus", "up", "accel", "fadetime",
];

/// Sound names that try to leave the sample folders.
const PATHS: [&str; 16] = [
    "../../etc/passwd",
    "/etc/passwd",
    "..\\x",
    "..",
    ".",
    "../outside/secret",
    "x/../../outside/secret",
    "../outside",
    "evil",
    "evil:0",
    "secret",
    "y",
    "nobank\0/../x",
    "file:///etc/passwd",
    "~/secret",
    "%2e%2e/outside",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn s(x: &str) -> OscType {
    OscType::String(x.into())
}

fn play(args: Vec<OscType>) -> OscPacket {
    OscPacket::Message(OscMessage {
        addr: "/dirt/play".into(),
        args,
    })
}

fn bundle(time: OscTime, content: Vec<OscPacket>) -> OscPacket {
    OscPacket::Bundle(OscBundle {
        timetag: time,
        content,
    })
}

/// Values no parameter should survive unharmed.
fn hostile_values() -> Vec<OscType> {
    vec![
        OscType::Float(f32::NAN),
        OscType::Float(f32::INFINITY),
        OscType::Float(f32::NEG_INFINITY),
        OscType::Double(f64::NAN),
        OscType::Double(f64::INFINITY),
        OscType::Double(f64::NEG_INFINITY),
        OscType::Double(1e300),
        OscType::Double(-1e300),
        OscType::Float(f32::MAX),
        OscType::Float(-f32::MAX),
        OscType::Float(f32::MIN_POSITIVE / 4.0),
        OscType::Int(i32::MIN),
        OscType::Int(i32::MAX),
        OscType::Long(i64::MIN),
        OscType::Long(i64::MAX),
        OscType::Double(-1.0),
        OscType::Double(0.0),
        OscType::Double(5e-324),
        s("nan"),
        s("inf"),
        s("-1e999"),
        s("1e308"),
        OscType::Bool(true),
        OscType::Nil,
        OscType::Inf,
        OscType::Blob(vec![1, 2, 3]),
        OscType::Time(OscTime {
            seconds: 1,
            fractional: 2,
        }),
        OscType::Char('x'),
        OscType::Color(OscColor {
            red: 1,
            green: 2,
            blue: 3,
            alpha: 4,
        }),
        OscType::Midi(OscMidiMessage {
            port: 0,
            status: 0x90,
            data1: 60,
            data2: 127,
        }),
        OscType::Array(OscArray {
            content: vec![OscType::Double(f64::NAN), s("x")],
        }),
    ]
}

/// An OSC string (NUL-terminated, padded to 4 bytes).
fn osc_string(x: &[u8]) -> Vec<u8> {
    let mut v = x.to_vec();
    v.push(0);
    while !v.len().is_multiple_of(4) {
        v.push(0);
    }
    v
}

/// `depth` bundles, each inside the last, around one `/dirt/play` (built by hand: no recursion here).
fn nested_bundles(depth: usize, time: OscTime) -> Vec<u8> {
    let mut inner = encode(&dirt_play("x"));
    for _ in 0..depth {
        let mut b = osc_string(b"#bundle");
        b.extend_from_slice(&time.seconds.to_be_bytes());
        b.extend_from_slice(&time.fractional.to_be_bytes());
        b.extend_from_slice(&(inner.len() as u32).to_be_bytes());
        b.extend_from_slice(&inner);
        inner = b;
    }
    inner
}

/// A `/dirt/play` whose type tags open `depth` arrays (the arrays carry no data).
fn nested_arrays(depth: usize) -> Vec<u8> {
    let mut tags = b",ss".to_vec();
    tags.extend(std::iter::repeat_n(b'[', depth));
    tags.extend(std::iter::repeat_n(b']', depth));
    let mut m = osc_string(b"/dirt/play");
    m.extend(osc_string(&tags));
    m.extend(osc_string(b"s"));
    m.extend(osc_string(b"x"));
    m
}

/// The packet stream: every parameter (and alias) with every hostile value on every kind of
/// sound first, then a random mix of every kind of trouble.
struct Hostile {
    rng: Rng,
    names: Vec<&'static str>,
    values: Vec<OscType>,
    sounds: Vec<String>,
    systematic: usize,
    /// A valid bundle to truncate and corrupt.
    template: Vec<u8>,
    far_ahead: OscTime,
}

impl Hostile {
    fn new(sounds: Vec<String>, far_ahead: OscTime) -> Hostile {
        let mut names: Vec<&'static str> = Param::all().iter().map(|p| p.name()).collect();
        names.extend(ALIASES);
        names.extend(["s", "sound", "vowel", "unit", "_id_", "cps", "orbit"]);
        let template = encode(&bundle(
            timetag(unix_now()),
            vec![play(named(&[
                ("s", s("x")),
                ("speed", OscType::Float(2.0)),
                ("room", OscType::Float(0.3)),
                ("lpf", OscType::Double(900.0)),
            ]))],
        ));
        Hostile {
            rng: Rng(0x9e37_79b9_7f4a_7c15),
            names,
            values: hostile_values(),
            sounds,
            systematic: 0,
            template,
            far_ahead,
        }
    }

    fn systematic_count(&self) -> usize {
        self.names.len() * self.values.len() * self.sounds.len()
    }

    fn next(&mut self) -> Vec<u8> {
        if self.systematic < self.systematic_count() {
            let k = self.systematic;
            self.systematic += 1;
            let v = self.values[k % self.values.len()].clone();
            let name = self.names[(k / self.values.len()) % self.names.len()];
            let sound = &self.sounds[k / (self.values.len() * self.names.len())];
            let mut args = vec![s("s"), s(sound), s(name), v];
            if name == "s" || name == "sound" {
                args.drain(..2);
            }
            let msg = play(args);
            return encode(&if k.is_multiple_of(2) {
                msg
            } else {
                bundle(timetag(unix_now() + 0.02), vec![msg])
            });
        }
        let r = &mut self.rng;
        match r.below(16) {
            0 => {
                let n = r.below(600);
                r.bytes(n)
            }
            1 => Vec::new(),
            2 => {
                let cut = r.below(self.template.len());
                self.template[..cut].to_vec()
            }
            3 | 4 => {
                let mut b = self.template.clone();
                for _ in 0..1 + r.below(4) {
                    let i = r.below(b.len());
                    b[i] = r.next() as u8;
                }
                b
            }
            5 => {
                // wrong types, odd counts, names that are not strings
                let mut args = Vec::new();
                for _ in 0..r.below(7) {
                    args.push(self.values[r.below(self.values.len())].clone());
                }
                encode(&play(args))
            }
            6..=9 => {
                // a playable event with a few hostile values
                let sound = self.sounds[r.below(self.sounds.len())].clone();
                let mut args = vec![s("s"), s(&sound)];
                for _ in 0..1 + r.below(5) {
                    args.push(s(self.names[r.below(self.names.len())]));
                    args.push(self.values[r.below(self.values.len())].clone());
                }
                let msg = play(args);
                encode(&if r.below(2) == 0 {
                    msg
                } else {
                    bundle(timetag(unix_now() + 0.01 * r.below(10) as f64), vec![msg])
                })
            }
            10 => encode(&play(vec![s("s"), s(PATHS[r.below(PATHS.len())])])),
            11 => {
                let depth = [17, 40, 41, 100, 1000, 3000][r.below(6)];
                nested_bundles(depth, timetag(unix_now()))
            }
            12 => {
                let times = [
                    OscTime {
                        seconds: 1,
                        fractional: 0,
                    },
                    OscTime {
                        seconds: 0,
                        fractional: 1,
                    },
                    OscTime {
                        seconds: 0,
                        fractional: 0,
                    },
                    OscTime {
                        seconds: u32::MAX,
                        fractional: u32::MAX,
                    },
                    timetag(unix_now() - 100.0),
                    timetag(unix_now() + 61.0),
                    timetag(unix_now() + 1e6),
                    // ahead, but within the engine's 60 s: held until after the test
                    // (more of them than the engine can hold)
                    self.far_ahead,
                    self.far_ahead,
                    self.far_ahead,
                    self.far_ahead,
                    self.far_ahead,
                    self.far_ahead,
                    self.far_ahead,
                    self.far_ahead,
                    self.far_ahead,
                    self.far_ahead,
                ];
                encode(&bundle(times[r.below(times.len())], vec![dirt_play("x")]))
            }
            13 if r.below(8) == 0 => {
                // oversized: address, sound name, parameter name, string value, blob
                let big = "a".repeat(60_000);
                let p = match r.below(5) {
                    0 => OscPacket::Message(OscMessage {
                        addr: format!("/{big}"),
                        args: vec![],
                    }),
                    1 => play(vec![s("s"), s(&big)]),
                    2 => play(vec![s("s"), s("x"), s(&big), OscType::Float(1.0)]),
                    3 => play(vec![s("s"), s("x"), s("speed"), s(&big)]),
                    _ => play(vec![s("s"), s("x"), s("n"), OscType::Blob(vec![7; 60_000])]),
                };
                encode(&p)
            }
            13 => {
                // long (but not huge) names and values
                let long = "b".repeat(1 + r.below(2000));
                encode(&play(vec![s("s"), s(&long), s(&long), s(&long)]))
            }
            14 => nested_arrays([64, 1000, 20_000][r.below(3)]),
            _ => {
                let addr = [
                    "/dirt/hush",
                    "/",
                    "/dirt/play/",
                    "/dirt/handshake/reply",
                    "/n_free",
                ][r.below(5)];
                encode(&OscPacket::Message(OscMessage {
                    addr: addr.into(),
                    args: vec![s("s"), s("x")],
                }))
            }
        }
    }
}

/// Sends a handshake and waits for its reply: the engine has then read every packet sent
/// before it (one thread reads the socket in order). Returns the handshakes sent.
fn sync(engine: &LiveEngine, client: &UdpSocket) -> u64 {
    let hs = encode(&OscPacket::Message(OscMessage {
        addr: "/dirt/handshake".into(),
        args: vec![],
    }));
    let mut sent = 0;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        client.send_to(&hs, engine.target()).unwrap();
        sent += 1;
        let mut buf = [0u8; 4096];
        let waited = Instant::now();
        while waited.elapsed() < Duration::from_millis(300) {
            // the reply, not an /ostinato/notice about an earlier hostile event
            if let Ok((n, _)) = client.recv_from(&mut buf) {
                if let Ok((_, OscPacket::Message(m))) = rosc::decoder::decode_udp(&buf[..n]) {
                    if m.addr == "/dirt/handshake/reply" {
                        return sent;
                    }
                }
            }
        }
        assert!(
            Instant::now() < deadline,
            "the engine stopped answering the handshake"
        );
    }
}

/// The file-open events on `path` seen by `rx` so far.
fn opens(rx: &mpsc::Receiver<notify::Result<notify::Event>>, path: &Path) -> usize {
    rx.try_iter()
        .filter_map(Result::ok)
        .filter(|e| matches!(e.kind, EventKind::Access(_)))
        .filter(|e| e.paths.iter().any(|p| p == path))
        .count()
}

fn shipped_synths() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("voices");
    let mut v: Vec<String> = synth_engine::voicelang::bank::voice_files(&dir)
        .unwrap()
        .iter()
        .filter_map(|f| f.file_stem()?.to_str().map(str::to_string))
        .filter(|n| n.starts_with("super"))
        .collect();
    v.sort();
    v
}

#[test]
fn hostile_packets_never_stop_the_engine() {
    let root = temp_dir("hostile");
    let samples = root.join("samples");
    let outside = root.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    write_sample(&samples, "x", "a.wav", SR, &[vec![0.5; 4800]]);
    write_sample(&samples, "z", "a.wav", SR, &[vec![0.0; 24000]]);
    // a loud, decodable file outside the sample folder, and links into it from inside
    write_sample(&outside, "secret", "secret.wav", SR, &[vec![0.9; 48000]]);
    let secret = outside.join("secret").join("secret.wav");
    std::os::unix::fs::symlink(outside.join("secret"), samples.join("evil")).unwrap();
    std::fs::create_dir_all(samples.join("y")).unwrap();
    std::os::unix::fs::symlink(&secret, samples.join("y").join("link.wav")).unwrap();

    // every open of the secret file is seen (checked with an open of our own first)
    let (tx, opened) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).unwrap();
    watcher
        .watch(&outside.join("secret"), RecursiveMode::NonRecursive)
        .unwrap();
    drop(std::fs::File::open(&secret).unwrap());
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = 0;
    while seen == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        seen += opens(&opened, &secret);
    }
    assert!(seen > 0, "the file watcher does not report opens here");

    let wav = root.join("out.wav");
    let mut engine = LiveEngine::with_wav(
        &samples,
        &wav,
        &[
            "--max-voices",
            &MAX_VOICES.to_string(),
            "--orbits",
            &ORBITS.to_string(),
        ],
    );
    let origin = engine.origin.expect("frame 0 time in the ready line");
    let frame_of = |unix: f64| ((unix - origin) * SR as f64).round() as i64;
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client
        .set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    let mut handshakes = sync(&engine, &client);

    // 1. names that try to reach the file outside: nothing may sound
    let t = unix_now() + 0.1;
    for (k, name) in PATHS.iter().enumerate() {
        for n in [0, 1] {
            let args = vec![s("s"), s(name), s("n"), OscType::Int(n)];
            let p = if k % 2 == 0 {
                play(args)
            } else {
                bundle(timetag(t), vec![play(args)])
            };
            client.send_to(&encode(&p), engine.target()).unwrap();
        }
    }
    let paths_sent = 2 * PATHS.len() as u64;
    handshakes += sync(&engine, &client);
    LiveEngine::wait_until(t + 0.5, 10);
    let quiet_until = unix_now();

    // 2. the flood, synced every 100 packets (and after every big one) so the socket keeps up
    let mut sounds = vec!["x".to_string(), "z".to_string()];
    sounds.extend(shipped_synths());
    assert!(sounds.len() > 5, "{sounds:?}");
    let far_ahead = timetag(unix_now() + 55.0);
    let mut gen = Hostile::new(sounds, far_ahead);
    let started = Instant::now();
    let mut bytes_sent = 0usize;
    let mut since_sync = 0;
    for _ in 0..PACKETS {
        let p = gen.next();
        bytes_sent += p.len();
        // the kernel refuses datagrams beyond 65507 bytes; everything here fits
        client.send_to(&p, engine.target()).unwrap();
        since_sync += 1 + p.len() / 2000;
        if since_sync >= 100 {
            handshakes += sync(&engine, &client);
            since_sync = 0;
        }
    }
    handshakes += sync(&engine, &client);
    let flood_secs = started.elapsed().as_secs_f64();
    let flood_end = unix_now();
    assert!(engine.alive(), "the engine died:\n{}", engine.stderr());

    // 3. still answers the handshake as SuperDirt does
    let reply = engine.handshake(&client, 5).expect("handshake reply");
    handshakes += 1;
    assert_eq!(reply.addr, "/dirt/handshake/reply");
    assert_eq!(reply.args.get(3), Some(&OscType::Int(engine.port as i32)));

    // 4. steal every voice with silent ones and put the orbits' settings (which persist, as
    //    SuperDirt's do) back to their defaults, then a normal event
    //    on each orbit must sound on its frame. The hostile `lag` and `offset` values can delay
    //    an onset by up to 2 s (the next possible delay is 59 s), so the calm comes after that.
    LiveEngine::wait_until(flood_end + 2.5, 10);
    // twice, a second apart: whatever the first round left (a voice started by a late
    // hostile event meanwhile) the second takes away
    for round in 0..2 {
        if round == 1 {
            LiveEngine::wait_until(unix_now() + 1.0, 10);
        }
        let t = unix_now() + 0.1;
        for k in 0..(MAX_VOICES + 40) {
            let mut args = named(&[("s", s("z")), ("orbit", OscType::Int((k % ORBITS) as i32))]);
            for (name, value) in [
                ("room", 0.0),
                ("size", 0.0),
                ("dry", 0.0),
                ("delay", 0.0),
                ("delaytime", 0.01),
                ("delayfeedback", 0.0),
            ] {
                args.extend(named(&[(name, OscType::Float(value))]));
            }
            let calm = play(args);
            let p = bundle(timetag(t + k as f64 * 0.001), vec![calm]);
            client.send_to(&encode(&p), engine.target()).unwrap();
        }
        handshakes += sync(&engine, &client);
    }
    let probe = unix_now() + 2.0;
    let probes: Vec<f64> = (0..ORBITS).map(|k| probe + 0.25 * k as f64).collect();
    for (k, at) in probes.iter().enumerate() {
        let p = bundle(
            timetag(*at),
            vec![play(named(&[
                ("s", s("x")),
                ("orbit", OscType::Int(k as i32)),
            ]))],
        );
        client.send_to(&encode(&p), engine.target()).unwrap();
    }
    handshakes += sync(&engine, &client);
    LiveEngine::wait_until(probes[ORBITS - 1] + 0.3, 15);
    let rss = engine.rss_kb();
    assert!(engine.alive(), "the engine died:\n{}", engine.stderr());
    let status = engine.stop();
    let stderr = engine.stderr();
    assert!(status.success(), "{status:?}\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    // what the engine counted
    let count = |name: &str| {
        summary_count(&stderr, name).unwrap_or_else(|| panic!("no {name} in\n{stderr}"))
    };
    let (packets, malformed, events, rejected, not_found) = (
        count("packets"),
        count("malformed"),
        count("events"),
        count("rejected"),
        count("sound not found"),
    );
    let sent = PACKETS as u64 + paths_sent + handshakes + (2 * (MAX_VOICES + 40) + ORBITS) as u64;
    println!(
        "hostile OSC: sent {sent} packets ({PACKETS} hostile, {:.1} MB, in {flood_secs:.1} s), engine counted {packets}, malformed {malformed}, events {events} (rejected {rejected}, sound not found {not_found}), stolen {}, most voices at once {}, RSS {} kB",
        bytes_sent as f64 / 1e6,
        count("stolen"),
        count("most at once"),
        rss.unwrap_or(0),
    );
    // loopback UDP may drop a few when the socket buffer is full; the syncs keep it rare
    assert!(packets as f64 >= 0.98 * sent as f64, "{packets} of {sent}");
    assert!(packets <= sent, "{packets} of {sent}");
    assert!(malformed > PACKETS as u64 / 10, "{malformed}");
    assert!(rejected > 1000, "{rejected}");
    assert!(count("most at once") <= (MAX_VOICES + 32) as u64);
    for name in ["evil", "secret", "y"] {
        assert!(
            stderr.contains(&format!("no sample bank or synth named {name:?}")),
            "{name}: {stderr}"
        );
    }

    // never opened the file outside
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        opens(&opened, &secret),
        0,
        "the engine opened {}",
        secret.display()
    );

    let (left, right) = read_stereo(&wav);
    let bad = left
        .iter()
        .chain(&right)
        .filter(|x| !x.is_finite() || x.abs() > 1.0)
        .count();
    assert_eq!(bad, 0, "samples beyond the limiter's ceiling or not finite");
    // the path names played nothing
    let quiet = frame_of(quiet_until).min(left.len() as i64) as usize;
    let loudest = left[..quiet]
        .iter()
        .chain(&right[..quiet])
        .fold(0.0f32, |m, x| m.max(x.abs()));
    assert!(loudest < 1e-6, "path names made sound: peak {loudest}");
    // each probe sounds from its frame on (alone, the sample plays at about 0.14, a steady
    // level): the mean level steps up by about that much exactly at its frame. A mean, not a
    // threshold, so that a tail still ringing from the flood (zero-mean) cannot hide it.
    let mean = |x: &[f32]| x.iter().sum::<f32>() / x.len() as f32;
    for (k, at) in probes.iter().enumerate() {
        let f = frame_of(*at) as usize;
        assert!(f + 4000 < left.len(), "the WAV ends at {}", left.len());
        let step = mean(&left[f + 2..f + 402]) - mean(&left[f - 402..f - 2]);
        let before = rms(&left[f - 2400..f - 10]);
        let after = mean(&left[f + 2..f + 4000]) - mean(&left[f - 4000..f - 2]);
        assert!(
            step > 0.1 && after > 0.1,
            "probe on orbit {k}: step {step} at its frame, {after} over 4000 frames ({before} rms before); first loud frame {:?} (expected {f})\n{stderr}",
            first_above(&left[f - 24000..], 0.1).map(|i| i + f - 24000)
        );
    }
}
