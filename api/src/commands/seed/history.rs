//! The demo's history: what the program's customers, agents and admins did, each step
//! at its own moment of the program (KST), replayed through the real use cases on a
//! service whose clock is set to that moment, and only once that moment has come on the
//! service's own clock. Seeded on 2026-01-15, the demo holds the eligibility notices and
//! the first applications; seeded after July 2026, the whole program: payout rounds
//! closed and paid, a failed payout corrected, a late application waiting for a round,
//! monthly data, OTT choices, redemptions at the partners' stores, an insurance claim
//! and a roaming bonus.
//!
//! Every step is idempotent: applications and redemptions are keyed (a redemption is
//! not repeated once its store has it), notices and grants deduplicate, closing a round
//! again returns its file, and a claim is filed only for a customer without one.

use chrono::{DateTime, Days, Utc};

use benefits_domain::auth::{Caller, Principal, Role};
use benefits_domain::benefits::ClaimFiling;
use benefits_domain::benefits::claims::{ClaimStatus, CoverageType};
use benefits_domain::customer::{Customer, Line};
use benefits_domain::partner::QuoteRefusal;
use benefits_domain::partner::service::TillError;
use benefits_domain::refund::service::{ApplyError, ApplyRequest, LateError};
use benefits_domain::refund::{Channel, LateReason, RefundApplication};

use super::catalog::seed_admin;
use crate::app::App;
use crate::config::Config;

/// A step of the history and when it happened (RFC 3339, KST).
#[derive(Debug, Clone, Copy)]
enum Step {
    Notices,
    FirstApplications,
    LaterApplications,
    RoundOneClosed,
    AccountCorrected,
    LateApplicationGranted,
    MonthlyData(&'static str),
    Enrolments,
    LateApplicationSubmitted,
    RoundTwoClosed,
    OttChoices,
    Redemptions(&'static str),
    RoundThreeClosed,
    Claim,
    RoamingPass,
}

const STEPS: &[(&str, Step)] = &[
    ("2026-01-14T09:30:00+09:00", Step::Notices),
    ("2026-01-15T11:00:00+09:00", Step::FirstApplications),
    ("2026-01-20T15:00:00+09:00", Step::LaterApplications),
    ("2026-01-22T09:00:00+09:00", Step::RoundOneClosed),
    ("2026-01-26T10:00:00+09:00", Step::AccountCorrected),
    ("2026-02-02T03:00:00+09:00", Step::MonthlyData("2026-02")),
    ("2026-02-02T09:00:00+09:00", Step::Enrolments),
    ("2026-02-03T10:00:00+09:00", Step::LateApplicationGranted),
    ("2026-02-04T11:00:00+09:00", Step::LateApplicationSubmitted),
    ("2026-02-05T20:00:00+09:00", Step::RoundTwoClosed),
    ("2026-02-06T19:00:00+09:00", Step::OttChoices),
    ("2026-02-09T12:30:00+09:00", Step::Redemptions("2026-02-09")),
    ("2026-02-10T12:30:00+09:00", Step::Redemptions("2026-02-10")),
    ("2026-02-11T12:30:00+09:00", Step::Redemptions("2026-02-11")),
    ("2026-02-12T12:30:00+09:00", Step::Redemptions("2026-02-12")),
    ("2026-02-13T12:30:00+09:00", Step::Redemptions("2026-02-13")),
    ("2026-02-19T20:00:00+09:00", Step::RoundThreeClosed),
    ("2026-03-02T03:00:00+09:00", Step::MonthlyData("2026-03")),
    ("2026-03-03T10:00:00+09:00", Step::Claim),
    ("2026-03-15T08:00:00+09:00", Step::RoamingPass),
    ("2026-04-01T03:00:00+09:00", Step::MonthlyData("2026-04")),
    ("2026-05-01T03:00:00+09:00", Step::MonthlyData("2026-05")),
    ("2026-06-01T03:00:00+09:00", Step::MonthlyData("2026-06")),
    ("2026-07-01T03:00:00+09:00", Step::MonthlyData("2026-07")),
];

/// Who applies when: customer, line, channel (an agent for a call or a store).
const FIRST_APPLICATIONS: &[(&str, Channel)] = &[
    ("C-2008", Channel::Web),
    ("C-2005", Channel::Web),
    ("C-2007", Channel::Web),
    ("C-2012", Channel::Store),
];
const LATER_APPLICATIONS: &[(&str, Channel)] = &[("C-2006", Channel::CallCenter)];
/// The late applicant: in hospital until two days before the grant.
const LATE_APPLICANT: &str = "C-2001";
/// Paid, and the one whose payout failed (bad account) in round 1.
const ROUND_ONE_PAID: &[&str] = &["C-2005", "C-2012"];
const ROUND_ONE_FAILED: &str = "C-2008";
/// Customer, line, OTT service external id.
const OTT_CHOICES: &[(&str, &str, &str)] = &[
    ("C-2004", "L-2004-1", "DISNEY_PLUS"),
    ("C-2003", "L-2003-1", "TVING"),
    ("C-2011", "L-2011-1", "TVING"),
    ("C-2010", "L-2010-1", "DISNEY_PLUS"),
];
/// Customer, line, store, offer, purchase (KRW): the lunchtime coffees and the rest.
const PURCHASES: &[(&str, &str, &str, &str, i64)] = &[
    (
        "C-2010",
        "L-2010-1",
        "ST-HANBIT-GANGNAM",
        "O-HANBIT-AMERICANO",
        4_500,
    ),
    (
        "C-2011",
        "L-2011-1",
        "ST-HANBIT-HONGDAE",
        "O-HANBIT-AMERICANO",
        4_800,
    ),
    (
        "C-2004",
        "L-2004-1",
        "ST-MILAL-JONGNO",
        "O-MILAL-TEN",
        12_400,
    ),
    (
        "C-2009",
        "L-2009-1",
        "ST-HANBIT-SEOMYEON",
        "O-HANBIT-CAKE",
        7_500,
    ),
    (
        "C-2003",
        "L-2003-1",
        "ST-NUNKKOT-JAMSIL",
        "O-NUNKKOT-PINT",
        9_800,
    ),
    (
        "C-2011",
        "L-2011-1",
        "ST-BYEOLBIT-YEOUIDO",
        "O-BYEOLBIT-TICKET",
        15_000,
    ),
];

fn caller(role: Role, subject: &str) -> Caller {
    Caller {
        principal: Principal {
            role,
            subject: subject.to_owned(),
        },
        source_address: None,
    }
}

fn agent() -> Caller {
    caller(Role::Agent, "demo-agent")
}

/// The service as it was at `moment`.
async fn service_at(config: &Config, moment: DateTime<Utc>) -> anyhow::Result<App> {
    App::build(Config {
        clock: Some(moment),
        migrate_on_start: false,
        ..config.clone()
    })
    .await
}

/// Replays every step whose moment is not after `now`; the names of those replayed.
pub(super) async fn replay(config: &Config, now: DateTime<Utc>) -> anyhow::Result<Vec<String>> {
    let mut done = Vec::new();
    for (moment, step) in STEPS {
        let mut at: DateTime<Utc> = moment.parse()?;
        // The late application is always in the demo: granted on its day, or today
        // when the demo is seeded earlier.
        if matches!(step, Step::LateApplicationGranted) {
            at = at.min(now);
        } else if at > now {
            continue;
        }
        let app = service_at(config, at).await?;
        run(&app, *step).await?;
        done.push(format!("{step:?}"));
    }
    Ok(done)
}

async fn run(app: &App, step: Step) -> anyhow::Result<()> {
    let admin = seed_admin();
    match step {
        Step::Notices => {
            app.refunds.send_eligibility_notices(&admin).await?;
        }
        Step::FirstApplications => {
            for (customer, channel) in FIRST_APPLICATIONS {
                apply(app, customer, *channel).await?;
            }
        }
        Step::LaterApplications => {
            for (customer, channel) in LATER_APPLICATIONS {
                apply(app, customer, *channel).await?;
            }
        }
        Step::RoundOneClosed => {
            close_and_pay(app, 1, ROUND_ONE_PAID, Some(ROUND_ONE_FAILED)).await?;
        }
        Step::AccountCorrected => {
            let (customer, _) = first_line(app, ROUND_ONE_FAILED).await?;
            if let Some(application) = application_of(app, ROUND_ONE_FAILED).await? {
                let who = caller(Role::Customer, ROUND_ONE_FAILED);
                // Still FAILED until corrected; once corrected it is in round 2.
                if application.round.is_none() {
                    app.refunds
                        .correct_account(
                            &who,
                            &application.id,
                            "088",
                            "110-482-915307",
                            customer.facts.name.as_str(),
                        )
                        .await?;
                }
            }
        }
        Step::LateApplicationGranted => {
            let (_, line) = first_line(app, LATE_APPLICANT).await?;
            let ended = app
                .clock
                .today()
                .checked_sub_days(Days::new(2))
                .ok_or_else(|| anyhow::anyhow!("the clock is at the start of time"))?;
            match app
                .refunds
                .grant_late(
                    &agent(),
                    &line.id,
                    LateReason::Hospitalisation,
                    &ended.to_string(),
                    "입원확인서·퇴원확인서 사본 확인 (admission and discharge certificates seen)",
                )
                .await
            {
                Ok(_) | Err(LateError::AlreadyApplied) => {}
                Err(other) => return Err(other.into()),
            }
        }
        Step::LateApplicationSubmitted => apply(app, LATE_APPLICANT, Channel::Web).await?,
        Step::MonthlyData(month) => {
            app.appreciation.run_monthly_grant(&admin, month).await?;
        }
        Step::Enrolments => {
            for customer in ["C-2010", "C-2011"] {
                app.appreciation
                    .enrol(&caller(Role::Customer, customer), true)
                    .await?;
            }
        }
        Step::RoundTwoClosed => close_and_pay(app, 2, &["C-2006", ROUND_ONE_FAILED], None).await?,
        Step::RoundThreeClosed => close_and_pay(app, 3, &["C-2007"], None).await?,
        Step::OttChoices => ott_choices(app).await?,
        Step::Redemptions(day) => redemptions(app, day).await?,
        Step::Claim => claim(app).await?,
        Step::RoamingPass => {
            let (_, line) = first_line(app, "C-2010").await?;
            app.appreciation
                .record_roaming_pass(
                    &admin,
                    &line.id,
                    "일본 5일 데이터 로밍",
                    3_072,
                    "2026-03-15",
                    Some("R-DEMO-2010-1".to_owned()),
                )
                .await?;
        }
    }
    Ok(())
}

/// A demo customer and their first line.
async fn first_line(app: &App, external_id: &str) -> anyhow::Result<(Customer, Line)> {
    let customer = app
        .customers
        .me(&caller(Role::Customer, external_id))
        .await?;
    let line = app
        .customers
        .lines(&customer)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("demo customer {external_id} has no line"))?;
    Ok((customer, line))
}

async fn application_of(app: &App, external_id: &str) -> anyhow::Result<Option<RefundApplication>> {
    let (_, line) = first_line(app, external_id).await?;
    Ok(app.refunds.for_line(&line.id).await?)
}

/// The customer's refund application over `channel`, to an account in their own name.
async fn apply(app: &App, external_id: &str, channel: Channel) -> anyhow::Result<()> {
    let (customer, line) = first_line(app, external_id).await?;
    let who = match channel {
        Channel::Web => caller(Role::Customer, external_id),
        Channel::CallCenter | Channel::Store => agent(),
    };
    let request = ApplyRequest {
        line_id: line.id.clone(),
        channel,
        bank_code: "004".to_owned(),
        // A KB국민 number of 14 digits, made up from the line's number.
        account_number: {
            let digits = line.facts.msisdn.digits();
            format!("{}-04-{}", &digits[3..9], &digits[5..11])
        },
        account_holder: customer.facts.name.as_str().to_owned(),
        guardian_name: None,
        idempotency_key: format!("demo-{}", line.facts.external_id),
    };
    match app.refunds.apply(&who, request).await {
        Ok(_) | Err(ApplyError::AlreadyApplied) => Ok(()),
        Err(other) => Err(other.into()),
    }
}

/// Closes round `number` and records the bank's answers for these customers.
async fn close_and_pay(
    app: &App,
    number: i32,
    paid: &[&str],
    failed: Option<&str>,
) -> anyhow::Result<()> {
    let admin = seed_admin();
    app.refunds.close_round(&admin, number).await?;
    let answers = paid
        .iter()
        .map(|customer| (*customer, true))
        .chain(failed.map(|customer| (customer, false)));
    for (customer, outcome) in answers {
        // Repeating the answer it already has returns it; another state is skipped.
        if let Some(application) = application_of(app, customer).await?
            && (application.round == Some(number) || application.round.is_none())
        {
            let _ = app
                .refunds
                .record_result(&admin, &application.id, outcome)
                .await;
        }
    }
    Ok(())
}

async fn ott_choices(app: &App) -> anyhow::Result<()> {
    let services = app.appreciation.ott_services().await?;
    for (customer, line_external_id, service) in OTT_CHOICES {
        let who = caller(Role::Customer, customer);
        let (owner, _) = first_line(app, customer).await?;
        let lines = app.customers.lines(&owner).await?;
        let (Some(line), Some(service)) = (
            lines
                .iter()
                .find(|l| l.facts.external_id.as_str() == *line_external_id),
            services.iter().find(|s| s.external_id == *service),
        ) else {
            anyhow::bail!("demo OTT choice {customer} {service} names nothing");
        };
        // A voucher activated since keeps the choice final: nothing to do.
        let _ = app
            .appreciation
            .select_ott(&who, &line.id, &service.id)
            .await;
    }
    Ok(())
}

/// The day's purchases at the partners' stores; each is made once.
async fn redemptions(app: &App, day: &str) -> anyhow::Result<()> {
    let day_number: usize = day[8..].parse()?;
    let today = app.clock.today();
    let partners = app.discounts.partners().await?;
    for (index, (customer, line_external_id, store, offer, purchase)) in
        PURCHASES.iter().enumerate()
    {
        // Not everyone every day: a pattern that gives each day a different mix.
        if (index + day_number).is_multiple_of(3) {
            continue;
        }
        let store_caller = caller(Role::PartnerStore, store);
        let offer = partners
            .iter()
            .flat_map(|partner| &partner.offers)
            .find(|o| o.external_id == *offer)
            .ok_or_else(|| anyhow::anyhow!("demo offer {offer} is missing"))?;
        let who = caller(Role::Customer, customer);
        let owner = app.customers.me(&who).await?;
        let lines = app.customers.lines(&owner).await?;
        let line = lines
            .iter()
            .find(|l| l.facts.external_id.as_str() == *line_external_id)
            .ok_or_else(|| anyhow::anyhow!("demo line {line_external_id} is missing"))?;
        let made = app
            .discounts
            .store_redemptions(&store_caller, None, 500)
            .await?
            .iter()
            .any(|r| r.redeemed_on == today && r.line_id == line.id && r.offer_id == offer.id);
        if made {
            continue;
        }
        let code = app.discounts.issue_code(&who, &line.id).await?;
        match app
            .discounts
            .redeem(
                &store_caller,
                &code.code,
                &offer.id,
                *purchase,
                &format!("demo-{day}-{index}"),
            )
            .await
        {
            // The offer's monthly limit for this line: the till would refuse it too.
            Ok(_) | Err(TillError::Refused(QuoteRefusal::LimitReached)) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Ok(())
}

/// A phishing loss claimed by the senior customer (covered automatically), under review.
async fn claim(app: &App) -> anyhow::Result<()> {
    let who = caller(Role::Customer, "C-2009");
    let customer = app.customers.me(&who).await?;
    if !app.appreciation.claims_of(&customer.id).await?.is_empty() {
        return Ok(());
    }
    let filed = app
        .appreciation
        .file_claim(
            &who,
            &ClaimFiling {
                coverage: CoverageType::PhishingOrHacking,
                incident_on: "2026-02-25",
                loss_amount: 1_850_000,
                description: "택배 배송조회를 사칭한 문자의 링크를 눌러 앱이 설치되었고, 계좌에서 185만 원이 이체되었습니다.",
                idempotency_key: "demo-claim-C-2009",
            },
        )
        .await?;
    app.appreciation
        .move_claim(&seed_admin(), &filed.id, ClaimStatus::UnderReview, None)
        .await?;
    Ok(())
}
