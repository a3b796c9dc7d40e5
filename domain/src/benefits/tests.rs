//! Tests of the appreciation rules on the default campaign of program.md: every
//! exclusion of every benefit, the base-date boundary, and the insurance.

use chrono::NaiveDate;

use super::{
    BenefitKind, BenefitReason, InsuranceStatus, in_program, insurance, line_benefit,
    line_benefits, ott_choice,
};
use crate::benefits::ports::OttService;
use crate::campaign::{AppreciationRules, PeriodOfDays};
use crate::customer::{
    Brand, CustomerFacts, CustomerType, DeviceClass, ExternalId, Language, LineFacts, LineStatus,
    Payment, PersonName, PhoneNumber, Suspension, SuspensionReason, TerminatedBy, Termination,
};

use BenefitKind::{MonthlyData, OttSubscription, PartnerDiscount, RoamingBonus};
use BenefitReason::{
    BelowMinimumAge, BudgetPhone, CorporateCustomer, IotLine, LineTerminated, NotEnrolled,
    NotInServiceOnBaseDate, PrepaidLine, SecondDevice, Suspended,
};

/// Whether a line gets a benefit, or the first rule it fails.
type Outcome = Result<(), BenefitReason>;

/// A change to a line, fixing the rule it failed.
type Fix = fn(&mut LineFacts);

/// A KST calendar date written as `YYYY-MM-DD`.
fn day(text: &str) -> NaiveDate {
    text.parse().expect("test dates are valid")
}

/// The appreciation settings of the default campaign (program.md section 2).
fn default_rules() -> AppreciationRules {
    let period = |first, last| PeriodOfDays {
        first: day(first),
        last: day(last),
    };
    AppreciationRules {
        base_date: day("2026-01-13"),
        monthly_data_gigabytes: 100,
        monthly_data_months: period("2026-02-01", "2026-07-01"),
        roaming_window: period("2026-02-01", "2026-08-31"),
        roaming_bonus_percent: 50,
        ott_selection_window: period("2026-02-01", "2026-03-31"),
        ott_months: 6,
        discount_window: period("2026-02-01", "2026-07-31"),
        discount_code_ttl_seconds: 300,
        insurance_coverage: period("2026-02-01", "2028-01-31"),
        insurance_automatic_age: 65,
        insurance_claim_limit: 5_000_000,
        insurance_yearly_limit: 10_000_000,
    }
}

/// An active postpaid phone of the operator's own brand, activated long ago.
fn program_line() -> LineFacts {
    LineFacts {
        external_id: ExternalId::parse("L-2001-1").expect("valid id"),
        msisdn: PhoneNumber::parse("010-2000-0001").expect("valid number"),
        device_class: DeviceClass::Phone,
        brand: Brand::Operator,
        payment: Payment::Postpaid,
        activated_on: day("2022-03-02"),
        status: LineStatus::Active,
        suspension: None,
        termination: None,
        contract_events: vec![],
        contract: None,
        etf_charged: None,
    }
}

/// The program line, changed by `change`.
fn line_where(change: impl FnOnce(&mut LineFacts)) -> LineFacts {
    let mut line = program_line();
    change(&mut line);
    line
}

/// The program line, terminated by the customer on `on`.
fn terminated_on(on: &str) -> LineFacts {
    line_where(|line| {
        line.status = LineStatus::Terminated;
        line.termination = Some(Termination {
            on: day(on),
            by: TerminatedBy::Customer,
        });
    })
}

/// The program line, suspended since 2026-01-20 for military service.
fn suspended_line() -> LineFacts {
    line_where(|line| {
        line.status = LineStatus::Suspended;
        line.suspension = Some(Suspension {
            reason: SuspensionReason::MilitaryService,
            from: day("2026-01-20"),
            until: None,
        });
    })
}

/// An individual customer born on `birth_date`.
fn customer_born(birth_date: &str) -> CustomerFacts {
    CustomerFacts {
        external_id: ExternalId::parse("C-2001").expect("valid id"),
        name: PersonName::parse("Park Jiwoo").expect("valid name"),
        birth_date: day(birth_date),
        phone: PhoneNumber::parse("010-2000-0001").expect("valid number"),
        kind: CustomerType::Individual,
        language: Language::Korean,
    }
}

/// Each benefit of `line` under the default campaign, in declaration order.
fn outcomes(line: &LineFacts) -> Vec<Outcome> {
    line_benefits(line, &default_rules())
        .into_iter()
        .map(|(_, outcome)| outcome)
        .collect()
}

#[test]
fn benefit_kinds_and_reason_codes_are_the_contracts_names_in_its_order() {
    let kinds: Vec<_> = BenefitKind::ALL.iter().map(|kind| kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "MONTHLY_DATA",
            "ROAMING_BONUS",
            "OTT_SUBSCRIPTION",
            "PARTNER_DISCOUNT"
        ]
    );
    let reasons: Vec<_> = BenefitReason::ALL
        .iter()
        .map(|reason| reason.as_str())
        .collect();
    assert_eq!(
        reasons,
        [
            "NOT_IN_SERVICE_ON_BASE_DATE",
            "BUDGET_PHONE",
            "IOT_LINE",
            "LINE_TERMINATED",
            "PREPAID_LINE",
            "SECOND_DEVICE",
            "SUSPENDED",
            "BELOW_MINIMUM_AGE",
            "CORPORATE_CUSTOMER",
            "NOT_ENROLLED",
        ]
    );
}

#[test]
fn an_active_postpaid_phone_of_the_operator_gets_every_benefit_one_per_kind_in_order() {
    let benefits = line_benefits(&program_line(), &default_rules());
    assert_eq!(
        benefits,
        [
            (MonthlyData, Ok(())),
            (RoamingBonus, Ok(())),
            (OttSubscription, Ok(())),
            (PartnerDiscount, Ok(())),
        ]
    );
}

#[test]
fn each_line_gets_each_benefit_or_the_first_rule_it_fails() {
    let table: [(&str, LineFacts, [Outcome; 4]); 11] = [
        (
            "activated the day after the base date",
            line_where(|line| line.activated_on = day("2026-01-14")),
            [Err(NotInServiceOnBaseDate); 4],
        ),
        (
            "activated on the base date",
            line_where(|line| line.activated_on = day("2026-01-13")),
            [Ok(()); 4],
        ),
        (
            "terminated the day before the base date",
            terminated_on("2026-01-12"),
            [Err(NotInServiceOnBaseDate); 4],
        ),
        (
            "terminated on the base date",
            terminated_on("2026-01-13"),
            [Err(NotInServiceOnBaseDate); 4],
        ),
        (
            "terminated the day after the base date",
            terminated_on("2026-01-14"),
            [Err(LineTerminated); 4],
        ),
        (
            "a budget phone",
            line_where(|line| line.brand = Brand::Mvno),
            [Err(BudgetPhone); 4],
        ),
        (
            "an IOT line",
            line_where(|line| line.device_class = DeviceClass::Iot),
            [Err(IotLine); 4],
        ),
        (
            "a prepaid line",
            line_where(|line| line.payment = Payment::Prepaid),
            [Err(PrepaidLine), Ok(()), Ok(()), Ok(())],
        ),
        (
            "a second device",
            line_where(|line| line.device_class = DeviceClass::SecondDevice),
            [Ok(()), Ok(()), Err(SecondDevice), Ok(())],
        ),
        (
            "a suspended line",
            suspended_line(),
            [Err(Suspended), Ok(()), Ok(()), Ok(())],
        ),
        (
            "a suspended prepaid second device",
            LineFacts {
                payment: Payment::Prepaid,
                device_class: DeviceClass::SecondDevice,
                ..suspended_line()
            },
            [Err(PrepaidLine), Ok(()), Err(SecondDevice), Ok(())],
        ),
    ];
    for (case, line, expected) in table {
        assert_eq!(outcomes(&line), expected, "{case}");
    }
}

#[test]
fn a_line_failing_every_rule_is_refused_for_each_rule_in_turn_as_the_earlier_ones_are_fixed() {
    let mut line = LineFacts {
        brand: Brand::Mvno,
        device_class: DeviceClass::Iot,
        payment: Payment::Prepaid,
        activated_on: day("2026-01-14"),
        status: LineStatus::Terminated,
        termination: Some(Termination {
            on: day("2026-01-20"),
            by: TerminatedBy::Operator,
        }),
        ..suspended_line()
    };
    let fixes: [(Fix, Outcome); 7] = [
        (|_| {}, Err(NotInServiceOnBaseDate)),
        (
            |line| line.activated_on = day("2026-01-13"),
            Err(BudgetPhone),
        ),
        (|line| line.brand = Brand::Operator, Err(IotLine)),
        (
            |line| line.device_class = DeviceClass::Phone,
            Err(LineTerminated),
        ),
        (
            |line| {
                line.termination = None;
                line.status = LineStatus::Suspended;
            },
            Err(PrepaidLine),
        ),
        (|line| line.payment = Payment::Postpaid, Err(Suspended)),
        (|line| line.status = LineStatus::Active, Ok(())),
    ];
    for (step, (fix, expected)) in fixes.into_iter().enumerate() {
        fix(&mut line);
        assert_eq!(
            line_benefit(MonthlyData, &line, &default_rules()),
            expected,
            "after fix {step}"
        );
    }
}

#[test]
fn a_line_suspended_for_any_reason_gets_no_monthly_data_but_keeps_its_other_benefits() {
    for reason in SuspensionReason::ALL {
        let line = line_where(|line| {
            line.status = LineStatus::Suspended;
            line.suspension = Some(Suspension {
                reason: *reason,
                from: day("2025-01-01"),
                until: None,
            });
        });
        assert_eq!(
            outcomes(&line),
            [Err(Suspended), Ok(()), Ok(()), Ok(())],
            "{}",
            reason.as_str()
        );
    }
}

#[test]
fn a_line_whose_suspension_has_ended_gets_monthly_data() {
    let line = line_where(|line| {
        line.suspension = Some(Suspension {
            reason: SuspensionReason::OverseasStay,
            from: day("2025-06-01"),
            until: Some(day("2026-01-31")),
        });
    });
    assert_eq!(line_benefit(MonthlyData, &line, &default_rules()), Ok(()));
}

#[test]
fn a_line_is_in_the_program_when_the_operators_own_not_iot_and_in_service_at_the_end_of_the_base_date()
 {
    let rules = default_rules();
    for (case, line, expected) in [
        ("an active phone", program_line(), true),
        (
            "a second device",
            line_where(|line| line.device_class = DeviceClass::SecondDevice),
            true,
        ),
        (
            "a prepaid line",
            line_where(|line| line.payment = Payment::Prepaid),
            true,
        ),
        ("a suspended line", suspended_line(), true),
        (
            "terminated after the base date",
            terminated_on("2026-01-14"),
            true,
        ),
        (
            "terminated on the base date",
            terminated_on("2026-01-13"),
            false,
        ),
        (
            "activated after the base date",
            line_where(|line| line.activated_on = day("2026-01-14")),
            false,
        ),
        (
            "a budget phone",
            line_where(|line| line.brand = Brand::Mvno),
            false,
        ),
        (
            "an IOT line",
            line_where(|line| line.device_class = DeviceClass::Iot),
            false,
        ),
    ] {
        assert_eq!(in_program(&line, &rules), expected, "{case}");
    }
}

#[test]
fn a_customer_born_on_1961_01_13_is_insured_automatically_and_one_born_a_day_later_must_enrol() {
    let rules = default_rules();
    let lines = [program_line()];
    assert_eq!(
        insurance(&customer_born("1961-01-13"), &lines, &rules, false),
        InsuranceStatus {
            eligible: true,
            covered: true,
            automatic: true,
            reason: None
        }
    );
    assert_eq!(
        insurance(&customer_born("1961-01-14"), &lines, &rules, false),
        InsuranceStatus {
            eligible: true,
            covered: false,
            automatic: false,
            reason: Some(NotEnrolled)
        }
    );
}

#[test]
fn an_enrolled_customer_under_the_automatic_age_is_covered_but_not_automatically() {
    let status = insurance(
        &customer_born("1990-05-05"),
        &[program_line()],
        &default_rules(),
        true,
    );
    assert_eq!(
        status,
        InsuranceStatus {
            eligible: true,
            covered: true,
            automatic: false,
            reason: None
        }
    );
}

#[test]
fn an_enrolled_customer_of_the_automatic_age_is_covered_automatically() {
    let status = insurance(
        &customer_born("1950-05-05"),
        &[program_line()],
        &default_rules(),
        true,
    );
    assert_eq!(
        status,
        InsuranceStatus {
            eligible: true,
            covered: true,
            automatic: true,
            reason: None
        }
    );
}

#[test]
fn a_customer_without_a_program_line_is_not_eligible_for_the_insurance_whatever_their_age() {
    let not_in_program = [
        terminated_on("2026-01-13"),
        line_where(|line| line.brand = Brand::Mvno),
        line_where(|line| line.device_class = DeviceClass::Iot),
    ];
    for (birth_date, lines) in [("1950-05-05", &not_in_program[..]), ("1990-05-05", &[])] {
        let status = insurance(&customer_born(birth_date), lines, &default_rules(), true);
        assert_eq!(
            status,
            InsuranceStatus {
                eligible: false,
                covered: false,
                automatic: false,
                reason: Some(NotInServiceOnBaseDate),
            },
            "born {birth_date}"
        );
    }
}

#[test]
fn one_program_line_among_others_makes_a_customer_eligible() {
    let lines = [
        line_where(|line| line.brand = Brand::Mvno),
        terminated_on("2026-01-14"),
    ];
    let status = insurance(
        &customer_born("1990-05-05"),
        &lines,
        &default_rules(),
        false,
    );
    assert_eq!(status.reason, Some(NotEnrolled));
    assert!(status.eligible);
}

#[test]
fn a_corporate_customer_is_never_insured_even_when_enrolled() {
    let company = CustomerFacts {
        kind: CustomerType::Corporate,
        ..customer_born("1950-05-05")
    };
    for enrolled in [false, true] {
        assert_eq!(
            insurance(&company, &[program_line()], &default_rules(), enrolled),
            InsuranceStatus {
                eligible: false,
                covered: false,
                automatic: false,
                reason: Some(CorporateCustomer),
            }
        );
    }
}

#[test]
fn a_corporate_customer_without_a_program_line_is_refused_for_the_missing_line_first() {
    let company = CustomerFacts {
        kind: CustomerType::Corporate,
        ..customer_born("1990-05-05")
    };
    let status = insurance(
        &company,
        &[terminated_on("2026-01-13")],
        &default_rules(),
        true,
    );
    assert_eq!(status.reason, Some(NotInServiceOnBaseDate));
}

#[test]
fn the_automatic_age_is_campaign_data() {
    let rules = AppreciationRules {
        insurance_automatic_age: 30,
        ..default_rules()
    };
    let status = insurance(
        &customer_born("1990-05-05"),
        &[program_line()],
        &rules,
        false,
    );
    assert!(status.automatic);
}

fn service(name: &str, minimum_age: Option<u32>) -> OttService {
    OttService {
        id: name.to_owned(),
        external_id: name.to_owned(),
        name: name.to_owned(),
        minimum_age,
    }
}

#[test]
fn a_customer_chooses_only_services_whose_minimum_age_they_have_reached_that_day() {
    let tving = service("TVING", Some(14));
    let disney = service("Disney+", Some(19));
    let line = program_line();
    let rules = default_rules();
    let today = day("2026-02-10");
    let choose = |born: &str, service: &OttService| {
        ott_choice(&line, &customer_born(born), service, &rules, today)
    };
    assert_eq!(choose("2007-02-10", &disney), Ok(()), "19 today");
    assert_eq!(
        choose("2007-02-11", &disney),
        Err(BelowMinimumAge),
        "19 tomorrow"
    );
    assert_eq!(choose("2007-02-11", &tving), Ok(()));
    assert_eq!(
        choose("2012-02-11", &tving),
        Err(BelowMinimumAge),
        "13: neither"
    );
    assert_eq!(choose("2012-02-11", &service("Kids", None)), Ok(()));
    let watch = line_where(|line| line.device_class = DeviceClass::SecondDevice);
    assert_eq!(
        ott_choice(&watch, &customer_born("1990-01-01"), &tving, &rules, today),
        Err(SecondDevice),
        "the line's own rule comes first"
    );
}
