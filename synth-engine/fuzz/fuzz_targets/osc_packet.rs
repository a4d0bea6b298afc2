//! Any datagram through the engine's reading of OSC (`decode`: bundles unpacked, timetags
//! mapped, `/dirt/play` arguments sanitised): never a panic, and every value that reaches an
//! event is finite and already within its parameter's range.
#![no_main]

use libfuzzer_sys::fuzz_target;
use synth_engine::osc::packet::{decode, Decoded};
use synth_engine::dispatch::params::Param;
use synth_engine::dispatch::sanitise::sanitise;

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = decode(data) else {
        return;
    };
    for d in decoded {
        if let Decoded::Play { event: Ok(ev), .. } = d {
            for p in Param::all() {
                if let Some(v) = ev.params.get(*p) {
                    assert!(v.is_finite(), "{p:?} = {v}");
                    assert_eq!(sanitise(*p, v as f64), Some(v), "{p:?} out of range");
                }
            }
            if let Some(s) = &ev.sound {
                assert!(!s.contains('/') && !s.contains('\\') && s != "..", "{s}");
            }
        }
    }
});
