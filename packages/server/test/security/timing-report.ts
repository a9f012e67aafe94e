// The long timing run whose figures docs/security.md quotes:
//   node --import tsx --conditions=@consentkit/source packages/server/src/security/timing-report.ts [iterations]
// Prints a Markdown table per secret comparison. Not a test: it asserts nothing (see timing.ts).

import { TEST_API_KEY } from '@consentkit/test-support/keys';
import { createLedgerKit } from '@consentkit/test-support/server';
import { formatMeasurement, measureApiKey, measureHostedToken, measureTokenVerify, ratio } from './timing.js';

const iterations = Number(process.argv[2]) > 0 ? Number(process.argv[2]) : 20_000;
const kit = await createLedgerKit({ onDisk: true, checkpointEvery: 5, app: { apiKey: TEST_API_KEY } });
try {
  const person = await kit.person();
  const token = await person.token('unsubscribe:marketing');
  const token1 = await measureTokenVerify(iterations);
  console.log(formatMeasurement(`Unsubscribe token verify, core codec (${iterations} each)`, token1));
  console.log(
    `first/last byte median ratio: ${ratio(token1, 'MAC wrong at its first byte', 'MAC wrong at its last byte').toFixed(3)}\n`,
  );
  const hosted = await measureHostedToken(kit.app, token, Math.ceil(iterations / 10));
  console.log(formatMeasurement(`GET /u/{forged token}, real app (${Math.ceil(iterations / 10)} each)`, hosted));
  console.log(
    `first/last byte median ratio: ${ratio(hosted, 'MAC wrong at its first byte', 'MAC wrong at its last byte').toFixed(3)}\n`,
  );
  const keys = await measureApiKey(kit.app, TEST_API_KEY, Math.ceil(iterations / 10));
  console.log(formatMeasurement(`API key, real app (${Math.ceil(iterations / 10)} each)`, keys));
  console.log(
    `first/last character median ratio: ${ratio(keys, 'wrong at its first character', 'wrong at its last character').toFixed(3)}`,
  );
} finally {
  await kit.close();
}
