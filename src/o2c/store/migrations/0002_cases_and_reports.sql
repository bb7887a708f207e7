-- o2c schema version 2: cases (disputes, payment extensions, approvals, interaction notes)
-- and the reporting view analysts start from.

CREATE TABLE approvals (
    id TEXT PRIMARY KEY,
    action TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    currency TEXT,
    amount_minor {money},
    status TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at {timestamp} NOT NULL,
    decided_by TEXT,
    decided_at {timestamp},
    reason TEXT NOT NULL,
    payload {json} NOT NULL
);

CREATE TABLE disputes (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id),
    customer_id TEXT NOT NULL REFERENCES customers (id),
    currency TEXT NOT NULL,
    amount_minor {money} NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    opened_date {date} NOT NULL,
    sla_due {date} NOT NULL,
    resolved_date {date},
    data {json} NOT NULL
);
CREATE INDEX disputes_document ON disputes (document_id);

CREATE TABLE extensions (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id),
    original_due {date} NOT NULL,
    new_due {date} NOT NULL,
    status TEXT NOT NULL,
    approval_id TEXT REFERENCES approvals (id),
    data {json} NOT NULL
);

CREATE TABLE notes (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    document_id TEXT REFERENCES documents (id),
    channel TEXT NOT NULL,
    summary TEXT NOT NULL,
    first_contact_resolution INTEGER NOT NULL,
    handle_seconds INTEGER NOT NULL,
    actor TEXT NOT NULL,
    created_at {timestamp} NOT NULL
);

-- The AR sub-ledger: every posting to the receivable control account names its customer
-- and open item, so an item's balance as of D is a SUM over lines dated on or before D.
CREATE INDEX journal_lines_customer ON journal_lines (customer_id, account);

-- Aging and balances read only this index: AR lines (the only ones with an item due date)
-- in customer order, so a report is one ordered index scan without sorting.
CREATE INDEX journal_lines_aging ON journal_lines
    (account, customer_id, currency, item_due, item_date, entry_date, amount_minor)
    WHERE item_due IS NOT NULL;

CREATE VIEW ar_open_items AS
SELECT
    l.item AS document_id,
    d.number AS number,
    l.customer_id AS customer_id,
    l.currency AS currency,
    d.issue_date AS issue_date,
    d.due_date AS due_date,
    SUM(l.amount_minor) AS open_minor
FROM journal_lines l
JOIN documents d ON d.id = l.item
WHERE l.account = (SELECT value FROM settings WHERE key = 'account.receivable')
GROUP BY l.item, d.number, l.customer_id, l.currency, d.issue_date, d.due_date
HAVING SUM(l.amount_minor) <> 0;
