// Next.js (App Router) builds with `next build` into .next/ and serves with `next start`. The
// ConsentKit packages are consumed as installed (their built dist/); in this repository they are
// workspace links, so Turbopack's root is the repository.
import { resolve } from 'node:path';
import type { NextConfig } from 'next';

const config: NextConfig = {
  turbopack: { root: resolve(import.meta.dirname, '../..') },
  outputFileTracingRoot: resolve(import.meta.dirname, '../..'),
  poweredByHeader: false,
  // `next dev` would otherwise write an AGENTS.md into the example.
  agentRules: false,
  experimental: { agentUpgrade: false },
};

export default config;
