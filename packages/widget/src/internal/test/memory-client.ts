/**
 * A real SDK client over the SDK's in-memory ledger, for tests: records are really built,
 * signed and verified; nothing leaves the page.
 */
import type { Policy } from '@consentkit/core';
import {
  type ConsentClient,
  createConsentClient,
  createMemoryBackend,
  createMemoryOutboxStore,
  type MemoryBackend,
} from '@consentkit/sdk';

export type MemoryClient = { client: ConsentClient; backend: MemoryBackend };

export function createMemoryClient(policy: Policy, options: { jurisdiction?: string } = {}): MemoryClient {
  const backend = createMemoryBackend({ policy });
  const client = createConsentClient({
    policy,
    backend,
    outbox: createMemoryOutboxStore(),
    gpc: false,
    pageLifecycle: false,
    ...(options.jurisdiction ? { jurisdiction: options.jurisdiction } : {}),
  });
  return { client, backend };
}

/** Resolves when `predicate` holds, polling briefly (records are signed asynchronously). */
export async function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
