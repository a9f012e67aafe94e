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
import { cleanup } from '@consentkit/test-support/browser';
import { configure, resetConfig } from '../../src/config.js';

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

/**
 * Before each test of the enclosing `describe`: a fresh memory client over `policy()`, configured
 * for the page with that policy. After each: the fixtures removed, the configuration reset, the
 * client closed. Returns a getter for the current test's client.
 */
export function useMemoryClient(policy: () => Policy): () => MemoryClient {
  let memory: MemoryClient | undefined;
  beforeEach(() => {
    const current = policy();
    memory = createMemoryClient(current);
    configure({ policy: current, client: memory.client });
  });
  afterEach(async () => {
    cleanup();
    resetConfig();
    await memory?.client.close();
    memory = undefined;
  });
  return () => {
    if (!memory) throw new Error('useMemoryClient: the client exists only inside a test');
    return memory;
  };
}
