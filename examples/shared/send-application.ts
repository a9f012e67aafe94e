/**
 * How the framework examples send the application form: they cancel the native submission (as
 * single-page apps do) and post with fetch. The widget has already started capturing the
 * record in the submit event's capture phase, before the framework's handler ran; it fires
 * `consent-captured` on the form once the record is signed, and this sends the record id with
 * the application. If capture fails or takes longer than HOLD_LIMIT_MS, the application goes
 * on without an id: declining, or a broken ledger, never blocks the form.
 */
import { DEFAULT_RECORD_FIELD, HOLD_LIMIT_MS } from '@consentkit/widget';

/** Where the example application's handler listens (examples/application-form/handler.ts). */
export const APPLY_URL = '/examples/application-form/apply';

/** The id of the record the widget captures for this submission, or undefined when none came. */
export function capturedRecordId(form: HTMLFormElement): Promise<string | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), HOLD_LIMIT_MS);
    form.addEventListener(
      'consent-captured',
      (event) => {
        clearTimeout(timer);
        resolve(event.detail.recordId);
      },
      { once: true },
    );
  });
}

/**
 * Posts the form's fields, with the record id, to the application handler. Call it from the
 * submit handler, after cancelling the native submission. Resolves to the record id sent, or
 * `'none'` when the application went without one.
 */
export async function sendApplication(form: HTMLFormElement): Promise<string> {
  const recordId = await capturedRecordId(form);
  const body = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (typeof value === 'string') body.append(name, value);
  if (recordId) body.set(DEFAULT_RECORD_FIELD, recordId);
  const response = await fetch(APPLY_URL, { method: 'POST', body });
  if (!response.ok) throw new Error(`the application was not accepted (HTTP ${response.status})`);
  return recordId ?? 'none';
}
