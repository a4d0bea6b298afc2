//! The engine talking back, end to end: a fake engine on loopback answers
//! the handshake and sends `/ostinato/notice` for events it cannot play; the
//! real event-server prints them attributed to the slot (through a pipe, and
//! above the prompt in a pseudo-terminal without breaking the typed line),
//! and follows the engine's log given with `--engine-log`.

mod support;

use std::io::Write;
use std::net::{SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use rosc::{OscMessage, OscPacket, OscType};
use support::{sleep, Packet, Receiver, Server};

const NO_BDD: &str = r#"no sample bank or voice named "bdd" (did you mean "bd"?)"#;

/// An engine that plays nothing, built on the receiver the other tests
/// use: it answers the handshake, and answers `s "bdd"` with an
/// `unknown-sound` notice to the sender, `s "reload"` with an engine notice.
struct FakeEngine {
    rx: Receiver,
}

fn send(socket: &UdpSocket, to: SocketAddr, addr: &str, args: &[&str]) {
    let packet = OscPacket::Message(OscMessage {
        addr: addr.into(),
        args: args
            .iter()
            .map(|a| OscType::String(a.to_string()))
            .collect(),
    });
    let _ = socket.send_to(&rosc::encoder::encode(&packet).unwrap(), to);
}

/// What the fake engine says back to one datagram.
fn answer(socket: &UdpSocket, packet: &Packet) {
    let Ok((_, decoded)) = rosc::decoder::decode_udp(&packet.bytes) else {
        return;
    };
    let message = match decoded {
        OscPacket::Message(m) => m,
        OscPacket::Bundle(mut b) => match b.content.pop() {
            Some(OscPacket::Message(m)) => m,
            _ => return,
        },
    };
    let arg = |name: &str| {
        let at = message
            .args
            .iter()
            .position(|a| a == &OscType::String(name.into()));
        match at.and_then(|i| message.args.get(i + 1)) {
            Some(OscType::String(s)) => s.clone(),
            _ => String::new(),
        }
    };
    let to = packet.from;
    match (message.addr.as_str(), arg("s").as_str()) {
        ("/dirt/handshake", _) => send(socket, to, "/dirt/handshake/reply", &[]),
        ("/dirt/play", "bdd") => {
            let id = arg("_id_");
            send(
                socket,
                to,
                "/ostinato/notice",
                &[&id, "unknown-sound", NO_BDD],
            );
        }
        ("/dirt/play", "reload") => {
            let text = "voice acid reloaded (kept: env, phase)";
            send(socket, to, "/ostinato/notice", &["", "reload", text]);
        }
        _ => {}
    }
}

impl FakeEngine {
    fn start() -> FakeEngine {
        let rx = Receiver::new();
        let socket = rx.socket.clone();
        let packets = Arc::downgrade(&rx.packets);
        std::thread::spawn(move || {
            let mut answered = 0;
            while let Some(packets) = packets.upgrade() {
                let new: Vec<Packet> = packets.lock().unwrap()[answered..].to_vec();
                drop(packets);
                answered += new.len();
                new.iter().for_each(|p| answer(&socket, p));
                sleep(0.002);
            }
        });
        FakeEngine { rx }
    }

    fn target(&self) -> String {
        self.rx.target()
    }

    fn wait_for_play(&self, id: &str, sound: &str, count: usize, secs: f64) {
        let what = format!("{count} play(s) of {sound} from {id:?}");
        self.rx.wait_for(&what, secs, |plays| {
            let n = plays
                .iter()
                .filter(|p| p.string("_id_") == id && p.string("s") == sound);
            n.count() >= count
        });
    }
}

/// A fresh folder for one test's files, with an engine log in it holding
/// `first`, and a fake engine.
fn engine_with_log(name: &str, first: &str) -> (PathBuf, PathBuf, FakeEngine) {
    let dir = std::env::temp_dir().join(format!("ostinato-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("engine.log");
    append(&log, first);
    (dir, log, FakeEngine::start())
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

#[test]
fn notices_are_attributed_to_their_slot_and_said_once() {
    let engine = FakeEngine::start();
    let mut server = Server::start(&engine.target(), &["--cps", "2"]);
    server.wait_stderr("connected to the engine at", 10.0);
    server.say(r#"d1 $ s "bdd""#);
    server.say(r#"p "drums" $ s "bdd""#);
    server.say(r#"d3 $ s "reload""#);
    server.wait_stderr(&format!("d1: {NO_BDD}"), 10.0);
    server.wait_stderr(&format!("p \"drums\": {NO_BDD}"), 10.0);
    server.wait_stderr("engine: voice acid reloaded (kept: env, phase)", 10.0);
    // At 2 cps each slot plays bdd twice a second: by the fourth play the
    // engine has said the same thing four times, and it is printed once.
    engine.wait_for_play("1", "bdd", 4, 10.0);
    engine.wait_for_play("drums", "bdd", 4, 10.0);
    sleep(0.2);
    let said = server.stderr();
    assert_eq!(said.matches(&format!("d1: {NO_BDD}")).count(), 1, "{said}");
    assert_eq!(said.matches("p \"drums\": ").count(), 1, "{said}");
    assert_eq!(said.matches("engine: voice acid").count(), 1, "{said}");
    server.finish();
}

#[test]
fn the_engine_log_is_followed() {
    let ready = "synth-engine ready: listening on 127.0.0.1:57120\n";
    let (dir, log, engine) = engine_with_log("engine-log", ready);
    let path = log.to_str().unwrap();
    let mut server = Server::start(&engine.target(), &["--engine-log", path]);
    server.wait_stderr(
        "engine: synth-engine ready: listening on 127.0.0.1:57120",
        10.0,
    );
    append(&log, "warning: 3 late event(s)\nhalf a li");
    server.wait_stderr("engine: warning: 3 late event(s)", 10.0);
    assert!(
        !server.stderr().contains("half a li"),
        "a line is said when finished"
    );
    append(&log, "ne\n");
    server.wait_stderr("engine: half a line", 10.0);
    server.say("hush");
    server.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn at_the_prompt_messages_go_above_the_line_being_typed() {
    let (dir, log, engine) = engine_with_log("talkback-pty", "");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_event-server"));
    cmd.args(["--target", &engine.target(), "--latency", "0.1"])
        .args(["--frame", "0.02", "--engine-log", log.to_str().unwrap()])
        .env("OSTINATO_HISTORY", dir.join("history"))
        .env("TERM", "xterm");
    let mut p = rexpect::session::spawn_command(cmd, Some(15_000)).expect("spawn in a pty");
    p.exp_string("ostinato> ").unwrap();

    p.send_line(r#"d1 $ s "bdd""#).unwrap();
    p.exp_string(&format!("d1: {NO_BDD}")).unwrap();

    // Half a statement typed, then a line from the engine: it is printed,
    // and the prompt and the half line are drawn again below it.
    p.send(r#"d2 $ s "c"#).unwrap();
    p.flush().unwrap();
    p.exp_string(r#"d2 $ s "c"#).unwrap();
    append(&log, "hello from the engine\n");
    p.exp_string("engine: hello from the engine").unwrap();
    p.exp_string(r#"ostinato> d2 $ s "c"#).unwrap();
    // The rest of the line completes what was typed before.
    p.send("p\"\r").unwrap();
    p.flush().unwrap();
    engine.wait_for_play("2", "cp", 1, 10.0);

    p.send_line(":quit").unwrap();
    p.exp_eof().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
