/**
 * Form capture's asynchronous half (form-capture.ts holds the synchronous one): captures the
 * options read at submit, writes the record id into the form and fires `consent-captured`. Part
 * of the record path's chunk in the drop-in, which a capture needs anyway; the submit listeners
 * that must read the form and hold the submission at once stay in the entry.
 */
import type { CaptureOptions, ConsentClient } from '@consentkit/sdk';
import { ConsentCapturedEvent } from '../events/consent-captured-event.js';
import { trackRecord } from './client-watch.js';
import { failWith } from './warn.js';

export const DEFAULT_RECORD_FIELD = 'consentkit-record';

/**
 * Captures `options` for `form` through getClient()'s `client`; never rejects (failures are warned
 * as `label`, the form goes on). `recorded` is called once the record is safe in the outbox, which
 * is all a held submission waits for. Positional, not an options object: the caller is in the
 * drop-in's entry, where the five property names would cost 14 B gzip (measured).
 */
export async function captureForm(
  form: HTMLFormElement,
  client: Promise<ConsentClient | undefined>,
  options: CaptureOptions,
  label: string,
  recorded: (recordId: string) => void,
): Promise<void> {
  try {
    const result = await (await client)?.capture({
      ...options,
      onRecorded: (recordId) => {
        setRecordField(form, recordId);
        // Its delivery failures are fired on this form (client-watch.ts).
        trackRecord(recordId, form);
        recorded(recordId);
      },
    });
    if (result) {
      setRecordField(form, result.recordId);
      form.dispatchEvent(new ConsentCapturedEvent({ recordId: result.recordId, status: result.status }));
    }
  } catch (error) {
    failWith(error, 'capture-failed', label, { target: form });
  }
}

function setRecordField(form: HTMLFormElement, id: string): void {
  // A re-submission (single-page apps) is a new submission: a new record, a new id.
  const name = form.dataset.consentRecordField || DEFAULT_RECORD_FIELD;
  let field = form.querySelector<HTMLInputElement>(`input[type="hidden"][name="${CSS.escape(name)}"]`);
  if (!field) {
    field = document.createElement('input');
    field.type = 'hidden';
    field.name = name;
    form.append(field);
  }
  field.value = id;
}
