//! What the fee-waiver rules answer: a verdict with its reason code and amounts.

use crate::named_enum::named_enum;

named_enum!(
    /// Why a line's early-termination fee is not waived: the first failing rule, in the
    /// order the contract checks them (declaration order). An MVNO line; an IOT line; not
    /// in service at the end of the baseline date; a new subscription, device change or
    /// renewal on or after the cut-off; still in service (the assessment then carries a
    /// fee estimate); ended by the operator; cancelled outside the window and its
    /// suspension grace period; cancelled and subscribed again within the window; no
    /// refundable part of a fee charged.
    FeeWaiverReason {
        BudgetPhone => "BUDGET_PHONE",
        IotLine => "IOT_LINE",
        NotSubscribedAtBaseline => "NOT_SUBSCRIBED_AT_BASELINE",
        ContractChangedAfterCutoff => "CONTRACT_CHANGED_AFTER_CUTOFF",
        NotCancelled => "NOT_CANCELLED",
        OperatorTerminated => "OPERATOR_TERMINATED",
        CancelledOutsideWindow => "CANCELLED_OUTSIDE_WINDOW",
        Resubscribed => "RESUBSCRIBED",
        NoRefundableFee => "NO_REFUNDABLE_FEE",
    }
);

/// The fee-waiver verdict on one line. Amounts in KRW.
///
/// Exactly one of three shapes:
/// - eligible: `reason` is `None` and `refund_amount` is set;
/// - still in service: `reason` is `NotCancelled` and `estimated_fee` is set;
/// - any other refusal: `reason` is set and both amounts are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeeWaiverAssessment {
    /// The first failing rule, `None` when the line is eligible.
    pub reason: Option<FeeWaiverReason>,
    /// What would be refunded: set only when eligible.
    pub refund_amount: Option<i64>,
    /// What cancelling today would cost: set only when the line is not cancelled.
    pub estimated_fee: Option<i64>,
}

impl FeeWaiverAssessment {
    /// An eligible line, refunded `refund_amount`.
    pub(crate) fn eligible(refund_amount: i64) -> Self {
        Self {
            reason: None,
            refund_amount: Some(refund_amount),
            estimated_fee: None,
        }
    }

    /// A line still in service, whose cancellation today would cost `estimated_fee`.
    pub(crate) fn not_cancelled(estimated_fee: i64) -> Self {
        Self {
            reason: Some(FeeWaiverReason::NotCancelled),
            refund_amount: None,
            estimated_fee: Some(estimated_fee),
        }
    }

    /// A terminated line refused for `reason`.
    pub(crate) fn refused(reason: FeeWaiverReason) -> Self {
        Self {
            reason: Some(reason),
            refund_amount: None,
            estimated_fee: None,
        }
    }

    /// Whether the fee is waived.
    pub fn is_eligible(&self) -> bool {
        self.reason.is_none()
    }
}
