//! A burst: 2,000 bundles sent back to back on loopback are all counted and all played by the real binary.

#[path = "../common/mod.rs"]
mod common;

use common::live::{encode, summary_count, timetag, unix_now, LiveEngine};
use common::test_banks;
use rosc::{OscBundle, OscMessage, OscPacket, OscType};
use std::net::UdpSocket;

const BUNDLES: usize = 2000;

#[test]
fn two_thousand_bundles_back_to_back_are_all_counted_and_played() {
    let root = test_banks("burst");
    let wav = root.join("burst.wav");
    let mut engine = LiveEngine::with_wav(&root, &wav, &[]);
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    // the engine reads its socket before the burst begins
    assert!(engine.handshake(&client, 5).is_some());
    let start = unix_now() + 1.0;
    let packets: Vec<Vec<u8>> = (0..BUNDLES)
        .map(|k| {
            encode(&OscPacket::Bundle(OscBundle {
                timetag: timetag(start + k as f64 * 0.0005),
                content: vec![OscPacket::Message(OscMessage {
                    addr: "/dirt/play".into(),
                    args: vec![
                        OscType::String("_id_".into()),
                        OscType::String("1".into()),
                        OscType::String("s".into()),
                        OscType::String("imp".into()),
                        OscType::String("cycle".into()),
                        OscType::Float(k as f32),
                    ],
                })],
            }))
        })
        .collect();
    for p in &packets {
        client.send_to(p, engine.target()).unwrap();
    }
    LiveEngine::wait_until(start + BUNDLES as f64 * 0.0005 + 0.5, 20);
    assert!(engine.stop().success());
    let stderr = engine.stderr();
    let count =
        |name: &str| summary_count(&stderr, name).unwrap_or_else(|| panic!("no {name}: {stderr}"));
    println!(
        "burst: {BUNDLES} bundles sent back to back, engine counted {} packets, {} events, {} voices started",
        count("packets"),
        count("events"),
        count("voices started")
    );
    // the handshake is one packet more
    assert_eq!(count("packets"), BUNDLES as u64 + 1, "{stderr}");
    assert_eq!(count("events"), BUNDLES as u64, "{stderr}");
    assert_eq!(count("voices started"), BUNDLES as u64, "{stderr}");
    assert_eq!(count("rejected"), 0, "{stderr}");
}
