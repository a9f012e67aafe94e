// The statements a placement runs under the head lock (ingest.ts): one lookup, and its own rows
// written in the append's statement.
import { lastDigestSql } from '../ledger/ledger.js';

/**
 * `x = ANY(…)` over a JSON array parameter: one statement for any number of values, on both
 * stores; an array (not an IN subquery) so the planner always takes the unique index.
 */
const anyJson = (param: string) => `ANY(ARRAY(SELECT json_array_elements_text(${param}::json)))`;

/** One row of the placement's lookup: `k` says what it answers, `a`…`d` its values. */
export type LookupRow = {
  k: 'entry' | 'head' | 'ref' | 'index' | 'link' | 'key';
  a: string;
  b: string | null;
  c: string | null;
  d: string | null;
};

/**
 * The placement's lookup, for the records' ids ($1), signer kids ($2), subject refs ($3), blind
 * indexes ($4) and commitments ($5), each a JSON array: entries already on file, each signer's
 * last digest, refs that exist, people by blind index, commitment links, and the sealed data keys
 * of the people found by blind index (whose openings are sealed with them).
 */
export const LOOKUP_SQL = `
  SELECT 'entry' AS k, record_id AS a, digest AS b, seq::text AS c, receipt AS d
    FROM ledger_entries WHERE record_id = ${anyJson('$1')}
  UNION ALL
  SELECT 'head', j.kid, ${lastDigestSql('j.kid')}, NULL, NULL
    FROM json_array_elements_text($2::json) AS j(kid)
  UNION ALL
  SELECT 'ref', ref, NULL, NULL, NULL FROM subjects WHERE ref = ${anyJson('$3')}
  UNION ALL
  SELECT 'index', ref, blind_index, NULL, NULL FROM subjects WHERE blind_index = ${anyJson('$4')}
  UNION ALL
  SELECT 'link', commitment, subject_ref, NULL, NULL FROM commitments WHERE commitment = ${anyJson('$5')}
  UNION ALL
  SELECT 'key', k.subject_ref, k.sealed, NULL, NULL
    FROM subject_keys k JOIN subjects s ON s.ref = k.subject_ref WHERE s.blind_index = ${anyJson('$4')}`;

/**
 * The placement's own rows, written in the append's own statement (ledger.ts `AppendAlongside`:
 * one statement fewer under the head lock; sibling data-modifying CTEs, constraints checked at the
 * statement's end): new people ($1), commitment links ($2; the first link wins), new people's
 * sealed data keys ($3) and the sealed openings ($4), each a JSON array of rows. `people` returns
 * the new refs so their entries join their histories in the same statement.
 */
export const WRITE_CTES = `
  people AS (
    INSERT INTO subjects (ref, blind_index, created_at)
    SELECT ref, blind_index, created_at FROM json_to_recordset($1::json) AS x(ref text, blind_index text, created_at text)
    RETURNING ref
  ), links AS (
    INSERT INTO commitments (commitment, subject_ref)
    SELECT commitment, subject_ref FROM json_to_recordset($2::json) AS x(commitment text, subject_ref text)
    ON CONFLICT (commitment) DO NOTHING
  ), keys AS (
    INSERT INTO subject_keys (subject_ref, sealed, created_at)
    SELECT subject_ref, sealed, created_at FROM json_to_recordset($3::json) AS x(subject_ref text, sealed text, created_at text)
  ), sealed_openings AS (
    INSERT INTO openings (record_id, subject_ref, key_id, sealed)
    SELECT record_id, subject_ref, key_id, sealed FROM json_to_recordset($4::json)
      AS x(record_id text, subject_ref text, key_id text, sealed text)
  )`;
