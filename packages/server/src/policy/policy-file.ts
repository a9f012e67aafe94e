import { readFileSync } from 'node:fs';
import { isConsentError, type Policy } from '@consentkit/core';
import { parsePolicy } from '@consentkit/core/schema';
import { ConfigError } from '../runtime/config.js';

/** Reads and validates the policy file, naming the file and each invalid field on failure. */
export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError([`CONSENTKIT_POLICY (--policy): cannot read ${path}`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`${path}: not JSON (${error instanceof Error ? error.message : String(error)})`]);
  }
  try {
    return parsePolicy(value);
  } catch (error) {
    if (isConsentError(error) && error.issues.length > 0) {
      throw new ConfigError(error.issues.map((i) => `${path}: ${i.path.join('.') || '(root)'}: ${i.message}`));
    }
    throw new ConfigError([`${path}: ${error instanceof Error ? error.message : String(error)}`]);
  }
}
