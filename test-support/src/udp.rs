//! Loopback UDP: free ports, and a receiver that records every datagram sent to it.

use std::net::{SocketAddr, UdpSocket};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A UDP port nobody listens on right now (it can be taken between looking and binding).
pub fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One datagram as it arrived.
#[derive(Clone, Debug)]
pub struct Packet {
    pub bytes: Vec<u8>,
    pub arrived: Instant,
    /// Arrival in seconds since 1900 (NTP), to compare with timetags.
    pub arrived_ntp: f64,
    pub from: SocketAddr,
}

/// Records every datagram sent to its port, until it is dropped.
pub struct Receiver {
    pub socket: Arc<UdpSocket>,
    pub packets: Arc<Mutex<Vec<Packet>>>,
}

impl Receiver {
    pub fn new() -> Receiver {
        let socket = Arc::new(UdpSocket::bind("127.0.0.1:0").expect("bind"));
        socket
            .set_read_timeout(Some(Duration::from_millis(50)))
            .expect("timeout");
        let packets = Arc::new(Mutex::new(Vec::new()));
        let (s, p) = (socket.clone(), packets.clone());
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 65536];
            loop {
                if let Ok((n, from)) = s.recv_from(&mut buf) {
                    p.lock().unwrap().push(Packet {
                        bytes: buf[..n].to_vec(),
                        arrived: Instant::now(),
                        arrived_ntp: crate::unix_now() + crate::NTP_OFFSET,
                        from,
                    });
                }
                if Arc::strong_count(&p) == 1 {
                    break;
                }
            }
        });
        Receiver { socket, packets }
    }

    /// `127.0.0.1:PORT`, to pass as a target.
    pub fn target(&self) -> String {
        self.socket.local_addr().unwrap().to_string()
    }

    /// Every datagram so far, in arrival order.
    pub fn packets(&self) -> Vec<Packet> {
        self.packets.lock().unwrap().clone()
    }
}

impl Default for Receiver {
    fn default() -> Receiver {
        Receiver::new()
    }
}
