-- Matching supply to demand: what owners said of a suggestion, searches kept to be told of new
-- listings, and the in-app inbox that tells them (精准推送).

-- An owner's verdict on a suggested listing for one of theirs; any verdict but `interested`
-- rejects the pair, which is then not suggested again.
CREATE TABLE match_feedback (
    id INTEGER PRIMARY KEY,
    listing_id INTEGER NOT NULL REFERENCES listings (id),
    suggested_id INTEGER NOT NULL REFERENCES listings (id),
    verdict TEXT NOT NULL,
    comment TEXT,
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    user_id INTEGER REFERENCES users (id),
    at INTEGER NOT NULL,
    CONSTRAINT match_feedback_pair_key UNIQUE (listing_id, suggested_id)
);

-- A search a user keeps: they are told when a newly published listing fits it.
CREATE TABLE saved_searches (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    -- The search's parameters (actions::market::SearchParams) as JSON.
    query TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX saved_searches_user_idx ON saved_searches (user_id);

-- A message to one user from the platform. `ref_key` keeps one message per event and user.
CREATE TABLE inbox_messages (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    ref_key TEXT NOT NULL,
    read_at INTEGER,
    created_at INTEGER NOT NULL,
    CONSTRAINT inbox_messages_ref_key UNIQUE (user_id, ref_key)
);

CREATE INDEX inbox_messages_user_idx ON inbox_messages (user_id, read_at, created_at);
