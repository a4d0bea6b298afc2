//! Random builtins, all pure functions of time and bit-identical to Tidal:
//! rand, irand, perlin, choose, degradeBy, shuffle, scramble, brand...

use super::{number_as, pat, Builtin, Call, R};
use crate::core::applicative::{app_left, inner_join, squeeze_join, tparam, unwrap};
use crate::core::concat::fastcat;
use crate::core::random::{
    self, choose_by, degrade_by, irand, rand, time_to_rands, undegrade_by, wchoose_by,
};
use crate::event::Event;
use crate::lang::error::LangError;
use crate::lang::runtime::Val;
use crate::pattern::Pattern;
use crate::span::Span;
use crate::time::Time;
use crate::value::Value;

fn rand_b(c: &Call) -> R {
    let ty = c.result_ty(0);
    pat(rand().fmap(move |x| number_as(&ty, *x)))
}

fn irand_b(c: &Call) -> R {
    let ty = c.result_ty(1);
    pat(unwrap(&c.int_pat(0)?.fmap(move |&n| {
        let ty = ty.clone();
        irand(n).fmap(move |x| number_as(&ty, *x))
    })))
}

fn perlin_b(c: &Call) -> R {
    let ty = c.result_ty(0);
    pat(random::perlin().fmap(move |x| number_as(&ty, *x)))
}

fn perlin_with_b(c: &Call) -> R {
    let ty = c.result_ty(1);
    pat(random::perlin_with(&c.f64_pat(0)?).fmap(move |x| number_as(&ty, *x)))
}

fn plain_values(c: &Call, i: usize) -> Result<Vec<Value>, LangError> {
    c.list(i)?
        .iter()
        .map(|v| {
            v.plain()
                .ok_or_else(|| c.err("expected a list of plain values"))
        })
        .collect()
}

fn choose_b(c: &Call) -> R {
    pat(choose_by(&rand(), plain_values(c, 0)?))
}

fn choose_by_b(c: &Call) -> R {
    pat(choose_by(&c.f64_pat(0)?, plain_values(c, 1)?))
}

fn weighted(c: &Call, i: usize) -> Result<Vec<(Value, f64)>, LangError> {
    c.list(i)?
        .iter()
        .map(|v| match v {
            Val::Tuple(t) if t.len() == 2 => {
                let value = t[0]
                    .plain()
                    .ok_or_else(|| c.err("expected (value, weight) pairs"))?;
                let w = match &t[1] {
                    Val::Scalar(x) => x.as_f64().ok_or_else(|| c.err("expected a weight"))?,
                    _ => return Err(c.err("expected (value, weight) pairs")),
                };
                Ok((value, w))
            }
            _ => Err(c.err("expected (value, weight) pairs")),
        })
        .collect()
}

fn wchoose_b(c: &Call) -> R {
    pat(wchoose_by(&rand(), weighted(c, 0)?))
}

fn wchoose_by_b(c: &Call) -> R {
    pat(wchoose_by(&c.f64_pat(0)?, weighted(c, 1)?))
}

fn cycle_choose_b(c: &Call) -> R {
    let chosen = choose_by(&rand(), plain_values(c, 0)?);
    pat(app_left(&Pattern::pure(()), &chosen, |_, v| v.clone()))
}

fn degrade_b(c: &Call) -> R {
    pat(degrade_by(0.5, &c.pat(0)?))
}

fn degrade_by_b(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.f64_pat(0)?, move |&x| degrade_by(x, &p)))
}

fn undegrade_by_b(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.f64_pat(0)?, move |&x| undegrade_by(x, &p)))
}

/// A random permutation of `0..n` each cycle (`randrun`).
fn randrun(n: i64) -> Pattern<i64> {
    if n <= 0 {
        return Pattern::silence();
    }
    let n = n.min(65_536);
    Pattern::new(move |st| {
        let cycle = st.span.begin.sam();
        let rs = time_to_rands(cycle, n as usize);
        let mut order: Vec<usize> = (0..n as usize).collect();
        order.sort_by(|&a, &b| {
            rs[a]
                .partial_cmp(&rs[b])
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        // order[k] is the index whose random number is k-th smallest; the
        // value at position k is that index.
        let mut out = Vec::new();
        for (k, &v) in order.iter().enumerate() {
            let b = (cycle + Time::new(k as i128, n as i128)?)?;
            let e = (cycle + Time::new(k as i128 + 1, n as i128)?)?;
            let whole = Span::new(b, e);
            if let Some(part) = st.span.sub_span(&whole) {
                out.push(Event::new(Some(whole), part, v as i64));
            }
        }
        Ok(out)
    })
    .split_queries()
}

/// Plays the `n` parts of each cycle in the order given by `ipat`
/// (`_rearrangeWith`).
fn rearrange(ipat: Pattern<i64>, n: i64, p: &Pattern<Value>) -> Pattern<Value> {
    if n <= 0 {
        return Pattern::silence();
    }
    let n = n.min(4096);
    let parts: Vec<Pattern<Value>> = (0..n)
        .map(|i| {
            match (
                Time::new(i as i128, n as i128),
                Time::new(i as i128 + 1, n as i128),
            ) {
                (Ok(b), Ok(e)) => p.zoom(b, e),
                _ => Pattern::silence(),
            }
        })
        .collect();
    inner_join(&ipat.fmap(move |&i| {
        let part = parts[i.rem_euclid(n) as usize].clone();
        crate::core::concat::slowcat(vec![part; n as usize]).fast_by(Time::int(n))
    }))
}

fn shuffle_b(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.int_pat(0)?, move |&n| {
        rearrange(randrun(n), n, &p)
    }))
}

fn scramble_b(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.int_pat(0)?, move |&n| {
        let picks = app_left(
            &Pattern::pure(()).fast_by(Time::int(n.max(1))),
            &irand(n),
            |_, r| *r as i64,
        );
        rearrange(picks, n, &p)
    }))
}

fn brand_b(_: &Call) -> R {
    pat(rand().fmap(|x| Value::B(*x < 0.5)))
}

fn brand_by_b(c: &Call) -> R {
    pat(tparam(&c.f64_pat(0)?, |&prob| {
        rand().fmap(move |x| Value::B(*x < prob))
    }))
}

fn randslice_b(c: &Call) -> R {
    let p = c.pat(1)?;
    pat(tparam(&c.int_pat(0)?, move |&n| {
        let p = p.clone();
        inner_join(&irand(n).fmap(move |&i| crate::core::controls::slice_at(&p, n, i as i64)))
    }))
}

/// `binaryN n`: each number as `n` bits squeezed into its event.
fn binary_n(n: Pattern<i64>, p: Pattern<i64>) -> Pattern<Value> {
    tparam(&n, move |&bits| {
        let bits = bits.clamp(0, 64);
        squeeze_join(&p.fmap(move |&num| {
            fastcat(
                (0..bits)
                    .rev()
                    .map(|i| Pattern::pure(Value::B((num >> i) & 1 == 1)))
                    .collect(),
            )
        }))
    })
}

fn binary_b(c: &Call) -> R {
    pat(binary_n(Pattern::pure(8), c.int_pat(0)?))
}

fn binary_n_b(c: &Call) -> R {
    pat(binary_n(c.int_pat(0)?, c.int_pat(1)?))
}

pub fn builtins() -> Vec<Builtin> {
    vec![
        Builtin::new(
            "rand",
            "Fractional a => Pattern a",
            "a continuous random signal from 0 to 1",
            "s \"hh*8\" # gain (range 0.8 1 rand)",
            rand_b,
        ),
        Builtin::new(
            "irand",
            "Num a => Pattern Int -> Pattern a",
            "random whole numbers from 0 to n-1",
            "n (segment 8 $ irand 8) # s \"drum\"",
            irand_b,
        ),
        Builtin::new(
            "perlin",
            "Fractional a => Pattern a",
            "smooth random noise from 0 to 1",
            "s \"bd*8\" # pan perlin",
            perlin_b,
        ),
        Builtin::new(
            "perlinWith",
            "Fractional a => Pattern Double -> Pattern a",
            "perlin noise along the given pattern",
            "s \"bd*8\" # pan (perlinWith (saw * 4))",
            perlin_with_b,
        ),
        Builtin::new(
            "choose",
            "[a] -> Pattern a",
            "a continuous random choice from the list",
            "s \"bd*8\" # n (choose [0,2,5])",
            choose_b,
        ),
        Builtin::new(
            "chooseBy",
            "Pattern Double -> [a] -> Pattern a",
            "chooses from the list with the given 0..1 pattern",
            "n (segment 4 $ chooseBy sine [0,2,7]) # s \"arpy\"",
            choose_by_b,
        ),
        Builtin::new(
            "wchoose",
            "[(a, Double)] -> Pattern a",
            "a weighted random choice",
            "n (segment 4 $ wchoose [(0,0.25),(2,0.5),(7,0.25)]) # s \"arpy\"",
            wchoose_b,
        ),
        Builtin::new(
            "wchooseBy",
            "Pattern Double -> [(a, Double)] -> Pattern a",
            "a weighted choice with the given 0..1 pattern",
            "n (segment 4 $ wchooseBy rand [(0,1),(7,2)]) # s \"arpy\"",
            wchoose_by_b,
        ),
        Builtin::new(
            "cycleChoose",
            "[a] -> Pattern a",
            "a random choice once per cycle",
            "n (cycleChoose [0,2,7]) # s \"arpy\"",
            cycle_choose_b,
        ),
        Builtin::new(
            "degrade",
            "Pattern a -> Pattern a",
            "randomly removes half the events",
            "degrade $ s \"hh*8\"",
            degrade_b,
        ),
        Builtin::new(
            "degradeBy",
            "Pattern Double -> Pattern a -> Pattern a",
            "randomly removes events with the given probability",
            "degradeBy 0.9 $ s \"hh*16\"",
            degrade_by_b,
        ),
        Builtin::new(
            "unDegradeBy",
            "Pattern Double -> Pattern a -> Pattern a",
            "keeps exactly the events degradeBy would remove",
            "unDegradeBy 0.9 $ s \"hh*16\"",
            undegrade_by_b,
        ),
        Builtin::new(
            "shuffle",
            "Pattern Int -> Pattern a -> Pattern a",
            "plays the n parts of each cycle in a random order, each once",
            "shuffle 4 $ n \"0 1 2 3\" # s \"arpy\"",
            shuffle_b,
        ),
        Builtin::new(
            "scramble",
            "Pattern Int -> Pattern a -> Pattern a",
            "plays n randomly chosen parts of each cycle",
            "scramble 4 $ n \"0 1 2 3\" # s \"arpy\"",
            scramble_b,
        ),
        Builtin::new(
            "randslice",
            "Pattern Int -> ControlPattern -> ControlPattern",
            "plays a random one of n slices of each sample",
            "randslice 4 $ s \"bev\"",
            randslice_b,
        ),
        Builtin::new(
            "brand",
            "Pattern Bool",
            "a continuous random true or false",
            "struct (segment 8 brand) $ s \"hh\"",
            brand_b,
        ),
        Builtin::new(
            "brandBy",
            "Pattern Double -> Pattern Bool",
            "random booleans, true with the given probability",
            "struct (segment 8 $ brandBy 0.3) $ s \"hh\"",
            brand_by_b,
        ),
        Builtin::new(
            "binary",
            "Pattern Int -> Pattern Bool",
            "each number as 8 bits",
            "struct (binary 171) $ s \"hh\"",
            binary_b,
        ),
        Builtin::new(
            "binaryN",
            "Pattern Int -> Pattern Int -> Pattern Bool",
            "each number as n bits",
            "struct (binaryN 4 5) $ s \"hh\"",
            binary_n_b,
        ),
    ]
}
