-- Technical fields (技术领域): listings, contract submissions and the register carry the national
-- classification of technology contract registration statistics (fruition_domain::tech_field::
-- TechField, its snake_case code), so an achievement outside the city's industrial chains can be
-- published; the chain stays as an optional second tag for the city's statistics. Records made
-- when the chain was the only field get the field of their chain by the fixed default mapping
-- (TechField::of_chain; a chain the bureau added maps to none). The register's running totals
-- keep the chains under the dimension `chain` and count `field` by technical field.

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

ALTER TABLE contract_submissions ADD COLUMN tech_field TEXT;
UPDATE contract_submissions SET tech_field = CASE chain_code
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
ALTER TABLE contract_submissions ALTER COLUMN chain_code DROP NOT NULL;
