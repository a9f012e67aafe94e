// The campaign script (campaign.ts) against a real ledger over HTTP: a list of 1,000 where people
// opted out by every route the ledger knows — the form (a signed opt-out record), one-click, the
// preference page, GPC (the records the ledger makes for them) and an email provider's webhook
// (SendGrid, signed the provider's way) — plus addresses the ledger never saw and lines that are
// not addresses. The script must skip exactly those lines, with the ledger's reasons, mail
// everyone else through the local SMTP sink with the ledger's List-Unsubscribe, and print no
// address in full.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { TEST_API_KEY } from '@consentkit/test-support/keys';
import { createPerson } from '@consentkit/test-support/people';
import {
  createTestLedger,
  FORM_DECISIONS,
  postRecords,
  type ServedApp,
  serveOverHttp,
  storeFactories,
  type TestLedger,
  type TestStore,
} from '@consentkit/test-support/server';
import { expect } from 'chai';
import { sendGridKit } from '../../packages/server/test/support/provider-kits.js';
import { type SeededPerson, seedPeople } from '../../packages/server/test/support/senders-seed.js';

const ROOT = resolve(import.meta.dirname, '../..');
const LIST_SIZE = 1000;

type Report = {
  readonly listed: number;
  readonly mailed: number;
  readonly delivered: number;
  readonly skipped: readonly { line: number; status: string; reason: string; recordId?: string }[];
  readonly byReason: Record<string, number>;
};

async function runCampaign(url: string, list: readonly string[], json: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'consentkit-campaign-'));
  try {
    const file = join(dir, 'list.txt');
    writeFileSync(file, `# the winter campaign\n${list.join('\n')}\n`);
    // Asynchronous on purpose: the ledger the script calls runs in this very process.
    const run = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@consentkit/source',
        'examples/email/campaign.ts',
        '--list',
        file,
        '--ledger',
        url,
        ...(json ? ['--json'] : []),
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, CONSENTKIT_API_KEY: TEST_API_KEY },
        timeout: 240_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return run.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('examples/email campaign.ts: a list of 1,000 through the sender’s guard', () => {
  const provider = sendGridKit();
  let db: TestStore;
  let t: TestLedger;
  let served: ServedApp;
  let seeded: SeededPerson[] = [];
  let granted: string[] = [];
  let viaProvider: string[] = [];

  before(async () => {
    const factory = storeFactories().find((f) => f.name === 'pglite');
    if (!factory) throw new Error('no PGlite store factory');
    db = await factory.create();
    t = await createTestLedger(db.store, { providers: { ...provider.options } });
    served = await serveOverHttp((request) => t.app.fetch(request));
    // 25 people: five left alone, five opted out by each of the form, one-click, the preference page and GPC.
    seeded = await seedPeople(t, 25, 'campaign');
    // Everyone else enrolled through the form (marketing is opt-out: they may be mailed)...
    const rest = await Promise.all(
      Array.from({ length: LIST_SIZE - 25 - 4 }, (_, i) =>
        createPerson({ policy: t.policy, email: `c${i}@example.test` }),
      ),
    );
    const signed = await Promise.all(rest.map((p) => p.sign({ decisions: [...FORM_DECISIONS], jurisdiction: 'CA' })));
    for (let i = 0; i < signed.length; i += 100) {
      const batch = signed.slice(i, i + 100).map((s) => ({ jws: s.jws, opening: s.opening }));
      const response = await postRecords(t.app, batch);
      if (response.status !== 200) throw new Error(`enrolment failed: ${response.status}`);
    }
    granted = rest.map((p) => p.email ?? '');
    // ...but six of them unsubscribed through the provider's own link (its signed webhook).
    viaProvider = granted.filter((_, i) => i % 190 === 7);
    const request = await provider.request(viaProvider.map((email) => ({ kind: 'unsubscribe' as const, email })));
    const response = await t.app.request(request.path, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    if (response.status !== 200) throw new Error(`provider webhook failed: ${response.status}`);
  });
  after(async () => {
    await served?.close();
    await db?.close();
  });

  it('skips exactly the people who opted out (by every route), the unknown and the non-addresses, and mails the rest', async () => {
    const strangers = ['stranger-1@example.test', 'stranger-2@example.test'];
    const invalid = ['not an address', 'nobody-at-example.test'];
    // Shuffled deterministically so skips are spread over the list.
    const list = [...seeded.map((p) => p.email), ...granted, ...strangers, ...invalid]
      .map((address, i) => ({ address, key: (i * 7919) % 1009 }))
      .sort((a, b) => a.key - b.key)
      .map((e) => e.address);
    expect(list).to.have.length(LIST_SIZE);
    const lineOf = (address: string) => list.indexOf(address) + 2; // line 1 is the comment

    const stdout = await runCampaign(served.url, list, true);
    const report = JSON.parse(stdout) as Report;

    const optedOut = seeded.filter((p) => p.route !== 'none');
    const expected = new Map<number, { status: string; reason: string }>();
    for (const p of optedOut)
      expected.set(lineOf(p.email), { status: 'denied', reason: p.route === 'gpc' ? 'gpc' : 'opted-out' });
    for (const email of viaProvider) expected.set(lineOf(email), { status: 'denied', reason: 'opted-out' });
    for (const email of strangers) expected.set(lineOf(email), { status: 'needs-consent', reason: 'never-presented' });
    for (const text of invalid)
      expected.set(lineOf(text), { status: 'invalid-address', reason: 'not an email address (local@domain)' });

    expect(report.listed).to.equal(LIST_SIZE);
    expect(report.skipped.map((s) => s.line)).to.deep.equal([...expected.keys()].sort((a, b) => a - b));
    for (const s of report.skipped) {
      expect({ status: s.status, reason: s.reason }, `line ${s.line}`).to.deep.equal(expected.get(s.line));
      if (s.status === 'denied') expect(s.recordId, `line ${s.line}: the record the skip rests on`).to.be.a('string');
    }
    expect(report.mailed).to.equal(LIST_SIZE - expected.size);
    expect(report.delivered).to.equal(LIST_SIZE - expected.size);
    expect(viaProvider).to.have.length(6);
    expect(report.byReason).to.deep.equal({
      'denied (opted-out)': 15 + viaProvider.length,
      'denied (gpc)': 5,
      'needs-consent (never-presented)': 2,
      'invalid-address (not an email address (local@domain))': 2,
    });
    // No address at all in the machine-readable report.
    expect(stdout).to.not.include('@example.test');
  });

  it('prints a summary and one masked line per skipped person, never a skipped address in full', async () => {
    const out = seeded.find((p) => p.route === 'one-click-email');
    const ok = seeded.find((p) => p.route === 'none');
    if (!out || !ok) throw new Error('seeding made no one-click or untouched person');
    const stdout = await runCampaign(served.url, [ok.email, out.email, 'not an address'], false);
    expect(stdout).to.match(/on the list: 3|: 3 on the list/);
    expect(stdout).to.match(/^mailed 1 /m);
    expect(stdout).to.match(/^skipped 2:/m);
    expect(stdout).to.match(
      new RegExp(`^3 +${out.email.slice(0, 1)}…@example\\.test +denied +opted-out +[0-9a-f-]{36}$`, 'm'),
    );
    expect(stdout).to.match(/^4 +\(not an address\) +invalid-address/m);
    expect(stdout).to.not.include(out.email);
    expect(stdout).to.not.include(ok.email);
  });
});
