-- The sign-in throttle decides atomically. Every attempt first locks the row of its login and the
-- row of its client address (an upsert), then counts the failures in the window and, below the
-- limits, inserts its own attempt as a failure before the password is checked — all in one
-- transaction. Attempts on the same login or address therefore queue, and each counts the ones
-- before it, on any number of app servers. `throttled_at` is when the key was last refused, so the
-- audit log records a refusal once per window rather than once per request.
CREATE TABLE sign_in_keys (
    key TEXT PRIMARY KEY,
    seen_at INTEGER NOT NULL,
    throttled_at INTEGER
);
CREATE INDEX sign_in_keys_seen_at_idx ON sign_in_keys (seen_at);
