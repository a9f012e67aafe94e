-- Third parties: the partner registry and the durable webhook queue. Additive only.

-- One row per policy recipient that receives webhooks (id = the recipient id in the policy).
-- The signing secrets and the pseudonym key are sealed under the master key (AES-256-GCM, bound to
-- the partner id), like the ledger keys: a copy of the table alone cannot sign or link anything.
CREATE TABLE IF NOT EXISTS partners (
  id text PRIMARY KEY,
  endpoint text NOT NULL,
  sealed_secrets text NOT NULL,
  sealed_pseudonym_key text NOT NULL,
  created_at text NOT NULL,
  updated_at text NOT NULL,
  disabled_at text
);

-- The dispatcher's place in the ledger: the last seq it examined. Advanced in the same transaction
-- as the delivery rows it produced, so a crash either keeps both or neither.
CREATE TABLE IF NOT EXISTS partner_dispatch_cursor (
  id integer PRIMARY KEY CHECK (id = 1),
  last_seq bigint NOT NULL
);
INSERT INTO partner_dispatch_cursor (id, last_seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;

-- One row per (partner, record, purpose): the unique key makes a re-run of the dispatcher over the
-- same entries a no-op. `payload` is the exact event JSON (no identifier in clear), so every retry
-- sends the same bytes and the same event id.
CREATE TABLE IF NOT EXISTS partner_deliveries (
  id text PRIMARY KEY,
  partner_id text NOT NULL,
  record_id text NOT NULL,
  purpose text NOT NULL,
  event_type text NOT NULL,
  ledger_seq bigint NOT NULL,
  payload text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  -- attempts already made when an operator last re-queued it: each retry gets a fresh budget.
  retry_base integer NOT NULL DEFAULT 0,
  next_attempt_at text NOT NULL,
  last_status integer,
  last_error text,
  created_at text NOT NULL,
  updated_at text NOT NULL,
  delivered_at text,
  UNIQUE (partner_id, record_id, purpose)
);
CREATE INDEX IF NOT EXISTS partner_deliveries_due ON partner_deliveries (status, next_attempt_at);

-- Every HTTP attempt, kept after success too: the delivery log a partner dispute is settled with.
CREATE TABLE IF NOT EXISTS partner_delivery_attempts (
  delivery_id text NOT NULL REFERENCES partner_deliveries (id),
  attempt integer NOT NULL,
  at text NOT NULL,
  status integer,
  error text,
  duration_ms integer NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
