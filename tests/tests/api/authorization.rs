//! Least privilege: every mutation of the exported SDL is refused for an anonymous
//! caller (`UNAUTHENTICATED`) and for every role that may not call it (`FORBIDDEN`).

use benefits_domain::auth::Role;
use serde_json::json;

use crate::helpers::{error_code, spawn_app};

const ALL_ROLES: [Role; 4] = [Role::Customer, Role::PartnerStore, Role::Agent, Role::Admin];

/// Each mutation, the roles that may call it, and a call that passes validation.
const MUTATIONS: &[(&str, &[Role], &str)] = &[
    (
        "applyForRefund",
        &[Role::Customer, Role::Agent],
        r#"mutation { applyForRefund(input: { lineId: "x", channel: WEB, bankCode: "004", accountNumber: "12345678", accountHolder: "a", idempotencyKey: "k" }) { id } }"#,
    ),
    (
        "updateRefundAccount",
        &[Role::Customer, Role::Agent],
        r#"mutation { updateRefundAccount(applicationId: "x", bankCode: "004", accountNumber: "12345678", accountHolder: "a") { id } }"#,
    ),
    (
        "closePayoutRound",
        &[Role::Admin],
        "mutation { closePayoutRound(number: 1) { count } }",
    ),
    (
        "recordPayoutResult",
        &[Role::Admin],
        r#"mutation { recordPayoutResult(applicationId: "x", paid: true) { id } }"#,
    ),
    (
        "recordPayoutResults",
        &[Role::Admin],
        r#"mutation { recordPayoutResults(csv: "application_id,result,amount,reason\n") { recorded } }"#,
    ),
    (
        "sendRefundReminders",
        &[Role::Admin],
        "mutation { sendRefundReminders { sent } }",
    ),
    (
        "sendEligibilityNotices",
        &[Role::Admin],
        "mutation { sendEligibilityNotices { sent } }",
    ),
    (
        "upsertPartner",
        &[Role::Admin],
        r#"mutation { upsertPartner(input: { externalId: "P", name: "P", category: COFFEE, stores: [], offers: [] }) { id } }"#,
    ),
    (
        "issueDiscountCode",
        &[Role::Customer],
        r#"mutation { issueDiscountCode(lineId: "x") { code } }"#,
    ),
    (
        "redeemDiscount",
        &[Role::PartnerStore],
        r#"mutation { redeemDiscount(input: { code: "1", offerId: "x", purchaseAmount: 1, idempotencyKey: "k" }) { id } }"#,
    ),
    (
        "cancelRedemption",
        &[Role::PartnerStore],
        r#"mutation { cancelRedemption(id: "x") { id } }"#,
    ),
    (
        "enrollInsurance",
        &[Role::Customer],
        "mutation { enrollInsurance(consent: true) { covered } }",
    ),
    (
        "upsertOttService",
        &[Role::Admin],
        r#"mutation { upsertOttService(externalId: "X", name: "X") { id } }"#,
    ),
    (
        "selectOtt",
        &[Role::Customer],
        r#"mutation { selectOtt(lineId: "x", serviceId: "y") { voucherCode } }"#,
    ),
    (
        "activateOttVoucher",
        &[Role::Admin],
        r#"mutation { activateOttVoucher(lineId: "x") { voucherCode } }"#,
    ),
    (
        "runMonthlyDataGrant",
        &[Role::Admin],
        r#"mutation { runMonthlyDataGrant(month: "2026-02") { granted } }"#,
    ),
    (
        "recordRoamingPass",
        &[Role::Admin],
        r#"mutation { recordRoamingPass(input: { lineId: "x", passName: "p", dataMb: 1, activatedOn: "2026-02-10" }) { bonusMb } }"#,
    ),
    (
        "fileInsuranceClaim",
        &[Role::Customer],
        r#"mutation { fileInsuranceClaim(input: { coverageType: PHISHING_OR_HACKING, incidentDate: "2026-03-02", lossAmount: 1, description: "d", idempotencyKey: "k" }) { id } }"#,
    ),
    (
        "moveInsuranceClaim",
        &[Role::Admin],
        r#"mutation { moveInsuranceClaim(id: "x", status: UNDER_REVIEW) { id } }"#,
    ),
    (
        "extendRoamingOffer",
        &[Role::Admin],
        r#"mutation { extendRoamingOffer(offerCode: "R", until: "2026-08-31") }"#,
    ),
    (
        "recordRoamingOffer",
        &[Role::Admin],
        r#"mutation { recordRoamingOffer(lineId: "x", offerCode: "R", endsOn: "2026-03-31") { offerCode } }"#,
    ),
    (
        "updateCampaignPeriod",
        &[Role::Admin],
        r#"mutation { updateCampaignPeriod(kind: ROAMING, first: "2026-02-01", last: "2026-08-31") { code } }"#,
    ),
    (
        "updatePayoutRound",
        &[Role::Admin],
        r#"mutation { updatePayoutRound(input: { number: 3, payDate: "2026-02-19", appliedUntil: "2026-01-31" }) { code } }"#,
    ),
    (
        "grantLateApplication",
        &[Role::Agent, Role::Admin],
        r#"mutation { grantLateApplication(lineId: "x", reason: MILITARY_SERVICE, reasonEndedOn: "2026-01-10", evidenceNote: "n") { applyUntil } }"#,
    ),
    (
        "addPayoutRound",
        &[Role::Admin],
        r#"mutation { addPayoutRound(payDate: "2026-03-05", appliedUntil: "2026-02-28") { code } }"#,
    ),
    (
        "updateCampaignDay",
        &[Role::Admin],
        r#"mutation { updateCampaignDay(kind: BASE_DATE, day: "2026-01-13") { code } }"#,
    ),
    (
        "updateRoamingBonusPercent",
        &[Role::Admin],
        "mutation { updateRoamingBonusPercent(percent: 50) { code } }",
    ),
    (
        "updateNotificationTemplate",
        &[Role::Admin],
        r#"mutation { updateNotificationTemplate(kind: REFUND_PAID, language: KO, channel: INBOX, body: "지급했습니다.") { smsSenderName } }"#,
    ),
    (
        "updateSmsSenderName",
        &[Role::Admin],
        r#"mutation { updateSmsSenderName(name: "KT") { smsSenderName } }"#,
    ),
];

/// The mutation names of the exported SDL.
fn sdl_mutations() -> Vec<String> {
    let sdl = benefits_api::graphql::sdl();
    let block = sdl
        .split("type Mutation {")
        .nth(1)
        .expect("the schema has mutations");
    let block = &block[..block.find("\n}").expect("the block closes")];
    block
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('"') && !line.starts_with('}'))
        .filter_map(|line| line.split(['(', ':']).next())
        .filter(|name| name.chars().all(char::is_alphanumeric) && !name.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_mutation_of_the_schema_is_in_the_authorization_table() {
    let mut listed: Vec<&str> = MUTATIONS.iter().map(|(name, _, _)| *name).collect();
    listed.sort_unstable();
    let mut exported = sdl_mutations();
    exported.sort();
    assert_eq!(
        listed, exported,
        "add the new mutation and who may call it to MUTATIONS"
    );
}

#[tokio::test]
async fn every_mutation_refuses_anonymous_callers_and_the_roles_that_may_not_call_it() {
    let app = spawn_app().await;
    for (name, allowed, call) in MUTATIONS {
        let anonymous = app.graphql_as(None, call, json!({})).await;
        assert_eq!(
            error_code(&anonymous),
            Some("UNAUTHENTICATED"),
            "{name} anonymous: {anonymous}"
        );
        for role in ALL_ROLES.iter().filter(|role| !allowed.contains(role)) {
            let body = app.graphql(*role, "someone", call, json!({})).await;
            assert_eq!(
                error_code(&body),
                Some("FORBIDDEN"),
                "{name} as {role}: {body}"
            );
        }
        for role in *allowed {
            let body = app.graphql(*role, "someone", call, json!({})).await;
            assert!(
                !matches!(error_code(&body), Some("FORBIDDEN" | "UNAUTHENTICATED")),
                "{name} as {role} must pass the guard: {body}"
            );
        }
    }
}
