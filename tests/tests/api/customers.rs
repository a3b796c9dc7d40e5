//! `me` and `customerByPhone`: a customer sees only themself; staff find customers by
//! number, and every such read is audited.

use benefits_domain::auth::Role;
use serde_json::json;

use crate::helpers::{C_1001, C_2002, error_code, spawn_app};

const ME: &str = "{ me { externalId name lines { externalId status msisdn } } }";

#[tokio::test]
async fn a_customer_sees_their_own_name_and_lines() {
    let app = spawn_app().await;
    app.import(&format!("{C_1001}\n{C_2002}\n")).await;

    let body = app.graphql(Role::Customer, "C-1001", ME, json!({})).await;

    assert_eq!(body["data"]["me"]["name"], "Kim Minji", "{body}");
    assert_eq!(
        body["data"]["me"]["lines"],
        json!([{ "externalId": "L-1001-1", "status": "TERMINATED", "msisdn": "010-****-5678" }])
    );
}

#[tokio::test]
async fn another_customers_token_never_sees_their_lines() {
    let app = spawn_app().await;
    app.import(&format!("{C_1001}\n{C_2002}\n")).await;

    let body = app.graphql(Role::Customer, "C-2002", ME, json!({})).await;

    assert_eq!(body["data"]["me"]["externalId"], "C-2002");
    let lines = body["data"]["me"]["lines"].to_string();
    assert!(!lines.contains("L-1001-1"), "{lines}");
}

#[tokio::test]
async fn a_token_for_an_unknown_customer_gets_not_found() {
    let app = spawn_app().await;
    let body = app.graphql(Role::Customer, "C-404", ME, json!({})).await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
}

#[tokio::test]
async fn only_customers_may_ask_for_me() {
    let app = spawn_app().await;
    app.import(C_1001).await;
    for role in [Role::Agent, Role::Admin, Role::PartnerStore] {
        let body = app.graphql(role, "C-1001", ME, json!({})).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{role}: {body}");
    }
}

const BY_PHONE: &str = "query($phone: String!) { customerByPhone(phone: $phone) { id externalId name lines { externalId } } }";

#[tokio::test]
async fn an_agent_finds_a_customer_by_any_written_form_of_the_number() {
    let app = spawn_app().await;
    app.import(&format!("{C_1001}\n{C_2002}\n")).await;
    for phone in [
        "010-1234-5678",
        "01012345678",
        "+82 10-1234-5678",
        "+821012345678",
    ] {
        let body = app
            .graphql(Role::Agent, "agent-7", BY_PHONE, json!({ "phone": phone }))
            .await;
        assert_eq!(
            body["data"]["customerByPhone"]["externalId"], "C-1001",
            "{phone}: {body}"
        );
        assert_eq!(
            body["data"]["customerByPhone"]["name"], "K** M****",
            "staff see the name masked"
        );
    }
}

#[tokio::test]
async fn an_unknown_number_is_null_and_a_malformed_one_is_bad_input() {
    let app = spawn_app().await;
    app.import(C_1001).await;
    let unknown = app
        .graphql(
            Role::Agent,
            "agent-7",
            BY_PHONE,
            json!({ "phone": "010-0000-0000" }),
        )
        .await;
    assert_eq!(unknown["data"]["customerByPhone"], json!(null), "{unknown}");
    let malformed = app
        .graphql(
            Role::Agent,
            "agent-7",
            BY_PHONE,
            json!({ "phone": "hello" }),
        )
        .await;
    assert_eq!(error_code(&malformed), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn customers_and_stores_may_not_look_customers_up() {
    let app = spawn_app().await;
    app.import(C_1001).await;
    for role in [Role::Customer, Role::PartnerStore] {
        let body = app
            .graphql(
                role,
                "C-1001",
                BY_PHONE,
                json!({ "phone": "010-1234-5678" }),
            )
            .await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{role}");
    }
}

#[tokio::test]
async fn an_agents_lookup_is_in_the_audit_log() {
    let app = spawn_app().await;
    app.import(C_1001).await;
    let found = app
        .graphql(
            Role::Agent,
            "agent-7",
            BY_PHONE,
            json!({ "phone": "010-1234-5678" }),
        )
        .await;
    let customer_id = found["data"]["customerByPhone"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let audit = app
        .graphql(
            Role::Admin,
            "admin-1",
            "query($id: ID) { auditEntries(filter: { customerId: $id }) { actor actorRole action customerId sourceAddress detail } }",
            json!({ "id": customer_id }),
        )
        .await;

    let entries = audit["data"]["auditEntries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{audit}");
    assert_eq!(entries[0]["actor"], "agent-7");
    assert_eq!(entries[0]["actorRole"], "AGENT");
    assert_eq!(entries[0]["action"], "customer.find_by_phone");
    assert_eq!(entries[0]["sourceAddress"], "127.0.0.1");
    assert!(
        !entries[0]["detail"].as_str().unwrap().contains("1234"),
        "the number is masked"
    );
}

#[tokio::test]
async fn only_admins_may_read_the_audit_log() {
    let app = spawn_app().await;
    let body = app
        .graphql(
            Role::Agent,
            "agent-7",
            "{ auditEntries { actor } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"));
}

const CHAIN: &str = "{ auditChain { entries valid firstBroken } }";

#[tokio::test]
async fn the_audit_log_is_a_hash_chain_that_shows_any_change() {
    use sea_orm::ConnectionTrait as _;
    let app = spawn_app().await;
    app.import(C_1001).await;
    for agent in ["agent-1", "agent-2", "agent-3"] {
        app.graphql(
            Role::Agent,
            agent,
            BY_PHONE,
            json!({ "phone": "010-1234-5678" }),
        )
        .await;
    }
    let intact = app.graphql(Role::Admin, "admin-1", CHAIN, json!({})).await;
    assert_eq!(
        intact["data"]["auditChain"],
        json!({ "entries": 3, "valid": true, "firstBroken": null })
    );

    app.app
        .db
        .execute_unprepared("UPDATE audit_log SET actor = 'nobody' WHERE actor = 'agent-2'")
        .await
        .unwrap();
    let tampered = app.graphql(Role::Admin, "admin-1", CHAIN, json!({})).await;
    assert_eq!(tampered["data"]["auditChain"]["valid"], false, "{tampered}");
    assert!(tampered["data"]["auditChain"]["firstBroken"].is_i64());
}

#[tokio::test]
async fn staff_see_a_korean_name_masked_the_korean_way() {
    let app = spawn_app().await;
    for (n, name, masked) in [
        (1, "홍길동", "홍*동"),
        (2, "남궁민수", "남**수"),
        (3, "이솔", "이*"),
    ] {
        let record = C_1001
            .replace("C-1001", &format!("C-800{n}"))
            .replace("L-1001-1", &format!("L-800{n}-1"))
            .replace("010-1234-5678", &format!("010-8000-000{n}"))
            .replace("Kim Minji", name);
        app.import(&record).await;
        let body = app
            .graphql(
                Role::Agent,
                "agent-1",
                "query($p: String!) { customerByPhone(phone: $p) { name phoneMasked } }",
                json!({ "p": format!("01080000{n:03}") }),
            )
            .await;
        assert_eq!(
            body["data"]["customerByPhone"],
            json!({ "name": masked, "phoneMasked": format!("010-****-000{n}") }),
            "{name}: {body}"
        );
    }
}

#[tokio::test]
async fn deleting_the_newest_audit_entries_shows_as_a_truncation() {
    use sea_orm::ConnectionTrait as _;
    let app = spawn_app().await;
    app.import(C_1001).await;
    for agent in ["agent-1", "agent-2", "agent-3"] {
        app.graphql(
            Role::Agent,
            agent,
            BY_PHONE,
            json!({ "phone": "010-1234-5678" }),
        )
        .await;
    }
    const HEAD: &str = "{ auditChain { entries valid firstBroken truncated headSequence } }";
    app.app
        .db
        .execute_unprepared("DELETE FROM audit_log WHERE actor = 'agent-3'")
        .await
        .unwrap();
    let truncated = app.graphql(Role::Admin, "admin-1", HEAD, json!({})).await;
    let chain = &truncated["data"]["auditChain"];
    assert_eq!(chain["valid"], false, "{truncated}");
    assert_eq!(chain["truncated"], true);
    assert_eq!(chain["entries"], 2);
    let head = chain["headSequence"].as_i64().unwrap();
    assert_eq!(
        chain["firstBroken"].as_i64(),
        Some(head),
        "the newest entry is missing"
    );

    let verified = app.command().arg("audit-verify").output().unwrap();
    assert_eq!(verified.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&verified.stdout).contains("TRUNCATED"),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );

    app.app
        .db
        .execute_unprepared("DELETE FROM audit_log")
        .await
        .unwrap();
    let emptied = app.graphql(Role::Admin, "admin-1", HEAD, json!({})).await;
    assert_eq!(
        emptied["data"]["auditChain"]["truncated"], true,
        "{emptied}"
    );
    assert_eq!(emptied["data"]["auditChain"]["entries"], 0);
}

/// Looks a customer up as an agent with `X-Forwarded-For: forwarded`; the source
/// address the audit log records for it.
async fn audited_source(app: &crate::helpers::TestApp, forwarded: &str) -> serde_json::Value {
    app.client
        .post(app.url("/graphql"))
        .bearer_auth(app.token(Role::Agent, "agent-7"))
        .header("x-forwarded-for", forwarded)
        .json(&json!({ "query": BY_PHONE, "variables": { "phone": "010-1234-5678" } }))
        .send()
        .await
        .unwrap();
    let entries = app
        .graphql(
            Role::Admin,
            "admin-1",
            "{ auditEntries(filter: { actor: \"agent-7\" }, first: 1) { sourceAddress } }",
            json!({}),
        )
        .await;
    entries["data"]["auditEntries"][0]["sourceAddress"].clone()
}

#[tokio::test]
async fn the_audit_log_takes_the_client_from_x_forwarded_for_only_behind_a_trusted_proxy() {
    let direct = spawn_app().await;
    direct.import(C_1001).await;
    assert_eq!(
        audited_source(&direct, "203.0.113.9").await,
        "127.0.0.1",
        "anybody can send the header: without trusted proxies it is ignored"
    );

    let behind = crate::helpers::spawn_app_with(false, |settings| benefits_api::config::Settings {
        trusted_proxies: Some("127.0.0.0/8, 10.0.0.0/8".into()),
        ..settings
    })
    .await;
    behind.import(C_1001).await;
    assert_eq!(
        audited_source(&behind, "198.51.100.1, 203.0.113.9, 10.1.2.3").await,
        "203.0.113.9",
        "the rightmost address that is not a trusted proxy"
    );
}
