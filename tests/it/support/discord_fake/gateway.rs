//! A loopback fake of the Discord gateway: HELLO, then READY once the client identifies,
//! then whatever events the test dispatches, in order, with sequence numbers. Heartbeats
//! are acknowledged. The REST fake's `GET /gateway` points serenity here.

use std::sync::{Arc, Mutex};

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

use super::objects::{self, APP_ID};

/// The gateway's heartbeat interval, long enough that a test never needs one.
const HEARTBEAT_MS: u64 = 41_250;

struct Shared {
    identify: Mutex<Vec<Value>>,
    events: tokio::sync::Mutex<mpsc::UnboundedReceiver<(String, Value)>>,
    /// Server ids listed (as unavailable, as Discord does) in READY.
    guilds: Mutex<Vec<u64>>,
}

pub struct FakeGateway {
    /// `ws://127.0.0.1:PORT`, what `GET /gateway` answers.
    pub url: String,
    shared: Arc<Shared>,
    events: mpsc::UnboundedSender<(String, Value)>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeGateway {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeGateway {
    pub async fn start() -> FakeGateway {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let (events, receiver) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            identify: Mutex::new(Vec::new()),
            events: tokio::sync::Mutex::new(receiver),
            guilds: Mutex::new(Vec::new()),
        });
        let for_server = shared.clone();
        let server = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let shared = for_server.clone();
                tokio::spawn(async move { serve(stream, shared).await });
            }
        });
        FakeGateway {
            url: format!("ws://{addr}"),
            shared,
            events,
            server,
        }
    }

    /// Servers READY lists.
    pub fn set_guilds(&self, guilds: &[u64]) {
        *self.shared.guilds.lock().unwrap() = guilds.to_vec();
    }

    /// Sends a dispatch event (`t`, `d`) after READY.
    pub fn dispatch(&self, name: &str, data: Value) {
        self.events
            .send((name.to_string(), data))
            .expect("the gateway fake runs while the test does");
    }

    /// The IDENTIFY payloads received, in order.
    pub fn identify(&self) -> Vec<Value> {
        self.shared.identify.lock().unwrap().clone()
    }
}

async fn serve(stream: tokio::net::TcpStream, shared: Arc<Shared>) {
    let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (mut tx, mut rx) = ws.split();
    let hello =
        json!({ "op": 10, "s": null, "t": null, "d": { "heartbeat_interval": HEARTBEAT_MS } });
    if tx.send(Message::Text(hello.to_string())).await.is_err() {
        return;
    }
    // Until IDENTIFY: answer heartbeats, ignore the rest.
    loop {
        let Some(Ok(message)) = rx.next().await else {
            return;
        };
        let Message::Text(text) = message else {
            continue;
        };
        let Ok(payload) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        match payload["op"].as_u64() {
            Some(2) => {
                shared.identify.lock().unwrap().push(payload["d"].clone());
                break;
            }
            Some(1) => {
                let ack = json!({ "op": 11, "s": null, "t": null, "d": null });
                if tx.send(Message::Text(ack.to_string())).await.is_err() {
                    return;
                }
            }
            _ => {}
        }
    }
    let guilds: Vec<Value> = shared
        .guilds
        .lock()
        .unwrap()
        .iter()
        .map(|g| json!({ "id": g.to_string(), "unavailable": true }))
        .collect();
    let mut seq = 1u64;
    let ready = json!({
        "op": 0,
        "s": seq,
        "t": "READY",
        "d": {
            "v": 10,
            "user": objects::bot_user(),
            "guilds": guilds,
            "session_id": "fake-session",
            "resume_gateway_url": "ws://127.0.0.1:9",
            "shard": [0, 1],
            "application": { "id": APP_ID.to_string(), "flags": 0 },
            "user_settings": {},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "geo_ordered_rtc_regions": ["frankfurt"],
            "guild_join_requests": [],
            "auth": {},
            "_trace": ["[\"fake-gateway\",{\"micros\":1}]"],
        }
    });
    if tx.send(Message::Text(ready.to_string())).await.is_err() {
        return;
    }
    let mut events = shared.events.lock().await;
    loop {
        tokio::select! {
            event = events.recv() => {
                let Some((name, data)) = event else { return };
                seq += 1;
                let payload = json!({ "op": 0, "s": seq, "t": name, "d": data });
                if tx.send(Message::Text(payload.to_string())).await.is_err() {
                    return;
                }
            }
            message = rx.next() => {
                match message {
                    Some(Ok(Message::Text(text))) => {
                        let op = serde_json::from_str::<Value>(&text).ok().and_then(|p| p["op"].as_u64());
                        if op == Some(1) {
                            let ack = json!({ "op": 11, "s": null, "t": null, "d": null });
                            if tx.send(Message::Text(ack.to_string())).await.is_err() {
                                return;
                            }
                        }
                    }
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                    Some(Ok(_)) => {}
                }
            }
        }
    }
}
