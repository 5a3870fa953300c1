-- The capital side of incubation: funds with their managers, sub-funds and carriers' seed
-- funds; investments by funds in enterprises with follow-ons and exits; 先投后股 projects.
-- Fund figures in thousand yuan (千元, as the statistics forms); investments, valuations and
-- grants in fen; dates as YYYY-MM-DD (China time); instants in ms since 1970.

-- A guidance fund's sub-fund names its parent and what the parent put in; a carrier's seed
-- fund names the carrier. `invested_fen` is the sum of the fund's investments, kept by the
-- same statement that writes one, so a fund never invests beyond its size.
ALTER TABLE funds ADD COLUMN parent_fund_id INTEGER REFERENCES funds (id);
ALTER TABLE funds ADD COLUMN from_parent_k INTEGER NOT NULL DEFAULT 0 CHECK (from_parent_k >= 0);
ALTER TABLE funds ADD COLUMN carrier_id INTEGER REFERENCES carriers (id);
ALTER TABLE funds ADD COLUMN paid_in_k INTEGER NOT NULL DEFAULT 0 CHECK (paid_in_k >= 0);
ALTER TABLE funds ADD COLUMN government_k INTEGER NOT NULL DEFAULT 0 CHECK (government_k >= 0);
-- raising | investing | exiting | closed (fruition_domain::fund::FundStatus).
ALTER TABLE funds ADD COLUMN status TEXT NOT NULL DEFAULT 'investing';
ALTER TABLE funds ADD COLUMN closed_year INTEGER;
ALTER TABLE funds ADD COLUMN invested_fen INTEGER NOT NULL DEFAULT 0 CHECK (invested_fen >= 0);
ALTER TABLE funds ADD COLUMN created_by INTEGER REFERENCES users (id);
CREATE INDEX funds_manager_idx ON funds (manager_org_id);
CREATE INDEX funds_parent_idx ON funds (parent_fund_id);
CREATE INDEX funds_carrier_idx ON funds (carrier_id);

-- The industrial chains a fund focuses on.
CREATE TABLE fund_chains (
    fund_id INTEGER NOT NULL REFERENCES funds (id),
    chain_code TEXT NOT NULL,
    PRIMARY KEY (fund_id, chain_code)
);

-- One investment: a round's part taken by a fund (a follow-on is a later investment in the
-- same enterprise). A deal on a capital listing may end in one.
CREATE TABLE investments (
    id INTEGER PRIMARY KEY,
    fund_id INTEGER NOT NULL REFERENCES funds (id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    -- seed | angel | pre_a | a | b | c | later | strategic | pre_ipo (fruition_domain::investment::Round).
    round TEXT NOT NULL,
    -- equity | convertible.
    instrument TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    invested_on TEXT NOT NULL,
    post_money_fen INTEGER CHECK (post_money_fen IS NULL OR post_money_fen >= amount_fen),
    deal_id INTEGER REFERENCES deals (id),
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX investments_fund_idx ON investments (fund_id, enterprise_id, amount_fen, post_money_fen);
CREATE INDEX investments_enterprise_idx ON investments (enterprise_id, invested_on, post_money_fen);
CREATE INDEX investments_date_idx ON investments (invested_on, enterprise_id, amount_fen);

-- A fund's position in an enterprise: what it put in, the cost of what it exited, what the
-- exits brought, and what is left marked to the enterprise's latest recorded valuation
-- (fruition_domain::investment::Position). Kept by the transactions that write investments and
-- exits (an exit never takes out more than is left; a new valuation re-marks every position
-- in the enterprise), so a portfolio's figures are one aggregate.
CREATE TABLE fund_positions (
    fund_id INTEGER NOT NULL REFERENCES funds (id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    invested_fen INTEGER NOT NULL CHECK (invested_fen >= 0),
    exited_cost_fen INTEGER NOT NULL DEFAULT 0 CHECK (exited_cost_fen >= 0 AND exited_cost_fen <= invested_fen),
    proceeds_fen INTEGER NOT NULL DEFAULT 0 CHECK (proceeds_fen >= 0),
    value_fen INTEGER NOT NULL DEFAULT 0 CHECK (value_fen >= 0),
    written_off BOOLEAN NOT NULL DEFAULT FALSE,
    -- The enterprise was in one of the city's (active) industrial chains when the fund first
    -- invested in it.
    in_chain BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (fund_id, enterprise_id)
);
CREATE INDEX fund_positions_enterprise_idx ON fund_positions (enterprise_id);
-- Covers the portfolio figures: one ordered pass per fund, no table reads.
CREATE INDEX fund_positions_figures_idx ON fund_positions (fund_id, invested_fen, exited_cost_fen, proceeds_fen, value_fen, in_chain);

-- An exit from a position (all of what is left, or part of it).
CREATE TABLE investment_exits (
    id INTEGER PRIMARY KEY,
    fund_id INTEGER NOT NULL REFERENCES funds (id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    -- transfer | buy_back | ipo | liquidation | write_off (fruition_domain::investment::ExitKind).
    kind TEXT NOT NULL,
    exited_on TEXT NOT NULL,
    cost_fen INTEGER NOT NULL CHECK (cost_fen > 0),
    proceeds_fen INTEGER NOT NULL CHECK (proceeds_fen >= 0),
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX investment_exits_position_idx ON investment_exits (fund_id, enterprise_id);

-- 先投后股: project funding granted by the bureau (or a fund it names) with no equity
-- registered; the first market-priced round triggers conversion at its valuation less the
-- discount (让利); the shares are computed exactly, registered, held, then exited or written off.
CREATE TABLE equity_grants (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    title TEXT NOT NULL,
    fund_id INTEGER REFERENCES funds (id),
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    granted_on TEXT NOT NULL,
    discount_bp INTEGER NOT NULL CHECK (discount_bp >= 0 AND discount_bp <= 9000),
    -- granted | triggered | converted | held | exited | written_off (fruition_domain::equity_grant).
    status TEXT NOT NULL,
    -- The round that triggered conversion: a recorded investment, or the round as the bureau noted it.
    trigger_investment_id INTEGER REFERENCES investments (id),
    trigger_round TEXT,
    triggered_on TEXT,
    valuation_fen INTEGER,
    shares_before INTEGER,
    shares INTEGER,
    converted_on TEXT,
    registered_on TEXT,
    registration_no TEXT,
    exit_kind TEXT,
    exited_on TEXT,
    proceeds_fen INTEGER,
    counterparty TEXT,
    written_off_on TEXT,
    write_off_reason TEXT,
    liability_exempt BOOLEAN,
    exemption_note TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX equity_grants_enterprise_idx ON equity_grants (enterprise_id, status);
CREATE INDEX equity_grants_fund_idx ON equity_grants (fund_id);

CREATE TABLE equity_grant_milestones (
    id INTEGER PRIMARY KEY,
    grant_id INTEGER NOT NULL REFERENCES equity_grants (id),
    title TEXT NOT NULL,
    due_on TEXT,
    achieved_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX equity_grant_milestones_grant_idx ON equity_grant_milestones (grant_id);

-- A capital listing names the fund that offers it.
ALTER TABLE listings ADD COLUMN fund_id INTEGER REFERENCES funds (id);
