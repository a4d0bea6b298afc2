//! `Pattern<T>`: a function from a query (a span of time) to the events that
//! happen in it. Everything else is built from this.

use std::cell::Cell;
use std::sync::Arc;

use crate::event::Event;
use crate::span::Span;
use crate::time::{Time, TimeOverflow};
use crate::value::ValueMap;

/// Why a query could not be answered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueryError {
    #[error(transparent)]
    Time(#[from] TimeOverflow),
    #[error("the pattern asks for too much work in one query (more than {limit} steps); it is too dense or too slow")]
    TooMuchWork { limit: u64 },
    #[error("{0}")]
    Invalid(String),
}

pub type QueryResult<T> = Result<Vec<Event<T>>, QueryError>;

/// Events of type `T`, appended to a caller's buffer.
pub type Events<T> = Vec<Event<T>>;

/// A work allowance for one query, so that absurd patterns (`bd*1e12`) end
/// with an error instead of hanging or exhausting memory.
#[derive(Debug)]
pub struct Budget {
    used: Cell<u64>,
    limit: u64,
}

impl Budget {
    pub const DEFAULT_LIMIT: u64 = 4_000_000;

    pub fn new(limit: u64) -> Budget {
        Budget {
            used: Cell::new(0),
            limit,
        }
    }

    /// Spends `n` steps; fails once the allowance is gone.
    pub fn charge(&self, n: u64) -> Result<(), QueryError> {
        let used = self.used.get().saturating_add(n);
        self.used.set(used);
        if used > self.limit {
            Err(QueryError::TooMuchWork { limit: self.limit })
        } else {
            Ok(())
        }
    }

    pub fn used(&self) -> u64 {
        self.used.get()
    }
}

impl Default for Budget {
    fn default() -> Budget {
        Budget::new(Budget::DEFAULT_LIMIT)
    }
}

/// What a pattern is asked: a span, the current control values (for `^name`
/// references), and the work allowance.
#[derive(Clone, Copy)]
pub struct State<'a> {
    pub span: Span,
    pub controls: &'a ValueMap,
    pub budget: &'a Budget,
}

impl<'a> State<'a> {
    pub fn with_span(&self, span: Span) -> State<'a> {
        State { span, ..*self }
    }
}

/// What a pattern can carry: any value that can be cloned and shared
/// between threads.
pub trait Element: Clone + Send + Sync + 'static {}
impl<T: Clone + Send + Sync + 'static> Element for T {}

/// A query appends its events to the buffer it is given, so that layers of
/// combinators share one buffer instead of each building its own.
type QueryFn<T> =
    dyn for<'a> Fn(&State<'a>, &mut Events<T>) -> Result<(), QueryError> + Send + Sync;

/// A pattern of values of type `T`.
pub struct Pattern<T> {
    query: Arc<QueryFn<T>>,
    /// The value, when this is `pure value` (lets patterned parameters with
    /// a constant skip the join).
    constant: Option<Arc<T>>,
}

impl<T> Clone for Pattern<T> {
    fn clone(&self) -> Self {
        Pattern {
            query: self.query.clone(),
            constant: self.constant.clone(),
        }
    }
}

impl<T: Element> Pattern<T> {
    pub fn new(
        f: impl for<'a> Fn(&State<'a>) -> QueryResult<T> + Send + Sync + 'static,
    ) -> Pattern<T> {
        Pattern::appending(move |st, out| {
            let events = f(st)?;
            if out.is_empty() {
                *out = events;
            } else {
                out.extend(events);
            }
            Ok(())
        })
    }

    /// A pattern from a query that appends its events to `out` (on error,
    /// whatever it appended is thrown away by the caller).
    pub fn appending(
        f: impl for<'a> Fn(&State<'a>, &mut Events<T>) -> Result<(), QueryError> + Send + Sync + 'static,
    ) -> Pattern<T> {
        Pattern {
            query: Arc::new(f),
            constant: None,
        }
    }

    /// The value if this pattern is `pure value`.
    pub fn constant(&self) -> Option<&T> {
        self.constant.as_deref()
    }

    pub fn query(&self, st: &State<'_>) -> QueryResult<T> {
        let mut out = Vec::new();
        (self.query)(st, &mut out)?;
        Ok(out)
    }

    /// The events of the query appended to `out`.
    #[inline]
    pub fn query_into(&self, st: &State<'_>, out: &mut Events<T>) -> Result<(), QueryError> {
        (self.query)(st, out)
    }

    /// Queries `span` with no controls and the default work allowance.
    pub fn query_span(&self, span: Span) -> QueryResult<T> {
        self.query_span_with(span, &ValueMap::new(), &Budget::default())
    }

    pub fn query_span_with(
        &self,
        span: Span,
        controls: &ValueMap,
        budget: &Budget,
    ) -> QueryResult<T> {
        self.query(&State {
            span,
            controls,
            budget,
        })
    }

    /// Nothing, ever (`silence`).
    pub fn silence() -> Pattern<T> {
        Pattern::appending(|_, _| Ok(()))
    }

    /// The value once per cycle (`pure`).
    pub fn pure(v: T) -> Pattern<T> {
        let constant = Some(Arc::new(v.clone()));
        let mut p = Pattern::appending(move |st, out| {
            let (first, last) = st.span.cycle_numbers();
            st.budget.charge((last - first).max(0) as u64)?;
            for c in first..last {
                let c = Time::new(c, 1)?;
                let whole = Span::new(c, (c + Time::ONE)?);
                out.push(Event::new(Some(whole), whole.sect(&st.span), v.clone()));
            }
            Ok(())
        });
        p.constant = constant;
        p
    }

    /// Queries split at cycle boundaries, so the inner pattern only ever sees
    /// spans within one cycle (`splitQueries`).
    pub fn split_queries(&self) -> Pattern<T> {
        let p = self.clone();
        Pattern::appending(move |st, out| {
            let span = st.span;
            if span.begin == span.end {
                return p.query_into(st, out);
            }
            let mut begin = span.begin;
            while begin < span.end {
                st.budget.charge(1)?;
                let end = begin.next_sam()?.min(span.end);
                p.query_into(&st.with_span(Span::new(begin, end)), out)?;
                begin = end;
            }
            Ok(())
        })
    }

    /// The query span transformed before querying.
    pub fn with_query_span(
        &self,
        f: impl Fn(Span) -> Result<Span, QueryError> + Send + Sync + 'static,
    ) -> Pattern<T> {
        let p = self.clone();
        Pattern::appending(move |st, out| p.query_into(&st.with_span(f(st.span)?), out))
    }

    pub fn with_query_time(
        &self,
        f: impl Fn(Time) -> Result<Time, TimeOverflow> + Send + Sync + 'static,
    ) -> Pattern<T> {
        self.with_query_span(move |s| Ok(s.map(&f)?))
    }

    /// Every event this pattern gives changed in place by `f`.
    fn with_each_event(
        &self,
        f: impl Fn(&mut Event<T>) -> Result<(), QueryError> + Send + Sync + 'static,
    ) -> Pattern<T> {
        let p = self.clone();
        Pattern::appending(move |st, out| {
            let start = out.len();
            p.query_into(st, out)?;
            for e in &mut out[start..] {
                f(e)?;
            }
            Ok(())
        })
    }

    /// Every event's whole and part transformed.
    pub fn with_result_span(
        &self,
        f: impl Fn(Span) -> Result<Span, QueryError> + Send + Sync + 'static,
    ) -> Pattern<T> {
        self.with_each_event(move |e| {
            if let Some(w) = e.whole {
                e.whole = Some(f(w)?);
            }
            e.part = f(e.part)?;
            Ok(())
        })
    }

    /// Every event's times mapped through `f`, which keeps their order.
    pub fn with_result_time(
        &self,
        f: impl Fn(Time) -> Result<Time, TimeOverflow> + Send + Sync + 'static,
    ) -> Pattern<T> {
        self.with_each_event(move |e| Ok(e.map_times(&f)?))
    }

    /// The list of events transformed after every query.
    pub fn with_events<U: Element>(
        &self,
        f: impl Fn(Vec<Event<T>>) -> QueryResult<U> + Send + Sync + 'static,
    ) -> Pattern<U> {
        let p = self.clone();
        Pattern::new(move |st| f(p.query(st)?))
    }

    /// Values mapped (`fmap`).
    pub fn fmap<U: Element>(&self, f: impl Fn(&T) -> U + Send + Sync + 'static) -> Pattern<U> {
        self.filter_map(move |v| Some(f(v)))
    }

    /// Values mapped, dropping those mapped to `None`.
    pub fn filter_map<U: Element>(
        &self,
        f: impl Fn(&T) -> Option<U> + Send + Sync + 'static,
    ) -> Pattern<U> {
        if let Some(v) = self.constant() {
            return match f(v) {
                Some(u) => Pattern::pure(u),
                None => Pattern::silence(),
            };
        }
        let p = self.clone();
        Pattern::appending(move |st, out| {
            let events = p.query(st)?;
            out.reserve(events.len());
            // Read in place: only the times are copied, not whole events.
            for e in &events {
                if let Some(v) = f(&e.value) {
                    out.push(Event::new(e.whole, e.part, v));
                }
            }
            Ok(())
        })
    }

    pub fn filter_values(&self, f: impl Fn(&T) -> bool + Send + Sync + 'static) -> Pattern<T> {
        self.filter_events(move |e| f(&e.value))
    }

    pub fn filter_events(
        &self,
        f: impl Fn(&Event<T>) -> bool + Send + Sync + 'static,
    ) -> Pattern<T> {
        let p = self.clone();
        Pattern::appending(move |st, out| {
            let start = out.len();
            p.query_into(st, out)?;
            retain_from(out, start, &f);
            Ok(())
        })
    }

    /// Only events whose whole starts where `test` says (`filterWhen`).
    pub fn filter_when(&self, test: impl Fn(Time) -> bool + Send + Sync + 'static) -> Pattern<T> {
        self.filter_events(move |e| test(e.whole_begin()))
    }

    /// Only events with a whole (`filterDigital`).
    pub fn filter_digital(&self) -> Pattern<T> {
        self.filter_events(|e| e.whole.is_some())
    }

    /// Only continuous events (`filterAnalog`).
    pub fn filter_analog(&self) -> Pattern<T> {
        self.filter_events(|e| e.whole.is_none())
    }

    /// Only fragments that hold an onset (`filterOnsets`).
    pub fn filter_onsets(&self) -> Pattern<T> {
        self.filter_events(|e| e.has_onset())
    }
}

/// Keeps, from `start` on, only the events `keep` accepts, in order.
pub fn retain_from<T>(out: &mut Events<T>, start: usize, keep: impl Fn(&Event<T>) -> bool) {
    let mut kept = start;
    for i in start..out.len() {
        if keep(&out[i]) {
            out.swap(kept, i);
            kept += 1;
        }
    }
    out.truncate(kept);
}

/// A continuous signal: the function sampled at the midpoint of the query
/// (`sig`).
pub fn signal<T: Element>(f: impl Fn(Time) -> T + Send + Sync + 'static) -> Pattern<T> {
    Pattern::appending(move |st, out| {
        let Span { begin, end } = st.span;
        if begin > end {
            return Ok(());
        }
        st.budget.charge(1)?;
        let mid = (begin + ((end - begin)? / Time::int(2))?)?;
        out.push(Event::new(None, st.span, f(mid)));
        Ok(())
    })
}
