//! The load generator and the comparison: starts both servers, runs alternating rounds of closed-loop
//! load against them, and prints the figures.

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use super::server::{SECRET, pin_to};

/// The reference SDK's `entry_sign_in` body, as it sends it.
const BODY: &[u8] = include_bytes!("../../tests/fixtures/sdk-factories/entry_sign_in.0.json");
/// The last 12 characters of the body's job id, overwritten with a number per request.
const JOB_ID_TAIL: &[u8] = b"4d97780a6548";
/// Requests per round at most, whatever the time: the load always ends by itself.
const MAX_REQUESTS_PER_ROUND: u64 = 2_000_000;

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One server process under test.
struct Server {
    name: &'static str,
    port: u16,
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    log_lines: Arc<AtomicU64>,
    idle_rss_kib: u64,
    rounds: Vec<Round>,
}

/// What one round measured on one server.
#[derive(Clone, Copy)]
struct Round {
    requests: u64,
    per_second: f64,
    p50_us: u32,
    p99_us: u32,
    allocations_per_request: f64,
    /// The server's CPU time (user and system, every thread) per request: unlike req/s, it does
    /// not move with what else the machine runs.
    cpu_us_per_request: f64,
}

impl Server {
    fn start(name: &'static str, role: &str, port: u16) -> Server {
        let mut command = Command::new(std::env::current_exe().expect("this binary"));
        command
            .env("LOAD_ROLE", role)
            .env("LOAD_PORT", port.to_string())
            .env_remove("RUST_LOG");
        // `LOAD_GREETER_LOG=warn` serves the greeter without its request log, to see what it costs.
        if let Ok(filter) = std::env::var("LOAD_GREETER_LOG") {
            command.env("RUST_LOG", filter);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        // The server's log goes to a pipe, as under a process supervisor; its lines are counted.
        let log_lines = Arc::new(AtomicU64::new(0));
        let stderr = child.stderr.take().expect("piped");
        let counted = log_lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).split(b'\n') {
                if line.is_err() {
                    break;
                }
                counted.fetch_add(1, Ordering::Relaxed);
            }
        });
        let stdin = child.stdin.take().expect("piped");
        let stdout = BufReader::new(child.stdout.take().expect("piped"));
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{name} did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(200));
        let mut server = Server {
            name,
            port,
            child,
            stdin,
            stdout,
            log_lines,
            idle_rss_kib: 0,
            rounds: Vec::new(),
        };
        server.idle_rss_kib = server.status_kib("VmRSS");
        server
    }

    fn allocations(&mut self) -> u64 {
        writeln!(self.stdin, "allocs").expect("the server reads");
        self.stdin.flush().expect("the server reads");
        let mut line = String::new();
        self.stdout
            .read_line(&mut line)
            .expect("the server answers");
        line.trim().parse().expect("a count")
    }

    /// The server's CPU time so far (user and system, all its threads), in microseconds.
    fn cpu_us(&self) -> f64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()))
            .expect("the server's stat");
        // Fields after the command name (which may hold spaces): utime and stime are the 12th
        // and 13th.
        let fields: Vec<&str> = stat[stat.rfind(')').expect("a command name") + 2..]
            .split(' ')
            .collect();
        let ticks: f64 =
            fields[11].parse::<f64>().expect("utime") + fields[12].parse::<f64>().expect("stime");
        // SAFETY: sysconf only reads a configuration value.
        let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
        ticks / per_second * 1e6
    }

    /// A `/proc/<pid>/status` figure, in KiB.
    fn status_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server's status");
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
}

/// A request's bytes: headers and body, with its own job id, signed.
fn request(job: u64) -> Vec<u8> {
    let mut body = BODY.to_vec();
    let at = body
        .windows(JOB_ID_TAIL.len())
        .position(|w| w == JOB_ID_TAIL)
        .expect("the fixture's job id");
    body[at..at + 12].copy_from_slice(format!("{job:012}").as_bytes());
    let signature = envoy_plugin_suite::signature(SECRET, &body);
    let mut req = format!(
        "POST /events/entry_sign_in HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nx-envoy-signature: {signature}\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    req.extend_from_slice(&body);
    req
}

/// Reads one HTTP/1.1 answer from `stream` into `buf`: its status and body.
async fn read_answer(stream: &mut TcpStream, buf: &mut Vec<u8>) -> (u16, Vec<u8>) {
    buf.clear();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&buf[..end]).expect("ASCII head");
            let status: u16 = head[9..12].parse().expect("a status");
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .expect("a content length");
            while buf.len() < end + 4 + length {
                let n = stream.read(&mut chunk).await.expect("read");
                assert!(n > 0, "the server closed the connection");
                buf.extend_from_slice(&chunk[..n]);
            }
            return (status, buf[end + 4..end + 4 + length].to_vec());
        }
        let n = stream.read(&mut chunk).await.expect("read");
        assert!(n > 0, "the server closed the connection");
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// One round of closed-loop load on `port`: `connections` connections for `seconds`.
async fn load(
    port: u16,
    connections: u64,
    seconds: u64,
    jobs: Arc<AtomicU64>,
) -> (u64, Vec<u32>, Duration) {
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let sent = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (jobs, sent) = (jobs.clone(), sent.clone());
        tasks.push(tokio::task::spawn_local(async move {
            let mut stream = TcpStream::connect(("127.0.0.1", port))
                .await
                .expect("connect");
            stream.set_nodelay(true).expect("nodelay");
            let mut latencies = Vec::new();
            let mut buf = Vec::with_capacity(8192);
            while Instant::now() < until
                && sent.fetch_add(1, Ordering::Relaxed) < MAX_REQUESTS_PER_ROUND
            {
                let req = request(jobs.fetch_add(1, Ordering::Relaxed));
                let at = Instant::now();
                stream.write_all(&req).await.expect("write");
                let (status, body) = read_answer(&mut stream, &mut buf).await;
                latencies.push(at.elapsed().as_micros() as u32);
                assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("a connection's task"));
    }
    let elapsed = started.elapsed();
    (all.len() as u64, all, elapsed)
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn round(
    server: &mut Server,
    runtime: &tokio::runtime::Runtime,
    connections: u64,
    seconds: u64,
    jobs: &Arc<AtomicU64>,
) -> Round {
    let before = server.allocations();
    let cpu_before = server.cpu_us();
    let local = tokio::task::LocalSet::new();
    let (requests, mut latencies, elapsed) = local.block_on(
        runtime,
        load(server.port, connections, seconds, jobs.clone()),
    );
    let after = server.allocations();
    let cpu_after = server.cpu_us();
    latencies.sort_unstable();
    Round {
        requests,
        per_second: requests as f64 / elapsed.as_secs_f64(),
        p50_us: percentile(&latencies, 0.50),
        p99_us: percentile(&latencies, 0.99),
        allocations_per_request: (after - before) as f64 / requests as f64,
        cpu_us_per_request: (cpu_after - cpu_before) / requests as f64,
    }
}

/// Both servers answer the same request with the same body.
fn same_answer(runtime: &tokio::runtime::Runtime, ports: [u16; 2]) {
    let answers: Vec<_> = ports
        .iter()
        .map(|&port| {
            runtime.block_on(async {
                let mut stream = TcpStream::connect(("127.0.0.1", port))
                    .await
                    .expect("connect");
                stream
                    .write_all(&request(999_999_999_999))
                    .await
                    .expect("write");
                read_answer(&mut stream, &mut Vec::new()).await
            })
        })
        .collect();
    assert_eq!(answers[0].0, 200);
    assert_eq!(
        String::from_utf8_lossy(&answers[0].1),
        String::from_utf8_lossy(&answers[1].1),
        "the two servers answer alike"
    );
}

/// Runs the comparison and prints it.
pub fn compare() {
    let rounds = setting("LOAD_ROUNDS", 6);
    let seconds = setting("LOAD_SECONDS", 3);
    let connections = setting("LOAD_CONNECTIONS", 64);
    let base_port = setting("LOAD_BASE_PORT", 18_700) as u16;
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut servers = [
        Server::start("greeter (generated)", "greeter", base_port),
        Server::start("hand-written actix-web", "hand", base_port + 1),
    ];
    // The load generator gets the other CPU (the servers pinned themselves to CPU 0).
    if cpus > 1 {
        pin_to(1);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    same_answer(&runtime, [servers[0].port, servers[1].port]);
    let jobs = Arc::new(AtomicU64::new(0));
    println!(
        "{connections} keep-alive connections, closed loop; {rounds} rounds of {seconds} s per server, alternating; server on CPU 0, load on CPU {} ({cpus} CPUs)",
        if cpus > 1 { "1" } else { "0" }
    );
    // A warm-up round each, not counted but for the log's lines.
    let mut warm_up = [0; 2];
    for (server, requests) in servers.iter_mut().zip(&mut warm_up) {
        *requests = round(server, &runtime, connections, 1, &jobs).requests + 1;
    }
    for n in 0..rounds {
        let order = if n % 2 == 0 { [0, 1] } else { [1, 0] };
        for i in order {
            let r = round(&mut servers[i], &runtime, connections, seconds, &jobs);
            println!(
                "  round {n} {:<24} {:>8.0} req/s  p50 {:>5} µs  p99 {:>5} µs  {:>5.1} allocations/request  {:>5.1} µs CPU/request",
                servers[i].name,
                r.per_second,
                r.p50_us,
                r.p99_us,
                r.allocations_per_request,
                r.cpu_us_per_request
            );
            servers[i].rounds.push(r);
        }
    }
    println!();
    println!(
        "| server | req/s (median; min–max) | p50 | p99 | server CPU/request | allocations/request | idle RSS | peak RSS |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for s in &servers {
        let rps: Vec<f64> = s.rounds.iter().map(|r| r.per_second).collect();
        let min = rps.iter().copied().fold(f64::INFINITY, f64::min);
        let max = rps.iter().copied().fold(0.0, f64::max);
        println!(
            "| {} | {:.0} ({:.0}–{:.0}) | {:.0} µs | {:.0} µs | {:.1} µs | {:.1} | {:.1} MiB | {:.1} MiB |",
            s.name,
            median(rps),
            min,
            max,
            median(s.rounds.iter().map(|r| f64::from(r.p50_us)).collect()),
            median(s.rounds.iter().map(|r| f64::from(r.p99_us)).collect()),
            median(s.rounds.iter().map(|r| r.cpu_us_per_request).collect()),
            median(s.rounds.iter().map(|r| r.allocations_per_request).collect()),
            s.idle_rss_kib as f64 / 1024.0,
            s.status_kib("VmHWM") as f64 / 1024.0,
        );
    }
    let [g, h] = &servers;
    let ratios = |f: fn(&Round) -> f64| -> Vec<f64> {
        g.rounds
            .iter()
            .zip(&h.rounds)
            .map(|(a, b)| f(a) / f(b))
            .collect()
    };
    let throughput = ratios(|r| r.per_second);
    let spread = |v: &[f64]| {
        (
            v.iter().copied().fold(f64::INFINITY, f64::min),
            v.iter().copied().fold(0.0, f64::max),
        )
    };
    let (tmin, tmax) = spread(&throughput);
    let p99 = ratios(|r| f64::from(r.p99_us));
    let (pmin, pmax) = spread(&p99);
    println!();
    println!(
        "generated / hand-written, median of paired rounds: throughput {:.3}× ({tmin:.3}–{tmax:.3}), p50 {:.2}×, p99 {:.2}× ({pmin:.2}–{pmax:.2}), server CPU per request {:.2}×",
        median(throughput.clone()),
        median(ratios(|r| f64::from(r.p50_us))),
        median(p99.clone()),
        median(ratios(|r| r.cpu_us_per_request)),
    );
    println!(
        "server memory at the end: {}",
        servers
            .iter()
            .map(|s| format!(
                "{} RssAnon {:.1} MiB, RssFile {:.1} MiB",
                s.name,
                s.status_kib("RssAnon") as f64 / 1024.0,
                s.status_kib("RssFile") as f64 / 1024.0
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let requests: u64 = g.rounds.iter().map(|r| r.requests).sum::<u64>() + warm_up[0];
    println!(
        "greeter log: {} lines for {} requests (warm-up and the first request included)",
        g.log_lines.load(Ordering::Relaxed),
        requests
    );
    for s in servers.iter_mut() {
        let _ = s.child.kill();
        let _ = s.child.wait();
    }
}
