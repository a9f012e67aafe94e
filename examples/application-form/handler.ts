/**
 * The AllStream application's own back end, reduced to what the example needs: it takes the
 * submitted form and answers with a page showing exactly what arrived, including the consent
 * record id the widget added (`consentkit-record`). A real application stores that id beside the
 * application, so either side can be looked up from the other; the consent itself is proved by
 * the ledger, not by these form fields.
 *
 * It is a plain fetch handler (Request → Response), so any server can mount it: `pnpm start`
 * and the end-to-end tests answer POST {@link APPLICATION_PATH} with it.
 *
 * With an `attestor` (the SDK's `createAttestor`, `@consentkit/sdk/node`), the backend vouches
 * for the record id it received: a record the browser posted alone is `device` assurance, so its
 * express grants stay pending on the ledger until the site that collected them attests them.
 */
import { type ConsentError, isConsentError } from '@consentkit/core';
import type { Attestation, Attestor } from '@consentkit/sdk/node';

/** Where the form posts (the page is served at /examples/application-form/). */
export const APPLICATION_PATH = '/examples/application-form/apply';

/** The form field the widget submits the record id under (the widget's default). */
export const RECORD_FIELD = 'consentkit-record';

/** What the application received, as it would store it. */
export type ReceivedApplication = {
  readonly name: string;
  readonly email: string;
  /** The "do not send me marketing emails" box was ticked. */
  readonly noMarketing: boolean;
  /** The express "share with partners" box was ticked. */
  readonly shareWithPartners: boolean;
  /** The consent record id, or null when the widget could not capture one. */
  readonly consentRecord: string | null;
  readonly receivedAt: string;
};

/** How attesting one application's record went. */
export type AttestOutcome =
  | { readonly ok: true; readonly attestation: Attestation }
  | { readonly ok: false; readonly error: ConsentError | Error };

export type ApplicationHandlerOptions = {
  /** Called with each application (tests watch it; a real app would store it). */
  readonly onReceived?: (application: ReceivedApplication) => void;
  /**
   * Attests each application's consent record at the ledger (an API key of scope `attest`,
   * server-side only). It runs after the answer is sent: the person never waits for it.
   */
  readonly attestor?: Pick<Attestor, 'attest'>;
  /** Hears how each attestation went; without it a failure is logged (its reason, no personal data). */
  readonly onAttested?: (recordId: string, outcome: AttestOutcome) => void;
};

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const field = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
};

function renderReceived(application: ReceivedApplication): string {
  const rows: Array<[string, string, string]> = [
    ['name', 'Name', escapeHtml(application.name)],
    ['email', 'Email', escapeHtml(application.email)],
    ['no-marketing', 'Do not send me marketing emails', application.noMarketing ? 'ticked' : 'not ticked'],
    [
      'share-with-partners',
      'Share my contact information with authorized partners',
      application.shareWithPartners ? 'ticked' : 'not ticked',
    ],
    [
      'consent-record',
      'Consent record id',
      application.consentRecord
        ? `<code>${escapeHtml(application.consentRecord)}</code>`
        : 'none (the record could not be captured)',
    ],
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Application received · AllStream</title>
<link rel="stylesheet" href="/examples/shared/example.css">
</head>
<body>
<header class="site"><p class="brand">AllStream</p></header>
<main>
<h1>Application received</h1>
<p>This is what the application's server received from the form. The consent record id links this
application to the signed consent record in the ledger.</p>
<table class="received">
<caption>Submitted fields</caption>
<tbody>
${rows.map(([id, label, value]) => `<tr><th scope="row">${label}</th><td data-field="${id}">${value}</td></tr>`).join('\n')}
</tbody>
</table>
<p><a href="/examples/application-form/">Back to the form</a></p>
</main>
</body>
</html>
`;
}

/** Builds the handler; POST only (anything else is 405). */
export function createApplicationHandler(
  options: ApplicationHandlerOptions = {},
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'POST') {
      return new Response('Method Not Allowed', { status: 405, headers: { allow: 'POST' } });
    }
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return new Response('The application form could not be read.', { status: 400 });
    }
    const application: ReceivedApplication = {
      name: field(form, 'name'),
      email: field(form, 'email'),
      // Checkboxes submit `name=value` only when ticked, exactly like native ones.
      noMarketing: form.has('no-marketing'),
      shareWithPartners: form.has('share-with-partners'),
      consentRecord: field(form, RECORD_FIELD) || null,
      receivedAt: new Date().toISOString(),
    };
    options.onReceived?.(application);
    if (options.attestor && application.consentRecord) {
      attest(options.attestor, application.consentRecord, options.onAttested);
    }
    return new Response(renderReceived(application), {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    });
  };
}

/** Vouches for `recordId` in the background; the outcome goes to `onAttested`, never into the answer. */
function attest(
  attestor: Pick<Attestor, 'attest'>,
  recordId: string,
  onAttested: ApplicationHandlerOptions['onAttested'],
): void {
  const report =
    onAttested ??
    ((_: string, outcome: AttestOutcome) => {
      if (!outcome.ok) console.error(outcome.error.message);
    });
  void attestor.attest(recordId).then(
    (attestation) => report(recordId, { ok: true, attestation }),
    (error: unknown) =>
      report(recordId, {
        ok: false,
        error: isConsentError(error) || error instanceof Error ? error : new Error(String(error)),
      }),
  );
}

/**
 * The handler without an attestor (it keeps and attests nothing): what `pnpm start` mounts until
 * the ledger listens, and for good where it has no attest key.
 */
export const handleApplication: (request: Request) => Promise<Response> = createApplicationHandler();
