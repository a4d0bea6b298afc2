//! The interactive REPL through a pseudo-terminal: completion, coloured
//! errors with a caret, history, `:quit`.

mod support;

use std::process::Command;

use support::Receiver;

fn spawn(rx: &Receiver, history: &std::path::Path) -> rexpect::session::PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_event-server"));
    cmd.args([
        "--target",
        &rx.target(),
        "--latency",
        "0.1",
        "--frame",
        "0.02",
    ])
    .env("OSTINATO_HISTORY", history)
    .env("TERM", "xterm");
    rexpect::session::spawn_command(cmd, Some(15_000)).expect("spawn in a pty")
}

#[test]
fn completion_caret_errors_and_history() {
    let dir = std::env::temp_dir().join(format!("ostinato-pty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let history = dir.join("history");
    let _ = std::fs::remove_file(&history);
    let rx = Receiver::new();
    let mut p = spawn(&rx, &history);
    p.exp_string("ostinato> ").unwrap();

    // Tab completes a function name.
    p.send(":t hurr").unwrap();
    p.flush().unwrap();
    p.send("\t").unwrap();
    p.flush().unwrap();
    p.exp_string("hurry").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_string("hurry :: ").unwrap();
    p.exp_string("ostinato> ").unwrap();

    // Play, then a broken line: a red caret under the error; d1 plays on.
    p.send_line(r#"d1 $ s "bd*4""#).unwrap();
    rx.wait_for("bd", 10.0, |p| p.len() >= 2);
    p.send_line(r#"d1 $ s "sn [bd""#).unwrap();
    let (before, _) = p.exp_regex(r"\^+").unwrap();
    assert!(before.contains("\x1b[1;31merror:"), "coloured: {before:?}");
    let line = before
        .lines()
        .find(|l| l.contains(r#"  d1 $ s "sn [bd""#))
        .expect("the line under the message");
    let _ = line;
    let pad = before.rsplit('\n').next().unwrap();
    let spaces = pad.chars().take_while(|c| *c == ' ').count();
    // `  d1 $ s "sn [bd"`: the string's inside is columns 8..15 (+2 indent).
    assert!(
        (10..=17).contains(&spaces),
        "caret inside the string: {spaces} {pad:?}"
    );
    let n = rx.plays().len();
    let plays = rx.wait_for("more bd", 10.0, |p| p.len() >= n + 3);
    assert!(plays.iter().all(|p| p.string("s") == "bd"));

    // :help shows the signature.
    p.send_line(":help fast").unwrap();
    p.exp_string("fast :: ").unwrap();

    p.send_line(":quit").unwrap();
    p.exp_eof().unwrap();
    let saved = std::fs::read_to_string(&history).unwrap();
    assert!(saved.contains(r#"d1 $ s "bd*4""#), "history: {saved}");
    assert!(
        saved.contains(":t hurry"),
        "the completed line is in history: {saved}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
