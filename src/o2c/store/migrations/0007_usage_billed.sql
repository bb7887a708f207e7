-- A bill run now marks the usage records it bills with the invoice (document_id), as it
-- does time entries: re-rating reads an invoice's usage by it, and analysts can join
-- usage to invoices. Only billed records are indexed; the run looks up unbilled ones
-- by customer (usage_records_customer).
CREATE INDEX usage_records_document ON usage_records (document_id)
    WHERE document_id IS NOT NULL;
