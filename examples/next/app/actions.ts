'use server';
// The server action the form submits to. It receives the form's fields and the consent record id
// the widget added (`consentkit-record`); a real application stores the id beside the
// application, so either can be looked up from the other.
import { DEFAULT_RECORD_FIELD } from '@consentkit/widget';

export type ApplicationResult = {
  /** The consent record id the application was stored with, or 'none' when none came. */
  readonly recordId: string;
};

export async function submitApplication(
  _previous: ApplicationResult | undefined,
  form: FormData,
): Promise<ApplicationResult> {
  const recordId = form.get(DEFAULT_RECORD_FIELD);
  return { recordId: typeof recordId === 'string' && recordId ? recordId : 'none' };
}
