-- The ledger schema. Identical on PGlite and PostgreSQL. Times are RFC 3339 text (what we
-- sign and hash), bytes are base64url text, so both drivers read back exactly what we wrote.

-- One row that every append locks (SELECT … FOR UPDATE): it serialises appends across
-- processes and holds the chain head, so many instances keep one chain.
CREATE TABLE IF NOT EXISTS ledger_head (
  id integer PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL,
  entry_hash text NOT NULL
);
INSERT INTO ledger_head (id, seq, entry_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')
ON CONFLICT (id) DO NOTHING;

-- A person, by blind index (HMAC of the normalised identifier); the identifier is never stored in clear.
CREATE TABLE IF NOT EXISTS subjects (
  ref text PRIMARY KEY,
  blind_index text UNIQUE,
  created_at text NOT NULL
);

-- The append-only chain. entry_hash = core entryHash({ prevHash, entry }) over the fields that
-- describe the entry (see ledger/entry.ts); receipt is the ledger's JWS over the entry.
CREATE TABLE IF NOT EXISTS ledger_entries (
  seq bigint PRIMARY KEY,
  record_id text NOT NULL UNIQUE,
  kid text NOT NULL,
  digest text NOT NULL,
  jws text NOT NULL,
  subject_ref text,
  received_at text NOT NULL,
  prev_hash text NOT NULL,
  entry_hash text NOT NULL,
  receipt text NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_entries_kid_seq ON ledger_entries (kid, seq);
CREATE INDEX IF NOT EXISTS ledger_entries_subject_seq ON ledger_entries (subject_ref, seq);

-- Identifier openings, encrypted (AES-256-GCM) and apart from the records: erasing a person
-- deletes these rows and the chain still verifies.
CREATE TABLE IF NOT EXISTS openings (
  record_id text PRIMARY KEY,
  subject_ref text NOT NULL,
  key_id text NOT NULL,
  sealed text NOT NULL
);
CREATE INDEX IF NOT EXISTS openings_subject ON openings (subject_ref);

-- Signed checkpoints of the chain head (R72: detects a truncated tail).
CREATE TABLE IF NOT EXISTS checkpoints (
  seq bigint PRIMARY KEY,
  entry_hash text NOT NULL,
  signed_at text NOT NULL,
  jws text NOT NULL
);

-- Ledger keys: signing (public JWK in clear, private JWK sealed), token HMAC, blind index,
-- opening encryption. Secrets are sealed under the master key; retired keys stay to verify.
CREATE TABLE IF NOT EXISTS keys (
  kid text PRIMARY KEY,
  purpose text NOT NULL,
  algorithm text NOT NULL,
  status text NOT NULL,
  created_at text NOT NULL,
  public_jwk text,
  sealed text NOT NULL
);
CREATE INDEX IF NOT EXISTS keys_purpose_status ON keys (purpose, status);

-- Which subject a commitment was opened for, so later records that carry the same commitment
-- without an opening still land on that person. Salted commitments reveal nothing.
CREATE TABLE IF NOT EXISTS commitments (
  commitment text PRIMARY KEY,
  subject_ref text NOT NULL
);

-- Every policy version served, by digest (records name the version they were made under).
CREATE TABLE IF NOT EXISTS policies (
  digest text PRIMARY KEY,
  id text NOT NULL,
  version text NOT NULL,
  document text NOT NULL,
  first_served_at text NOT NULL
);
