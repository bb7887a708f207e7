-- Row seals: the audit chain covers the money-carrying rows, not only the commands.
-- Each event written from now on carries `seal`, the digest of the rows its command
-- wrote (o2c.audit.seal_hash), and its hash covers it; events written before keep an
-- empty seal and hash as they always did. The rows themselves are described, per table
-- and kind of write, in audit_seals: their primary keys, digests of their values (one
-- per row, or per 8 rows for a large group such as a bill run batch) and, for an update
-- or a delete, the rows as they were before. `o2c audit verify` recomputes the digests
-- from the stored rows. The first sealed event of a book made before this migration
-- also seals every row already stored.
-- keys and images are zlib-compressed canonical JSON, base64; digests are base64.
ALTER TABLE audit_events ADD COLUMN seal TEXT;

CREATE TABLE audit_seals (
    seq BIGINT NOT NULL,
    n INTEGER NOT NULL,
    table_name TEXT NOT NULL,
    op TEXT NOT NULL,
    columns TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    chunk INTEGER NOT NULL,
    defaults TEXT NOT NULL,
    keys TEXT NOT NULL,
    digests TEXT NOT NULL,
    images TEXT NOT NULL,
    PRIMARY KEY (seq, n)
);
CREATE INDEX audit_seals_table ON audit_seals (table_name, seq, n);
