/**
 * A page with a strict Content-Security-Policy (no 'unsafe-inline', no 'unsafe-eval') renders
 * the elements fully styled: the widget uses adopted stylesheets only, never style attributes,
 * inline scripts or eval. The page (test/support/strict-csp.html) carries the policy in a
 * <meta> element and loads define.ts from the test server ('self').
 */
import { expect } from 'chai';

describe('strict CSP page', () => {
  it('renders the checkbox styled with no CSP violation', async () => {
    const url = new URL('../test/support/strict-csp.html', import.meta.url).href;
    const frame = document.createElement('iframe');
    frame.title = 'strict CSP page';
    const violations: string[] = [];
    try {
      const loaded = new Promise<void>((resolve) => frame.addEventListener('load', () => resolve(), { once: true }));
      frame.src = url;
      document.body.append(frame);
      await loaded;
      const doc = frame.contentDocument as Document;
      doc.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
      const win = frame.contentWindow as Window & typeof globalThis;
      await win.customElements.whenDefined('consent-checkbox');
      const box = doc.querySelector('consent-checkbox') as HTMLElement & { updateComplete: Promise<boolean> };
      await box.updateComplete;
      const input = box.shadowRoot?.querySelector('input') as HTMLInputElement;
      expect(input).to.not.equal(null);
      // Styles applied: the 24px box size comes from the adopted stylesheet.
      expect(win.getComputedStyle(input).inlineSize).to.equal('24px');
      expect(doc.querySelectorAll('[style]').length).to.equal(0);
      expect(box.shadowRoot?.querySelectorAll('[style]').length).to.equal(0);
      expect(violations).to.deep.equal([]);
    } finally {
      frame.remove();
    }
  });
});
