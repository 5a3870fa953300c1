-- The carrier alliance (载体联盟): member carriers with their roles, notices to members, shared
-- resources offered between members and the interest others show; events with registration,
-- an ordered waiting list and once-only check-in codes; staff training (从业人员培训): courses,
-- attendance with hours credited, and certificates. Dates as YYYY-MM-DD (China time); instants
-- in ms since 1970.

-- A member carrier: chair | vice_chair | member (fruition_domain::alliance::MemberRole). One chair.
CREATE TABLE alliance_members (
    carrier_id INTEGER PRIMARY KEY REFERENCES carriers (id),
    role TEXT NOT NULL,
    joined_on TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX alliance_members_role_key ON alliance_members (role) WHERE role = 'chair';

-- A notice to the members, posted by the bureau or the chair's operator.
CREATE TABLE alliance_notices (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    posted_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX alliance_notices_created_idx ON alliance_notices (created_at);

-- Something a member carrier offers the others: venue | equipment | mentor | course | other.
CREATE TABLE alliance_offers (
    id INTEGER PRIMARY KEY,
    carrier_id INTEGER NOT NULL REFERENCES carriers (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    contact TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX alliance_offers_carrier_idx ON alliance_offers (carrier_id);

-- Another member's interest in an offer: one per organisation and offer.
CREATE TABLE alliance_offer_interests (
    offer_id INTEGER NOT NULL REFERENCES alliance_offers (id),
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    user_id INTEGER REFERENCES users (id),
    note TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (offer_id, org_id)
);

-- An event: exchange | salon | roadshow | training (fruition_domain::alliance::EventKind);
-- open | cancelled | finished. `registered` counts the registered places and is kept by the
-- statement that registers (never above `capacity`); `waiting_seq` hands out the waiting list's
-- order. Every writer of an event's registrations first updates this row, so they take turns.
CREATE TABLE alliance_events (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    place TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL CHECK (ends_at > starts_at),
    register_by INTEGER NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    registered INTEGER NOT NULL DEFAULT 0 CHECK (registered >= 0 AND registered <= capacity),
    waiting_seq INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    organiser_org_id INTEGER NOT NULL REFERENCES organisations (id),
    carrier_id INTEGER REFERENCES carriers (id),
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX alliance_events_start_idx ON alliance_events (starts_at);

-- A person's registration: registered | waiting | cancelled; `waiting_no` orders the waiting
-- list; `code` is the once-only check-in code. One live registration per user and event.
CREATE TABLE alliance_registrations (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES alliance_events (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    waiting_no INTEGER,
    code TEXT NOT NULL,
    checked_in_at INTEGER,
    checked_in_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX alliance_registrations_user_key ON alliance_registrations (event_id, user_id) WHERE status <> 'cancelled';
CREATE UNIQUE INDEX alliance_registrations_code_key ON alliance_registrations (code);
CREATE INDEX alliance_registrations_waiting_idx ON alliance_registrations (event_id, status, waiting_no);

-- A training course for carriers' staff; an event of kind `training` may be the course.
CREATE TABLE training_courses (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    provider TEXT NOT NULL,
    hours INTEGER NOT NULL CHECK (hours > 0),
    held_on TEXT NOT NULL,
    audience TEXT NOT NULL,
    event_id INTEGER REFERENCES alliance_events (id),
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX training_courses_held_idx ON training_courses (held_on);

-- A person's attendance at a course, with the hours credited; once per person, carrier and course.
CREATE TABLE training_records (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES training_courses (id),
    person_name TEXT NOT NULL,
    carrier_id INTEGER NOT NULL REFERENCES carriers (id),
    hours INTEGER NOT NULL CHECK (hours > 0),
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX training_records_person_name_key ON training_records (course_id, person_name, carrier_id);
CREATE INDEX training_records_carrier_idx ON training_records (carrier_id);

-- A staff member's certificate: tech_broker | mentor | other, unique by kind and number.
CREATE TABLE staff_certificates (
    id INTEGER PRIMARY KEY,
    person_name TEXT NOT NULL,
    carrier_id INTEGER NOT NULL REFERENCES carriers (id),
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    issuer TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    expires_on TEXT,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX staff_certificates_number_key ON staff_certificates (kind, number);
CREATE INDEX staff_certificates_carrier_idx ON staff_certificates (carrier_id);
