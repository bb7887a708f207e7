-- Prepaid credits (issue 20): a customer's wallet holds credit lots, paid (bought by a
-- payment or an invoice) or granted (free, promotional). A lot's remaining amount is its
-- amount less its movements (draws against invoices, expiry); the ledger carries the same
-- figure on the customer credit account (2150), one item per lot.
CREATE TABLE wallet_lots (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    currency TEXT NOT NULL REFERENCES currencies (code),
    kind TEXT NOT NULL,
    amount_minor {money} NOT NULL,
    granted_on {date} NOT NULL,
    expires_on {date},
    payment_id TEXT,
    entry_id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at {timestamp} NOT NULL
);

CREATE INDEX wallet_lots_customer ON wallet_lots (customer_id, currency);

-- What took credit off a lot: a draw against an invoice or its expiry.
CREATE TABLE wallet_movements (
    id TEXT PRIMARY KEY,
    lot_id TEXT NOT NULL REFERENCES wallet_lots (id),
    kind TEXT NOT NULL,
    amount_minor {money} NOT NULL,
    moved_on {date} NOT NULL,
    document_id TEXT REFERENCES documents (id),
    entry_id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at {timestamp} NOT NULL
);

CREATE INDEX wallet_movements_lot ON wallet_movements (lot_id);
