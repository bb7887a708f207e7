-- The exceptions queue never cleared: every re-run of a period added one more open row
-- for the same contract period and reason, and no row was ever marked resolved. From
-- now on a queue row is one (run key, reason): a re-run that meets it again updates
-- when it was last seen (and by which run), a run that bills the run key resolves it
-- (resolved_at, resolved_by_run), and a run that meets another reason for the same run
-- key resolves the old one. The run key moves out of the message head into a column.
ALTER TABLE exceptions ADD COLUMN run_key TEXT;
ALTER TABLE exceptions ADD COLUMN last_run_id TEXT REFERENCES bill_runs (id);
ALTER TABLE exceptions ADD COLUMN last_seen_at {timestamp};
ALTER TABLE exceptions ADD COLUMN resolved_at {timestamp};
ALTER TABLE exceptions ADD COLUMN resolved_by_run TEXT REFERENCES bill_runs (id);
-- Rows so far keep the run key at the head of their message ("K-1:2026-10: ...").
UPDATE exceptions SET
    run_key = CASE WHEN {strpos}(message, ': ') > 0
        THEN substr(message, 1, {strpos}(message, ': ') - 1) ELSE message END,
    last_run_id = bill_run_id,
    last_seen_at = created_at;
-- Duplicates of an open (run key, reason) fold into the first: it was last seen when
-- the last one was raised, by that one's run.
UPDATE exceptions SET
    last_seen_at = (SELECT MAX(d.created_at) FROM exceptions d WHERE d.status = 'open'
        AND d.run_key = exceptions.run_key AND d.code = exceptions.code),
    last_run_id = (SELECT d.bill_run_id FROM exceptions d WHERE d.status = 'open'
        AND d.run_key = exceptions.run_key AND d.code = exceptions.code
        ORDER BY d.id DESC LIMIT 1)
WHERE status = 'open';
DELETE FROM exceptions WHERE status = 'open' AND id > (SELECT MIN(d.id) FROM exceptions d
    WHERE d.status = 'open' AND d.run_key = exceptions.run_key AND d.code = exceptions.code);
-- An open row whose run key a later run met with another reason: that run resolved it.
UPDATE exceptions SET
    status = 'resolved',
    resolved_at = (SELECT MIN(d.created_at) FROM exceptions d WHERE d.run_key = exceptions.run_key
        AND d.code <> exceptions.code AND d.created_at > exceptions.last_seen_at),
    resolved_by_run = (SELECT d.bill_run_id FROM exceptions d WHERE d.run_key = exceptions.run_key
        AND d.code <> exceptions.code AND d.created_at > exceptions.last_seen_at
        ORDER BY d.created_at, d.id LIMIT 1)
WHERE status = 'open' AND EXISTS (SELECT 1 FROM exceptions d WHERE d.run_key = exceptions.run_key
    AND d.code <> exceptions.code AND d.created_at > exceptions.last_seen_at);
-- An open row whose run key has been billed since: the run that billed it resolved it.
UPDATE exceptions SET
    status = 'resolved',
    resolved_by_run = (SELECT i.bill_run_id FROM bill_run_items i
        WHERE i.run_key = exceptions.run_key),
    resolved_at = (SELECT COALESCE(b.finished_at, b.started_at) FROM bill_run_items i
        JOIN bill_runs b ON b.id = i.bill_run_id WHERE i.run_key = exceptions.run_key)
WHERE status = 'open'
    AND EXISTS (SELECT 1 FROM bill_run_items i WHERE i.run_key = exceptions.run_key);
-- One open row per run key and reason; a run looks its run keys' open rows up by it.
CREATE UNIQUE INDEX exceptions_open ON exceptions (run_key, code) WHERE status = 'open';
