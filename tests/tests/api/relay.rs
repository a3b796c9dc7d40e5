//! The relay against real NATS JetStream: every event in the stream once, with the
//! contract's subject, `Nats-Msg-Id` and envelope; across a broker that was down, two
//! relays at once, and a relay that published but died before marking.

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use async_nats::jetstream;
use benefits_domain::auth::Role;
use benefits_infra::db::entities::event_outbox;
use sea_orm::{ColumnTrait as _, EntityTrait as _, PaginatorTrait as _, QueryFilter as _};
use serde_json::{Value, json};

use crate::helpers::{TestApp, nats_url, spawn_demo_relaying};

const CLOCK: &str = "2026-02-01T00:05:00+09:00";
const GRANT: &str = "mutation($m: String!) { runMonthlyDataGrant(month: $m) { granted skipped } }";

/// A stream name and subject prefix of this test's own.
fn names() -> (String, String) {
    let tag = uuid::Uuid::new_v4().simple().to_string();
    (format!("T_{tag}"), format!("t{tag}.events"))
}

async fn grant(app: &TestApp) -> u64 {
    let body = app
        .graphql(Role::Admin, "admin-1", GRANT, json!({ "m": "2026-02" }))
        .await;
    body["data"]["runMonthlyDataGrant"]["granted"]
        .as_u64()
        .unwrap_or_else(|| panic!("{body}"))
}

async fn outbox_size(app: &TestApp) -> u64 {
    event_outbox::Entity::find()
        .count(&app.app.db)
        .await
        .unwrap()
}

async fn waiting(app: &TestApp) -> u64 {
    event_outbox::Entity::find()
        .filter(event_outbox::Column::SentAt.is_null())
        .count(&app.app.db)
        .await
        .unwrap()
}

/// Waits until nothing waits in the outbox, then reads the whole stream.
async fn stream_after_relay(app: &TestApp, nats: &str, stream: &str) -> Vec<(String, Value)> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while waiting(app).await > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "events still waiting after 30 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A second copy, if any, would have been published by now.
    tokio::time::sleep(Duration::from_millis(300)).await;
    read_stream(nats, stream).await
}

async fn read_stream(nats: &str, stream: &str) -> Vec<(String, Value)> {
    let client = async_nats::connect(nats).await.unwrap();
    let context = jetstream::new(client);
    let mut handle = context.get_stream(stream).await.unwrap();
    let last = handle.info().await.unwrap().state.last_sequence;
    let mut messages = Vec::new();
    for sequence in 1..=last {
        let message = handle.get_raw_message(sequence).await.unwrap();
        let body: Value = serde_json::from_slice(&message.payload).unwrap();
        let id = message
            .headers
            .get("Nats-Msg-Id")
            .map(|value| value.as_str().to_owned())
            .unwrap_or_default();
        assert_eq!(
            id,
            body["id"].as_str().unwrap(),
            "Nats-Msg-Id is the event's id"
        );
        messages.push((message.subject.to_string(), body));
    }
    messages
}

fn assert_each_once(messages: &[(String, Value)], expected: u64) {
    let ids: HashSet<_> = messages
        .iter()
        .map(|(_, body)| body["id"].clone())
        .collect();
    assert_eq!(ids.len(), messages.len(), "an event twice in the stream");
    assert_eq!(messages.len() as u64, expected, "every event in the stream");
}

#[tokio::test]
async fn a_grant_runs_events_reach_the_stream_once_with_the_contracts_subject_and_envelope() {
    let Some(nats) = nats_url().await else { return };
    let (stream, prefix) = names();
    let app = spawn_demo_relaying(CLOCK, &nats, &stream, &prefix).await;
    let granted = grant(&app).await;
    assert!(granted > 0);
    let messages = stream_after_relay(&app, &nats, &stream).await;
    assert_each_once(&messages, outbox_size(&app).await);
    let grants: Vec<_> = messages
        .iter()
        .filter(|(_, body)| body["type"] == "data.grant.requested")
        .collect();
    assert_eq!(grants.len() as u64, granted);
    let (subject, body) = grants[0];
    assert_eq!(subject, &format!("{prefix}.data.grant.requested"));
    assert_eq!(body["specversion"], "1.0");
    assert_eq!(body["source"], "benefits");
    assert_eq!(body["subject"], body["data"]["lineExternalId"]);
    assert_eq!(body["data"]["month"], "2026-02");
}

/// A private `nats-server -js` on a free port, its store in a directory of its own.
struct PrivateNats {
    child: Option<Child>,
    port: u16,
    dir: tempfile::TempDir,
}

impl PrivateNats {
    fn new() -> Option<Self> {
        if !std::path::Path::new("/usr/sbin/nats-server").exists() {
            eprintln!("SKIPPED: no /usr/sbin/nats-server for the outage test");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Some(Self {
            child: None,
            port,
            dir: tempfile::tempdir().unwrap(),
        })
    }

    fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    async fn start(&mut self) {
        let child = Command::new("/usr/sbin/nats-server")
            .args([
                "-a",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-js",
                "-sd",
            ])
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .is_ok()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the private NATS server did not start");
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for PrivateNats {
    fn drop(&mut self) {
        self.kill();
    }
}

#[tokio::test]
async fn events_of_a_run_while_the_broker_is_down_arrive_once_it_is_back_each_once() {
    let Some(mut nats) = PrivateNats::new() else {
        return;
    };
    let (stream, prefix) = names();
    // The broker is down from the start: the grant commits, its events wait.
    let app = spawn_demo_relaying(CLOCK, &nats.url(), &stream, &prefix).await;
    grant(&app).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        waiting(&app).await,
        outbox_size(&app).await,
        "nothing sent yet"
    );
    nats.start().await;
    let messages = stream_after_relay(&app, &nats.url(), &stream).await;
    assert_each_once(&messages, outbox_size(&app).await);

    // Killed and started again (same store): what was in the stream stays once.
    nats.kill();
    nats.start().await;
    let again = read_stream(&nats.url(), &stream).await;
    assert_each_once(&again, outbox_size(&app).await);
}

#[tokio::test]
async fn two_relays_at_once_and_one_that_died_between_publish_and_mark_publish_each_event_once() {
    let Some(mut nats) = PrivateNats::new() else {
        return;
    };
    let (stream, prefix) = names();
    let app = spawn_demo_relaying(CLOCK, &nats.url(), &stream, &prefix).await;
    grant(&app).await;
    // A relay that published the first waiting events and died before marking them:
    // their copies are in the stream, the outbox still has them waiting. (The service's
    // relay may win the race; then these copies come second, which is as bad.)
    let copies = benefits_infra::db::events::waiting(&app.app.db, 10)
        .await
        .unwrap();
    assert!(!copies.is_empty());
    nats.start().await;
    let client = async_nats::connect(nats.url()).await.unwrap();
    let context = jetstream::new(client);
    context
        .get_or_create_stream(jetstream::stream::Config {
            name: stream.clone(),
            subjects: vec![format!("{prefix}.>")],
            duplicate_window: benefits_infra::relay::DUPLICATE_WINDOW,
            ..Default::default()
        })
        .await
        .unwrap();
    for (row, envelope) in copies {
        context
            .send_publish(
                format!("{prefix}.{}", row.event_type),
                jetstream::message::PublishMessage::build()
                    .message_id(row.id.clone())
                    .payload(envelope.to_string().into_bytes().into()),
            )
            .await
            .unwrap()
            .await
            .unwrap();
    }
    // A second relay on the same database, besides the service's own.
    let second = tokio::spawn(benefits_infra::relay::run(
        app.app.db.clone(),
        benefits_infra::relay::RelayConfig {
            url: nats.url(),
            stream: stream.clone(),
            subject_prefix: prefix.clone(),
        },
    ));
    let messages = stream_after_relay(&app, &nats.url(), &stream).await;
    second.abort();
    assert_each_once(&messages, outbox_size(&app).await);
}
