/**
 * Page cursors over DynamoDB queries, shared by every repository (through table.ts): opaque
 * cursors that are checked on the way back in (a forged or foreign one is a 400, never a
 * DynamoDB error).
 */
import { ValidationError } from '../domain/errors.ts';

/** Opaque cursor over a DynamoDB key, checked on the way back in (a forged one is a 400). */
export function encodeKey(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

export function decodeKey(
  cursor: string | undefined,
  names: readonly string[],
  check?: (k: Record<string, string>) => boolean,
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const k = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (!k || typeof k !== 'object') throw new Error('not an object');
    if (Object.keys(k).sort().join() !== [...names].sort().join()) throw new Error('bad key');
    if (Object.values(k).some((v) => typeof v !== 'string')) throw new Error('bad key');
    if (check && !check(k as Record<string, string>)) throw new Error('foreign key');
    return k as Record<string, string>;
  } catch {
    throw new ValidationError([
      { path: 'cursor', message: 'This page link is not valid. Start again from the first page.' },
    ]);
  }
}
