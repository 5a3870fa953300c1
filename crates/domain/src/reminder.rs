//! Reminders (催报、催办、催缴): whoever waits on another organisation tells it so — the bureau a
//! carrier whose yearly report is late, a party the registration office about its contract (and
//! the office a party whose contract it returned), the provider a payer whose bill is overdue.
//! Each matter is reminded at most once a China day, whoever asks and however often: the day is
//! part of the reminder's key, so "remind all" twice in a day tells nobody twice.

use crate::org::string_enum;

string_enum! {
    /// What a reminder is about.
    ReminderKind {
        LateReport = "late_report", "催报年报", "Late yearly report";
        WaitingContract = "waiting_contract", "催办合同登记", "Contract awaiting the office";
        ReturnedContract = "returned_contract", "提醒修改合同", "Returned contract awaiting correction";
        OverdueBill = "overdue_bill", "催缴账单", "Overdue bill";
    }
}

impl ReminderKind {
    /// The audit log's entity for the matter reminded of.
    pub fn entity(self) -> &'static str {
        match self {
            ReminderKind::LateReport => "carrier",
            ReminderKind::WaitingContract | ReminderKind::ReturnedContract => "contract_submission",
            ReminderKind::OverdueBill => "bill",
        }
    }
}

/// One matter's reminder key for a day: the kind, the subject, the period (a report's year; 0
/// where the subject is enough) and the China day (`YYYY-MM-DD`).
pub fn ref_key(kind: ReminderKind, subject_id: i64, period: i64, day: &str) -> String {
    format!("remind:{}:{subject_id}:{period}:{day}", kind.code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_and_a_matter_make_one_key() {
        let a = ref_key(ReminderKind::LateReport, 7, 2025, "2026-03-01");
        assert_eq!(a, ref_key(ReminderKind::LateReport, 7, 2025, "2026-03-01"));
        assert_ne!(a, ref_key(ReminderKind::LateReport, 7, 2025, "2026-03-02"));
        assert_ne!(a, ref_key(ReminderKind::LateReport, 7, 2024, "2026-03-01"));
        assert_ne!(a, ref_key(ReminderKind::OverdueBill, 7, 2025, "2026-03-01"));
    }

    #[test]
    fn every_kind_reads_back_from_its_code() {
        for k in ReminderKind::ALL {
            assert_eq!(ReminderKind::parse(k.code()), Some(*k));
        }
    }
}
