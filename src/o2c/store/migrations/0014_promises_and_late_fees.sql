-- Collections (issue 20): promises to pay and the late fees a dunning run charged.
-- A promise covers the items listed in promise_items; whether it was kept is derived from
-- the payments and allocations, never stored. grace_days is the grace in force when the
-- promise was taken, so changing the setting does not rewrite history.
CREATE TABLE promises (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    currency TEXT NOT NULL REFERENCES currencies (code),
    amount_minor {money} NOT NULL,
    promised_on {date} NOT NULL,
    taken_on {date} NOT NULL,
    grace_days INTEGER NOT NULL,
    taken_by TEXT NOT NULL,
    note_id TEXT NOT NULL,
    created_at {timestamp} NOT NULL
);

CREATE INDEX promises_customer ON promises (customer_id, promised_on);

CREATE TABLE promise_items (
    promise_id TEXT NOT NULL REFERENCES promises (id),
    document_id TEXT NOT NULL REFERENCES documents (id),
    PRIMARY KEY (promise_id, document_id)
);

CREATE INDEX promise_items_document ON promise_items (document_id);

-- A late fee the dunning run charged on an invoice by a debit note, through a run date.
-- Interest on the invoice runs again from the last through_date; the key refuses a second
-- charge through the same day (two runs at once charge once).
CREATE TABLE late_fees (
    document_id TEXT NOT NULL REFERENCES documents (id),
    through_date {date} NOT NULL,
    start_date {date} NOT NULL,
    debit_note_id TEXT NOT NULL REFERENCES documents (id),
    currency TEXT NOT NULL REFERENCES currencies (code),
    base_minor {money} NOT NULL,
    interest_minor {money} NOT NULL,
    fixed_minor {money} NOT NULL,
    annual_rate TEXT,
    PRIMARY KEY (document_id, through_date)
);

CREATE INDEX late_fees_debit_note ON late_fees (debit_note_id);
