-- Mexico CFDI 4.0 (issue 17, o2c.io.cfdi). The master data a CFDI needs that the core
-- parties and items do not carry (a customer's fiscal regime, tax postal code and CFDI use;
-- an item's ClaveProdServ, ClaveUnidad and ObjetoImp; the seller's regime and expedition
-- postal code), kept append-only: each set adds the next version of (kind, code), the
-- latest version is the one in force, none is ever updated.
CREATE TABLE cfdi_master_data (
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    data {json} NOT NULL,
    actor TEXT NOT NULL,
    created_at {timestamp} NOT NULL,
    PRIMARY KEY (kind, code, version)
);
-- Each CFDI a PAC stamped: of an issued document (Ingreso, Egreso) or a payment (Pago),
-- with the UUID (folio fiscal), the stamp date, the PAC and the stamped XML exactly as the
-- PAC returned it. A cancellation request (SAT reason 01-04, the substitute's UUID for 01)
-- is recorded on the row; the XML is never changed.
CREATE TABLE cfdi_stamps (
    uuid TEXT PRIMARY KEY,
    source_kind TEXT NOT NULL,
    source_id TEXT NOT NULL,
    cfdi_type TEXT NOT NULL,
    pac TEXT NOT NULL,
    stamped_at {timestamp} NOT NULL,
    xml TEXT NOT NULL,
    stamped_by TEXT NOT NULL,
    cancel_reason TEXT,
    cancel_substitute TEXT,
    cancelled_at {timestamp},
    cancelled_by TEXT
);
CREATE INDEX cfdi_stamps_source ON cfdi_stamps (source_kind, source_id, stamped_at);
