/** Sending a finished form: retries that are safe (same Idempotency-Key) and plain failure messages. */
import type { Lang, Messages } from '../i18n/types.ts';
import { type ApiResult, apiRequest } from './api.ts';
import { phoneNodes, phoneSentence } from './chrome.ts';
import { loadConfig } from './config.ts';
import type { Child } from './dom.ts';
import type { IdempotencyKey } from './wizard.ts';

const MAX_RETRIES = 3;
const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

export async function postOnce<T>(
  path: string,
  body: unknown,
  key: IdempotencyKey,
  lang: Lang,
  /** More headers: the console's helpline sends the staff member's token. */
  headers: Readonly<Record<string, string>> = {},
): Promise<ApiResult<T>> {
  let current = key.current;
  for (let attempt = 0; ; attempt++) {
    const result = await apiRequest<T>('POST', path, {
      body,
      headers: { ...headers, 'idempotency-key': current },
      lang,
    });
    if (attempt < MAX_RETRIES && result.kind === 'busy') {
      await sleep(result.retryAfterSeconds * 1000);
      continue;
    }
    if (attempt < MAX_RETRIES && result.kind === 'refused' && result.code === 'IDEMPOTENCY_KEY_REUSED') {
      // The key went with different answers (the person changed something after a lost reply).
      current = key.renew();
      continue;
    }
    return result;
  }
}

/** What to tell the person when sending did not work, with the phone number when there is one. */
export async function failureMessage(
  result: ApiResult<unknown>,
  t: Messages,
  lang: Lang,
  notOpen: string = t.common.notAvailable,
): Promise<Child> {
  const config = await loadConfig(lang);
  let text: Child;
  switch (result.kind) {
    case 'network':
      text = t.common.networkError;
      break;
    case 'busy':
      text = t.common.busyError;
      break;
    case 'too-many':
      // This message already gives the phone number.
      return phoneNodes(t.errors.tooManyTries);
    case 'unavailable':
    case 'not-found':
      text = notOpen;
      break;
    case 'refused':
      text = lang === 'en' && result.message ? result.message : t.common.serverError;
      break;
    default:
      text = t.common.serverError;
  }
  const phone = phoneSentence(t.common.callInstead, config);
  return [text, phone.length > 0 ? ' ' : '', phone];
}
