-- o2c schema version 3: what operations need beyond version 2's case tables: roles of
-- actors (for approvals), the decision comment and required role of an approval, and
-- the request as a whole and the id of what running it created, and
-- interaction notes with their dispute, start and end (for first-contact resolution and
-- average handle time).

CREATE TABLE actor_roles (
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    granted_at {timestamp} NOT NULL,
    PRIMARY KEY (actor, role)
);

ALTER TABLE approvals ADD COLUMN role TEXT;
ALTER TABLE approvals ADD COLUMN comment TEXT;
-- the full request (business dates, days, summary) and what running it created
ALTER TABLE approvals ADD COLUMN data {json};
ALTER TABLE approvals ADD COLUMN result_id TEXT;
CREATE INDEX approvals_status ON approvals (status, requested_at);

ALTER TABLE notes ADD COLUMN dispute_id TEXT REFERENCES disputes (id);
ALTER TABLE notes ADD COLUMN started_at {timestamp};
ALTER TABLE notes ADD COLUMN ended_at {timestamp};
CREATE INDEX notes_customer ON notes (customer_id, started_at);

CREATE INDEX extensions_document ON extensions (document_id);
