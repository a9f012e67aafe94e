/**
 * Where the signed-in key lives: sessionStorage, so it survives a reload of the tab but not the
 * tab itself, is not shared with other tabs and is never sent anywhere by the browser on its own
 * (unlike a cookie). Falls back to memory where storage is unavailable (private modes, tests).
 */
const STORAGE_KEY = 'consentkit-admin-key';
let memory: string | undefined;

function storage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

export function loadKey(): string | undefined {
  try {
    return storage()?.getItem(STORAGE_KEY) ?? memory;
  } catch {
    return memory;
  }
}

export function saveKey(key: string): void {
  memory = key;
  try {
    storage()?.setItem(STORAGE_KEY, key);
  } catch {
    // Storage full or refused: memory keeps the session for this page.
  }
}

export function clearKey(): void {
  memory = undefined;
  try {
    storage()?.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored.
  }
}
