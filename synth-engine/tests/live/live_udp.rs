//! The real binary over UDP on loopback: ready line, handshake, hostile packets, timetagged
//! bundles landing on their exact frames in a wall-clock-paced WAV, and a clean stop on SIGTERM.

#[path = "../common/mod.rs"]
mod common;
use common::live::*;
use common::*;
use rosc::{encoder, OscBundle, OscMessage, OscPacket, OscType};
use std::net::UdpSocket;
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn timetagged_bundles_sound_on_their_frames_and_the_wav_survives_sigterm() {
    let root = test_banks("live");
    let wav = root.join("out.wav");
    let mut engine = LiveEngine::with_wav(&root, &wav, &[]);
    let (port, ready) = (engine.port, engine.ready.clone());
    assert!(ready.contains(&format!("127.0.0.1:{port}")), "{ready}");
    assert!(ready.contains("wav:"), "{ready}");
    let origin: f64 = engine.origin.expect("frame 0 time in the ready line");

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
    let reply = OscPacket::Message(engine.handshake(&client, 5).expect("no handshake reply"));
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
    let status = engine.stop();
    assert!(status.success(), "{status:?}");
    let stderr = engine.stderr();
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
    let mut engine = LiveEngine::with_wav(&root, &wav, &[]);
    let port = engine.port;
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
    assert!(engine.stop().success());
    let mut reader = hound::WavReader::open(&wav).unwrap();
    let samples: Vec<f32> = reader.samples::<f32>().map(Result::unwrap).collect();
    let loud = samples.iter().filter(|x| x.abs() > 0.1).count();
    // the 0.1 s dc sample, both channels
    assert!((loud as i64 - 9600).abs() < 200, "{loud}");
}

#[test]
fn the_alsa_null_device_runs_the_real_callback_path() {
    let root = test_banks("alsa-null");
    let samples = root.display().to_string();
    let mut engine =
        LiveEngine::start(&["--device", "null", "--buffer", "256", "--samples", &samples]);
    let (port, ready) = (engine.port, engine.ready.clone());
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
    assert!(engine.stop().success());
    let stderr = engine.stderr();
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
