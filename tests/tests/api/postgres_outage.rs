//! With its PostgreSQL stopped, the service fails fast with a clear error and no panic,
//! reports itself unready, and recovers by itself when the database returns. The test
//! runs a PostgreSQL server of its own (skipped where none is installed).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use benefits_domain::auth::Role;
use serde_json::json;

use crate::helpers::{C_1001, error_code, spawn_app_with_database};

/// A PostgreSQL cluster in a temporary directory, run as the `postgres` user.
struct PrivatePostgres {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

fn postgres_bin() -> Option<PathBuf> {
    let versions = std::fs::read_dir("/usr/lib/postgresql").ok()?;
    versions
        .filter_map(Result::ok)
        .map(|version| version.path().join("bin"))
        .find(|bin| bin.join("initdb").exists())
}

/// Runs a PostgreSQL tool as `postgres`; no pipes, since a started server keeps
/// whatever it inherits open.
fn as_postgres(bin: &Path, tool: &str, args: &[&str]) -> bool {
    Command::new("runuser")
        .args(["-u", "postgres", "--"])
        .arg(bin.join(tool))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

impl PrivatePostgres {
    fn start() -> Option<Self> {
        let bin = postgres_bin()?;
        let dir = tempfile::tempdir().ok()?;
        Command::new("chown")
            .args(["postgres:postgres"])
            .arg(dir.path())
            .status()
            .ok()?;
        let data = dir.path().join("data");
        let data = data.to_str()?;
        if !as_postgres(
            &bin,
            "initdb",
            &["-D", data, "-A", "trust", "-U", "postgres"],
        ) {
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let server = Self { bin, dir, port };
        server.resume().then_some(server)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn resume(&self) -> bool {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("server.log").display().to_string();
        as_postgres(
            &self.bin,
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-l",
                &log,
                "-o",
                &options,
                "-w",
                "start",
            ],
        )
    }

    fn stop(&self) {
        as_postgres(
            &self.bin,
            "pg_ctl",
            &["-D", &self.data(), "-m", "immediate", "-w", "stop"],
        );
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `me` with its inbox: the customer's view may come from the cache, the inbox always
/// reads the database.
const ME: &str = "{ me { externalId notifications { kind } } }";

#[tokio::test]
async fn with_postgres_down_requests_fail_fast_and_the_service_recovers_by_itself() {
    let Some(postgres) = PrivatePostgres::start() else {
        eprintln!("no PostgreSQL server binaries to run: skipped");
        return;
    };
    let app = spawn_app_with_database(&postgres.url()).await;
    app.import(C_1001).await;
    let before = app.graphql(Role::Customer, "C-1001", ME, json!({})).await;
    assert_eq!(before["data"]["me"]["externalId"], "C-1001", "{before}");

    postgres.stop();
    let started = Instant::now();
    let down = app.graphql(Role::Customer, "C-1001", ME, json!({})).await;
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "failed fast: {:?}",
        started.elapsed()
    );
    assert_eq!(error_code(&down), Some("INTERNAL"), "{down}");
    assert!(down["errors"][0]["extensions"]["correlationId"].is_string());
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);

    assert!(postgres.resume(), "the private PostgreSQL restarts");
    let started = Instant::now();
    loop {
        let after = app.graphql(Role::Customer, "C-1001", ME, json!({})).await;
        if after["data"]["me"]["externalId"] == "C-1001" && error_code(&after).is_none() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no recovery: {after}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(
        app.client
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}
