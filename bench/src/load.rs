//! The load generator: a closed loop (as fast as the server answers, on a fixed number
//! of connections) for throughput, and a fixed arrival rate for latency. At a fixed
//! rate each request's latency counts from when it was due, not from when it was
//! sent, so a server that stalls is charged for the requests queued behind the stall
//! (coordinated-omission correction, as in wrk2).

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};

/// One GraphQL request: the bearer header and the JSON body.
pub struct Request {
    pub authorization: HeaderValue,
    pub body: reqwest::Body,
}

/// Produces the next request of a scenario; `None` when there are no more (its
/// single-use codes ran out).
pub type Source = Arc<dyn Fn() -> Option<Request> + Send + Sync>;

/// What a run measured.
pub struct Outcome {
    pub requests: u64,
    /// Responses that were not 200 or carried GraphQL errors.
    pub errors: u64,
    pub seconds: f64,
    /// Microseconds per request, sorted.
    latencies: Vec<u64>,
}

impl Outcome {
    pub fn throughput(&self) -> f64 {
        self.requests as f64 / self.seconds
    }

    /// The `q`-quantile latency in milliseconds (`q` in 0..=1).
    pub fn percentile_ms(&self, q: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let rank =
            ((self.latencies.len() as f64 * q).ceil() as usize).clamp(1, self.latencies.len());
        self.latencies[rank - 1] as f64 / 1_000.0
    }
}

/// A client that keeps its connections open, as a POS fleet's gateway would.
pub fn client(connections: usize) -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .tcp_nodelay(true)
        .build()
        .expect("a plain HTTP client builds")
}

/// Sends one request; its latency in microseconds from `due`, and whether it failed.
async fn send(client: &reqwest::Client, url: &str, request: Request, due: Instant) -> (u64, bool) {
    let response = client
        .post(url)
        .header(AUTHORIZATION, request.authorization)
        .header(CONTENT_TYPE, "application/json")
        .body(request.body)
        .send()
        .await;
    let failed = match response {
        Ok(response) if response.status().is_success() => match response.bytes().await {
            Ok(body) => {
                let failed = body.windows(8).any(|window| window == b"\"errors\"");
                if failed {
                    report_first_error(&String::from_utf8_lossy(&body));
                }
                failed
            }
            Err(_) => true,
        },
        Ok(response) => {
            report_first_error(&format!("HTTP {}", response.status()));
            true
        }
        Err(error) => {
            report_first_error(&error.to_string());
            true
        }
    };
    (due.elapsed().as_micros() as u64, failed)
}

/// Sends `source`'s next request, again after each failure, until one is answered or
/// `limit` passes: how long the first answer took, `None` when none came.
pub async fn until_answered(
    client: &reqwest::Client,
    url: &str,
    source: &Source,
    limit: Duration,
) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        let (_, failed) = send(client, url, source()?, Instant::now()).await;
        if !failed {
            return Some(started.elapsed());
        }
    }
    None
}

/// Prints the first failure of the run, so a scenario's errors can be told apart.
fn report_first_error(what: &str) {
    static REPORTED: std::sync::Once = std::sync::Once::new();
    REPORTED.call_once(|| eprintln!("first failed response: {what}"));
}

fn outcome(results: Vec<(u64, bool)>, seconds: f64) -> Outcome {
    let errors = results.iter().filter(|(_, failed)| *failed).count() as u64;
    let mut latencies: Vec<u64> = results.into_iter().map(|(micros, _)| micros).collect();
    latencies.sort_unstable();
    Outcome {
        requests: latencies.len() as u64,
        errors,
        seconds,
        latencies,
    }
}

/// `connections` workers, each sending its next request as soon as the last answered,
/// for `duration` (or until the source runs dry).
pub async fn closed_loop(
    client: &reqwest::Client,
    url: &str,
    connections: usize,
    duration: Duration,
    source: &Source,
) -> Outcome {
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (client, url, source) = (client.clone(), url.to_owned(), source.clone());
            tokio::spawn(async move {
                let mut results = Vec::new();
                while started.elapsed() < duration {
                    let Some(request) = source() else {
                        break;
                    };
                    results.push(send(&client, &url, request, Instant::now()).await);
                }
                results
            })
        })
        .collect();
    let mut results = Vec::new();
    for worker in workers {
        results.extend(worker.await.expect("a load worker does not panic"));
    }
    outcome(results, started.elapsed().as_secs_f64())
}

/// Requests due at a fixed `rate` per second for `duration`, spread over
/// `connections` workers as wrk2 does: each request is sent by its worker when due, or
/// as soon as the worker is free, and its latency counts from when it was due. A thread
/// of its own paces them (tokio's timer ticks in milliseconds, too coarse for
/// thousands of requests a second).
pub async fn fixed_rate(
    client: &reqwest::Client,
    url: &str,
    connections: usize,
    rate: f64,
    duration: Duration,
    source: &Source,
) -> Outcome {
    let interval = Duration::from_secs_f64(1.0 / rate.max(1.0));
    let total = (rate * duration.as_secs_f64()) as u64;
    let (senders, workers): (Vec<_>, Vec<_>) = (0..connections.max(1))
        .map(|_| {
            let (sender, mut dues) = tokio::sync::mpsc::unbounded_channel::<Instant>();
            let (client, url, source) = (client.clone(), url.to_owned(), source.clone());
            let worker = tokio::spawn(async move {
                let mut results = Vec::new();
                while let Some(due) = dues.recv().await {
                    let Some(request) = source() else { break };
                    results.push(send(&client, &url, request, due).await);
                }
                results
            });
            (sender, worker)
        })
        .unzip();
    let started = Instant::now();
    let pacer = std::thread::spawn(move || {
        for n in 0..total {
            let due = started + interval.mul_f64(n as f64);
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            if senders[n as usize % senders.len()].send(due).is_err() {
                return;
            }
        }
    });
    let mut results = Vec::new();
    for worker in workers {
        results.extend(worker.await.expect("a load worker does not panic"));
    }
    let _ = pacer.join();
    outcome(results, started.elapsed().as_secs_f64())
}
