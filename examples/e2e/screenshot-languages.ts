/**
 * Takes the README's screenshots of a form in a right-to-left language (Arabic) and a CJK one
 * (Japanese) with the real browser and the real drop-in, served by the real ledger:
 *
 *   node --import tsx --conditions=@consentkit/source examples/e2e/screenshot-languages.ts
 *
 * Writes docs/screenshots/form-ar.png and docs/screenshots/form-ja.png. The page is the
 * application form's, written in each language; the policy is AllStream's with two purposes
 * translated into every language the widget has (the widget's test fixture), so the boxes show
 * the widget's own sentences around the policy's words. Needs the drop-in (built if missing) and
 * fonts for both scripts (Debian: fonts-dejavu-core covers Arabic, fonts-wqy-microhei Japanese).
 */
import { join } from 'node:path';
import { translatedPolicy } from '../../packages/widget/test/support/translated-policy.js';
import { launchBrowser, waitForElements } from './support/browsers.js';
import { ensureDropIn } from './support/drop-in.js';
import { ROOT, startLedger } from './support/ledger.js';

type Words = { title: string; intro: string; name: string; email: string; legend: string; send: string };

const PAGES: Record<'ar' | 'ja', Words & { dir: 'rtl' | 'ltr' }> = {
  ar: {
    dir: 'rtl',
    title: 'طلب الخدمة',
    intro: 'أخبرنا من أنت وسنعود إليك بشأن طلبك.',
    name: 'الاسم الكامل',
    email: 'البريد الإلكتروني',
    legend: 'خيارات الخصوصية (اختيارية)',
    send: 'إرسال الطلب',
  },
  ja: {
    dir: 'ltr',
    title: 'サービスのお申し込み',
    intro: 'お名前とご連絡先をご入力ください。お申し込みについてご連絡いたします。',
    name: 'お名前',
    email: 'メールアドレス',
    legend: 'プライバシーの選択（任意）',
    send: '申し込む',
  },
};

function pageHtml(lang: 'ar' | 'ja'): string {
  const w = PAGES[lang];
  return `<!doctype html>
<html lang="${lang}" dir="${w.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${w.title}</title>
<link rel="stylesheet" href="/examples/shared/example.css">
<script type="module">
  import { configure } from '/assets/consentkit.js';
  configure({ policy: ${JSON.stringify(translatedPolicy())} });
</script>
</head>
<body>
<main>
<h1>${w.title}</h1>
<p>${w.intro}</p>
<form id="application" data-consent-purpose="application-processing" data-consent-identifier="email">
  <label for="name">${w.name}</label>
  <input id="name" name="name" type="text" autocomplete="name" required>
  <label for="email">${w.email}</label>
  <input id="email" name="email" type="email" autocomplete="email" required>
  <fieldset>
    <legend>${w.legend}</legend>
    <consent-checkbox id="newsletter" name="no-newsletter" purpose="newsletter"></consent-checkbox>
    <consent-checkbox id="surveys" name="surveys" purpose="surveys"></consent-checkbox>
  </fieldset>
  <button>${w.send}</button>
</form>
<consent-preferences purposes="newsletter surveys"></consent-preferences>
</main>
</body>
</html>`;
}

await ensureDropIn();
const ledger = await startLedger();
const browser = await launchBrowser('chromium');
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 560, height: 800, deviceScaleFactor: 1 });
  for (const lang of ['ar', 'ja'] as const) {
    // The ledger's origin, so the page loads /assets/consentkit.js and its table from it.
    await page.goto(`${ledger.url}/examples/application-form/`, { waitUntil: 'load' });
    await page.setContent(pageHtml(lang), { waitUntil: 'load' });
    await waitForElements(page, ['consent-checkbox', 'consent-preferences']);
    // Rendered in the page's language (its table is a chunk of its own, loaded on first use).
    const hint = lang === 'ar' ? 'يمكنك سحب موافقتك في أي وقت.' : '同意はいつでも撤回できます。';
    await page.waitForFunction(
      (expected: string) =>
        document.querySelector('#surveys')?.shadowRoot?.querySelector('[part="hint"]')?.textContent === expected &&
        Boolean(document.querySelector('consent-preferences')?.shadowRoot?.querySelector('input')),
      { timeout: 15_000 },
      hint,
    );
    await page.type('#name', lang === 'ar' ? 'ليلى حداد' : '山田 花子');
    await page.type('#email', lang === 'ar' ? 'layla@example.com' : 'hanako@example.com');
    await page.click('#surveys');
    // The viewport grown to the page, not `fullPage`: Chromium's full-page capture of a
    // right-to-left page starts at the wrong edge and cuts the page off.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewport({ width: 560, height, deviceScaleFactor: 1 });
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await page.screenshot({ path: join(ROOT, `docs/screenshots/form-${lang}.png`) });
    await page.setViewport({ width: 560, height: 800, deviceScaleFactor: 1 });
  }
  console.log('screenshots written: docs/screenshots/form-ar.png, docs/screenshots/form-ja.png');
} finally {
  await browser.close();
  await ledger.stop();
}
