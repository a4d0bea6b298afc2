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

/// Values a pattern can carry.
pub trait Val: Clone + Send + Sync + 'static {}
impl<T: Clone + Send + Sync + 'static> Val for T {}

type QueryFn<T> = dyn for<'a> Fn(&State<'a>) -> QueryResult<T> + Send + Sync;

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

impl<T: Val> Pattern<T> {
    pub fn new(
        f: impl for<'a> Fn(&State<'a>) -> QueryResult<T> + Send + Sync + 'static,
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
        (self.query)(st)
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
        Pattern::new(|_| Ok(Vec::new()))
    }

    /// The value once per cycle (`pure`).
    pub fn pure(v: T) -> Pattern<T> {
        let constant = Some(Arc::new(v.clone()));
        let mut p = Pattern::new(move |st| {
            let (first, last) = st.span.cycle_numbers();
            st.budget.charge((last - first).max(0) as u64)?;
            let mut out = Vec::with_capacity((last - first).clamp(0, 64) as usize);
            for c in first..last {
                let c = Time::new(c, 1)?;
                let whole = Span::new(c, (c + Time::ONE)?);
                out.push(Event::new(Some(whole), whole.sect(&st.span), v.clone()));
            }
            Ok(out)
        });
        p.constant = constant;
        p
    }

    /// Queries split at cycle boundaries, so the inner pattern only ever sees
    /// spans within one cycle (`splitQueries`).
    pub fn split_queries(&self) -> Pattern<T> {
        let p = self.clone();
        Pattern::new(move |st| {
            let span = st.span;
            if span.begin == span.end {
                return p.query(st);
            }
            let mut out = Vec::new();
            let mut begin = span.begin;
            while begin < span.end {
                st.budget.charge(1)?;
                let end = begin.next_sam()?.min(span.end);
                out.extend(p.query(&st.with_span(Span::new(begin, end)))?);
                begin = end;
            }
            Ok(out)
        })
    }

    /// The query span transformed before querying.
    pub fn with_query_span(
        &self,
        f: impl Fn(Span) -> Result<Span, QueryError> + Send + Sync + 'static,
    ) -> Pattern<T> {
        let p = self.clone();
        Pattern::new(move |st| p.query(&st.with_span(f(st.span)?)))
    }

    pub fn with_query_time(
        &self,
        f: impl Fn(Time) -> Result<Time, TimeOverflow> + Send + Sync + 'static,
    ) -> Pattern<T> {
        self.with_query_span(move |s| Ok(s.map(&f)?))
    }

    /// Every event's whole and part transformed.
    pub fn with_result_span(
        &self,
        f: impl Fn(Span) -> Result<Span, QueryError> + Send + Sync + 'static,
    ) -> Pattern<T> {
        let p = self.clone();
        Pattern::new(move |st| {
            p.query(st)?
                .into_iter()
                .map(|e| {
                    Ok(Event {
                        whole: e.whole.map(&f).transpose()?,
                        part: f(e.part)?,
                        value: e.value,
                    })
                })
                .collect()
        })
    }

    pub fn with_result_time(
        &self,
        f: impl Fn(Time) -> Result<Time, TimeOverflow> + Send + Sync + 'static,
    ) -> Pattern<T> {
        self.with_result_span(move |s| Ok(s.map(&f)?))
    }

    /// The list of events transformed after every query.
    pub fn with_events<U: Val>(
        &self,
        f: impl Fn(Vec<Event<T>>) -> QueryResult<U> + Send + Sync + 'static,
    ) -> Pattern<U> {
        let p = self.clone();
        Pattern::new(move |st| f(p.query(st)?))
    }

    /// Values mapped (`fmap`).
    pub fn fmap<U: Val>(&self, f: impl Fn(&T) -> U + Send + Sync + 'static) -> Pattern<U> {
        if let Some(v) = self.constant() {
            return Pattern::pure(f(v));
        }
        self.with_events(move |es| {
            Ok(es
                .into_iter()
                .map(|e| Event::new(e.whole, e.part, f(&e.value)))
                .collect())
        })
    }

    /// Values mapped, dropping those mapped to `None`.
    pub fn filter_map<U: Val>(
        &self,
        f: impl Fn(&T) -> Option<U> + Send + Sync + 'static,
    ) -> Pattern<U> {
        if let Some(v) = self.constant() {
            return match f(v) {
                Some(u) => Pattern::pure(u),
                None => Pattern::silence(),
            };
        }
        self.with_events(move |es| {
            Ok(es
                .into_iter()
                .filter_map(|e| f(&e.value).map(|v| Event::new(e.whole, e.part, v)))
                .collect())
        })
    }

    pub fn filter_values(&self, f: impl Fn(&T) -> bool + Send + Sync + 'static) -> Pattern<T> {
        self.filter_events(move |e| f(&e.value))
    }

    pub fn filter_events(
        &self,
        f: impl Fn(&Event<T>) -> bool + Send + Sync + 'static,
    ) -> Pattern<T> {
        self.with_events(move |mut es| {
            es.retain(&f);
            Ok(es)
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

/// A continuous signal: the function sampled at the midpoint of the query
/// (`sig`).
pub fn signal<T: Val>(f: impl Fn(Time) -> T + Send + Sync + 'static) -> Pattern<T> {
    Pattern::new(move |st| {
        let Span { begin, end } = st.span;
        if begin > end {
            return Ok(Vec::new());
        }
        st.budget.charge(1)?;
        let mid = (begin + ((end - begin)? / Time::int(2))?)?;
        Ok(vec![Event::new(None, st.span, f(mid))])
    })
}
