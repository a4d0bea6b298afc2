//! The three patterns of `../shared/oracle/tidal/bench.hs`, shared by the
//! criterion benchmark and `examples/bench_queries.rs`.

/// The 64-step mini-notation pattern (`pat3`).
pub fn mini64() -> String {
    let steps = [
        "bd",
        "<sn cp>",
        "hh*2",
        "[~ bd]",
        "<arpy:1 arpy:2 arpy:3>",
        "~",
        "[hh hh:2]",
        "<bd [bd bd]>",
        "sn:3",
        "<~ cp>",
        "[bd, hh]",
        "<drum drum:1 [drum:2 drum:3]>",
    ];
    let seq: Vec<&str> = steps.iter().cycle().take(64).copied().collect();
    format!(
        "s \"{}\" # n \"<0 1 2 3>\" # speed \"1 [2 1.5] <0.5 1>\"",
        seq.join(" ")
    )
}

/// `pat1`.
pub const JUX_CHOP: &str =
    "jux rev $ chop 8 $ every 2 (fast 2) $ s \"bd*16 sn*8 [hh hh:2]*4\" # n (irand 8)";

/// `pat2`, the 8-layer stack.
pub const STACK8: &str = "stack [ s \"bd*4\" # n \"0 .. 3\", fast 2 $ s \"hh*8\" # gain (range 0.8 1 sine), every 3 rev $ s \"sn ~ sn [~ sn]\", off 0.25 (|+ n 12) $ n \"0 3 7\" # s \"superpiano\", sometimesBy 0.3 (# speed 2) $ s \"cp*4\", whenmod 4 2 (fast 2) $ s \"arpy*3\" # n \"<0 2 4>\", iter 4 $ s \"drum*4\" # n \"0 1 2 3\", degradeBy 0.5 $ s \"bass*8\" # cutoff (segment 8 $ range 200 2000 rand) ]";
