-- Reminders (催报、催办、催缴): who told which organisation about which matter, and when. A matter
-- (its kind, subject and period) is reminded at most once a China day: the unique key is
-- claimed in the transaction that records the reminder and its audit entry, so "remind all"
-- twice in a day, or two clerks at once, tell nobody twice.
CREATE TABLE reminders (
    id INTEGER PRIMARY KEY,
    -- late_report | waiting_contract | returned_contract | overdue_bill
    -- (fruition_domain::reminder::ReminderKind).
    kind TEXT NOT NULL,
    -- The carrier (late_report), the contract submission or the bill.
    subject_id INTEGER NOT NULL,
    -- The report's year for late_report; the office told (the bureau organisation) for
    -- waiting_contract; 0 otherwise.
    period INTEGER NOT NULL,
    recipient_org_id INTEGER NOT NULL REFERENCES organisations (id),
    -- The China day (YYYY-MM-DD) it was sent.
    day TEXT NOT NULL,
    sent_by INTEGER REFERENCES users (id),
    sent_at INTEGER NOT NULL,
    CONSTRAINT reminders_once_a_day UNIQUE (kind, subject_id, period, day)
);

CREATE INDEX reminders_subject_idx ON reminders (kind, period, subject_id, sent_at);
