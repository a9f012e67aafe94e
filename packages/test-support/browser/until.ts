/**
 * Waits for something asynchronous that has no event to await (a record signed in the
 * background, a panel that loads): polls `check` until it returns a value other than
 * `undefined`, `null` or `false`, and returns that value.
 */
export async function until<T>(
  check: () => T | undefined | null | false,
  what = 'a condition',
  timeoutMs = 5000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    // setTimeout, not requestAnimationFrame: a background test page gets no frames.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
