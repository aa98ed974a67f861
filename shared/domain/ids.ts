/**
 * Reference numbers people read aloud over the phone and type back in: Crockford base32 (no I, L,
 * O, U, so no 1/I or 0/O mix-ups), grouped in fours, with a Luhn mod 32 check character that
 * catches every single mistyped character and most swapped neighbours before a lookup is made.
 *
 * 15 random characters carry 75 bits from the platform CSPRNG: not guessable, not sequential.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const N = ALPHABET.length;
const RANDOM_CHARS = 15;

function codePoint(ch: string): number {
  return ALPHABET.indexOf(ch);
}

/** Luhn mod N check character over the payload characters. */
export function checkCharacter(payload: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = payload.length - 1; i >= 0; i--) {
    let addend = factor * codePoint(payload[i]!);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / N) + (addend % N);
    sum += addend;
  }
  return ALPHABET[(N - (sum % N)) % N]!;
}

function randomChars(count: number): string {
  const bytes = new Uint8Array(count);
  crypto.getRandomValues(bytes);
  let out = '';
  // 256 is a multiple of 32, so `byte % 32` is uniform.
  for (const b of bytes) out += ALPHABET[b % N];
  return out;
}

function group(prefix: string, body: string): string {
  return `${prefix}-${body.match(/.{1,4}/g)!.join('-')}`;
}

/** A new id like `RPT-7K3M-9QXD-2HFA-8WN4` (prefix, 15 random characters, 1 check character). */
export function newReference(prefix: string): string {
  const payload = randomChars(RANDOM_CHARS);
  return group(prefix, payload + checkCharacter(payload));
}

/**
 * Reads what a person typed (any case, spaces or dashes, O for 0, I/L for 1) and returns the
 * canonical id, or undefined when it cannot be one of ours (wrong prefix, length or check).
 */
export function parseReference(prefix: string, typed: string): string | undefined {
  const cleaned = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const p = prefix.toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!cleaned.startsWith(p)) return undefined;
  const body = cleaned.slice(p.length);
  if (body.length !== RANDOM_CHARS + 1) return undefined;
  for (const ch of body) if (codePoint(ch) < 0) return undefined;
  const payload = body.slice(0, RANDOM_CHARS);
  if (checkCharacter(payload) !== body[RANDOM_CHARS]) return undefined;
  return group(prefix, body);
}

/** A reference from 15 bytes of a keyed digest (uniform like random bytes, but repeatable). */
export function referenceFromDigest(prefix: string, hex: string): string {
  let payload = '';
  for (let i = 0; i < RANDOM_CHARS; i++)
    payload += ALPHABET[Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16) % N];
  return group(prefix, payload + checkCharacter(payload));
}

export const REPORT_PREFIX = 'RPT';
export const newReportId = (): string => newReference(REPORT_PREFIX);
export const parseReportId = (typed: string): string | undefined => parseReference(REPORT_PREFIX, typed);
