//! The real binary over UDP on loopback: ready line, handshake, hostile packets, timetagged
//! bundles landing on their exact frames in a wall-clock-paced WAV, and a clean stop on SIGTERM.

mod common;
use common::*;
use rosc::{encoder, OscBundle, OscMessage, OscPacket, OscTime, OscType};
use std::io::{BufRead, BufReader};
use std::net::UdpSocket;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const NTP_OFFSET: u64 = 2_208_988_800;

fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn timetag(unix: f64) -> OscTime {
    let secs = unix.floor();
    OscTime {
        seconds: (secs as u64 + NTP_OFFSET) as u32,
        fractional: ((unix - secs) * 4_294_967_296.0).round() as u32,
    }
}

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

fn dirt_play(sound: &str) -> OscPacket {
    OscPacket::Message(OscMessage {
        addr: "/dirt/play".into(),
        args: vec![
            OscType::String("_id_".into()),
            OscType::String("1".into()),
            OscType::String("cps".into()),
            OscType::Float(0.5625),
            OscType::String("orbit".into()),
            OscType::Int(0),
            OscType::String("s".into()),
            OscType::String(sound.into()),
        ],
    })
}

/// Starts the engine; returns the child and its ready line.
fn start_engine(port: u16, wav: &std::path::Path, samples: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_synth-engine"))
        .args(["--port", &port.to_string(), "--buffer", "128", "--samples"])
        .arg(samples)
        .arg("--output")
        .arg(format!("wav:{}", wav.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start synth-engine");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let line = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("ready line within 20 s");
    (child, line)
}

fn stop(child: &mut Child) -> std::process::ExitStatus {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        assert!(Instant::now() < deadline, "engine did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn timetagged_bundles_sound_on_their_frames_and_the_wav_survives_sigterm() {
    let root = test_banks("live");
    let wav = root.join("out.wav");
    let port = free_port();
    let (mut child, ready) = start_engine(port, &wav, &root);
    assert!(ready.contains(&format!("127.0.0.1:{port}")), "{ready}");
    assert!(ready.contains("wav:"), "{ready}");
    let origin: f64 = ready
        .rsplit("unix time ")
        .next()
        .and_then(|s| s.trim().parse().ok())
        .expect("frame 0 time in the ready line");

    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let target = format!("127.0.0.1:{port}");

    // a burst of random datagrams, some starting like OSC (the kernel may drop some: UDP);
    // the handshake below is retried until answered, so the engine has caught up after it
    let mut x = 0x2545_f491u32;
    for k in 0..3000 {
        let len = (k * 7) % 600;
        let mut bytes: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        if k % 3 == 0 {
            let prefix: &[u8] = if k % 2 == 0 {
                b"#bundle\0"
            } else {
                b"/dirt/play\0\0,ss"
            };
            bytes.splice(0..0, prefix.iter().copied());
        }
        client.send_to(&bytes, &target).unwrap();
    }
    // handshake, answered to the sender as SuperDirt does
    let hs = encoder::encode(&OscPacket::Message(OscMessage {
        addr: "/dirt/handshake".into(),
        args: vec![],
    }))
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    let reply = loop {
        client.send_to(&hs, &target).unwrap();
        let mut buf = [0u8; 4096];
        if let Ok((n, _)) = client.recv_from(&mut buf) {
            break rosc::decoder::decode_udp(&buf[..n]).unwrap().1;
        }
        assert!(Instant::now() < deadline, "no handshake reply");
    };
    match reply {
        OscPacket::Message(m) => {
            assert_eq!(m.addr, "/dirt/handshake/reply");
            assert_eq!(m.args[0], OscType::String("&serverHostname".into()));
            assert_eq!(m.args[2], OscType::String("&serverPort".into()));
            assert_eq!(m.args[4], OscType::String("&controlBusIndices".into()));
            assert!(m.args[5..].iter().all(|a| matches!(a, OscType::Int(_))));
        }
        other => panic!("unexpected reply {other:?}"),
    }

    // hostile input: garbage, truncated bundles, odd argument lists, paths, NaN
    for junk in [
        &b"garbage"[..],
        b"#bundle\0\0\0\0",
        b"/dirt/play\0\0,s\0\0",
        &[0xff; 300][..],
    ] {
        client.send_to(junk, &target).unwrap();
    }
    for args in [
        vec![OscType::String("s".into())],
        vec![
            OscType::String("s".into()),
            OscType::String("../../etc/passwd".into()),
        ],
        vec![
            OscType::String("s".into()),
            OscType::String("imp".into()),
            OscType::String("speed".into()),
            OscType::Float(f32::NAN),
        ],
        vec![OscType::Int(3), OscType::Int(4)],
    ] {
        let p = OscPacket::Message(OscMessage {
            addr: "/dirt/play".into(),
            args,
        });
        client
            .send_to(&encoder::encode(&p).unwrap(), &target)
            .unwrap();
    }

    // three events a quarter second apart, one inside a nested bundle, as Tidal sends them
    let t0 = unix_now() + 0.3;
    let times = [t0, t0 + 0.25, t0 + 0.5 + 7.0 / 48000.0];
    for (k, t) in times.iter().enumerate() {
        let inner = OscPacket::Bundle(OscBundle {
            timetag: timetag(*t),
            content: vec![dirt_play("imp")],
        });
        let packet = if k == 2 {
            OscPacket::Bundle(OscBundle {
                timetag: timetag(*t - 1.0),
                content: vec![inner],
            })
        } else {
            inner
        };
        client
            .send_to(&encoder::encode(&packet).unwrap(), &target)
            .unwrap();
    }
    // wait (polling the clock) until the last event is well past, then stop the engine
    let deadline = Instant::now() + Duration::from_secs(10);
    while unix_now() < t0 + 0.8 {
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = stop(&mut child);
    assert!(status.success(), "{status:?}");
    let mut stderr = String::new();
    use std::io::Read;
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(stderr.contains("malformed"), "{stderr}");

    let mut reader = hound::WavReader::open(&wav).expect("a valid WAV after SIGTERM");
    assert_eq!(reader.spec().channels, 2);
    assert_eq!(reader.spec().sample_rate, 48000);
    let samples: Vec<f32> = reader.samples::<f32>().map(Result::unwrap).collect();
    let left: Vec<f32> = samples.iter().step_by(2).copied().collect();
    assert!(left.len() as f64 >= (t0 + 0.8 - origin) * 48000.0 - 48000.0 * 0.1);
    // (an onset on frame 0 counts too: the bare message may play before anything else)
    let onsets: Vec<usize> = std::iter::once(0.0)
        .chain(left.iter().copied())
        .collect::<Vec<f32>>()
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0].abs() < 0.1 && w[1].abs() > 0.1)
        .map(|(i, _)| i)
        .collect();
    let expected: Vec<i64> = times
        .iter()
        .map(|t| ((t - origin) * 48000.0).round() as i64)
        .collect();
    // every timetag has an onset on its frame (within 1), and the only other onset is
    // the bare message with a NaN speed, played at once (the NaN dropped, the event kept)
    let mut others = onsets.clone();
    for e in &expected {
        let hit = others.iter().position(|o| (*o as i64 - e).abs() <= 1);
        let Some(i) = hit else {
            panic!("no onset at timetag frame {e}: onsets {onsets:?}\n{stderr}");
        };
        others.remove(i);
    }
    assert_eq!(others.len(), 1, "onsets {onsets:?}, expected {expected:?}");
    assert!((others[0] as i64) < expected[2], "{others:?}");
}

#[test]
fn a_bare_message_plays_at_once_and_a_busy_port_is_a_clear_error() {
    let root = test_banks("bare");
    let wav = root.join("bare.wav");
    let port = free_port();
    let (mut child, _) = start_engine(port, &wav, &root);
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    let sent = Instant::now();
    client
        .send_to(
            &encoder::encode(&dirt_play("dc")).unwrap(),
            format!("127.0.0.1:{port}"),
        )
        .unwrap();

    // a second engine on the same port fails with a message, not a panic
    let second = Command::new(env!("CARGO_BIN_EXE_synth-engine"))
        .args(["--port", &port.to_string(), "--output", "null", "--samples"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(!second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("cannot listen"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    while sent.elapsed() < Duration::from_millis(400) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(stop(&mut child).success());
    let mut reader = hound::WavReader::open(&wav).unwrap();
    let samples: Vec<f32> = reader.samples::<f32>().map(Result::unwrap).collect();
    let loud = samples.iter().filter(|x| x.abs() > 0.1).count();
    // the 0.1 s dc sample, both channels
    assert!((loud as i64 - 9600).abs() < 200, "{loud}");
}

#[test]
fn the_alsa_null_device_runs_the_real_callback_path() {
    let root = test_banks("alsa-null");
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_synth-engine"))
        .args([
            "--port",
            &port.to_string(),
            "--device",
            "null",
            "--buffer",
            "256",
            "--samples",
        ])
        .arg(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let ready = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("ready line from the ALSA null device");
    assert!(ready.contains("output device null"), "{ready}");
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    let t = unix_now() + 0.1;
    for k in 0..4 {
        let p = OscPacket::Bundle(OscBundle {
            timetag: timetag(t + 0.05 * k as f64),
            content: vec![dirt_play("dc")],
        });
        client
            .send_to(&encoder::encode(&p).unwrap(), format!("127.0.0.1:{port}"))
            .unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while unix_now() < t + 0.6 {
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(stop(&mut child).success());
    let mut stderr = String::new();
    use std::io::Read;
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(stderr.contains("voices started 4"), "{stderr}");
}

#[test]
fn a_missing_device_is_a_clear_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_synth-engine"))
        .args([
            "--port",
            &free_port().to_string(),
            "--device",
            "no-such-device-anywhere",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no audio output device found"), "{err}");
    assert!(err.contains("--output wav:PATH"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.stdout.is_empty(), "no ready line");
}
