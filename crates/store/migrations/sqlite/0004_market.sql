-- The technology elements market (科技要素大市场): listings of every element, and the change log the
-- search index of every app server catches up from.

CREATE TABLE listings (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    -- The technical field: an industrial chain's code.
    chain_code TEXT,
    county_code TEXT,
    -- An achievement's readiness (GB/T 22900), or the least a need asks for.
    trl INTEGER CHECK (trl IS NULL OR (trl >= 1 AND trl <= 9)),
    -- An achievement's price, a need's budget, a service's or an instrument's price (千元); NULL: negotiable.
    price_k INTEGER CHECK (price_k IS NULL OR price_k >= 0),
    -- Comma-separated transfer or cooperation modes.
    modes TEXT NOT NULL DEFAULT '',
    -- A need's deadline (ISO date).
    deadline TEXT,
    -- What only one kind has (inventors, patents, an expert's title, a policy's issuing body, …), as JSON.
    details TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'draft',
    hidden_reason TEXT,
    published_at INTEGER,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX listings_org_idx ON listings (org_id, status);
CREATE INDEX listings_public_idx ON listings (status, kind, published_at);

-- Every committed change to a listing, in order: each app server's search index applies the rows
-- after the last one it applied (and `fruition reindex` starts again from the listings).
CREATE TABLE listing_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    listing_id INTEGER NOT NULL,
    at INTEGER NOT NULL
);

CREATE INDEX listing_changes_at_idx ON listing_changes (at);
