//! The UDP server: receives OSC, answers handshakes, maps timetags to frames, reports problems (rate-limited).

use super::packet::{handshake_reply, unpack};
use super::talkback::Talkback;
use crate::clock::{timetag_to_unix, ClockModel};
use crate::dispatch::dispatcher::{DispatchError, Dispatcher};
use crate::dispatch::notice::{event_id, Notice, NoticeKind};
use crate::engine::stats::EngineStats;
use crate::samples::watch::SampleWatcher;
use crate::voicelang::watch::{VoiceWatcher, DEBOUNCE};
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Control buses announced in the handshake reply (as SuperDirt's default).
const CONTROL_BUSES: usize = 128;
/// Events further ahead than this are dropped (they would hold a queue slot for too long).
const MAX_AHEAD_SECONDS: f64 = 60.0;

/// The message the voices watcher sends to wake the receive loop (ignored otherwise).
const WAKE_ADDRESS: &str = "/synth-engine/wake";

/// The socket receive buffer asked for: room for a burst of thousands of bundles.
pub const RECEIVE_BUFFER: usize = 8 << 20;

/// Binds the OSC socket with a large receive buffer (a burst of bundles sent back to back
/// waits there while the engine reads); says on stderr if the system grants less.
pub fn bind(addr: SocketAddr) -> std::io::Result<UdpSocket> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::DGRAM, Some(Protocol::UDP))?;
    let _ = socket.set_recv_buffer_size(RECEIVE_BUFFER);
    // Linux reports twice what it grants (the rest is its bookkeeping)
    let granted = socket
        .recv_buffer_size()
        .map(|n| if cfg!(target_os = "linux") { n / 2 } else { n })
        .unwrap_or(0);
    if granted < RECEIVE_BUFFER {
        eprintln!(
            "synth-engine: asked for a {} KB socket receive buffer, the system granted {} KB; a burst of events may lose some (on Linux: sysctl -w net.core.rmem_max={RECEIVE_BUFFER})",
            RECEIVE_BUFFER >> 10,
            granted >> 10
        );
    }
    socket.bind(&addr.into())?;
    let socket: UdpSocket = socket.into();
    socket.set_read_timeout(Some(Duration::from_millis(100)))?;
    Ok(socket)
}

/// Longest error text quoted in a report (a hostile sender controls its contents).
const MAX_REPORTED_ERROR: usize = 200;

/// Rate-limited reporting of what went wrong, at most once a second per kind.
#[derive(Default)]
struct Reporter {
    last: Option<Instant>,
    late_seen: u64,
    malformed_seen: u64,
    rejected_seen: u64,
    /// Stolen voices, full command queue, unknown sounds, engine-side overflow, as last reported.
    dropped_seen: [u64; 4],
    shed_seen: u64,
    last_error: Option<String>,
}

/// How much `counter` grew since `seen` (which then follows it), if it grew.
fn newly(counter: &std::sync::atomic::AtomicU64, seen: &mut u64) -> Option<u64> {
    let now = EngineStats::get(counter);
    let grew = now.checked_sub(*seen).filter(|n| *n > 0);
    *seen = now.max(*seen);
    grew
}

impl Reporter {
    fn note_error(&mut self, e: String) {
        let mut e = e;
        if e.len() > MAX_REPORTED_ERROR {
            let mut cut = MAX_REPORTED_ERROR;
            while !e.is_char_boundary(cut) {
                cut -= 1;
            }
            e.truncate(cut);
            e.push_str("...");
        }
        self.last_error = Some(e);
    }

    fn tick(&mut self, stats: &EngineStats) {
        let last = *self.last.get_or_insert_with(Instant::now);
        if last.elapsed() < Duration::from_secs(1) {
            return;
        }
        self.last = Some(Instant::now());
        if let Some(n) = newly(&stats.late_events, &mut self.late_seen) {
            let worst = EngineStats::get(&stats.max_late_frames);
            eprintln!("synth-engine: {n} late event(s) played at once (worst {worst} frames late)");
        }
        if let Some(n) = newly(&stats.malformed_packets, &mut self.malformed_seen) {
            eprintln!("synth-engine: dropped {n} malformed packet(s)");
        }
        if let Some(n) = newly(&stats.rejected_events, &mut self.rejected_seen) {
            match self.last_error.take() {
                Some(last) => eprintln!("synth-engine: ignored {n} event(s); last: {last}"),
                None => eprintln!("synth-engine: ignored {n} event(s)"),
            }
        }
        let dropped = [
            EngineStats::get(&stats.voices_stolen),
            EngineStats::get(&stats.queue_full),
            EngineStats::get(&stats.sounds_not_found),
            EngineStats::get(&stats.pending_overflow),
        ];
        if dropped != self.dropped_seen {
            let d = |i: usize| dropped[i] - self.dropped_seen[i];
            eprintln!(
                "synth-engine: in the last second: {} voice(s) stolen, {} event(s) dropped (queue full {}, sound not found {}, engine overflow {}); {} voices sounding, most at once {}",
                d(0),
                d(1) + d(2) + d(3),
                d(1),
                d(2),
                d(3),
                EngineStats::get(&stats.active_voices),
                EngineStats::get(&stats.max_active_voices),
            );
            self.dropped_seen = dropped;
        }
        if let Some(n) = newly(&stats.voices_shed, &mut self.shed_seen) {
            eprintln!(
                "synth-engine: the machine could not keep up: {n} voice(s) faded out to keep real time (render load {}%, voices allowed now {})",
                EngineStats::get(&stats.load_permille) / 10,
                EngineStats::get(&stats.voice_cap),
            );
        }
    }
}

/// Serves until `stop` is set. `host` and `port` go into the handshake reply.
///
/// With `voices`, that folder is watched and saved definitions are reloaded at once.
pub fn serve(
    socket: UdpSocket,
    mut dispatcher: Dispatcher,
    mut clock: ClockModel,
    stop: Arc<AtomicBool>,
    voices: Option<std::path::PathBuf>,
) {
    let stats = dispatcher.link.stats.clone();
    let local = socket.local_addr().ok();
    let host = local
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "127.0.0.1".into());
    let port = local.map(|a| a.port()).unwrap_or(57120);
    let mut buf = vec![0u8; 65536];
    let mut reporter = Reporter::default();
    let mut talk = Talkback::default();
    let mut quick = false;
    let watcher = voices.and_then(|dir| {
        let target = local.map(|mut a| {
            if a.ip().is_unspecified() {
                a.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
            }
            a
        });
        // a datagram to ourselves wakes the receive loop as soon as a definition is saved
        let wake = move || {
            if let (Some(t), Ok(s)) = (target, UdpSocket::bind("127.0.0.1:0")) {
                let msg = rosc::OscPacket::Message(rosc::OscMessage {
                    addr: WAKE_ADDRESS.into(),
                    args: vec![],
                });
                if let Ok(bytes) = rosc::encoder::encode(&msg) {
                    let _ = s.send_to(&bytes, t);
                }
            }
        };
        match VoiceWatcher::spawn(&dir, DEBOUNCE, wake) {
            Ok(w) => Some(w),
            Err(e) => {
                eprintln!("synth-engine: cannot watch {}: {e}", dir.display());
                None
            }
        }
    });
    let mut samples = match SampleWatcher::spawn(dispatcher.library().roots()) {
        Ok(w) => Some(w),
        Err(e) => {
            eprintln!("synth-engine: cannot watch the sample folders: {e}");
            None
        }
    };
    while !stop.load(Ordering::Relaxed) {
        if let Some(why) = dispatcher.take_last_rejection() {
            reporter.note_error(why);
        }
        reporter.tick(&stats);
        if let Some(changed) = samples.as_mut().and_then(SampleWatcher::settled) {
            match dispatcher.rescan_samples(&changed) {
                Ok((banks, files)) => eprintln!(
                    "synth-engine: sample folders changed; now {banks} bank(s), {files} file(s)"
                ),
                Err(e) => eprintln!("synth-engine: cannot rescan the sample folders: {e}"),
            }
        }
        talk.counters(&socket, &stats, clock.rate());
        if let Some(w) = &watcher {
            for (path, announced) in w.changed() {
                let report = dispatcher.load_voices(&path);
                let ms = announced.elapsed().as_secs_f64() * 1000.0;
                // the file's own time stamp gives the whole save-to-installed time
                let since_save = std::fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .map(|d| d.as_secs_f64() * 1000.0);
                for line in &report.log {
                    match since_save {
                        Some(save) => eprintln!(
                            "synth-engine: reloaded {line} ({ms:.2} ms after the debounce, {save:.1} ms after the save)"
                        ),
                        None => eprintln!("synth-engine: reloaded {line} ({ms:.2} ms after the debounce)"),
                    }
                }
                for e in &report.errors {
                    eprintln!("synth-engine: {e}");
                }
                let told = report
                    .log
                    .iter()
                    .map(|l| (NoticeKind::Reload, format!("reloaded {l}")))
                    .chain(
                        report
                            .errors
                            .iter()
                            .map(|e| (NoticeKind::ReloadError, e.to_string())),
                    );
                for (kind, text) in told {
                    let notice = Notice {
                        to: None,
                        id: String::new(),
                        kind,
                        text,
                    };
                    talk.tell(&socket, &notice);
                }
            }
        }
        dispatcher.link.drain_ticks(|t| clock.observe(t));
        dispatcher.housekeeping();
        for e in dispatcher.take_load_errors() {
            eprintln!("synth-engine: cannot play a sample: {e}");
        }
        for notice in dispatcher.take_notices() {
            talk.tell(&socket, &notice);
        }
        // poll quickly while samples load, so waiting events go out as soon as they can
        if dispatcher.loading() != quick {
            quick = !quick;
            let wait = if quick { 2 } else { 100 };
            let _ = socket.set_read_timeout(Some(Duration::from_millis(wait)));
        }
        let (len, from) = match socket.recv_from(&mut buf) {
            Ok(x) => x,
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut =>
            {
                continue
            }
            Err(_) => continue,
        };
        EngineStats::bump(&stats.packets);
        let messages = match unpack(&buf[..len]) {
            Ok(m) => m,
            Err(_) => {
                EngineStats::bump(&stats.malformed_packets);
                continue;
            }
        };
        dispatcher.link.drain_ticks(|t| clock.observe(t));
        let now_frame = clock.frame_at(crate::clock::unix_now());
        for m in messages {
            match m.message.addr.as_str() {
                "/dirt/play" => {
                    talk.sender(from);
                    let args = &m.message.args;
                    let tell = |talk: &mut Talkback, kind, text| {
                        let id = event_id(args);
                        talk.tell(
                            &socket,
                            &Notice {
                                to: Some(from),
                                id,
                                kind,
                                text,
                            },
                        );
                    };
                    let frame = m
                        .time
                        .and_then(|t| timetag_to_unix(t.seconds, t.fractional))
                        .map(|t| clock.frame_at(t));
                    if let Some(f) = frame {
                        if f - now_frame > MAX_AHEAD_SECONDS * clock.rate() {
                            EngineStats::bump(&stats.rejected_events);
                            reporter.note_error("event more than 60 s ahead".into());
                            if talk.may_tell() {
                                let text = "event not played: more than 60 s ahead".into();
                                tell(&mut talk, NoticeKind::Dropped, text);
                            }
                            continue;
                        }
                        let behind_ms = (now_frame - f) * 1000.0 / clock.rate();
                        if behind_ms >= 1.0 && talk.may_tell() {
                            let text = format!(
                                "event arrived {behind_ms:.0} ms after its time; played at once"
                            );
                            tell(&mut talk, NoticeKind::Late, text);
                        }
                    }
                    let ignored_before = EngineStats::get(&stats.rejected_values);
                    if let Err(e) = dispatcher.play_from(args, frame, Some(from)) {
                        match &e {
                            DispatchError::NotFound(name) => {
                                if dispatcher.first_report_of(name) {
                                    eprintln!(
                                        "synth-engine: no sample bank or synth named {name:?}"
                                    );
                                }
                            }
                            e => reporter.note_error(e.to_string()),
                        }
                        if talk.may_tell() {
                            let notice = dispatcher.notice_for(&e, Some(from), event_id(args));
                            talk.tell(&socket, &notice);
                        }
                    }
                    let ignored =
                        EngineStats::get(&stats.rejected_values).saturating_sub(ignored_before);
                    if ignored > 0 && talk.may_tell() {
                        let text = format!("ignored {ignored} parameter value(s) that are not usable numbers or known words");
                        tell(&mut talk, NoticeKind::UnknownParam, text);
                    }
                }
                WAKE_ADDRESS => {}
                "/dirt/handshake" => {
                    talk.handshake(from);
                    let reply = handshake_reply(&host, port, CONTROL_BUSES);
                    if let Ok(bytes) = rosc::encoder::encode(&reply) {
                        let _ = socket.send_to(&bytes, from);
                    }
                }
                _ => EngineStats::bump(&stats.unknown_addresses),
            }
        }
    }
}
