-- Pilot lines, instruments and testing services (中试 / 大型仪器共享): resources, their maintenance
-- blocks and bookings, the slots they hold (one row per held local hour, keyed by resource and
-- slot, so the database itself refuses a slot held twice), bills paid after use (先用后付) and
-- their payments, innovation vouchers (科技创新券) with their ledger, and reimbursement claims.

CREATE TABLE resources (
    id INTEGER PRIMARY KEY,
    owner_org_id INTEGER NOT NULL REFERENCES organisations (id),
    -- pilot_line | instrument | testing (fruition_domain::pilot::ResourceKind).
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    capabilities TEXT NOT NULL,
    place TEXT NOT NULL,
    -- hour | day | batch; a batch lasts batch_hours.
    unit TEXT NOT NULL,
    batch_hours INTEGER NOT NULL DEFAULT 1,
    -- 分 per unit; incubatees of discount_carrier_id pay incubatee_discount_pct percent less.
    price_fen INTEGER NOT NULL CHECK (price_fen >= 0),
    incubatee_discount_pct INTEGER NOT NULL DEFAULT 0 CHECK (incubatee_discount_pct BETWEEN 0 AND 100),
    discount_carrier_id INTEGER REFERENCES carriers (id),
    -- Bit 0 = Monday … bit 6 = Sunday; local hours open_from to open_to.
    open_days INTEGER NOT NULL,
    open_from INTEGER NOT NULL,
    open_to INTEGER NOT NULL,
    -- A booker may cancel until this many hours before the start.
    cancel_hours INTEGER NOT NULL,
    safety_notes TEXT,
    -- Ask a booker with an overdue bill (anywhere on the platform) to pay before use.
    prepay_if_overdue BOOLEAN NOT NULL DEFAULT FALSE,
    -- The market listing (kind instrument) that presents it, if any.
    listing_id INTEGER REFERENCES listings (id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX resources_owner_idx ON resources (owner_org_id, id);

-- Times the owner closes a resource (servicing, calibration). Slots are local hours from 1970-01-01.
CREATE TABLE maintenance_blocks (
    id INTEGER PRIMARY KEY,
    resource_id INTEGER NOT NULL REFERENCES resources (id),
    start_slot INTEGER NOT NULL,
    end_slot INTEGER NOT NULL CHECK (end_slot > start_slot),
    reason TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);

CREATE INDEX maintenance_blocks_resource_idx ON maintenance_blocks (resource_id, start_slot);

CREATE TABLE bookings (
    id INTEGER PRIMARY KEY,
    resource_id INTEGER NOT NULL REFERENCES resources (id),
    owner_org_id INTEGER NOT NULL REFERENCES organisations (id),
    booker_org_id INTEGER NOT NULL REFERENCES organisations (id),
    -- requested | awaiting_prepayment | confirmed | declined | cancelled | used | billed.
    status TEXT NOT NULL,
    start_slot INTEGER NOT NULL,
    end_slot INTEGER NOT NULL CHECK (end_slot > start_slot),
    units INTEGER NOT NULL CHECK (units > 0),
    -- The booker's price per unit, fixed at the request (after any incubatee discount).
    unit_price_fen INTEGER NOT NULL,
    incubatee BOOLEAN NOT NULL,
    prepayment BOOLEAN NOT NULL,
    purpose TEXT NOT NULL,
    -- When the booker accepted the resource's safety notes and qualifications.
    safety_accepted_at INTEGER,
    status_reason TEXT,
    used_units INTEGER,
    use_note TEXT,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (owner_org_id <> booker_org_id)
);

CREATE INDEX bookings_resource_idx ON bookings (resource_id, start_slot);
CREATE INDEX bookings_booker_idx ON bookings (booker_org_id, updated_at);
CREATE INDEX bookings_owner_idx ON bookings (owner_org_id, status, updated_at);

-- Every local hour a booking or a maintenance block holds, one row each: the primary key makes a
-- second hold of the same hour fail, on any number of app servers at once.
CREATE TABLE resource_slots (
    resource_id INTEGER NOT NULL REFERENCES resources (id),
    slot INTEGER NOT NULL,
    booking_id INTEGER REFERENCES bookings (id),
    block_id INTEGER REFERENCES maintenance_blocks (id),
    CONSTRAINT resource_slots_slot_key PRIMARY KEY (resource_id, slot),
    CHECK ((booking_id IS NULL) <> (block_id IS NULL))
) WITHOUT ROWID;

CREATE INDEX resource_slots_booking_idx ON resource_slots (booking_id);
CREATE INDEX resource_slots_block_idx ON resource_slots (block_id);

-- One bill per booking: after use, or at confirmation when prepayment is asked (then settled
-- when the use is recorded).
CREATE TABLE bills (
    id INTEGER PRIMARY KEY,
    booking_id INTEGER NOT NULL REFERENCES bookings (id),
    resource_id INTEGER NOT NULL REFERENCES resources (id),
    resource_kind TEXT NOT NULL,
    owner_org_id INTEGER NOT NULL REFERENCES organisations (id),
    payer_org_id INTEGER NOT NULL REFERENCES organisations (id),
    -- after_use | prepayment (fruition_domain::billing::BillKind).
    kind TEXT NOT NULL,
    units INTEGER NOT NULL,
    unit_price_fen INTEGER NOT NULL,
    extra_fen INTEGER NOT NULL DEFAULT 0,
    extra_note TEXT,
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    -- Money paid (refunds subtract) and the vouchers' part.
    paid_fen INTEGER NOT NULL DEFAULT 0,
    voucher_fen INTEGER NOT NULL DEFAULT 0 CHECK (voucher_fen >= 0),
    issued_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    year INTEGER NOT NULL,
    issued_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT bills_booking_id_key UNIQUE (booking_id),
    CHECK (voucher_fen <= amount_fen)
);

CREATE INDEX bills_payer_idx ON bills (payer_org_id, due_on);
CREATE INDEX bills_owner_idx ON bills (owner_org_id, issued_on);
CREATE INDEX bills_year_idx ON bills (year, resource_id);

CREATE TABLE vouchers (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    face_fen INTEGER NOT NULL CHECK (face_fen > 0),
    -- Moved only together with a voucher_entries row; never below zero.
    balance_fen INTEGER NOT NULL CHECK (balance_fen >= 0 AND balance_fen <= face_fen),
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    share_pct INTEGER NOT NULL CHECK (share_pct BETWEEN 1 AND 100),
    yearly_cap_fen INTEGER NOT NULL CHECK (yearly_cap_fen >= 0),
    -- Resource kinds it pays for, comma-separated codes.
    kinds TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    year INTEGER NOT NULL,
    issued_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX vouchers_org_idx ON vouchers (org_id, id);

CREATE TABLE bill_payments (
    id INTEGER PRIMARY KEY,
    bill_id INTEGER NOT NULL REFERENCES bills (id),
    -- Negative for a refund.
    cash_fen INTEGER NOT NULL,
    voucher_id INTEGER REFERENCES vouchers (id),
    voucher_fen INTEGER NOT NULL DEFAULT 0 CHECK (voucher_fen >= 0),
    reference TEXT,
    paid_on TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    recorded_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);

CREATE INDEX bill_payments_bill_idx ON bill_payments (bill_id, id);

-- Reimbursement claims: an owner asks the bureau for the vouchers' part of its bills.
CREATE TABLE voucher_claims (
    id INTEGER PRIMARY KEY,
    owner_org_id INTEGER NOT NULL REFERENCES organisations (id),
    -- submitted | approved | rejected | paid.
    status TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    entries INTEGER NOT NULL,
    year INTEGER NOT NULL,
    status_reason TEXT,
    paid_on TEXT,
    paid_reference TEXT,
    submitted_by INTEGER REFERENCES users (id),
    decided_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX voucher_claims_owner_idx ON voucher_claims (owner_org_id, id);
CREATE INDEX voucher_claims_status_idx ON voucher_claims (status, id);

-- The ledger: each change of a voucher's balance, with the balance after it.
CREATE TABLE voucher_entries (
    id INTEGER PRIMARY KEY,
    voucher_id INTEGER NOT NULL REFERENCES vouchers (id),
    -- issue | spend | revoke.
    kind TEXT NOT NULL,
    -- Signed: + issue, − spend and revoke.
    amount_fen INTEGER NOT NULL,
    balance_fen INTEGER NOT NULL CHECK (balance_fen >= 0),
    bill_id INTEGER REFERENCES bills (id),
    payment_id INTEGER REFERENCES bill_payments (id),
    -- For a spend: the bill's owner, who may claim it back, and the claim that does.
    owner_org_id INTEGER REFERENCES organisations (id),
    claim_id INTEGER REFERENCES voucher_claims (id),
    year INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);

CREATE INDEX voucher_entries_voucher_idx ON voucher_entries (voucher_id, id);
CREATE INDEX voucher_entries_claim_idx ON voucher_entries (owner_org_id, claim_id);

-- What each enterprise has paid with vouchers in a year: raised by a conditional update, so that
-- concurrent payments cannot together pass the yearly cap.
CREATE TABLE voucher_year_use (
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    year INTEGER NOT NULL,
    spent_fen INTEGER NOT NULL CHECK (spent_fen >= 0),
    PRIMARY KEY (org_id, year)
) WITHOUT ROWID;
