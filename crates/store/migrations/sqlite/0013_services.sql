-- One-stop services (一站式服务): what the bureau, carrier operators and service agencies offer,
-- and the requests enterprises make, tracked from asking to rating.

CREATE TABLE services (
    id INTEGER PRIMARY KEY,
    provider_org_id INTEGER NOT NULL REFERENCES organisations (id),
    -- fruition_domain::service::ServiceCategory.
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    -- anyone | incubatees | chains (fruition_domain::service::Audience).
    audience TEXT NOT NULL,
    -- For `chains`: the industrial chains' codes, comma-separated.
    audience_chains TEXT NOT NULL DEFAULT '',
    -- What to bring (材料清单), one item a line.
    materials TEXT NOT NULL DEFAULT '',
    -- The promised time to answer a request, hours.
    response_hours BIGINT NOT NULL CHECK (response_hours > 0 AND response_hours <= 2160),
    -- The steps of the service, one name a line, in order.
    steps TEXT NOT NULL DEFAULT '',
    -- 0 is free (免费).
    price_fen BIGINT NOT NULL CHECK (price_fen >= 0),
    voucher_payable BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_by INTEGER REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX services_provider_idx ON services (provider_org_id, active);
CREATE INDEX services_browse_idx ON services (active, category);

CREATE TABLE service_requests (
    id INTEGER PRIMARY KEY,
    -- NULL for a request addressed generally to the enterprise's carrier.
    service_id INTEGER REFERENCES services (id),
    provider_org_id INTEGER NOT NULL REFERENCES organisations (id),
    requester_org_id INTEGER NOT NULL REFERENCES organisations (id),
    enterprise_id INTEGER REFERENCES enterprises (id),
    -- The carrier a general request was routed to (the one incubating the enterprise).
    carrier_id INTEGER REFERENCES carriers (id),
    category TEXT NOT NULL,
    need TEXT NOT NULL,
    -- requested | accepted | in_progress | completed | declined | withdrawn
    -- (fruition_domain::service::RequestStatus).
    status TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    -- Answer by: requested_at + the promised response time.
    due_at BIGINT NOT NULL,
    answered_at BIGINT,
    completed_at BIGINT,
    decline_reason TEXT,
    charge_fen BIGINT CHECK (charge_fen IS NULL OR charge_fen >= 0),
    rating BIGINT CHECK (rating IS NULL OR (rating >= 1 AND rating <= 5)),
    rating_comment TEXT,
    rated_at BIGINT,
    created_by INTEGER REFERENCES users (id),
    updated_at BIGINT NOT NULL
);
-- A provider's statistics read only this index (covering every column they aggregate).
CREATE INDEX service_requests_stats_idx ON service_requests
    (provider_org_id, status, requested_at, due_at, answered_at, completed_at, rating);
CREATE INDEX service_requests_requester_idx ON service_requests (requester_org_id, id);
-- Requests waiting past their promise, by provider (covering: the overdue counts read only it).
CREATE INDEX service_requests_waiting_idx ON service_requests (status, due_at, provider_org_id);

CREATE TABLE service_request_steps (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES service_requests (id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    done_at BIGINT,
    note TEXT,
    done_by INTEGER REFERENCES users (id),
    CONSTRAINT service_request_steps_position_key UNIQUE (request_id, position)
);

-- Each provider's running totals, written with every request and answer in the same transaction:
-- the bureau's list of every provider reads these (one row each); a provider's own figures, with
-- the medians, come from its requests through the covering index above.
CREATE TABLE service_provider_totals (
    provider_org_id INTEGER PRIMARY KEY REFERENCES organisations (id),
    volume BIGINT NOT NULL DEFAULT 0,
    answered BIGINT NOT NULL DEFAULT 0,
    accepted BIGINT NOT NULL DEFAULT 0,
    completed BIGINT NOT NULL DEFAULT 0,
    response_ms_sum BIGINT NOT NULL DEFAULT 0,
    rated BIGINT NOT NULL DEFAULT 0,
    rating_sum BIGINT NOT NULL DEFAULT 0,
    answered_late BIGINT NOT NULL DEFAULT 0
);
