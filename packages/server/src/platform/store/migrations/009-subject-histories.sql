-- Subject histories (ledger/subject-histories.ts): for each person, what the rules read of each of
-- their entries (core's RuleRecord and the stored assurance), in ledger order, as comma-separated
-- JSON items. Written in the same transaction as every append, so a state query reads one narrow
-- row per person instead of decoding every record. Derived data: never in a backup, never trusted
-- by `verify`; rebuilt from the entries whenever it is behind them. Additive only.
CREATE TABLE IF NOT EXISTS subject_histories (
  subject_ref text PRIMARY KEY,
  items text NOT NULL
);

-- The last entry the histories hold. A ledger upgraded to this starts at 0: the start that applies
-- it builds every history from the entries (as any append or read that finds the histories behind).
CREATE TABLE IF NOT EXISTS subject_history_head (
  id integer PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL
);
INSERT INTO subject_history_head (id, seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
