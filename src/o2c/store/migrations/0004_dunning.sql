-- Collections: the dunning notices sent, and the items each one chased.
-- A step is sent once per item: the primary key of dunning_items enforces it in the store,
-- so two runs at the same time cannot both send it.

CREATE TABLE dunning_notices (
    id TEXT PRIMARY KEY,
    run_date {date} NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    currency TEXT NOT NULL REFERENCES currencies (code),
    step INTEGER NOT NULL,
    action TEXT NOT NULL,
    segment TEXT NOT NULL,
    total_minor {money} NOT NULL,
    letter TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at {timestamp} NOT NULL
);

CREATE INDEX dunning_notices_customer ON dunning_notices (customer_id, run_date);

CREATE TABLE dunning_items (
    notice_id TEXT NOT NULL REFERENCES dunning_notices (id),
    document_id TEXT NOT NULL REFERENCES documents (id),
    step INTEGER NOT NULL,
    days_past_due INTEGER NOT NULL,
    open_minor {money} NOT NULL,
    disputed_minor {money} NOT NULL,
    chased_minor {money} NOT NULL,
    PRIMARY KEY (document_id, step)
);

CREATE INDEX dunning_items_notice ON dunning_items (notice_id);
