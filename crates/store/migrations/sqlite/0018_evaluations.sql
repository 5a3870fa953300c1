-- The bureau's yearly evaluation of its carriers (载体绩效评价, after 国科火字〔2019〕239号).
-- A round stores its scheme (indicators, weights, grade cut-offs) as JSON so its working stays
-- reproducible when the defaults change; each result keeps its working (raw value, best of the
-- kind, score, weight, points per indicator). Scores are hundredths of a point (0–10000).

-- A round of a year (a year may have a later re-evaluation round; the statistics read the
-- latest published one): draft → computed → published (fruition_domain::evaluation::RoundStatus).
CREATE TABLE evaluation_rounds (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft',
    scheme_json TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    computed_at INTEGER,
    published_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX evaluation_rounds_year_idx ON evaluation_rounds (year, status);

-- A carrier's result in a round, from its approved report of the round's year.
CREATE TABLE evaluation_results (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES evaluation_rounds (id),
    carrier_id INTEGER NOT NULL REFERENCES carriers (id),
    report_id INTEGER NOT NULL REFERENCES carrier_reports (id),
    kind TEXT NOT NULL,
    county_code TEXT NOT NULL,
    computed_centi INTEGER NOT NULL,
    adjustment INTEGER NOT NULL DEFAULT 0,
    adjustment_reason TEXT,
    final_centi INTEGER NOT NULL,
    grade TEXT NOT NULL,
    working_json TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT evaluation_results_round_carrier_key UNIQUE (round_id, carrier_id)
);
CREATE INDEX evaluation_results_rank_idx ON evaluation_results (round_id, final_centi);
CREATE INDEX evaluation_results_carrier_idx ON evaluation_results (carrier_id);
