//! The mini-notation syntax tree, built from pest's parse with the source
//! position of every node kept for error messages.

use pest::iterators::Pair;
use pest::Parser;

use super::MiniError;

#[derive(pest_derive::Parser)]
#[grammar = "mini/grammar.pest"]
struct MiniParser;

/// Byte offsets of a node within the mini-notation string.
pub type Pos = (usize, usize);

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub enum NodeKind {
    /// A word whose meaning depends on the pattern type (`bd`, `3`, `c'maj`).
    Word(String),
    /// `~`
    Rest,
    /// `^name`: the current value of a control.
    Variable(String),
    /// Steps squeezed into one cycle.
    Sequence(Vec<Step>),
    /// `a, b`
    Stack(Vec<Node>),
    /// `a | b`: one chosen at random each cycle.
    Choice(Vec<Node>),
    /// `{a b, c d e}%n`: layers played at a common step rate.
    Polymeter {
        layers: Vec<Node>,
        steps: Option<Box<Node>>,
    },
    /// `<a b c>`: one step per cycle.
    Alternation(Vec<Node>),
    /// `x?` or `x?0.3`
    Degrade {
        subject: Box<Node>,
        amount: Option<f64>,
    },
    /// `x*n`
    Fast {
        subject: Box<Node>,
        factor: Box<Node>,
    },
    /// `x/n`
    Slow {
        subject: Box<Node>,
        factor: Box<Node>,
    },
    /// `x(k,n,r)`
    Euclid {
        subject: Box<Node>,
        onsets: Box<Node>,
        steps: Box<Node>,
        rotation: Option<Box<Node>>,
    },
    /// `a .. b`
    Range(Box<Node>, Box<Node>),
}

/// One step of a sequence with its relative length.
#[derive(Debug, Clone)]
pub struct Step {
    pub node: Node,
    pub size: StepSize,
}

#[derive(Debug, Clone)]
pub enum StepSize {
    One,
    /// `@r` and `_` marks: each `@r` adds `r - 1`, each bare mark adds 1.
    Elongated(Vec<Option<Node>>),
    /// `!n` marks: the step repeated.
    Repeated(usize),
    /// A foot separator `.` (resolved away by the parser).
    Foot,
}

/// Deepest bracket nesting accepted; deeper input is an error rather than a
/// stack overflow.
pub const MAX_DEPTH: usize = 64;

pub fn parse(src: &str) -> Result<Node, MiniError> {
    let mut depth = 0usize;
    for (i, c) in src.char_indices() {
        match c {
            '[' | '{' | '<' | '(' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(MiniError::new(
                        i,
                        format!("brackets nested more than {MAX_DEPTH} deep"),
                    ));
                }
            }
            ']' | '}' | '>' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let mut pairs = MiniParser::parse(Rule::mini, src).map_err(|e| from_pest(src, e))?;
    let mini = pairs
        .next()
        .ok_or_else(|| MiniError::new(0, "empty input".into()))?;
    let body = mini
        .into_inner()
        .next()
        .ok_or_else(|| MiniError::new(0, "empty input".into()))?;
    Ok(build(body))
}

fn from_pest(src: &str, e: pest::error::Error<Rule>) -> MiniError {
    let offset = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let found = src[offset.min(src.len())..]
        .chars()
        .next()
        .map(|c| format!("unexpected '{c}'"))
        .unwrap_or_else(|| "unexpected end of input".to_string());
    let expected = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => expected_words(positives),
        pest::error::ErrorVariant::CustomError { message } => message.clone(),
    };
    MiniError::new(
        offset,
        if expected.is_empty() {
            found
        } else {
            format!("{found}, expecting {expected}")
        },
    )
}

fn expected_words(rules: &[Rule]) -> String {
    let mut words: Vec<&str> = rules
        .iter()
        .map(|r| match r {
            Rule::word | Rule::step | Rule::part => "a word or number",
            Rule::rest => "'~'",
            Rule::brackets => "'['",
            Rule::polymeter | Rule::polymeter_body => "'{'",
            Rule::alternation => "'<'",
            Rule::EOI => "end of input",
            Rule::sequence_degrade | Rule::degrade => "'?'",
            Rule::stack_tail => "','",
            Rule::choice_tail => "'|'",
            Rule::factor | Rule::steps | Rule::steps_step | Rule::steps_part => {
                "a number or bracket"
            }
            Rule::number_word => "a number",
            Rule::euclid => "'('",
            Rule::foot => "'.'",
            Rule::amount | Rule::count => "a number",
            _ => "",
        })
        .filter(|w| !w.is_empty())
        .collect();
    words.sort_unstable();
    words.dedup();
    words.join(", ")
}

fn pos(pair: &Pair<Rule>) -> Pos {
    let s = pair.as_span();
    (s.start(), s.end())
}

fn node(kind: NodeKind, pos: Pos) -> Node {
    Node { kind, pos }
}

fn build(pair: Pair<Rule>) -> Node {
    let p = pos(&pair);
    match pair.as_rule() {
        Rule::stack_or_choice | Rule::stack_only => {
            let mut inner = pair.into_inner();
            let first = inner
                .next()
                .map(build)
                .unwrap_or_else(|| node(NodeKind::Sequence(vec![]), p));
            let mut rest: Vec<Node> = Vec::new();
            let mut choice = false;
            for tail in inner {
                match tail.as_rule() {
                    Rule::stack_tail => rest.extend(tail.into_inner().map(build)),
                    Rule::choice_tail => {
                        choice = true;
                        rest.extend(tail.into_inner().map(build));
                    }
                    _ => rest.push(build(tail)),
                }
            }
            if rest.is_empty() {
                first
            } else {
                let mut all = vec![first];
                all.extend(rest);
                node(
                    if choice {
                        NodeKind::Choice(all)
                    } else {
                        NodeKind::Stack(all)
                    },
                    p,
                )
            }
        }
        Rule::sequence | Rule::steps => build_sequence(pair),
        Rule::part | Rule::steps_part => {
            let mut inner = pair.into_inner();
            let mut current = match inner.next() {
                Some(t) => build(t),
                None => return node(NodeKind::Rest, p),
            };
            for m in inner {
                let mp = pos(&m);
                let whole = (current.pos.0, mp.1);
                current = match m.as_rule() {
                    Rule::degrade => node(
                        NodeKind::Degrade {
                            subject: Box::new(current),
                            amount: amount(m),
                        },
                        whole,
                    ),
                    Rule::faster | Rule::slower => {
                        let fast = m.as_rule() == Rule::faster;
                        let factor = Box::new(build_factor(m));
                        let subject = Box::new(current);
                        node(
                            if fast {
                                NodeKind::Fast { subject, factor }
                            } else {
                                NodeKind::Slow { subject, factor }
                            },
                            whole,
                        )
                    }
                    Rule::euclid => {
                        let mut args = m.into_inner().map(build);
                        let onsets =
                            Box::new(args.next().unwrap_or_else(|| node(NodeKind::Rest, mp)));
                        let steps =
                            Box::new(args.next().unwrap_or_else(|| node(NodeKind::Rest, mp)));
                        let rotation = args.next().map(Box::new);
                        node(
                            NodeKind::Euclid {
                                subject: Box::new(current),
                                onsets,
                                steps,
                                rotation,
                            },
                            whole,
                        )
                    }
                    _ => current,
                };
            }
            current
        }
        Rule::rest => node(NodeKind::Rest, p),
        Rule::word | Rule::number_word => node(NodeKind::Word(pair.as_str().to_string()), p),
        Rule::variable => node(NodeKind::Variable(pair.as_str()[1..].to_string()), p),
        Rule::brackets => pair
            .into_inner()
            .next()
            .map(build)
            .unwrap_or_else(|| node(NodeKind::Sequence(vec![]), p)),
        Rule::polymeter => {
            let mut inner = pair.into_inner();
            let layers = inner
                .next()
                .map(|body| layers_of(body.into_inner().next().map(build)))
                .unwrap_or_default();
            let steps = inner.next().map(|s| Box::new(single_step(build(s))));
            node(NodeKind::Polymeter { layers, steps }, p)
        }
        Rule::alternation => {
            let layers = layers_of(pair.into_inner().next().map(build));
            node(NodeKind::Alternation(layers), p)
        }
        Rule::factor => build_factor_inner(pair),
        _ => node(NodeKind::Rest, p),
    }
}

/// A sequence of one plain step is that step.
fn single_step(seq: Node) -> Node {
    match seq.kind {
        NodeKind::Sequence(mut steps)
            if steps.len() == 1 && matches!(steps[0].size, StepSize::One) =>
        {
            steps.remove(0).node
        }
        kind => Node { kind, ..seq },
    }
}

fn layers_of(body: Option<Node>) -> Vec<Node> {
    match body {
        Some(Node {
            kind: NodeKind::Stack(ls),
            ..
        }) => ls,
        Some(n) => vec![n],
        None => vec![],
    }
}

fn amount(pair: Pair<Rule>) -> Option<f64> {
    pair.into_inner()
        .next()
        .and_then(|a| a.as_str().parse().ok())
}

fn build_factor(pair: Pair<Rule>) -> Node {
    let p = pos(&pair);
    pair.into_inner()
        .next()
        .map(build_factor_inner)
        .unwrap_or_else(|| node(NodeKind::Rest, p))
}

fn build_factor_inner(pair: Pair<Rule>) -> Node {
    if pair.as_rule() == Rule::factor {
        let p = pos(&pair);
        return pair
            .into_inner()
            .next()
            .map(build)
            .unwrap_or_else(|| node(NodeKind::Rest, p));
    }
    build(pair)
}

fn build_sequence(pair: Pair<Rule>) -> Node {
    let p = pos(&pair);
    let mut steps: Vec<Step> = Vec::new();
    let mut degrade: Option<(Option<f64>, Pos)> = None;
    for item in pair.into_inner() {
        match item.as_rule() {
            Rule::foot => steps.push(Step {
                node: node(NodeKind::Rest, pos(&item)),
                size: StepSize::Foot,
            }),
            Rule::sequence_degrade => {
                let dp = pos(&item);
                degrade = Some((amount(item), dp));
            }
            Rule::step | Rule::steps_step => {
                let mut inner = item.into_inner();
                let Some(part) = inner.next() else { continue };
                let first = build(part);
                let step = match inner.next() {
                    None => Step {
                        node: first,
                        size: StepSize::One,
                    },
                    Some(tail) => match tail.as_rule() {
                        Rule::range_to | Rule::steps_range => {
                            let to = tail.into_inner().next().map(build);
                            let np = (first.pos.0, to.as_ref().map_or(first.pos.1, |t| t.pos.1));
                            match to {
                                Some(to) => Step {
                                    node: node(NodeKind::Range(Box::new(first), Box::new(to)), np),
                                    size: StepSize::One,
                                },
                                None => Step {
                                    node: first,
                                    size: StepSize::One,
                                },
                            }
                        }
                        Rule::elongation | Rule::steps_elongation => Step {
                            node: first,
                            size: StepSize::Elongated(
                                tail.into_inner()
                                    .map(|e| e.into_inner().next().map(build))
                                    .collect(),
                            ),
                        },
                        Rule::repetition => {
                            let n: usize = tail
                                .into_inner()
                                .map(|r| {
                                    r.into_inner()
                                        .next()
                                        .and_then(|c| c.as_str().parse::<usize>().ok())
                                        .map_or(1, |n| n.saturating_sub(1))
                                })
                                .fold(0usize, |a, b| a.saturating_add(b));
                            Step {
                                node: first,
                                size: StepSize::Repeated(n.saturating_add(1)),
                            }
                        }
                        _ => Step {
                            node: first,
                            size: StepSize::One,
                        },
                    },
                };
                steps.push(step);
            }
            _ => {}
        }
    }
    let seq = if steps.iter().any(|s| matches!(s.size, StepSize::Foot)) {
        let mut feet: Vec<Step> = Vec::new();
        let mut current: Vec<Step> = Vec::new();
        let flush = |current: &mut Vec<Step>, feet: &mut Vec<Step>| {
            let start = current.first().map_or(p.0, |s| s.node.pos.0);
            let end = current.last().map_or(p.0, |s| s.node.pos.1);
            feet.push(Step {
                node: node(NodeKind::Sequence(std::mem::take(current)), (start, end)),
                size: StepSize::One,
            });
        };
        for s in steps {
            if matches!(s.size, StepSize::Foot) {
                flush(&mut current, &mut feet);
            } else {
                current.push(s);
            }
        }
        if !current.is_empty() {
            flush(&mut current, &mut feet);
        }
        node(NodeKind::Sequence(feet), p)
    } else {
        node(NodeKind::Sequence(steps), p)
    };
    match degrade {
        Some((amount, dp)) => node(
            NodeKind::Degrade {
                subject: Box::new(seq),
                amount,
            },
            (p.0, dp.1),
        ),
        None => seq,
    }
}
