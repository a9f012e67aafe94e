// Node only: reads docs/policy.md from disk. The guide is written from the schema, so it must name
// every field and every value the schema accepts, and its links must lead somewhere.

import { expect } from 'chai';
import { CONSENT_MODE_TYPES } from './consent-mode-types.js';
import { basisSchema, legalBasisSchema, policySchema } from './policy-schema.js';

type Fs = { readFileSync(path: URL, encoding: 'utf8'): string; existsSync(path: URL): boolean };

async function fs(): Promise<Fs> {
  // A computed specifier keeps core's types free of @types/node (core has no node: imports).
  const specifier = 'node:fs';
  return (await import(specifier)) as Fs;
}

const GUIDE = new URL('../../../docs/policy.md', import.meta.url);

/** The keys of a zod object schema, read through zod 4's public `shape`. */
function keysOf(schema: unknown): string[] {
  return Object.keys((schema as { shape: Record<string, unknown> }).shape);
}

/** The element schema of a zod array schema. */
function elementOf(schema: unknown): unknown {
  return (schema as { element: unknown }).element;
}

/** The options of a zod enum (possibly wrapped in optional or array). */
function optionsOf(schema: unknown): string[] {
  let s = schema as { options?: string[]; unwrap?: () => unknown; element?: unknown };
  while (!s.options) s = (s.unwrap ? s.unwrap() : s.element) as typeof s;
  return s.options;
}

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of markdown.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(heading as string);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

describe('docs/policy.md (the guide to writing a policy)', () => {
  it('names every field of the policy, its purposes, recipients and data categories', async () => {
    const guide = (await fs()).readFileSync(GUIDE, 'utf8');
    const shape = (policySchema as unknown as { shape: Record<string, unknown> }).shape;
    const fields = {
      policy: keysOf(policySchema),
      purpose: keysOf(elementOf(shape.purposes)),
      recipient: keysOf(elementOf(shape.recipients)),
      dataCategory: keysOf(elementOf(shape.dataCategories)),
      practices: keysOf(shape.practices),
      promises: keysOf(shape.promises),
    };
    const missing = Object.entries(fields).flatMap(([where, keys]) =>
      keys
        .filter((key) => !guide.includes(`\`${key}\``) && !guide.includes(`"${key}"`))
        .map((key) => `${where}.${key}`),
    );
    expect(fields.purpose).to.include.members(['basis', 'legalBasis', 'jurisdictions', 'since', 'consentMode']);
    expect(missing).to.deep.equal([]);
  });

  it('names every basis, legal basis, recipient kind, GPC value and Consent Mode type the schema accepts', async () => {
    const guide = (await fs()).readFileSync(GUIDE, 'utf8');
    const shape = (policySchema as unknown as { shape: Record<string, unknown> }).shape;
    const purpose = (elementOf(shape.purposes) as { shape: Record<string, unknown> }).shape;
    const recipient = (elementOf(shape.recipients) as { shape: Record<string, unknown> }).shape;
    const values = [
      ...basisSchema.options,
      ...legalBasisSchema.options,
      ...optionsOf(recipient.kind),
      ...optionsOf(purpose.gpc),
      ...CONSENT_MODE_TYPES,
    ];
    expect(values.length).to.be.greaterThan(20);
    expect(values.filter((value) => !guide.includes(`\`${value}\``))).to.deep.equal([]);
  });

  it('links only to files and headings that exist, and the README and core README link to it', async () => {
    const { readFileSync, existsSync } = await fs();
    const guide = readFileSync(GUIDE, 'utf8');
    const broken: string[] = [];
    const links = [...guide.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string);
    expect(links.length).to.be.greaterThan(10);
    for (const link of links) {
      if (/^[a-z]+:/.test(link)) continue; // absolute addresses are not files in the repository
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const file = path === '' ? GUIDE : new URL(path, GUIDE);
      if (!existsSync(file)) {
        broken.push(`${link}: no such file`);
        continue;
      }
      if (anchor && !anchorsOf(readFileSync(file, 'utf8')).has(anchor)) broken.push(`${link}: no such heading`);
    }
    expect(broken).to.deep.equal([]);
    expect(readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')).to.include('(docs/policy.md)');
    expect(readFileSync(new URL('../README.md', import.meta.url), 'utf8')).to.include('(../../docs/policy.md)');
  });
});
