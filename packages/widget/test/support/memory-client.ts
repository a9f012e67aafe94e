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
