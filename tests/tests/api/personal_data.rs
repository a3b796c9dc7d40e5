//! Personal data at rest: the database never holds a name or a number in plain text.

use sea_orm::{ConnectionTrait as _, Statement};

use crate::helpers::{C_1001, spawn_app};

#[tokio::test]
async fn the_database_shows_no_name_or_number_in_plain_text() {
    let app = spawn_app().await;
    app.import(C_1001).await;
    let db = &app.app.db;
    let backend = db.get_database_backend();

    // The raw bytes of every personal-data column, read as text: plain text would show.
    let mut stored = Vec::new();
    for (table, sealed) in [
        (
            "customers",
            vec!["name_enc", "birth_date_enc", "phone_enc", "phone_hash"],
        ),
        ("lines", vec!["msisdn_enc", "msisdn_hash"]),
    ] {
        let select = format!("SELECT external_id, {} FROM {table}", sealed.join(", "));
        for row in db
            .query_all_raw(Statement::from_string(backend, select))
            .await
            .unwrap()
        {
            stored.push(row.try_get_by_index::<String>(0).unwrap());
            for index in 1..=sealed.len() {
                let bytes = row.try_get_by_index::<Vec<u8>>(index).unwrap();
                stored.push(String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    if let Some(file) = &app.sqlite_file {
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
            .unwrap();
        stored.push(String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned());
    }
    let stored = stored.join("\n");

    assert!(stored.contains("C-1001"), "the check reads the stored rows");
    for plain in [
        "Kim Minji",
        "Minji",
        "01012345678",
        "010-1234-5678",
        "1234-5678",
        "1961-01-13",
    ] {
        assert!(!stored.contains(plain), "{plain:?} is stored in plain text");
    }
}
