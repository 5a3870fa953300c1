-- The registry of carriers and enterprises, their statistics and yearly reports, spin-off lineages,
-- and the reference data the bureau keeps (functional zones, industrial chains, funds).
-- Dates are ISO 8601 text (YYYY-MM-DD); money is in thousand yuan (千元) as the Torch forms use it.

CREATE TABLE instance_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE zones (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    county_code TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT zones_code_key UNIQUE (code),
    CONSTRAINT zones_name_zh_key UNIQUE (name_zh)
);

CREATE TABLE chains (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    divisions TEXT NOT NULL,
    sort_order INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT chains_code_key UNIQUE (code),
    CONSTRAINT chains_name_zh_key UNIQUE (name_zh)
);

CREATE TABLE carriers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    operator_org_id INTEGER NOT NULL REFERENCES organisations (id),
    county_code TEXT NOT NULL,
    zone_id INTEGER REFERENCES zones (id),
    address TEXT,
    floor_area_m2 INTEGER,
    focus_chains TEXT NOT NULL DEFAULT '',
    established_year INTEGER NOT NULL,
    status TEXT NOT NULL,
    revoked_on TEXT,
    revoked_reason TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT carriers_name_key UNIQUE (name)
);
CREATE INDEX carriers_operator_idx ON carriers (operator_org_id);
CREATE INDEX carriers_place_idx ON carriers (county_code, zone_id);

CREATE TABLE carrier_ratings (
    id INTEGER PRIMARY KEY,
    carrier_id INTEGER NOT NULL REFERENCES carriers (id),
    level TEXT NOT NULL,
    level_rank INTEGER NOT NULL,
    year_granted INTEGER NOT NULL,
    granting_body TEXT NOT NULL,
    document_no TEXT,
    created_at INTEGER NOT NULL,
    CONSTRAINT carrier_ratings_carrier_level_key UNIQUE (carrier_id, level, year_granted)
);
CREATE INDEX carrier_ratings_carrier_idx ON carrier_ratings (carrier_id, year_granted);

CREATE TABLE enterprises (
    id INTEGER PRIMARY KEY,
    uscc TEXT NOT NULL,
    name TEXT NOT NULL,
    founded_on TEXT,
    county_code TEXT NOT NULL,
    zone_id INTEGER REFERENCES zones (id),
    chain_code TEXT,
    industry_division TEXT,
    high_tech BOOLEAN NOT NULL DEFAULT FALSE,
    tech_sme BOOLEAN NOT NULL DEFAULT FALSE,
    parent_id INTEGER REFERENCES enterprises (id),
    org_id INTEGER REFERENCES organisations (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT enterprises_uscc_key UNIQUE (uscc)
);
CREATE INDEX enterprises_parent_idx ON enterprises (parent_id);
CREATE INDEX enterprises_zone_idx ON enterprises (zone_id);
CREATE INDEX enterprises_org_idx ON enterprises (org_id);
CREATE INDEX enterprises_name_idx ON enterprises (name);

CREATE TABLE incubations (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    carrier_id INTEGER NOT NULL REFERENCES carriers (id),
    entered_on TEXT NOT NULL,
    exited_on TEXT,
    exit_kind TEXT,
    exit_reason TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- At most one open incubation spell per enterprise.
CREATE UNIQUE INDEX incubations_open_key ON incubations (enterprise_id) WHERE exited_on IS NULL;
CREATE INDEX incubations_carrier_idx ON incubations (carrier_id, entered_on);

CREATE TABLE carrier_reports (
    id INTEGER PRIMARY KEY,
    carrier_id INTEGER NOT NULL REFERENCES carriers (id),
    year INTEGER NOT NULL,
    status TEXT NOT NULL,
    staff INTEGER,
    mentors INTEGER,
    floor_area_m2 INTEGER,
    incubation_fund_k INTEGER,
    events_held INTEGER,
    graduated_in_year INTEGER,
    submitted_at INTEGER,
    decided_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT carrier_reports_carrier_year_key UNIQUE (carrier_id, year)
);
CREATE INDEX carrier_reports_year_idx ON carrier_reports (year, status);

CREATE TABLE report_reviews (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES carrier_reports (id),
    action TEXT NOT NULL,
    comment TEXT,
    actor_user_id INTEGER REFERENCES users (id),
    at INTEGER NOT NULL
);
CREATE INDEX report_reviews_report_idx ON report_reviews (report_id, at);

CREATE TABLE enterprise_indicators (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    year INTEGER NOT NULL,
    report_id INTEGER REFERENCES carrier_reports (id),
    employees INTEGER NOT NULL DEFAULT 0,
    doctors INTEGER NOT NULL DEFAULT 0,
    returnees INTEGER NOT NULL DEFAULT 0,
    fresh_graduates INTEGER NOT NULL DEFAULT 0,
    high_level_talent INTEGER NOT NULL DEFAULT 0,
    revenue_k INTEGER NOT NULL DEFAULT 0,
    rd_spending_k INTEGER NOT NULL DEFAULT 0,
    taxes_k INTEGER NOT NULL DEFAULT 0,
    funding_raised_k INTEGER NOT NULL DEFAULT 0,
    patent_applications INTEGER NOT NULL DEFAULT 0,
    invention_applications INTEGER NOT NULL DEFAULT 0,
    patent_grants INTEGER NOT NULL DEFAULT 0,
    invention_grants INTEGER NOT NULL DEFAULT 0,
    valid_ip INTEGER NOT NULL DEFAULT 0,
    software_copyrights INTEGER NOT NULL DEFAULT 0,
    tech_contracts INTEGER NOT NULL DEFAULT 0,
    tech_contract_amount_k INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT enterprise_indicators_enterprise_year_key UNIQUE (enterprise_id, year)
);
CREATE INDEX enterprise_indicators_year_idx ON enterprise_indicators (year, report_id);
CREATE INDEX enterprise_indicators_report_idx ON enterprise_indicators (report_id);

-- An approved report's figures summed by industrial chain: written when the report is approved,
-- removed when it is reopened. Statistics read these, so they stay fast at a million indicator rows.
CREATE TABLE report_rollups (
    report_id INTEGER NOT NULL REFERENCES carrier_reports (id),
    chain_code TEXT NOT NULL,
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
    tech_contract_amount_k INTEGER NOT NULL,
    PRIMARY KEY (report_id, chain_code)
);

CREATE TABLE funds (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    manager_org_id INTEGER REFERENCES organisations (id),
    size_k INTEGER NOT NULL,
    for_incubatees BOOLEAN NOT NULL DEFAULT TRUE,
    established_year INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT funds_name_key UNIQUE (name)
);

CREATE TABLE spinoff_stages (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER NOT NULL REFERENCES enterprises (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT spinoff_stages_parent_position_key UNIQUE (parent_id, position)
);

CREATE TABLE spinoff_projects (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER NOT NULL REFERENCES enterprises (id),
    name TEXT NOT NULL,
    stage_position INTEGER NOT NULL,
    started_on TEXT NOT NULL,
    -- Named in the annual report (the seed names some spin-offs and counts the rest).
    notable BOOLEAN NOT NULL DEFAULT FALSE,
    enterprise_id INTEGER REFERENCES enterprises (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT spinoff_projects_parent_name_key UNIQUE (parent_id, name)
);
CREATE INDEX spinoff_projects_parent_idx ON spinoff_projects (parent_id);

CREATE TABLE spinoff_milestones (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES spinoff_projects (id),
    position INTEGER NOT NULL,
    reached_on TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT spinoff_milestones_project_position_key UNIQUE (project_id, position)
);
