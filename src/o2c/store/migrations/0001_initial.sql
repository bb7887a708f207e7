-- o2c schema version 1: parties, contracts, pricing inputs, documents, ledger, bill runs,
-- idempotency and the audit trail.
-- Placeholders in braces are filled per dialect (see o2c.store._migrate.TYPES):
--   {money}     BIGINT integer minor units (cents); a SUM is exact on every store
--   {decimal}   exact decimal: NUMERIC on PostgreSQL, TEXT on SQLite (never REAL)
--   {date}      DATE on PostgreSQL, ISO 'YYYY-MM-DD' TEXT on SQLite (sorts and compares)
--   {timestamp} TIMESTAMPTZ on PostgreSQL, ISO-8601 TEXT with offset on SQLite
--   {json}      JSONB on PostgreSQL, TEXT on SQLite
--   {serial}    an auto-numbered integer primary key

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE currencies (
    code TEXT PRIMARY KEY,
    minor_units INTEGER NOT NULL
);

CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    currency TEXT NOT NULL REFERENCES currencies (code),
    payment_terms TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    credit_limit_minor {money},
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    data {json} NOT NULL,
    created_at {timestamp} NOT NULL,
    updated_at {timestamp} NOT NULL
);

CREATE TABLE contracts (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    currency TEXT NOT NULL REFERENCES currencies (code),
    status TEXT NOT NULL,
    effective_from {date} NOT NULL,
    effective_to {date},
    version INTEGER NOT NULL,
    data {json} NOT NULL,
    created_at {timestamp} NOT NULL
);
CREATE INDEX contracts_customer ON contracts (customer_id);

CREATE TABLE contract_versions (
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    version INTEGER NOT NULL,
    effective_from {date} NOT NULL,
    data {json} NOT NULL,
    created_at {timestamp} NOT NULL,
    PRIMARY KEY (contract_id, version)
);

CREATE TABLE rate_cards (
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    currency TEXT NOT NULL,
    data {json} NOT NULL,
    source TEXT NOT NULL,
    created_at {timestamp} NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE tax_tables (
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    data {json} NOT NULL,
    source TEXT NOT NULL,
    created_at {timestamp} NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE usage_records (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    contract_id TEXT REFERENCES contracts (id),
    item TEXT NOT NULL,
    quantity {decimal} NOT NULL,
    occurred_at {timestamp} NOT NULL,
    received_at {timestamp} NOT NULL,
    document_id TEXT
);
CREATE INDEX usage_records_customer ON usage_records (customer_id, occurred_at);

CREATE TABLE time_entries (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    contract_id TEXT REFERENCES contracts (id),
    person TEXT NOT NULL,
    role TEXT NOT NULL,
    work_date {date} NOT NULL,
    hours {decimal} NOT NULL,
    approved INTEGER NOT NULL,
    description TEXT NOT NULL,
    document_id TEXT
);
CREATE INDEX time_entries_customer ON time_entries (customer_id, work_date);

CREATE TABLE sales_orders (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    contract_id TEXT REFERENCES contracts (id),
    order_date {date} NOT NULL,
    status TEXT NOT NULL,
    data {json} NOT NULL,
    document_id TEXT,
    created_at {timestamp} NOT NULL
);

CREATE TABLE number_series (
    series TEXT PRIMARY KEY,
    next_value BIGINT NOT NULL
);

CREATE TABLE periods (
    period TEXT PRIMARY KEY,
    start_date {date} NOT NULL,
    end_date {date} NOT NULL,
    status TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at {timestamp} NOT NULL
);

CREATE TABLE bill_runs (
    id TEXT PRIMARY KEY,
    period_start {date} NOT NULL,
    period_end {date} NOT NULL,
    cut_off {timestamp} NOT NULL,
    status TEXT NOT NULL,
    actor TEXT NOT NULL,
    started_at {timestamp} NOT NULL,
    finished_at {timestamp},
    invoices INTEGER NOT NULL,
    exceptions INTEGER NOT NULL,
    skipped INTEGER NOT NULL
);

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    series TEXT,
    number TEXT,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    contract_id TEXT REFERENCES contracts (id),
    bill_run_id TEXT REFERENCES bill_runs (id),
    run_key TEXT UNIQUE,
    currency TEXT NOT NULL REFERENCES currencies (code),
    issue_date {date},
    due_date {date},
    tax_point {date},
    period_start {date},
    period_end {date},
    po_number TEXT,
    payment_terms TEXT NOT NULL,
    corrects_id TEXT REFERENCES documents (id),
    reason TEXT,
    reason_text TEXT NOT NULL,
    net_minor {money} NOT NULL,
    tax_minor {money} NOT NULL,
    withheld_minor {money} NOT NULL,
    gross_minor {money} NOT NULL,
    payable_minor {money} NOT NULL,
    customer_snapshot {json} NOT NULL,
    notes {json} NOT NULL,
    created_at {timestamp} NOT NULL,
    issued_at {timestamp},
    voided_at {timestamp},
    void_reason TEXT,
    UNIQUE (series, number)
);
CREATE INDEX documents_customer ON documents (customer_id, issue_date);
CREATE INDEX documents_corrects ON documents (corrects_id);

CREATE TABLE document_lines (
    document_id TEXT NOT NULL REFERENCES documents (id),
    line_no INTEGER NOT NULL,
    item TEXT NOT NULL,
    description TEXT NOT NULL,
    quantity {decimal} NOT NULL,
    unit_price {decimal},
    net_minor {money} NOT NULL,
    tax_minor {money} NOT NULL,
    withheld_minor {money} NOT NULL,
    tax_category TEXT NOT NULL,
    taxes {json} NOT NULL,
    source TEXT NOT NULL,
    period_start {date},
    period_end {date},
    ref_line INTEGER,
    tax_code TEXT NOT NULL,
    explain {json} NOT NULL,
    PRIMARY KEY (document_id, line_no)
);

CREATE TABLE document_taxes (
    document_id TEXT NOT NULL REFERENCES documents (id),
    row_no INTEGER NOT NULL,
    tax_code TEXT NOT NULL,
    category TEXT NOT NULL,
    rate {decimal} NOT NULL,
    withholding INTEGER NOT NULL,
    base_minor {money} NOT NULL,
    tax_minor {money} NOT NULL,
    exemption_reason TEXT NOT NULL,
    tax TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (document_id, row_no)
);

CREATE TABLE bill_run_items (
    run_key TEXT PRIMARY KEY,
    bill_run_id TEXT NOT NULL REFERENCES bill_runs (id),
    contract_id TEXT REFERENCES contracts (id),
    period_start {date} NOT NULL,
    status TEXT NOT NULL,
    document_id TEXT REFERENCES documents (id)
);

CREATE TABLE exceptions (
    id {serial},
    bill_run_id TEXT REFERENCES bill_runs (id),
    contract_id TEXT,
    customer_id TEXT,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at {timestamp} NOT NULL
);

CREATE TABLE journal_entries (
    id TEXT PRIMARY KEY,
    entry_date {date} NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    reference TEXT NOT NULL,
    due_date {date},
    memo TEXT NOT NULL,
    reverses TEXT REFERENCES journal_entries (id),
    created_at {timestamp} NOT NULL
);
CREATE INDEX journal_entries_source ON journal_entries (source);

CREATE TABLE journal_lines (
    entry_id TEXT NOT NULL REFERENCES journal_entries (id),
    line_no INTEGER NOT NULL,
    account TEXT NOT NULL,
    currency TEXT NOT NULL REFERENCES currencies (code),
    amount_minor {money} NOT NULL,
    customer_id TEXT,
    item TEXT,
    entry_date {date} NOT NULL,
    item_date {date},
    item_due {date},
    PRIMARY KEY (entry_id, line_no)
);
CREATE INDEX journal_lines_account ON journal_lines (account, entry_date);
CREATE INDEX journal_lines_item ON journal_lines (item);

CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    received_date {date} NOT NULL,
    currency TEXT NOT NULL REFERENCES currencies (code),
    amount_minor {money} NOT NULL,
    method TEXT NOT NULL,
    reference TEXT NOT NULL,
    created_at {timestamp} NOT NULL
);
CREATE INDEX payments_customer ON payments (customer_id, received_date);

CREATE TABLE allocations (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents (id),
    customer_id TEXT NOT NULL REFERENCES customers (id),
    alloc_date {date} NOT NULL,
    currency TEXT NOT NULL,
    amount_minor {money} NOT NULL,
    entry_id TEXT NOT NULL REFERENCES journal_entries (id),
    reversed_by TEXT REFERENCES journal_entries (id)
);
CREATE INDEX allocations_document ON allocations (document_id);
CREATE INDEX allocations_source ON allocations (source_id);

CREATE TABLE refunds (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    source_id TEXT NOT NULL,
    refund_date {date} NOT NULL,
    currency TEXT NOT NULL,
    amount_minor {money} NOT NULL,
    method TEXT NOT NULL,
    entry_id TEXT NOT NULL REFERENCES journal_entries (id),
    created_at {timestamp} NOT NULL
);

CREATE TABLE write_offs (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id),
    customer_id TEXT NOT NULL REFERENCES customers (id),
    write_off_date {date} NOT NULL,
    currency TEXT NOT NULL,
    amount_minor {money} NOT NULL,
    reason TEXT NOT NULL,
    entry_id TEXT NOT NULL REFERENCES journal_entries (id),
    created_at {timestamp} NOT NULL
);

CREATE TABLE idempotency (
    key TEXT PRIMARY KEY,
    command TEXT NOT NULL,
    args_hash TEXT NOT NULL,
    result {json} NOT NULL,
    created_at {timestamp} NOT NULL
);

CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    command TEXT NOT NULL,
    args TEXT NOT NULL,
    ids TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
