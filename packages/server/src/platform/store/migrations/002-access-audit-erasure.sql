-- Scoped API keys, the audit trail and per-subject data keys. Additive only: nothing in
-- 001 changes, so a ledger created before this migration keeps verifying.

-- API keys are stored only as SHA-256 of the high-entropy secret (shown once at creation): a
-- leaked table grants nothing. Revoked keys stay so the audit log's key ids keep meaning something.
CREATE TABLE IF NOT EXISTS api_keys (
  id text PRIMARY KEY,
  name text NOT NULL,
  scope text NOT NULL CHECK (scope IN ('ingest', 'read', 'admin')),
  key_hash text NOT NULL UNIQUE,
  created_at text NOT NULL,
  revoked_at text
);

-- The audit trail's own chain head, locked (FOR UPDATE) by every append, like ledger_head.
CREATE TABLE IF NOT EXISTS audit_head (
  id integer PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL,
  entry_hash text NOT NULL
);
INSERT INTO audit_head (id, seq, entry_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')
ON CONFLICT (id) DO NOTHING;

-- Who (actor: an API key id, the configured admin key or the CLI), when, what, on whom (a subject
-- ref, never an identifier) and from where. entry_hash = core entryHash over the other columns.
CREATE TABLE IF NOT EXISTS audit_log (
  seq bigint PRIMARY KEY,
  at text NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  target text,
  ip text,
  detail text NOT NULL,
  prev_hash text NOT NULL,
  entry_hash text NOT NULL
);

-- One data key per subject, sealed by the ledger's opening key (itself sealed under the master
-- key). Openings are sealed with it, so deleting this row makes them unreadable (crypto-shredding).
CREATE TABLE IF NOT EXISTS subject_keys (
  subject_ref text PRIMARY KEY,
  sealed text NOT NULL,
  created_at text NOT NULL
);
