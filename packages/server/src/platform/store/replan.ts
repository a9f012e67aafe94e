/**
 * When a named statement (QueryOptions' `prepare`) is prepared again. PostgreSQL keeps a prepared
 * statement's generic plan, chosen after its fifth execution, until an ANALYZE or a schema change
 * invalidates it. Prepared on a near-empty table, as a new ledger's are, that plan scans the table
 * (cheapest when it is empty) and keeps scanning it as it grows: the placement's lookup took
 * ≈ 4 ms at 2,000 entries by a sequential scan against 0.5 ms by its index (EXPLAIN ANALYZE), and
 * ingest on a new ledger ran at about half its rate until autovacuum's ANALYZE. So each name is
 * prepared anew, under a new name, whenever its executions double past 8: a plan is then never
 * older than half of what it has run. The doubling stops at 2^24 executions, so a long-running
 * server prepares a statement at most 23 times on a connection.
 */
const FIRST = 8;
const LAST = 2 ** 24;

/** The name to run a statement under at its `executions`-th execution (1, 2, …). */
export function preparedName(name: string, executions: number): string {
  if (executions < FIRST) return name;
  const generation = Math.floor(Math.log2(Math.min(executions, LAST) / FIRST)) + 1;
  return `${name}~${generation}`;
}

/** Counts each name's executions and names the prepared statement to run it under. */
export function createPreparedNames(): (name: string) => string {
  const executions = new Map<string, number>();
  return (name) => {
    const n = (executions.get(name) ?? 0) + 1;
    executions.set(name, n);
    return preparedName(name, n);
  };
}
