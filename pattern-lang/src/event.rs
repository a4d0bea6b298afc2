//! Events: a value active over a `whole` span, of which a query saw `part`.

use crate::span::Span;
use crate::time::Time;

/// One occurrence of a value. `whole` is the event's full extent (`None` for
/// continuous signals); `part` is the fragment inside the queried span.
#[derive(Clone, Debug, PartialEq)]
pub struct Event<T> {
    pub whole: Option<Span>,
    pub part: Span,
    pub value: T,
}

impl<T> Event<T> {
    pub fn new(whole: Option<Span>, part: Span, value: T) -> Event<T> {
        Event { whole, part, value }
    }

    /// The whole if there is one, else the part (`wholeOrPart`).
    pub fn whole_or_part(&self) -> Span {
        self.whole.unwrap_or(self.part)
    }

    pub fn whole_begin(&self) -> Time {
        self.whole_or_part().begin
    }

    /// True when this fragment contains the start of its event: the moment a
    /// sound is triggered.
    pub fn has_onset(&self) -> bool {
        matches!(self.whole, Some(w) if w.begin == self.part.begin)
    }

    pub fn is_analog(&self) -> bool {
        self.whole.is_none()
    }

    /// Every time of the event mapped through `f`, an order-keeping map;
    /// ends the whole shares with the part (most events) are mapped once.
    #[inline]
    pub fn map_times<E>(&mut self, f: impl Fn(Time) -> Result<Time, E>) -> Result<(), E> {
        let old = self.part;
        self.part = Span::new(f(old.begin)?, f(old.end)?);
        if let Some(w) = self.whole {
            let begin = if w.begin == old.begin {
                self.part.begin
            } else {
                f(w.begin)?
            };
            let end = if w.end == old.end {
                self.part.end
            } else {
                f(w.end)?
            };
            self.whole = Some(Span::new(begin, end));
        }
        Ok(())
    }

    pub fn with_value<U>(self, f: impl FnOnce(T) -> U) -> Event<U> {
        Event {
            whole: self.whole,
            part: self.part,
            value: f(self.value),
        }
    }
}
