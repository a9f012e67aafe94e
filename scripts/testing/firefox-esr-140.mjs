// Firefox ESR 140 (what Debian bookworm installs today) lacks two things puppeteer 25 relies on
// over WebDriver BiDi, which newer Firefox (ESR 153) has; without these patches every browser
// test that sizes its page, and every wait on a page under a strict CSP, failed there:
// - setViewport sends the viewport and, beside it, emulation.setScreenOrientationOverride, which
//   ESR 140 does not know. The viewport command goes out all the same, so that one refusal is let
//   through once the page has the width asked for.
// - waitForFunction's poller is built with Function() inside the page, which a strict CSP refuses
//   on ESR 140 (and reports as a `securitypolicyviolation` the page sees). Then the predicate is
//   polled with evaluate instead (BiDi's callFunction, which a page's CSP does not govern).
// A probe page finds out once which of the two this Firefox needs; one that has both is left as is.
const ORIENTATION_UNKNOWN = /unknown command emulation\.setScreenOrientationOverride/;
const CSP_REFUSED_POLLER = /call to Function\(\) blocked by CSP/;
const STRICT_PAGE = `data:text/html,${encodeURIComponent(
  `<meta http-equiv="Content-Security-Policy" content="script-src 'none'">`,
)}`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const refused = (error, pattern) => pattern.test(`${error?.message} ${error?.cause?.message}`);

/** Whether `attempt` failed with exactly `pattern`'s refusal (any other failure is thrown). */
async function refusesWith(attempt, pattern) {
  try {
    await attempt();
    return false;
  } catch (error) {
    if (refused(error, pattern)) return true;
    throw error;
  }
}

/**
 * Every BiDi page of this process shares one class: it is probed and patched once, and callers
 * that ask at once (wtr opens pages concurrently) wait for that one probe instead of racing it.
 */
let probing;

/** Patches the page class of `browser` (a Firefox over BiDi) for what its version lacks. */
export function tolerateFirefoxEsr140(browser) {
  probing ??= probeAndPatch(browser);
  return probing;
}

async function probeAndPatch(browser) {
  const probe = await browser.newPage();
  const pageClass = Object.getPrototypeOf(probe);
  try {
    const noOrientation = await refusesWith(() => probe.setViewport({ width: 800, height: 600 }), ORIENTATION_UNKNOWN);
    await probe.goto(STRICT_PAGE);
    const noPoller = await refusesWith(
      () => probe.waitForFunction(() => true, { timeout: 10_000 }),
      CSP_REFUSED_POLLER,
    );
    if (noOrientation) {
      const { setViewport } = pageClass;
      pageClass.setViewport = async function (viewport) {
        try {
          return await setViewport.call(this, viewport);
        } catch (error) {
          if (!refused(error, ORIENTATION_UNKNOWN)) throw error;
          for (const start = Date.now(); viewport?.width; await sleep(20)) {
            if ((await this.evaluate(() => window.innerWidth)) === viewport.width) break;
            if (Date.now() - start > 30_000) throw new Error(`the viewport never reached ${viewport.width} px`);
          }
        }
      };
    }
    if (noPoller) {
      pageClass.waitForFunction = async function (predicate, options = {}, ...args) {
        const timeout = options.timeout ?? 30_000;
        const every = typeof options.polling === 'number' ? options.polling : 50;
        for (const start = Date.now(); ; await sleep(every)) {
          const handle = await this.evaluateHandle(predicate, ...args);
          if (await handle.evaluate((value) => Boolean(value))) return handle;
          await handle.dispose();
          if (timeout > 0 && Date.now() - start > timeout)
            throw new Error(`waitForFunction timed out after ${timeout} ms`);
        }
      };
    }
  } finally {
    await probe.close();
  }
}
