//! The engine talks back: `/ostinato/notice` messages to the sender of an event, rate-limited, through the real binary.

#[path = "../common/mod.rs"]
mod common;

use common::live::{encode, LiveEngine};
use common::{temp_dir, test_banks};
use rosc::{OscMessage, OscPacket, OscType};
use std::net::UdpSocket;
use std::time::{Duration, Instant};

fn play(id: OscType, sound: &str) -> Vec<u8> {
    encode(&OscPacket::Message(OscMessage {
        addr: "/dirt/play".into(),
        args: vec![
            OscType::String("_id_".into()),
            id,
            OscType::String("s".into()),
            OscType::String(sound.into()),
        ],
    }))
}

/// The `/ostinato/notice` messages `client` receives within `wait`, as (id, kind, text).
fn notices(client: &UdpSocket, wait: Duration) -> Vec<(String, String, String)> {
    client
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let deadline = Instant::now() + wait;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while Instant::now() < deadline {
        let Ok((n, _)) = client.recv_from(&mut buf) else {
            continue;
        };
        let Ok((_, OscPacket::Message(m))) = rosc::decoder::decode_udp(&buf[..n]) else {
            continue;
        };
        if m.addr != "/ostinato/notice" {
            continue;
        }
        let text: Vec<String> = m
            .args
            .iter()
            .map(|a| match a {
                OscType::String(s) => s.clone(),
                other => panic!("notice argument is not a string: {other:?}"),
            })
            .collect();
        assert_eq!(text.len(), 3, "{m:?}");
        got.push((text[0].clone(), text[1].clone(), text[2].clone()));
    }
    got
}

#[test]
fn an_unknown_sound_is_told_to_its_sender_once_per_window() {
    let root = test_banks("talk-unknown");
    std::fs::create_dir_all(root.join("bd")).unwrap();
    std::fs::copy(root.join("dc").join("a.wav"), root.join("bd").join("a.wav")).unwrap();
    let mut engine =
        LiveEngine::start(&["--samples", &root.display().to_string(), "--output", "null"]);
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client
        .send_to(&play(OscType::String("1".into()), "bdd"), engine.target())
        .unwrap();
    let first = notices(&client, Duration::from_millis(800));
    assert_eq!(
        first,
        vec![(
            "1".to_string(),
            "unknown-sound".to_string(),
            "no sample bank or voice named \"bdd\" (did you mean \"bd\"?)".to_string()
        )]
    );
    // the same problem again within the window is not told twice; another id is
    client
        .send_to(&play(OscType::String("1".into()), "bdd"), engine.target())
        .unwrap();
    client
        .send_to(&play(OscType::Int(2), "bdd"), engine.target())
        .unwrap();
    let again = notices(&client, Duration::from_millis(800));
    assert_eq!(again.len(), 1, "{again:?}");
    assert_eq!(again[0].0, "2");
    assert!(engine.stop().success());
}

#[test]
fn a_sample_that_does_not_decode_is_told_and_a_reload_goes_to_handshake_clients() {
    let root = test_banks("talk-bad");
    std::fs::create_dir_all(root.join("broken")).unwrap();
    std::fs::write(root.join("broken").join("x.wav"), b"RIFF....WAVEjunk").unwrap();
    let voices = temp_dir("talk-voices");
    let mut engine = LiveEngine::start(&[
        "--samples",
        &root.display().to_string(),
        "--voices",
        &voices.display().to_string(),
        "--output",
        "null",
    ]);
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    assert!(engine.handshake(&client, 5).is_some());
    client
        .send_to(
            &play(OscType::String("d3".into()), "broken"),
            engine.target(),
        )
        .unwrap();
    let got = notices(&client, Duration::from_millis(800));
    assert!(
        got.iter().any(|(id, kind, text)| id == "d3"
            && kind == "decode-failed"
            && text.contains("x.wav")),
        "{got:?}"
    );
    // a definition that does not compile: told with file:line:col to the handshake client
    std::fs::write(voices.join("bad.voice"), "voice bad {\n  out = ???\n}\n").unwrap();
    let got = notices(&client, Duration::from_millis(1500));
    let errors: Vec<_> = got.iter().filter(|n| n.1 == "reload-error").collect();
    assert_eq!(errors.len(), 1, "{got:?}");
    assert_eq!(errors[0].0, "");
    assert!(errors[0].2.contains("bad.voice:"), "{got:?}");
    assert!(engine.stop().success());
}
