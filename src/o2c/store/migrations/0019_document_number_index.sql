-- Documents are looked up by number (a payment's remittance line names an invoice number,
-- o2c invoice show INV-2026-000042): the UNIQUE (series, number) index cannot serve a
-- lookup by number alone, so each one scanned the documents table (issue 26: a payment
-- import of 20k lines took 79 s, its write transaction 2-3 s of it).
CREATE INDEX documents_number ON documents (number) WHERE number IS NOT NULL;
