// The site's backend vouching for the records its form receives (POST /v1/attestations, an API
// key of scope `attest`). A record the browser posted alone is `device` assurance: anyone could
// have typed that address, so its express grants stay pending on the ledger until the site that
// collected them attests them. Server-only: imported by the server action alone, and the key is
// read from the server's environment at run time (never a NEXT_PUBLIC_ variable, so Next never
// puts it in a browser bundle). Not a 'use server' file: its exports are not actions anyone can call.
import { type Attestor, createAttestor } from '@consentkit/sdk/node';

let attestor: Attestor | undefined;
let warned = false;

/** The attestor, once the ledger's address and the key are configured; undefined (said once) otherwise. */
function configuredAttestor(): Attestor | undefined {
  const ledgerUrl = process.env.CONSENTKIT_LEDGER_URL;
  const apiKey = process.env.CONSENTKIT_ATTEST_KEY;
  if (!ledgerUrl || !apiKey) {
    if (!warned) {
      warned = true;
      console.warn(
        '[consentkit example] CONSENTKIT_ATTEST_KEY is not set: express grants from this form stay pending on the ledger until the person confirms them. Create a key with `pnpm consentkit keys api create --scope attest` and start the app with it.',
      );
    }
    return undefined;
  }
  attestor ??= createAttestor({ ledgerUrl, apiKey });
  return attestor;
}

/**
 * Attests `recordId` (the form's `consentkit-record`). Meant to run after the answer is sent
 * (Next's `after()`): the person never waits for it, and a failure is logged, never shown.
 */
export async function attestRecord(recordId: string): Promise<void> {
  const configured = configuredAttestor();
  if (!configured) return;
  try {
    await configured.attest(recordId);
  } catch (error) {
    // The reason names the record id, never the person.
    console.error(`[consentkit example] ${error instanceof Error ? error.message : String(error)}`);
  }
}
