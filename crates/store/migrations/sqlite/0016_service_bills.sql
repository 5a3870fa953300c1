-- no-transaction
-- Bills for services as well as bookings: a completed service request with a charge is billed
-- like a used booking (pay after use), so innovation vouchers pay for voucher-payable services
-- through the same ledger and the provider claims their part back like a resource's owner.
--
-- SQLite cannot drop NOT NULL from a column, so the table is rebuilt (the documented
-- procedure: foreign keys off outside the transaction, rebuild, check, on again).
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE bills_rebuilt (
    id INTEGER PRIMARY KEY,
    -- A bill is for exactly one booking or one service request.
    booking_id INTEGER REFERENCES bookings (id),
    resource_id INTEGER REFERENCES resources (id),
    service_request_id INTEGER REFERENCES service_requests (id),
    -- pilot_line | instrument | testing | service (fruition_domain::billing::BillSubject).
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
    -- Whether innovation vouchers may pay part of it (a service says so; resources always).
    vouchers_accepted BOOLEAN NOT NULL DEFAULT TRUE,
    issued_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    year INTEGER NOT NULL,
    issued_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT bills_booking_id_key UNIQUE (booking_id),
    CONSTRAINT bills_service_request_id_key UNIQUE (service_request_id),
    CHECK (voucher_fen <= amount_fen),
    CHECK ((booking_id IS NULL) <> (service_request_id IS NULL)),
    CHECK ((booking_id IS NULL) = (resource_id IS NULL))
);

INSERT INTO bills_rebuilt (id, booking_id, resource_id, service_request_id, resource_kind,
    owner_org_id, payer_org_id, kind, units, unit_price_fen, extra_fen, extra_note, amount_fen,
    paid_fen, voucher_fen, vouchers_accepted, issued_on, due_on, year, issued_by, created_at,
    updated_at)
SELECT id, booking_id, resource_id, NULL, resource_kind, owner_org_id, payer_org_id, kind, units,
    unit_price_fen, extra_fen, extra_note, amount_fen, paid_fen, voucher_fen, TRUE, issued_on,
    due_on, year, issued_by, created_at, updated_at
FROM bills;

DROP TABLE bills;
ALTER TABLE bills_rebuilt RENAME TO bills;

CREATE INDEX bills_payer_idx ON bills (payer_org_id, due_on);
CREATE INDEX bills_owner_idx ON bills (owner_org_id, issued_on);
CREATE INDEX bills_year_idx ON bills (year, resource_id);

-- When the provider and the bureau were told that a request waits past its promised answer
-- (the reminder sweep tells each overdue request once).
ALTER TABLE service_requests ADD COLUMN overdue_told_at BIGINT;

-- Files recorded with a request's steps (a report, a certificate, a receipt): kept in the
-- database with the request, so a backup holds them; at most 10 MB each (checked before writing).
CREATE TABLE service_step_files (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES service_requests (id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    -- fruition_domain::attachment::AttachmentKind.
    kind TEXT NOT NULL,
    size_bytes BIGINT NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 10485760),
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by INTEGER REFERENCES users (id),
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX service_step_files_request_idx ON service_step_files (request_id, position, id);

COMMIT;
PRAGMA foreign_keys = ON;
