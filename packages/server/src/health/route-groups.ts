/**
 * Requests are counted and logged by route group, never by path: a path can hold a token
 * (`/u/{token}`), a ref or an email address (`/v1/subjects/{ref}`). The group is picked from this
 * fixed table, so it is always one of a few known words.
 */
export const ROUTE_GROUPS = [
  'records',
  'records-projections',
  'policy',
  'subjects',
  'partners',
  'links',
  'attestations',
  'senders',
  'providers',
  'log',
  'admin-api',
  'admin',
  'openapi',
  'jwks',
  'gpc',
  'unsubscribe',
  'preferences',
  'confirm',
  'assets',
  'health',
  'metrics',
  'other',
] as const;

export type RouteGroup = (typeof ROUTE_GROUPS)[number];

const PREFIXES: readonly (readonly [string, RouteGroup])[] = [
  ['/v1/records/', 'records-projections'],
  ['/v1/records', 'records'],
  ['/v1/policy', 'policy'],
  ['/v1/subjects', 'subjects'],
  ['/v1/partners', 'partners'],
  ['/v1/links', 'links'],
  ['/v1/attestations', 'attestations'],
  ['/v1/senders', 'senders'],
  ['/v1/providers', 'providers'],
  ['/v1/log', 'log'],
  ['/v1/admin', 'admin-api'],
  ['/v1/openapi.json', 'openapi'],
  ['/.well-known/jwks.json', 'jwks'],
  ['/.well-known/gpc.json', 'gpc'],
  ['/u/', 'unsubscribe'],
  ['/p/', 'preferences'],
  ['/c/', 'confirm'],
  ['/assets/', 'assets'],
  ['/admin', 'admin'],
  ['/healthz', 'health'],
  ['/readyz', 'health'],
  ['/metrics', 'metrics'],
];

export function routeGroupOf(pathname: string): RouteGroup {
  for (const [prefix, group] of PREFIXES) {
    if (pathname === prefix || pathname.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)) return group;
  }
  return 'other';
}

export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

export function statusClassOf(status: number): string {
  return `${Math.min(5, Math.max(1, Math.floor(status / 100)))}xx`;
}
