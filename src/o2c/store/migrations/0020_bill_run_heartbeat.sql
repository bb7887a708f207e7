-- A bill run records when it last committed a batch (heartbeat_at), so the next run can
-- tell a run that is still working from one whose process died (issue 26: a killed run
-- stayed "running" with 0 invoices forever). A run found dead is marked failed with a
-- note saying why; what it committed stays, and the next run bills the rest.
ALTER TABLE bill_runs ADD COLUMN heartbeat_at {timestamp};
ALTER TABLE bill_runs ADD COLUMN note TEXT;
