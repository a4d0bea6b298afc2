//! Samples that stay current: banks and files added, changed or removed while the real binary runs are playable (or gone) within a second.

#[path = "../common/mod.rs"]
mod common;

use common::live::{encode, read_stereo, timetag, unix_now, LiveEngine};
use common::{test_banks, write_sample, SR};
use rosc::{OscBundle, OscMessage, OscPacket, OscType};
use std::net::UdpSocket;
use std::time::Duration;

fn play_at(client: &UdpSocket, engine: &LiveEngine, id: &str, sound: &str, at: f64) {
    let s = |v: &str| OscType::String(v.into());
    let bundle = OscPacket::Bundle(OscBundle {
        timetag: timetag(at),
        content: vec![OscPacket::Message(OscMessage {
            addr: "/dirt/play".into(),
            args: vec![s("_id_"), s(id), s("s"), s(sound)],
        })],
    });
    client.send_to(&encode(&bundle), engine.target()).unwrap();
}

/// Kinds of the notices that arrive within `ms`.
fn notice_kinds(client: &UdpSocket, ms: u64) -> Vec<String> {
    client
        .set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    let until = unix_now() + ms as f64 / 1000.0;
    let mut kinds = Vec::new();
    let mut buf = [0u8; 4096];
    while unix_now() < until {
        if let Ok((n, _)) = client.recv_from(&mut buf) {
            if let Ok((_, OscPacket::Message(m))) = rosc::decoder::decode_udp(&buf[..n]) {
                if m.addr == "/ostinato/notice" {
                    kinds.push(format!("{:?}", m.args));
                }
            }
        }
    }
    kinds
}

#[test]
fn banks_added_changed_and_removed_while_running_are_played_or_gone_within_a_second() {
    let root = test_banks("watch");
    let wav = root.join("watch.wav");
    let mut engine = LiveEngine::with_wav(&root, &wav, &[]);
    let origin = engine.origin.expect("frame 0 time in the ready line");
    let frame_of = |unix: f64| ((unix - origin) * SR as f64).round() as usize;
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();

    // a bank that does not exist yet, then is added
    play_at(&client, &engine, "a", "fresh", unix_now());
    let before = notice_kinds(&client, 300);
    assert!(
        before.iter().any(|n| n.contains("unknown-sound")),
        "{before:?}"
    );
    write_sample(&root, "fresh", "a.wav", SR, &[vec![0.5; 4800]]);
    std::thread::sleep(Duration::from_millis(1000));
    let added = unix_now() + 0.2;
    play_at(&client, &engine, "b", "fresh", added);
    // the file changes: the new contents play
    std::thread::sleep(Duration::from_millis(400));
    write_sample(&root, "fresh", "a.wav", SR, &[vec![-0.5; 4800]]);
    std::thread::sleep(Duration::from_millis(1000));
    let changed = unix_now() + 0.2;
    play_at(&client, &engine, "c", "fresh", changed);
    // a long file starts, then its bank is removed while it plays
    write_sample(&root, "long", "a.wav", SR, &[vec![0.25; SR as usize * 2]]);
    std::thread::sleep(Duration::from_millis(1000));
    let long = unix_now() + 0.2;
    play_at(&client, &engine, "d", "long", long);
    LiveEngine::wait_until(long + 0.3, 5);
    std::fs::remove_dir_all(root.join("long")).unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    play_at(&client, &engine, "e", "long", unix_now());
    let gone = notice_kinds(&client, 300);
    LiveEngine::wait_until(long + 2.5, 10);
    assert!(engine.stop().success());
    let stderr = engine.stderr();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        gone.iter()
            .any(|n| n.contains("unknown-sound") && n.contains("\"e\"")),
        "{gone:?}\n{stderr}"
    );
    let (left, _) = read_stereo(&wav);
    let mean = |from: usize, to: usize| left[from..to].iter().sum::<f32>() / (to - from) as f32;
    let f = frame_of(added);
    assert!(
        mean(f + 100, f + 4000) > 0.1,
        "added bank: {}\n{stderr}",
        mean(f + 100, f + 4000)
    );
    let f = frame_of(changed);
    assert!(
        mean(f + 100, f + 4000) < -0.1,
        "changed file: {}\n{stderr}",
        mean(f + 100, f + 4000)
    );
    // the removed file's voice plays to its end from memory, then stops
    let f = frame_of(long);
    let during = mean(f + SR as usize, f + SR as usize * 3 / 2);
    assert!(during > 0.05, "removed while playing: {during}\n{stderr}");
    let after = mean(f + SR as usize * 2 + 2000, f + SR as usize * 2 + 6000).abs();
    assert!(after < 0.01, "after the end: {after}");
}
