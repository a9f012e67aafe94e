/**
 * Failures are never silent: each one is printed with its code and a one-line reason, and fired
 * as `consent-error` on the form or element concerned (else the document). Real clients and real
 * HTTP throughout: the SDK's memory ledger, or its HTTP backend against an address that refuses.
 */
import { createConsentClient, createHttpBackend, createMemoryOutboxStore } from '@consentkit/sdk';
import { cleanup, fixture, until } from '@consentkit/test-support/browser';
import { testPolicy } from '@consentkit/test-support/policy';
import { expect } from 'chai';
import { useMemoryClient } from '../test/support/memory-client.js';
import { configure, resetConfig } from './config.js';
import { ConsentCheckbox } from './consent-checkbox/consent-checkbox.js';
import { ConsentOptOut } from './consent-optout/consent-optout.js';
import type { ConsentErrorEvent } from './events/consent-error-event.js';
import { DEFAULT_RECORD_FIELD } from './form-capture.js';

ConsentCheckbox.define();
ConsentOptOut.define();

/** Console lines printed while `run` goes on (the page's own console, restored after). */
function captureConsole(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  };
  return { lines, restore: () => (console.warn = original) };
}

function nextError(target: EventTarget): Promise<ConsentErrorEvent> {
  return new Promise((resolve) => target.addEventListener('consent-error', resolve as EventListener, { once: true }));
}

/**
 * `target`'s next consent-error, or a failure naming the cause after `ms`: a first delivery
 * attempt fails well within it (at idle, 500 ms at most), so none by then means nobody watched
 * the client, or its failure went elsewhere (the record's origin was not tracked).
 */
function nextErrorWithin(target: EventTarget, ms: number): Promise<ConsentErrorEvent> {
  return Promise.race([
    nextError(target),
    new Promise<never>((_, reject) =>
      setTimeout(
        () =>
          reject(
            new Error(
              `no consent-error on it within ${ms} ms: the client is not watched, or the record not traced to it`,
            ),
          ),
        ms,
      ),
    ),
  ]);
}

function form(id: string, purpose: string): string {
  return `<form id="${id}" data-consent-purpose="application-processing">
    <consent-checkbox name="box" purpose="${purpose}">Send me the newsletter</consent-checkbox>
    <button>Send</button>
  </form>`;
}

let console_: ReturnType<typeof captureConsole>;
beforeEach(() => {
  console_ = captureConsole();
});
afterEach(() => console_.restore());

describe('consent-error: a purpose the policy does not know', () => {
  const memory = useMemoryClient(() => testPolicy());

  it('is reported on the element as soon as the policy is known, naming the ids the policy has', async () => {
    const errors: ConsentErrorEvent[] = [];
    document.addEventListener('consent-error', (e) => errors.push(e), { once: true });
    const el = await fixture<HTMLFormElement>(form('unknown-1', 'newsletter'));
    await until(() => errors.length > 0);
    const event = errors[0] as ConsentErrorEvent;
    expect(event.target).to.equal(el.querySelector('consent-checkbox'));
    expect(event.bubbles && event.composed).to.equal(true);
    expect(event.detail.code).to.equal('unknown-purpose');
    expect(event.detail.retrying).to.equal(false);
    expect(event.detail.reason).to.match(
      /^<consent-checkbox purpose="newsletter">: purpose "newsletter" is not in policy allstream@[\d.]+ \(application-processing, marketing, .*\)\. Use one of those ids/,
    );
    expect(console_.lines).to.deep.include(
      `[consentkit] ${event.detail.reason} See ConsentKit docs/errors.md#unknown-purpose`,
    );
  });

  it('on submit, fires on the form and records nothing (the ledger could not accept it)', async () => {
    const el = await fixture<HTMLFormElement>(form('unknown-2', 'newsletter'));
    el.addEventListener('submit', (e) => e.preventDefault());
    const failed = nextError(el);
    el.requestSubmit();
    const event = await failed;
    expect(event.target).to.equal(el);
    expect(event.detail.code).to.equal('unknown-purpose');
    expect(event.detail.reason).to.match(/^no consent record for form "unknown-2": purpose "newsletter" is not in/);
    expect(
      console_.lines.some((line) => line.startsWith('[consentkit] no consent record for form "unknown-2"')),
    ).to.equal(true);
    expect(memory().backend.entries()).to.have.length(0);
  });
});

describe('consent-error: no client configured', () => {
  afterEach(() => {
    cleanup();
    resetConfig();
  });

  it('fires no-client on the submitted form', async () => {
    configure({ policy: testPolicy() });
    const el = await fixture<HTMLFormElement>(form('no-client', 'marketing'));
    el.addEventListener('submit', (e) => e.preventDefault());
    const failed = nextError(el);
    el.requestSubmit();
    const event = await failed;
    expect(event.detail).to.deep.equal({
      code: 'no-client',
      reason: 'no consent record for form "no-client": no client is configured.',
      retrying: false,
    });
    expect(console_.lines).to.include(
      '[consentkit] no consent record for form "no-client": no client is configured. See ConsentKit docs/errors.md#no-client',
    );
  });
});

describe('consent-error: delivery that fails (HTTP backend)', () => {
  const clients: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    cleanup();
    resetConfig();
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  /** A client whose records go to `url`, kept in memory; retries far apart so one attempt is seen. */
  function clientFor(url: string) {
    const client = createConsentClient({
      policy: testPolicy(),
      backend: createHttpBackend({ url }),
      outbox: createMemoryOutboxStore(),
      gpc: false,
      pageLifecycle: false,
      retry: { baseMs: 60_000, maxMs: 60_000 },
    });
    clients.push(client);
    configure({ policy: testPolicy(), client });
    return client;
  }

  async function submit(id: string): Promise<ConsentErrorEvent> {
    const el = await fixture<HTMLFormElement>(form(id, 'marketing'));
    el.addEventListener('submit', (e) => e.preventDefault());
    const failed = nextErrorWithin(el, 10_000);
    el.requestSubmit();
    const event = await failed;
    expect(event.target).to.equal(el);
    // The failure names the record this form carries: the record chunk tracked its origin.
    const field = el.elements.namedItem(DEFAULT_RECORD_FIELD) as HTMLInputElement | null;
    expect(event.detail.recordId).to.equal(field?.value);
    return event;
  }

  it('an unreachable ledger: transport, on the form, with the record kept for a retry', async () => {
    // Port 1 refuses every browser connection: what a page sees of a ledger that is down.
    const client = clientFor('http://127.0.0.1:1');
    const event = await submit('unreachable');
    expect(event.detail.code).to.equal('transport');
    expect(event.detail.retrying).to.equal(true);
    expect(event.detail.recordId).to.be.a('string');
    expect(client.pending()).to.include(event.detail.recordId);
    expect(event.detail.reason).to.equal(
      'could not send consent records: could not reach the ledger at http://127.0.0.1:1. They stay queued and are retried.',
    );
    expect(console_.lines).to.include(`[consentkit] ${event.detail.reason} See ConsentKit docs/errors.md#transport`);
  });

  it("a ledger whose CORS list leaves this page's origin out: origin-not-allowed, with the fix", async () => {
    // The test server under its other name is another origin, and it sends no CORS headers.
    const other = location.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
    const ledger = `${location.protocol}//${other}:${location.port}`;
    clientFor(ledger);
    const event = await submit('cors');
    expect(event.detail.code).to.equal('origin-not-allowed');
    expect(event.detail.retrying).to.equal(true);
    expect(event.detail.reason).to.equal(
      `could not send consent records: the ledger at ${ledger} answered, but does not allow requests from this page's origin ${location.origin} (CORS). Add ${location.origin} to the ledger's CONSENTKIT_CORS_ORIGINS.`,
    );
    expect(console_.lines).to.include(
      `[consentkit] ${event.detail.reason} See ConsentKit docs/errors.md#origin-not-allowed`,
    );
  });

  it("a page's own client, watched through the record path: an opt-out's failed delivery on the opt-out", async () => {
    // After the form's tests: the same reason is printed once per page, and they check the line.
    // configure({ client }): the watcher lives in the record chunk and is attached when the
    // element reaches the client through it, before the record is made.
    const client = clientFor('http://127.0.0.1:1');
    const el = await fixture<ConsentOptOut>('<consent-optout purpose="marketing"></consent-optout>');
    const failed = nextErrorWithin(el, 10_000);
    // Opting out (a withdrawal) is recorded even from a script's click.
    (el.renderRoot.querySelector('button') as HTMLButtonElement).click();
    const event = await failed;
    expect(event.target).to.equal(el);
    expect(event.detail.code).to.equal('transport');
    expect(event.detail.retrying).to.equal(true);
    expect(client.pending()).to.include(event.detail.recordId);
  });

  it('a policy URL that does not answer: reported once on the document, under its cause', async () => {
    const errors: ConsentErrorEvent[] = [];
    const listener = (e: ConsentErrorEvent) => errors.push(e);
    document.addEventListener('consent-error', listener);
    try {
      configure({ policy: 'http://127.0.0.1:1/policy.json' });
      await until(() => errors.length > 0);
      expect(errors[0]?.target).to.equal(document);
      expect(errors[0]?.detail).to.deep.equal({
        code: 'transport',
        reason:
          'could not load the policy from http://127.0.0.1:1/policy.json: could not reach the ledger at http://127.0.0.1:1.',
        retrying: false,
      });
    } finally {
      document.removeEventListener('consent-error', listener);
    }
  });
});
