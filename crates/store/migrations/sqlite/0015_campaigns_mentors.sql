-- Need-collection campaigns (挖掘双创载体在孵企业需求) and startup mentors (创业导师).
-- Dates as YYYY-MM-DD (China time); instants in ms since 1970.

-- A campaign the bureau opens: a theme, the chains it asks about (none: every chain), a deadline.
CREATE TABLE need_campaigns (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    theme TEXT NOT NULL DEFAULT '',
    opens_on TEXT NOT NULL,
    deadline TEXT NOT NULL,
    -- open | closed (fruition_domain::campaign::CampaignStatus).
    status TEXT NOT NULL DEFAULT 'open',
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX need_campaigns_status_idx ON need_campaigns (status, deadline);

CREATE TABLE need_campaign_chains (
    campaign_id INTEGER NOT NULL REFERENCES need_campaigns (id),
    chain_code TEXT NOT NULL,
    PRIMARY KEY (campaign_id, chain_code)
);

-- A firm a carrier asked during a campaign, with what came of it (one row per firm and
-- campaign; collecting a need records the firm as asked).
CREATE TABLE campaign_contacts (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES need_campaigns (id),
    carrier_id INTEGER NOT NULL REFERENCES carriers (id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    -- need_collected | no_need | declined (fruition_domain::campaign::ContactOutcome).
    outcome TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    asked_on TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT campaign_contacts_enterprise_key UNIQUE (campaign_id, enterprise_id)
);
CREATE INDEX campaign_contacts_carrier_idx ON campaign_contacts (campaign_id, carrier_id);

-- A need collected in a campaign: the market listing it became.
CREATE TABLE campaign_needs (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES need_campaigns (id),
    carrier_id INTEGER NOT NULL REFERENCES carriers (id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    listing_id INTEGER NOT NULL REFERENCES listings (id),
    collected_by INTEGER REFERENCES users (id),
    collected_at INTEGER NOT NULL,
    CONSTRAINT campaign_needs_listing_id_key UNIQUE (listing_id)
);
CREATE INDEX campaign_needs_carrier_idx ON campaign_needs (campaign_id, carrier_id);

-- A mentor's profile, kept by the carrier operator that engaged the mentor.
CREATE TABLE mentors (
    id INTEGER PRIMARY KEY,
    operator_org_id INTEGER NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    employer TEXT NOT NULL DEFAULT '',
    expertise TEXT NOT NULL,
    chain_code TEXT,
    phone TEXT,
    email TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX mentors_operator_idx ON mentors (operator_org_id);

-- A mentor guiding an incubatee of a carrier from one day (to another).
CREATE TABLE mentorships (
    id INTEGER PRIMARY KEY,
    mentor_id INTEGER NOT NULL REFERENCES mentors (id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (id),
    carrier_id INTEGER NOT NULL REFERENCES carriers (id),
    started_on TEXT NOT NULL,
    ended_on TEXT,
    -- Minutes of the sessions recorded, kept by the statement that records one.
    minutes INTEGER NOT NULL DEFAULT 0 CHECK (minutes >= 0),
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX mentorships_carrier_idx ON mentorships (carrier_id, started_on, ended_on, mentor_id);
CREATE INDEX mentorships_mentor_idx ON mentorships (mentor_id);
-- A mentor guides an enterprise in one relationship at a time.
CREATE UNIQUE INDEX mentorships_enterprise_id_key ON mentorships (enterprise_id, mentor_id) WHERE ended_on IS NULL;
CREATE INDEX mentorships_enterprise_idx ON mentorships (enterprise_id);

-- One mentoring session: when, how long, about what.
CREATE TABLE mentoring_sessions (
    id INTEGER PRIMARY KEY,
    mentorship_id INTEGER NOT NULL REFERENCES mentorships (id),
    held_on TEXT NOT NULL,
    minutes INTEGER NOT NULL CHECK (minutes > 0 AND minutes <= 1440),
    topic TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX mentoring_sessions_mentorship_idx ON mentoring_sessions (mentorship_id, held_on);
