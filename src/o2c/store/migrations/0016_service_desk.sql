-- The billing service desk (issue 22, o2c.servicedesk): inquiries (tickets) with their
-- SLA due times in business hours, every event of an inquiry (opened, contact, assigned,
-- waiting, resolved, reopened, closed, escalated; a contact names the interaction note
-- that records it), the cases an inquiry spawned or is about (links both ways), one CSAT
-- score per inquiry and the quality audits of its contacts.
CREATE TABLE inquiries (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    channel TEXT NOT NULL,
    category TEXT NOT NULL,
    priority TEXT NOT NULL,
    status TEXT NOT NULL,
    team TEXT NOT NULL,
    assignee TEXT,
    opened_at {timestamp} NOT NULL,
    first_response_at {timestamp},
    resolved_at {timestamp},
    closed_at {timestamp},
    first_response_due {timestamp} NOT NULL,
    resolution_due {timestamp} NOT NULL,
    root_cause TEXT,
    data {json} NOT NULL
);
CREATE INDEX inquiries_customer ON inquiries (customer_id, opened_at);
CREATE INDEX inquiries_status ON inquiries (status, opened_at);

CREATE TABLE inquiry_events (
    inquiry_id TEXT NOT NULL REFERENCES inquiries (id),
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    at {timestamp} NOT NULL,
    actor TEXT NOT NULL,
    status TEXT NOT NULL,
    note_id TEXT REFERENCES notes (id),
    data {json} NOT NULL,
    PRIMARY KEY (inquiry_id, seq)
);
CREATE INDEX inquiry_events_note ON inquiry_events (note_id);

CREATE TABLE inquiry_links (
    inquiry_id TEXT NOT NULL REFERENCES inquiries (id),
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    spawned INTEGER NOT NULL,
    linked_at {timestamp} NOT NULL,
    PRIMARY KEY (inquiry_id, seq),
    UNIQUE (inquiry_id, kind, target_id)
);
CREATE INDEX inquiry_links_target ON inquiry_links (kind, target_id);

CREATE TABLE inquiry_ratings (
    inquiry_id TEXT PRIMARY KEY REFERENCES inquiries (id),
    score INTEGER NOT NULL,
    comment TEXT NOT NULL,
    rated_at {timestamp} NOT NULL,
    recorded_by TEXT NOT NULL
);

CREATE TABLE inquiry_audits (
    id TEXT PRIMARY KEY,
    inquiry_id TEXT NOT NULL REFERENCES inquiries (id),
    note_id TEXT NOT NULL REFERENCES notes (id),
    auditor TEXT NOT NULL,
    score INTEGER NOT NULL,
    feedback TEXT NOT NULL,
    audited_at {timestamp} NOT NULL
);
CREATE INDEX inquiry_audits_inquiry ON inquiry_audits (inquiry_id, audited_at);
