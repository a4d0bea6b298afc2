//! What the engine tells a client about one of its events: the event's `_id_`, a kind and a plain sentence.

use rosc::OscType;
use std::net::SocketAddr;

/// The kinds of notice, as sent in the second argument of `/ostinato/notice`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// No sample bank or voice of that name.
    UnknownSound,
    /// The sample file could not be decoded.
    DecodeFailed,
    /// The event arrived (or started) after its time.
    Late,
    /// The event was not played (queue full, too far ahead, unreadable).
    Dropped,
    /// Voices were faded out to keep real time.
    VoicesShed,
    /// Parameter values the engine could not use were ignored.
    UnknownParam,
    /// Voice definitions were reloaded.
    Reload,
    /// A voice definition did not compile.
    ReloadError,
}

impl NoticeKind {
    /// The kind as it goes on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::UnknownSound => "unknown-sound",
            NoticeKind::DecodeFailed => "decode-failed",
            NoticeKind::Late => "late",
            NoticeKind::Dropped => "dropped",
            NoticeKind::VoicesShed => "voices-shed",
            NoticeKind::UnknownParam => "unknown-param",
            NoticeKind::Reload => "reload",
            NoticeKind::ReloadError => "reload-error",
        }
    }
}

/// One notice and where it goes (`to: None`: to every client that sent a handshake).
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub to: Option<SocketAddr>,
    /// The event's `_id_` as sent, "" when it had none.
    pub id: String,
    pub kind: NoticeKind,
    pub text: String,
}

/// Longest `_id_` echoed back (a hostile sender controls it).
const MAX_ID_LEN: usize = 64;

/// The `_id_` argument of a `/dirt/play` message as text ("" if absent); ints and floats
/// are written as numbers (`1`, not `1.0`).
pub fn event_id(args: &[OscType]) -> String {
    let value = args
        .chunks_exact(2)
        .find(|p| matches!(&p[0], OscType::String(s) if s == "_id_"))
        .map(|p| &p[1]);
    let mut id = match value {
        Some(OscType::String(s)) => s.clone(),
        Some(OscType::Int(i)) => i.to_string(),
        Some(OscType::Long(l)) => l.to_string(),
        Some(OscType::Float(f)) => f.to_string(),
        Some(OscType::Double(d)) => d.to_string(),
        _ => String::new(),
    };
    if id.len() > MAX_ID_LEN {
        let mut cut = MAX_ID_LEN;
        while !id.is_char_boundary(cut) {
            cut -= 1;
        }
        id.truncate(cut);
    }
    id
}

/// `name` of `candidates` closest to `wanted` by edit distance, if close enough to be a typo
/// (at most one edit per three letters, and at least one).
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(wanted, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance between two strings, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// The sentence for a sound that is neither a voice nor a bank.
pub fn unknown_sound_text<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    match did_you_mean(name, known) {
        Some(s) => format!("no sample bank or voice named {name:?} (did you mean {s:?}?)"),
        None => format!("no sample bank or voice named {name:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_back_as_text() {
        let s = |x: &str| OscType::String(x.into());
        assert_eq!(event_id(&[s("_id_"), s("d1"), s("s"), s("bd")]), "d1");
        assert_eq!(
            event_id(&[s("s"), s("bd"), s("_id_"), OscType::Int(3)]),
            "3"
        );
        assert_eq!(event_id(&[s("_id_"), OscType::Float(2.0)]), "2");
        assert_eq!(event_id(&[s("s"), s("bd")]), "");
        assert_eq!(
            event_id(&[s("_id_"), s(&"x".repeat(500))]).len(),
            MAX_ID_LEN
        );
    }

    #[test]
    fn suggests_only_near_names() {
        let known = ["bd", "sn", "superpiano", "hh", "arpy"];
        assert_eq!(did_you_mean("bdd", known), Some("bd"));
        assert_eq!(did_you_mean("superpaino", known), Some("superpiano"));
        assert_eq!(did_you_mean("xyzzy", known), None);
        assert_eq!(
            unknown_sound_text("bdd", known),
            "no sample bank or voice named \"bdd\" (did you mean \"bd\"?)"
        );
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
    }
}
