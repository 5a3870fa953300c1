-- An approved report's figures over all its incubatees: one row per report, with its year and carrier,
-- written and removed with its rows in report_rollups. Trends read one row per carrier and year
-- (10,000 rows at 2,000 carriers) instead of summing every by-chain row.
CREATE TABLE report_totals (
    report_id BIGINT PRIMARY KEY REFERENCES carrier_reports (id),
    year BIGINT NOT NULL,
    carrier_id BIGINT NOT NULL REFERENCES carriers (id),
    incubatees BIGINT NOT NULL,
    employees BIGINT NOT NULL,
    doctors BIGINT NOT NULL,
    returnees BIGINT NOT NULL,
    fresh_graduates BIGINT NOT NULL,
    high_level_talent BIGINT NOT NULL,
    revenue_k BIGINT NOT NULL,
    rd_spending_k BIGINT NOT NULL,
    taxes_k BIGINT NOT NULL,
    funding_raised_k BIGINT NOT NULL,
    patent_applications BIGINT NOT NULL,
    invention_applications BIGINT NOT NULL,
    patent_grants BIGINT NOT NULL,
    invention_grants BIGINT NOT NULL,
    valid_ip BIGINT NOT NULL,
    software_copyrights BIGINT NOT NULL,
    tech_contracts BIGINT NOT NULL,
    tech_contract_amount_k BIGINT NOT NULL
);

CREATE INDEX report_totals_year_idx ON report_totals (year, carrier_id);

INSERT INTO report_totals (report_id, year, carrier_id, incubatees, employees, doctors, returnees, fresh_graduates, high_level_talent, revenue_k, rd_spending_k, taxes_k, funding_raised_k, patent_applications, invention_applications, patent_grants, invention_grants, valid_ip, software_copyrights, tech_contracts, tech_contract_amount_k)
SELECT u.report_id, r.year, r.carrier_id, SUM(u.incubatees), SUM(u.employees), SUM(u.doctors), SUM(u.returnees), SUM(u.fresh_graduates), SUM(u.high_level_talent), SUM(u.revenue_k), SUM(u.rd_spending_k), SUM(u.taxes_k), SUM(u.funding_raised_k), SUM(u.patent_applications), SUM(u.invention_applications), SUM(u.patent_grants), SUM(u.invention_grants), SUM(u.valid_ip), SUM(u.software_copyrights), SUM(u.tech_contracts), SUM(u.tech_contract_amount_k)
FROM report_rollups u JOIN carrier_reports r ON r.id = u.report_id
GROUP BY u.report_id, r.year, r.carrier_id;

-- Enterprises by zone and chain are counted from the index alone.
DROP INDEX enterprises_zone_idx;
CREATE INDEX enterprises_zone_chain_idx ON enterprises (zone_id, chain_code);
