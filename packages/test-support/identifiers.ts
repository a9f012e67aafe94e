// The identifiers a suite used (emails, refs, tokens, record ids, openings, API keys, addresses),
// written down when CONSENTKIT_SCAN_IDENTIFIERS_FILE names a file, so the log scan
// (packages/server/test/ops/log-scan.node.test.ts) searches the server's log for exactly what the
// suites sent rather than for guesses. A no-op otherwise. Node only.
import { appendFileSync } from 'node:fs';

export type IdentifierKind = 'email' | 'ref' | 'token' | 'record-id' | 'opening' | 'api-key' | 'ip';

/** Too short to search for without matching everything (a 1-character fuzz string). */
const MIN_LENGTH = 6;

export function exposeIdentifiers(kind: IdentifierKind, ...values: readonly (string | null | undefined)[]): void {
  const file = process.env.CONSENTKIT_SCAN_IDENTIFIERS_FILE;
  if (!file) return;
  const lines = values
    .filter((v): v is string => typeof v === 'string' && v.length >= MIN_LENGTH)
    .map((value) => `${JSON.stringify({ kind, value })}\n`)
    .join('');
  if (lines) appendFileSync(file, lines);
}
