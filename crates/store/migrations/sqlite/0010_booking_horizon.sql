-- How far ahead a resource may be booked, in days (the owner's horizon; one year by default).
ALTER TABLE resources ADD COLUMN horizon_days INTEGER NOT NULL DEFAULT 365;
