//! `applyForRefund`, `updateRefundAccount`, payout rounds and reminders, through the API.

use benefits_domain::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code, spawn_app, spawn_demo_at};

const APPLY: &str = "mutation($input: ApplyForRefundInput!) { applyForRefund(input: $input) { id status channel amount accountMasked round { number payDate } } }";

fn input(line: &str, channel: &str, holder: &str, key: &str) -> Value {
    json!({ "input": {
        "lineId": line, "channel": channel, "bankCode": "004", "accountNumber": "123-456-789012",
        "accountHolder": holder, "idempotencyKey": key,
    }})
}

async fn apply_as_customer(
    app: &TestApp,
    customer: &str,
    line: &str,
    holder: &str,
    key: &str,
) -> Value {
    let id = app.line_id(customer, line).await;
    app.graphql(
        Role::Customer,
        customer,
        APPLY,
        input(&id, "WEB", holder, key),
    )
    .await
}

#[tokio::test]
async fn a_customer_applies_online_and_sees_the_round_and_a_masked_account() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let body = apply_as_customer(&app, "C-1001", "L-1001-1", "김민지", "k1").await;
    let application = &body["data"]["applyForRefund"];
    assert_eq!(application["status"], "SUBMITTED", "{body}");
    assert_eq!(application["channel"], "WEB");
    assert_eq!(application["amount"], 138_000);
    assert_eq!(application["accountMasked"], "********9012");
    assert_eq!(
        application["round"],
        json!({ "number": 1, "payDate": "2026-01-22" })
    );

    let waiver = app
        .graphql(
            Role::Customer,
            "C-1001",
            "{ me { lines { feeWaiver { application { id round { payDate } } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        waiver["data"]["me"]["lines"][0]["feeWaiver"]["application"]["id"],
        application["id"]
    );
}

#[tokio::test]
async fn the_round_follows_the_cancellation_and_application_dates() {
    // Applied on 2026-01-19: after round 1's cut-off.
    let app = spawn_demo_at("2026-01-19T10:00:00+09:00").await;
    let late = apply_as_customer(&app, "C-1001", "L-1001-1", "김민지", "k").await;
    assert_eq!(
        late["data"]["applyForRefund"]["round"]["number"], 2,
        "{late}"
    );
    // Cancelled 2026-01-20 under the military-service exception: only round 3 takes it.
    let app = spawn_demo_at("2026-01-21T10:00:00+09:00").await;
    let exception = apply_as_customer(&app, "C-1011", "L-1011-1", "서준호", "k").await;
    assert_eq!(
        exception["data"]["applyForRefund"]["round"],
        json!({ "number": 3, "payDate": "2026-02-19" })
    );
}

#[tokio::test]
async fn applications_open_at_nine_on_the_fourteenth_and_close_at_ten_pm_on_the_thirty_first() {
    for (clock, open) in [
        ("2026-01-14T08:59:59+09:00", false),
        ("2026-01-14T09:00:00+09:00", true),
        ("2026-01-31T22:00:00+09:00", true),
        ("2026-01-31T22:00:01+09:00", false),
    ] {
        let app = spawn_demo_at(clock).await;
        let body = apply_as_customer(&app, "C-1001", "L-1001-1", "김민지", "k").await;
        if open {
            assert_eq!(
                body["data"]["applyForRefund"]["status"], "SUBMITTED",
                "{clock}: {body}"
            );
        } else {
            assert_eq!(error_code(&body), Some("WINDOW_CLOSED"), "{clock}: {body}");
        }
    }
}

#[tokio::test]
async fn an_ineligible_line_is_refused_with_its_reason() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let body = apply_as_customer(&app, "C-1007", "L-1007-1", "윤미래", "k").await;
    assert_eq!(error_code(&body), Some("NOT_ELIGIBLE"));
    assert_eq!(
        body["errors"][0]["extensions"]["reason"],
        "OPERATOR_TERMINATED"
    );
}

#[tokio::test]
async fn the_account_must_be_in_the_customers_name() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let body = apply_as_customer(&app, "C-1001", "L-1001-1", "Somebody Else", "k").await;
    assert_eq!(error_code(&body), Some("ACCOUNT_HOLDER_MISMATCH"), "{body}");
}

#[tokio::test]
async fn a_minor_cannot_apply_online_but_an_agent_in_a_store_can_with_the_guardians_account() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let online = apply_as_customer(&app, "C-1012", "L-1012-1", "신유나", "k").await;
    assert_eq!(error_code(&online), Some("CHANNEL_NOT_ALLOWED"));

    let line = app.line_id("C-1012", "L-1012-1").await;
    let by_phone = app
        .graphql(
            Role::Agent,
            "agent-1",
            APPLY,
            input(&line, "CALL_CENTER", "신정우", "a"),
        )
        .await;
    assert_eq!(error_code(&by_phone), Some("CHANNEL_NOT_ALLOWED"));

    let mut without_guardian = input(&line, "STORE", "신정우", "b");
    let in_store = app
        .graphql(Role::Agent, "agent-1", APPLY, without_guardian.clone())
        .await;
    assert_eq!(
        error_code(&in_store),
        Some("ACCOUNT_HOLDER_MISMATCH"),
        "the guardian must be named"
    );
    without_guardian["input"]["guardianName"] = json!("신정우");
    let with_guardian = app
        .graphql(Role::Agent, "agent-1", APPLY, without_guardian)
        .await;
    assert_eq!(
        with_guardian["data"]["applyForRefund"]["channel"], "STORE",
        "{with_guardian}"
    );
}

#[tokio::test]
async fn a_company_applies_in_a_store_only() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let online = apply_as_customer(&app, "C-1013", "L-1013-1", "(주)아크미물류", "k").await;
    assert_eq!(error_code(&online), Some("CHANNEL_NOT_ALLOWED"));
}

#[tokio::test]
async fn agents_apply_by_phone_and_customers_never_over_an_agents_channel() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let line = app.line_id("C-1001", "L-1001-1").await;
    let customer_in_store = app
        .graphql(
            Role::Customer,
            "C-1001",
            APPLY,
            input(&line, "STORE", "김민지", "k"),
        )
        .await;
    assert_eq!(error_code(&customer_in_store), Some("CHANNEL_NOT_ALLOWED"));
    let agent_online = app
        .graphql(
            Role::Agent,
            "agent-1",
            APPLY,
            input(&line, "WEB", "김민지", "k"),
        )
        .await;
    assert_eq!(error_code(&agent_online), Some("CHANNEL_NOT_ALLOWED"));
    let agent = app
        .graphql(
            Role::Agent,
            "agent-1",
            APPLY,
            input(&line, "CALL_CENTER", "김민지", "k"),
        )
        .await;
    assert_eq!(
        agent["data"]["applyForRefund"]["channel"], "CALL_CENTER",
        "{agent}"
    );
}

#[tokio::test]
async fn another_customers_line_is_not_found() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let line = app.line_id("C-1001", "L-1001-1").await;
    let body = app
        .graphql(
            Role::Customer,
            "C-1011",
            APPLY,
            input(&line, "WEB", "서준호", "k"),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
}

#[tokio::test]
async fn twenty_concurrent_applications_for_one_line_create_exactly_one() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let line = app.line_id("C-1001", "L-1001-1").await;
    let inputs = (0..20)
        .map(|i| input(&line, "WEB", "김민지", &format!("key-{i}")))
        .collect();
    let results = app
        .graphql_concurrently(Role::Customer, "C-1001", APPLY, inputs)
        .await;
    let created = results
        .iter()
        .filter(|r| r["data"]["applyForRefund"]["id"].is_string())
        .count();
    let refused = results
        .iter()
        .filter(|r| error_code(r) == Some("ALREADY_APPLIED"))
        .count();
    assert_eq!((created, refused), (1, 19), "{results:?}");
}

#[tokio::test]
async fn a_repeated_idempotency_key_returns_the_first_result_and_a_changed_input_conflicts() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let first = apply_as_customer(&app, "C-1001", "L-1001-1", "김민지", "same").await;
    let again = apply_as_customer(&app, "C-1001", "L-1001-1", "김민지", "same").await;
    assert_eq!(
        first["data"]["applyForRefund"]["id"], again["data"]["applyForRefund"]["id"],
        "{again}"
    );

    let line = app.line_id("C-1001", "L-1001-1").await;
    let mut changed = input(&line, "WEB", "김민지", "same");
    changed["input"]["accountNumber"] = json!("999-999-999999");
    let conflict = app.graphql(Role::Customer, "C-1001", APPLY, changed).await;
    assert_eq!(
        error_code(&conflict),
        Some("IDEMPOTENCY_CONFLICT"),
        "{conflict}"
    );
}

const CLOSE: &str = "mutation($n: Int!) { closePayoutRound(number: $n) { round { number payDate } count total csv } }";
const RECORD: &str = "mutation($id: ID!, $paid: Boolean!) { recordPayoutResult(applicationId: $id, paid: $paid) { status round { number } } }";
const CORRECT: &str = "mutation($id: ID!, $acct: String!) { updateRefundAccount(applicationId: $id, bankCode: \"088\", accountNumber: $acct, accountHolder: \"김민지\") { status accountMasked round { number } } }";

#[tokio::test]
async fn closing_a_round_schedules_its_applications_and_closing_again_returns_the_same_file() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let applied = apply_as_customer(&app, "C-1001", "L-1001-1", "김민지", "k").await;
    let id = applied["data"]["applyForRefund"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let first = app
        .graphql(Role::Admin, "admin-1", CLOSE, json!({ "n": 1 }))
        .await;
    let second = app
        .graphql(Role::Admin, "admin-1", CLOSE, json!({ "n": 1 }))
        .await;

    let file = &first["data"]["closePayoutRound"];
    assert_eq!(file["count"], 1, "{first}");
    assert_eq!(file["total"], 138_000);
    assert_eq!(
        file["csv"],
        format!(
            "application_id,bank_code,account_number,account_holder,amount\n{id},004,123456789012,김민지,138000\n"
        )
    );
    assert_eq!(
        second["data"], first["data"],
        "closing twice returns the same file"
    );

    let me = app
        .graphql(
            Role::Customer,
            "C-1001",
            "{ me { notifications { kind } lines { feeWaiver { application { status } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        me["data"]["me"]["lines"][0]["feeWaiver"]["application"]["status"],
        "SCHEDULED"
    );
    assert_eq!(
        me["data"]["me"]["notifications"],
        json!([{ "kind": "REFUND_SCHEDULED" }])
    );

    let corrected = app
        .graphql(
            Role::Customer,
            "C-1001",
            CORRECT,
            json!({ "id": id, "acct": "11112222333" }),
        )
        .await;
    assert_eq!(
        error_code(&corrected),
        Some("WINDOW_CLOSED"),
        "no correction once the round is closed"
    );
}

#[tokio::test]
async fn a_payout_is_recorded_once_and_a_failed_one_moves_to_the_next_round_after_correction() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let applied = apply_as_customer(&app, "C-1001", "L-1001-1", "김민지", "k").await;
    let id = applied["data"]["applyForRefund"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.graphql(Role::Admin, "admin-1", CLOSE, json!({ "n": 1 }))
        .await;

    let failed = app
        .graphql(
            Role::Admin,
            "admin-1",
            RECORD,
            json!({ "id": id, "paid": false }),
        )
        .await;
    assert_eq!(
        failed["data"]["recordPayoutResult"],
        json!({ "status": "FAILED", "round": null }),
        "{failed}"
    );
    let paid_after_failure = app
        .graphql(
            Role::Admin,
            "admin-1",
            RECORD,
            json!({ "id": id, "paid": true }),
        )
        .await;
    assert_eq!(
        error_code(&paid_after_failure),
        Some("BAD_USER_INPUT"),
        "a failed payout is not paid without a new round"
    );

    let corrected = app
        .graphql(
            Role::Customer,
            "C-1001",
            CORRECT,
            json!({ "id": id, "acct": "11112222333" }),
        )
        .await;
    assert_eq!(
        corrected["data"]["updateRefundAccount"],
        json!({ "status": "SUBMITTED", "accountMasked": "*******2333", "round": { "number": 2 } }),
        "{corrected}"
    );

    let round_two = app
        .graphql(Role::Admin, "admin-1", CLOSE, json!({ "n": 2 }))
        .await;
    let csv = round_two["data"]["closePayoutRound"]["csv"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        csv.contains(&format!("{id},088,11112222333,김민지,138000")),
        "{csv}"
    );
    let round_one_again = app
        .graphql(Role::Admin, "admin-1", CLOSE, json!({ "n": 1 }))
        .await;
    assert!(
        round_one_again["data"]["closePayoutRound"]["csv"]
            .as_str()
            .unwrap()
            .contains("123456789012")
    );

    let paid = app
        .graphql(
            Role::Admin,
            "admin-1",
            RECORD,
            json!({ "id": id, "paid": true }),
        )
        .await;
    assert_eq!(
        paid["data"]["recordPayoutResult"]["status"], "PAID",
        "{paid}"
    );
    let paid_again = app
        .graphql(
            Role::Admin,
            "admin-1",
            RECORD,
            json!({ "id": id, "paid": true }),
        )
        .await;
    assert_eq!(
        paid_again["data"]["recordPayoutResult"]["status"], "PAID",
        "recording again changes nothing"
    );
    let kinds = app
        .graphql(
            Role::Customer,
            "C-1001",
            "{ me { notifications { kind } } }",
            json!({}),
        )
        .await;
    let kinds: Vec<&str> = kinds["data"]["me"]["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "REFUND_PAID").count(),
        1,
        "{kinds:?}"
    );
}

#[tokio::test]
async fn the_payout_file_is_for_admins_only_and_its_reading_is_audited() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    for role in [Role::Customer, Role::Agent, Role::PartnerStore] {
        let body = app.graphql(role, "x", CLOSE, json!({ "n": 1 })).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{role}");
    }
    app.graphql(Role::Admin, "admin-9", CLOSE, json!({ "n": 1 }))
        .await;
    let audit = app
        .graphql(
            Role::Admin,
            "admin-1",
            "{ auditEntries(filter: { action: \"payout.close_round\" }) { actor } }",
            json!({}),
        )
        .await;
    assert_eq!(
        audit["data"]["auditEntries"],
        json!([{ "actor": "admin-9" }])
    );
}

const REMIND: &str = "mutation { sendRefundReminders { sent } }";

#[tokio::test]
async fn reminders_go_at_most_three_times_and_never_after_an_application() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    apply_as_customer(&app, "C-1001", "L-1001-1", "김민지", "k").await;
    // Eligible without an application: C-1011, the minor C-1012, the company C-1013 and
    // L-1017-1 (cancelled on the window's last day).
    let mut sent = Vec::new();
    for _ in 0..5 {
        let run = app.graphql(Role::Admin, "admin-1", REMIND, json!({})).await;
        sent.push(
            run["data"]["sendRefundReminders"]["sent"]
                .as_i64()
                .unwrap_or(-1),
        );
    }
    assert_eq!(sent, [4, 4, 4, 0, 0]);
    let inbox = app
        .graphql(
            Role::Customer,
            "C-1001",
            "{ me { notifications { kind } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        inbox["data"]["me"]["notifications"],
        json!([]),
        "an applicant gets no reminder"
    );
    let reminded = app
        .graphql(
            Role::Customer,
            "C-1011",
            "{ me { notifications { kind } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        reminded["data"]["me"]["notifications"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test]
async fn reminders_are_refused_outside_the_application_window() {
    let app = spawn_demo_at("2026-02-02T10:00:00+09:00").await;
    let run = app.graphql(Role::Admin, "admin-1", REMIND, json!({})).await;
    assert_eq!(error_code(&run), Some("WINDOW_CLOSED"));
}

#[tokio::test]
async fn eligibility_notices_go_once_per_eligible_line() {
    let app = spawn_app().await;
    app.import(benefits_api::commands::seed::DEMO_CUSTOMERS)
        .await;
    let notice = "mutation { sendEligibilityNotices { sent } }";
    let first = app.graphql(Role::Admin, "admin-1", notice, json!({})).await;
    let second = app.graphql(Role::Admin, "admin-1", notice, json!({})).await;
    assert_eq!(
        first["data"]["sendEligibilityNotices"]["sent"], 5,
        "{first}"
    );
    assert_eq!(second["data"]["sendEligibilityNotices"]["sent"], 0);
}

#[tokio::test]
async fn admins_see_lines_by_reason_and_applications_by_round() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    apply_as_customer(&app, "C-1001", "L-1001-1", "김민지", "k").await;
    let body = app
        .graphql(
            Role::Admin,
            "admin-1",
            "{ refundOverview { linesByReason { reason count } applications { round status count amount } } }",
            json!({}),
        )
        .await;
    let overview = &body["data"]["refundOverview"];
    let count_of = |reason: Value| {
        overview["linesByReason"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["reason"] == reason)
            .map(|r| r["count"].clone())
    };
    assert_eq!(count_of(Value::Null), Some(json!(5)), "{body}");
    assert_eq!(count_of(json!("BUDGET_PHONE")), Some(json!(1)));
    assert_eq!(
        overview["applications"],
        json!([{ "round": 1, "status": "SUBMITTED", "count": 1, "amount": 138_000 }])
    );
}

#[tokio::test]
async fn a_restart_between_closing_a_round_and_recording_pays_nothing_twice() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let applied = apply_as_customer(&app, "C-1001", "L-1001-1", "김민지", "k").await;
    let id = applied["data"]["applyForRefund"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let closed = app
        .graphql(Role::Admin, "admin-1", CLOSE, json!({ "n": 1 }))
        .await;

    // Another process on the same database: the service after a crash and restart.
    let (restarted, _) = app.sibling_at("2026-01-15T10:30:00+09:00").await;
    let again = app
        .graphql_at(restarted, Role::Admin, "admin-1", CLOSE, json!({ "n": 1 }))
        .await;
    assert_eq!(
        again["data"], closed["data"],
        "the same file after the restart: {again}"
    );
    let paid = app
        .graphql_at(
            restarted,
            Role::Admin,
            "admin-1",
            RECORD,
            json!({ "id": id, "paid": true }),
        )
        .await;
    assert_eq!(
        paid["data"]["recordPayoutResult"]["status"], "PAID",
        "{paid}"
    );
    let twice = app
        .graphql(
            Role::Admin,
            "admin-1",
            RECORD,
            json!({ "id": id, "paid": true }),
        )
        .await;
    assert_eq!(twice["data"]["recordPayoutResult"]["status"], "PAID");
    let failed_after_paid = app
        .graphql(
            Role::Admin,
            "admin-1",
            RECORD,
            json!({ "id": id, "paid": false }),
        )
        .await;
    assert_eq!(
        error_code(&failed_after_paid),
        Some("BAD_USER_INPUT"),
        "a paid refund stays paid"
    );
}

#[tokio::test]
async fn another_customers_application_is_not_found() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let applied = apply_as_customer(&app, "C-1001", "L-1001-1", "김민지", "k").await;
    let id = applied["data"]["applyForRefund"]["id"].clone();
    let body = app
        .graphql(
            Role::Customer,
            "C-1011",
            CORRECT,
            json!({ "id": id, "acct": "11112222333" }),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
    let missing = app
        .graphql(
            Role::Customer,
            "C-1001",
            CORRECT,
            json!({ "id": "nope", "acct": "11112222333" }),
        )
        .await;
    assert_eq!(error_code(&missing), Some("NOT_FOUND"));
}

#[tokio::test]
async fn an_agents_application_is_audited_with_its_channel() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let line = app.line_id("C-1001", "L-1001-1").await;
    app.graphql(
        Role::Agent,
        "agent-3",
        APPLY,
        input(&line, "CALL_CENTER", "김민지", "k"),
    )
    .await;
    let audit = app
        .graphql(
            Role::Admin,
            "admin-1",
            "{ auditEntries(filter: { action: \"refund.apply\" }) { actor channel } }",
            json!({}),
        )
        .await;
    assert_eq!(
        audit["data"]["auditEntries"],
        json!([{ "actor": "agent-3", "channel": "CALL_CENTER" }])
    );
}

const LIST: &str = "query($round: Int, $status: RefundStatus, $first: Int! = 100) { refundApplications(round: $round, status: $status, first: $first) { id status amount accountMasked round { number } } }";

#[tokio::test]
async fn admins_list_applications_by_round_and_status_and_each_read_is_audited() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let applied = apply_as_customer(&app, "C-1001", "L-1001-1", "김민지", "k1").await;
    let id = applied["data"]["applyForRefund"]["id"].clone();

    let round_one = app
        .graphql(
            Role::Admin,
            "admin-1",
            LIST,
            json!({ "round": 1, "status": "SUBMITTED" }),
        )
        .await;
    assert_eq!(
        round_one["data"]["refundApplications"],
        json!([{ "id": id, "status": "SUBMITTED", "amount": 138_000, "accountMasked": "********9012", "round": { "number": 1 } }]),
        "{round_one}"
    );
    let round_two = app
        .graphql(Role::Admin, "admin-1", LIST, json!({ "round": 2 }))
        .await;
    assert_eq!(round_two["data"]["refundApplications"], json!([]));
    let paid = app
        .graphql(Role::Admin, "admin-1", LIST, json!({ "status": "PAID" }))
        .await;
    assert_eq!(paid["data"]["refundApplications"], json!([]));

    let audit = app
        .graphql(
            Role::Admin,
            "admin-1",
            r#"{ auditEntries(filter: { action: "refund.list" }) { actor detail } }"#,
            json!({}),
        )
        .await;
    let entries = audit["data"]["auditEntries"].as_array().unwrap();
    assert_eq!(entries.len(), 3, "{audit}");
    assert_eq!(
        entries[2]["detail"],
        "round 1, status SUBMITTED: 1 applications"
    );
}

#[tokio::test]
async fn only_admins_list_applications_and_pages_are_bounded() {
    let app = spawn_app().await;
    for role in [Role::Agent, Role::Customer, Role::PartnerStore] {
        let body = app.graphql(role, "someone", LIST, json!({})).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{role}: {body}");
    }
    for first in [0, 501] {
        let body = app
            .graphql(Role::Admin, "admin-1", LIST, json!({ "first": first }))
            .await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{first}: {body}");
    }
}

#[tokio::test]
async fn an_account_holder_a_spreadsheet_would_run_as_a_formula_is_written_as_text() {
    let app = spawn_demo_at("2026-01-15T10:00:00+09:00").await;
    let line = app.line_id("C-1012", "L-1012-1").await;
    let formula = "=HYPERLINK(\"http://evil.example\",\"Shin Parent\")";
    let mut application = input(&line, "STORE", formula, "formula");
    application["input"]["guardianName"] = json!(formula);
    let applied = app
        .graphql(Role::Agent, "agent-1", APPLY, application)
        .await;
    let id = applied["data"]["applyForRefund"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{applied}"))
        .to_owned();
    let closed = app
        .graphql(Role::Admin, "admin-1", CLOSE, json!({ "n": 1 }))
        .await;
    let csv = closed["data"]["closePayoutRound"]["csv"].as_str().unwrap();
    let row = csv
        .lines()
        .find(|row| row.starts_with(&id))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(
        row.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Shin Parent\"\")\","),
        "{row}"
    );
}
