-- Assurance on every ledger entry (docs/decisions/0002, docs/ledger-entry.md): how much the ledger
-- knows about who made the record. Entries stored before this are version 1: their hash does not
-- cover assurance, so it is derived here from what is known and flagged by entry_version = 1:
-- records the ledger's own signing key made (hosted pages, reached through a mailed link) are
-- 'inbox', everything else came through ingest without authentication, 'device'. The same rule is
-- derivedAssurance() in ledger/entry.ts (used when a version 1 backup is imported).
ALTER TABLE ledger_entries ADD COLUMN IF NOT EXISTS entry_version smallint NOT NULL DEFAULT 1;
ALTER TABLE ledger_entries ADD COLUMN IF NOT EXISTS assurance text;
UPDATE ledger_entries SET assurance = CASE
    WHEN kid IN (SELECT kid FROM keys WHERE purpose = 'signing') THEN 'inbox'
    ELSE 'device'
  END
WHERE assurance IS NULL;
ALTER TABLE ledger_entries ALTER COLUMN assurance SET NOT NULL;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_assurance CHECK (assurance IN ('device', 'site', 'inbox'));
