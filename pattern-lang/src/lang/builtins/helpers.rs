//! Shared pieces for builtins: patterned parameters whose result needs a
//! user function applied (built once per distinct value, never per query),
//! and small conversions.

use std::sync::{Arc, Mutex};

use crate::core::applicative::inner_join;
use crate::core::time_ops::failing;
use crate::lang::error::LangError;
use crate::pattern::{Element, Pattern, QueryError};
use crate::value::Value;

/// Built patterns kept by parameter value.
type Cache<A> = Arc<Mutex<Vec<(A, Pattern<Value>)>>>;

/// How many distinct parameter values keep their built pattern.
const CACHE: usize = 64;

/// `tParam` for builders that may fail or apply user code: a constant
/// parameter builds once now; a patterned one builds once per distinct value
/// and reuses it.
pub fn memo_tparam<A: Element + PartialEq>(
    param: &Pattern<A>,
    build: impl Fn(&A) -> Result<Pattern<Value>, LangError> + Send + Sync + 'static,
) -> Result<Pattern<Value>, LangError> {
    if let Some(a) = param.constant() {
        return Ok(build(a)?.split_queries());
    }
    let cache: Cache<A> = Arc::new(Mutex::new(Vec::new()));
    let build = Arc::new(build);
    Ok(inner_join(&param.fmap(move |a| cached(&cache, a, &*build))))
}

fn cached<A: Element + PartialEq>(
    cache: &Mutex<Vec<(A, Pattern<Value>)>>,
    a: &A,
    build: &(dyn Fn(&A) -> Result<Pattern<Value>, LangError> + Send + Sync),
) -> Pattern<Value> {
    if let Ok(c) = cache.lock() {
        if let Some((_, p)) = c.iter().find(|(k, _)| k == a) {
            return p.clone();
        }
    }
    let p = match build(a) {
        Ok(p) => p,
        Err(e) => failing(QueryError::Invalid(e.message)),
    };
    if let Ok(mut c) = cache.lock() {
        if c.len() >= CACHE {
            c.remove(0);
        }
        c.push((a.clone(), p.clone()));
    }
    p
}

pub use crate::core::wrap_index;
