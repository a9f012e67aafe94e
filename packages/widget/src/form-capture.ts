/**
 * Capture on submit: when a form holding consent controls (or declaring a primary purpose) is
 * submitted, one record is captured with every control's decision, the implied consent for the
 * primary purpose, the identifier from a designated field, the wording shown, the page and form.
 * The record id goes into the submitted data so the application's backend can link the two.
 *
 * Form attributes (no JavaScript needed):
 * - `data-consent-purpose="application"`: the primary purpose implied by submitting the form.
 * - `data-consent-identifier="email"`: the field whose value identifies the person (the SDK
 *   sends only a salted commitment to it inside the record).
 * - `data-consent-record-field="consent_record"`: the name the record id is submitted under
 *   (default `consentkit-record`).
 *
 * The record path (SDK client, signing, outbox) may still be loading when the form is submitted
 * (a lazily loaded chunk in the drop-in): the form is read at once, the capture waits for it.
 *
 * Why a native submission is held briefly: the SDK assigns the record id while signing, which
 * is asynchronous, so the id cannot be in the form data when the browser serialises it
 * synchronously. A submission nobody else cancelled is therefore paused until the record is
 * signed and stored in the outbox (or HOLD_LIMIT_MS passed: declining or a slow ledger never
 * blocks the form), then re-sent natively. Applications that cancel the submission themselves
 * (single-page apps) get a `consent-captured` event on the form with the id instead.
 */
import type { CaptureDecision, CaptureOptions } from '@consentkit/sdk';
import { getClient, hasClient } from './internal/client-access.js';
import { type ConsentControl, type ControlDecision, isConsentControl } from './internal/consent-control.js';
import { loadRecordPath, scheduleRecordPath } from './internal/record-path-loader.js';
import { fail, failWith } from './internal/warn.js';

export { DEFAULT_RECORD_FIELD } from './internal/form-record.js';

/** The longest a native submission waits for its record; after it, the form goes without the id. */
export const HOLD_LIMIT_MS = 3000;

const installed = new WeakSet<Document>();
/** Per submission: settles once its record is safe in the outbox (or capture failed). */
const inFlight = new WeakMap<SubmitEvent, Promise<unknown>>();
const resubmitting = new WeakSet<HTMLFormElement>();

/**
 * Listens for submissions in `doc` once; controls call it when they connect. It also schedules
 * the record path, which loads after the controls are usable (record-path-loader.ts).
 */
export function ensureFormCapture(doc: Document = document): void {
  if (installed.has(doc)) return;
  installed.add(doc);
  scheduleRecordPath(doc);
  const view = doc.defaultView;
  // First listener of all (document, capture phase): read the form before anyone changes it.
  doc.addEventListener('submit', handleSubmitStart, true);
  // Last listener of all (window, bubble phase): by then the page decided whether to cancel.
  view?.addEventListener('submit', handleSubmitEnd);
}

function handleSubmitStart(event: Event): void {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || resubmitting.has(form)) return;
  const controls = Array.from(form.elements).filter(isConsentControl);
  const primary = form.dataset.consentPurpose;
  if (controls.length === 0 && !primary) return;
  if (!hasClient()) {
    fail('no-client', `${formLabel(form)}: no client is configured`, { target: form });
    return;
  }
  // A native submission waits only until the record is durable, not for its delivery: the
  // outbox and the page-hide flush carry it to the ledger after the navigation.
  let recorded: (value?: unknown) => void = () => {};
  const held = new Promise((resolve) => {
    recorded = resolve;
  });
  const options = readForm(form, controls, primary);
  const label = formLabel(form);
  // The rest is asynchronous anyway, so it lives in the record path's chunk (form-record.ts). The
  // client is asked for once the chunk is loaded (getClient() goes through it too).
  void loadRecordPath()
    .then(
      (path) => path.captureForm(form, getClient(), options, label, recorded),
      (error: unknown) => failWith(error, 'capture-failed', label, { target: form }),
    )
    .finally(recorded);
  inFlight.set(event as SubmitEvent, held);
}

/** "no consent record for form "apply"": how the console names the form (never its data). */
function formLabel(form: HTMLFormElement): string {
  const name = form.getAttribute('name') || form.id || form.getAttribute('action')?.split(/[?#]/)[0];
  return `no consent record for ${name ? `form "${name}"` : 'the form'}`;
}

function handleSubmitEnd(event: Event): void {
  const held = inFlight.get(event as SubmitEvent);
  const form = event.target;
  if (!held || !(form instanceof HTMLFormElement) || event.defaultPrevented) return;
  event.preventDefault();
  const submitter = (event as SubmitEvent).submitter;
  const limit = new Promise<undefined>((resolve) => setTimeout(resolve, HOLD_LIMIT_MS));
  void Promise.race([held, limit]).then(() => resubmit(form, submitter));
}

/**
 * Sends the form natively without firing `submit` again (the page's handlers already ran and
 * validation passed). The submitter's name/value and form* overrides are carried over by hand
 * because `form.submit()` does not know the submitter.
 */
function resubmit(form: HTMLFormElement, submitter: HTMLElement | null): void {
  const restore: Array<() => void> = [];
  if (submitter instanceof HTMLButtonElement || submitter instanceof HTMLInputElement) {
    if (submitter.name) {
      const field = hiddenField(form, submitter.name);
      field.value = submitter.value;
      restore.push(() => field.remove());
    }
    for (const attr of ['action', 'method', 'enctype', 'target'] as const) {
      const override = submitter.getAttribute(`form${attr}`);
      if (override === null) continue;
      const previous = form.getAttribute(attr);
      form.setAttribute(attr, override);
      restore.push(() => (previous === null ? form.removeAttribute(attr) : form.setAttribute(attr, previous)));
    }
  }
  resubmitting.add(form);
  try {
    HTMLFormElement.prototype.submit.call(form);
  } finally {
    resubmitting.delete(form);
    for (const undo of restore) undo();
  }
}

function readForm(
  form: HTMLFormElement,
  controls: ReadonlyArray<ConsentControl & Element>,
  primary: string | undefined,
): CaptureOptions {
  const decisions: CaptureDecision[] = [];
  // Submitting the form is the act that implies consent for its primary purpose (DESIGN.md).
  if (primary) decisions.push({ purpose: primary, granted: true, basis: 'implied' });
  const interactions: ControlDecision['interaction'][] = [];
  let firstLocale: string | undefined;
  for (const control of controls) {
    const decision = control.consentDecision();
    if (!decision) continue;
    const { interaction, locale, ...rest } = decision;
    interactions.push(interaction);
    firstLocale ??= locale;
    // Per-decision interaction: a box left as shown was not acted on (`none`), see core rules.
    decisions.push({ ...rest, interaction: interaction ?? 'none' });
  }
  const identifierName = form.dataset.consentIdentifier;
  const identifierField = identifierName ? form.elements.namedItem(identifierName) : null;
  const identifier = identifierField instanceof HTMLInputElement ? identifierField.value.trim() : '';
  const formName = form.getAttribute('name') || form.id || form.getAttribute('action') || '';
  // The record names the language the person read: the controls', else the form's own.
  const locale = firstLocale || form.closest('[lang]')?.getAttribute('lang') || undefined;
  return {
    decisions,
    method: 'form-submit',
    ...(locale ? { locale } : {}),
    interaction: interactions.find(Boolean) ?? 'none',
    collectionPoint: formName ? { form: formName } : {},
    ...(identifier ? { identifier } : {}),
  };
}

function hiddenField(form: HTMLFormElement, name: string): HTMLInputElement {
  const field = document.createElement('input');
  field.type = 'hidden';
  field.name = name;
  form.append(field);
  return field;
}
