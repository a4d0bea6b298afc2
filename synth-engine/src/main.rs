//! The `synth-engine` binary: SuperDirt-compatible OSC in, sound out (or `render` a score offline).

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use synth_engine::backend::{self, OutputChoice, OutputOptions};
use synth_engine::clock::{unix_now, ClockModel};
use synth_engine::dispatch::Dispatcher;
use synth_engine::engine::{self, EngineConfig};
use synth_engine::osc::server;
use synth_engine::render::{self, RenderOptions};
use synth_engine::samples::SampleLibrary;

#[derive(Parser, Debug)]
#[command(
    name = "synth-engine",
    version,
    about = "Ostinato's synth engine: plays SuperDirt's /dirt/play OSC messages with samplers and effects"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    live: LiveArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Render a score (JSON Lines of timestamped OSC messages) to a WAV file, as fast as possible.
    Render(RenderArgs),
}

#[derive(Args, Debug, Clone)]
struct SoundArgs {
    /// A sample folder in Dirt-Samples layout (<dir>/<bank>/<files>); repeatable. Default: the shipped samples/.
    #[arg(long = "samples", value_name = "DIR")]
    samples: Vec<PathBuf>,
    /// The voice definitions folder (watched and hot-reloaded when live). Default: the shipped voices/.
    #[arg(long = "voices", value_name = "DIR")]
    voices: Option<PathBuf>,
    /// Sample rate in Hz.
    #[arg(long = "sample-rate", default_value_t = 48000, value_parser = clap::value_parser!(u32).range(8000..=384000))]
    sample_rate: u32,
    /// Most voices sounding at once; the oldest is stolen (with a short fade) beyond this.
    #[arg(long = "max-voices", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..=4096))]
    max_voices: u32,
    /// Number of orbits (each with its own reverb and delay).
    #[arg(long = "orbits", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=256))]
    orbits: u32,
    /// Memory for decoded samples, in MB (least recently used samples are dropped beyond it).
    #[arg(long = "sample-memory", default_value_t = 512, value_name = "MB")]
    sample_memory: usize,
}

#[derive(Args, Debug)]
struct LiveArgs {
    /// Address to listen on. Anything but loopback is reachable from other machines.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// UDP port to listen on (SuperDirt's is 57120).
    #[arg(long, default_value_t = 57120)]
    port: u16,
    /// Where the sound goes: `device` (the sound card), `wav:PATH` or `null`.
    #[arg(long, default_value = "device")]
    output: String,
    /// Output device name or id (see --list-devices).
    #[arg(long)]
    device: Option<String>,
    /// Audio host: `alsa` (default on Linux) or `jack` (when built with the `jack` feature).
    #[arg(long)]
    host: Option<String>,
    /// List the output devices and exit.
    #[arg(long = "list-devices")]
    list_devices: bool,
    /// Frames per audio callback (device) or per written block (wav/null).
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u32).range(16..=16384))]
    buffer: u32,
    /// Decode every sample at start-up (within --sample-memory), with a progress bar.
    #[arg(long)]
    preload: bool,
    #[command(flatten)]
    sound: SoundArgs,
}

#[derive(Args, Debug)]
struct RenderArgs {
    /// The score: one JSON object per line, {"time": SECONDS, "address": "/dirt/play", "args": [...]}.
    score: PathBuf,
    /// The WAV file to write (32-bit float, stereo).
    #[arg(long)]
    out: PathBuf,
    /// Length of the render in seconds.
    #[arg(long)]
    duration: f64,
    #[command(flatten)]
    sound: SoundArgs,
}

fn library(sound: &SoundArgs) -> Result<SampleLibrary> {
    let roots = if sound.samples.is_empty() {
        match synth_engine::paths::shipped_samples() {
            Some(p) => vec![p],
            None => {
                eprintln!("synth-engine: warning: the shipped samples/ folder was not found; pass --samples DIR");
                Vec::new()
            }
        }
    } else {
        sound.samples.clone()
    };
    Ok(SampleLibrary::scan(&roots)?)
}

/// The voices folder: `--voices`, else the shipped one.
fn voices_dir(sound: &SoundArgs) -> Result<Option<PathBuf>> {
    match &sound.voices {
        Some(v) if v.is_dir() => Ok(Some(v.clone())),
        Some(v) => bail!("--voices {}: not a folder", v.display()),
        None => {
            let found = synth_engine::paths::shipped_voices();
            if found.is_none() {
                eprintln!("synth-engine: warning: the shipped voices/ folder was not found; pass --voices DIR");
            }
            Ok(found)
        }
    }
}

fn render(args: RenderArgs) -> Result<()> {
    if !(args.duration.is_finite() && args.duration >= 0.0 && args.duration <= 24.0 * 3600.0) {
        bail!("--duration must be between 0 and 86400 seconds");
    }
    let lib = library(&args.sound)?;
    let voices = voices_dir(&args.sound)?;
    let (score, warnings) = render::read_score(&args.score)?;
    for w in &warnings {
        eprintln!("synth-engine: {}: {w}", args.score.display());
    }
    let opts = RenderOptions {
        duration: args.duration,
        sample_rate: args.sound.sample_rate,
        max_voices: args.sound.max_voices as usize,
        orbits: args.sound.orbits as usize,
        sample_memory: args.sound.sample_memory.saturating_mul(1 << 20),
        voices,
    };
    let report = render::render_to_wav(&score, lib, &opts, &args.out)?;
    for line in &report.reloads {
        eprintln!("synth-engine: reload at {line}");
    }
    for e in &report.voice_errors {
        eprintln!("synth-engine: {e}");
    }
    if report.failed_events > 0 {
        eprintln!(
            "synth-engine: {} of {} events could not be played",
            report.failed_events, report.events
        );
    }
    Ok(())
}

fn live(args: LiveArgs) -> Result<()> {
    if args.list_devices {
        for line in backend::device::list_devices(args.host.as_deref())? {
            println!("{line}");
        }
        return Ok(());
    }
    if !args.bind.is_loopback() {
        eprintln!(
            "synth-engine: warning: listening on {}, reachable from other machines; anyone who can reach it can play sounds",
            args.bind
        );
    }
    let choice: OutputChoice = args.output.parse()?;
    let lib = library(&args.sound)?;
    let socket = server::bind(SocketAddr::new(args.bind, args.port))
        .with_context(|| format!("cannot listen on {}:{}", args.bind, args.port))?;
    let output = backend::open(&OutputOptions {
        choice,
        device: args.device.clone(),
        host: args.host.clone(),
        buffer: args.buffer,
        sample_rate: args.sound.sample_rate,
    })?;
    let sample_rate = output.sample_rate();
    let (mut engine, link) = engine::new(EngineConfig {
        sample_rate,
        max_voices: args.sound.max_voices as usize,
        orbits: args.sound.orbits as usize,
    });
    let stats = link.stats.clone();
    let mut dispatcher =
        Dispatcher::new(lib, link, args.sound.sample_memory.saturating_mul(1 << 20));
    dispatcher.load_in_background()?;
    let voices = voices_dir(&args.sound)?;
    if let Some(dir) = &voices {
        let report = dispatcher.load_voices(dir);
        for e in &report.errors {
            eprintln!("synth-engine: {e}");
        }
    }
    if args.preload {
        let errors = dispatcher.preload(|done, total| {
            let width = 30;
            let filled = (done * width).checked_div(total).unwrap_or(width);
            eprint!(
                "\rsynth-engine: loading samples [{}{}] {done}/{total}",
                "#".repeat(filled),
                " ".repeat(width - filled)
            );
        });
        eprintln!();
        for e in errors {
            eprintln!("synth-engine: {e}");
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGTERM, stop.clone())?;
    signal_hook::flag::register(signal_hook::consts::SIGINT, stop.clone())?;
    // The OSC thread starts once sound flows, with the clock anchored at frame 0's wall time
    // when the output knows it (WAV, null); packets that arrive before wait in the socket.
    let server_stop = stop.clone();
    let mut to_serve = Some((socket, dispatcher, voices));
    let mut server: Option<std::thread::JoinHandle<()>> = None;
    let mut spawn_error: Option<std::io::Error> = None;
    let description = output.describe();
    let bind = args.bind;
    let port = args.port;
    let mut ready = |start: Option<i128>| {
        if let Some((socket, dispatcher, voices)) = to_serve.take() {
            let mut clock = ClockModel::new(sample_rate, start.unwrap_or_else(unix_now));
            if let Some(t) = start {
                clock.anchor(0, t);
            }
            let thread_stop = server_stop.clone();
            match std::thread::Builder::new()
                .name("osc-in".into())
                .stack_size(16 << 20)
                .spawn(move || server::serve(socket, dispatcher, clock, thread_stop, voices))
            {
                Ok(h) => server = Some(h),
                Err(e) => {
                    spawn_error = Some(e);
                    server_stop.store(true, Ordering::Relaxed);
                    return;
                }
            }
        }
        let origin = match start {
            Some(t) => format!(
                ", frame 0 at unix time {}.{:09}",
                t.div_euclid(1_000_000_000),
                t.rem_euclid(1_000_000_000)
            ),
            None => String::new(),
        };
        println!(
            "synth-engine ready: listening on {bind}:{port}, output {description}, {sample_rate} Hz{origin}"
        );
        use std::io::Write;
        let _ = std::io::stdout().flush();
    };
    // live: shed the oldest voices rather than fall behind real time
    engine.keep_real_time();
    let result = output.run(engine, stop.clone(), &mut ready);
    stop.store(true, Ordering::Relaxed);
    if let Some(h) = server {
        let _ = h.join();
    }
    if let Some(e) = spawn_error {
        return Err(anyhow::anyhow!("cannot start the OSC thread: {e}"));
    }
    eprintln!("synth-engine: stopped; {}", stats.summary());
    result.map_err(Into::into)
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Render(args)) => render(args),
        None => live(cli.live),
    };
    if let Err(e) = result {
        eprintln!("synth-engine: error: {e:#}");
        std::process::exit(1);
    }
}
