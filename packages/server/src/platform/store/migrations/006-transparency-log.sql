-- The transparency log (R72, docs/transparency.md): a Merkle tree (RFC 9162) over the entries
-- and a signed checkpoint note (C2SP tlog-checkpoint) of every head. Identical on PGlite and
-- PostgreSQL. A ledger made before this migration is sealed once, on the start that applies it.

-- The head carries the tree's right edge (the roots of its complete subtrees, base64, largest
-- first), so each append knows the new root under the lock, and the signed note of that root.
ALTER TABLE ledger_head ADD COLUMN IF NOT EXISTS tree_size bigint NOT NULL DEFAULT 0;
ALTER TABLE ledger_head ADD COLUMN IF NOT EXISTS frontier text NOT NULL DEFAULT '[]';
ALTER TABLE ledger_head ADD COLUMN IF NOT EXISTS origin text;
ALTER TABLE ledger_head ADD COLUMN IF NOT EXISTS checkpoint text;

-- The periodic checkpoints also carry their note (NULL on checkpoints made before this).
ALTER TABLE checkpoints ADD COLUMN IF NOT EXISTS note text;

-- Complete subtrees of the tree (level 0 = leaf hashes), base64, built after each commit from
-- the entries (derived data: proofs are read from it, `verify` never trusts it).
CREATE TABLE IF NOT EXISTS merkle_nodes (
  level smallint NOT NULL,
  idx bigint NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (level, idx)
);
