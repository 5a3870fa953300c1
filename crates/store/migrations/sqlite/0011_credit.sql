-- Knowledge-value credit loans (知识价值信用贷款) and the shared risk compensation pool
-- (风险补偿资金池). Money in fen; dates as YYYY-MM-DD (China time); instants in ms since 1970.

-- The city's credit policy, newest in force: the pool's rules, the terms' limits and the target
-- (JSON of `fruition_domain::credit::CreditPolicy`). Rows are never changed: a change is a new row.
CREATE TABLE credit_policies (
    id INTEGER PRIMARY KEY,
    policy_json TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);

-- The bureau's scorecards, one row per version, never changed (JSON of
-- `fruition_domain::credit::Scorecard`); the highest version is in force.
CREATE TABLE credit_scorecards (
    version INTEGER PRIMARY KEY,
    card_json TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);

-- A score of an enterprise on a scorecard version with the data of a day; the working is kept
-- (JSON of `fruition_domain::credit::Score`), so it reads the same later. Rescoring with the same
-- version on the same data day replaces the row.
CREATE TABLE credit_scores (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    version INTEGER NOT NULL REFERENCES credit_scorecards (version),
    data_date TEXT NOT NULL,
    total INTEGER NOT NULL,
    -- a–e, or NULL when ungraded or excluded.
    grade TEXT,
    line_fen INTEGER,
    -- An exclusion code when the negative list applies.
    excluded TEXT,
    score_json TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT credit_scores_key UNIQUE (enterprise_id, version, data_date)
);
CREATE INDEX credit_scores_enterprise_idx ON credit_scores (enterprise_id, id);
CREATE INDEX credit_scores_version_idx ON credit_scores (version, grade);

-- The negative list as the bureau notes it for an enterprise (serious dishonesty, abnormal
-- operation); an overdue loan is read from the loans themselves.
CREATE TABLE credit_exclusions (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    exclusion TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    noted_by INTEGER REFERENCES users (id),
    noted_at INTEGER NOT NULL,
    lifted_at INTEGER,
    lifted_by INTEGER REFERENCES users (id)
);
CREATE INDEX credit_exclusions_enterprise_idx ON credit_exclusions (enterprise_id);
-- One live note per enterprise and reason (a second is refused until the first is lifted).
CREATE UNIQUE INDEX credit_exclusions_exclusion_key ON credit_exclusions (exclusion, enterprise_id) WHERE lifted_at IS NULL;

-- The enterprise's 创新积分 (innovation points) for a year, where the province's system supplies
-- them; a scorecard may use them as an indicator (the latest year up to the score's data year).
CREATE TABLE credit_innovation_points (
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    year INTEGER NOT NULL,
    points INTEGER NOT NULL CHECK (points >= 0),
    noted_by INTEGER REFERENCES users (id),
    noted_at INTEGER NOT NULL,
    PRIMARY KEY (enterprise_id, year)
);

-- The pool's funders (province, city, district) and their ratios.
CREATE TABLE pool_funders (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    -- province | city | district.
    level TEXT NOT NULL,
    ratio INTEGER NOT NULL CHECK (ratio > 0),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT pool_funders_name_key UNIQUE (name)
);

-- A knowledge-value loan from application to repayment or default.
CREATE TABLE loans (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    borrower_org_id INTEGER NOT NULL REFERENCES organisations (id),
    bank_org_id INTEGER NOT NULL REFERENCES organisations (id),
    guarantor_org_id INTEGER REFERENCES organisations (id),
    -- credit | guaranteed.
    kind TEXT NOT NULL,
    -- applied | approved | declined | withdrawn | disbursed | registered | repaid | overdue | defaulted.
    status TEXT NOT NULL,
    requested_fen INTEGER NOT NULL CHECK (requested_fen > 0),
    requested_months INTEGER NOT NULL,
    purpose TEXT NOT NULL,
    -- The consent to share the enterprise's data with this bank, as the applicant gave it.
    consent_text TEXT NOT NULL,
    consent_by INTEGER REFERENCES users (id),
    consent_at INTEGER NOT NULL,
    score_id INTEGER REFERENCES credit_scores (id),
    grade TEXT,
    line_fen INTEGER NOT NULL DEFAULT 0,
    amount_fen INTEGER,
    rate_bp INTEGER,
    term_months INTEGER,
    -- equal_principal | interest_only.
    repayment_method TEXT,
    over_line_reason TEXT,
    decline_reason TEXT,
    decided_by INTEGER REFERENCES users (id),
    decided_at INTEGER,
    disbursed_on TEXT,
    disbursed_fen INTEGER,
    maturity_on TEXT,
    registered_on TEXT,
    registered_by INTEGER REFERENCES users (id),
    -- Principal repaid and, after a default, recovered; never beyond what was disbursed.
    principal_repaid_fen INTEGER NOT NULL DEFAULT 0,
    recovered_fen INTEGER NOT NULL DEFAULT 0,
    interest_paid_fen INTEGER NOT NULL DEFAULT 0,
    overdue_since TEXT,
    defaulted_on TEXT,
    -- The enterprise's county and sector when it applied, for the target's breakdowns.
    county_code TEXT NOT NULL,
    industry_division TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (principal_repaid_fen >= 0 AND recovered_fen >= 0 AND interest_paid_fen >= 0),
    CHECK (disbursed_fen IS NULL OR principal_repaid_fen + recovered_fen <= disbursed_fen)
);
CREATE INDEX loans_bank_idx ON loans (bank_org_id, status, id);
CREATE INDEX loans_borrower_idx ON loans (borrower_org_id, id);
CREATE INDEX loans_guarantor_idx ON loans (guarantor_org_id, id);
CREATE INDEX loans_enterprise_idx ON loans (enterprise_id, status);
CREATE INDEX loans_status_idx ON loans (status, id);
CREATE INDEX loans_disbursed_idx ON loans (disbursed_on);

-- A loan's repayment schedule, written when it is disbursed.
CREATE TABLE loan_schedule (
    loan_id INTEGER NOT NULL REFERENCES loans (id),
    seq INTEGER NOT NULL,
    due_on TEXT NOT NULL,
    principal_fen INTEGER NOT NULL,
    interest_fen INTEGER NOT NULL,
    PRIMARY KEY (loan_id, seq)
);

-- A workbook of repayments from a bank, imported all rows or none.
CREATE TABLE repayment_batches (
    id INTEGER PRIMARY KEY,
    bank_org_id INTEGER NOT NULL REFERENCES organisations (id),
    file_name TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    principal_fen INTEGER NOT NULL,
    interest_fen INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);

-- Repayments as the bank records them.
CREATE TABLE loan_repayments (
    id INTEGER PRIMARY KEY,
    loan_id INTEGER NOT NULL REFERENCES loans (id),
    paid_on TEXT NOT NULL,
    principal_fen INTEGER NOT NULL CHECK (principal_fen >= 0),
    interest_fen INTEGER NOT NULL CHECK (interest_fen >= 0),
    batch_id INTEGER REFERENCES repayment_batches (id),
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    CHECK (principal_fen + interest_fen > 0)
);
CREATE INDEX loan_repayments_loan_idx ON loan_repayments (loan_id, id);

-- The double-entry ledger of the pool. Accounts: each funder's contributions (funder), each
-- funder's money in the pool (pool, never below zero) and each bank's compensation (bank).
CREATE TABLE ledger_accounts (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    -- funder | pool | bank.
    kind TEXT NOT NULL,
    funder_id INTEGER REFERENCES pool_funders (id),
    org_id INTEGER REFERENCES organisations (id),
    -- The sum of the account's entries, moved only together with an entry.
    balance_fen INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    CONSTRAINT ledger_accounts_code_key UNIQUE (code),
    CHECK (kind <> 'pool' OR balance_fen >= 0)
);

-- A balanced movement: its entries sum to zero.
CREATE TABLE ledger_transfers (
    id INTEGER PRIMARY KEY,
    -- contribution | compensation | recovery.
    kind TEXT NOT NULL,
    value_date TEXT NOT NULL,
    memo TEXT NOT NULL,
    claim_id INTEGER,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX ledger_transfers_date_idx ON ledger_transfers (value_date, id);

CREATE TABLE ledger_entries (
    id INTEGER PRIMARY KEY,
    transfer_id INTEGER NOT NULL REFERENCES ledger_transfers (id),
    account_id INTEGER NOT NULL REFERENCES ledger_accounts (id),
    amount_fen INTEGER NOT NULL CHECK (amount_fen <> 0),
    -- The account's balance after this entry (entries are posted in date order).
    balance_after_fen INTEGER NOT NULL,
    value_date TEXT NOT NULL
);
-- Both cover what the balance as of a day and the proof of balance read, so neither visits the table.
CREATE INDEX ledger_entries_account_idx ON ledger_entries (account_id, value_date, id, amount_fen, balance_after_fen);
CREATE INDEX ledger_entries_transfer_idx ON ledger_entries (transfer_id, amount_fen);

-- Nothing changes or deletes a ledger entry or transfer.
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;
CREATE TRIGGER ledger_transfers_no_update BEFORE UPDATE ON ledger_transfers
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;
CREATE TRIGGER ledger_transfers_no_delete BEFORE DELETE ON ledger_transfers
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;

-- A bank's claim for compensation on a defaulted loan. One live claim per loan.
CREATE TABLE credit_claims (
    id INTEGER PRIMARY KEY,
    loan_id INTEGER NOT NULL REFERENCES loans (id),
    bank_org_id INTEGER NOT NULL REFERENCES organisations (id),
    -- submitted | approved | rejected | paid.
    status TEXT NOT NULL,
    -- The principal lost, and what the pool owes on it under the rules in force.
    loss_fen INTEGER NOT NULL CHECK (loss_fen > 0),
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    note TEXT NOT NULL DEFAULT '',
    status_reason TEXT,
    year INTEGER NOT NULL,
    transfer_id INTEGER REFERENCES ledger_transfers (id),
    paid_on TEXT,
    -- Recovered after compensation, and the pool's part of it returned.
    recovered_fen INTEGER NOT NULL DEFAULT 0,
    returned_fen INTEGER NOT NULL DEFAULT 0,
    submitted_by INTEGER REFERENCES users (id),
    decided_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX credit_claims_live_key ON credit_claims (loan_id) WHERE status <> 'rejected';
CREATE INDEX credit_claims_bank_idx ON credit_claims (bank_org_id, id);
CREATE INDEX credit_claims_status_idx ON credit_claims (status, id);

-- What the pool has paid each bank in a year (the yearly cap is a conditional update here).
CREATE TABLE credit_bank_years (
    bank_org_id INTEGER NOT NULL REFERENCES organisations (id),
    year INTEGER NOT NULL,
    compensated_fen INTEGER NOT NULL DEFAULT 0 CHECK (compensated_fen >= 0),
    PRIMARY KEY (bank_org_id, year)
);

-- Each bank's non-performing ratio as last recomputed, and its circuit breaker.
CREATE TABLE credit_bank_risk (
    bank_org_id INTEGER PRIMARY KEY REFERENCES organisations (id),
    outstanding_fen INTEGER NOT NULL,
    nonperforming_fen INTEGER NOT NULL,
    npl_bp INTEGER NOT NULL,
    -- normal | warning | breaker.
    level TEXT NOT NULL,
    breaker_on BOOLEAN NOT NULL DEFAULT FALSE,
    tripped_at INTEGER,
    lifted_at INTEGER,
    lifted_by INTEGER REFERENCES users (id),
    lift_reason TEXT,
    updated_at INTEGER NOT NULL
);
