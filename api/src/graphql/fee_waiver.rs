//! `Line.feeWaiver`: eligibility with the first failing rule, the refund, the estimate
//! for a line still in service, and the line's application.

use async_graphql::{Enum, SimpleObject};

use benefits_domain::fee_waiver::{self as domain, FeeWaiverAssessment};

use super::refund::{LateApplication, RefundApplication};

/// The first failing rule of the fee waiver, in the contract's order.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum FeeWaiverReason {
    BudgetPhone,
    IotLine,
    NotSubscribedAtBaseline,
    ContractChangedAfterCutoff,
    NotCancelled,
    OperatorTerminated,
    CancelledOutsideWindow,
    Resubscribed,
    NoRefundableFee,
}

impl FeeWaiverReason {
    /// The contract's name, as `extensions.reason` carries it.
    pub fn name(self) -> &'static str {
        domain::FeeWaiverReason::from(self).as_str()
    }
}

macro_rules! reasons {
    ($($variant:ident),+) => {
        impl From<domain::FeeWaiverReason> for FeeWaiverReason {
            fn from(reason: domain::FeeWaiverReason) -> Self {
                match reason { $(domain::FeeWaiverReason::$variant => Self::$variant),+ }
            }
        }
        impl From<FeeWaiverReason> for domain::FeeWaiverReason {
            fn from(reason: FeeWaiverReason) -> Self {
                match reason { $(FeeWaiverReason::$variant => Self::$variant),+ }
            }
        }
    };
}
reasons!(
    BudgetPhone,
    IotLine,
    NotSubscribedAtBaseline,
    ContractChangedAfterCutoff,
    NotCancelled,
    OperatorTerminated,
    CancelledOutsideWindow,
    Resubscribed,
    NoRefundableFee
);

/// Whether a line's early-termination fee is waived.
#[derive(SimpleObject)]
pub struct FeeWaiver {
    pub eligible: bool,
    /// Null when eligible.
    pub reason: Option<FeeWaiverReason>,
    /// KRW, refundable components only; set when eligible.
    pub refund_amount: Option<i64>,
    /// KRW: what cancelling today would cost; set for a line still in service.
    pub estimated_fee: Option<i64>,
    pub application: Option<RefundApplication>,
    /// The line's late-application grant: it may still apply until its deadline.
    pub late_application: Option<LateApplication>,
}

impl FeeWaiver {
    pub fn new(
        assessment: &FeeWaiverAssessment,
        application: Option<RefundApplication>,
        late_application: Option<LateApplication>,
    ) -> Self {
        Self {
            eligible: assessment.reason.is_none(),
            reason: assessment.reason.map(FeeWaiverReason::from),
            refund_amount: assessment.refund_amount,
            estimated_fee: assessment.estimated_fee,
            application,
            late_application,
        }
    }
}
