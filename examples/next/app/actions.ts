'use server';
// The server action the form submits to. It receives the form's fields and the consent record id
// the widget added (`consentkit-record`); a real application stores the id beside the
// application, so either can be looked up from the other. Once the answer is sent, the site's
// backend attests that record at the ledger (ledger-attestor.ts), so the express grant in it counts.
import { after } from 'next/server';
import { attestRecord } from './ledger-attestor';

/**
 * The widget's default field name for the record id (its DEFAULT_RECORD_FIELD). Written out
 * because the widget's entry defines custom elements, which cannot be evaluated on the server.
 */
const RECORD_FIELD = 'consentkit-record';

export type ApplicationResult = {
  /** The consent record id the application was stored with, or 'none' when none came. */
  readonly recordId: string;
  /** What the boxes submitted: a box submits its name only when ticked, like a native one. */
  readonly noMarketing: boolean;
  readonly shareWithPartners: boolean;
};

export async function submitApplication(
  _previous: ApplicationResult | undefined,
  form: FormData,
): Promise<ApplicationResult> {
  const field = form.get(RECORD_FIELD);
  const recordId = typeof field === 'string' && field ? field : 'none';
  if (recordId !== 'none') after(() => attestRecord(recordId));
  return {
    recordId,
    noMarketing: form.has('no-marketing'),
    shareWithPartners: form.has('share-with-partners'),
  };
}
