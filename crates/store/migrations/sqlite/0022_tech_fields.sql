-- no-transaction
-- Technical fields (技术领域): listings, contract submissions and the register carry the national
-- classification of technology contract registration statistics (fruition_domain::tech_field::
-- TechField, its snake_case code), so an achievement outside the city's industrial chains can be
-- published; the chain stays as an optional second tag for the city's statistics. Records made
-- when the chain was the only field get the field of their chain by the fixed default mapping
-- (TechField::of_chain; a chain the bureau added maps to none). The register's running totals
-- keep the chains under the dimension `chain` and count `field` by technical field.
--
-- SQLite cannot drop NOT NULL from contract_submissions.chain_code (a submission's chain is now
-- optional), so that table is rebuilt (the documented procedure: foreign keys off outside the
-- transaction, rebuild, on again).
PRAGMA foreign_keys = OFF;
BEGIN;

ALTER TABLE listings ADD COLUMN tech_field TEXT;
UPDATE listings SET tech_field = CASE chain_code
        WHEN 'rail_transit' THEN 'modern_transport'
        WHEN 'new_materials' THEN 'new_materials'
        WHEN 'ceramics' THEN 'new_materials'
        WHEN 'cemented_carbide' THEN 'new_materials'
        WHEN 'information_technology' THEN 'electronic_information'
        WHEN 'electronic_information' THEN 'electronic_information'
        WHEN 'advanced_manufacturing' THEN 'advanced_manufacturing'
        WHEN 'new_energy' THEN 'new_energy'
        WHEN 'medical_devices' THEN 'biomedicine'
        WHEN 'aviation' THEN 'aerospace'
    END;

ALTER TABLE tech_contracts ADD COLUMN tech_field TEXT;
UPDATE tech_contracts SET tech_field = CASE chain_code
        WHEN 'rail_transit' THEN 'modern_transport'
        WHEN 'new_materials' THEN 'new_materials'
        WHEN 'ceramics' THEN 'new_materials'
        WHEN 'cemented_carbide' THEN 'new_materials'
        WHEN 'information_technology' THEN 'electronic_information'
        WHEN 'electronic_information' THEN 'electronic_information'
        WHEN 'advanced_manufacturing' THEN 'advanced_manufacturing'
        WHEN 'new_energy' THEN 'new_energy'
        WHEN 'medical_devices' THEN 'biomedicine'
        WHEN 'aviation' THEN 'aerospace'
    END;

UPDATE contract_totals SET dimension = 'chain' WHERE dimension = 'field';
INSERT INTO contract_totals SELECT year, 'field', COALESCE(tech_field, ''), COUNT(*), SUM(contract_amount_fen), SUM(tech_amount_fen) FROM tech_contracts GROUP BY year, COALESCE(tech_field, '');

-- Saved searches: their `field` was a chain's code; it is now the chain filter.
UPDATE saved_searches SET query = REPLACE(query, '"field":', '"chain":');

CREATE TABLE contract_submissions_rebuilt (
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
    -- One of the city's industrial chains (optional since 0022).
    chain_code TEXT,
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
    updated_at INTEGER NOT NULL,
    -- The technical field (fruition_domain::tech_field::TechField).
    tech_field TEXT
);

INSERT INTO contract_submissions_rebuilt (id, status, contract_type, title, seller_name, seller_uscc, seller_org_id,
    buyer_name, buyer_uscc, buyer_org_id, contract_amount_fen, tech_amount_fen, chain_code, signed_on, starts_on, ends_on,
    file_name, file_type, file_size, file_bytes, submitter_org_id, submitted_by, submitted_at, reason, reviewed_by,
    reviewed_at, created_at, updated_at, tech_field)
SELECT id, status, contract_type, title, seller_name, seller_uscc, seller_org_id,
    buyer_name, buyer_uscc, buyer_org_id, contract_amount_fen, tech_amount_fen, chain_code, signed_on, starts_on, ends_on,
    file_name, file_type, file_size, file_bytes, submitter_org_id, submitted_by, submitted_at, reason, reviewed_by,
    reviewed_at, created_at, updated_at, CASE chain_code
        WHEN 'rail_transit' THEN 'modern_transport'
        WHEN 'new_materials' THEN 'new_materials'
        WHEN 'ceramics' THEN 'new_materials'
        WHEN 'cemented_carbide' THEN 'new_materials'
        WHEN 'information_technology' THEN 'electronic_information'
        WHEN 'electronic_information' THEN 'electronic_information'
        WHEN 'advanced_manufacturing' THEN 'advanced_manufacturing'
        WHEN 'new_energy' THEN 'new_energy'
        WHEN 'medical_devices' THEN 'biomedicine'
        WHEN 'aviation' THEN 'aerospace'
    END
FROM contract_submissions;

DROP TABLE contract_submissions;
ALTER TABLE contract_submissions_rebuilt RENAME TO contract_submissions;
CREATE INDEX contract_submissions_status_idx ON contract_submissions (status, submitted_at);
CREATE INDEX contract_submissions_submitter_idx ON contract_submissions (submitter_org_id, updated_at);
CREATE INDEX contract_submissions_seller_idx ON contract_submissions (seller_org_id);
CREATE INDEX contract_submissions_buyer_idx ON contract_submissions (buyer_org_id);

COMMIT;
PRAGMA foreign_keys = ON;
