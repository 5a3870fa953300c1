-- Deals in the technology elements market: intent on a listing, private messages between the two
-- organisations, proposed and accepted terms, and the technology contracts the bureau's registrar
-- registers (技术合同登记) — whose amounts feed the statistics by year, field and carrier.

CREATE TABLE deals (
    id INTEGER PRIMARY KEY,
    listing_id INTEGER NOT NULL REFERENCES listings (id),
    -- The listing's owner, and the organisation that declared intent on it.
    owner_org_id INTEGER NOT NULL REFERENCES organisations (id),
    initiator_org_id INTEGER NOT NULL REFERENCES organisations (id),
    -- The parties by the listing's kind: an achievement's owner sells, a need's owner buys.
    seller_org_id INTEGER NOT NULL REFERENCES organisations (id),
    buyer_org_id INTEGER NOT NULL REFERENCES organisations (id),
    -- negotiating | agreed | registered | fulfilled | terminated | withdrawn (fruition_domain::deal).
    status TEXT NOT NULL,
    -- The latest proposal of terms (deal_terms.id); NULL before the first and after a refused
    -- registration, so that terms must be proposed (and accepted) again.
    terms_id INTEGER,
    -- Why the registrar refused registration, or why a party withdrew.
    status_reason TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (owner_org_id <> initiator_org_id)
);

-- One open deal (negotiating or agreed) per listing and initiating organisation.
CREATE UNIQUE INDEX deals_listing_id_key ON deals (listing_id, initiator_org_id) WHERE status IN ('negotiating', 'agreed');
CREATE INDEX deals_seller_idx ON deals (seller_org_id, updated_at);
CREATE INDEX deals_buyer_idx ON deals (buyer_org_id, updated_at);
CREATE INDEX deals_status_idx ON deals (status, updated_at);

-- Private messages between the two organisations (the bureau reads them, and does not post).
CREATE TABLE deal_messages (
    id INTEGER PRIMARY KEY,
    deal_id INTEGER NOT NULL REFERENCES deals (id),
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    user_id INTEGER REFERENCES users (id),
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX deal_messages_deal_idx ON deal_messages (deal_id, id);

-- Terms proposed by one party; accepted by the other (only the deal's latest proposal can be).
CREATE TABLE deal_terms (
    id INTEGER PRIMARY KEY,
    deal_id INTEGER NOT NULL REFERENCES deals (id),
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    user_id INTEGER REFERENCES users (id),
    contract_type TEXT NOT NULL,
    -- 千元; the technology-transaction amount is part of the contract amount.
    contract_amount_k INTEGER NOT NULL CHECK (contract_amount_k > 0),
    tech_amount_k INTEGER NOT NULL CHECK (tech_amount_k >= 0 AND tech_amount_k <= contract_amount_k),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    accepted_at INTEGER,
    accepted_by INTEGER REFERENCES users (id)
);

CREATE INDEX deal_terms_deal_idx ON deal_terms (deal_id, id);

-- The register of technology contracts: what the registrar recorded at registration, kept as it
-- was then (the parties, the agreed terms, the listing's field, and the carrier incubating the
-- seller — else the buyer — on the day of registration), and what became of the contract.
CREATE TABLE tech_contracts (
    id INTEGER PRIMARY KEY,
    deal_id INTEGER NOT NULL REFERENCES deals (id),
    -- City code + year + serial, e.g. 4302002025000123.
    registration_no TEXT NOT NULL,
    year INTEGER NOT NULL,
    serial INTEGER NOT NULL,
    registered_on TEXT NOT NULL,
    contract_type TEXT NOT NULL,
    seller_org_id INTEGER NOT NULL REFERENCES organisations (id),
    buyer_org_id INTEGER NOT NULL REFERENCES organisations (id),
    contract_amount_k INTEGER NOT NULL,
    tech_amount_k INTEGER NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    chain_code TEXT,
    carrier_id INTEGER REFERENCES carriers (id),
    registered_by INTEGER REFERENCES users (id),
    registered_at INTEGER NOT NULL,
    -- fulfilled | terminated, when recorded.
    outcome TEXT,
    outcome_on TEXT,
    outcome_reason TEXT,
    outcome_by INTEGER REFERENCES users (id),
    updated_at INTEGER NOT NULL,
    CONSTRAINT tech_contracts_deal_id_key UNIQUE (deal_id),
    CONSTRAINT tech_contracts_registration_no_key UNIQUE (registration_no)
);

CREATE INDEX tech_contracts_year_idx ON tech_contracts (year, chain_code, carrier_id);

-- The last serial given in each year of registration.
CREATE TABLE contract_serials (
    year INTEGER PRIMARY KEY,
    last_serial INTEGER NOT NULL
);
