-- An approved report's figures over all its incubatees: one row per report, with its year and carrier,
-- written and removed with its rows in report_rollups. Trends read one row per carrier and year
-- (10,000 rows at 2,000 carriers) instead of summing every by-chain row.
CREATE TABLE report_totals (
    report_id INTEGER PRIMARY KEY REFERENCES carrier_reports (id),
    year INTEGER NOT NULL,
    carrier_id INTEGER NOT NULL REFERENCES carriers (id),
    incubatees INTEGER NOT NULL,
    employees INTEGER NOT NULL,
    doctors INTEGER NOT NULL,
    returnees INTEGER NOT NULL,
    fresh_graduates INTEGER NOT NULL,
    high_level_talent INTEGER NOT NULL,
    revenue_k INTEGER NOT NULL,
    rd_spending_k INTEGER NOT NULL,
    taxes_k INTEGER NOT NULL,
    funding_raised_k INTEGER NOT NULL,
    patent_applications INTEGER NOT NULL,
    invention_applications INTEGER NOT NULL,
    patent_grants INTEGER NOT NULL,
    invention_grants INTEGER NOT NULL,
    valid_ip INTEGER NOT NULL,
    software_copyrights INTEGER NOT NULL,
    tech_contracts INTEGER NOT NULL,
    tech_contract_amount_k INTEGER NOT NULL
);

CREATE INDEX report_totals_year_idx ON report_totals (year, carrier_id);

INSERT INTO report_totals (report_id, year, carrier_id, incubatees, employees, doctors, returnees, fresh_graduates, high_level_talent, revenue_k, rd_spending_k, taxes_k, funding_raised_k, patent_applications, invention_applications, patent_grants, invention_grants, valid_ip, software_copyrights, tech_contracts, tech_contract_amount_k)
SELECT u.report_id, r.year, r.carrier_id, SUM(u.incubatees), SUM(u.employees), SUM(u.doctors), SUM(u.returnees), SUM(u.fresh_graduates), SUM(u.high_level_talent), SUM(u.revenue_k), SUM(u.rd_spending_k), SUM(u.taxes_k), SUM(u.funding_raised_k), SUM(u.patent_applications), SUM(u.invention_applications), SUM(u.patent_grants), SUM(u.invention_grants), SUM(u.valid_ip), SUM(u.software_copyrights), SUM(u.tech_contracts), SUM(u.tech_contract_amount_k)
FROM report_rollups u JOIN carrier_reports r ON r.id = u.report_id
GROUP BY u.report_id, r.year, r.carrier_id;

-- Enterprises by zone and chain are counted from the index alone.
DROP INDEX enterprises_zone_idx;
CREATE INDEX enterprises_zone_chain_idx ON enterprises (zone_id, chain_code);
