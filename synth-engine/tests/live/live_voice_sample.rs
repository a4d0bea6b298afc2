//! A voice that plays a sample, live: its sample is decoded by the background loader (the OSC
//! thread is not held up) and the voice still starts on its timetag's frame.

#[path = "../common/mod.rs"]
mod common;
use common::live::*;
use common::*;
use rosc::{OscBundle, OscPacket};
use std::net::UdpSocket;

fn sampler_play(n: i32) -> OscPacket {
    dirt_packet(dirt!(s: "bench_sampler", n: n, cutoff: 20000.0, amp: 1.0))
}

#[test]
fn a_sample_playing_voice_decodes_in_the_background_and_starts_on_its_frame() {
    let root = temp_dir("live-voice-sample");
    let samples = root.join("samples");
    // two files of the `bench` bank the voice plays: 0.2 s of a steady level each
    write_sample(&samples, "bench", "a.wav", 48000, &[vec![0.5; 9600]]);
    write_sample(&samples, "bench", "b.wav", 44100, &[vec![0.5; 8820]]);
    let voices = root.join("voices");
    std::fs::create_dir_all(&voices).unwrap();
    let shipped = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/voices/bench/bench_sampler.voice"
    );
    std::fs::copy(shipped, voices.join("bench_sampler.voice")).unwrap();
    let wav = root.join("out.wav");
    let v = voices.display().to_string();
    let mut engine = LiveEngine::with_wav(&samples, &wav, &["--voices", &v]);
    let origin = engine.origin.expect("frame 0 time in the ready line");
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    // neither file has been decoded yet when its event arrives
    let t0 = unix_now() + 0.3;
    let times = [t0, t0 + 0.3];
    for (n, t) in times.iter().enumerate() {
        let bundle = OscPacket::Bundle(OscBundle {
            timetag: timetag(*t),
            content: vec![sampler_play(n as i32)],
        });
        client.send_to(&encode(&bundle), engine.target()).unwrap();
    }
    LiveEngine::wait_until(t0 + 0.7, 10);
    assert!(engine.stop().success());
    let stderr = engine.stderr();
    let (left, _) = read_stereo(&wav);
    for t in times {
        let expected = ((t - origin) * 48000.0).round() as usize;
        let window = &left[expected - 200..expected + 2400];
        let onset = first_above(window, 0.05).map(|i| i as i64 - 200);
        // the low-pass at 20 kHz rises within a couple of frames
        assert!(
            onset.is_some_and(|o| (0..=3).contains(&o)),
            "onset {onset:?} frames from the timetag's frame {expected}\n{stderr}"
        );
    }
}
