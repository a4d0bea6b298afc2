//! Properties of the engine's input path: whatever bytes arrive, decoding never panics; every
//! value that reaches an event is finite and within its parameter's range; and whatever
//! `/dirt/play` arguments arrive, the rendered sound is finite and within the limiter's ceiling.
//! (synth-engine/fuzz/ drives the same `decode` under cargo-fuzz.)

#[path = "../common/mod.rs"]
mod common;
use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rosc::{encoder, OscBundle, OscMessage, OscPacket, OscTime, OscType};
use std::path::Path;
use synth_engine::dispatch::params::Param;
use synth_engine::dispatch::sanitise::sanitise;
use synth_engine::osc::packet::{decode, Decoded};
use synth_engine::render::{render_score, RenderOptions, ScoreLine};
use synth_engine::samples::SampleLibrary;

const EXTRA_NAMES: [&str; 14] = [
    "s", "sound", "vowel", "unit", "lpf", "hpf", "bpf", "sz", "dt", "dfb", "sus", "up", "accel",
    "_id_",
];

fn names() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = Param::all().iter().map(|p| p.name()).collect();
    v.extend(EXTRA_NAMES);
    v
}

fn special_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(f64::MAX),
        Just(f64::MIN),
        Just(f64::MIN_POSITIVE),
        Just(5e-324),
        Just(-0.0),
        Just(1e300),
        Just(-1e300),
        -2.0f64..2.0,
        -30000.0f64..30000.0,
    ]
}

fn value() -> impl Strategy<Value = OscType> {
    prop_oneof![
        any::<f32>().prop_map(OscType::Float),
        any::<f64>().prop_map(OscType::Double),
        special_f64().prop_map(OscType::Double),
        special_f64().prop_map(|v| OscType::Float(v as f32)),
        any::<i32>().prop_map(OscType::Int),
        any::<i64>().prop_map(OscType::Long),
        "[-+0-9.eEinfa ]{0,10}".prop_map(OscType::String),
        prop::sample::select(vec!["a", "e", "o", "r", "c", "s", "x", ""])
            .prop_map(|v| OscType::String(v.into())),
        any::<bool>().prop_map(OscType::Bool),
        Just(OscType::Nil),
        Just(OscType::Inf),
        prop::collection::vec(any::<u8>(), 0..6).prop_map(OscType::Blob),
    ]
}

fn sound() -> impl Strategy<Value = OscType> {
    prop::sample::select(vec![
        "imp",
        "dc",
        "noise",
        "sine",
        "st",
        "ramp",
        "imp:3",
        "sine:-1e300",
        "superpiano",
        "supersaw",
        "superkick",
        "superhat",
        "superfm",
        "supergong",
        "supernoise",
        "superreese",
        "superchip",
        "../x",
        "/etc/passwd",
        "nosuch",
    ])
    .prop_map(|s| OscType::String(s.into()))
}

/// `/dirt/play` arguments: a sound and up to 8 name/value pairs (sometimes a stray argument).
fn play_args() -> impl Strategy<Value = Vec<OscType>> {
    (
        sound(),
        prop::collection::vec((prop::sample::select(names()), value()), 0..8),
        prop::option::weighted(0.05, value()),
    )
        .prop_map(|(s, pairs, stray)| {
            let mut args = vec![OscType::String("s".into()), s];
            for (n, v) in pairs {
                args.push(OscType::String(n.into()));
                args.push(v);
            }
            args.extend(stray);
            args
        })
}

fn time() -> impl Strategy<Value = OscTime> {
    (any::<u32>(), any::<u32>()).prop_map(|(seconds, fractional)| OscTime {
        seconds,
        fractional,
    })
}

/// Datagrams that are mostly valid: messages and (nested) bundles, sometimes cut or corrupted.
fn datagram() -> impl Strategy<Value = Vec<u8>> {
    let message = play_args().prop_map(|args| {
        OscPacket::Message(OscMessage {
            addr: "/dirt/play".into(),
            args,
        })
    });
    let packet = message.prop_recursive(3, 12, 4, |inner| {
        (time(), prop::collection::vec(inner, 0..4))
            .prop_map(|(timetag, content)| OscPacket::Bundle(OscBundle { timetag, content }))
    });
    (
        packet,
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..3),
        prop::option::weighted(0.2, any::<prop::sample::Index>()),
    )
        .prop_map(|(p, flips, cut)| {
            let mut bytes = encoder::encode(&p).unwrap();
            if !bytes.is_empty() {
                for (i, b) in flips {
                    let at = i.index(bytes.len());
                    bytes[at] = b;
                }
                if let Some(c) = cut {
                    bytes.truncate(c.index(bytes.len()));
                }
            }
            bytes
        })
}

/// Every value in a decoded event is finite and already within its parameter's range.
fn check_events(decoded: &[Decoded]) -> Result<(), TestCaseError> {
    for d in decoded {
        if let Decoded::Play { event: Ok(ev), .. } = d {
            for p in Param::all() {
                if let Some(v) = ev.params.get(*p) {
                    prop_assert!(v.is_finite(), "{p:?} = {v}");
                    prop_assert_eq!(sanitise(*p, v as f64), Some(v), "{:?} out of range", p);
                }
            }
            if let Some(s) = &ev.sound {
                prop_assert!(!s.contains('/') && !s.contains('\\') && s != "..", "{s}");
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(Config::with_cases(3000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..1500)) {
        if let Ok(d) = decode(&bytes) {
            check_events(&d)?;
        }
    }

    #[test]
    fn corrupted_messages_and_bundles_decode_to_safe_events(bytes in datagram()) {
        if let Ok(d) = decode(&bytes) {
            check_events(&d)?;
        }
    }

    #[test]
    fn sanitise_gives_none_or_a_finite_value_in_range(v in prop_oneof![any::<f64>(), special_f64()]) {
        for p in Param::all() {
            match sanitise(*p, v) {
                None => prop_assert!(!v.is_finite(), "{p:?} refused {v}"),
                Some(x) => {
                    prop_assert!(v.is_finite() && x.is_finite(), "{p:?} {v} -> {x}");
                    // in range: sanitising again changes nothing
                    prop_assert_eq!(sanitise(*p, x as f64), Some(x), "{:?} {} -> {}", p, v, x);
                }
            }
        }
    }
}

#[test]
fn arbitrary_events_render_finite_sound_within_the_ceiling() {
    let root = test_banks("props");
    let voices = Path::new(env!("CARGO_MANIFEST_DIR")).join("voices");
    let mut runner = TestRunner::new(Config::with_cases(40));
    let events = prop::collection::vec((0.0f64..0.1, play_args()), 1..8);
    runner
        .run(&events, |events| {
            let score: Vec<ScoreLine> = events
                .into_iter()
                .map(|(time, args)| ScoreLine {
                    time,
                    address: "/dirt/play".into(),
                    args,
                    reload: None,
                })
                .collect();
            let lib = SampleLibrary::scan(&[root.to_path_buf()]).unwrap();
            let (out, _) = render_score(
                &score,
                lib,
                &RenderOptions {
                    duration: 0.25,
                    sample_rate: SR,
                    max_voices: 16,
                    orbits: 4,
                    sample_memory: 16 << 20,
                    voices: Some(voices.clone()),
                },
            );
            prop_assert_eq!(out.len(), 2 * (SR as usize / 4));
            let bad = out
                .iter()
                .filter(|x| !x.is_finite() || x.abs() > 1.0)
                .count();
            prop_assert_eq!(bad, 0);
            Ok(())
        })
        .unwrap();
}
