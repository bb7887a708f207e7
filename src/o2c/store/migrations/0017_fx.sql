-- Exchange rates (issue 19): one row per pair, rate type and effective date. A rate is
-- units of the quote currency for one unit of the base currency (EUR/USD 1.0850: one
-- euro costs 1.0850 dollars), kept as exact decimal text. Setting a pair's rate again for
-- the same type and date replaces it (the audit trail keeps the old value).
CREATE TABLE fx_rates (
    base TEXT NOT NULL,
    quote TEXT NOT NULL,
    rate_type TEXT NOT NULL,
    effective {date} NOT NULL,
    rate TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at {timestamp} NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (base, quote, rate_type, effective)
);

-- The rate a document, payment or credit source was booked at, in the book's functional
-- currency: written once, when the source posts in another currency than the functional
-- one, and never changed, so the functional amounts derived from it never move.
CREATE TABLE fx_source_rates (
    source TEXT PRIMARY KEY,
    currency TEXT NOT NULL,
    functional TEXT NOT NULL,
    rate TEXT NOT NULL,
    rate_type TEXT NOT NULL,
    rate_date {date} NOT NULL,
    stated INTEGER NOT NULL,
    created_at {timestamp} NOT NULL
);

-- Unrealized FX revaluations (o2c period revalue --as-of): each revalues the open foreign
-- items and credits as of a month end and is reversed on the first day of the next
-- month. They exist only in the functional currency (the journal's own amounts do not
-- change), so their lines live here, not in journal_lines: amount_minor is the functional
-- adjustment, currency the item's own currency.
CREATE TABLE fx_revaluations (
    id TEXT PRIMARY KEY,
    as_of {date} NOT NULL UNIQUE,
    reversal_date {date} NOT NULL,
    functional TEXT NOT NULL,
    rate_type TEXT NOT NULL,
    created_at {timestamp} NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE fx_revaluation_lines (
    revaluation_id TEXT NOT NULL REFERENCES fx_revaluations (id),
    line_no INTEGER NOT NULL,
    account TEXT NOT NULL,
    customer_id TEXT,
    item TEXT,
    currency TEXT NOT NULL,
    open_minor {money} NOT NULL,
    rate TEXT NOT NULL,
    amount_minor {money} NOT NULL,
    PRIMARY KEY (revaluation_id, line_no)
);
