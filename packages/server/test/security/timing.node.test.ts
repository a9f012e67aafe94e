// Constant-time comparison of secrets (R42 "uniform 404", C6 "same timing class").
//
// Two checks, neither a timed pass/fail on a tight threshold:
// 1. By construction: the files that compare secrets are parsed with the TypeScript compiler; each
//    must call its constant-time primitive (crypto.subtle.verify for the unsubscribe-token MAC,
//    timingSafeEqual for API keys and the CSRF field) and none may compare a secret-named value
//    with ===, !==, == or != (an early-exit comparison). Introducing `mac === expected` fails here.
// 2. By measurement, with a generous bound: forged tokens and keys wrong at their first and at
//    their last byte take the same time within a factor of 1.5 of each other (an early exit that mattered
//    at this scale would show as a large ratio). A shared machine's load can push one run past any
//    bound, so each comparison gets up to TRIALS runs and fails only if every run is outside: noise
//    comes and goes, an early exit shows in every run. The precise figures come from timing-report.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_API_KEY } from '@consentkit/test-support/keys';
import { createLedgerKit, type LedgerKit } from '@consentkit/test-support/server';
import { expect } from 'chai';
import ts from 'typescript';
import {
  alterByte,
  formatMeasurement,
  type Measurement,
  measureApiKey,
  measureHostedToken,
  measureTokenVerify,
  ratio,
} from './timing.js';

const file = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The files that compare secrets, and the constant-time call each must make. */
const SECRET_COMPARISONS = [
  { path: file('../../../core/src/unsubscribe-token.ts'), primitive: 'crypto.subtle.verify' },
  { path: file('../../src/access/require-scope.ts'), primitive: 'timingSafeEqual' },
  { path: file('../../src/platform/http/csrf.ts'), primitive: 'timingSafeEqual' },
  { path: file('../../src/partners/webhook-signature.ts'), primitive: 'timingSafeEqual' },
] as const;

// A value whose name says it holds (part of) a secret. `.length` and `typeof` are not secrets.
const SECRET_NAME = /(mac|signature|digest|secret|expected|given|presented|hash|token|key)$/i;

type Finding = { readonly line: number; readonly text: string };

function earlyExitComparisons(path: string): { calls: Set<string>; findings: Finding[] } {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const calls = new Set<string>();
  const findings: Finding[] = [];
  const nameOf = (node: ts.Expression): string | undefined => {
    if (ts.isIdentifier(node)) return node.text;
    if (ts.isPropertyAccessExpression(node)) return node.name.text;
    if (ts.isElementAccessExpression(node)) return nameOf(node.expression);
    if (ts.isParenthesizedExpression(node)) return nameOf(node.expression);
    return undefined;
  };
  const isConstant = (node: ts.Expression) =>
    ts.isLiteralExpression(node) ||
    node.kind === ts.SyntaxKind.NullKeyword ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    (ts.isIdentifier(node) && node.text === 'undefined') ||
    ts.isTypeOfExpression(node);
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) calls.add(node.expression.getText(source));
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      const equality = [
        ts.SyntaxKind.EqualsEqualsEqualsToken,
        ts.SyntaxKind.ExclamationEqualsEqualsToken,
        ts.SyntaxKind.EqualsEqualsToken,
        ts.SyntaxKind.ExclamationEqualsToken,
      ].includes(op);
      if (equality && !isConstant(node.left) && !isConstant(node.right)) {
        const names = [nameOf(node.left), nameOf(node.right)];
        if (names.some((n) => n !== undefined && n !== 'length' && SECRET_NAME.test(n))) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
          findings.push({ line: line + 1, text: node.getText(source) });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { calls, findings };
}

describe('secrets are compared in constant time (by construction)', () => {
  for (const { path, primitive } of SECRET_COMPARISONS) {
    it(`${path.split('/packages/')[1]}: uses ${primitive} and no ===/!== on a secret`, () => {
      const { calls, findings } = earlyExitComparisons(path);
      expect([...calls], `calls ${primitive}`).to.include(primitive);
      expect(findings, 'early-exit comparisons of secret-named values').to.deep.equal([]);
    });
  }

  it('the check is not blind: it flags `mac === expected` and `given !== presentedKey`', () => {
    // A real file, parsed exactly like the sources above.
    const dir = mkdtempSync(join(tmpdir(), 'ck-timing-'));
    const probe = join(dir, 'probe.ts');
    const text = [
      'export const a = (mac: string, expected: string) => mac === expected;',
      'export const b = (given: Uint8Array, o: { presentedKey: string }) => given !== o.presentedKey;',
      'export const c = (token: string) => token.length !== 32 && typeof token === "string" && token !== "";',
    ].join('\n');
    writeFileSync(probe, text);
    try {
      const { findings } = earlyExitComparisons(probe);
      expect(findings.map((f) => f.text)).to.deep.equal(['mac === expected', 'given !== o.presentedKey']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('secrets are compared in constant time (measured, generous bound)', () => {
  let kit: LedgerKit;
  // Between 1/1.5 and 1.5: wide enough for a shared 2-core CI machine, narrow enough that a
  // comparison costing more the longer the matching prefix would stand out.
  const BOUND = 1.5;
  const TRIALS = 5;
  const inBound = (r: number) => r >= 1 / BOUND && r <= BOUND;

  /** Measures until one run's ratio is within the bound; the ratios of the runs it took. */
  async function ratiosUntilWithin(title: string, run: () => Promise<Measurement>, a: string, b: string) {
    const ratios: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const m = await run();
      console.log(formatMeasurement(`${title} (run ${trial + 1})`, m));
      const r = ratio(m, a, b);
      ratios.push(r);
      if (inBound(r)) break;
    }
    return ratios;
  }
  const within = (ratios: number[]) => ratios.some(inBound);

  before(async () => {
    kit = await createLedgerKit({ onDisk: true, checkpointEvery: 5, app: { apiKey: TEST_API_KEY } });
  });
  after(async () => {
    await kit?.close();
  });

  it('unsubscribe-token MAC wrong at its first vs last byte: same time (core codec)', async () => {
    const ratios = await ratiosUntilWithin(
      '[timing] token verify',
      () => measureTokenVerify(2_000),
      'MAC wrong at its first byte',
      'MAC wrong at its last byte',
    );
    expect(within(ratios), `first/last ratios ${ratios.join(', ')}`).to.equal(true);
  });

  it('GET /u/{forged}: MAC wrong at its first vs last byte, same time and the same 404 (R42)', async () => {
    const person = await kit.person();
    const token = await person.token('unsubscribe:marketing');
    const first = await kit.request(`/u/${alterByte(token, -32)}`);
    const last = await kit.request(`/u/${alterByte(token, -1)}`);
    expect([first.status, last.status]).to.deep.equal([404, 404]);
    expect(await first.text(), 'the same page whichever byte is wrong').to.equal(await last.text());
    const ratios = await ratiosUntilWithin(
      '[timing] hosted forged token',
      () => measureHostedToken(kit.app, token, 300),
      'MAC wrong at its first byte',
      'MAC wrong at its last byte',
    );
    expect(within(ratios), `first/last ratios ${ratios.join(', ')}`).to.equal(true);
  });

  it('API key wrong at its first vs last character: same time', async () => {
    const ratios = await ratiosUntilWithin(
      '[timing] API key',
      () => measureApiKey(kit.app, TEST_API_KEY, 300),
      'wrong at its first character',
      'wrong at its last character',
    );
    expect(within(ratios), `first/last ratios ${ratios.join(', ')}`).to.equal(true);
  });
});
