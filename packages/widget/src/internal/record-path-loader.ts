/**
 * When the record path (record-path.ts) loads. Never before a control is usable, and without an
 * interaction only when it has work at load (scheduleRecordPath below): then it is requested
 * with `<link rel="modulepreload">` after the first control has rendered and evaluated when the
 * browser is idle; otherwise the person's first trusted interaction with the page does the same.
 * A record that is needed (a submit, a click on an opt-out) loads it at once. It loads once.
 */
import { mayHaveStoredRecords } from '@consentkit/sdk';
import { readGpc } from './gpc.js';
import { RECORD_PATH_URL } from './record-path-url.js';

export type RecordPath = typeof import('./record-path.js');

let loading: Promise<RecordPath> | undefined;
let current: RecordPath | undefined;
let loaded!: (path: RecordPath) => void;
const whenLoaded = new Promise<RecordPath>((resolve) => {
  loaded = resolve;
});
let scheduled = false;

/** Loads the record path now (or joins the load under way); a failed load is tried again on the next call. */
export function loadRecordPath(): Promise<RecordPath> {
  loading ??= import('./record-path.js').then(
    (path) => {
      current = path;
      loaded(path);
      return path;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/**
 * The SDK's factories, for a drop-in page that builds a client of its own, from the chunk the
 * elements use (one copy of the SDK on the page):
 * `const { createConsentClient, createHttpBackend } = await loadSdk();`
 */
export async function loadSdk(): Promise<ReturnType<RecordPath['sdk']>> {
  return (await loadRecordPath()).sdk();
}

/** The record path if it has loaded, else undefined. */
export function loadedRecordPath(): RecordPath | undefined {
  return current;
}

/** Settles when something else has loaded the record path; never starts the load itself. */
export function recordPathLoaded(): Promise<RecordPath> {
  return whenLoaded;
}

/** The longest the evaluation waits for an idle moment (also the delay where there is no requestIdleCallback). */
const IDLE_TIMEOUT_MS = 2000;

/**
 * Called by a control once it has rendered (and by `<consent-config>`), once a page. With work at
 * load (records or a history an earlier visit stored on this origin, or a GPC signal to record)
 * the record path loads at idle; without, at the first trusted interaction: a first visit that
 * never interacts never downloads it (docs/decisions/0003).
 */
export function scheduleRecordPath(doc: Document = document): void {
  if (scheduled) return;
  scheduled = true;
  const load = () => {
    // Nothing is lost if it fails now: a submit or a click loads it again and reports a failure.
    loadRecordPath().catch(() => {});
  };
  let started = false;
  const soon = () => {
    if (started) return;
    started = true;
    if (RECORD_PATH_URL) {
      const url = RECORD_PATH_URL;
      // After the frame that paints the control (or answers the interaction): the fetch and
      // compile never delay it.
      requestAnimationFrame(() => {
        const link = doc.createElement('link');
        link.rel = 'modulepreload';
        link.href = url;
        doc.head.append(link);
      });
    }
    // This window's timers: an element's document is always in the window that defined it.
    if (typeof requestIdleCallback === 'function') requestIdleCallback(load, { timeout: IDLE_TIMEOUT_MS });
    else setTimeout(load, IDLE_TIMEOUT_MS);
  };
  // Asked after the first frame: a page's first localStorage read costs 5–7 ms at 4× throttle
  // (docs/decisions/0003), which would otherwise delay the controls' first paint, unless hidden
  // (no paint, no frame in Chromium) and not prerendered.
  (doc.hidden && !(doc as { prerendering?: boolean }).prerendering ? setTimeout : requestAnimationFrame)(() => {
    if (readGpc() || mayHaveStoredRecords()) soon();
  });
  const interaction = (event: Event) => {
    if (!event.isTrusted) return;
    for (const type of INTERACTIONS) doc.removeEventListener(type, interaction, true);
    soon();
  };
  for (const type of INTERACTIONS) doc.addEventListener(type, interaction, { capture: true, passive: true });
}

/** What a person does first with a page: the record path then loads while they finish. */
const INTERACTIONS = ['pointerdown', 'keydown', 'focusin'] as const;
