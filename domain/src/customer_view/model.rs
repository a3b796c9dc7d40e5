//! The assembled view of one customer.

use std::collections::HashMap;

use crate::customer::{Customer, Line, LineId};
use crate::refund::{LateApplication, RefundApplication};

/// A customer with their lines (by external id) and what each line has applied for
/// or been granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerView {
    pub customer: Customer,
    pub lines: Vec<Line>,
    applications: HashMap<LineId, RefundApplication>,
    late_applications: HashMap<LineId, LateApplication>,
}

impl CustomerView {
    /// Assembles a view; applications and grants of lines not in `lines` are dropped.
    pub fn new(
        customer: Customer,
        lines: Vec<Line>,
        applications: impl IntoIterator<Item = RefundApplication>,
        late_applications: impl IntoIterator<Item = LateApplication>,
    ) -> Self {
        let owned = |line: &LineId| lines.iter().any(|own| &own.id == line);
        let applications = applications
            .into_iter()
            .filter(|application| owned(&application.line_id))
            .map(|application| (application.line_id.clone(), application))
            .collect();
        let late_applications = late_applications
            .into_iter()
            .filter(|grant| owned(&grant.line_id))
            .map(|grant| (grant.line_id.clone(), grant))
            .collect();
        Self {
            customer,
            lines,
            applications,
            late_applications,
        }
    }

    /// The refund application of one of the customer's lines.
    pub fn application(&self, line: &LineId) -> Option<&RefundApplication> {
        self.applications.get(line)
    }

    /// The late-application grant of one of the customer's lines.
    pub fn late_application(&self, line: &LineId) -> Option<&LateApplication> {
        self.late_applications.get(line)
    }
}
