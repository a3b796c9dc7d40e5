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
