//! `./play`'s options without a sound card: `--dry-run` prints the engine's
//! and the REPL's command lines (paths made absolute from where it was run,
//! the log under the XDG state folder, one per port); bad options and a busy port are
//! refused with what to do instead.

use std::net::UdpSocket;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn play(cwd: &Path, args: &[&str]) -> Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../play");
    Command::new("bash")
        .arg(script)
        .args(args)
        .current_dir(cwd)
        .env("XDG_STATE_HOME", cwd.join("state"))
        .output()
        .expect("run ./play")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ostinato-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A UDP port nothing listens on (bound, read, released).
fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn options_are_passed_on_with_paths_from_where_it_was_run() {
    let dir = scratch("play-args");
    for sub in ["kit", "more", "voices"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let port = free_port().to_string();
    let out = play(
        &dir,
        &[
            "--dry-run",
            "--record",
            "take.wav",
            "--port",
            &port,
            "--samples",
            "kit",
            "--samples",
            "more",
            "--voices",
            "voices",
            "--device",
            "hw:1",
            "--buffer",
            "512",
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d = dir.display();
    let engine = text.lines().find(|l| l.starts_with("engine: ")).unwrap();
    assert!(engine.contains("/target/release/synth-engine "), "{engine}");
    let want = format!(
        "--output wav:{d}/take.wav --port {port} --samples {d}/kit --samples {d}/more \
         --voices {d}/voices --device hw:1 --buffer 512"
    );
    assert!(engine.ends_with(&want), "{engine}\nwant {want}");
    let log = format!("{d}/state/ostinato/engine-{port}.log");
    assert!(text.contains(&format!("log: {log}\n")), "{text}");
    let repl = text.lines().find(|l| l.starts_with("repl: ")).unwrap();
    assert!(
        repl.ends_with(&format!("--target 127.0.0.1:{port} --engine-log {log}")),
        "{repl}"
    );
    // an absolute path stays as it is; nothing was created or started
    let out = play(
        &dir,
        &["--dry-run", "--null", "--samples", &format!("{d}/kit")],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("--output null --port 57120 --samples {d}/kit\n")),
        "{text}"
    );
    let log = format!("{d}/state/ostinato/engine.log");
    assert!(text.contains(&format!("log: {log}\n")), "{text}");
    assert!(!dir.join("state").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_options_say_what_is_wrong() {
    let dir = scratch("play-bad");
    for (args, says) in [
        (&["--sample", "x"][..], "unknown option '--sample'"),
        (
            &["--samples", "nowhere"][..],
            "--samples nowhere: no such folder",
        ),
        (&["--port"][..], "--port needs a number"),
        (
            &["--port", "70000"][..],
            "--port 70000: expected a number from 1 to 65535",
        ),
        (
            &["--buffer", "8"][..],
            "--buffer 8: expected a number from 16 to 16384",
        ),
        (&["--record", "no/such/take.wav"][..], "the folder"),
    ] {
        let out = play(&dir, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_busy_port_says_which_flag_to_use() {
    let dir = scratch("play-busy");
    let holder = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port();
    let out = play(&dir, &["--dry-run", "--port", &port.to_string()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("UDP port {port} is already in use")),
        "{err}"
    );
    assert!(err.contains("./play --port "), "{err}");
    assert!(out.stdout.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
