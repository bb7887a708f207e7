-- Deliveries: each e-mail o2c sent (or tried to send) to a customer, of an issued
-- document (document_id) or a dunning notice (notice_id). Kept for the record and never
-- updated: a failed delivery stays failed, a new attempt is a new row. The password of
-- the SMTP server is never stored (the setting smtp.password_env names the variable).
CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    document_id TEXT REFERENCES documents (id),
    notice_id TEXT REFERENCES dunning_notices (id),
    customer_id TEXT NOT NULL REFERENCES customers (id),
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    message_id TEXT NOT NULL,
    sent_at {timestamp} NOT NULL,
    sender TEXT NOT NULL,
    recipients TEXT NOT NULL,
    subject TEXT NOT NULL,
    attachments TEXT NOT NULL,
    error TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE INDEX deliveries_document ON deliveries (document_id, sent_at);
CREATE INDEX deliveries_notice ON deliveries (notice_id, sent_at);
