-- Retention: every purge (`consentkit purge`, the server's daily job) leaves a deletion
-- receipt, a JWS signed by the ledger's key over what was destroyed and why (subject refs and
-- counts, never an identifier), verifiable against /.well-known/jwks.json. Additive only.
CREATE TABLE IF NOT EXISTS purge_receipts (
  id text PRIMARY KEY,
  purged_at text NOT NULL,
  subjects integer NOT NULL,
  jws text NOT NULL,
  audit_seq bigint NOT NULL,
  created_at text NOT NULL
);
CREATE INDEX IF NOT EXISTS purge_receipts_purged_at ON purge_receipts (purged_at);
