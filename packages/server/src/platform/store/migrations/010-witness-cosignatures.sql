-- Witness cosignatures and refusals (witness/checkpoint-publisher.ts, R72). Additive only.
-- A cosignature is kept only once it verified against the witness key configured
-- (CONSENTKIT_WITNESS_KEYS); GET /v1/log/checkpoint adds the lines of those for the head's size
-- and root to the note. The line is stored as the witness returned it.
CREATE TABLE IF NOT EXISTS witness_cosignatures (
  witness text NOT NULL,
  size bigint NOT NULL,
  root text NOT NULL,
  line text NOT NULL,
  cosigned_at bigint NOT NULL,
  PRIMARY KEY (witness, size, root)
);

-- The latest refusal per witness (a checkpoint the witness found inconsistent with one it
-- cosigned: a truncation or fork). Evidence, so a later cosignature does not clear it. `target`
-- is the witness URL without credentials or query; the reason holds sizes and roots only.
CREATE TABLE IF NOT EXISTS witness_refusals (
  target text PRIMARY KEY,
  size bigint NOT NULL,
  reason text NOT NULL,
  refused_at text NOT NULL
);
