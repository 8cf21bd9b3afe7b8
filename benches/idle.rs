//! Idle footprint of `paperboy run` with 100,000 subscriptions (issue 3): time until it says
//! it is running, resident memory while it idles (polling a loopback fake Bot API, no chat
//! due), and time to stop on SIGTERM. Targets: start under 1 s, idle under 60 MB.
//!
//! Not a criterion benchmark: it measures a child process (the release binary), once.
//! Run: `cargo bench --bench idle`

#[path = "../tests/it/support/telegram_fake/mod.rs"]
#[allow(dead_code)]
mod telegram_fake;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;

use paperboy::domain::{ChatRef, DeliveryTime, Language, Subscription};
use paperboy::store::Store;

const SUBSCRIPTIONS: i64 = 100_000;

fn subscriptions() -> i64 {
    std::env::var("IDLE_SUBSCRIPTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(SUBSCRIPTIONS)
}
const IDLE_FOR: Duration = Duration::from_secs(10);

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    // `cargo bench` passes `--bench`; nothing to parse.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime starts");
    let fake = runtime.block_on(telegram_fake::FakeTelegram::start());

    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("paperboy.sled");
    {
        let store = Store::open(&path, 16).expect("the store opens");
        let zones = [
            chrono_tz::UTC,
            chrono_tz::Asia::Seoul,
            chrono_tz::Europe::Berlin,
            chrono_tz::America::New_York,
        ];
        for i in 0..subscriptions() {
            let time = format!("{:02}:{:02}", i % 24, (i * 7) % 60);
            store
                .put_subscription(&Subscription {
                    chat: ChatRef::telegram(1_000_000 + i),
                    time: DeliveryTime::parse(&time).expect("a valid time"),
                    timezone: zones[(i % 4) as usize],
                    top_n: 5,
                    language: Language::ENGLISH,
                    is_active: true,
                    consecutive_failures: 0,
                    inactive_reason: None,
                    // Subscribed just now: nobody is due, so the bot idles.
                    created_at: Utc::now(),
                    last_delivered: None,
                })
                .expect("a subscription is stored");
        }
        runtime.block_on(store.flush()).expect("the store flushes");
    }

    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_paperboy"))
        .arg("run")
        .current_dir(dir.path())
        .env("PAPERBOY_TELEGRAM_TOKEN", fake.token())
        .env("PAPERBOY_TELEGRAM__API_URL", fake.api_url())
        .env("PAPERBOY_STORE__PATH", &path)
        .env("PAPERBOY_SOURCE__HF_BASE_URL", "http://127.0.0.1:9")
        .env("RUST_LOG", "info")
        // Experiments: pass store and allocator settings through (e.g. PAPERBOY_STORE__CACHE_MB).
        .envs(std::env::vars().filter(|(k, _)| {
            k.starts_with("PAPERBOY_STORE__CACHE")
                || k == "MALLOC_ARENA_MAX"
                || k == "GLIBC_TUNABLES"
        }))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("paperboy starts");
    let pid = child.id();
    let stderr = child.stderr.take().expect("stderr is piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let started = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("paperboy reports it is running");
        if line.contains("paperboy is running") {
            break start.elapsed();
        }
    };

    let mut peak = 0;
    let idle_start = Instant::now();
    while idle_start.elapsed() < IDLE_FOR {
        peak = peak.max(rss_kib(pid).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(250));
    }
    let idle = rss_kib(pid).unwrap_or(0);

    let stop = Instant::now();
    // SAFETY-free: `kill` is a plain command, and the pid is our own child's.
    Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill runs");
    let status = child.wait().expect("paperboy exits");
    let stopped = stop.elapsed();
    while let Ok(line) = rx.try_recv() {
        if line.contains("ERROR") || line.contains("WARN") {
            println!("  log: {line}");
        }
    }

    println!("idle: {} subscriptions", subscriptions());
    println!("idle: started in {:.0} ms", started.as_secs_f64() * 1000.0);
    println!(
        "idle: resident memory after {} s idle {:.1} MB (peak {:.1} MB)",
        IDLE_FOR.as_secs(),
        idle as f64 / 1024.0,
        peak as f64 / 1024.0
    );
    println!(
        "idle: stopped on SIGTERM in {:.0} ms ({status})",
        stopped.as_secs_f64() * 1000.0
    );
}
