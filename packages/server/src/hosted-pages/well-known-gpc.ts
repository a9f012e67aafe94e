// GET /.well-known/gpc.json (R47, B13): this origin honours Global Privacy Control.
import type { Hono } from 'hono';
import type { HostedEnv } from './hosted-shared.js';

export type GpcJsonOptions = {
  /** RFC 3339 full-date of the last change to our GPC handling. */
  lastUpdate?: string;
};

// Bump when the way the hosted pages and the ledger honour GPC changes.
export const GPC_LAST_UPDATE = '2026-11-28';

export function registerWellKnownGpc(app: Hono<HostedEnv>, options: GpcJsonOptions = {}): void {
  const body = JSON.stringify({ gpc: true, lastUpdate: options.lastUpdate ?? GPC_LAST_UPDATE });
  app.get('/.well-known/gpc.json', (c) => {
    c.header('Cache-Control', 'public, max-age=86400');
    c.header('Access-Control-Allow-Origin', '*');
    return c.body(body, 200, { 'Content-Type': 'application/json' });
  });
}
