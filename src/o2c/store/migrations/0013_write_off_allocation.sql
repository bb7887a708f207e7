-- The allocation whose cash left the small balance a tolerance write-off closed
-- (allocation_id, its journal entry id; NULL for every other write-off), so undoing that
-- allocation reverses the write-off it caused. Added, never back-filled: rows written
-- before keep NULL (their seals do not cover the new column).
ALTER TABLE write_offs ADD COLUMN allocation_id TEXT REFERENCES journal_entries (id);

CREATE INDEX write_offs_allocation ON write_offs (allocation_id);
