//! The service under test: the release `benefits` binary started as a process of its
//! own on a loopback port, and its resident memory sampled while it works.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

/// How the bench configures every process it starts.
#[derive(Clone)]
pub struct Environment {
    pub binary: PathBuf,
    pub variables: Vec<(String, String)>,
}

impl Environment {
    /// The same environment with `key` set to `value`.
    #[must_use]
    pub fn with(&self, key: &str, value: &str) -> Self {
        let mut variables: Vec<_> = self
            .variables
            .iter()
            .filter(|(k, _)| k != key)
            .cloned()
            .collect();
        variables.push((key.to_owned(), value.to_owned()));
        Self {
            binary: self.binary.clone(),
            variables,
        }
    }

    /// The binary as a command with these variables (and `extra`) set.
    pub fn command(&self, extra: &[(&str, &str)]) -> Command {
        let mut command = Command::new(&self.binary);
        command.envs(self.variables.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        command.envs(extra.iter().copied());
        command
    }

    /// Runs `benefits ARGS` to the end; its standard output, its wall time and its peak
    /// resident memory in MiB.
    pub fn run(&self, args: &[&str], extra: &[(&str, &str)]) -> anyhow::Result<(String, f64, f64)> {
        let started = Instant::now();
        let child = self
            .command(extra)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("cannot start {}", self.binary.display()))?;
        let memory = MemorySampler::start(child.id());
        let output = child.wait_with_output()?;
        let peak = memory.stop();
        if !output.status.success() {
            bail!("benefits {args:?} failed");
        }
        Ok((
            String::from_utf8_lossy(&output.stdout).into_owned(),
            started.elapsed().as_secs_f64(),
            peak,
        ))
    }
}

/// A running `benefits serve`; stopped when dropped.
pub struct Server {
    pub url: String,
    child: Child,
}

impl Server {
    /// Starts `benefits serve` with `extra` variables and waits until it is ready.
    pub async fn start(environment: &Environment, extra: &[(&str, &str)]) -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let listen = format!("127.0.0.1:{port}");
        let mut variables = vec![("BENEFITS_LISTEN", listen.as_str())];
        variables.extend_from_slice(extra);
        let child = environment
            .command(&variables)
            .arg("serve")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start the server")?;
        let server = Self {
            url: format!("http://{listen}"),
            child,
        };
        server.wait_until_ready().await?;
        Ok(server)
    }

    /// Starts this bench binary as the bare reference server (`--serve-bare`).
    pub async fn start_bare() -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let listen = format!("127.0.0.1:{port}");
        let child = Command::new(std::env::current_exe()?)
            .args(["--serve-bare", &listen])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start the bare reference server")?;
        let server = Self {
            url: format!("http://{listen}"),
            child,
        };
        server.wait_until_ready().await?;
        Ok(server)
    }

    async fn wait_until_ready(&self) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            let ready = client
                .get(format!("{}/readyz", self.url))
                .send()
                .await
                .is_ok_and(|response| response.status().is_success());
            if ready {
                return Ok(());
            }
            if started.elapsed() > Duration::from_mins(1) {
                bail!("the server did not become ready");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Samples a process's resident memory every 20 ms until stopped; keeps the peak.
pub struct MemorySampler {
    stop: Arc<AtomicBool>,
    peak_kib: Arc<AtomicU64>,
    thread: std::thread::JoinHandle<()>,
}

impl MemorySampler {
    pub fn start(pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let peak_kib = Arc::new(AtomicU64::new(0));
        let status = PathBuf::from(format!("/proc/{pid}/status"));
        let thread = {
            let (stop, peak_kib) = (stop.clone(), peak_kib.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if let Some(kib) = resident_kib(&status) {
                        peak_kib.fetch_max(kib, Ordering::Relaxed);
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        };
        Self {
            stop,
            peak_kib,
            thread,
        }
    }

    /// The peak in MiB.
    pub fn stop(self) -> f64 {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
        self.peak_kib.load(Ordering::Relaxed) as f64 / 1_024.0
    }
}

fn resident_kib(status: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(status).ok()?;
    let line = text.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
