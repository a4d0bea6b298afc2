//! Euclidean rhythms: `k` onsets spread as evenly as possible over `n`
//! steps (Bjorklund's algorithm, in Tidal's formulation), with rotation.

use crate::core::applicative::{app_both, inner_join};
use crate::core::concat::fastcat;
use crate::pattern::{Element, Pattern, QueryError};
use crate::time::Time;

/// Largest step count accepted, so that `bd(3,1e9)` is an error rather than
/// an exhausted memory.
pub const MAX_STEPS: i64 = 65_536;

/// The rhythm as booleans: `onsets` true steps among `steps`.
pub fn bjorklund(onsets: i64, steps: i64) -> Vec<bool> {
    let i = onsets;
    let j = steps - onsets;
    let mut xs: Vec<Vec<bool>> = (0..i.max(0)).map(|_| vec![true]).collect();
    let mut ys: Vec<Vec<bool>> = (0..j.max(0)).map(|_| vec![false]).collect();
    let (mut i, mut j) = (i, j);
    while i.min(j) > 1 {
        if i > j {
            // left: the first j of xs take a ys each; the rest become ys
            let rest = xs.split_off((j as usize).min(xs.len()));
            ys = pair_up(&mut xs, ys, rest);
            let (ni, nj) = (j, i - j);
            i = ni;
            j = nj;
        } else {
            // right: each xs takes one of the first i ys; the rest stay ys
            let rest = ys.split_off((i as usize).min(ys.len()));
            ys = pair_up(&mut xs, ys, rest);
            j -= i;
        }
    }
    xs.into_iter().chain(ys).flatten().collect()
}

/// Appends each of `ys` to one of `xs` (`xs` beyond the pairs are
/// dropped); `rest` is the new `ys`.
fn pair_up(xs: &mut Vec<Vec<bool>>, ys: Vec<Vec<bool>>, rest: Vec<Vec<bool>>) -> Vec<Vec<bool>> {
    xs.truncate(xs.len().min(ys.len()));
    for (x, y) in xs.iter_mut().zip(ys) {
        x.extend(y);
    }
    rest
}

fn check_steps(onsets: i64, steps: i64) -> Result<(), QueryError> {
    if onsets.abs() > MAX_STEPS || steps.abs() > MAX_STEPS {
        return Err(QueryError::Invalid(format!(
            "euclidean rhythm ({onsets},{steps}) has too many steps (at most {MAX_STEPS})"
        )));
    }
    Ok(())
}

/// The pattern played on the rhythm's onsets (`_euclid`); `invert` plays it
/// on the rests instead (`_euclidInv`).
pub fn euclid_with<T: Element>(
    onsets: i64,
    steps: i64,
    invert: bool,
    p: &Pattern<T>,
) -> Pattern<T> {
    if let Err(e) = check_steps(onsets, steps) {
        return crate::core::time_ops::failing(e);
    }
    fastcat(
        bjorklund(onsets, steps)
            .into_iter()
            .map(|b| {
                if b != invert {
                    p.clone()
                } else {
                    Pattern::silence()
                }
            })
            .collect(),
    )
}

/// The rhythm rotated left by `rotation` steps (`_euclidOff`).
pub fn euclid_off<T: Element>(
    onsets: i64,
    steps: i64,
    rotation: i64,
    p: &Pattern<T>,
) -> Pattern<T> {
    if steps == 0 {
        return Pattern::silence();
    }
    match Time::new(rotation as i128, steps as i128) {
        Ok(r) => euclid_with(onsets, steps, false, p).rot_l(r),
        Err(e) => crate::core::time_ops::failing(e.into()),
    }
}

/// For boolean patterns: true on onsets, false on rests, each combined with
/// the pattern's value (`_euclidOffBool`).
pub fn euclid_off_bool(onsets: i64, steps: i64, rotation: i64, p: &Pattern<bool>) -> Pattern<bool> {
    if steps == 0 {
        return Pattern::silence();
    }
    if let Err(e) = check_steps(onsets, steps) {
        return crate::core::time_ops::failing(e);
    }
    let rhythm = fastcat(
        bjorklund(onsets, steps)
            .into_iter()
            .map(Pattern::pure)
            .collect(),
    );
    let combined = app_both(&rhythm, p, |on, v| if *v { *on } else { !*on });
    match Time::new(rotation as i128, steps as i128) {
        Ok(r) => combined.rot_l(r),
        Err(e) => crate::core::time_ops::failing(e.into()),
    }
}

/// Patterned onsets, steps and rotation (`euclidOff` via `tParam3`).
pub fn euclid_off_pat<T: Element>(
    onsets: &Pattern<i64>,
    steps: &Pattern<i64>,
    rotation: &Pattern<i64>,
    p: &Pattern<T>,
    each: impl Fn(i64, i64, i64, &Pattern<T>) -> Pattern<T> + Send + Sync + 'static,
) -> Pattern<T> {
    let p = p.clone();
    let args = app_both(
        &app_both(onsets, steps, |a, b| (*a, *b)),
        rotation,
        |(a, b), c| (*a, *b, *c),
    );
    inner_join(&args.fmap(move |&(n, k, s)| each(n, k, s, &p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(v: &[bool]) -> String {
        v.iter().map(|b| if *b { 'x' } else { '.' }).collect()
    }

    #[test]
    fn classic_rhythms() {
        assert_eq!(show(&bjorklund(3, 8)), "x..x..x.");
        assert_eq!(show(&bjorklund(5, 8)), "x.xx.xx.");
        assert_eq!(show(&bjorklund(2, 5)), "x.x..");
        assert_eq!(show(&bjorklund(7, 16)), "x..x.x.x..x.x.x.");
    }

    #[test]
    fn degenerate_counts() {
        assert_eq!(bjorklund(0, 4), vec![false; 4]);
        assert_eq!(bjorklund(5, 3), vec![true; 5]);
        assert_eq!(bjorklund(-3, 8), vec![false; 11]);
    }
}
