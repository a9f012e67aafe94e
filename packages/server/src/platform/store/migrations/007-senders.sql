-- Senders: the `suppressions` API-key scope (the suppression feed with addresses in clear) and
-- the email providers' events (idempotency by the provider's own event id). Additive only.
ALTER TABLE api_keys DROP CONSTRAINT IF EXISTS api_keys_scope_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scope_check CHECK (scope IN ('ingest', 'read', 'admin', 'suppressions'));

-- One row per provider event the ledger acted on or set aside; the primary key makes a replayed
-- event a no-op. `outcome`: recorded (an opt-out record was appended), unchanged (the person had
-- already opted out), new-subject (an address the ledger did not know: a subject was made for it,
-- by blind index only, and the opt-out recorded, so a later enrolment lands on it), ignored (not a
-- consent event, e.g. a bounce: `reason` says which). No address is stored here.
CREATE TABLE IF NOT EXISTS provider_events (
  provider text NOT NULL,
  event_id text NOT NULL,
  event_type text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('recorded', 'unchanged', 'new-subject', 'ignored')),
  reason text,
  subject_ref text,
  record_id text,
  occurred_at text,
  received_at text NOT NULL,
  PRIMARY KEY (provider, event_id)
);
CREATE INDEX IF NOT EXISTS provider_events_outcome ON provider_events (provider, outcome);

-- Mailgun signs a timestamp and a one-time token, not the body: a token seen once is refused
-- after, so a captured signature cannot carry another event (kept as SHA-256, pruned by age).
CREATE TABLE IF NOT EXISTS provider_tokens (
  provider text NOT NULL,
  token_hash text NOT NULL,
  seen_at text NOT NULL,
  PRIMARY KEY (provider, token_hash)
);
