import { readFileSync } from 'node:fs';
import { isConsentError, type Policy } from '@consentkit/core';
import { parsePolicy } from '@consentkit/core/schema';
import { ConfigError } from '../runtime/config.js';

/** One thing wrong with a policy file: the field's path (`purposes.4.basis`) and what is wrong. */
export type PolicyFileProblem = { readonly path: string; readonly message: string };

/** A policy file read and validated: the policy, or why not (unreadable is a usage mistake). */
export type PolicyFileResult =
  | { readonly ok: true; readonly policy: Policy }
  | { readonly ok: false; readonly unreadable: boolean; readonly problems: readonly PolicyFileProblem[] };

/** Reads and validates a policy file (the server at start, `consentkit policy check`). */
export function readPolicyFile(path: string): PolicyFileResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { ok: false, unreadable: true, problems: [{ path: '(file)', message: `cannot read ${path}` }] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ok: false, unreadable: false, problems: [{ path: '(file)', message: `not JSON (${why})` }] };
  }
  try {
    return { ok: true, policy: parsePolicy(value) };
  } catch (error) {
    if (isConsentError(error) && error.issues.length > 0) {
      const problems = error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
      return { ok: false, unreadable: false, problems };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, unreadable: false, problems: [{ path: '(root)', message }] };
  }
}

/** Reads and validates the policy file, naming the file and each invalid field on failure. */
export function loadPolicyFile(path: string): Policy {
  const result = readPolicyFile(path);
  if (result.ok) return result.policy;
  if (result.unreadable) throw new ConfigError([`CONSENTKIT_POLICY (--policy): cannot read ${path}`]);
  throw new ConfigError(
    result.problems.map((p) => (p.path === '(file)' ? `${path}: ${p.message}` : `${path}: ${p.path}: ${p.message}`)),
  );
}
