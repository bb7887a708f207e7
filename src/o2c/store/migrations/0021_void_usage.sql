-- A billing specialist takes a wrong usage record or time entry out before it is billed
-- (issue 26: one bad input record must be removable by a command, not by SQL): the row
-- stays, so a re-import of the same id is still a duplicate, and is marked void with who,
-- when and why. No bill run, per-event charge or unbilled list reads a voided row.
ALTER TABLE usage_records ADD COLUMN voided_at {timestamp};
ALTER TABLE usage_records ADD COLUMN voided_by TEXT;
ALTER TABLE usage_records ADD COLUMN void_reason TEXT;
ALTER TABLE time_entries ADD COLUMN voided_at {timestamp};
ALTER TABLE time_entries ADD COLUMN voided_by TEXT;
ALTER TABLE time_entries ADD COLUMN void_reason TEXT;
