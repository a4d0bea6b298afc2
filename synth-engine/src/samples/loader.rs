//! A background thread that decodes samples, so a long file never holds up other events.

use super::buffer::SampleBuffer;
use super::decode::{decode_file, DecodeError};
use super::library::SampleFile;
use std::collections::HashSet;
use std::sync::mpsc::{channel, Receiver, Sender};

/// A decoded (or failed) file coming back from the loader.
pub type Loaded = (SampleFile, Result<SampleBuffer, DecodeError>);

/// The control side's handle on the loader thread.
pub struct Loader {
    requests: Sender<SampleFile>,
    results: Receiver<Loaded>,
    in_flight: HashSet<u32>,
}

impl Loader {
    /// Starts the thread; files longer than `max_frames` are refused.
    pub fn spawn(max_frames: usize) -> std::io::Result<Loader> {
        let (req_tx, req_rx) = channel::<SampleFile>();
        let (res_tx, res_rx) = channel::<Loaded>();
        std::thread::Builder::new()
            .name("sample-loader".into())
            .spawn(move || {
                for file in req_rx {
                    let decoded = decode_file(&file.path, max_frames);
                    if res_tx.send((file, decoded)).is_err() {
                        break;
                    }
                }
            })?;
        Ok(Loader {
            requests: req_tx,
            results: res_rx,
            in_flight: HashSet::new(),
        })
    }

    /// Asks for `file` unless it is already on its way.
    pub fn request(&mut self, file: &SampleFile) {
        if self.in_flight.insert(file.key) && self.requests.send(file.clone()).is_err() {
            self.in_flight.remove(&file.key);
        }
    }

    /// Whether any file is still being decoded.
    pub fn busy(&self) -> bool {
        !self.in_flight.is_empty()
    }

    /// The files decoded since the last call.
    pub fn finished(&mut self) -> Vec<Loaded> {
        let done: Vec<Loaded> = self.results.try_iter().collect();
        for (f, _) in &done {
            self.in_flight.remove(&f.key);
        }
        done
    }
}
