/**
 * Things a person must keep (a report's reference number, a claim's number and access code) stay
 * in this browser, and on screen, until the person says they have saved them: a reload, the back
 * button or a visit to another page never loses them. They are dropped after KEEP_MAX_AGE_MS like
 * a draft, so a shared computer does not hold them forever.
 */
const KEEP_MAX_AGE_MS = 30 * 24 * 3600_000;

interface Kept<T> {
  readonly savedAt: number;
  readonly value: T;
}

export function keep<T>(key: string, value: T): void {
  try {
    localStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), value } satisfies Kept<T>));
  } catch {
    // Private browsing or a full disk: the confirmation still shows, it just is not kept.
  }
}

/** The kept value, checked by `read`; undefined when there is none or it is too old. */
export function kept<T>(key: string, read: (raw: unknown) => T | undefined): T | undefined {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(key) ?? 'null');
    if (typeof raw !== 'object' || raw === null) return undefined;
    const o = raw as Partial<Kept<unknown>>;
    if (typeof o.savedAt !== 'number' || Date.now() - o.savedAt > KEEP_MAX_AGE_MS) {
      localStorage.removeItem(key);
      return undefined;
    }
    return read(o.value);
  } catch {
    return undefined;
  }
}

export function forget(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // nothing kept, nothing to remove
  }
}
