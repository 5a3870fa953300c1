-- When each year's carrier reports are due (报送截止日期). The bureau sets it in its notice for
-- the year; a year without a row falls back to the default of the rule
-- (fruition_domain::report::default_due_on: 31 March of the following year). Changes are
-- audited (entity report_deadline).
CREATE TABLE report_deadlines (
    -- The reporting year the deadline is for.
    year INTEGER PRIMARY KEY,
    -- The last day (China time, YYYY-MM-DD) on which a report counts as on time.
    due_on TEXT NOT NULL,
    set_by INTEGER REFERENCES users (id),
    set_at INTEGER NOT NULL
);
