-- Bills for services as well as bookings: a completed service request with a charge is billed
-- like a used booking (pay after use), so innovation vouchers pay for voucher-payable services
-- through the same ledger and the provider claims their part back like a resource's owner.
ALTER TABLE bills ALTER COLUMN booking_id DROP NOT NULL;
ALTER TABLE bills ALTER COLUMN resource_id DROP NOT NULL;
ALTER TABLE bills ADD COLUMN service_request_id BIGINT REFERENCES service_requests (id);
-- Whether innovation vouchers may pay part of it (a service says so; resources always).
ALTER TABLE bills ADD COLUMN vouchers_accepted BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE bills ADD CONSTRAINT bills_service_request_id_key UNIQUE (service_request_id);
-- A bill is for exactly one booking or one service request.
ALTER TABLE bills ADD CONSTRAINT bills_subject_check
    CHECK ((booking_id IS NULL) <> (service_request_id IS NULL));
ALTER TABLE bills ADD CONSTRAINT bills_resource_check
    CHECK ((booking_id IS NULL) = (resource_id IS NULL));

-- When the provider and the bureau were told that a request waits past its promised answer
-- (the reminder sweep tells each overdue request once).
ALTER TABLE service_requests ADD COLUMN overdue_told_at BIGINT;
