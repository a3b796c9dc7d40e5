//! Migrations as a deploy step: replicas migrating one PostgreSQL database at the same
//! moment do not race (an advisory lock serialises them).

use sea_orm::ConnectionTrait as _;

#[tokio::test]
async fn replicas_migrating_one_postgres_database_at_once_all_succeed() {
    let Ok(base) = std::env::var("BENEFITS_TEST_DATABASE_URL") else {
        return; // PostgreSQL only: SQLite runs one process.
    };
    if base.is_empty() {
        return;
    }
    let name = format!("benefits_migrate_{}", uuid::Uuid::new_v4().simple());
    let admin = sea_orm::Database::connect(&base).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);

    let mut replicas = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let url = url.clone();
        replicas.spawn(async move {
            let db = benefits_infra::db::connect(&url, 2).await?;
            benefits_infra::db::migrate(&db).await
        });
    }
    let outcomes = replicas.join_all().await;
    admin
        .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();
    for outcome in outcomes {
        outcome.expect("every replica's migration succeeds");
    }
}

/// An `event_outbox` row: id, type, line, customer, data.
type MovedRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    serde_json::Value,
);

/// The provisioning and SMS outboxes fold into `event_outbox`: their waiting rows become
/// contract events (what was sent stays behind), then the old tables go.
#[tokio::test]
async fn waiting_rows_of_the_old_outboxes_move_into_the_event_outbox_as_contract_events() {
    use sea_orm_migration::MigratorTrait as _;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    let db = sea_orm::Database::connect(&url).await.unwrap();
    let before_outbox = benefits_migrations::Migrator::migrations()
        .iter()
        .position(|migration| migration.name() == "m20261204_000100_event_outbox")
        .expect("the event outbox migration exists") as u32;
    // Every migration before the event outbox.
    benefits_migrations::Migrator::up(&db, Some(before_outbox))
        .await
        .unwrap();
    let at = "2026-02-01T00:00:00+00:00";
    for statement in [
        "PRAGMA foreign_keys = OFF".to_owned(),
        format!("INSERT INTO data_grants VALUES ('line-1', '2026-02', 100, '{at}')"),
        format!(
            "INSERT INTO provisioning_outbox VALUES ('p-1', 'line-1', 'DATA_GRANT', \
             '2026-02: 100 GB', '{at}', NULL)"
        ),
        format!("INSERT INTO data_grants VALUES ('line-2', '2026-02', 100, '{at}')"),
        format!(
            "INSERT INTO provisioning_outbox VALUES ('p-2', 'line-2', 'DATA_GRANT', \
             '2026-02: 100 GB', '{at}', '{at}')"
        ),
        format!(
            "INSERT INTO roaming_bonuses (id, line_id, external_id, pass_name, data_mb, \
             bonus_mb, activated_on, recorded_at) VALUES ('b-1', 'line-1', 'R-1', \
             'Asia 5GB', 5000, 2500, '2026-02-01', '{at}')"
        ),
        format!(
            "INSERT INTO provisioning_outbox VALUES ('p-3', 'line-1', 'ROAMING_BONUS', \
             'Asia 5GB: +2500 MB', '{at}', NULL)"
        ),
        format!(
            "INSERT INTO notifications (id, customer_id, line_id, kind, dedupe_key, sent_at, \
             sms_reference, sms_text, language, text) VALUES ('n-1', 'cust-1', 'line-1', \
             'ELIGIBILITY', 'k-1', '{at}', 'R1', '[KT] text', 'en', 'inbox text')"
        ),
        format!(
            "INSERT INTO sms_outbox VALUES ('s-1', 'n-1', 'cust-1', '[KT] text', '{at}', NULL)"
        ),
    ] {
        db.execute_unprepared(&statement).await.unwrap();
    }
    benefits_migrations::Migrator::up(&db, None).await.unwrap();
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT id, event_type, line_id, customer_id, data FROM event_outbox ORDER BY seq",
        ))
        .await
        .unwrap();
    let moved: Vec<MovedRow> = rows
        .iter()
        .map(|row| {
            let data: String = row.try_get("", "data").unwrap();
            (
                row.try_get("", "id").unwrap(),
                row.try_get("", "event_type").unwrap(),
                row.try_get("", "line_id").unwrap(),
                row.try_get("", "customer_id").unwrap(),
                serde_json::from_str(&data).unwrap(),
            )
        })
        .collect();
    assert_eq!(moved.len(), 3, "the sent grant stays behind: {moved:?}");
    assert_eq!(moved[0].0, "p-1");
    assert_eq!(moved[0].1, "data.grant.requested");
    assert_eq!(
        moved[0].4,
        serde_json::json!({ "month": "2026-02", "gigabytes": 100 })
    );
    assert_eq!(moved[1].1, "roaming.bonus.requested");
    assert_eq!(
        moved[1].4,
        serde_json::json!({ "passName": "Asia 5GB", "bonusMb": 2500 })
    );
    assert_eq!(moved[2].1, "sms.requested");
    assert_eq!(moved[2].3.as_deref(), Some("cust-1"));
    assert_eq!(
        moved[2].4,
        serde_json::json!({ "kind": "ELIGIBILITY", "language": "en", "text": "[KT] text" })
    );
    let old = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT name FROM sqlite_master WHERE name IN ('provisioning_outbox', 'sms_outbox')",
        ))
        .await
        .unwrap();
    assert!(old.is_empty(), "the old outboxes are gone");
}
