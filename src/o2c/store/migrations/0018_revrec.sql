-- Revenue recognition (issue 21). An item with a deferral rule posts its invoice lines'
-- revenue to deferred revenue; each such line has a schedule (revrec_schedules) of planned
-- amounts per accounting month (revrec_plan, written once when the line is issued), and
-- every movement out of deferred revenue is an event (revrec_events, append-only):
-- recognized by a run (one per schedule and month), reversed by a credit note (from the
-- unrecognized months, latest first), revenue reversed (the part of a credit above what
-- was still deferred) or released by hand (milestones). Books without rules have no rows.
CREATE TABLE revrec_rules (
    item TEXT PRIMARY KEY,
    method TEXT NOT NULL,
    term_months INTEGER,
    created_at {timestamp} NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE revrec_schedules (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL,
    line_no INTEGER NOT NULL,
    customer_id TEXT NOT NULL,
    item TEXT NOT NULL,
    method TEXT NOT NULL,
    currency TEXT NOT NULL,
    service_start {date} NOT NULL,
    service_end {date} NOT NULL,
    billed_minor {money} NOT NULL,
    deferred_account TEXT NOT NULL,
    revenue_account TEXT NOT NULL,
    issued_on {date} NOT NULL,
    created_at {timestamp} NOT NULL,
    UNIQUE (document_id, line_no)
);

CREATE TABLE revrec_plan (
    schedule_id TEXT NOT NULL REFERENCES revrec_schedules (id),
    month TEXT NOT NULL,
    due_on {date} NOT NULL,
    amount_minor {money} NOT NULL,
    PRIMARY KEY (schedule_id, month)
);

CREATE INDEX revrec_plan_due ON revrec_plan (due_on);

CREATE TABLE revrec_events (
    id TEXT PRIMARY KEY,
    schedule_id TEXT NOT NULL REFERENCES revrec_schedules (id),
    kind TEXT NOT NULL,
    month TEXT NOT NULL,
    day {date} NOT NULL,
    amount_minor {money} NOT NULL,
    quantity {decimal},
    entry_id TEXT,
    source TEXT NOT NULL,
    created_at {timestamp} NOT NULL
);

CREATE INDEX revrec_events_schedule ON revrec_events (schedule_id, month);
CREATE UNIQUE INDEX revrec_events_recognized ON revrec_events (schedule_id, month, kind, source);
