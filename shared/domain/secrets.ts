/**
 * The secrets a claimant holds: the access code shown once when a claim is filed, and the
 * invitation code printed on a notice to a victim already known from a report.
 *
 * Access codes carry 140 bits from the platform CSPRNG (28 Crockford base32 characters, read in
 * groups of four), so guessing one is hopeless even without the rate limit; only a SHA-256 hash
 * is stored. A plain hash is enough for a random 140-bit secret: there is no dictionary to try.
 * Invitation codes are readable references with a check character (ids.ts): typos are caught
 * before a lookup, and their 75 random bits plus the rate limit make them unguessable.
 */
import { sha256Hex } from './hashes.ts';
import { newReference, parseReference } from './ids.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ACCESS_CODE_CHARS = 28;

/** A new access code like `7K3M-9QXD-2HFA-8WN4-C5RT-0VBG-JE6P`. */
export function newAccessCode(): string {
  const bytes = new Uint8Array(ACCESS_CODE_CHARS);
  crypto.getRandomValues(bytes);
  let out = '';
  // 256 is a multiple of 32, so `byte % 32` is uniform: 5 random bits per character.
  for (const b of bytes) out += ALPHABET[b % 32];
  return out.match(/.{4}/g)!.join('-');
}

/** What a person typed, in canonical form: any case, spaces or dashes, O for 0, I/L for 1. */
export function canonicalAccessCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** The stored form of an access code: SHA-256 of its canonical form, hex. Always 64 characters. */
export function hashAccessCode(typed: string): string {
  return sha256Hex(canonicalAccessCode(typed));
}

export const CLAIM_PREFIX = 'CLM';
export const POOL_PREFIX = 'POOL';
export const INVITATION_PREFIX = 'INV';
export const DISTRIBUTION_PREFIX = 'DST';

export const newClaimId = (): string => newReference(CLAIM_PREFIX);
export const parseClaimId = (typed: string): string | undefined => parseReference(CLAIM_PREFIX, typed);
export const newPoolId = (): string => newReference(POOL_PREFIX);
export const parsePoolId = (typed: string): string | undefined => parseReference(POOL_PREFIX, typed);
export const newInvitationCode = (): string => newReference(INVITATION_PREFIX);
export const parseInvitationCode = (typed: string): string | undefined =>
  parseReference(INVITATION_PREFIX, typed);
export const newDistributionId = (): string => newReference(DISTRIBUTION_PREFIX);
export const parseDistributionId = (typed: string): string | undefined =>
  parseReference(DISTRIBUTION_PREFIX, typed);
