-- Indexes the market's hot paths need at a million listings: rebuilding the search index pages
-- through the published listings by id, and matching counts each candidate owner's listings of
-- the last year.
CREATE INDEX listings_status_id_idx ON listings (status, id);
DROP INDEX listings_org_idx;
CREATE INDEX listings_org_idx ON listings (org_id, status, published_at);
