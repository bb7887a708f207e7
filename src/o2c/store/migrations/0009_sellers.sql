-- The seller's identity (legal name, address, tax profile, registration, bank accounts,
-- e-invoicing endpoint, contact, logo), kept append-only: Book.set_seller adds the next
-- version, none is ever updated. Each issued document records the version it was issued
-- under (documents.seller_version), so changing the seller later never changes what an
-- issued document shows. Books made before this migration have no versions: their
-- documents' seller_version stays NULL.
CREATE TABLE sellers (
    version INTEGER PRIMARY KEY,
    seller {json} NOT NULL,
    actor TEXT NOT NULL,
    created_at {timestamp} NOT NULL
);
ALTER TABLE documents ADD COLUMN seller_version INTEGER REFERENCES sellers (version);
-- The document's technical explanation (how tax was rounded: "CFDI 4.0: tax rounded per
-- line (half up); ..."), shown by o2c invoice explain and kept off the customer's
-- document; documents.notes keeps the legal texts only (reverse charge, exemptions).
ALTER TABLE documents ADD COLUMN explain {json} NOT NULL DEFAULT '[]';
