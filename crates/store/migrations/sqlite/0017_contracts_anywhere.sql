-- Technology contracts concluded anywhere (技术合同认定登记): a party, or the registration office on
-- its behalf, submits a contract signed outside the market with its signed file; the office
-- recognises it (numbered in the same register and serials as market deals), returns it with a
-- reason (the submitter fixes and resubmits) or refuses it. The register keeps amounts in fen,
-- each party's name, USCC and the division that registered it (inside or outside the city), and
-- running totals by year and dimension written in the transaction that registers.

CREATE TABLE contract_submissions (
    id INTEGER PRIMARY KEY,
    -- submitted | recognised | returned | refused (fruition_domain::contract::SubmissionStatus).
    status TEXT NOT NULL,
    contract_type TEXT NOT NULL,
    title TEXT NOT NULL,
    seller_name TEXT NOT NULL,
    seller_uscc TEXT NOT NULL,
    -- The platform's organisation with that USCC, when there is one.
    seller_org_id INTEGER REFERENCES organisations (id),
    buyer_name TEXT NOT NULL,
    buyer_uscc TEXT NOT NULL,
    buyer_org_id INTEGER REFERENCES organisations (id),
    contract_amount_fen INTEGER NOT NULL CHECK (contract_amount_fen > 0),
    tech_amount_fen INTEGER NOT NULL CHECK (tech_amount_fen >= 0 AND tech_amount_fen <= contract_amount_fen),
    chain_code TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    -- The signed contract (PDF or image, at most 10 MB, checked before it is read).
    file_name TEXT NOT NULL,
    file_type TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    file_bytes BLOB NOT NULL,
    -- Who submitted: a party's organisation, or the bureau on a party's behalf.
    submitter_org_id INTEGER NOT NULL REFERENCES organisations (id),
    submitted_by INTEGER REFERENCES users (id),
    submitted_at INTEGER NOT NULL,
    -- Why the office returned or refused it.
    reason TEXT,
    reviewed_by INTEGER REFERENCES users (id),
    reviewed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX contract_submissions_status_idx ON contract_submissions (status, submitted_at);
CREATE INDEX contract_submissions_submitter_idx ON contract_submissions (submitter_org_id, updated_at);
CREATE INDEX contract_submissions_seller_idx ON contract_submissions (seller_org_id);
CREATE INDEX contract_submissions_buyer_idx ON contract_submissions (buyer_org_id);

CREATE TABLE tech_contracts_new (
    id INTEGER PRIMARY KEY,
    -- market (a deal) | submitted (a contract concluded anywhere).
    source TEXT NOT NULL,
    deal_id INTEGER REFERENCES deals (id),
    submission_id INTEGER REFERENCES contract_submissions (id),
    registration_no TEXT NOT NULL,
    year INTEGER NOT NULL,
    serial INTEGER NOT NULL,
    registered_on TEXT NOT NULL,
    contract_type TEXT NOT NULL,
    seller_org_id INTEGER REFERENCES organisations (id),
    buyer_org_id INTEGER REFERENCES organisations (id),
    seller_name TEXT NOT NULL,
    buyer_name TEXT NOT NULL,
    seller_uscc TEXT,
    buyer_uscc TEXT,
    -- The 6-digit division that registered each party (USCC positions 3–8), NULL when unknown.
    seller_division TEXT,
    buyer_division TEXT,
    contract_amount_fen INTEGER NOT NULL,
    tech_amount_fen INTEGER NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    chain_code TEXT,
    carrier_id INTEGER REFERENCES carriers (id),
    registered_by INTEGER REFERENCES users (id),
    registered_at INTEGER NOT NULL,
    outcome TEXT,
    outcome_on TEXT,
    outcome_reason TEXT,
    outcome_by INTEGER REFERENCES users (id),
    updated_at INTEGER NOT NULL,
    CHECK ((deal_id IS NOT NULL) <> (submission_id IS NOT NULL)),
    CONSTRAINT tech_contracts_deal_id_key UNIQUE (deal_id),
    CONSTRAINT tech_contracts_submission_id_key UNIQUE (submission_id),
    CONSTRAINT tech_contracts_registration_no_key UNIQUE (registration_no)
);

INSERT INTO tech_contracts_new (id, source, deal_id, submission_id, registration_no, year, serial, registered_on, contract_type,
    seller_org_id, buyer_org_id, seller_name, buyer_name, seller_uscc, buyer_uscc, seller_division, buyer_division,
    contract_amount_fen, tech_amount_fen, starts_on, ends_on, chain_code, carrier_id, registered_by, registered_at,
    outcome, outcome_on, outcome_reason, outcome_by, updated_at)
SELECT k.id, 'market', k.deal_id, NULL, k.registration_no, k.year, k.serial, k.registered_on, k.contract_type,
    k.seller_org_id, k.buyer_org_id, s.name, b.name, s.uscc, b.uscc, substr(s.uscc, 3, 6), substr(b.uscc, 3, 6),
    k.contract_amount_k * 100000, k.tech_amount_k * 100000, k.starts_on, k.ends_on, k.chain_code, k.carrier_id, k.registered_by, k.registered_at,
    k.outcome, k.outcome_on, k.outcome_reason, k.outcome_by, k.updated_at
FROM tech_contracts k JOIN organisations s ON s.id = k.seller_org_id JOIN organisations b ON b.id = k.buyer_org_id;

DROP TABLE tech_contracts;
ALTER TABLE tech_contracts_new RENAME TO tech_contracts;
CREATE INDEX tech_contracts_year_idx ON tech_contracts (year, serial);
CREATE INDEX tech_contracts_seller_idx ON tech_contracts (seller_org_id);
CREATE INDEX tech_contracts_buyer_idx ON tech_contracts (buyer_org_id);

-- Running totals of the register by year of registration and one dimension: all (code ''), type,
-- field (chain code), carrier (id), seller_place / buyer_place (the party's division code, ''
-- unknown), source. Written in the transaction that registers, so the statistics read a few rows.
CREATE TABLE contract_totals (
    year INTEGER NOT NULL,
    dimension TEXT NOT NULL,
    code TEXT NOT NULL,
    contracts INTEGER NOT NULL,
    contract_amount_fen INTEGER NOT NULL,
    tech_amount_fen INTEGER NOT NULL,
    PRIMARY KEY (year, dimension, code)
);

INSERT INTO contract_totals SELECT year, 'all', '', COUNT(*), SUM(contract_amount_fen), SUM(tech_amount_fen) FROM tech_contracts GROUP BY year;
INSERT INTO contract_totals SELECT year, 'type', contract_type, COUNT(*), SUM(contract_amount_fen), SUM(tech_amount_fen) FROM tech_contracts GROUP BY year, contract_type;
INSERT INTO contract_totals SELECT year, 'field', COALESCE(chain_code, ''), COUNT(*), SUM(contract_amount_fen), SUM(tech_amount_fen) FROM tech_contracts GROUP BY year, COALESCE(chain_code, '');
INSERT INTO contract_totals SELECT year, 'carrier', COALESCE(CAST(carrier_id AS TEXT), ''), COUNT(*), SUM(contract_amount_fen), SUM(tech_amount_fen) FROM tech_contracts GROUP BY year, COALESCE(CAST(carrier_id AS TEXT), '');
INSERT INTO contract_totals SELECT year, 'seller_place', COALESCE(seller_division, ''), COUNT(*), SUM(contract_amount_fen), SUM(tech_amount_fen) FROM tech_contracts GROUP BY year, COALESCE(seller_division, '');
INSERT INTO contract_totals SELECT year, 'buyer_place', COALESCE(buyer_division, ''), COUNT(*), SUM(contract_amount_fen), SUM(tech_amount_fen) FROM tech_contracts GROUP BY year, COALESCE(buyer_division, '');
INSERT INTO contract_totals SELECT year, 'source', source, COUNT(*), SUM(contract_amount_fen), SUM(tech_amount_fen) FROM tech_contracts GROUP BY year, source;
